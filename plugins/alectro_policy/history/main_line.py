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

from ..text import plain
from .commits import Commit

_EDITORIAL_TRAILER = re.compile(r"^Edition:[ \t]*editorial[ \t]*$", re.IGNORECASE | re.MULTILINE)
# The subjects git, GitHub, GitLab and Bitbucket write for a merge themselves: never an editor's summary.
_DEFAULT_MERGE = re.compile(
    r"^(?:Merge (?:branch(?:es)?|remote-tracking branch(?:es)?|tags?|commit|pull request #\d+ from) |"
    r"Merged in \S+ \(pull request #\d+\))"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# GitHub's squash merge ends its subject with the pull request's number: «Title (#12)». Not the editor's words.
_PULL_REQUEST_NUMBER = re.compile(r"\s*\(#\d+\)$")
_PULL_REQUEST = re.compile(r"^(?:Merge pull request #\d+ from |Merged in \S+ \(pull request #\d+\))")
# A git trailer line («Co-authored-by: Имя <e@x.ru>», «Signed-off-by: …», «Edition: editorial»).
_TRAILER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:[ \t]*\S")
# The trailers git and forges write, wherever they stand: a person's name and e-mail address, or a mark.
_GIT_TRAILER = re.compile(r"^(?:[A-Za-z]+(?:-[A-Za-z]+)*-by|Edition|Reviewed-on|Change-Id):", re.IGNORECASE)
# What GitHub puts between a squash message's listing and the co-authors' trailers.
_RULE = re.compile(r"^-{3,}[ \t]*$")
# GitHub's revert: «Revert "…"», its body «This reverts commit <sha>[, reversing changes made to <sha>].».
_REVERT = re.compile(r'^Revert "(.*)"$')
_REVERTED_COMMIT = re.compile(r"This reverts commit ([0-9a-f]{7,64})\b")
_REVERT_SUMMARY = "Отмена изменений"


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
    messages: int = 0
    """How many commits of a person's (not merges) arrived: GitHub's squash of one takes its message."""


def is_editorial(message_body: str) -> bool:
    """Return whether a commit message (its body) closes with the trailer ``Edition: editorial``: a line of its
    last paragraph, where git reads trailers, or of the last before the co-authors GitHub adds after a line of
    dashes. The same line in the middle of a message is text, not a mark."""
    return any(
        bool(paragraphs) and bool(_EDITORIAL_TRAILER.search(paragraphs[-1]))
        for paragraphs in (_paragraphs(message_body), _paragraphs(_without_co_authors(message_body)))
    )


def squash_listing(commit: Commit) -> tuple[str, ...] | None:
    """Return the messages ``commit`` lists as a GitHub squash commit does, oldest first, or None when it does not
    have that shape: a subject ending with the pull request's number («… (#12)»), then two or more «* message»
    paragraphs (a message's own further paragraphs after its item), the first opening the body, optionally
    closed by a line of dashes and ``Co-authored-by`` trailers. An editor's bulleted list is not one: a tight list
    («* …» lines one under another: one paragraph of items, which GitHub never writes) is a message's own text,
    inside the item it follows (a body opening with one is one message), and so is a body under a subject without
    the number (a rebased commit; a squash whose title the editor rewrote, whose text then decides:
    ``text.edit_kind``). Asked only of a commit that reached the main line alone (``arrival_message``): a branch's
    commit is never a squash."""
    if not _PULL_REQUEST_NUMBER.search(commit.subject):
        return None
    items: list[list[str]] = []
    for paragraph in _paragraphs(_without_co_authors(commit.body)):
        if paragraph.startswith("* ") and not _tight_list(paragraph):
            items.append([paragraph[2:]])
        elif items:
            items[-1].append(paragraph)
        else:
            return None
    return tuple("\n\n".join(item) for item in items) if len(items) > 1 else None


def _tight_list(paragraph: str) -> bool:
    """Whether ``paragraph`` holds «* …» or «- …» items one under another: an editor's list, never a listing's item."""
    return any(line.lstrip().startswith(("* ", "- ")) for line in paragraph.split("\n")[1:])


def marks_editorial(commit: Commit, squash: bool = True) -> bool:
    """Return whether ``commit`` marks its change editorial. A squash commit (``squash``: it reached the main
    line alone) listing the squashed commits' messages as GitHub does (``squash_listing``) does so only if each
    of them closes with the trailer: one squashed commit's trailer, copied into the body, never marks the
    others. A branch's commit (``squash`` False) is one message, whatever list its body holds."""
    items = squash_listing(commit) if squash and not commit.is_merge else None
    if items is not None:
        return all(is_editorial(item) for item in items)
    return is_editorial(commit.body)


def without_trailer(message_body: str) -> str:
    """Return a message body without its ``Edition: editorial`` trailer."""
    return _EDITORIAL_TRAILER.sub("", message_body).strip()


def _paragraphs(text: str) -> list[str]:
    return [paragraph.strip() for paragraph in _PARAGRAPH_BREAK.split(text.strip()) if paragraph.strip()]


def _trailers_only(paragraph: str) -> bool:
    return all(_TRAILER_LINE.match(line.strip()) for line in paragraph.split("\n"))


def _without_co_authors(body: str) -> str:
    """``body`` without the block GitHub closes a squash message with: a line of dashes, then trailers."""
    paragraphs = _paragraphs(body)
    for index in reversed(range(len(paragraphs))):
        if _RULE.match(paragraphs[index]) and all(_trailers_only(p) for p in paragraphs[index + 1 :]):
            return "\n\n".join(paragraphs[:index])
    return "\n\n".join(paragraphs)


def readers_words(text: str) -> str:
    """Return what of a message's text a visitor may read: without git's trailers (``Edition: editorial``,
    ``Co-authored-by``, ``Signed-off-by``: names and e-mail addresses), the line of dashes before them, and
    control and direction characters."""
    kept = [
        "\n".join(line for line in paragraph.split("\n") if not _GIT_TRAILER.match(line.strip()))
        for paragraph in _paragraphs(_without_co_authors(text))
        if not _trailers_only(paragraph) and not _RULE.match(paragraph)
    ]
    return plain.lines("\n\n".join(paragraph for paragraph in kept if paragraph.strip()))


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

    ``graph`` is every commit reachable from ``head`` (``Repository.graph``). ``through``: commits the line
    must pass through, oldest first (published editions'). Raises ``MainLineError`` naming the first of them
    that is not an ancestor of ``head`` or of the next one.
    """
    by_sha = {commit.sha: commit for commit in graph}
    path = _walk(by_sha, head, main_branch, _Reach(graph), list(through))
    return _arrivals(graph, by_sha, path)


class _Reach:
    """Whether a commit of a graph reaches another: each commit's descendants found once, when first asked."""

    def __init__(self, graph: Sequence[Commit]):
        self._children: dict[str, list[str]] = {}
        for commit in graph:
            for parent in commit.parents:
                self._children.setdefault(parent, []).append(commit.sha)
        self._descendants: dict[str, set[str]] = {}

    def __call__(self, sha: str, pin: str) -> bool:
        """Whether ``pin`` is ``sha`` or one of its ancestors."""
        if pin not in self._descendants:
            seen, stack = {pin}, [pin]
            while stack:
                for child in self._children.get(stack.pop(), ()):
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
            self._descendants[pin] = seen
        return sha in self._descendants[pin]


def _walk(by_sha: dict[str, Commit], head: str, main_branch: str, reaches: _Reach, needed: list[str]) -> list[str]:
    """The main line's commits from ``head`` back, newest first, through every commit of ``needed`` (oldest
    first; emptied as they are passed). Raises ``MainLineError`` for one the line cannot pass through."""
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
    return path


def _arrivals(graph: Sequence[Commit], by_sha: dict[str, Commit], path: list[str]) -> list[Arrival]:
    """Each commit of the main line (``path``, newest first) with the commits it brought, oldest first."""
    order = {commit.sha: index for index, commit in enumerate(graph)}
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
    commits: Sequence[Commit],
    changes_text: Callable[[Commit], bool],
    merged: bool = False,
    commit_of: Callable[[str], Commit | None] | None = None,
) -> ArrivalMessage:
    """Return the summary, description and editorial mark of the commits that arrive together, newest first
    (the main-line commit first).

    The summary is the message the editor wrote for the arrival: the main-line commit's subject (without the
    «(#12)» GitHub adds to a squash commit's, so that it is the pull request's title), unless it is a merge
    with the message git or a forge wrote (then a pull request's title in its body, else the subjects of the
    commits that changed the document, oldest first, joined by «; », as a published record joins the commits
    that reached the main line one by one). A revert says what it undoes: «Отмена изменений: <the reverted
    arrival's summary>» (``commit_of`` finds the reverted commit by its hash). ``merged``: the commits are a
    branch yet to be merged with such a message (``make changes``).

    The description is a pull request's description (the body of GitHub's merge commit after the title), never a
    commit's body, a squash listing or a trailer: visitors read it. Both without control or direction characters.

    Editorial only if every commit that changed what a reader sees (``changes_text``: the text or a picture it
    shows) closes with the trailer; when none did, only if every commit does (the text decides too:
    ``text.edit_kind``, applied where the edition's texts are known). ``listed_editorial``: whether GitHub's
    squash message, listing every commit's, would be.
    """
    changers = [commit for commit in commits if changes_text(commit)]
    marked = changers or list(commits)
    alone = [] if merged else list(commits[:1])  # the main-line commit: a squash, if it lists messages
    editorial = bool(marked) and all(marks_editorial(commit, commit in alone) for commit in marked)
    authored = [commit for commit in commits if not commit.is_merge]
    if merged and authored:  # the message GitHub's Squash and merge would write, read as the build will read it
        listed = editorial and marks_editorial(github_squash(authored), squash=True)
    else:
        listed = editorial and all(marks_editorial(commit, commit in alone) for commit in authored)
    head = commits[0] if commits else None
    if head is not None and not merged and not (head.is_merge and is_default_merge_subject(head.subject)):
        return ArrivalMessage(_own_summary(head, commit_of), "", editorial, listed, len(authored))
    if head is not None and not merged and _PULL_REQUEST.match(head.subject):
        title, _, rest = head.body.strip().partition("\n\n")
        if plain.one_line(title) and not _trailers_only(title):
            return ArrivalMessage(_own_summary(head, commit_of), readers_words(rest), editorial, listed, len(authored))
    # Oldest first, as they were written; the same as a published record makes of them (published.py).
    written = [commit for commit in reversed(changers) if not commit.is_merge]
    if not written:
        source = authored[0] if authored else head
        written = [source] if source is not None else []
    summaries = (_own_summary(commit, commit_of) for commit in written)
    summary = "; ".join(dict.fromkeys(summary for summary in summaries if summary))
    return ArrivalMessage(summary, "", editorial, listed, len(authored))


def github_squash(authored: Sequence[Commit]) -> Commit:
    """Return the commit GitHub's **Squash and merge** writes by default for the branch's ``authored`` commits
    (newest first): of one, its own message with «(#1)» after the subject; of several, a title with «(#1)» and
    each message as a «* …» item, oldest first. An editor's list with blank lines between its items, in a
    message's body, then reads as further items of the listing (``squash_listing``), without the trailer."""
    newest = authored[0]
    if len(authored) == 1:
        return Commit(newest.sha, newest.committed_at, f"{newest.subject} (#1)", newest.body)
    listing = "\n\n".join(f"* {commit.subject}\n\n{commit.body}".strip() for commit in reversed(authored))
    return Commit(newest.sha, newest.committed_at, "Squash (#1)", listing)


def _own_summary(commit: Commit, commit_of: Callable[[str], Commit | None] | None, depth: int = 0) -> str:
    """What ``commit`` says it brings, as one line: a pull request's title for GitHub's merge commit, the subject
    without GitHub's «(#12)» otherwise; a revert as «Отмена изменений: …» what the reverted commit brought."""
    subject = commit.subject
    if _PULL_REQUEST.match(subject):
        title = commit.body.strip().partition("\n\n")[0]
        subject = title if plain.one_line(title) and not _trailers_only(title) else subject
    subject = plain.one_line(_PULL_REQUEST_NUMBER.sub("", subject) or subject)
    if is_default_merge_subject(subject):
        return ""  # git's or a forge's words, never a summary
    revert = _REVERT.match(subject)
    if revert is None or depth > 3:
        return subject
    undone = revert[1]
    if is_default_merge_subject(undone) or not plain.one_line(undone):
        found = _REVERTED_COMMIT.search(commit.body)
        reverted = commit_of(found[1]) if found and commit_of is not None else None
        undone = _own_summary(reverted, commit_of, depth + 1) if reverted is not None else ""
    return f"{_REVERT_SUMMARY}: {undone}" if undone else "Отмена предыдущих изменений"
