"""The main line a build reads, with what git says of it: the first step of ``read_editions``.

``main_line`` decides which commits are the main line (pure); here it is read from the repository for one
revision, pinned through the published editions' commits, with the renames each step made (one ``git
diff-tree`` for the line and its branches) and the commits the checked-out work adds to it (the draft's).
"""

from __future__ import annotations

from dataclasses import dataclass

from alectro_published.editions_file import EditionEntry

from .commits import Commit
from .editions import EditionError
from .main_line import Arrival, MainLineError, brought_by, main_line
from .published import FIX as _RECORD_FIX
from .published import PublishedEditions
from .repository import Repository


@dataclass(frozen=True)
class Line:
    """The main line of a revision as one build reads it."""

    graph: list[Commit]
    """Every commit of the revision's history, oldest first (``Repository.graph``)."""
    arrivals: list[Arrival]
    """The main line, oldest first: each commit on it with the commits that arrived with it."""
    renames: list[dict[str, str]]
    """Per arrival, the files its commit renamed relative to the line's commit before it: new path → old path."""
    branch_renames: list[list[dict[str, str]]]
    """Per arrival, what its own branch's commits renamed, each against its parent (a branch's git mv, then an
    edit: followed where the line shows none)."""
    head_graph: list[Commit]
    """``HEAD``'s history when it is not the revision read (a branch previewed against main), else empty."""
    brought: tuple[Commit, ...]
    """The commits of ``HEAD`` the revision lacks, newest first: what merging the checked-out work would bring."""

    @property
    def commits(self) -> list[Commit]:
        return [arrival.commit for arrival in self.arrivals]

    def start(self, repository: Repository, document: str, first_published: str | None, main_branch: str) -> int:
        """The index of the line's commit where ``document``'s history starts: ``first_published``'s, else 0.
        Raises ``EditionError`` when that commit is not on the line."""
        if first_published is None:
            return 0
        sha = repository.resolve(first_published)
        index = next((index for index, commit in enumerate(self.commits) if commit.sha == sha), None)
        if index is None:
            raise EditionError(
                f"first_published for {document} is {first_published}, which is not on the main line "
                f"(guides/editor.md «Редакции»: the commits that reached {main_branch}): name a commit of the "
                f"main branch"
            )
        return index


def read_line(repository: Repository, revision: str, main_branch: str, published: PublishedEditions | None) -> Line:
    """Return the main line of ``revision`` (at a merge, the parent that was ``main_branch``), through every
    published edition's commit when ``published`` (the live record) lists any: a moved document's too.
    Raises ``EditionError`` when a published edition's commit cannot be on it, ``GitError`` from git."""
    head = repository.resolve(revision)
    graph = repository.graph(head)
    arrivals = _pinned_line(graph, head, main_branch, [d.editions for d in published.values()] if published else [])
    shas = [arrival.commit.sha for arrival in arrivals]
    branch_pairs = [(c.sha, c.parents[0]) for a in arrivals for c in a.brought[1:] if c.parents]
    # Each line commit compared with its predecessor on the line, whatever its git parents are.
    moved = repository.renames_between(list(zip(shas[1:], shas, strict=False)) + branch_pairs)
    renames = [{}, *(moved.get(sha, {}) for sha in shas[1:])] if shas else []
    branch_renames = [[moved[c.sha] for c in arrival.brought[1:] if c.sha in moved] for arrival in arrivals]
    checked_out = repository.resolve("HEAD")
    head_graph = repository.graph(checked_out) if checked_out != head else []
    brought = brought_by(head_graph, checked_out, {commit.sha for commit in graph}) if head_graph else ()
    return Line(graph, arrivals, renames, branch_renames, head_graph, brought)


def _pinned_line(
    graph: list[Commit], head: str, main_branch: str, published: list[tuple[EditionEntry, ...]]
) -> list[Arrival]:
    """The main line of ``head``, through every published edition's commit (oldest first) when there are any."""
    order = {commit.sha: index for index, commit in enumerate(graph)}
    pinned: dict[str, EditionEntry] = {}
    for editions in published:
        for edition in editions:
            pinned.setdefault(edition.commit, edition)
            if edition.commit not in order:
                raise EditionError(
                    f"published edition {edition.number} of {edition.date.isoformat()} (commit {edition.commit[:10]}, "
                    f"{edition.summary!r}) is not in the history of {head[:10]}: "
                    + _RECORD_FIX.format(main=main_branch)
                )
    try:
        return main_line(graph, head, main_branch, sorted(pinned, key=order.__getitem__))
    except MainLineError as error:
        edition = pinned[error.commit]
        raise EditionError(
            f"published edition {edition.number} of {edition.date.isoformat()} (commit {edition.commit[:10]}) is not "
            f"on one line with the other published editions ({error}): " + _RECORD_FIX.format(main=main_branch)
        ) from None
