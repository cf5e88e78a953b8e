"""Git itself: its processes, what it answers, and the names it gives.

Every git process of the plugin starts here (``run`` for one question, ``CatFile`` for the one ``git cat-file``
a build keeps open); ``history.repository.Repository`` holds them for one build. Nothing here knows about
editions or MkDocs.

A file name is any bytes: ``path_from_git`` and ``path_to_git`` turn one into a ``str`` and back without loss,
and ``askable`` says which names git may be asked about.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO


class GitError(Exception):
    """Git could not answer; the message says what to do."""


class NotARepository(GitError):
    """The project is not inside a git work tree (for example an exported archive)."""


class ShallowClone(GitError):
    """The clone is shallow, so the history of editions would be incomplete."""


# Git keeps up to 96 MB of delta bases by default: reading 5,000 versions of a 100 KB file, its cat-file grows to
# 105 MB, more than the whole build. 16 MB costs no time here (bench/history_memory.py) and holds 23 MB.
CAT_FILE = ("-c", "core.deltaBaseCacheLimit=16m", "cat-file", "--batch-command")
_ENV = {"LC_ALL": "C"}  # git's own messages in English whatever the editor's locale: repository_root() reads them
_OBJECT_ID = re.compile("[0-9a-f]{40}|[0-9a-f]{64}")
_NOT_INSTALLED = "the 'git' command is not installed: install it ('apt-get install git') and build again"


def path_from_git(raw: bytes) -> str:
    """Return a file name as git gave it (any bytes), as a ``str`` that ``path_to_git`` turns back into them."""
    return raw.decode("utf-8", "surrogateescape")


def path_to_git(path: str) -> bytes:
    """Return the bytes git knows ``path`` by (the inverse of ``path_from_git``; never raises)."""
    return path.encode("utf-8", "surrogateescape")


def askable(path: str) -> bool:
    """Whether git may be asked about ``path`` (relative to the repository's top), the one rule for names from
    hostile texts and files: a plain path inside the repository on one line. A line break would make it two
    questions; a path outside the repository stops ``git cat-file``; any other name is one no commit holds."""
    plain = posixpath.normpath(path) == path and path not in (".", "..") and not path.startswith(("/", "../"))
    return bool(path) and plain and not {"\n", "\r", "\0"} & set(path)


def run(root: Path, *args: str, stdin: bytes | None = None, allowed: Sequence[int] = (0,)) -> bytes:
    """Return what ``git ARGS`` prints in ``root``; raise ``GitError`` with git's own words when its exit status
    is not in ``allowed``."""
    return _completed(root, args, stdin, allowed).stdout


def _completed(
    root: Path, args: Sequence[str], stdin: bytes | None, allowed: Sequence[int]
) -> subprocess.CompletedProcess[bytes]:
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, check=False, env={**os.environ, **_ENV}
        )
    except FileNotFoundError as error:
        raise GitError(_NOT_INSTALLED) from error
    if result.returncode not in allowed:
        message = result.stderr.decode("utf-8", "replace").strip()
        shown = args[2:] if args[:1] == ("-c",) else args  # the command, not its memory setting
        raise GitError(f"'git {' '.join(shown[:3])}' failed: {message}")
    return result


def repository_root(path: Path) -> Path:
    """Return the top of the git work tree holding ``path``; raise ``NotARepository`` outside one."""
    return work_tree(path)[0]


def work_tree(path: Path) -> tuple[Path, bool]:
    """Return the top of the git work tree holding ``path`` and whether its clone is shallow: one ``git
    rev-parse``. Raises ``NotARepository`` outside one, ``GitError`` when git refuses to read it."""
    try:
        top, shallow = run(path, "rev-parse", "--show-toplevel", "--is-shallow-repository").decode().split("\n")[:2]
    except GitError as error:
        if "not a git repository" in str(error).lower():
            raise NotARepository(f"{path} is not inside a git repository") from error
        if "safe.directory" in str(error):
            raise GitError(
                f"git refuses to read the repository holding {path}: it belongs to another user. If you trust it, "
                f"run 'git config --global --add safe.directory <the repository's folder>' and build again. {error}"
            ) from error
        raise
    return Path(top), shallow.strip() == "true"


def commit_folders(path: Path) -> list[Path]:
    """Return :func:`paths_changed_by_commits` of the repository holding ``path``; none outside git (no commits to
    wait for)."""
    try:
        return paths_changed_by_commits(repository_root(path))
    except GitError:
        return []


def paths_changed_by_commits(root: Path) -> list[Path]:
    """Return the folders that change whenever a commit is made, checked out, merged or reset in ``root``.

    ``refs/heads`` (in the common git folder: a branch moves) and the work tree's own ``logs``
    (its ``HEAD``'s reflog, when there is one yet), found by git itself, so worktrees work too.
    """
    git_dir, common_dir = git_folders(root)
    candidates = [common_dir / "refs" / "heads", git_dir / "logs"]
    return [path for path in candidates if path.is_dir()]


def git_folders(root: Path) -> tuple[Path, Path]:
    """Return the git folder of the work tree at ``root`` and the common one (they differ in a linked worktree)."""
    git_dir, common_dir = (
        run(root, "rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir").decode().split("\n")[:2]
    )
    return Path(git_dir), Path(common_dir)


RefsStamp = tuple[tuple[str, int, int, int], ...]


def refs_stamp(folders: tuple[Path, Path]) -> RefsStamp:
    """Return what changes whenever a commit is made, checked out, merged, reset, fetched or tagged in the work tree
    whose ``git_folders`` are ``folders``, read without a git process: the inode, time and size of its ``HEAD``, of
    ``packed-refs`` and of every file under ``refs/`` (git replaces a ref's file when it moves it)."""
    git_dir, common_dir = folders
    files = [git_dir / "HEAD", common_dir / "packed-refs", *sorted((common_dir / "refs").rglob("*"))]
    found = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        found.append((str(file), stat.st_ino, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class CatFile:
    """One ``git cat-file --batch-command``, the only way the plugin reads git's objects: started on the first
    question, asked as many as needed (in order, many at once through a pipe both ways), ended by ``close``.

    git's own message is kept (its standard error, in a temporary file): when the process stops before it has
    answered, ``GitError`` says so with git's words, and the next question starts a new process.
    """

    def __init__(self, root: Path):
        self._root = root
        self._process: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self._pending = 0
        """Answers asked of the running process and not read yet."""

    def info(self, names: Sequence[str]) -> list[tuple[str, str] | None]:
        """Return ``(object id, type)`` of each object name (``sha``, ``sha:path``, ``rev^{commit}``), None where
        git has none. Names must be one line each (``askable`` for paths)."""
        return [found[:2] if found else None for found in self._answers(names, b"info")]

    def contents(self, names: Sequence[str]) -> Iterator[tuple[str, bytes] | None]:
        """Yield ``(type, content)`` of each object name, in order, None where git has none: one object held at a
        time, so a long history of a large file costs one file's size. Stopping early ends the process."""
        for found in self._answers(names, b"contents"):
            yield (found[1], found[2]) if found else None

    def close(self) -> None:
        """End the process (the next question starts another)."""
        process, self._process = self._process, None
        self._pending = 0
        if process is not None:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            process.wait()
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def _answers(self, names: Sequence[str], command: bytes) -> Iterator[tuple[str, str, bytes] | None]:
        if not names:
            return
        if self._pending:
            self.close()  # an earlier reader stopped before its last answer: those answers are not wanted
        process = self._started()
        assert process.stdin is not None and process.stdout is not None
        self._pending = len(names)
        lines = [command + b" " + path_to_git(name) + b"\n" for name in names]
        # From a thread when there are many: git answers while it reads, and a full pipe either way would stall both.
        writer = threading.Thread(target=_write, args=(process.stdin, lines), daemon=True)
        writer.start() if len(lines) > 1 else _write(process.stdin, lines)
        try:
            for _ in names:
                if self._process is not process:
                    raise GitError("'git cat-file' was asked again before it had answered: a reader stopped early")
                answer = self._answer(process.stdout, command == b"contents")
                self._pending -= 1
                yield answer
        finally:
            if self._pending and self._process is process:
                self.close()  # stopped early (or git did): the rest is not wanted
            if len(lines) > 1:
                writer.join()

    def _answer(self, output: IO[bytes], with_content: bool) -> tuple[str, str, bytes] | None:
        header = output.readline()
        if not header.endswith(b"\n"):
            raise self._stopped()
        parts = header.split()
        if parts[-1] in (b"missing", b"ambiguous") or len(parts) != 3:
            return None
        content = b""
        if with_content:
            content = output.read(int(parts[2]))
            if len(content) != int(parts[2]) or output.read(1) != b"\n":
                raise self._stopped()
        return parts[0].decode("ascii"), parts[1].decode("ascii"), content

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            self._errors = tempfile.TemporaryFile()
            try:
                self._process = subprocess.Popen(
                    ["git", *CAT_FILE],
                    cwd=self._root,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=self._errors,
                    env={**os.environ, **_ENV},
                )
            except FileNotFoundError as error:
                raise GitError(_NOT_INSTALLED) from error
        return self._process

    def _stopped(self) -> GitError:
        """The error for a ``git cat-file`` that ended before answering, with what git said (then a fresh start)."""
        assert self._process is not None and self._errors is not None
        self._process.kill()
        status = self._process.wait()
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip() or f"exit status {status}"
        self.close()
        hint = " (git 2.38 or later is needed: install a newer git)" if "batch-command" in said else ""
        return GitError(f"'git cat-file' stopped before it answered: {said}{hint}")


def _write(stream: IO[bytes], lines: list[bytes]) -> None:
    try:
        stream.writelines(lines)
        stream.flush()
    except (BrokenPipeError, ValueError):
        pass  # git stopped (the reader says why) or the reader closed it


def merged_tree(root: Path, first: str, second: str) -> str | None:
    """Return the tree git's own merge of commits ``first`` and ``second`` makes (``git merge-tree
    --write-tree``), or None when that merge conflicts. Raises ``GitError`` when git cannot merge them at all
    (no such commit, a broken repository, a git older than 2.38): never taken for a conflict."""
    try:
        result = _completed(root, ("merge-tree", "--write-tree", "--no-messages", first, second), None, (0, 1))
    except GitError as error:
        old = "usage: git merge-tree" in str(error) or "unknown option" in str(error)
        hint = ". git 2.38 or later is needed to tell a merge's own edits: install a newer git" if old else ""
        raise GitError(f"{error}{hint}") from None
    tree = result.stdout.split(b"\n", 1)[0].decode("ascii", "replace").strip()
    # A conflict still writes a tree (status 1); git 2.39 also exits 1 when it cannot merge, writing none.
    if not _OBJECT_ID.fullmatch(tree):
        said = result.stderr.decode("utf-8", "replace").strip() or f"exit status {result.returncode}"
        raise GitError(f"'git merge-tree' cannot merge {first[:10]} and {second[:10]}: {said}")
    return tree if result.returncode == 0 else None


MOVES = ("-B", "-M", "--diff-filter=RC")
"""How git is asked for moves: rename detection with break detection (a move with a new file at the old path)."""


def renames_between(root: Path, pairs: list[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """Return, per ``(commit, earlier)`` of ``pairs`` (each commit once), the files ``commit`` renamed or moved
    relative to ``earlier``: commit → new path → old path (git's rename detection, so a move with an edit in the
    same commit counts); commits that renamed nothing are left out. One ``git diff-tree --stdin`` for all.

    With break detection (``-B``): a file moved while a new one took its old path in the same commit (``git mv
    docs/index.md docs/privacy.md`` and a new landing page at ``docs/index.md``) is to git a rewrite of the old path
    and a copy of it to the new one (``C``): that copy is the move."""
    renames: dict[str, dict[str, str]] = {}
    if not pairs:
        return renames
    wanted = {commit for commit, _ in pairs}
    lines = "".join(f"{commit} {earlier}\n" for commit, earlier in pairs)
    output = run(root, "diff-tree", "--stdin", "-r", *MOVES, "--name-status", "-z", stdin=lines.encode())
    tokens = output.split(b"\0")
    current: dict[str, str] | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not token:
            continue
        if token[:1] in (b"R", b"C") and token[1:].isdigit() and index + 1 < len(tokens) and current is not None:
            current[path_from_git(tokens[index + 1])] = path_from_git(tokens[index])
            index += 2
        else:
            # A commit's header: the hash it was asked about (paths only ever follow a status, read above).
            sha = token.decode("ascii", "replace").strip()
            current = renames.setdefault(sha, {}) if sha in wanted else None
    return {commit: found for commit, found in renames.items() if found}


def renames_since(root: Path, revision: str) -> dict[str, str]:
    """Return the files of the work tree (committed or not) that were at another path at ``revision``: new path →
    old path, as ``renames_between`` finds them. Raises ``GitError`` when git cannot compare."""
    tokens = run(root, "diff", *MOVES, "--name-status", "-z", revision, "--").split(b"\0")
    found: dict[str, str] = {}
    for index, token in enumerate(tokens[:-2]):
        if token[:1] in (b"R", b"C") and token[1:].isdigit():
            found[path_from_git(tokens[index + 2])] = path_from_git(tokens[index + 1])
    return found


def working_object_ids(root: Path, paths: list[str]) -> list[str | None]:
    """Return the object id each file of the work tree (``paths`` relative to ``root``) would have if committed, None
    where there is no such file inside the work tree. One ``git hash-object --stdin-paths``, with the repository's
    filters, for all of them."""
    top = root.resolve()
    # A path from a hostile text: never one with a line break (one path a line) or outside the work tree.
    present = [
        path
        for path in dict.fromkeys(paths)
        if askable(path) and (root / path).resolve().is_relative_to(top) and (root / path).is_file()
    ]
    if not present:
        return [None] * len(paths)
    ids = run(root, "hash-object", "--stdin-paths", stdin=b"".join(path_to_git(path) + b"\n" for path in present))
    found = dict(zip(present, ids.decode().split(), strict=True))
    return [found.get(path) for path in paths]


def uncommitted_paths(root: Path) -> set[str]:
    """Return the paths (relative to ``root``) that differ from ``HEAD`` in the index or the work tree, new files
    included: one ``git status``."""
    tokens = run(root, "status", "--porcelain", "-z", "--untracked-files=all").split(b"\0")
    found: set[str] = set()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if len(token) > 3:
            found.add(path_from_git(token[3:]))
            if token[:1] in (b"R", b"C") and index < len(tokens):  # a rename's old path follows
                found.add(path_from_git(tokens[index]))
                index += 1
    return found


# -- where a commit stands against a branch (history/branch.py decides what that means) --------------------


def upstream_of(root: Path, branch: str) -> str | None:
    """Return the name of ``branch``'s upstream (``origin/main``), or None when it has none."""
    try:
        name = run(root, "rev-parse", "--abbrev-ref", f"{branch}@{{upstream}}").decode("utf-8", "replace").strip()
    except GitError:
        return None
    return name or None


def current_branch(root: Path) -> str | None:
    """Return the checked-out branch's name, or None for a detached ``HEAD``."""
    try:
        name = run(root, "symbolic-ref", "-q", "--short", "HEAD").decode("utf-8", "replace").strip()
    except GitError:
        return None
    return name or None


def is_ancestor(root: Path, ancestor: str, descendant: str) -> bool:
    """Return whether commit ``ancestor`` is reachable from ``descendant`` (or is it)."""
    result = subprocess.run(
        ["git", "merge-base", "--is-ancestor", ancestor, descendant], cwd=root, capture_output=True, check=False
    )
    return result.returncode == 0


def count_commits(root: Path, exclude: str, include: str) -> int:
    """Return how many commits ``include`` reaches that ``exclude`` does not (``git rev-list --count A..B``)."""
    return int(run(root, "rev-list", "--count", f"{exclude}..{include}").decode().strip() or 0)
