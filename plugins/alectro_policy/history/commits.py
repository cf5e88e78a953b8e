"""Commits as the history reads them: their parents, times and messages, whatever bytes a message holds.

A commit message is hostile input: any bytes, in any declared encoding. What leaves this module is text an HTML
page, an XML feed and JSON can all carry.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..text.plain import displayable
from .git import CatFile, run


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


def read_graph(root: Path, revision: str, objects: CatFile) -> list[Commit]:
    """Return every commit reachable from ``revision`` (a full hash) with its parents, oldest first in topological
    order (a commit after all its parents): one ``git log``; the messages from the commit objects, ``objects``."""
    raw = run(root, "log", "--topo-order", "--reverse", "-z", f"--format={_LOG_FORMAT}", revision, "--")
    listed: list[tuple[str, tuple[str, ...], int]] = []
    for record in raw.decode("ascii", "replace").split("\0"):
        if not record.strip():
            continue
        sha, parent_list, committed, authored = (record.strip().split(":", 3) + ["", "", ""])[:4]
        # A commit whose time cannot be read takes its predecessor's: it moves no edition's date.
        times = [int(text) for text in (committed, authored) if text.isdigit()]
        listed.append((sha, tuple(parent_list.split()), times[0] if times else (listed[-1][2] if listed else 0)))
    commits = []
    for (sha, parents, timestamp), found in zip(listed, objects.contents([sha for sha, _, _ in listed]), strict=True):
        subject, body = commit_message(found[1] if found and found[0] == "commit" else b"")
        commits.append(Commit(sha, datetime.fromtimestamp(timestamp, tz=UTC), subject, body, parents))
    return commits


def merge_bases(parents: Mapping[str, tuple[str, ...]], first: str, second: str) -> list[str]:
    """Return the best common ancestors of commits ``first`` and ``second`` (``git merge-base --all``), read from
    ``parents`` (each commit's parents, as the graph gives them); none when the graph does not hold both."""
    if first not in parents or second not in parents:
        return []
    common = _ancestors(parents, first) & _ancestors(parents, second)
    # Best: not an ancestor of another common ancestor. Newest first (``parents`` is in the graph's order, oldest
    # first): the first one found takes out nearly all the others at once.
    beaten: set[str] = set()
    for commit in reversed([commit for commit in parents if commit in common]):
        if commit not in beaten:
            beaten |= _ancestors(parents, commit) - {commit}
    return sorted(common - beaten)


def _ancestors(parents: Mapping[str, tuple[str, ...]], start: str) -> set[str]:
    """``start`` and every commit it reaches through ``parents``."""
    seen, stack = {start}, [start]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def commit_message(raw: bytes) -> tuple[str, str]:
    """Return ``(subject, body)`` of a raw commit object, both displayable (``text.plain.displayable``).

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
