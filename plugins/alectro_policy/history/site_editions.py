"""Every listed document's editions for one build, read from the repository: the history room's pipeline.

``read_editions`` reads top to bottom: the documents as they are now, the main line, then for each document
its paths along the line, its states, its editions and its draft, each step in the module that owns it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from alectro_published.editions_file import site_today

from . import branch
from .draft import Working, draft, draft_message, read_working
from .editions import DocumentEditions, Edition, State, editions_from_states, refuse_future
from .line import Line, read_line
from .moves import former_paths_of, line_paths, published_as, refuse_unclaimed
from .published import PublishedEditions, editions_from_record, published_at
from .repository import Repository
from .states import document_states


@dataclass(frozen=True)
class EditionsRequest:
    """What a build asks of the history: the plugin's options as ``read_editions`` takes them
    (``config.PolicyConfig.editions_request`` makes one from ``mkdocs.yml``)."""

    docs_dir: Path
    documents: list[str]
    zone: ZoneInfo
    first_published: Mapping[str, str] = field(default_factory=dict)
    """Per document, the commit its history starts at (``first_published``)."""
    corrected_dates: Mapping[str, Mapping[int, date]] = field(default_factory=dict)
    """Per document, edition number → date (``edition_dates``)."""
    main_branch: str = "main"
    revision: str = "HEAD"
    """Whose main line is read: ``HEAD``, or the published line a branch's preview is numbered against."""
    published: PublishedEditions | None = None
    """The live editions.json (``published.read_editions_file``): its editions are kept as published."""
    today: date | None = None
    """The site's date (default: ``site_today(zone)``)."""
    paths_at_revision: Mapping[str, str] = field(default_factory=dict)
    """Per document's present path (relative to the repository), the path it had at ``revision`` when it moved
    since (``make changes`` on a branch that renames it, or moves ``docs_dir``): its editions are read there."""

    def path_at_revision(self, source_path: str) -> str:
        """Where the document now at ``source_path`` is read at ``revision`` (``paths_at_revision``)."""
        return self.paths_at_revision.get(source_path, source_path)

    def only(self, documents: list[str]) -> EditionsRequest:
        """The same request for ``documents`` (those of the work tree, for ``make changes``), with their options."""
        return EditionsRequest(
            self.docs_dir,
            documents,
            self.zone,
            {d: rev for d, rev in self.first_published.items() if d in documents},
            {d: dates for d, dates in self.corrected_dates.items() if d in documents},
            self.main_branch,
            self.revision,
            self.published,
            self.today,
            self.paths_at_revision,
        )


@dataclass(frozen=True)
class SiteEditions:
    documents: dict[str, DocumentEditions]
    """Keyed by the document's path relative to ``docs/``."""
    outside_git: bool = False
    """True when there is no git history at all: every document is a draft."""
    root: Path | None = None
    """The git work tree's top, read once per build (None outside git)."""
    line: Line | None = field(default=None, compare=False)
    """The main line read (None outside git): what ``redraft`` needs to make the drafts again."""

    def drafts(self) -> list[str]:
        return [path for path, history in self.documents.items() if history.draft]


def read_editions(request: EditionsRequest, repository: Repository | None = None) -> SiteEditions:
    """Return the editions (and any draft) of each document of ``request``, read through ``repository`` (by
    default the one holding ``docs_dir``, opened and closed here): those of ``request.revision``'s main line, the
    published ones kept as they are (``request.published``). Raises ``git.ShallowClone`` for a shallow clone,
    ``git.GitError`` when git cannot read the history, ``EditionError`` when it gives no trustworthy editions."""
    repo = repository or Repository.at(request.docs_dir)
    today = request.today or site_today(request.zone)
    working = read_working(request.docs_dir, request.documents, repo)
    if repo is None:
        return SiteEditions({d: _outside_git(d, now, today) for d, now in working.items()}, outside_git=True)
    repo.ensure_full_history()
    line = read_line(repo, request.revision, request.main_branch, request.published)
    listed = {request.path_at_revision(now.source_path) for now in working.values()}
    by_document, claimed = {}, set()
    for document, now in working.items():
        start = line.start(repo, document, request.first_published.get(document), request.main_branch)
        there = request.path_at_revision(now.source_path)
        paths = line_paths(repo, line, there, request.published, listed)
        recorded = published_as(request.published, there, line.commits, paths, listed) if request.published else None
        claimed.add(recorded or "")
        states = document_states(repo, line, paths, start)
        editions = _editions(request, now.source_path, states, recorded, request.corrected_dates.get(document))
        refuse_future(now.source_path, editions, today, request.zone.key)
        former = former_paths_of(paths[start:], line.commits[start:], editions)
        by_document[document] = _drafted(
            repo, line, DocumentEditions(document, now.source_path, editions, None, former), now, today
        )
    if request.published:
        refuse_unclaimed(repo, request.published, claimed, line.commits, repo.docs_prefix(request.docs_dir))
    if repository is None:
        repo.close()
    return SiteEditions(by_document, root=repo.root, line=line)


@dataclass(frozen=True)
class BuildRead:
    """What a build reads from git before its pages (``read_for_build``): the editions, and what it needs besides."""

    site: SiteEditions
    request: EditionsRequest
    """What the editions were read for: the options, the published line's commit and the record."""
    line_name: str | None
    """The published line a branch's preview is numbered against (``branch.line_to_number_against``), or None."""
    published: PublishedEditions | None
    """The record of what was live (``published.published_at``)."""
    repository: Repository | None
    """The handle they were read through, for past editions' pictures (the build closes it when pages are written)."""


def read_for_build(options: EditionsRequest, command: str) -> BuildRead:
    """Return what a build (``command``: ``build`` or ``serve``) reads for ``options`` (``editions_request``, made
    without git): the published line it numbers against (a preview on a branch shows its commits as the draft,
    numbered against main; a publish from it is refused), what was live there, and the editions, through one
    repository handle. Raises as ``read_editions`` does."""
    repository = Repository.at(options.docs_dir)
    line = branch.line_to_number_against(repository, options.main_branch, command)
    revision = line.commit if line else "HEAD"
    published = published_at(repository, revision)
    request = replace(options, revision=revision, published=published)
    return BuildRead(read_editions(request, repository), request, line.name if line else None, published, repository)


def redraft(site: SiteEditions, request: EditionsRequest, repository: Repository) -> SiteEditions:
    """Return ``site`` (what ``read_editions`` read for ``request`` through ``repository``) with each document's draft
    made again from the work tree as it is now: the pipeline's last step alone, for ``make serve`` after a save,
    while the history has not changed (``output.preview``). Raises ``EditionError`` as ``read_editions`` does."""
    if site.line is None:
        return read_editions(request, repository)
    today = request.today or site_today(request.zone)
    working = read_working(request.docs_dir, request.documents, repository)
    documents = {d: _drafted(repository, site.line, site.documents[d], now, today) for d, now in working.items()}
    return replace(site, documents=documents)


def _drafted(repository: Repository, line: Line, read: DocumentEditions, now: Working, today: date) -> DocumentEditions:
    """``read`` with the draft the document as it is now (``now``) makes, and what the commits it brings say."""
    message = draft_message(repository, line, now.source_path)
    next_edition = draft(read.editions, now, today, message)
    return replace(read, draft=next_edition, draft_message=message if next_edition else None)


def _outside_git(document: str, now: Working, today: date) -> DocumentEditions:
    """A document with no history: the draft of its first edition."""
    return DocumentEditions(document, now.source_path, (), draft((), now, today, None))


def _editions(
    request: EditionsRequest,
    source_path: str,
    states: Iterable[State],
    recorded: str | None,
    corrected: Mapping[int, date] | None,
) -> tuple[Edition, ...]:
    """The document's editions from its states: by git history alone, or keeping the live record's."""
    if request.published is None:
        return editions_from_states(source_path, states, request.zone, corrected)
    return editions_from_record(
        source_path, states, request.published, recorded, request.zone, corrected, request.main_branch
    )


def unpublishable(site: SiteEditions, branch_line: str | None, main_branch: str) -> list[str]:
    """Return why the site read as ``site`` must not be published, one sentence each with what to do: outside git,
    or a document with a draft. ``branch_line``: the published line a branch's preview numbers its draft against
    (``history.branch.draft_base``), None when the draft is uncommitted changes only."""
    if site.outside_git:
        return [
            "Editions: the site is not in a git repository (or it has no commits), so the policy is stamped "
            "as an unpublished draft. Build from a git clone of the repository to publish it."
        ]
    if branch_line is not None:
        return [
            f"Editions: {site.documents[path].source_path} differs from the editions on {branch_line}: "
            f"this branch's commits and edits "
            f"are shown as a draft of the next edition, which a merge into {main_branch} publishes."
            for path in site.drafts()
        ]
    return [
        f"Editions: {site.documents[path].source_path} has uncommitted changes, shown as a draft of the next edition. "
        f'Commit them (git commit -am "what changed") before publishing.'
        for path in site.drafts()
    ]
