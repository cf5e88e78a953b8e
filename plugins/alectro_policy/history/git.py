"""Reading a document's history from git in a fixed number of processes.

One ``git log`` lists every commit of ``HEAD``'s history (hashes, parents,
times); one ``git cat-file --batch`` returns the raw commit objects, whose
messages are parsed here; one more returns the document's bytes at every
commit. Nothing here knows about editions or MkDocs.

A commit message is hostile input: any bytes, in any declared encoding. What
leaves this module is text an HTML page, an XML feed and JSON can all carry.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


class GitError(Exception):
    """Git could not answer; the message says what to do."""


class NotARepository(GitError):
    """The project is not inside a git work tree (for example an exported archive)."""


class ShallowClone(GitError):
    """The clone is shallow, so the history of editions would be incomplete."""


@dataclass(frozen=True)
class Commit:
    sha: str
    committed_at: datetime
    subject: str
    body: str
    parents: tuple[str, ...] = ()

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


# Only what git itself writes and checks; the message is read from the commit object, never split out of log output.
# The times are empty when a commit's committer or author line is malformed (git fsck would say so).
_LOG_FORMAT = "%H:%P:%ct:%at"
# Not allowed in XML 1.0, or invisible controls: C0 but tab and newline, DEL, C1, surrogates, U+FFFE/U+FFFF.
_UNDISPLAYABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# Git keeps up to 96 MB of delta bases by default: reading 5,000 versions of a 100 KB file, its cat-file grows to
# 105 MB, more than the whole build. 16 MB costs no time here (bench/history_memory.py) and holds 23 MB.
CAT_FILE = ("-c", "core.deltaBaseCacheLimit=16m", "cat-file", "--batch")


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        # Git's own messages in English whatever the editor's locale: repository_root() tells them apart.
        result = subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"}
        )
    except FileNotFoundError as error:
        raise GitError(
            "the 'git' command is not installed: install it ('apt-get install git') and build again"
        ) from error
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        shown = args[2:] if args[:1] == ("-c",) else args  # the command, not its memory setting
        raise GitError(f"'git {' '.join(shown[:3])}' failed: {message}")
    return result.stdout


def repository_root(path: Path) -> Path:
    """Return the top of the git work tree holding ``path``; raise ``NotARepository`` outside one."""
    try:
        return Path(_git(path, "rev-parse", "--show-toplevel").decode().strip())
    except GitError as error:
        if "not a git repository" in str(error).lower():
            raise NotARepository(f"{path} is not inside a git repository") from error
        if "safe.directory" in str(error):
            raise GitError(
                f"git refuses to read the repository holding {path}: it belongs to another user. If you trust it, "
                f"run 'git config --global --add safe.directory <the repository's folder>' and build again. {error}"
            ) from error
        raise


def ensure_full_history(root: Path) -> None:
    """Raise ``ShallowClone`` when ``root`` is a shallow clone."""
    if _git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true":
        raise ShallowClone(
            "this is a shallow git clone, so older editions are missing. "
            "Run 'git fetch --unshallow', or in GitHub Actions set 'fetch-depth: 0' on actions/checkout."
        )


def has_commits(root: Path) -> bool:
    """Return whether ``HEAD`` points at a commit (a fresh ``git init`` has none)."""
    return subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True).returncode == 0


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
    git_dir, common_dir = (
        _git(root, "rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir").decode().split("\n")[:2]
    )
    candidates = [Path(common_dir) / "refs" / "heads", Path(git_dir) / "logs"]
    return [path for path in candidates if path.is_dir()]


def resolve(root: Path, revision: str) -> str:
    """Return the full hash of ``revision`` (a hash, tag or branch); raise ``GitError`` if unknown."""
    try:
        return _git(root, "rev-parse", "--verify", "-q", f"{revision}^{{commit}}").decode().strip()
    except GitError as error:
        raise GitError(f"git knows no commit or tag '{revision}'") from error


def history_graph(root: Path, revision: str = "HEAD") -> list[Commit]:
    """Return every commit reachable from ``revision`` with its parents, oldest first in topological order
    (a commit after all its parents); one ``git log``, one ``git cat-file``."""
    raw = _git(root, "log", "--topo-order", "--reverse", "-z", f"--format={_LOG_FORMAT}", revision, "--")
    listed: list[tuple[str, tuple[str, ...], int]] = []
    for record in raw.decode("ascii", "replace").split("\0"):
        if not record.strip():
            continue
        sha, parent_list, committed, authored = (record.strip().split(":", 3) + ["", "", ""])[:4]
        # A commit whose time cannot be read takes its predecessor's: it moves no edition's date.
        times = [int(text) for text in (committed, authored) if text.isdigit()]
        listed.append((sha, tuple(parent_list.split()), times[0] if times else (listed[-1][2] if listed else 0)))
    objects = _cat_file(root, [sha for sha, _, _ in listed])
    commits = []
    for (sha, parents, timestamp), found in zip(listed, objects, strict=False):
        subject, body = commit_message(found[1] if found and found[0] == b"commit" else b"")
        commits.append(Commit(sha, datetime.fromtimestamp(timestamp, tz=UTC), subject, body, parents))
    return commits


def clean_merge_ids(root: Path, requests: list[tuple[tuple[str, ...], str]]) -> list[str | None]:
    """Return, per ``(parents, path)``, the object id ``path`` would have if git merged ``parents`` with no
    hand edit, or None when that merge conflicts, has no such file, or git cannot tell (an octopus).

    One ``git merge-tree`` per request: asked only for merges whose file differs from every parent's.
    """
    ids: list[str | None] = []
    for parents, path in requests:
        if len(parents) != 2:
            ids.append(None)
            continue
        try:
            tree = _git(root, "merge-tree", "--write-tree", "--no-messages", *parents).split(b"\n", 1)[0]
        except GitError:
            ids.append(None)  # a conflict (exit status 1) or no merge base git can use
            continue
        ids.append(object_ids(root, [(tree.decode("ascii", "replace").strip(), path)])[0])
    return ids


def commit_message(raw: bytes) -> tuple[str, str]:
    """Return ``(subject, body)`` of a raw commit object, both displayable (see ``displayable``).

    The subject is what ``git log --format=%s`` shows: the first paragraph, its
    lines joined by spaces; the body is the rest. The message is decoded by the
    commit's ``encoding`` header when Python knows it, else as UTF-8; bytes that
    do not decode become U+FFFD. Never raises.
    """
    headers, separator, message = raw.partition(b"\n\n")
    if not separator:
        message = b""
    encoding = "utf-8"
    for line in headers.split(b"\n"):
        if line.startswith(b"encoding "):
            name = line[len(b"encoding ") :].decode("ascii", "replace").strip()
            try:
                encoding = codecs.lookup(name).name
            except LookupError:
                pass
    try:
        text = message.decode(encoding, "replace")
    except Exception:  # a codec that fails other than by UnicodeDecodeError (e.g. a bad 'idna' label)
        text = message.decode("utf-8", "replace")
    lines = [line.rstrip() for line in displayable(text).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    end = lines.index("") if "" in lines else len(lines)
    subject = " ".join(line.strip() for line in lines[:end])
    body = "\n".join(lines[end:]).strip()
    return subject.strip(), body


def displayable(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 forbids or that are invisible controls.

    Tabs and newlines stay; carriage returns become newlines; every other
    control character (C0, DEL, C1), lone surrogate and U+FFFE/U+FFFF is removed.
    """
    return _UNDISPLAYABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _cat_file(root: Path, names: list[str]) -> list[tuple[bytes, bytes] | None]:
    """Return ``(type, content)`` of each object name (``sha`` or ``sha:path``), None where missing.

    One ``git cat-file --batch`` process answers for all of them.
    """
    if not names:
        return []
    output = _git(root, *CAT_FILE, stdin="".join(f"{name}\n" for name in names).encode())
    found: list[tuple[bytes, bytes] | None] = []
    position = 0
    for _ in names:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split()
        position = header_end + 1
        if header[-1] in (b"missing", b"ambiguous") or len(header) < 3:
            found.append(None)
            continue
        size = int(header[2])
        found.append((header[1], output[position : position + size]))
        position += size + 1
    return found


def files_at_commits(root: Path, requests: list[tuple[str, str]]) -> list[bytes | None]:
    """Return the bytes of each ``(commit, path relative to root)``, None where the file is absent.

    One ``git cat-file --batch`` process answers for all of them.
    """
    objects = _cat_file(root, [f"{sha}:{path}" for sha, path in requests])
    return [content if kind == b"blob" else None for kind, content in (found or (b"", b"") for found in objects)]


def blobs(root: Path, ids: list[str]) -> dict[str, bytes]:
    """Return the content of each blob in ``ids`` (object ids), by id; one ``git cat-file --batch``."""
    found = _cat_file(root, ids)
    return {oid: item[1] for oid, item in zip(ids, found, strict=True) if item is not None and item[0] == b"blob"}


def renames_along(root: Path, line: list[str]) -> list[dict[str, str]]:
    """Return, per commit of ``line`` (a line of history, oldest first), the files it renamed or moved relative
    to the commit before it in ``line``: new path → old path (git's rename detection, so a move with an edit in
    the same commit counts). The first commit's entry is empty. One ``git diff-tree --stdin`` for the whole line.
    """
    # Each commit compared with its predecessor on the line, whatever its git parents are.
    found = renames_between(root, list(zip(line[1:], line, strict=False)))
    return [{}, *(found.get(commit, {}) for commit in line[1:])] if line else []


def renames_between(root: Path, pairs: list[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """Return, per ``(commit, earlier)`` of ``pairs`` (each commit once), the files ``commit`` renamed or moved
    relative to ``earlier``: commit → new path → old path; commits that renamed nothing are left out. One ``git
    diff-tree --stdin`` for all of them."""
    renames: dict[str, dict[str, str]] = {}
    if not pairs:
        return renames
    wanted = {commit for commit, _ in pairs}
    lines = "".join(f"{commit} {earlier}\n" for commit, earlier in pairs)
    output = _git(
        root, "diff-tree", "--stdin", "-r", "-M", "--diff-filter=R", "--name-status", "-z", stdin=lines.encode()
    )
    tokens = output.split(b"\0")
    current: dict[str, str] | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not token:
            continue
        if token[:1] == b"R" and token[1:].isdigit() and index + 1 < len(tokens) and current is not None:
            old, new = (
                tokens[index].decode("utf-8", "surrogateescape"),
                tokens[index + 1].decode("utf-8", "surrogateescape"),
            )
            current[new] = old
            index += 2
        else:
            # A commit's header: the hash it was asked about (paths only ever follow a status, read above).
            sha = token.decode("ascii", "replace").strip()
            current = renames.setdefault(sha, {}) if sha in wanted else None
    return {commit: found for commit, found in renames.items() if found}


def stream_blobs(root: Path, ids: list[str]) -> Iterator[bytes | None]:
    """Yield the content of each object in ``ids`` (blob ids, in order; None where missing), one at a time.

    One ``git cat-file --batch`` process answers for all of them; only the object being read is held in
    memory, so a long history of a large file costs one file's size, not the history's.
    """
    try:
        process = subprocess.Popen(
            ["git", *CAT_FILE],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "LC_ALL": "C"},
        )
    except FileNotFoundError as error:
        raise GitError(
            "the 'git' command is not installed: install it ('apt-get install git') and build again"
        ) from error
    assert process.stdin is not None and process.stdout is not None
    requests = process.stdin

    def write_requests() -> None:
        # From a thread: git answers while it reads, and a full pipe either way would stall both sides.
        try:
            for oid in ids:
                requests.write(f"{oid}\n".encode())
        except BrokenPipeError:
            pass
        finally:
            try:
                requests.close()
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=write_requests, daemon=True)
    writer.start()
    try:
        while header := process.stdout.readline():
            parts = header.split()
            if len(parts) < 3 or parts[-1] in (b"missing", b"ambiguous"):
                yield None
                continue
            content = process.stdout.read(int(parts[2]))
            process.stdout.read(1)  # the newline after the content
            yield content if parts[1] == b"blob" else None
    finally:
        process.stdout.close()
        if process.poll() is None:
            process.kill()  # the reader stopped early: nothing more is wanted
        process.wait()
        writer.join()


class BlobReader:
    """One ``git cat-file --batch`` process asked for one object at a time, as the caller needs it (started on
    the first question, ended with the build's process or by ``close``)."""

    def __init__(self, root: Path):
        self._root = root
        self._process: subprocess.Popen[bytes] | None = None

    def read(self, oid: str) -> bytes | None:
        """Return the content of the blob ``oid``, or None when git has no such blob."""
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", *CAT_FILE],
                cwd=self._root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "LC_ALL": "C"},
            )
        assert self._process.stdin is not None and self._process.stdout is not None
        # One name per line: a name with a line break in it would be two questions.
        self._process.stdin.write(oid.replace("\n", " ").encode() + b"\n")
        self._process.stdin.flush()
        parts = self._process.stdout.readline().split()
        if len(parts) < 3 or parts[-1] in (b"missing", b"ambiguous"):
            return None
        content = self._process.stdout.read(int(parts[2]))
        self._process.stdout.read(1)
        return content if parts[1] == b"blob" else None

    def close(self) -> None:
        if self._process is not None:
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
            self._process.wait()
            self._process = None

    def __del__(self) -> None:
        self.close()


def object_ids(root: Path, requests: list[tuple[str, str]]) -> list[str | None]:
    """Return the object id of each ``(commit, path relative to root)``, None where absent.

    One ``git cat-file --batch-check`` process answers for all of them, without reading the files. A path no
    commit can hold (from a hostile text: a line break, NUL, or outside the repository) is absent: git would
    misread the batch or stop it.
    """
    asked = [(sha, path) for sha, path in requests if _inside_repository(path)]
    if not asked:
        return [None] * len(requests)
    names = "".join(f"{sha}:{path}\n" for sha, path in asked).encode()
    # One line per name, ended by "\n" only: a name may hold what str.splitlines() also splits at (\x1e, \x85…).
    lines = _git(root, "cat-file", "--batch-check", stdin=names).decode("utf-8", "replace").split("\n")[:-1]
    ids: list[str | None] = []
    for line in lines:
        # "<id> blob <size>", or "<name> missing" (a name may hold spaces: read from the right).
        parts = line.rsplit(" ", 2)
        ids.append(parts[0] if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit() else None)
    found = dict(zip(asked, ids, strict=True))
    return [found.get(request) for request in requests]


def _inside_repository(path: str) -> bool:
    """Whether ``path`` (relative to the repository's top) can name a file of a commit, one line of a batch."""
    parts = path.split("/")
    return bool(path) and not any(c in path for c in "\n\r\0") and not path.startswith("/") and ".." not in parts


def working_object_ids(root: Path, paths: list[str]) -> list[str | None]:
    """Return the object id each file of the work tree (``paths`` relative to ``root``) would have if committed, None
    where there is no such file inside the work tree. One ``git hash-object --stdin-paths``, with the repository's
    filters, for all of them."""
    top = root.resolve()
    # A path from a hostile text: never one with a line break (one path a line) or outside the work tree.
    present = [
        path
        for path in dict.fromkeys(paths)
        if _inside_repository(path) and (root / path).resolve().is_relative_to(top) and (root / path).is_file()
    ]
    if not present:
        return [None] * len(paths)
    ids = _git(root, "hash-object", "--stdin-paths", stdin="".join(f"{path}\n" for path in present).encode())
    found = dict(zip(present, ids.decode().split(), strict=True))
    return [found.get(path) for path in paths]


def last_message(root: Path) -> str:
    """Return the full message of ``HEAD``'s commit (subject and body), decoded leniently."""
    return _git(root, "log", "-1", "--format=%B", "HEAD").decode("utf-8", "replace")


def has_uncommitted_changes(root: Path, path: str) -> bool:
    """Return whether ``path`` (relative to ``root``) differs from ``HEAD`` in the index or the work tree."""
    return bool(_git(root, "status", "--porcelain", "--", path).strip())


def same_commit(root: Path, first: str, second: str) -> bool:
    """Return whether two revisions name the same commit."""
    return resolve(root, first) == resolve(root, second)


# -- where a commit stands against a branch (history/branch.py decides what that means) --------------------


def try_resolve(root: Path, revision: str) -> str | None:
    """Return the full hash of ``revision``, or None when git knows no such commit."""
    try:
        return resolve(root, revision)
    except GitError:
        return None


def upstream_of(root: Path, branch: str) -> str | None:
    """Return the name of ``branch``'s upstream (``origin/main``), or None when it has none."""
    try:
        name = _git(root, "rev-parse", "--abbrev-ref", f"{branch}@{{upstream}}").decode("utf-8", "replace").strip()
    except GitError:
        return None
    return name or None


def current_branch(root: Path) -> str | None:
    """Return the checked-out branch's name, or None for a detached ``HEAD``."""
    try:
        name = _git(root, "symbolic-ref", "-q", "--short", "HEAD").decode("utf-8", "replace").strip()
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
    return int(_git(root, "rev-list", "--count", f"{exclude}..{include}").decode().strip() or 0)
