"""Where a document was at each commit of the main line: its history followed back through renames and moves.

An editor may rename or move a listed document (``git mv docs/index.md docs/privacy.md``, with or without an
edit in the same commit). Its editions stay its editions: the states before the move are read from the path
it had then. ``Line.renames`` tells which commit renamed what (git's rename detection); ``document_paths`` and
``paths_before`` follow them without git. ``line_paths`` is the step of ``read_editions``: it also follows the
moves git does not see that the live record tells of (a document renamed and rewritten in one commit), asking the
repository which commit holds which path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from alectro_published.editions_file import DocumentEntry

from . import git
from .commits import Commit
from .editions import Edition, EditionError, FormerPath
from .line import Line
from .published import PublishedEditions
from .repository import Repository


def document_paths(
    path: str,
    renames: list[dict[str, str]],
    branch_renames: Sequence[Iterable[dict[str, str]]] = (),
    held: Callable[[int, str], bool] | None = None,
) -> list[str]:
    """Return, per commit of a line of history (oldest first), the path the document now at ``path`` (relative
    to the repository's top) had at that commit.

    ``renames`` is ``Line.renames`` for the same line: per commit, new path → old path. Walking
    back from the newest commit, a commit that renamed the document to its path means it had the old path
    before that commit. A rename cycle (a → b, later b → a) is followed as it happened.

    A branch that moved the document in one commit and edited it in the next is a move with an edit where it
    arrives, which git may not see as one. ``branch_renames``: per commit of the line, the renames made by the
    commits that arrived with it, each against its own parent; ``held(index, path)``: whether the line's commit
    ``index`` holds ``path``. When the line shows no rename to a path the commit before did not hold, the
    branch's moves are followed back to the nearest path it did hold.
    """
    paths = [path] * len(renames)
    current = path
    for index in range(len(renames) - 1, -1, -1):
        paths[index] = current
        if current in renames[index]:
            current = renames[index][current]
        elif index and held is not None and index < len(branch_renames):
            earlier = paths_before(current, branch_renames[index])[1:]
            if earlier and not held(index - 1, current):
                current = next((old for old in earlier if held(index - 1, old)), current)
    return paths


def former_paths(paths: list[str]) -> list[str]:
    """Return the paths a document had before its present one (the last of ``paths``), oldest first, each once."""
    present = paths[-1] if paths else ""
    seen: list[str] = []
    for path in paths:
        if path != present and path not in seen:
            seen.append(path)
    return seen


def paths_before(path: str, renames: Iterable[dict[str, str]]) -> tuple[str, ...]:
    """Return ``path`` and every path the document now at ``path`` had before, followed back through
    ``renames`` (new path → old path, in any order): where a branch's commits may hold it when the branch moved
    it more than once before it arrived on the main line."""
    moves = list(renames)
    found = [path]
    for current in found:  # grows while it is read: each earlier path is followed back in turn
        for renamed in moves:
            old = renamed.get(current)
            if old is not None and old not in found:
                found.append(old)
    return tuple(found)


def line_paths(
    repository: Repository, line: Line, source_path: str, record: PublishedEditions | None, listed: set[str]
) -> list[str]:
    """Return the path the document now at ``source_path`` had at each commit of ``line``, followed back through
    renames and moves (a moved document keeps its editions). With the live ``record``, also through the moves git
    does not see that it tells of (``listed``: every listed document's present path)."""
    commits = line.commits
    follow = partial(document_paths, source_path, branch_renames=line.branch_renames, held=_holds(repository, commits))
    if record is None:
        return follow(line.renames)
    return _followed_by_record(repository, record, source_path, commits, line.renames, follow, listed)


def _holds(repository: Repository, commits: list[Commit]) -> Callable[[int, str], bool]:
    """Whether the commit ``commits[index]`` holds a file at ``path``: asked of git only where a branch's moves
    must be followed (rarely)."""
    return lambda index, path: repository.object_ids([(commits[index].sha, path)]) != [None]


def graph_paths(line: Line, paths: list[str]) -> dict[str, tuple[str, ...]]:
    """Per commit of the history, where the document may be in it: at the path it had on the main line when
    that commit arrived there (``paths``), or, for a commit of a branch that itself moved the document (once or
    more), a path it had on that branch before."""
    found: dict[str, tuple[str, ...]] = {}
    for index, arrival in enumerate(line.arrivals):
        here = paths[index]
        before = paths[index - 1] if index else here
        candidates: tuple[str, ...] = (here,)
        if before != here:
            candidates = tuple(dict.fromkeys([*paths_before(here, line.branch_renames[index]), before]))
        for commit in arrival.brought:
            found[commit.sha] = candidates
    return found


def published_as(
    record: PublishedEditions, source_path: str, commits: list[Commit], line_paths: list[str], listed: set[str]
) -> str | None:
    """Where the record lists the document now at ``source_path``: under that path, or, for a document moved
    since it was published, under the latest path it had (``line_paths``, oldest first); or under a path no listed
    document has (``listed``) whose every published edition is a commit of this line at the path the line gives
    it there: a move the line does not go through (a move and its revert merged from main into a branch, main
    then fast-forwarded to it) still moved this document. None: not published."""
    found = next((path for path in [source_path, *reversed(line_paths)] if path in record), None)
    if found is not None:
        return found
    at = {commit.sha: path for commit, path in zip(commits, line_paths, strict=True)}
    ours = [
        path
        for path, document in record.items()
        if path not in listed
        and document.editions
        and all(at.get(edition.commit) == document.committed_at(edition) for edition in document.editions)
    ]
    return ours[0] if len(ours) == 1 else None


def _unseen_move(
    repository: Repository, commits: list[Commit], line_paths: list[str], candidates: list[str]
) -> tuple[int, str] | None:
    """The latest commit of the line (its index) where the document appeared while it deleted exactly one of
    ``candidates`` (paths the live record says it, or a published document, had), and that path. A squash of a
    branch that moved the document, then rewrote it, is such a commit: to git a deletion and a new file."""
    candidates = [source for source in dict.fromkeys(candidates) if git.askable(source)]
    if not candidates:
        return None
    oids = repository.object_ids([(commit.sha, path) for commit, path in zip(commits, line_paths, strict=True)])
    for index in range(len(oids) - 1, 0, -1):
        if oids[index] is None or oids[index - 1] is not None:
            continue
        before = repository.object_ids([(commits[index - 1].sha, source) for source in candidates])
        after = repository.object_ids([(commits[index].sha, source) for source in candidates])
        gone = [source for source, was, now in zip(candidates, before, after, strict=True) if was and not now]
        if len(gone) == 1:
            return index, gone[0]
    return None


def _followed_by_record(
    repository: Repository,
    record: PublishedEditions,
    source_path: str,
    commits: list[Commit],
    renames: list[dict[str, str]],
    follow: Callable[[list[dict[str, str]]], list[str]],
    listed: set[str],
) -> list[str]:
    """The document's path at each commit of the line (``follow(renames)``, ``moves.document_paths``), with the
    moves git did not see that the live record tells of: a document the record knows under none of its paths,
    or whose published editions it says were committed at a path the line does not give, is followed back to
    the recorded path deleted by the commit where it appeared."""
    line_paths = follow(renames)
    for _ in range(len(line_paths)):
        recorded = published_as(record, source_path, commits, line_paths, listed)
        if recorded is not None and not _misplaced(record[recorded], commits, line_paths):
            break
        if recorded is None:
            candidates = [source for source in record if source not in listed]
        else:
            document = record[recorded]
            # Its present path too: a squash that moved it away unseen, then a revert that moved it back.
            candidates = [document.committed_at(edition) for edition in document.editions]
        unseen = _unseen_move(repository, commits, line_paths, candidates)
        if unseen is None:
            break
        index, old = unseen
        renames = [*renames[:index], {**renames[index], line_paths[index]: old}, *renames[index + 1 :]]
        line_paths = follow(renames)
    return line_paths


def _misplaced(document: DocumentEntry, commits: list[Commit], line_paths: list[str]) -> bool:
    """Whether a published edition was committed at another path than the line gives its commit."""
    at = {commit.sha: path for commit, path in zip(commits, line_paths, strict=True)}
    return any(e.commit in at and at[e.commit] != document.committed_at(e) for e in document.editions)


def refuse_unclaimed(
    repository: Repository, record: PublishedEditions, claimed: set[str], commits: list[Commit], docs_prefix: str
) -> None:
    """Raise ``EditionError`` for the first published document no listed document took the editions of: a build
    that went on would drop them (the new file of a move git did not see would start again at edition 1)."""
    for source, document in record.items():
        if source in claimed:
            continue
        editions = document.editions
        numbers = f"{editions[0].number}–{editions[-1].number}" if len(editions) > 1 else f"{editions[0].number}"
        held = repository.object_ids([(commit.sha, source) for commit in commits])
        last = max((index for index, oid in enumerate(held) if oid is not None), default=None)
        start = f"{source}: its published editions {numbers} belong to no document this build lists"
        fix = "; to withdraw it, publish with ALLOW_HISTORY_REWRITE=1, which builds by git history alone"
        if last is None or last == len(commits) - 1:
            listed = source.removeprefix(docs_prefix)
            raise EditionError(
                f"{start}: the plugin option 'documents' in mkdocs.yml no longer lists {listed}. To keep its "
                f"editions, list it again" + fix
            )
        gone = commits[last + 1]
        raise EditionError(
            f"{start}: commit {gone.sha[:10]} ({gone.subject!r}) deleted it, and git does not see a move there (a "
            f"file renamed and rewritten in one commit is to git a deletion and a new file). To keep its editions, "
            f"undo that commit (git revert {gone.sha[:10]}), then move the file with git mv in one commit and "
            f"change its text in the next" + fix
        )


def former_paths_of(paths: list[str], commits: list[Commit], editions: tuple[Edition, ...]) -> tuple[FormerPath, ...]:
    """Where the document was before its present path, each with how many editions it had there."""
    started = {edition.commit for edition in editions}
    count = 0
    last: dict[str, int] = {}
    for commit, path in zip(commits, paths, strict=True):
        count += commit.sha in started
        if count:
            last[path] = count
    return tuple(FormerPath(path, last[path]) for path in former_paths(paths) if path in last)
