"""What changed between two editions: clause by clause, word by word."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from .clauses import Clause, number_of_key, split_clauses

Status = Literal["unchanged", "changed", "added", "removed"]
# Words with their trailing spaces, so that a diff of words keeps the spacing of the text.
_WORDS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Segment:
    kind: Literal["same", "inserted", "deleted"]
    text: str


@dataclass(frozen=True)
class ClauseChange:
    key: str
    label: str
    status: Status
    segments: tuple[Segment, ...]

    @property
    def number(self) -> str | None:
        return number_of_key(self.key)


def readable(markdown: str) -> str:
    """Return a clause's Markdown as a reader sees it: no heading marks, emphasis or autolink brackets."""
    text = re.sub(r"^#{1,6}\s+", "", markdown, flags=re.MULTILINE)
    text = re.sub(r"^\s*[-*+]\s+", "— ", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"<((?:https?|mailto):[^>\s]+)>", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r"\1 (\2)", text)
    return text


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Return the segments turning ``old`` into ``new``, compared word by word.

    Marked segments hold words only: the space after a changed run stays unmarked.
    """
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    segments: list[Segment] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            add("same", "".join(old_words[a1:a2]))
            continue
        deleted, inserted = "".join(old_words[a1:a2]), "".join(new_words[b1:b2])
        # The whitespace both runs end with (or the only run's) is shared text, not a change.
        runs = [run for run in (deleted, inserted) if run]
        trailing = min((len(run) - len(run.rstrip()) for run in runs), default=0)
        shared = runs[-1][len(runs[-1]) - trailing:] if trailing else ""
        add("deleted", deleted[: len(deleted) - trailing] if deleted else "")
        add("inserted", inserted[: len(inserted) - trailing] if inserted else "")
        add("same", shared)
    return tuple(segments)


def compare(old_markdown: str, new_markdown: str) -> tuple[ClauseChange, ...]:
    """Return every clause of either text with its status, in the new text's order.

    A removed clause appears right after the clause that preceded it in the old text.
    """
    old_clauses = split_clauses(old_markdown)
    old = {clause.key: clause for clause in old_clauses}
    new_clauses = split_clauses(new_markdown)
    new_keys = {clause.key for clause in new_clauses}
    # Removed clauses, keyed by the clause kept before them in the old text (None: at the start).
    removed_after: dict[str | None, list[Clause]] = {}
    anchor = None
    for clause in old_clauses:
        if clause.key in new_keys:
            anchor = clause.key
        else:
            removed_after.setdefault(anchor, []).append(clause)

    def removed(key: str | None) -> list[ClauseChange]:
        return [
            ClauseChange(clause.key, clause.label, "removed", (Segment("deleted", readable(clause.text)),))
            for clause in removed_after.get(key, [])
        ]

    result = removed(None)
    for clause in new_clauses:
        result.append(_compare_clause(old.get(clause.key), clause))
        result.extend(removed(clause.key))
    return tuple(result)


def _compare_clause(old: Clause | None, new: Clause) -> ClauseChange:
    new_text = readable(new.text)
    if old is None:
        return ClauseChange(new.key, new.label, "added", (Segment("inserted", new_text),))
    if old.text == new.text:
        return ClauseChange(new.key, new.label, "unchanged", (Segment("same", new_text),))
    return ClauseChange(new.key, new.label, "changed", word_diff(readable(old.text), new_text))


def changed_clauses(changes: tuple[ClauseChange, ...]) -> tuple[ClauseChange, ...]:
    """Return the clauses that are not unchanged."""
    return tuple(change for change in changes if change.status != "unchanged")
