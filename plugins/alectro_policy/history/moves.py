"""Where a document was at each commit of the main line: its history followed back through renames and moves.

An editor may rename or move a listed document (``git mv docs/index.md docs/privacy.md``, with or without an
edit in the same commit). Its editions stay its editions: the states before the move are read from the path
it had then. Nothing here runs git; ``git.renames_along`` tells which commit renamed what.
"""

from __future__ import annotations


def document_paths(path: str, renames: list[dict[str, str]]) -> list[str]:
    """Return, per commit of a line of history (oldest first), the path the document now at ``path`` (relative
    to the repository's top) had at that commit.

    ``renames`` is ``git.renames_along``'s answer for the same line: per commit, new path → old path. Walking
    back from the newest commit, a commit that renamed the document to its path means it had the old path
    before that commit. A rename cycle (a → b, later b → a) is followed as it happened.
    """
    paths = [path] * len(renames)
    current = path
    for index in range(len(renames) - 1, -1, -1):
        paths[index] = current
        current = renames[index].get(current, current)
    return paths


def former_paths(paths: list[str]) -> list[str]:
    """Return the paths a document had before its present one (the last of ``paths``), oldest first, each once."""
    present = paths[-1] if paths else ""
    seen: list[str] = []
    for path in paths:
        if path != present and path not in seen:
            seen.append(path)
    return seen
