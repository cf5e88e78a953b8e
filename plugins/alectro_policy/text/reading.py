"""A policy's Markdown as a reader sees it: rendered by Python-Markdown and cut into its top-level blocks.

Editions and clauses are decided on this, never on the source's bytes: an edit that renders the same
(a line re-wrapped or joined, double spaces, tabs, a heading with or without a blank line after it,
``*`` or ``-`` before list items, a setext or an ATX title) changes nothing a reader sees, so it is no
edition and names no clause. The rendering is the site's (raw HTML shown as text, as on the policy's
pages), so clause recognition agrees with the anchors the page gets.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from itertools import islice, repeat

import markdown

from .document_text import reader_text
from .html_events import read_html

CLAUSE_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)+)\.(?=\s)")
"""A clause's paragraph starts with its number: ``2.1. …``."""
SECTION_NUMBER = re.compile(r"^\s*(\d+)\.(?=\s)")
"""A section's heading starts with its number: ``2. …``."""
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
ANCHORED_HEADINGS = frozenset({"h2", "h3"})
"""The headings that get a section's anchor on the page (``#p2``)."""

# The extensions MkDocs always enables that change how blocks render (toc only adds ids).
_EXTENSIONS = ("tables", "fenced_code")
_BLOCK_TAGS = r"(?:p|li|ul|ol|h[1-6]|blockquote|table|thead|tbody|tr|td|th|dl|dt|dd|div|hr)"
_SPACE_AT_BLOCK_EDGE = re.compile(rf"\s*(</?{_BLOCK_TAGS}\b[^>]*>)\s*")
# A loose list («- a» blank line «- b») wraps each item in <p>: the same list to a reader.
_CODE_BLOCK = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_MARKUP_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}
_LOOSE_ITEM = re.compile(r"<li><p>((?:(?!</?p\b).)*)</p></li>", re.DOTALL)


def clause_number(element: etree.Element) -> str | None:
    """Return the number a paragraph element starts with as a clause (``2.1``), or None."""
    if element.tag != "p":
        return None
    match = CLAUSE_NUMBER.match(element.text or "")
    return match.group(1) if match else None


def section_number(element: etree.Element) -> str | None:
    """Return the number a heading element starts with (``2`` or ``2.1``), or None."""
    if element.tag not in HEADINGS:
        return None
    text = element.text or ""
    match = SECTION_NUMBER.match(text) or CLAUSE_NUMBER.match(text)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Block:
    """One top-level block of a rendered document: a heading, a paragraph, a list, a table…"""

    tag: str
    canonical: str
    """Its HTML with the spacing a browser collapses collapsed: equal for equal renderings."""
    text: str
    """What a reader reads, spaces collapsed; a list's items one per line, each after «— »."""
    clause: str | None
    """For a paragraph that opens a clause, its number (``2.1``)."""
    section: str | None
    """For a heading that opens a section, its number (``2``)."""


class _ReaderText(HTMLParser):
    """The text of a block's final HTML as a reader reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._links: list[str | None] = []
        self._link_text: list[int] = []
        self._in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_pre += tag == "pre"
        if tag == "li":
            self.parts.append("\n— ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("p", "tr", "pre") or tag in HEADINGS:
            # The first paragraph of a loose list's item stays on the item's line.
            if not self._after_item_mark():
                self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "a":
            self._links.append(dict(attrs).get("href"))
            self._link_text.append(len(self.parts))

    def _after_item_mark(self) -> bool:
        """Whether what is read so far ends with a list item's «—», spaces, tabs and line breaks aside (the last
        part that holds anything else says it: no joining of all parts at each paragraph of a long list)."""
        for part in reversed(self.parts):
            kept = part.rstrip(" \t\n")
            if kept:
                return kept.endswith("—")
        return False

    def handle_endtag(self, tag: str) -> None:
        self._in_pre -= tag == "pre"
        if tag == "a" and self._links:
            href, start = self._links.pop(), self._link_text.pop()
            shown = "".join(self.parts[start:]).strip()
            # A link's target is part of what it says («почта (mailto:…)»), unless the text is the address.
            if href and not href.startswith("#") and href not in (shown, f"mailto:{shown}"):
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        # Line breaks in the source are spaces to a reader; only a code block keeps its lines.
        self.parts.append(data if self._in_pre else _collapsed(data))

    def text(self) -> str:
        lines = ("".join(self.parts)).split("\n")
        return "\n".join(line for line in (" ".join(line.split()) for line in lines) if line)


# Inline markup that sets a word apart without changing it: a word put in italics is still a change.
_STYLE_TAGS = frozenset({"em", "strong", "code", "a", "del", "ins", "sup", "sub", "mark", "b", "i", "u", "s"})


class _WordStyles(_ReaderText):
    """The words of a block's HTML as ``_ReaderText`` reads them, each with the inline markup around it."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.words: list[tuple[str, str]] = []
        self._last = " "

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        before = len(self.parts)
        super().handle_starttag(tag, attrs)
        self._add_words(before)
        if tag in _STYLE_TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]
        before = len(self.parts)
        super().handle_endtag(tag)
        self._add_words(before)

    def handle_data(self, data: str) -> None:
        before = len(self.parts)
        super().handle_data(data)
        self._add_words(before)

    def _add_words(self, since: int) -> None:
        text = "".join(self.parts[since:])
        if not text:
            return
        style = "+".join(sorted(self.open))
        words = text.split()
        # A word cut by markup («<em>слов</em>о») is one word to a reader: its parts join.
        glued = bool(words) and bool(self.words) and not text[0].isspace() and not self._last.isspace()
        if glued:
            previous, previous_style = self.words[-1]
            self.words[-1] = (previous + words[0], f"{previous_style}|{style}")
        self.words.extend(zip(islice(words, 1 if glued else 0, None), repeat(style)))
        self._last = text[-1]


def word_styles(canonical: tuple[str, ...]) -> list[tuple[str, str]]:
    """Return the words of rendered blocks as a reader reads them, each with the inline markup it is set in
    (``"em"``, ``"strong"``, ``""``): the words are those of the blocks' reader text."""
    return [word for markup in canonical for word in _block_word_styles(markup)]


# Bounded as _piece_blocks is: a clause changed in one edition was the new clause of the comparison before.
@lru_cache(maxsize=4096)
def _block_word_styles(markup: str) -> tuple[tuple[str, str], ...]:
    parser = _WordStyles()
    read_html(parser, markup)
    return tuple(parser.words)


def _reader_text(markup: str) -> str:
    parser = _ReaderText()
    read_html(parser, markup)
    return parser.text()


def _collapsed(text: str) -> str:
    """``text`` with each run of whitespace one space, as a regular expression's ``\\s+`` replaced by one space
    would give (``str.split`` splits on the very characters ``\\s`` matches: ``str.isspace``'s), many times faster
    on a long text."""
    words = text.split()
    if not words:
        return " " if text else ""
    inner = " ".join(words)
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


def _character(entity: re.Match[str]) -> str:
    # «&laquo;» and «» read the same; the four HTML needs escaped stay escaped, so text never turns into markup.
    character = html.unescape(entity.group(0))
    return _MARKUP_ENTITY.get(character, character)


def _canonical(tag: str, markup: str) -> str:
    if tag == "pre":
        return markup.strip()
    # A code block keeps its spacing wherever it stands (in a list item, a quote); elsewhere spacing collapses.
    parts = _CODE_BLOCK.split(markup)
    collapsed = "".join(part if index % 2 else _collapsed(part) for index, part in enumerate(parts))
    collapsed = _SPACE_AT_BLOCK_EDGE.sub(r"\1", collapsed).strip()
    return _ENTITY.sub(_character, _LOOSE_ITEM.sub(r"<li>\1</li>", collapsed))


class _Renderer:
    """One Python-Markdown instance, reset between documents (creating one costs more than a conversion)."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=list(_EXTENSIONS))
        # Raw HTML is shown as text on a policy's pages: Python-Markdown's documented way, its HTML processors off.
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")

    def blocks(self, source: str) -> tuple[Block, ...]:
        md = self.md
        md.reset()
        # Markdown.convert's own first three steps, as its documentation names them (preprocessors, the block parser,
        # the tree processors): the finished tree is read here block by block, so its fourth and fifth (the whole
        # document serialized and post-processed) would be thrown away.
        if not source.strip():
            return ()  # as convert, which returns at once for blank text
        lines = source.split("\n")
        for preprocessor in md.preprocessors:
            lines = preprocessor.run(lines)
        root = md.parser.parseDocument(lines).getroot()
        if root is None:
            return ()  # never: the block parser always makes a root
        for treeprocessor in md.treeprocessors:
            replaced = treeprocessor.run(root)
            if replaced is not None:
                root = replaced
        result = []
        for element in root:
            html = self.md.serializer(element)
            for postprocessor in self.md.postprocessors:
                html = postprocessor.run(html)
            # A fenced code block reaches the tree as a placeholder paragraph.
            tag = "pre" if html.startswith("<pre") else element.tag
            result.append(
                Block(
                    tag=tag,
                    canonical=_canonical(tag, html),
                    text=_reader_text(html),
                    clause=clause_number(element),
                    section=section_number(element),
                )
            )
        return tuple(result)


_renderer: _Renderer | None = None

# A blank line before a heading, a numbered clause or a paragraph (a letter) at the start of a line ends whatever
# block came before: the text after it renders the same alone as in the whole document, so an edition re-renders
# only the paragraphs it changed. Unless the document has a fenced code block (a fence may hold such a line) or a
# link reference definition (used anywhere): then it is one piece.
_PIECE_BOUNDARY = re.compile(r"\n[ \t]*\n(?=#|\d+(?:\.\d+)+\.[ \t]|[^\W\d_])")
# A link reference definition counts wherever it stands (in a quote or a list item too), so any "]:" does.
_NEEDS_WHOLE_DOCUMENT = re.compile(r"^[ ]{0,3}(?:`{3,}|~{3,})|\]:", re.MULTILINE)


# Bounded by count, small enough that a long history of a large text cannot fill memory (a history where every
# commit re-wraps a line is as many distinct texts as commits); neighbours in the history share the cache.
@lru_cache(maxsize=4096)
def _piece_blocks(piece: str) -> tuple[Block, ...]:
    global _renderer
    if _renderer is None:
        _renderer = _Renderer()
    return _renderer.blocks(piece)


# Room for every text of a long history (Automattic's: 168 distinct texts), each asked again late in the build (its
# clauses, its title): at 64 each was split and looked up again, 711 times in all. The tuples share the pieces'
# blocks; what the bound weighs is the texts kept as keys (256 of a 75 KB document: 19 MB).
@lru_cache(maxsize=256)
def blocks(source: str) -> tuple[Block, ...]:
    """Return the top-level blocks of ``source`` (Markdown) as the site renders them, in order.

    Rendered section by section and cached by text: consecutive editions share most of their sections,
    so a history of a thousand editions renders each changed section once, not every whole text.
    """
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    # The expression only where what it looks for is (str's search, many times faster than its scan of a long text).
    if any(mark in source for mark in ("]:", "```", "~~~")) and _NEEDS_WHOLE_DOCUMENT.search(source):
        return _piece_blocks(source)
    return tuple(block for piece in _PIECE_BOUNDARY.split(source) for block in _piece_blocks(piece))


def clear_cache() -> None:
    """Forget every rendered text (for a benchmark that must start cold, as a build does)."""
    blocks.cache_clear()
    _piece_blocks.cache_clear()
    _block_word_styles.cache_clear()


_IMAGE_SOURCE = re.compile(r'<img\b[^>]*?\bsrc="([^"]*)"')


def image_sources(source: str) -> list[str]:
    """Return the ``src`` of every image the rendered text shows, in order (as written, entities decoded)."""
    return [html.unescape(src) for block in blocks(source) for src in _IMAGE_SOURCE.findall(block.canonical)]


def reads_the_same(first: str, second: str) -> bool:
    """Return whether two Markdown texts render to the same blocks: a reader cannot tell them apart."""
    return first == second or [b.canonical for b in blocks(first)] == [b.canonical for b in blocks(second)]


_UNREADABLE = "\0"


def seen_text(source: bytes) -> str:
    """Return what ``sees_a_difference`` compares of a document's file: its text (``document_text.reader_text``),
    or, for a file that is not readable text, a mark of its bytes: unlike any text, and the same only for the
    same bytes (a build names such a file and the fix; until then, only a change of its bytes is a change)."""
    text = reader_text(source)
    return _UNREADABLE + hashlib.sha256(source).hexdigest() if text is None else text


def sees_a_difference(before: str, after: str, before_pictures: object = (), after_pictures: object = ()) -> bool:
    """Return whether a reader sees a difference between two versions of a document: the one rule for what makes
    an edition, a draft, and a commit that must carry ``Edition: editorial``. ``before`` and ``after``: their
    texts (``seen_text``, or ``document_text.reader_text`` where a file that is not text was refused already);
    the pictures: what each shows (any comparable value). A re-wrapped line is no difference; a replaced
    picture is one."""
    if before_pictures != after_pictures:
        return True
    if before.startswith(_UNREADABLE) or after.startswith(_UNREADABLE):
        return before != after
    return not reads_the_same(before, after)


def first_heading(source: str) -> str | None:
    """Return the text of the document's first level-1 heading (ATX or setext, its Markdown rendered), or None."""
    return next((block.text for block in blocks(source) if block.tag == "h1" and block.text), None)
