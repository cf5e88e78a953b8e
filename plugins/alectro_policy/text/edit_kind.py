"""Whether a change can be editorial: the one rule, read from the text whatever any message says.

Conservative on purpose (guides/editor.md, «Редакционная правка»): a change is editorial only if every clause
keeps its place and number, its sentences and its list items, and every word that changed is the same word
spelled otherwise: punctuation, quotes, dashes and spacing, letter case, «ё» for «е», emphasis, or a slip of one
letter (two in a word of eight letters or more) in a word of four letters or more that keeps its first
letter and is not the other word with letters put before it («несогласия» for «согласия», «недопустима» for
«допустима», «закрывать» for «раскрывать» are other words, not slips). Anything else is
substantive, whatever a trailer says: a clause, list item or sentence added, removed or moved; a word added,
removed or replaced; a number, date, address or link changed (a word with a digit, «/», «@» or «:» is compared
whole); a name changed (a word written with a capital letter inside a sentence is compared whole, but for
letter case).
Pictures are not text: a replaced picture is editorial only by its trailer.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .clauses import Clause, split_clauses
from .diff import compare

# Where one sentence ends and another begins on a line: a mark, then a space and more text (a full stop added or
# dropped at the end is punctuation; an abbreviation counts alike in both texts).
_SENTENCE_END = re.compile(r"[.!?…]+[»\"')]*(?=[ \t]+\S)")
# A word after these (or first in its block) starts a sentence: its capital letter is no name's.
_STARTS_AFTER = re.compile(r"[.!?…:]\W*$")
_LIST_ITEM = re.compile(r"^— ", re.MULTILINE)
# What a spelling may change without changing the word: everything but letters and digits, and «ё».
_NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)
_WHOLE = re.compile(r"[\d/@:]")
_QUOTED = 60
"""The longest run of words quoted in a reason: enough to find them in the clause."""


@dataclass(frozen=True)
class SubstantiveChange:
    """Why a change is substantive: the clause, as a reader names it, and what happened to it."""

    clause: str
    """«п. 3.1», «разд. 2», «вступление»: the clause's label in the new text (or the old, if removed)."""
    what: str
    """What makes the change substantive, in Russian: «добавлены слова «…»», «п. 4.3 стал п. 5.3»…"""

    def __str__(self) -> str:
        return f"{self.clause}: {self.what}"


def substantive_change(old: str, new: str) -> SubstantiveChange | None:
    """Return the first clause whose change is substantive between two Markdown texts (normalised, without front
    matter), or None when every change is editorial by the rule above (or there is none)."""
    old_clauses = {clause.key: clause for clause in split_clauses(old)}
    new_clauses = {clause.key: clause for clause in split_clauses(new)}
    for change in compare(old, new):
        if change.status == "unchanged":
            continue
        if change.status == "added":
            return SubstantiveChange(change.label, f"добавлен текст «{_quoted(new_clauses[change.key].text)}»")
        if change.status == "removed":
            return SubstantiveChange(change.label, f"исключён текст «{_quoted(old_clauses[change.key].text)}»")
        if change.moved_from is not None:
            return SubstantiveChange(change.label, f"{change.moved_from} стал {change.label}")
        reason = _changed_words(old_clauses[change.key], new_clauses[change.key])
        if reason is not None:
            return SubstantiveChange(change.label, reason)
    return None


def _changed_words(old: Clause, new: Clause) -> str | None:
    """Why the changed words of a clause kept in place make a substantive change, or None."""
    if len(_LIST_ITEM.findall(old.text)) != len(_LIST_ITEM.findall(new.text)):
        return "изменено число пунктов списка"
    if len(_SENTENCE_END.findall(old.text)) != len(_SENTENCE_END.findall(new.text)):
        return "изменено число предложений"
    old_words = [word for word in old.text.split() if _bare(word)]
    new_words = [word for word in new.text.split() if _bare(word)]
    matcher = difflib.SequenceMatcher(a=[_bare(w) for w in old_words], b=[_bare(w) for w in new_words], autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        before, after = old_words[a1:a2], new_words[b1:b2]
        if operation == "equal":
            continue
        if operation == "insert":
            return f"добавлены слова «{_quoted(' '.join(after))}»"
        if operation == "delete":
            return f"исключены слова «{_quoted(' '.join(before))}»"
        initial = [a1 + k == 0 or bool(_STARTS_AFTER.search(old_words[a1 + k - 1])) for k in range(len(before))]
        if len(before) != len(after) or not all(map(_respelled, before, after, initial)):
            return f"«{_quoted(' '.join(before))}» заменено на «{_quoted(' '.join(after))}»"
    return None


def _bare(word: str) -> str:
    """A word as spelling leaves it: lower case, «ё» as «е», without punctuation; empty for a dash or a quote."""
    return _NOT_WORD.sub("", word).lower().replace("ё", "е")


def _respelled(before: str, after: str, initial: bool = False) -> bool:
    """Whether two different words are one word with a typo corrected (the rule in the module's docstring);
    ``initial``: the word starts a sentence, so a capital letter does not make it a name."""
    old, new = _bare(before), _bare(after)
    if _WHOLE.search(before + after) or not (old.isalpha() and new.isalpha()):
        return False
    if not initial and (before[:1].isupper() or after[:1].isupper()):
        return False
    if min(len(old), len(new)) < 4:
        return False
    shorter, longer = sorted((old, new), key=len)
    if old[0] != new[0] or longer.endswith(shorter):
        # A prefix («не», «без», «раз»…) or another first letter makes another word, often the opposite one.
        return False
    return _distance(old, new) <= (2 if min(len(old), len(new)) >= 8 else 1)


def _distance(first: str, second: str) -> int:
    """Levenshtein distance: letters inserted, deleted or replaced to turn one word into the other."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTED else text[: _QUOTED - 1].rstrip() + "…"
