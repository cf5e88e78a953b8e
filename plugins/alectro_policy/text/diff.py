"""What changed between two editions, clause by clause: each clause with the one it came from, a changed one word
by word (``words``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, TypeVar, cast

from .clauses import PREAMBLE_LABEL, Clause, number_of_key, split_clauses
from .words import Segment, cut_words, matcher, styled, styles_of, word_segments

NUMBER_AT_START = re.compile(r"^\s*\d+(?:\.\d+)*\.(?=\s)\s*")
"""The number a clause's or a section's first line starts with: ``4.3. `` or ``4. ``."""
# The same number inside a block's rendered HTML: ``<p>4.3. …`` or ``<h2>4. …``.
_NUMBER_IN_MARKUP = re.compile(r"^(<[a-z0-9]+>)\s*\d+(?:\.\d+)*\.(?=\s)\s*")

Status = Literal["unchanged", "changed", "added", "removed", "moved"]
"""``moved``: the same words under another number (a section inserted before it); a clause that moved and
changed is ``changed`` with ``moved_from``."""
_T = TypeVar("_T")

# The one table of what happened to clauses, in the forms that agree with what is named: «изменён п. 2.1»,
# «изменено вступление», «изменены пп. 2.1, 4.3»; the history and the changes pages both read it.
_VERB_FORMS: dict[str, tuple[str, str, str]] = {
    "changed": ("изменён", "изменено", "изменены"),
    "added": ("добавлен", "добавлено", "добавлены"),
    "removed": ("исключён", "исключено", "исключены"),
    # Not a participle agreeing with one clause: the groups name each move, «п. 4.3 стал п. 5.3».
    "moved": ("изменена нумерация:", "изменена нумерация:", "изменена нумерация:"),
}
# Two clauses of different numbers are one clause moved when this share of their words is the same.
_SAME_CLAUSE_RATIO = 0.6


def status_verb(status: Status, label: str, count: int = 1) -> str:
    """Return the participle for ``count`` clauses with ``status``, the first of them named ``label``.

    «вступление» is neuter; «п.», «разд.», «заголовок» and a heading's title are masculine.
    """
    masculine, neuter, plural = _VERB_FORMS[status]
    if count > 1:
        return plural
    return neuter if label == PREAMBLE_LABEL else masculine


@dataclass(frozen=True)
class ClauseChange:
    key: str
    label: str
    status: Status
    segments: tuple[Segment, ...]
    moved_from: str | None = None
    """The label it had in the previous edition when its number changed («п. 4.3»), else None."""

    @property
    def number(self) -> str | None:
        return number_of_key(self.key)

    @property
    def verb(self) -> str:
        """What happened to it, agreeing with its label: «изменён», «изменено» (вступление)…"""
        if self.status == "moved":
            return f"был {self.moved_from}"
        return status_verb(self.status, self.label) if self.status != "unchanged" else "без изменений"

    @property
    def heading(self) -> str:
        """How the changes page and ``make changes`` title it: «П. 2.1: изменён», «П. 4.3 стал п. 5.3»,
        «П. 4.3 стал п. 5.3 и изменён»."""
        if self.moved_from is not None:
            moved = f"{_capitalised(self.moved_from)} стал {self.label}"
            return moved if self.status == "moved" else f"{moved} и {self.verb}"
        return f"{_capitalised(self.label)}: {self.verb}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class _Text:
    """A text's clauses as compared, with what each comparison reads of a clause, worked out once: an edition is the
    new text of one comparison and the old text of the next (``_text`` keeps it in between)."""

    clauses: tuple[Clause, ...]
    _read: dict[tuple[str, int], object] = field(default_factory=dict, compare=False, repr=False)

    def after_number(self, index: int) -> tuple[str, ...]:
        return self._once(("after_number", index), lambda: _words_after_number(self.clauses[index]))

    def counts(self, index: int) -> tuple[Counter[str], int]:
        """The clause's words after its number, counted, and how many they are."""
        return self._once(("counts", index), lambda: (Counter(self.after_number(index)), len(self.after_number(index))))

    def words(self, index: int) -> tuple[list[tuple[str, str]], list[str] | None]:
        """The clause's words, each with the spaces after it, and each word's key with how it is set
        (``words.styles_of``), None when that cannot be told."""

        def read() -> tuple[list[tuple[str, str]], list[str] | None]:
            clause = self.clauses[index]
            words, styles = cut_words(clause.text), styles_of(clause)
            same = styles is not None and len(styles) == len(words)
            return words, styled([word for word, _ in words], styles) if styles is not None and same else None

        return self._once(("words", index), read)

    def _once(self, what: tuple[str, int], read: Callable[[], _T]) -> _T:
        if what not in self._read:
            self._read[what] = read()
        return cast(_T, self._read[what])


# Two: the text just compared as the new one is the old one of the next comparison (the editions of a document are
# compared in order); each keeps the words of the clauses it changed, a few MB for the largest texts.
@lru_cache(maxsize=2)
def _text(markdown: str) -> _Text:
    return _Text(tuple(split_clauses(markdown)))


def compare(old_markdown: str, new_markdown: str) -> tuple[ClauseChange, ...]:
    """Return every clause of either text with its status, in the new text's order.

    Each clause of the new text is compared with the clause it came from, found by its words before its
    number: a section inserted before others moves them («п. 4.3 стал п. 5.3»), it deletes nothing. A
    removed clause appears right after the clause that preceded it in the old text.
    """
    old, new = _text(old_markdown), _text(new_markdown)
    old_clauses, new_clauses = old.clauses, new.clauses
    came_from = _origins(old, new)
    kept = set(came_from.values())
    # Removed clauses, keyed by the index of the old clause kept before them (None: at the start).
    removed_after: dict[int | None, list[Clause]] = {}
    anchor: int | None = None
    for index, clause in enumerate(old_clauses):
        if index in kept:
            anchor = index
        else:
            removed_after.setdefault(anchor, []).append(clause)

    def removed(index: int | None) -> list[ClauseChange]:
        return [
            ClauseChange(clause.key, clause.label, "removed", (Segment("deleted", clause.text),))
            for clause in removed_after.pop(index, [])
        ]

    result = removed(None)
    for index, clause in enumerate(new_clauses):
        origin = came_from.get(index)
        result.append(_compare_clause(old, origin, new, index) if origin is not None else _added(clause))
        if origin is not None:
            result.extend(removed(origin))
    # Clauses removed after an old clause that moved up past them: at the end, in the old text's order.
    for after in sorted(removed_after, key=lambda key: -1 if key is None else key):
        result.extend(removed(after))
    return tuple(result)


def _kind(key: str) -> str:
    """What sort of clause a key names: only clauses of one sort can be one clause moved."""
    number = number_of_key(key.removesuffix(":text").split("~")[0])
    if number is not None:
        return ("clause" if "." in number else "section") + (":text" if key.endswith(":text") else "")
    return "heading" if key.startswith("heading:") else key


def _words_after_number(clause: Clause) -> tuple[str, ...]:
    """A clause's words without the number it starts with: what stays when only its number changes."""
    first, _, rest = clause.text.partition("\n")
    if clause.key.startswith("p") and not clause.key.endswith(":text"):
        first = NUMBER_AT_START.sub("", first, count=1)
    return tuple(first.split()) + tuple(rest.split())


def followed(old_markdown: str, new_markdown: str, key: str) -> Clause | None:
    """Return the clause of ``new_markdown`` that the clause ``key`` of ``old_markdown`` became, found as
    :func:`compare` finds it (the same words under another number are the same clause); None when the old text has
    no such clause or the new one dropped it."""
    old, new = _text(old_markdown), _text(new_markdown)
    at = next((index for index, clause in enumerate(old.clauses) if clause.key == key), None)
    if at is None:
        return None
    became = [new.clauses[j] for j, i in _origins(old, new).items() if i == at]
    return became[0] if became else None


def _origins(old_text: _Text, new_text: _Text) -> dict[int, int]:
    """Return, for each clause of ``new_text`` that came from a clause of ``old_text``, the index of that clause.

    A clause under the same key that reads the same is that clause. Of the rest, runs of clauses with the
    same words in the same order are the same clauses (whatever their numbers); then the most alike pairs
    of one sort are matched, then the pairs that kept their key.
    """
    old, new = old_text.clauses, new_text.clauses
    at_key = {clause.key: index for index, clause in enumerate(old)}
    origins: dict[int, int] = {}
    for j, clause in enumerate(new):
        i = at_key.get(clause.key)
        if i is not None and old[i].canonical == clause.canonical:
            origins[j] = i
    taken = set(origins.values())
    left_old = [i for i in range(len(old)) if i not in taken]
    left_new = [j for j in range(len(new)) if j not in origins]
    if not left_old or not left_new:
        return origins
    # Each clause's words as one number: equal words, equal numbers (a tuple's hash is not kept, a number's is free).
    ids: dict[tuple[str, ...], int] = {}
    runs = matcher(
        [ids.setdefault(old_text.after_number(i), len(ids)) for i in left_old],
        [ids.setdefault(new_text.after_number(j), len(ids)) for j in left_new],
    )
    for block in runs.get_matching_blocks():
        for offset in range(block.size):
            origins[left_new[block.b + offset]] = left_old[block.a + offset]
    taken = set(origins.values())
    left_old = [i for i in left_old if i not in taken]
    left_new = [j for j in left_new if j not in origins]
    by_key = {old[i].key: i for i in left_old}
    if set(by_key) == {new[j].key for j in left_new}:
        # Clauses edited where they stand (the usual edition): nothing moved, each is the clause of its key.
        origins.update((j, by_key[new[j].key]) for j in left_new)
        return origins
    old_kinds = {i: _kind(old[i].key) for i in left_old}
    candidates = []
    for j in left_new:
        kind = _kind(new[j].key)
        for i in left_old:
            if old_kinds[i] != kind:
                continue
            same_key = old[i].key == new[j].key
            if not same_key and not _may_be_alike(old_text.counts(i), new_text.counts(j)):
                continue
            words = old_text.after_number(i), new_text.after_number(j)
            ratio = matcher(*words).ratio()
            if ratio >= _SAME_CLAUSE_RATIO or same_key:
                # Alike first; a clause rewritten in place keeps its key and is still that clause.
                candidates.append((ratio >= _SAME_CLAUSE_RATIO, ratio, same_key, -abs(i - j), j, i))
    for *_, j, i in sorted(candidates, reverse=True):
        if j not in origins and i not in taken:
            origins[j] = i
            taken.add(i)
    return origins


def _may_be_alike(old_counted: tuple[Counter[str], int], new_counted: tuple[Counter[str], int]) -> bool:
    """Whether two clauses' words (counted, ``_Text.counts``) may reach ``_SAME_CLAUSE_RATIO``: difflib's two upper
    bounds of the ratio (``real_quick_ratio``: the lengths; ``quick_ratio``: the words shared, in any order), the
    counts made once per clause rather than once per pair. A pair below either bound is never compared word by
    word."""
    (old, old_length), (new, new_length) = old_counted, new_counted
    length = old_length + new_length
    if not length:
        return True
    if 2.0 * min(old_length, new_length) / length < _SAME_CLAUSE_RATIO:
        return False
    small, large = (old, new) if len(old) <= len(new) else (new, old)
    shared = sum(min(count, large[word]) for word, count in small.items() if word in large)
    return 2.0 * shared / length >= _SAME_CLAUSE_RATIO


def _added(new: Clause) -> ClauseChange:
    return ClauseChange(new.key, new.label, "added", (Segment("inserted", new.text),))


def _compare_clause(old_text: _Text, origin: int, new_text: _Text, index: int) -> ClauseChange:
    """Clause ``index`` of ``new_text`` compared with clause ``origin`` of ``old_text``, the one it came from."""
    old, new = old_text.clauses[origin], new_text.clauses[index]
    moved_from = old.label if old.key != new.key else None
    # As rendered, not as typed: a clause re-wrapped or re-spaced is unchanged.
    if old.canonical == new.canonical:
        return _unchanged(new.key, new.label, new.text)
    if moved_from is not None and old_text.after_number(origin) == new_text.after_number(index):
        if _unnumbered(old.canonical) == _unnumbered(new.canonical):
            return ClauseChange(new.key, new.label, "moved", (Segment("same", new.text),), moved_from)
    (old_words, old_keys), (new_words, new_keys) = old_text.words(origin), new_text.words(index)
    if old_keys is None or new_keys is None:
        old_keys, new_keys = [word for word, _ in old_words], [word for word, _ in new_words]
    segments = word_segments(old_words, new_words, old_keys, new_keys)
    return ClauseChange(new.key, new.label, "changed", segments, moved_from)


# Bounded by count as reading's caches are: a clause unchanged through many editions is one object in all their
# comparisons, which their records keep for the whole build (51 editions of a 100 KB text: 11 MiB less at peak).
@lru_cache(maxsize=8192)
def _unchanged(key: str, label: str, text: str) -> ClauseChange:
    return ClauseChange(key, label, "unchanged", (Segment("same", text),))


def _unnumbered(canonical: tuple[str, ...]) -> tuple[str, ...]:
    if not canonical:
        return canonical
    return (_NUMBER_IN_MARKUP.sub(r"\1", canonical[0], count=1),) + canonical[1:]


def changed_clauses(changes: tuple[ClauseChange, ...]) -> tuple[ClauseChange, ...]:
    """Return the clauses that are not unchanged."""
    return tuple(change for change in changes if change.status != "unchanged")
