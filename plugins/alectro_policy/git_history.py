"""Reading a document's history from git in a fixed number of processes.

One ``git log`` lists the first-parent history of ``HEAD``; one
``git cat-file --batch`` returns the document's bytes at every commit. Nothing
here knows about editions or MkDocs.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
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
    parents: tuple[str, ...]
    committed_at: datetime
    subject: str
    body: str


_FIELD, _RECORD = "\x1f", "\x1e"
_LOG_FORMAT = _FIELD.join(["%H", "%P", "%ct", "%s", "%b"]) + _RECORD


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        # Git's own messages in English whatever the editor's locale: repository_root() tells them apart.
        result = subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"}
        )
    except FileNotFoundError as error:
        raise GitError("the 'git' command is not installed: install it ('apt-get install git') and build again") from error
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"'git {' '.join(args[:3])}' failed: {message}")
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


def resolve(root: Path, revision: str) -> str:
    """Return the full hash of ``revision`` (a hash, tag or branch); raise ``GitError`` if unknown."""
    try:
        return _git(root, "rev-parse", "--verify", "-q", f"{revision}^{{commit}}").decode().strip()
    except GitError as error:
        raise GitError(f"git knows no commit or tag '{revision}'") from error


def first_parent_history(root: Path, revision: str = "HEAD") -> list[Commit]:
    """Return the first-parent history of ``revision``, oldest first (one ``git log``)."""
    raw = _git(root, "log", "--first-parent", "--reverse", f"--format={_LOG_FORMAT}", revision, "--")
    commits = []
    for record in raw.decode("utf-8", "replace").split(_RECORD):
        record = record.lstrip("\n")
        if not record:
            continue
        sha, parents, timestamp, subject, body = record.split(_FIELD, 4)
        commits.append(
            Commit(
                sha=sha,
                parents=tuple(parents.split()),
                committed_at=datetime.fromtimestamp(int(timestamp), tz=timezone.utc),
                subject=subject.strip(),
                body=body.strip(),
            )
        )
    return commits


def files_at_commits(root: Path, requests: list[tuple[str, str]]) -> list[bytes | None]:
    """Return the bytes of each ``(commit, path relative to root)``, None where the file is absent.

    One ``git cat-file --batch`` process answers for all of them.
    """
    if not requests:
        return []
    batch = "".join(f"{sha}:{path}\n" for sha, path in requests).encode()
    output = _git(root, "cat-file", "--batch", stdin=batch)
    contents: list[bytes | None] = []
    position = 0
    for _ in requests:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split()
        position = header_end + 1
        if header[-1] == b"missing" or header[1] != b"blob":
            contents.append(None)
            continue
        size = int(header[2])
        contents.append(output[position : position + size])
        position += size + 1
    return contents


def last_message(root: Path) -> str:
    """Return the full message of ``HEAD``'s commit (subject and body), decoded leniently."""
    return _git(root, "log", "-1", "--format=%B", "HEAD").decode("utf-8", "replace")


def has_uncommitted_changes(root: Path, path: str) -> bool:
    """Return whether ``path`` (relative to ``root``) differs from ``HEAD`` in the index or the work tree."""
    return bool(_git(root, "status", "--porcelain", "--", path).strip())


def same_commit(root: Path, first: str, second: str) -> bool:
    """Return whether two revisions name the same commit."""
    return resolve(root, first) == resolve(root, second)
