"""The main line of a history and what arrived on it: the one rule for what an edition is, whatever the merge.

Walking back from the tip, at a merge the main line follows the parent that was the main branch: the first
parent, except when the merge's message is git's own for merging the main branch into another line (``git
pull``'s «Merge branch 'main' of …», «Merge branch 'main' into …», «Merge remote-tracking branch
'origin/main'»): then the second. Published editions' commits, when known, decide first: the line is chosen so
that it passes through every one of them.

Each commit on the main line is one arrival: it brings every commit of its other parents that the main line
did not hold yet (a branch's commits, a squash's one, a fast-forward's each). Its summary is what the editor
wrote (never git's «Merge branch …» nor GitHub's «Merge pull request #N from …»); it is editorial only if every
commit in it that changes the document's text carries ``Edition: editorial``. Pure: no git process here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .git import Commit

_EDITORIAL_TRAILER = re.compile(r"^Edition:[ \t]*editorial[ \t]*$", re.IGNORECASE | re.MULTILINE)
# The subjects git, GitHub, GitLab and Bitbucket write for a merge themselves: never an editor's summary.
_DEFAULT_MERGE = re.compile(
    r"^(?:Merge (?:branch(?:es)?|remote-tracking branch(?:es)?|tags?|commit|pull request #\d+ from) |"
    r"Merged in \S+ \(pull request #\d+\))"
)
# GitHub's squash merge: «Title (#12)», the body listing each squashed commit's message as a «* …» paragraph.
_SQUASH_SUBJECT = re.compile(r"\(#\d+\)$")
_SQUASHED_ITEM = re.compile(r"^\* ", re.MULTILINE)
_PULL_REQUEST = re.compile(r"^(?:Merge pull request #\d+ from |Merged in \S+ \(pull request #\d+\))")


class MainLineError(ValueError):
    """A commit the main line must pass through is not in the history; ``commit`` names it."""

    def __init__(self, commit: str, message: str):
        super().__init__(message)
        self.commit = commit


@dataclass(frozen=True)
class Arrival:
    """One step of the main line: a commit and every commit it brought to the main line."""

    commit: Commit
    """The commit on the main line (a merge, a squash, or one commit of a fast-forward)."""
    brought: tuple[Commit, ...]
    """The commits that reached the main line with it, ``commit`` first, then newest to oldest."""


@dataclass(frozen=True)
class ArrivalMessage:
    """What an arrival says of a document: its summary and description, and whether it is editorial."""

    summary: str
    description: str
    editorial: bool


def is_editorial(message_body: str) -> bool:
    """Return whether a commit message carries the trailer ``Edition: editorial``."""
    return bool(_EDITORIAL_TRAILER.search(message_body))


def marks_editorial(commit: Commit) -> bool:
    """Return whether ``commit`` marks its change editorial. A GitHub squash commit («… (#12)») whose body lists
    the squashed commits' messages («* …») does so only if each of them carries the trailer: one squashed
    commit's trailer, copied into the body, never marks the others."""
    items = _SQUASHED_ITEM.split(commit.body)[1:]
    if _SQUASH_SUBJECT.search(commit.subject) and len(items) > 1:
        return all(is_editorial(item) for item in items)
    return is_editorial(commit.body)


def without_trailer(message_body: str) -> str:
    """Return a message body without its ``Edition: editorial`` trailer."""
    return _EDITORIAL_TRAILER.sub("", message_body).strip()


def is_default_merge_subject(subject: str) -> bool:
    """Return whether ``subject`` is one git or a forge wrote for a merge, not a person."""
    return bool(_DEFAULT_MERGE.match(subject))


def merges_main_into_another_line(subject: str, main_branch: str) -> bool:
    """Return whether ``subject`` is git's own message for merging ``main_branch`` into another line.

    ``git pull`` on a diverged branch («Merge branch 'main' of https://…»), ``git merge main`` on a branch
    («Merge branch 'main' into e1-word»), a remote's copy («Merge remote-tracking branch 'origin/main'»).
    In such a merge the main branch is the second parent.
    """
    name = re.escape(main_branch)
    pattern = rf"^Merge (?:branch '{name}' (?:of|into) \S.*|remote-tracking branch '[^'\s]+/{name}'(?: into \S.*)?)$"
    return bool(re.match(pattern, subject))


def main_line(
    graph: Sequence[Commit], head: str, main_branch: str = "main", through: Sequence[str] = ()
) -> list[Arrival]:
    """Return the main line of ``head`` as arrivals, oldest first.

    ``graph`` is every commit reachable from ``head`` (``git.history_graph``). ``through``: commits the line
    must pass through, oldest first (published editions'). Raises ``MainLineError`` naming the first of them
    that is not an ancestor of ``head`` or of the next one.
    """
    by_sha = {commit.sha: commit for commit in graph}
    order = {commit.sha: index for index, commit in enumerate(graph)}
    children: dict[str, list[str]] = {}
    for commit in graph:
        for parent in commit.parents:
            children.setdefault(parent, []).append(commit.sha)
    descendants: dict[str, set[str]] = {}

    def reaches(sha: str, pin: str) -> bool:
        """Whether ``pin`` is ``sha`` or one of its ancestors."""
        if pin not in descendants:
            seen, stack = {pin}, [pin]
            while stack:
                for child in children.get(stack.pop(), ()):
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
            descendants[pin] = seen
        return sha in descendants[pin]

    needed = [sha for sha in through]
    path: list[str] = []
    current: str | None = head
    while current is not None and current in by_sha:
        path.append(current)
        while needed and needed[-1] == current:
            needed.pop()
        if needed and not reaches(current, needed[-1]):
            raise MainLineError(needed[-1], f"commit {needed[-1][:10]} is not in the history of {current[:10]}")
        commit = by_sha[current]
        candidates = list(commit.parents)
        if len(candidates) > 1 and merges_main_into_another_line(commit.subject, main_branch):
            candidates.insert(0, candidates.pop(1))
        if needed:
            candidates = [parent for parent in candidates if reaches(parent, needed[-1])] or candidates
        current = next((parent for parent in candidates if parent in by_sha), None)
    if needed:
        raise MainLineError(needed[-1], f"commit {needed[-1][:10]} is not in the history of {head[:10]}")
    arrivals: list[Arrival] = []
    held: set[str] = set()
    for sha in reversed(path):
        brought: list[str] = []
        stack = [sha]
        while stack:
            item = stack.pop()
            if item in held or item not in by_sha:
                continue
            held.add(item)
            brought.append(item)
            stack.extend(by_sha[item].parents)
        rest = sorted((item for item in brought if item != sha), key=lambda item: -order[item])
        arrivals.append(Arrival(by_sha[sha], (by_sha[sha], *(by_sha[item] for item in rest))))
    return arrivals


def brought_by(graph: Sequence[Commit], head: str, held: set[str]) -> tuple[Commit, ...]:
    """Return the commits of ``head``'s history that ``held`` (a set of hashes) lacks, newest first: what a
    merge of ``head`` into the line holding ``held`` would bring."""
    return tuple(commit for commit in reversed(graph) if commit.sha not in held)


def arrival_message(
    commits: Sequence[Commit], changes_text: Callable[[Commit], bool], merged: bool = False
) -> ArrivalMessage:
    """Return the summary, description and editorial mark of the commits that arrive together, newest first
    (the main-line commit first).

    The summary is the message the editor wrote for the arrival: the main-line commit's, unless it is a
    merge with the message git or a forge wrote (then a pull request's title in its body, else the message of
    the newest commit that changed the text). ``merged``: the commits are a branch yet to be merged with such a
    message (``make changes``). Editorial only if every commit that changed the text (``changes_text``)
    carries the trailer; when none did (only pictures changed), only if every commit does.
    """
    changers = [commit for commit in commits if changes_text(commit)]
    marked = changers or list(commits)
    editorial = bool(marked) and all(marks_editorial(commit) for commit in marked)
    head = commits[0] if commits else None
    if head is not None and not merged and not (head.is_merge and is_default_merge_subject(head.subject)):
        return ArrivalMessage(head.subject, without_trailer(head.body), editorial)
    if head is not None and not merged and _PULL_REQUEST.match(head.subject):
        title, _, rest = without_trailer(head.body).partition("\n\n")
        if title.strip():
            return ArrivalMessage(" ".join(title.split()), rest.strip(), editorial)
    authored = [commit for commit in changers if not commit.is_merge]
    authored += [commit for commit in commits if not commit.is_merge and commit not in authored]
    source = authored[0] if authored else head
    if source is None:
        return ArrivalMessage("", "", editorial)
    return ArrivalMessage(source.subject, without_trailer(source.body), editorial)
