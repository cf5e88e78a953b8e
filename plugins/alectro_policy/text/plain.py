"""Text people typed elsewhere (a commit message, a pull request's title) as every page, feed, job summary and
terminal shows it: the one place control and direction characters are removed.

Removed: control characters (ESC, BEL, …: a terminal obeys them) and format characters (U+202E and the other
direction overrides and isolates, zero-width characters, the byte order mark: they reorder or hide what a
reader sees). Tabs and other spaces read as one space.
"""

from __future__ import annotations

import unicodedata

_REMOVED = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
"""Control, format, private-use, surrogate and unassigned code points: none is text a reader reads."""
_BREAKS = frozenset({"Zl", "Zp"})


def one_line(text: str) -> str:
    """Return ``text`` as one line: removed characters gone, every run of spaces and line breaks one space."""
    return " ".join("".join(" " if _breaks(c) else c for c in text if not _removed(c)).split())


def lines(text: str) -> str:
    """Return ``text`` with its line breaks kept (``\\n``), each line as ``one_line`` makes it, spaces at both ends
    gone: for a description of several paragraphs."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(one_line(line) for line in normal.split("\n")).strip()


def _removed(character: str) -> bool:
    return character not in "\t\n" and unicodedata.category(character) in _REMOVED


def _breaks(character: str) -> bool:
    return character in "\t\n" or unicodedata.category(character) in _BREAKS
