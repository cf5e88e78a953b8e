"""One build's handle on the git repository: the one object every reader of git is given.

It holds the work tree's top, the commit graphs read, the one ``git cat-file`` process (``git.CatFile``) and
what it answered, so that a build asks git a fixed number of processes whatever the number of documents,
drafts, merges and pictures, and never asks the same (commit, path) twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar, cast

from . import git
from .commits import Commit, merge_bases, read_graph

T = TypeVar("T")


class Repository:
    """The git repository holding a site (``at``), read through one ``git cat-file`` until ``close``."""

    def __init__(self, root: Path, shallow: bool = False):
        self.root = root
        """The work tree's top: paths git is asked about are relative to it."""
        self.shallow = shallow
        self._objects = git.CatFile(root)
        self._ids: dict[tuple[str, str], str | None] = {}
        self._graphs: dict[str, list[Commit]] = {}
        self._parents: dict[str, tuple[str, ...]] = {}
        self._renames: dict[tuple[str, str], dict[str, str]] = {}
        self._merges: dict[tuple[str, ...], str | None] = {}
        self._working: dict[str, str | None] = {}
        self._uncommitted: set[str] | None = None
        self._remembered: dict[str, object] = {}

    @classmethod
    def at(cls, folder: Path) -> Repository | None:
        """Return the repository whose work tree holds ``folder``, or None when there is none or it has no commit
        yet (a fresh ``git init``). Raises ``GitError`` when git cannot read it."""
        try:
            root, shallow = git.work_tree(folder)
        except git.NotARepository:
            return None
        repository = cls(root, shallow)
        if repository.try_resolve("HEAD") is None:
            repository.close()
            return None
        return repository

    def ensure_full_history(self) -> None:
        """Raise ``ShallowClone`` when the clone is shallow: older editions would be missing."""
        if self.shallow:
            raise git.ShallowClone(
                "this is a shallow git clone, so older editions are missing. "
                "Run 'git fetch --unshallow', or in GitHub Actions set 'fetch-depth: 0' on actions/checkout."
            )

    def docs_prefix(self, docs_dir: Path) -> str:
        """Return what goes before a path relative to ``docs_dir`` to make it relative to the work tree's top, as
        git names files: ``docs/``, or nothing when ``docs_dir`` is the top (``DocumentEditions.docs_prefix``)."""
        relative = docs_dir.resolve().relative_to(self.root.resolve()).as_posix()
        return "" if relative == "." else f"{relative}/"

    # -- commits ------------------------------------------------------------------------------------------------

    def try_resolve(self, revision: str) -> str | None:
        """Return the full hash of the commit ``revision`` (a hash, tag or branch) names, or None when none."""
        if "\n" in revision or not revision:
            return None
        (found,) = self._objects.info([f"{revision}^{{commit}}"])
        return found[0] if found and found[1] == "commit" else None

    def resolve(self, revision: str) -> str:
        """Return the full hash of ``revision``; raise ``GitError`` when git knows no such commit or tag."""
        sha = self.try_resolve(revision)
        if sha is None:
            raise git.GitError(f"git knows no commit or tag '{revision}'")
        return sha

    def graph(self, revision: str = "HEAD") -> list[Commit]:
        """Return every commit reachable from ``revision``, oldest first in topological order (read once)."""
        sha = self.resolve(revision)
        if sha not in self._graphs:
            self._graphs[sha] = read_graph(self.root, sha, self._objects)
            self._parents.update((commit.sha, commit.parents) for commit in self._graphs[sha])
        return self._graphs[sha]

    # -- files at commits ---------------------------------------------------------------------------------------

    def object_ids(self, requests: Iterable[tuple[str, str]]) -> list[str | None]:
        """Return the blob id of each ``(commit, path relative to the top)``, None where absent or where the path
        is not one git may be asked about (``git.askable``). Each pair is asked of git once per build."""
        wanted = list(requests)
        asked = [pair for pair in dict.fromkeys(wanted) if pair not in self._ids]
        self._ids.update(dict.fromkeys((pair for pair in asked if not git.askable(pair[1])), None))
        asked = [pair for pair in asked if git.askable(pair[1])]
        for pair, found in zip(asked, self._objects.info([f"{sha}:{path}" for sha, path in asked]), strict=True):
            self._ids[pair] = found[0] if found and found[1] == "blob" else None
        return [self._ids[pair] for pair in wanted]

    def blobs(self, ids: list[str]) -> Iterator[bytes | None]:
        """Yield the content of each blob of ``ids``, in order (None where git has none), one held at a time."""
        for found in self._objects.contents(ids):
            yield found[1] if found and found[0] == "blob" else None

    def blob(self, oid: str) -> bytes | None:
        """Return the content of the blob ``oid``, or None where git has none."""
        return next(self.blobs([oid]))

    def file_at(self, commit: str, path: str) -> bytes | None:
        """Return the bytes of ``path`` (relative to the top) at ``commit``, None where the commit has no such file."""
        (oid,) = self.object_ids([(commit, path)])
        return self.blob(oid) if oid else None

    def renames_between(self, pairs: list[tuple[str, str]]) -> dict[str, dict[str, str]]:
        """``git.renames_between``, each pair asked once per build."""
        asked = [pair for pair in dict.fromkeys(pairs) if pair not in self._renames]
        found = git.renames_between(self.root, asked)
        self._renames.update({pair: found.get(pair[0], {}) for pair in asked})
        return {commit: self._renames[commit, earlier] for commit, earlier in pairs if self._renames[commit, earlier]}

    def merged_id(self, parents: tuple[str, ...], path: str) -> str | None:
        """Return the blob id ``path`` would have if git merged ``parents`` with no hand edit, or None when that
        merge conflicts, has no such file, or is not of two parents (git cannot tell for an octopus). Raises
        ``GitError`` when git cannot merge them at all (``git.merged_tree``)."""
        if len(parents) != 2:
            return None
        known, merged = self._one_sided_merge(parents, path)
        if known:
            return merged
        if parents not in self._merges:
            self._merges[parents] = git.merged_tree(self.root, *parents)
        tree = self._merges[parents]
        return self.object_ids([(tree, path)])[0] if tree else None

    def _one_sided_merge(self, parents: tuple[str, ...], path: str) -> tuple[bool, str | None]:
        """``(True, id)``: what git's merge of ``parents`` gives ``path`` when only one side changed it since
        their one merge base (the other side's id), read with no git process; ``(False, None)`` when that takes
        git: both sides changed it, or the graph gives several merge bases or none, or the base has no such file
        (a rename may have brought it)."""
        bases = merge_bases(self._parents, parents[0], parents[1])
        if len(bases) != 1:
            return False, None
        base, ours, theirs = self.object_ids([(bases[0], path), (parents[0], path), (parents[1], path)])
        if base is None or base not in (ours, theirs):
            return False, None
        return True, theirs if base == ours else ours

    # -- the work tree ------------------------------------------------------------------------------------------

    def working_object_ids(self, paths: list[str]) -> list[str | None]:
        """``git.working_object_ids`` of the paths not asked yet: one process for all the paths asked at once."""
        asked = [path for path in dict.fromkeys(paths) if path not in self._working]
        if asked:
            self._working.update(zip(asked, git.working_object_ids(self.root, asked), strict=True))
        return [self._working[path] for path in paths]

    def has_uncommitted_changes(self, path: str) -> bool:
        """Return whether ``path`` (relative to the top) differs from ``HEAD`` in the index or the work tree (one
        ``git status`` per build, the first time it is asked)."""
        if self._uncommitted is None:
            self._uncommitted = git.uncommitted_paths(self.root)
        return path in self._uncommitted

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """Return ``compute()``, computed once per build (per handle) for ``key``: what other rooms read from git
        once, such as the publish tags (``record.last_publish``)."""
        if key not in self._remembered:
            self._remembered[key] = compute()
        return cast(T, self._remembered[key])

    def close(self) -> None:
        """End the ``git cat-file`` process (a later question starts another)."""
        self._objects.close()

    def __del__(self) -> None:
        self.close()
