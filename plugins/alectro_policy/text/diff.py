"""What changed between two editions: clause by clause, word by word."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from .clauses import PREAMBLE_LABEL, Clause, number_of_key, split_clauses

Status = Literal["unchanged", "changed", "added", "removed"]
# Each word with the spaces after it: words are compared, the spaces only kept for showing.
_WORDS = re.compile(r"(\S+)(\s*)")


Kind = Literal["same", "inserted", "deleted"]

# The one table of what happened to clauses, in the forms that agree with what is named: «изменён п. 2.1»,
# «изменено вступление», «изменены пп. 2.1, 4.3»; the history and the changes pages both read it.
_VERB_FORMS: dict[str, tuple[str, str, str]] = {
    "changed": ("изменён", "изменено", "изменены"),
    "added": ("добавлен", "добавлено", "добавлены"),
    "removed": ("исключён", "исключено", "исключены"),
}


def status_verb(status: Status, label: str, count: int = 1) -> str:
    """Return the participle for ``count`` clauses with ``status``, the first of them named ``label``.

    «вступление» is neuter; «п.», «разд.», «заголовок» and a heading's title are masculine.
    """
    masculine, neuter, plural = _VERB_FORMS[status]
    if count > 1:
        return plural
    return neuter if label == PREAMBLE_LABEL else masculine


@dataclass(frozen=True)
class Segment:
    kind: Kind
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

    @property
    def verb(self) -> str:
        """What happened to it, agreeing with its label: «изменён», «изменено» (вступление)…"""
        return status_verb(self.status, self.label) if self.status != "unchanged" else "без изменений"


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Return the segments turning ``old`` into ``new``, compared word by word.

    Words are compared without the spaces between them (a line break and a space read the same);
    unchanged text keeps the new text's spacing. Marked segments hold words only: the space after a
    changed run stays unmarked.
    """
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(
        a=[word for word, _ in old_words], b=[word for word, _ in new_words], autojunk=False
    )
    segments: list[Segment] = []

    def add(kind: Kind, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    def joined(words: list[tuple[str, str]]) -> str:
        return "".join(word + space for word, space in words)

    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
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
            ClauseChange(clause.key, clause.label, "removed", (Segment("deleted", clause.text),))
            for clause in removed_after.get(key, [])
        ]

    result = removed(None)
    for clause in new_clauses:
        result.append(_compare_clause(old.get(clause.key), clause))
        result.extend(removed(clause.key))
    return tuple(result)


def _compare_clause(old: Clause | None, new: Clause) -> ClauseChange:
    if old is None:
        return ClauseChange(new.key, new.label, "added", (Segment("inserted", new.text),))
    # As rendered, not as typed: a clause re-wrapped or re-spaced is unchanged.
    if old.canonical == new.canonical:
        return ClauseChange(new.key, new.label, "unchanged", (Segment("same", new.text),))
    return ClauseChange(new.key, new.label, "changed", word_diff(old.text, new.text))


def changed_clauses(changes: tuple[ClauseChange, ...]) -> tuple[ClauseChange, ...]:
    """Return the clauses that are not unchanged."""
    return tuple(change for change in changes if change.status != "unchanged")
