"""Two texts compared word by word: each word with the spaces after it and how it is set (italics, a link…), and the
segments turning one into the other (``diff`` compares clause by clause, then the words of each clause changed)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# difflib's SequenceMatcher compiled, its results the same (test_diff.py), several times faster; installed only where
# it has wheels (pyproject.toml; none for 3.14, where it needs a C++ compiler): elsewhere difflib's own, slower.
try:
    from cydifflib import SequenceMatcher
except ImportError:
    from difflib import SequenceMatcher

from . import reading
from .clauses import Clause

Kind = Literal["same", "inserted", "deleted"]
# Each word with the spaces after it: words are compared, the spaces only kept for showing.
_WORDS = re.compile(r"(\S+)(\s*)")

# Inline markup that sets words apart (reading.word_styles reads which words): without it, every word is plain.
_INLINE_MARKUP = re.compile(r"<(?:em|strong|code|a|del|ins|sup|sub|mark|b|i|u|s)\b")


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


def matcher(old: Sequence, new: Sequence) -> SequenceMatcher:
    """difflib's matcher of two sequences (words, clauses' words as numbers), without its junk heuristic: a word
    frequent in a long clause is a word like any other."""
    return SequenceMatcher(a=old, b=new, autojunk=False)


def cut_words(text: str) -> list[tuple[str, str]]:
    """Return the words of ``text``, each with the spaces after it."""
    return _WORDS.findall(text)


def word_diff(
    old: str, new: str, old_styles: Sequence[str] | None = None, new_styles: Sequence[str] | None = None
) -> tuple[Segment, ...]:
    """Return the segments turning ``old`` into ``new``, compared word by word.

    Words are compared without the spaces between them (a line break and a space read the same);
    unchanged text keeps the new text's spacing. Marked segments hold words only: the space after a
    changed run stays unmarked. ``old_styles`` and ``new_styles``, one per word, are how each word is
    set (``reading.word_styles``): a word put in italics is then a changed word too.
    """
    old_words, new_words = cut_words(old), cut_words(new)
    old_keys = [word for word, _ in old_words]
    new_keys = [word for word, _ in new_words]
    if old_styles is not None and new_styles is not None:
        if len(old_styles) == len(old_keys) and len(new_styles) == len(new_keys):
            old_keys, new_keys = styled(old_keys, old_styles), styled(new_keys, new_styles)
    return word_segments(old_words, new_words, old_keys, new_keys)


def styled(words: Sequence[str], styles: Sequence[str]) -> list[str]:
    """Each word with how it is set: a word put in italics is another word."""
    return [f"{word}\0{style}" for word, style in zip(words, styles, strict=True)]


def word_segments(
    old_words: Sequence[tuple[str, str]],
    new_words: Sequence[tuple[str, str]],
    old_keys: Sequence[str],
    new_keys: Sequence[str],
) -> tuple[Segment, ...]:
    """``word_diff`` of texts cut into words (each with the spaces after it) and their keys, what is compared."""
    segments: list[Segment] = []

    def add(kind: Kind, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    def joined(words: Sequence[tuple[str, str]]) -> str:
        return "".join(word + space for word, space in words)

    for operation, a1, a2, b1, b2 in _opcodes(old_keys, new_keys):
        if operation == "equal":
            add("same", joined(new_words[b1:b2]))
            continue
        deleted, inserted = joined(old_words[a1:a2]), joined(new_words[b1:b2])
        # The whitespace both runs end with (or the only run's) is shared text, not a change.
        runs = [run for run in (deleted, inserted) if run]
        trailing = min((len(run) - len(run.rstrip()) for run in runs), default=0)
        shared = runs[-1][len(runs[-1]) - trailing :] if trailing else ""
        add("deleted", deleted[: len(deleted) - trailing] if deleted else "")
        add("inserted", inserted[: len(inserted) - trailing] if inserted else "")
        add("same", shared)
    return tuple(segments)


def _opcodes(old: Sequence[str], new: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes turning ``old`` into ``new``, the words both start and end with taken as they are first: a
    word changed in a long clause is then matched in the few words around it, not in the whole clause again."""
    shortest = min(len(old), len(new))
    start = 0
    while start < shortest and old[start] == new[start]:
        start += 1
    end = 0
    while end < shortest - start and old[-1 - end] == new[-1 - end]:
        end += 1
    middle = matcher(old[start : len(old) - end], new[start : len(new) - end])
    opcodes = [("equal", 0, start, 0, start)] if start else []
    opcodes += [(op, a1 + start, a2 + start, b1 + start, b2 + start) for op, a1, a2, b1, b2 in middle.get_opcodes()]
    if end:
        opcodes.append(("equal", len(old) - end, len(old), len(new) - end, len(new)))
    return opcodes


def styles_of(clause: Clause) -> list[str] | None:
    """How each word of the clause's text is set (italics, bold…), or None when they cannot be told apart."""
    if not any(_INLINE_MARKUP.search(block) for block in clause.canonical):
        return [""] * len(clause.text.split())
    styles = reading.word_styles(clause.canonical)
    return [style for _, style in styles] if [word for word, _ in styles] == clause.text.split() else None
