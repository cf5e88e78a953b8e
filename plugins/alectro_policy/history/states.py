"""A document's states along the main line: its file at each commit, its own pictures, and what arrived there.

Also ``text_changes``, whether a commit changed what a reader sees of the document (``text.reading``'s rule,
with git's own merge for a merge commit): what decides an arrival's summary and editorial mark.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from ..text.document_text import reader_text
from ..text.reading import image_sources, seen_text, sees_a_difference
from .commits import Commit
from .editions import State
from .line import Line
from .main_line import ArrivalMessage, arrival_message
from .moves import graph_paths
from .repository import Repository

Pictures = tuple[tuple[str, str | None], ...]
"""A document's own pictures: (path in the repository, git object id or None where absent)."""


def document_states(repository: Repository, line: Line, paths: list[str], start: int) -> Iterator[State]:
    """The document's state at each commit of ``line`` from ``start`` on (at ``paths``, one per commit of the
    line), with what arrived there said of it (``main_line.arrival_message``); read one text at a time."""
    changes_text = text_changes(repository, line.graph, graph_paths(line, paths))
    commit_of = {commit.sha: commit for commit in line.graph}.get  # a revert names the commit it undoes
    messages = [
        arrival_message(arrival.brought, changes_text, commit_of=commit_of) for arrival in line.arrivals[start:]
    ]
    return _states(repository, line.commits[start:], paths[start:], messages)


def own_image_paths(source_path: str, content: bytes | None) -> list[str]:
    """The repository paths of the images a document's file (at ``source_path``) shows from the site itself
    (relative ``src``); none for a file that is not readable text."""
    if content is None or (b"![" not in content and b"<img" not in content.lower()):
        return []  # no picture without one of these: the text need not be read nor rendered
    text = reader_text(content)
    return image_paths_in(source_path, text) if text is not None else []


def image_paths_in(source_path: str, text: str) -> list[str]:
    """The repository paths of the images ``text`` (the document at ``source_path``, normalised) shows from the
    site itself."""
    folder = posixpath.dirname(source_path)
    paths: list[str] = []
    for src in image_sources(text):
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue
        paths.append(posixpath.normpath(posixpath.join(folder, unquote(parts.path))))
    return paths


def _states(
    repository: Repository, commits: list[Commit], paths: list[str], messages: list[ArrivalMessage]
) -> Iterator[State]:
    """The document's state at each of ``commits`` (at ``paths``, with what arrived there: ``messages``).

    Its own images are found first (each distinct text once), so that a state is whole when it is made;
    a commit that did not touch the file shares its predecessor's bytes.
    """
    oids = repository.object_ids([(commit.sha, path) for commit, path in zip(commits, paths, strict=True)])
    distinct = list(dict.fromkeys((path, oid) for path, oid in zip(paths, oids, strict=True) if oid is not None))
    contents = repository.blobs([oid for _, oid in distinct])
    image_paths = {
        (path, oid): own_image_paths(path, content) for (path, oid), content in zip(distinct, contents, strict=True)
    }
    wanted = [
        [(commit.sha, image) for image in image_paths[path, oid]] if oid is not None else []
        for commit, path, oid in zip(commits, paths, oids, strict=True)
    ]
    image_ids = iter(repository.object_ids([pair for pairs in wanted for pair in pairs]))
    images = [tuple((image, next(image_ids)) for _, image in pairs) for pairs in wanted]
    changed = [oid is not None and (index == 0 or oid != oids[index - 1]) for index, oid in enumerate(oids)]
    blobs = repository.blobs([oid for oid, new in zip(oids, changed, strict=True) if oid is not None and new])
    content: bytes | None = None
    for index, (commit, message) in enumerate(zip(commits, messages, strict=True)):
        if oids[index] is None:
            content = None
        elif changed[index]:
            content = next(blobs)
        yield State(
            commit.sha,
            commit.committed_at,
            message.summary,
            message.description,
            content,
            images[index],
            editorial=message.editorial,
            path=paths[index],
        )


_TEXTS_KEPT = 16
"""Texts kept at once while commits are compared with their parents: neighbours in the history, so a few do."""


def text_changes(
    repository: Repository, graph: list[Commit], paths: str | Mapping[str, tuple[str, ...]]
) -> Callable[[Commit], bool]:
    """Return a test of whether a commit of ``graph`` changed the document as a reader sees it: its text or a
    picture it shows (the rule for which commits must carry ``Edition: editorial``).

    The document is at ``paths[commit]`` (where it may be in that commit, the first found), or at the one path
    ``paths``. Changed: its text reads differently from every parent's and, for a merge, from what git's own
    merge of its parents gives (so only a hand edit in a merge counts); or it reads the same but one of its own
    pictures differs from every parent's. Texts are read on demand and only a few kept: memory does not grow
    with the number of commits; the pictures' ids are asked all at once, the first time one is needed."""
    candidates = [(c.sha, (paths,) if isinstance(paths, str) else paths.get(c.sha, ())) for c in graph]
    ids: dict[str, str | None] = {sha: None for sha, _ in candidates}
    for attempt in range(max((len(found) for _, found in candidates), default=0)):
        asked = [(sha, found[attempt]) for sha, found in candidates if ids[sha] is None and len(found) > attempt]
        for (sha, _), oid in zip(asked, repository.object_ids(asked), strict=True):
            ids[sha] = oid
    path_of = {sha: next(iter(found), "") for sha, found in candidates}

    @lru_cache(maxsize=_TEXTS_KEPT)
    def text(oid: str) -> str:
        return seen_text(repository.blob(oid) or b"")

    pictures: dict[str, Pictures] = {}

    def pictures_of(sha: str) -> Pictures:
        if not pictures:  # every commit's pictures at once, the first time one is asked
            # Each distinct text at its place read once, all asked of git at once, one held at a time.
            places = list(dict.fromkeys((path_of[sha], oid) for sha, oid in ids.items() if oid))
            contents = repository.blobs([oid for _, oid in places])
            shown = {place: own_image_paths(place[0], content) for place, content in zip(places, contents, strict=True)}
            images = {sha: shown[path_of[sha], oid] if oid else [] for sha, oid in ids.items()}
            found = iter(repository.object_ids([(sha, image) for sha, paths in images.items() for image in paths]))
            pictures.update({sha: tuple((image, next(found)) for image in paths) for sha, paths in images.items()})
            pictures[""] = ()  # asked once even when no commit shows a picture
        return pictures.get(sha, ())

    def changed(commit: Commit) -> bool:
        own = ids.get(commit.sha)
        parents = [ids.get(parent) for parent in commit.parents]
        same_text = own in parents or any(
            own is not None and oid is not None and not sees_a_difference(text(own), text(oid)) for oid in parents
        )
        if same_text:
            return own is not None and all(pictures_of(commit.sha) != pictures_of(p) for p in commit.parents)
        if commit.is_merge:
            return repository.merged_id(commit.parents, path_of[commit.sha]) != own
        return True

    return changed
