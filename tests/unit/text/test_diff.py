import dataclasses
import difflib
import importlib.util
import sys
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_policy.text import diff as diff_module
from alectro_policy.text import words as words_module
from alectro_policy.text.clauses import split_clauses
from alectro_policy.text.diff import changed_clauses, compare, followed
from alectro_policy.text.words import Segment, word_diff

POLICY = "# Политика\n\nВступление.\n\n## 1. Общее\n\n1.1. Пункт один.\n\n1.2. Пункт два:\n\n- а;\n- б.\n"


def test_split_clauses_keys_labels_and_lists_belong_to_their_clause():
    clauses = split_clauses(POLICY)
    assert [(c.key, c.label) for c in clauses] == [
        ("title", "заголовок"),
        ("preamble", "вступление"),
        ("p1", "разд. 1"),
        ("p1.1", "п. 1.1"),
        ("p1.2", "п. 1.2"),
    ]
    assert clauses[-1].text == "1.2. Пункт два:\n— а;\n— б."


def test_repeated_clause_numbers_get_unique_keys():
    assert [c.key for c in split_clauses("1.1. А.\n\n1.1. Б.\n")] == ["p1.1", "p1.1~2"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "передача транспортной компании",
            "передача курьерской службе",
            [
                Segment("same", "передача "),
                Segment("deleted", "транспортной компании"),
                Segment("inserted", "курьерской службе"),
            ],
        ),
        ("а б в", "а в", [Segment("same", "а "), Segment("deleted", "б"), Segment("same", " в")]),
        ("а в", "а б в", [Segment("same", "а "), Segment("inserted", "б"), Segment("same", " в")]),
        ("персональной", "персональную", [Segment("deleted", "персональной"), Segment("inserted", "персональную")]),
    ],
)
def test_word_diff_works_on_whole_words(old, new, expected):
    assert list(word_diff(old, new)) == expected


def test_compare_reports_changed_added_and_removed_clauses_in_reading_order():
    new = POLICY.replace("Пункт один.", "Пункт первый.").replace("1.2. Пункт два:\n\n- а;\n- б.\n", "1.3. Новый.\n")
    changes = changed_clauses(compare(POLICY, new))
    assert [(c.key, c.status) for c in changes] == [("p1.1", "changed"), ("p1.2", "removed"), ("p1.3", "added")]
    assert changes[0].segments == (
        Segment("same", "1.1. Пункт "),
        Segment("deleted", "один."),
        Segment("inserted", "первый."),
    )


def test_marked_words_do_not_carry_the_following_space():
    assert word_diff("передача транспортной компании; далее", "передача курьерской службе; далее") == (
        Segment("same", "передача "),
        Segment("deleted", "транспортной компании;"),
        Segment("inserted", "курьерской службе;"),
        Segment("same", " далее"),
    )


def test_identical_texts_have_no_changed_clauses():
    assert changed_clauses(compare(POLICY, POLICY)) == ()


def test_clause_text_is_what_a_reader_reads_not_the_markdown():
    clauses = split_clauses(
        "## 1. Общее\n\n"
        "1.1. (далее - **Политика**) сайт <https://alectro.ru>, [почта](mailto:a@alectro.ru)\n\n"
        "- а;\n- б.\n"
    )
    assert [c.text for c in clauses] == [
        "1. Общее",
        "1.1. (далее - Политика) сайт https://alectro.ru, почта (mailto:a@alectro.ru)\n— а;\n— б.",
    ]


def test_words_are_compared_without_the_spaces_between_them():
    assert word_diff("далее -\nПолитики действуют", "далее - Политики  действуют") == (
        Segment("same", "далее - Политики  действуют"),
    )


RENUMBERED_OLD = """# Политика

## 1. Общие

1.1. Первый пункт.

## 2. Передача

2.1. Данные передаются транспортной компании для доставки.

2.2. Данные передаются банку для оплаты.
"""
# A section inserted before section 2: it becomes 3, its clauses 3.1 and 3.2, and one of them is edited.
RENUMBERED_NEW = (
    RENUMBERED_OLD.replace("## 2. Передача", "## 2. Cookies\n\n2.1. Сайт использует cookies.\n\n## 3. Передача")
    .replace("2.1. Данные передаются транспортной компании", "3.1. Данные передаются курьерской службе")
    .replace("2.2. Данные", "3.2. Данные")
)


def test_a_section_inserted_before_others_moves_them_and_deletes_nothing():
    changes = changed_clauses(compare(RENUMBERED_OLD, RENUMBERED_NEW))
    assert [(c.status, c.heading) for c in changes] == [
        ("added", "Разд. 2: добавлен"),
        ("added", "П. 2.1: добавлен"),
        ("moved", "Разд. 2 стал разд. 3"),
        ("changed", "П. 2.1 стал п. 3.1 и изменён"),
        ("moved", "П. 2.2 стал п. 3.2"),
    ]
    # The words are compared with the clause it came from, not with the new clause that took its number.
    assert [(s.kind, s.text) for s in changes[3].segments if s.kind != "same"] == [
        ("deleted", "2.1."),
        ("inserted", "3.1."),
        ("deleted", "транспортной компании"),
        ("inserted", "курьерской службе"),
    ]


def test_a_clause_rewritten_in_place_is_still_that_clause_changed():
    new = RENUMBERED_OLD.replace("1.1. Первый пункт.", "1.1. Совсем другой текст без общих слов.")
    assert [(c.status, c.key) for c in changed_clauses(compare(RENUMBERED_OLD, new))] == [("changed", "p1.1")]


def test_a_word_put_in_italics_is_marked_as_changed():
    new = RENUMBERED_OLD.replace("банку для", "*банку* для")
    (change,) = changed_clauses(compare(RENUMBERED_OLD, new))
    assert [(s.kind, s.text) for s in change.segments if s.kind != "same"] == [
        ("deleted", "банку"),
        ("inserted", "банку"),
    ]


_WORDS_ST = st.lists(
    st.sampled_from("данные имя телефон адрес банк служба срок цель доставка оплата".split()), min_size=3
)


def _policy(sections: list[list[list[str]]]) -> str:
    parts = ["# Политика\n"]
    for s, clauses in enumerate(sections, start=1):
        parts.append(f"## {s}. Раздел {' '.join(clauses[0])}\n")
        parts.extend(f"{s}.{c}. {' '.join(words)}.\n" for c, words in enumerate(clauses, start=1))
    return "\n".join(parts)


@settings(max_examples=40, deadline=None)
@given(
    sections=st.lists(st.lists(_WORDS_ST, min_size=1, max_size=3, unique_by=tuple), min_size=1, max_size=4),
    inserted=_WORDS_ST,
    position=st.integers(min_value=0, max_value=4),
)
def test_inserting_a_section_anywhere_only_adds_it_and_moves_the_sections_after_it(sections, inserted, position):
    # Every clause distinct from every other (and from the new one), as in a real policy.
    sections = [[words + [f"п{s}{c}"] for c, words in enumerate(clauses)] for s, clauses in enumerate(sections)]
    position = min(position, len(sections))
    new_sections = sections[:position] + [[inserted + ["новый"]]] + sections[position:]
    changes = changed_clauses(compare(_policy(sections), _policy(new_sections)))
    added = [c.key for c in changes if c.status == "added"]
    assert added == [f"p{position + 1}", f"p{position + 1}.1"]
    moved = [c for c in changes if c.status == "moved"]
    assert [c.status for c in changes if c.status not in ("added", "moved")] == []
    expected = [
        (f"разд. {s}", f"разд. {s + 1}") if clause is None else (f"п. {s}.{clause}", f"п. {s + 1}.{clause}")
        for s in range(position + 1, len(sections) + 1)
        for clause in [None, *range(1, len(sections[s - 1]) + 1)]
    ]
    assert [(c.moved_from, c.label) for c in moved] == expected


_LINE = st.one_of(
    st.builds(lambda n, w: f"{n}. {w}", st.sampled_from(["1", "2", "1.1", "1.2", "2.1", "3.1"]), st.text(max_size=12)),
    st.builds(lambda n, w: f"## {n}. {w}", st.sampled_from(["1", "2", "3"]), st.text(max_size=8)),
    st.text(max_size=20),
)
_TEXT = st.lists(_LINE, max_size=8).map("\n\n".join)


@settings(max_examples=150, deadline=None)
@given(old=_TEXT, new=_TEXT)
def test_every_clause_of_either_text_is_accounted_for_once_whatever_the_texts(old, new):
    changes = compare(old, new)
    old_keys = [clause.key for clause in split_clauses(old)]
    new_keys = [clause.key for clause in split_clauses(new)]
    # Each new clause once, in order; each old clause either the origin of one of them or removed, never both.
    assert [c.key for c in changes if c.status != "removed"] == new_keys
    removed = [c.key for c in changes if c.status == "removed"]
    assert len(removed) + sum(c.status not in ("added", "removed") for c in changes) == len(old_keys)
    assert all(c.status in ("moved", "changed") for c in changes if c.moved_from is not None)


_WORD = st.sampled_from(["а", "б", "в", "г", "д", "и", "политика", "данные", "*данные*"])


@settings(max_examples=200, deadline=None)
@given(old=st.lists(_WORD, max_size=30), new=st.lists(_WORD, max_size=30), breaks=st.booleans())
def test_a_word_diff_reads_back_as_both_texts_whatever_they_share(old, new, breaks):
    old_text, new_text = " ".join(old), ("\n" if breaks else " ").join(new)
    segments = word_diff(old_text, new_text)
    # Word by word: the spaces between them are shown as the new text has them.
    assert [word for s in segments if s.kind != "inserted" for word in s.text.split()] == old
    assert [word for s in segments if s.kind != "deleted" for word in s.text.split()] == new
    assert all(a.kind != b.kind for a, b in zip(segments, segments[1:], strict=False))
    if old == new:
        assert [s.kind for s in segments] in ([], ["same"])


def test_a_clause_is_followed_to_its_new_number_or_to_nothing():
    old = "## 2. Данные\n\n2.1. Имя.\n\n2.2. Сайт использует cookies.\n\n2.3. Сайт хранит заказы.\n"
    renumbered = old.replace("2.2. Сайт использует", "2.2. Новый пункт.\n\n2.3. Сайт использует").replace(
        "2.3. Сайт хранит", "2.4. Сайт хранит"
    )
    assert followed(old, renumbered, "p2.2").key == "p2.3"
    assert followed(old, old.replace("cookies", "файлы cookies"), "p2.2").key == "p2.2"
    assert followed(old, old.replace("2.2. Сайт использует cookies.\n\n", ""), "p2.2") is None
    assert followed(old, old, "p9.9") is None


_WORDS_OF_A_CLAUSE = st.lists(st.sampled_from(["а", "б", "в", "и", "данные", "*данные*", "политика"]), max_size=60)


@settings(max_examples=300, deadline=None)
@given(old=_WORDS_OF_A_CLAUSE, new=_WORDS_OF_A_CLAUSE)
def test_the_compiled_sequence_matcher_matches_as_difflib_does(old, new):
    # The build's comparisons run on cydifflib where it is installed (on a Python without its wheel, on difflib's own):
    # the same blocks, opcodes and ratio as difflib's, word for word.
    ours, theirs = (
        words_module.matcher(old, new),
        difflib.SequenceMatcher(a=old, b=new, autojunk=False),
    )
    assert [tuple(block) for block in ours.get_matching_blocks()] == [tuple(b) for b in theirs.get_matching_blocks()]
    assert ours.get_opcodes() == theirs.get_opcodes()
    assert ours.ratio() == theirs.ratio()


@settings(max_examples=100, deadline=None)
@given(editions=st.lists(_TEXT, min_size=2, max_size=4))
def test_editions_compared_in_order_read_as_each_pair_compared_alone(editions):
    # An edition's clauses are kept from the comparison where it was the new text for the next, where it is the old.
    in_order = [compare(old, new) for old, new in zip(editions, editions[1:], strict=False)]
    alone = []
    for old, new in zip(editions, editions[1:], strict=False):
        diff_module._text.cache_clear()
        alone.append(compare(old, new))
    assert in_order == alone


@settings(max_examples=30, deadline=None)
@given(old=_TEXT, new=_TEXT)
def test_without_cydifflib_the_comparisons_run_on_difflib_with_the_same_results(old, new, diff_on_difflib):
    # cydifflib has no wheel for every Python the project runs on (none for 3.14): there pip does not install it, and
    # the comparisons run on difflib's own SequenceMatcher, which gives the same results, only slower.
    fallback = diff_on_difflib
    assert fallback.words.SequenceMatcher is difflib.SequenceMatcher and fallback.diff.matcher is fallback.words.matcher
    assert [dataclasses.astuple(c) for c in fallback.diff.compare(old, new)] == [
        dataclasses.astuple(c) for c in compare(old, new)
    ]


@pytest.fixture(scope="module")
def diff_on_difflib():
    """text/words.py and text/diff.py loaded again, as where cydifflib is not installed; the real modules untouched."""
    loaded = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "cydifflib", None)  # import cydifflib raises ImportError, as where it is missing
        for module in (words_module, diff_module):  # words first: diff imports the one loaded again
            spec = importlib.util.spec_from_file_location(module.__name__, module.__file__)
            assert spec is not None and spec.loader is not None
            loaded[module.__name__] = importlib.util.module_from_spec(spec)
            patch.setitem(sys.modules, spec.name, loaded[module.__name__])  # until the real ones are put back
            spec.loader.exec_module(loaded[module.__name__])
    return SimpleNamespace(words=loaded[words_module.__name__], diff=loaded[diff_module.__name__])
