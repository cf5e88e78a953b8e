"""The main line of a history and what arrived on it: the one rule for what an edition is, whatever the merge.

Walking back from the tip, at a merge the main line follows the parent that was the main branch: the first
parent, except when the merge's message is git's own for merging the main branch into another line (``git
pull``'s «Merge branch 'main' of …», «Merge branch 'main' into …», «Merge remote-tracking branch
'origin/main'»): then the second. Published editions' commits, when known, decide first: the line is chosen so
that it passes through every one of them.

Each commit on the main line is one arrival: it brings every commit of its other parents that the main line
did not hold yet (a branch's commits, a squash's one, a fast-forward's each). Its summary is what the editor
wrote (never git's «Merge branch …» nor GitHub's «Merge pull request #N from …»); it is editorial only if every
commit in it that changes what a reader sees (the text or a picture it shows) closes with ``Edition: editorial``.
Pure: no git process here.
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
# GitHub's squash merge: its body lists each squashed commit's message as a «* …» paragraph.
_SQUASHED_ITEM = re.compile(r"(?:\A|\n[ \t]*\n)\* ")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# GitHub's squash merge ends its subject with the pull request's number: «Title (#12)». Not the editor's words.
_PULL_REQUEST_NUMBER = re.compile(r"\s*\(#\d+\)$")
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
    listed_editorial: bool = False
    """Whether a squash commit listing every message (GitHub's default, ``marks_editorial``) would be editorial:
    every commit, not only those that change what a reader sees, closes with the trailer."""


def is_editorial(message_body: str) -> bool:
    """Return whether a commit message (its body) closes with the trailer ``Edition: editorial``: a line of its
    last paragraph, where git reads trailers. The same line in the middle of a message is text, not a mark."""
    return bool(_EDITORIAL_TRAILER.search(_PARAGRAPH_BREAK.split(message_body.strip())[-1]))


def marks_editorial(commit: Commit) -> bool:
    """Return whether ``commit`` marks its change editorial. A squash commit whose body lists the squashed
    commits' messages as GitHub writes them («* …» paragraphs), whatever its subject, does so only if each of
    them closes with the trailer: one squashed commit's trailer, copied into the body, never marks the others."""
    items = _SQUASHED_ITEM.split(commit.body)[1:]
    if len(items) > 1:
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

    The summary is the message the editor wrote for the arrival: the main-line commit's (without the «(#12)»
    GitHub adds to a squash commit's, so that it is the pull request's title), unless it is a
    merge with the message git or a forge wrote (then a pull request's title in its body, else the subjects
    of the commits that changed the document, oldest first, joined by «; », as a published record joins the
    commits that reached the main line one by one). ``merged``: the commits are a branch yet to be merged
    with such a message (``make changes``). Editorial only if every commit that changed what a reader sees
    (``changes_text``: the text or a picture it shows) closes with the trailer; when none did, only if every
    commit does. ``listed_editorial``: whether GitHub's squash message, listing every commit's, would be.
    """
    changers = [commit for commit in commits if changes_text(commit)]
    marked = changers or list(commits)
    editorial = bool(marked) and all(marks_editorial(commit) for commit in marked)
    authored = [commit for commit in commits if not commit.is_merge]
    listed = editorial and all(marks_editorial(commit) for commit in authored)
    head = commits[0] if commits else None
    if head is not None and not merged and not (head.is_merge and is_default_merge_subject(head.subject)):
        summary = _PULL_REQUEST_NUMBER.sub("", head.subject) or head.subject
        return ArrivalMessage(summary, without_trailer(head.body), editorial, listed)
    if head is not None and not merged and _PULL_REQUEST.match(head.subject):
        title, _, rest = without_trailer(head.body).partition("\n\n")
        if title.strip():
            return ArrivalMessage(" ".join(title.split()), rest.strip(), editorial, listed)
    # Oldest first, as they were written; the same as a published record makes of them (record.py).
    written = [commit for commit in reversed(changers) if not commit.is_merge]
    if written:
        return ArrivalMessage(
            "; ".join(dict.fromkeys(commit.subject for commit in written if commit.subject)),
            "\n\n".join(body for commit in written if (body := without_trailer(commit.body))),
            editorial,
            listed,
        )
    source = authored[0] if authored else head
    if source is None:
        return ArrivalMessage("", "", editorial, listed)
    return ArrivalMessage(source.subject, without_trailer(source.body), editorial, listed)
