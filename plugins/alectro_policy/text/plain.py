"""Text as every page, feed, job summary and terminal shows it: the one place characters are removed from it.

``displayable``, for any text (a policy's words too): what XML 1.0 forbids and invisible controls go, nothing a
reader reads. ``one_line`` and ``lines``, for text people typed elsewhere (a commit message, a pull request's
title): also every control character (ESC, BEL, …: a terminal obeys them) and format character (U+202E and the
other direction overrides and isolates, zero-width characters, the byte order mark: they reorder or hide what a
reader sees); tabs and other spaces read as one space.
"""

from __future__ import annotations

import re
import unicodedata

_REMOVED = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
"""Control, format, private-use, surrogate and unassigned code points: none is text a reader reads."""
_BREAKS = frozenset({"Zl", "Zp"})
# Not allowed in XML 1.0, or invisible controls: C0 but tab and newline, DEL, C1, surrogates, U+FFFE/U+FFFF.
_UNDISPLAYABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def displayable(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 forbids or that are invisible controls.

    Tabs and newlines stay; carriage returns become newlines; every other
    control character (C0, DEL, C1), lone surrogate and U+FFFE/U+FFFF is removed.
    """
    return _UNDISPLAYABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """Return ``text`` as one line: removed characters gone, every run of spaces and line breaks one space."""
    if text.isprintable():  # no control, format, private-use, unassigned or separator character but the space
        return " ".join(text.split())
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
