"""The editions of every tracked document, read from the repository once per build."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from ..text.document_text import FrontMatterError, normalised_text, split_front_matter
from ..text.reading import image_sources, reads_the_same
from . import git
from .editions import (
    DocumentEditions,
    Draft,
    Edition,
    EditionError,
    State,
    draft_of,
    editions_from_states,
    refuse_future,
)
from .main_line import arrival_message, main_line

TODAY_ENV = "ALECTRO_TODAY"
"""For tests only: the date (YYYY-MM-DD) taken as today instead of the clock's."""


@dataclass(frozen=True)
class SiteEditions:
    documents: dict[str, DocumentEditions]
    """Keyed by the document's path relative to ``docs/``."""
    outside_git: bool = False
    """True when there is no git history at all: every document is a draft."""
    root: Path | None = None
    """The git work tree's top, read once per build (None outside git)."""

    def drafts(self) -> list[str]:
        return [path for path, history in self.documents.items() if history.draft]


def site_today(zone: ZoneInfo) -> date:
    """Return today's date in the site's time zone, by the real clock (never SOURCE_DATE_EPOCH).

    Tests set ``ALECTRO_TODAY=YYYY-MM-DD`` instead of moving the clock.
    """
    injected = os.environ.get(TODAY_ENV)
    if injected:
        return date.fromisoformat(injected)
    return datetime.now(zone).date()


def _working_source(docs_dir: Path, document: str) -> str:
    path = docs_dir / document
    if not path.is_file():
        raise EditionError(
            f"the plugin option 'documents' lists '{document}', but docs/{document} does not exist: "
            f"list the Markdown files of docs/ that are policy documents (paths relative to docs/)"
        )
    return path.read_text(encoding="utf-8-sig")


def _draft(document: str, editions: tuple[Edition, ...], working_source: str) -> Draft | None:
    try:
        return draft_of(editions, working_source)
    except FrontMatterError as error:
        raise EditionError(f"docs/{document} (as it is now, not yet committed): {error}. Fix the file") from None


def _own_image_paths(source_path: str, content: bytes | None) -> list[str]:
    """The repository paths of the images a document's text shows from the site itself (relative ``src``)."""
    if content is None:
        return []
    try:
        _, body = split_front_matter(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, FrontMatterError):
        return []  # editions_from_states names the file and the fix
    folder = posixpath.dirname(source_path)
    paths = []
    for src in image_sources(normalised_text(body)):
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue
        paths.append(posixpath.normpath(posixpath.join(folder, unquote(parts.path))))
    return paths


def _images_at_commits(
    root: Path, requests: list[tuple[str, str]], contents: list[bytes | None]
) -> list[tuple[tuple[str, str | None], ...]]:
    """Per state, its document's own images with their object ids at that commit (one more git process)."""
    # Consecutive commits mostly hold the same file: each distinct text is rendered for its images once.
    paths_of: dict[tuple[str, bytes | None], list[str]] = {}
    for (_, source), content in zip(requests, contents, strict=True):
        if (source, content) not in paths_of:
            paths_of[source, content] = _own_image_paths(source, content)
    wanted = [
        [(sha, path) for path in paths_of[source, content]]
        for (sha, source), content in zip(requests, contents, strict=True)
    ]
    ids = iter(git.object_ids(root, [pair for pairs in wanted for pair in pairs]))
    return [tuple((path, next(ids)) for _, path in pairs) for pairs in wanted]


def read_editions(
    docs_dir: Path,
    documents: list[str],
    first_published: dict[str, str],
    zone: ZoneInfo,
    today: date | None = None,
    revision: str = "HEAD",
    corrected_dates: Mapping[str, Mapping[int, date]] | None = None,
    main_branch: str = "main",
) -> SiteEditions:
    """Return the editions (and any uncommitted draft) of each document in ``documents``.

    The editions are those of ``revision``'s main line (``HEAD``: the checked-out branch), as
    ``main_line`` walks it: at a merge, the parent that was ``main_branch``.

    Raises ``git.ShallowClone`` for a shallow clone, ``git.GitError`` when git
    cannot read the history or a ``first_published`` commit, and ``EditionError``
    for a history that cannot give trustworthy editions, such as one dated after
    ``today`` (by default ``site_today(zone)``).
    """
    today = today or site_today(zone)
    unknown = sorted(set(corrected_dates or {}) - set(documents))
    if unknown:
        raise EditionError(f"'edition_dates' names {', '.join(unknown)}, which 'documents' does not list")
    unknown = sorted(set(first_published) - set(documents))
    if unknown:
        raise EditionError(f"'first_published' names {', '.join(unknown)}, which 'documents' does not list")
    working = {document: _working_source(docs_dir, document) for document in documents}
    try:
        root = git.repository_root(docs_dir)
    except git.NotARepository:
        root = None
    if root is None or not git.has_commits(root):
        drafts = {d: DocumentEditions(d, f"{docs_dir.name}/{d}", (), _draft(d, (), working[d])) for d in documents}
        return SiteEditions(drafts, outside_git=True)
    git.ensure_full_history(root)

    graph = git.history_graph(root, git.resolve(root, revision))
    arrivals = main_line(graph, git.resolve(root, revision), main_branch)
    commits = [arrival.commit for arrival in arrivals]
    index_of = {commit.sha: index for index, commit in enumerate(commits)}
    relative_docs = docs_dir.resolve().relative_to(root.resolve()).as_posix()
    requests: list[tuple[str, str]] = []
    spans: dict[str, tuple[int, int, str]] = {}
    for document in documents:
        start = 0
        if document in first_published:
            sha = git.resolve(root, first_published[document])
            if sha not in index_of:
                raise EditionError(
                    f"first_published for {document} is {first_published[document]}, which is not on the main line "
                    f"(guides/editor.md «Редакции»: the commits that reached {main_branch}): name a commit of the "
                    f"main branch"
                )
            start = index_of[sha]
        source_path = document if relative_docs == "." else f"{relative_docs}/{document}"
        spans[document] = (len(requests), start, source_path)
        requests.extend((commit.sha, source_path) for commit in commits[start:])
    contents = git.files_at_commits(root, requests)

    images = _images_at_commits(root, requests, contents)
    by_document = {}
    for document in documents:
        offset, start, source_path = spans[document]
        changes_text = text_changes(root, graph, source_path)
        messages = [arrival_message(arrival.brought, changes_text) for arrival in arrivals[start:]]
        states = [
            State(
                c.sha, c.committed_at, m.summary, m.description, contents[offset + i], images[offset + i], m.editorial
            )
            for i, (c, m) in enumerate(zip(commits[start:], messages, strict=True))
        ]
        editions = editions_from_states(source_path, states, zone, (corrected_dates or {}).get(document))
        refuse_future(source_path, editions, today, zone.key)
        by_document[document] = DocumentEditions(
            document, source_path, editions, _draft(document, editions, working[document])
        )
    return SiteEditions(by_document, root=root)


def text_changes(root: Path, graph: list[git.Commit], source_path: str) -> Callable[[git.Commit], bool]:
    """Return a test of whether a commit of ``graph`` changed the text of ``source_path`` as a reader sees it:
    its text reads differently from every parent's and, for a merge, from what git's own merge of its parents
    gives (so only a hand edit in a merge counts). Each distinct text is read once, in one git process."""
    ids = dict(zip((c.sha for c in graph), git.object_ids(root, [(c.sha, source_path) for c in graph]), strict=True))
    texts: dict[str, str] = {}
    read: list[bool] = []

    def read_texts() -> None:
        read.append(True)
        wanted: set[str] = set()
        for commit in graph:
            own, parents = ids.get(commit.sha), [ids.get(parent) for parent in commit.parents]
            if own not in parents:
                wanted.update(oid for oid in (own, *parents) if oid is not None)
        for oid, content in git.blobs(root, sorted(wanted)).items():
            try:
                texts[oid] = normalised_text(split_front_matter(content.decode("utf-8-sig"))[1])
            except (UnicodeDecodeError, FrontMatterError):
                texts[oid] = "\0" + oid  # unreadable: unlike any other text (editions_from_states names the file)

    def changed(commit: git.Commit) -> bool:
        own = ids.get(commit.sha)
        parents = [ids.get(parent) for parent in commit.parents]
        if own in parents:
            return False
        if not read:
            read_texts()
        for oid in parents:
            if own is not None and oid is not None and reads_the_same(texts.get(own, ""), texts.get(oid, "")):
                return False
        if commit.is_merge:
            return git.clean_merge_ids(root, [(commit.parents, source_path)])[0] != own
        return True

    return changed
