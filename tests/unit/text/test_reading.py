"""Editions and clauses follow what a reader sees, for any layout an editor may type (issue 10, items 1 and 2)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import Treeprocessor

from alectro_policy.history.editions import State, editions_from_states, pending_edition
from alectro_policy.output.publication import document_title
from alectro_policy.text.clauses import ClauseAnchorsExtension, split_clauses
from alectro_policy.text.diff import changed_clauses, compare
from alectro_policy.text.reading import (
    Block,
    _canonical,
    _collapsed,
    _reader_text,
    _ReaderText,
    _Renderer,
    _WordStyles,
    blocks,
    clause_number,
    reads_the_same,
    section_number,
    seen_text,
    sees_a_difference,
    word_styles,
)
from support import REPO

POLICY = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
MOSCOW = ZoneInfo("Europe/Moscow")
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A word may start a new line of a paragraph only if Markdown would not read it as the start of another block.
_STARTS_A_BLOCK = re.compile(r"[#>=*+\-`|<~]|\d+[.)]")
# Between two words of a paragraph: what an editor types that a browser shows as one space.
# (Two spaces before a line break are a <br>, and so is a tab, which Markdown expands to spaces: not generated.)
_SPACES = st.sampled_from([" ", "  ", "\t", " \t", "\n", " \n", "\n ", "\n   "])
_BLANK_LINES = st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n\t\n\n", "\r\n\r\n"])


def _paragraph_blocks(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text.strip("\n")) if block.strip()]


@st.composite
def reflows(draw, text: str) -> str:
    """``text`` re-typed: each paragraph re-wrapped and re-spaced at random, headings with or without the blank
    line after them, blank lines doubled; lists, headings and words untouched."""
    out = []
    for block in _paragraph_blocks(text):
        lines = block.split("\n")
        if any(_STARTS_A_BLOCK.match(line) for line in lines):
            # A heading, a list: joined to what follows without a blank line when it is a heading.
            out.append(block)
            out.append("\n" if lines[0].startswith("#") and draw(st.booleans()) else draw(_BLANK_LINES))
            continue
        words = block.split()
        typed = [words[0]]
        for word in words[1:]:
            space = draw(_SPACES)
            if "\n" in space and _STARTS_A_BLOCK.match(word):
                space = " "
            typed.append(space + word)
        out.append("".join(typed) + draw(st.sampled_from(["", " ", "  ", "\t"])))
        out.append(draw(_BLANK_LINES))
    return "".join(out)


def _state(text: str, day: int) -> State:
    at = datetime(2026, 11, day, 9, tzinfo=UTC)
    return State(f"{day:040d}", at, f"Правка {day}", "", text.encode())


@PROPERTY
@given(data=st.data())
def test_a_reflow_of_the_policy_is_never_an_edition_nor_a_changed_clause(data):
    reflowed = data.draw(reflows(POLICY))
    editions = editions_from_states("docs/index.md", [_state(POLICY, 1), _state(reflowed, 2)], MOSCOW)
    assert len(editions) == 1
    assert changed_clauses(compare(POLICY, reflowed)) == ()
    assert pending_edition(editions, reflowed.encode(), (), date(2026, 11, 30)) is None


_WORD = st.text(alphabet="абвгдеёжзиклмнопрстуфхцчшщыэюя", min_size=1, max_size=9)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=12).map(lambda words: " ".join(words).capitalize() + ".")


@st.composite
def policies(draw) -> str:
    """A policy of numbered sections and clauses, some clauses with a list, written the usual way."""
    parts = ["# " + draw(_SENTENCE).rstrip("."), draw(_SENTENCE)]
    for section in range(1, draw(st.integers(1, 4)) + 1):
        parts.append(f"## {section}. {draw(_SENTENCE).rstrip('.')}")
        for clause in range(1, draw(st.integers(1, 4)) + 1):
            parts.append(f"{section}.{clause}. {draw(_SENTENCE)}")
            if draw(st.booleans()):
                items = draw(st.lists(_SENTENCE, min_size=1, max_size=3))
                parts.append("\n".join(f"{draw(st.sampled_from('-*+'))} {item}" for item in items))
    return "\n\n".join(parts) + "\n"


def _anchor_ids(text: str) -> list[str]:
    html = markdown.markdown(text, extensions=[ClauseAnchorsExtension(), "tables", "fenced_code"])
    return re.findall(r'id="(p[\d.]+)"', html)


@PROPERTY
@given(data=st.data())
def test_clauses_are_recognised_as_markdown_renders_them_in_any_layout(data):
    policy = data.draw(policies())
    typed = data.draw(reflows(policy))
    numbered = [clause.key for clause in split_clauses(typed) if clause.number]
    # The history names exactly the clauses the page anchors, however the editor laid the text out.
    assert numbered == _anchor_ids(typed) == _anchor_ids(policy)
    assert [c.key for c in split_clauses(typed)] == [c.key for c in split_clauses(policy)]
    # One clause edited in the re-typed layout: that clause, and nothing else, is named as changed.
    clauses = [clause for clause in split_clauses(policy) if clause.number and "." in clause.number]
    target = data.draw(st.sampled_from(clauses))
    line = next(line for line in typed.split("\n") if line.startswith(f"{target.number}. "))
    edited = typed.replace(line, line + " Дополнено", 1)
    assert [(c.key, c.status) for c in changed_clauses(compare(policy, edited))] == [(target.key, "changed")]


def test_a_heading_directly_followed_by_its_first_clause_is_still_that_section_and_clause():
    spaced = "# П\n\n## 2. Данные\n\n2.1. Имя.\n\n2.2. Телефон.\n"
    tight = "# П\n\n## 2. Данные\n2.1. Имя.\n\n2.2. Телефон.\n"
    assert [c.key for c in split_clauses(tight)] == ["title", "p2", "p2.1", "p2.2"]
    assert changed_clauses(compare(spaced, tight)) == ()
    edited = tight.replace("Имя.", "Имя и фамилия.")
    assert [(c.key, c.status) for c in changed_clauses(compare(spaced, edited))] == [("p2.1", "changed")]


def test_re_wrapping_a_clause_does_not_mark_its_words_as_deleted_and_inserted():
    old = "1.1. Условия Политики действуют.\n"
    new = "1.1. Условия\nПолитики действуют всегда.\n"
    (change,) = changed_clauses(compare(old, new))
    # Only the last word changed; «Политики», moved to another line, is no change.
    assert [(s.kind, s.text) for s in change.segments] == [
        ("same", "1.1. Условия Политики "),
        ("deleted", "действуют."),
        ("inserted", "действуют всегда."),
    ]


def test_what_renders_differently_is_an_edition():
    assert not reads_the_same("1.1. Текст.\n", "1.1. Текст!\n")
    # Two spaces before a line break are a visible line break.
    assert not reads_the_same("1.1. Первая\nвторая.\n", "1.1. Первая  \nвторая.\n")
    assert not reads_the_same("1.1. [почта](mailto:a@alectro.ru)\n", "1.1. [почта](mailto:b@alectro.ru)\n")
    assert not reads_the_same("1.1. Текст.\n", "1.1. **Текст.**\n")


def test_reader_text_of_blocks_keeps_words_and_list_items():
    (paragraph, items) = blocks("Сайт <https://alectro.ru>, код `a<b`, почта <info@alectro.ru>.\n\n- а;\n\n- б.\n")
    assert paragraph.text == "Сайт https://alectro.ru, код a<b, почта info@alectro.ru."
    assert items.text == "— а;\n— б."


def test_the_title_is_the_first_heading_as_a_reader_sees_it():
    assert (
        document_title("Политика **конфиденциальности**\n===\n\nТекст.\n", "index.md") == "Политика конфиденциальности"
    )
    assert document_title("# Политика `cookies` ##\n", "index.md") == "Политика cookies"
    assert document_title("Текст без заголовка.\n", "index.md") == "index.md"


@PROPERTY
@given(data=st.data())
def test_rendering_section_by_section_gives_the_blocks_of_the_whole_document(data):
    typed = data.draw(reflows(data.draw(policies())))
    whole = _Renderer().blocks(typed)
    assert blocks(typed) == whole


_PHRASE = st.lists(
    st.sampled_from(
        [
            "Данные",
            "data",
            "**важно**",
            "*курсив*",
            "`код`",
            "[ссылка](/a)",
            "<https://a.ru>",
            "&laquo;",
            "1.",
            "-",
            "#",
            "Ёж",
            "x\\*",
        ]
    ),
    min_size=1,
    max_size=4,
).map(" ".join)
# Every kind of block Python-Markdown (with MkDocs' tables and fenced code) knows, written as editors write them.
_BLOCK = st.one_of(
    _PHRASE,
    st.builds(lambda a, b: f"{a}\n{b}", _PHRASE, _PHRASE),
    st.builds(lambda a, u: f"{a}\n{u * 5}", _PHRASE, st.sampled_from("-=")),
    st.builds(lambda n, a: f"{'#' * n} {a}", st.integers(1, 3), _PHRASE),
    st.builds(
        lambda m, items: "\n".join(f"{m} {i}" for i in items),
        st.sampled_from(["-", "*", "+", "1."]),
        st.lists(_PHRASE, min_size=1, max_size=3),
    ),
    st.builds(lambda a, b: f"- {a}\n\n    {b}", _PHRASE, _PHRASE),
    st.builds(lambda a, b: f"- {a}\n\n- {b}", _PHRASE, _PHRASE),
    st.builds(lambda a, b: f"> {a}\n{b}", _PHRASE, _PHRASE),
    st.builds(lambda a: f"    {a}", _PHRASE),
    st.builds(lambda a, b: f"{a} | {b}\n--- | ---\n{b} | {a}", _PHRASE, _PHRASE),
    st.sampled_from(["***", "---", "* * *"]),
    st.builds(lambda a: f"1.1. {a}", _PHRASE),
)


@PROPERTY
@given(parts=st.lists(st.tuples(_BLOCK, st.sampled_from(["\n\n", "\n", "\n \n", "\n\n\n"])), max_size=8))
def test_rendering_piece_by_piece_gives_the_blocks_of_the_whole_document_whatever_its_blocks(parts):
    text = "".join(block + between for block, between in parts)
    assert blocks(text) == _Renderer().blocks(text)


def test_blank_text_has_no_blocks_whatever_was_read_before_it():
    blocks("1.1. Первый пункт.\n")
    assert blocks("") == blocks(" \n") == ()
    assert blocks("\n\nТекст.\n") == blocks("Текст.\n")


def test_a_link_defined_in_a_quote_or_a_list_is_followed_when_its_address_changes():
    for holder in ("> ", "- ", ""):
        old = f"1.1. Данные передаются [партнёру][x].\n\n## 2. Прочее\n\n{holder}[x]: https://partner.example/\n"
        new = old.replace("partner.example", "other-partner.example")
        assert not reads_the_same(old, new), holder
        assert blocks(new) == _Renderer().blocks(new), holder


def test_a_character_written_as_an_entity_reads_the_same_but_markup_never_comes_from_text():
    assert reads_the_same("1.1. «Политика» — текст.\n", "1.1. &laquo;Политика&raquo; &mdash; текст.\n")
    assert reads_the_same("1.1. Д.\n", "1.1. &#1044;.\n")
    assert not reads_the_same("1.1. **Текст**.\n", "1.1. &lt;strong&gt;Текст&lt;/strong&gt;.\n")


def test_spacing_inside_a_code_block_in_a_list_is_what_a_reader_sees():
    old = "- пример:\n\n        a  b\n        c\n"
    assert not reads_the_same(old, old.replace("a  b", "a b"))
    assert reads_the_same("- пункт  списка\n", "- пункт\n  списка\n")


def test_a_reader_sees_a_difference_by_one_rule_and_a_file_that_is_not_text_only_by_its_bytes():
    policy = "# П\n\n1.1. Первый пункт.\n".encode()
    rewrapped = "---\ndescription: x\n---\n# П\n\n1.1. Первый\nпункт.\n".encode()
    assert not sees_a_difference(seen_text(policy), seen_text(rewrapped))  # front matter and a re-wrap: none
    assert sees_a_difference(seen_text(policy), seen_text(policy), (("img/a.png", "1"),), (("img/a.png", "2"),))
    windows_1251 = "# П\n\n1.1. Первый пункт.\n".encode("cp1251")
    broken_yaml = b"---\ntitle: [x\n---\n" + policy
    for unreadable in (windows_1251, broken_yaml):
        assert not sees_a_difference(seen_text(unreadable), seen_text(unreadable))  # the same bytes: no change
        assert sees_a_difference(seen_text(unreadable), seen_text(policy))
        assert sees_a_difference(seen_text(unreadable), seen_text(unreadable + b"\n"))  # other bytes: a change


_SPACED = st.text(alphabet=st.sampled_from("a—- \t\n\r\x0b\x0c\x1c\x85\xa0\u2003\u2028\u3000"), max_size=12)


@PROPERTY
@given(text=_SPACED)
def test_whitespace_collapses_as_the_regular_expression_would_collapse_it(text):
    assert _collapsed(text) == re.sub(r"\s+", " ", text)


@PROPERTY
@given(parts=st.lists(_SPACED, max_size=6))
def test_a_paragraph_after_a_list_item_s_mark_is_found_as_in_the_whole_text_read_so_far(parts):
    reader = _ReaderText()
    reader.parts = parts
    assert reader._after_item_mark() == "".join(parts).rstrip(" \t\n").endswith("—")


class _Converted(_Renderer):
    """The blocks read from the tree ``Markdown.convert`` finishes, kept by a tree processor run last (as the
    renderer read them before it ran convert's first steps itself)."""

    def blocks(self, source):
        kept = []

        class Keep(Treeprocessor):
            def run(self, root):
                kept.append(root)

        self.md.reset()
        self.md.treeprocessors.register(Keep(self.md), "keep", -100)
        try:
            self.md.convert(source)
        finally:
            self.md.treeprocessors.deregister("keep")
        found = []
        for element in kept[0] if kept else ():
            html = self.md.serializer(element)
            for postprocessor in self.md.postprocessors:
                html = postprocessor.run(html)
            tag = "pre" if html.startswith("<pre") else element.tag
            found.append(
                Block(tag, _canonical(tag, html), _reader_text(html), clause_number(element), section_number(element))
            )
        return tuple(found)


_FENCED = st.builds(lambda a: f"```\n{a}\n\n  {a}\n```", _PHRASE)
_DEFINED = st.builds(lambda a: f"[x]: /{len(a)}\n\n[{a}][x]", _PHRASE)


@PROPERTY
@given(parts=st.lists(st.tuples(st.one_of(_BLOCK, _FENCED, _DEFINED), st.sampled_from(["\n\n", "\n"])), max_size=8))
def test_the_blocks_are_those_of_the_tree_python_markdown_s_convert_finishes(parts):
    text = "".join(block + between for block, between in parts)
    assert _Renderer().blocks(text) == _Converted().blocks(text)


class _WordByWord(_WordStyles):
    """Words and their markup taken one word at a time, as ``word_styles`` first took them."""

    def _add_words(self, since):
        text = "".join(self.parts[since:])
        if not text:
            return
        style = "+".join(sorted(self.open))
        glued = bool(self.words) and not text[0].isspace() and not self._last.isspace()
        for index, word in enumerate(text.split()):
            if index == 0 and glued:
                previous, previous_style = self.words[-1]
                self.words[-1] = (previous + word, f"{previous_style}|{style}")
            else:
                self.words.append((word, style))
        self._last = text[-1]


_GLUED = st.lists(st.sampled_from(["сл*ов*о", "a**b**c", "x`y`", "[сс](/a)ылка", "*a*b*c*", "д", " "]), max_size=6)


@PROPERTY
@given(parts=st.lists(st.tuples(st.one_of(_BLOCK, _GLUED.map("".join)), st.sampled_from(["\n\n", "\n"])), max_size=6))
def test_each_word_keeps_its_markup_as_when_words_were_taken_one_at_a_time(parts):
    for block in blocks("".join(block + between for block, between in parts)):
        parser = _WordByWord()
        parser.feed(block.canonical)
        parser.close()
        assert word_styles((block.canonical,)) == parser.words
