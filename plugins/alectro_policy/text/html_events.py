"""HTML read as the standard library's ``html.parser`` reads it, several times faster for the HTML pages are made of.

``html.parser`` decides what a reader is shown (``reading``'s blocks, ``output.reader_text``'s published checksum),
so its reading is the format: this module must never read otherwise. It reads the plain forms Python-Markdown and
the theme write (a tag with double-quoted attributes, an end tag, text, a comment, the doctype, a script or style
that ends plainly) and hands the rest of the text, from the first thing that is not one of them, to the parser
itself. The forms read here are those on which versions of ``html.parser`` agree, the 2025 changes to scripts,
comments and raw text elements included; where they differ (an attribute value with ``&``: newer versions decode
fewer references) the running ``html.parser`` reads the tag. And should a later ``html.parser`` read one of these
forms otherwise, a probe of them all when the module loads (``PROBE``) leaves every page to it. A test compares the
two over generated pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser

_SPACE = "[ \t\n\r\f]"
_TOKEN = re.compile(
    r"([^<]*+)(?:"  # 1: text up to the next "<", then one of
    rf"<([a-zA-Z][-a-zA-Z0-9]*)((?:{_SPACE}+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"]*\")?)*){_SPACE}*(/?)>"  # 2-4: a tag
    r"|</([a-zA-Z][-a-zA-Z0-9]*)>"  # 5: an end tag
    r"|<!--(?![->])((?:[^-]|-(?!-))*)-->"  # 6: a comment with no "--" inside (versions differ on those)
    r"|<!([dD][oO][cC][tT][yY][pP][eE][^>]*)>"  # 7: the doctype
    r")?"
)
_ATTRIBUTES = rf"(?:{_SPACE}+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"]*\")?)*+{_SPACE}*+"
_ATTRIBUTE = re.compile(rf"{_SPACE}+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(=\"([^\"]*)\")?")
_RAW_TEXT = frozenset({"script", "style"})
"""Elements whose content is not markup up to their end tag (``HTMLParser.CDATA_CONTENT_ELEMENTS``)."""
_ESCAPABLE_TEXT = frozenset({"title", "textarea"})
_OWN_TEXT = _ESCAPABLE_TEXT | {"xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
"""Elements that newer versions of ``html.parser`` read as raw text, or as text with references (``_ESCAPABLE_TEXT``):
read here only when their content holds no ``<``, nor ``&`` but where references count in every version (then every
version reads it as the same text)."""


def read_html(parser: HTMLParser, markup: str, until: Callable[[], bool] | None = None) -> None:
    """Have ``parser`` (an ``HTMLParser`` made with ``convert_charrefs=True``, not fed yet) read the whole of
    ``markup``: its ``handle_*`` methods are called as ``parser.feed(markup); parser.close()`` would call them, with
    the same arguments in the same order. ``until``: a test asked after each end tag; once it holds, the rest of
    ``markup`` is not read (for a parser whose result the rest can no longer change)."""
    if not _AGREES:
        parser.feed(markup)
        parser.close()
        return
    _read(parser, markup, until)


def _read(parser: HTMLParser, markup: str, until: Callable[[], bool] | None = None) -> None:
    position: int | None = 0
    while position is not None and position < len(markup):
        position = _read_plain(parser, markup, position, until)
        if position is not None and position < 0:
            parser.feed(markup[-position - 1 :])
            break
    if position is not None:
        parser.close()


def _read_plain(parser: HTMLParser, markup: str, position: int, until: Callable[[], bool] | None) -> int | None:
    """Read ``markup`` into ``parser`` from ``position`` on, up to the end, up to ``until`` holding (then None), up
    to the end of a raw text element (then where it ends) or up to a form not read here (then ``-1 - where``)."""
    data, start, start_end, end = (
        parser.handle_data,
        parser.handle_starttag,
        parser.handle_startendtag,
        parser.handle_endtag,
    )
    match = _TOKEN.match
    while True:
        token = match(markup, position)
        if token is None:  # never: every part of the pattern may be empty
            return -1 - position
        text = token.group(1)
        if text:
            data(unescape(text) if "&" in text else text)
        kind = token.lastindex
        if kind == 4:
            tag, closed = token.group(2, 4)
            tag = tag.lower()
            if tag in _RAW_TEXT or tag in _OWN_TEXT:
                return _read_raw_text(parser, markup, token, tag)
            (start_end if closed else start)(tag, _attributes(token))
        elif kind == 5:
            end(token.group(5).lower())
            if until is not None and until():
                return None
        elif kind == 6:
            parser.handle_comment(token.group(6))
        elif kind == 7:
            parser.handle_decl(token.group(7))
        else:  # text and then the end, or a form not read here
            position = token.end()
            return position if position == len(markup) else -1 - position
        position = token.end()


def _read_raw_text(parser: HTMLParser, markup: str, token: re.Match[str], tag: str) -> int:
    """Read a ``tag`` element whose content is not markup (``token``: its start tag); return where it ends, or
    ``-1 - where it starts`` when versions of ``html.parser`` may read it otherwise (a ``</`` or ``<!--`` inside,
    no plain end tag)."""
    start, tag_start = token.end(), token.start(2) - 1
    content_end = markup.find("<", start) if tag in _OWN_TEXT else markup.find("</", start)
    if (
        token.group(4)
        or tag == "plaintext"
        or content_end < 0
        or markup[content_end : content_end + len(tag) + 3].lower() != f"</{tag}>"
        or (tag in _RAW_TEXT and "<!--" in markup[start:content_end])
        or (tag not in _RAW_TEXT and tag not in _ESCAPABLE_TEXT and "&" in markup[start:content_end])
    ):
        return -1 - tag_start
    parser.handle_starttag(tag, _attributes(token))
    if content_end > start:
        content = markup[start:content_end]
        parser.handle_data(content if tag in _RAW_TEXT else unescape(content))
    parser.handle_endtag(tag)
    return content_end + len(tag) + 3


def _attributes(token: re.Match[str]) -> list[tuple[str, str | None]]:
    """The attributes of the start tag ``token`` holds, as ``html.parser`` gives them to ``handle_starttag``."""
    markup = token.group(3)
    if not markup:
        return []
    if "&" in markup:  # versions decode references in attribute values differently: the running one reads them
        return _parsed_attributes(token.string[token.start(2) - 1 : token.end()])
    return [(name.lower(), value if equals else None) for name, equals, value in _ATTRIBUTE.findall(markup)]


class _Tag(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes = attrs

    handle_startendtag = handle_starttag


def _parsed_attributes(tag: str) -> list[tuple[str, str | None]]:
    """The attributes of one start tag read by ``html.parser`` itself (a tag reads alike alone and in a page)."""
    parser = _Tag()
    parser.feed(tag)
    parser.close()
    return parser.attributes


def _plain_forms() -> re.Pattern[str]:
    raw = "|".join(
        rf"<(?i:{tag})(?=[ \t\n\r\f>]){_ATTRIBUTES}>(?:[^<]++|<(?!/|!--))*+</(?i:{tag})>" for tag in _RAW_TEXT
    )
    own = "|".join(
        rf"<(?i:{tag})(?=[ \t\n\r\f>]){_ATTRIBUTES}>{'[^<]' if tag in _ESCAPABLE_TEXT else '[^<&]'}*+</(?i:{tag})>"
        for tag in _OWN_TEXT - {"plaintext"}
    )
    special = "|".join(sorted(_RAW_TEXT | _OWN_TEXT))
    return re.compile(
        rf"(?:[^<]++|{raw}|{own}"
        rf"|<(?!(?i:{special})[ \t\n\r\f/>])[a-zA-Z][-a-zA-Z0-9]*+{_ATTRIBUTES}/?>"
        r"|</[a-zA-Z][-a-zA-Z0-9]*+>|<!--(?![->])(?:[^-]|-(?!-))*+-->|<![dD][oO][cC][tT][yY][pP][eE][^>]*+>)*+",
        # Case-blind in ASCII only, as html.parser: to Unicode's rules «ſ» is an «s», and «<ſcript>» is text to it.
        re.ASCII,
    )


_PLAIN = _plain_forms()


def reads_plainly(prefix: str) -> bool:
    """Return whether ``prefix`` is only forms ``read_html`` reads itself, whole (text, tags, comments, the doctype,
    scripts and styles with their end tags): then ``html.parser`` reads a text that follows it and starts with ``<``
    as a page of its own, and a parser that acts on nothing in ``prefix`` may be given only that text. A check in one
    regular expression, for a page whose beginning a parser skips (the theme's header before the article)."""
    return _AGREES and _PLAIN.fullmatch(prefix) is not None


class _Calls(HTMLParser):
    """Every call a parser is made, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.calls: list[tuple[object, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("start", tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("startend", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.calls.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.calls.append(("data", data))

    def handle_comment(self, data: str) -> None:
        self.calls.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self.calls.append(("decl", decl))


PROBE = (
    '<!doctype html><html lang="ru"><head><title>T &amp; «У»</title><style>p > a {}</style>'
    '<script>if (a < b && c) {}</script></head><body><!-- c --><p class="a b" hidden data-x="">1 &lt; 2'
    " &laquo;x&raquo;<br/><em>сл</em>ово</p><textarea>a &amp; b</textarea><iframe>i</iframe>"
    '<svg viewBox="0 0 1 1"><title>знач&amp;ок</title><style>y &lt; z</style><path d="M0"/></svg>'
    '<math><mi>x</mi><style>y &lt; z</style></math><a href="?a=1&amp;b">x</a></body></html>'
)
"""Every form this module reads itself, in HTML and in SVG and MathML (whose content a newer ``html.parser`` may
read otherwise: a style there is an element like any other, cpython's pull request 153028)."""


def _agrees_with_html_parser() -> bool:
    """Whether the running ``html.parser`` reads ``PROBE`` with the calls this module makes: if it ever reads a form
    otherwise (a Python newer than this module), the module leaves every page to it, slower but never different."""
    fast, parsed = _Calls(), _Calls()
    _read(fast, PROBE)
    parsed.feed(PROBE)
    parsed.close()
    return fast.calls == parsed.calls


_AGREES = _agrees_with_html_parser()
