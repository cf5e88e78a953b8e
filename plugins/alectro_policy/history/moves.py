"""Where a document was at each commit of the main line: its history followed back through renames and moves.

An editor may rename or move a listed document (``git mv docs/index.md docs/privacy.md``, with or without an
edit in the same commit). Its editions stay its editions: the states before the move are read from the path
it had then. Nothing here runs git; ``git.renames_along`` tells which commit renamed what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence


def document_paths(
    path: str,
    renames: list[dict[str, str]],
    branch_renames: Sequence[Iterable[dict[str, str]]] = (),
    held: Callable[[int, str], bool] | None = None,
) -> list[str]:
    """Return, per commit of a line of history (oldest first), the path the document now at ``path`` (relative
    to the repository's top) had at that commit.

    ``renames`` is ``git.renames_along``'s answer for the same line: per commit, new path → old path. Walking
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
