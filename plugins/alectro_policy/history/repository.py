"""The editions of every tracked document, read from the repository once per build."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache, lru_cache, partial
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from ..dates import parse_day
from ..text.document_text import FrontMatterError, normalised_text, split_front_matter
from ..text.reading import image_sources, reads_the_same
from . import git
from .editions import (
    DocumentEditions,
    Edition,
    EditionError,
    FormerPath,
    State,
    editions_from_states,
    pending_edition,
    refuse_future,
)
from .main_line import Arrival, ArrivalMessage, MainLineError, arrival_message, brought_by, main_line
from .moves import document_paths, former_paths, paths_before
from .record import FIX as _RECORD_FIX
from .record import PublishedEdition, Record, editions_from_record

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
        return parse_day(injected)
    return datetime.now(zone).date()


def _working_source(docs_dir: Path, document: str) -> bytes:
    path = docs_dir / document
    # Named by the site's own docs_dir (docs/, Policies/…), as the editor sees it.
    shown = f"{docs_dir.name}/{document}"
    if not path.is_file():
        raise EditionError(
            f"the plugin option 'documents' lists '{document}', but {shown} does not exist: "
            f"list the Markdown files of {docs_dir.name}/ that are policy documents (paths relative to it)"
        )
    if path.resolve().parent != docs_dir.resolve() / Path(document).parent or path.is_symlink():
        raise EditionError(
            f"{shown} is a symbolic link (or lies behind one): its editions would be the link's, not the text's. "
            f"Put the document itself in {docs_dir.name}/ (replace the link by the file: "
            f"'cp --remove-destination \"$(readlink -f {shown})\" {shown}') and commit it"
        )
    return path.read_bytes()


def _refuse_submodule(docs_dir: Path, document: str) -> None:
    """Raise ``EditionError`` when ``document`` lies in another git repository than the site's own folder (the
    one holding ``docs_dir``): a submodule, whose commits are not the site's. A site that is itself a submodule
    of a larger repository is fine."""
    folder = (docs_dir / document).parent
    try:
        site = git.repository_root(docs_dir.parent)
    except git.NotARepository:
        return  # docs_dir is the repository's top: nothing above it to differ from
    inner = git.repository_root(folder)
    if inner.resolve() != site.resolve():
        where = inner.relative_to(site) if inner.is_relative_to(site) else inner
        raise EditionError(
            f"{docs_dir.name}/{document} is inside the git submodule {where}/: "
            f"its history is the submodule's, not the site's, and its commits would become editions. Keep "
            f"policy documents in the site's own repository: copy the file out of the submodule (or replace the "
            f"submodule by its files) and commit it"
        )


def _draft(
    document: str,
    source_path: str,
    editions: tuple[Edition, ...],
    working: bytes,
    root: Path | None,
    today: date,
    message: ArrivalMessage | None = None,
) -> Edition | None:
    """The document as it is now (``working``) as the edition it would make after ``editions``, pictures included;
    its summary and mark what ``message`` (``_draft_message``) says."""
    paths = _own_image_paths(source_path, working)
    ids = git.working_object_ids(root, paths) if root is not None else [None] * len(paths)
    summary, editorial = (message.summary, message.editorial) if message else ("", False)
    try:
        return pending_edition(editions, working, tuple(zip(paths, ids, strict=True)), today, summary, editorial)
    except FrontMatterError as error:
        raise EditionError(f"{source_path} (as it is now, not yet committed): {error}. Fix the file") from None
    except UnicodeDecodeError:
        raise EditionError(
            f"{source_path} (as it is now) is not UTF-8 text (an editor saved it in another encoding, such as "
            f"Windows-1251): save it as UTF-8 (in the editor's 'Save as…', encoding UTF-8) and build again"
        ) from None


def _brought_by_head(
    root: Path, graph: list[git.Commit], revision: str
) -> tuple[list[git.Commit], tuple[git.Commit, ...]]:
    """``HEAD``'s history, and the commits of it that ``revision`` (whose history is ``graph``) lacks: what merging
    the checked-out work into it would bring (a branch's commits). Nothing when ``HEAD`` is ``revision``."""
    head = git.resolve(root, "HEAD")
    if head == revision:
        return [], ()
    own = git.history_graph(root, head)
    return own, brought_by(own, head, {commit.sha for commit in graph})


def _draft_message(
    root: Path, own: list[git.Commit], brought: tuple[git.Commit, ...], source_path: str
) -> ArrivalMessage | None:
    """What the commits ``brought`` (of ``HEAD``'s history ``own``) say of the document at ``source_path`` as one
    arrival merged with git's or a forge's message, as ``make changes`` and ``make serve`` show it; None without
    such commits. Not editorial while the document has uncommitted edits: they carry no trailer."""
    if not brought:
        return None
    message = arrival_message(brought, text_changes(root, own, source_path), merged=True)
    if message.editorial and git.has_uncommitted_changes(root, source_path):
        return replace(message, editorial=False, listed_editorial=False)
    return message


def _own_image_paths(source_path: str, content: bytes | None) -> list[str]:
    """The repository paths of the images a document's text shows from the site itself (relative ``src``)."""
    if content is None:
        return []
    try:
        _, body = split_front_matter(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, FrontMatterError):
        return []  # editions_from_states names the file and the fix
    return _image_paths_in(source_path, normalised_text(body))


def _image_paths_in(source_path: str, text: str) -> list[str]:
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


def _image_paths_by_blob(root: Path, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """Per distinct ``(path, blob id)`` of the document, the repository paths of its own images.

    Each distinct text is read once, streamed, and only its image paths are kept.
    """
    distinct = list(dict.fromkeys(pairs))
    found: dict[tuple[str, str], list[str]] = {}
    for (path, oid), content in zip(distinct, git.stream_blobs(root, [oid for _, oid in distinct]), strict=True):
        found[path, oid] = _own_image_paths(path, content)
    return found


def _states(root: Path, commits: list[git.Commit], paths: list[str], messages: list[ArrivalMessage]) -> Iterator[State]:
    """The document's state at each of ``commits`` (at ``paths``, with what arrived there: ``messages``), read one
    text at a time from one git process.

    Its own images are found first (each distinct text once), so that a state is whole when it is made;
    a commit that did not touch the file shares its predecessor's bytes.
    """
    oids = git.object_ids(root, [(commit.sha, path) for commit, path in zip(commits, paths, strict=True)])
    image_paths = _image_paths_by_blob(
        root, [(path, oid) for path, oid in zip(paths, oids, strict=True) if oid is not None]
    )
    wanted = [
        [(commit.sha, image) for image in image_paths[path, oid]] if oid is not None else []
        for commit, path, oid in zip(commits, paths, oids, strict=True)
    ]
    image_ids = iter(git.object_ids(root, [pair for pairs in wanted for pair in pairs]))
    images = [tuple((image, next(image_ids)) for _, image in pairs) for pairs in wanted]
    changed = [oid is not None and (index == 0 or oid != oids[index - 1]) for index, oid in enumerate(oids)]
    blobs = git.stream_blobs(root, [oid for oid, new in zip(oids, changed, strict=True) if oid is not None and new])
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


def _holds(root: Path, commits: list[git.Commit]) -> Callable[[int, str], bool]:
    """Whether the commit ``commits[index]`` holds a file at ``path``: asked of git only where a branch's moves
    must be followed (rarely)."""

    def holds(index: int, path: str) -> bool:
        try:
            return "\n" not in path and git.object_ids(root, [(commits[index].sha, path)]) != [None]
        except UnicodeEncodeError:  # a name git gave that is not UTF-8: never the site's document
            return False

    return holds


def _graph_paths(
    arrivals: list[Arrival], line_paths: list[str], branch_renames: list[list[dict[str, str]]]
) -> dict[str, tuple[str, ...]]:
    """Per commit of the history, where the document may be in it: at the path it had on the main line when
    that commit arrived there, or, for a commit of a branch that itself moved the document (once or more), a
    path it had on that branch before (``branch_renames``: per arrival, what its own commits renamed)."""
    found: dict[str, tuple[str, ...]] = {}
    for index, arrival in enumerate(arrivals):
        here = line_paths[index]
        before = line_paths[index - 1] if index else here
        paths: tuple[str, ...] = (here,)
        if before != here:
            paths = tuple(dict.fromkeys([*paths_before(here, branch_renames[index]), before]))
        for commit in arrival.brought:
            found[commit.sha] = paths
    return found


def _published_as(record: Record, source_path: str, line_paths: list[str]) -> str | None:
    """Where the record lists the document now at ``source_path``: under that path, or, for a document moved
    since it was published, under the latest path it had (``line_paths``, oldest first); None: not published."""
    return next((path for path in [source_path, *reversed(line_paths)] if path in record), None)


def _plain(source: str) -> bool:
    """Whether git may be asked of ``source``, a path the record (a file from the server) names: only a plain
    path inside the repository (one with a line break would be two lines to git, one outside it stops cat-file)."""
    inside = posixpath.normpath(source) == source and not source.startswith(("/", "../")) and source != ".."
    return bool(source) and inside and not {"\n", "\r"} & set(source)


def _unseen_move(
    root: Path, commits: list[git.Commit], line_paths: list[str], candidates: list[str]
) -> tuple[int, str] | None:
    """The latest commit of the line (its index) where the document appeared while it deleted exactly one of
    ``candidates`` (paths the live record says it, or a published document, had), and that path. A squash of a
    branch that moved the document, then rewrote it, is such a commit: to git a deletion and a new file."""
    candidates = [source for source in dict.fromkeys(candidates) if _plain(source)]
    if not candidates:
        return None
    oids = git.object_ids(root, [(commit.sha, path) for commit, path in zip(commits, line_paths, strict=True)])
    for index in range(len(oids) - 1, 0, -1):
        if oids[index] is None or oids[index - 1] is not None:
            continue
        before = git.object_ids(root, [(commits[index - 1].sha, source) for source in candidates])
        after = git.object_ids(root, [(commits[index].sha, source) for source in candidates])
        gone = [source for source, was, now in zip(candidates, before, after, strict=True) if was and not now]
        if len(gone) == 1:
            return index, gone[0]
    return None


def _followed_by_record(
    root: Path,
    record: Record,
    source_path: str,
    commits: list[git.Commit],
    renames: list[dict[str, str]],
    follow: Callable[[list[dict[str, str]]], list[str]],
    listed: set[str],
) -> list[str]:
    """The document's path at each commit of the line (``follow(renames)``, ``moves.document_paths``), with the
    moves git did not see that the live record tells of: a document the record knows under none of its paths,
    or whose published editions it says were committed at a path the line does not give, is followed back to
    the recorded path deleted by the commit where it appeared."""
    line_paths = follow(renames)
    for _ in range(len(line_paths)):
        recorded = _published_as(record, source_path, line_paths)
        if recorded is not None and not _misplaced(record[recorded], commits, line_paths):
            break
        if recorded is None:
            candidates = [source for source in record if source not in listed]
        else:
            candidates = [edition.source for edition in record[recorded] if edition.source != source_path]
        unseen = _unseen_move(root, commits, line_paths, candidates)
        if unseen is None:
            break
        index, old = unseen
        renames = [*renames[:index], {**renames[index], line_paths[index]: old}, *renames[index + 1 :]]
        line_paths = follow(renames)
    return line_paths


def _misplaced(editions: tuple[PublishedEdition, ...], commits: list[git.Commit], line_paths: list[str]) -> bool:
    """Whether a published edition was committed at another path than the line gives its commit."""
    at = {commit.sha: path for commit, path in zip(commits, line_paths, strict=True)}
    return any(edition.commit in at and at[edition.commit] != edition.source for edition in editions if edition.source)


def _refuse_unclaimed(root: Path, record: Record, claimed: set[str], commits: list[git.Commit], docs: str) -> None:
    """Raise ``EditionError`` for the first published document no listed document took the editions of: a build
    that went on would drop them (the new file of a move git did not see would start again at edition 1)."""
    for source, editions in record.items():
        if source in claimed:
            continue
        numbers = f"{editions[0].number}–{editions[-1].number}" if len(editions) > 1 else f"{editions[0].number}"
        held = git.object_ids(root, [(commit.sha, source) for commit in commits] if _plain(source) else [])
        last = max((index for index, oid in enumerate(held) if oid is not None), default=None)
        start = f"{source}: its published editions {numbers} belong to no document this build lists"
        fix = "; to withdraw it, publish with ALLOW_HISTORY_REWRITE=1, which builds by git history alone"
        if last is None or last == len(commits) - 1:
            listed = source.removeprefix(f"{docs}/") if docs != "." else source
            raise EditionError(
                f"{start}: the plugin option 'documents' in mkdocs.yml no longer lists {listed}. To keep its "
                f"editions, list it again" + fix
            )
        gone = commits[last + 1]
        raise EditionError(
            f"{start}: commit {gone.sha[:10]} ({gone.subject!r}) deleted it, and git does not see a move there (a "
            f"file renamed and rewritten in one commit is to git a deletion and a new file). To keep its editions, "
            f"undo that commit (git revert {gone.sha[:10]}), then move the file with git mv in one commit and "
            f"change its text in the next" + fix
        )


def _former_paths(paths: list[str], commits: list[git.Commit], editions: tuple[Edition, ...]) -> tuple[FormerPath, ...]:
    """Where the document was before its present path, each with how many editions it had there."""
    started = {edition.commit for edition in editions}
    count = 0
    last: dict[str, int] = {}
    for commit, path in zip(commits, paths, strict=True):
        count += commit.sha in started
        if count:
            last[path] = count
    return tuple(FormerPath(path, last[path]) for path in former_paths(paths) if path in last)


def read_editions(
    docs_dir: Path,
    documents: list[str],
    first_published: dict[str, str],
    zone: ZoneInfo,
    today: date | None = None,
    revision: str = "HEAD",
    corrected_dates: Mapping[str, Mapping[int, date]] | None = None,
    main_branch: str = "main",
    published: Record | None = None,
) -> SiteEditions:
    """Return the editions (and any uncommitted draft) of each document in ``documents``.

    The editions are those of ``revision``'s main line (``HEAD``: the checked-out branch), as
    ``main_line`` walks it: at a merge, the parent that was ``main_branch``. With ``published`` (the live
    editions.json, ``record.read_record``) the line passes through every published edition's commit, each
    published edition is kept as it is, and what came after the last is one new edition
    (``record.editions_from_record``).

    Raises ``git.ShallowClone`` for a shallow clone, ``git.GitError`` when git
    cannot read the history or a ``first_published`` commit, and ``EditionError``
    for a history that cannot give trustworthy editions, such as one dated after
    ``today`` (by default ``site_today(zone)``).
    """
    today = today or site_today(zone)
    working = {document: _working_source(docs_dir, document) for document in documents}
    try:
        root = git.repository_root(docs_dir)
    except git.NotARepository:
        root = None
    if root is None or not git.has_commits(root):
        drafts = {
            d: DocumentEditions(
                d, f"{docs_dir.name}/{d}", (), _draft(d, f"{docs_dir.name}/{d}", (), working[d], None, today)
            )
            for d in documents
        }
        return SiteEditions(drafts, outside_git=True)
    git.ensure_full_history(root)
    for document in documents:
        _refuse_submodule(docs_dir, document)

    head = git.resolve(root, revision)
    graph = git.history_graph(root, head)
    relative_docs = docs_dir.resolve().relative_to(root.resolve()).as_posix()
    source_paths = {d: d if relative_docs == "." else f"{relative_docs}/{d}" for d in documents}
    # Every published edition pins the main line, a moved document's too (its record names its old path).
    listed = list(published.values()) if published else []
    arrivals = _main_line(graph, head, main_branch, listed)
    commits = [arrival.commit for arrival in arrivals]
    index_of = {commit.sha: index for index, commit in enumerate(commits)}
    renames = git.renames_along(root, [commit.sha for commit in commits])
    # What each arrival's own commits moved (a branch's git mv, then its edit): followed where the line shows none.
    moved = git.renames_between(root, [(c.sha, c.parents[0]) for a in arrivals for c in a.brought[1:] if c.parents])
    branch_renames = [[moved[c.sha] for c in arrival.brought[1:] if c.sha in moved] for arrival in arrivals]
    own, brought = _brought_by_head(root, graph, head)
    by_document = {}
    claimed: set[str] = set()
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
        source_path = source_paths[document]
        # Followed back through renames and moves: a moved document keeps its editions.
        follow = partial(document_paths, source_path, branch_renames=branch_renames, held=_holds(root, commits))
        if published:
            others = set(source_paths.values())
            line_paths = _followed_by_record(root, published, source_path, commits, renames, follow, others)
        else:
            line_paths = follow(renames)
        paths = line_paths[start:]
        changes_text = text_changes(root, graph, _graph_paths(arrivals, line_paths, branch_renames))
        messages = [arrival_message(arrival.brought, changes_text) for arrival in arrivals[start:]]
        states = _states(root, commits[start:], paths, messages)
        if published is None:
            editions = editions_from_states(source_path, states, zone, (corrected_dates or {}).get(document))
        else:
            recorded = _published_as(published, source_path, line_paths)
            claimed.add(recorded or "")
            editions = editions_from_record(
                source_path,
                states,
                published[recorded] if recorded else (),
                zone,
                (corrected_dates or {}).get(document),
                main_branch,
            )
        refuse_future(source_path, editions, today, zone.key)
        message = _draft_message(root, own, brought, source_path)
        draft = _draft(document, source_path, editions, working[document], root, today, message)
        by_document[document] = DocumentEditions(
            document,
            source_path,
            editions,
            draft,
            _former_paths(paths, commits[start:], editions),
            message if draft else None,
        )
    if published:
        _refuse_unclaimed(root, published, claimed, commits, relative_docs)
    return SiteEditions(by_document, root=root)


def _main_line(
    graph: list[git.Commit], head: str, main_branch: str, published: list[tuple[PublishedEdition, ...]]
) -> list[Arrival]:
    """The main line of ``head``, through every published edition's commit (oldest first) when there are any."""
    order = {commit.sha: index for index, commit in enumerate(graph)}
    pinned: dict[str, PublishedEdition] = {}
    for editions in published:
        for edition in editions:
            pinned.setdefault(edition.commit, edition)
            if edition.commit not in order:
                raise EditionError(
                    f"published edition {edition.number} of {edition.date.isoformat()} (commit {edition.commit[:10]}, "
                    f"{edition.summary!r}) is not in the history of {head[:10]}: "
                    + _RECORD_FIX.format(main=main_branch)
                )
    try:
        return main_line(graph, head, main_branch, sorted(pinned, key=order.__getitem__))
    except MainLineError as error:
        edition = pinned[error.commit]
        raise EditionError(
            f"published edition {edition.number} of {edition.date.isoformat()} (commit {edition.commit[:10]}) is not "
            f"on one line with the other published editions ({error}): " + _RECORD_FIX.format(main=main_branch)
        ) from None


_TEXTS_KEPT = 16
"""Texts kept at once while commits are compared with their parents: neighbours in the history, so a few do."""


def text_changes(
    root: Path, graph: list[git.Commit], paths: str | Mapping[str, tuple[str, ...]]
) -> Callable[[git.Commit], bool]:
    """Return a test of whether a commit of ``graph`` changed the document as a reader sees it: its text or a
    picture it shows (the rule for which commits must carry ``Edition: editorial``).

    The document is at ``paths[commit]`` (where it may be in that commit, the first found), or at the one path
    ``paths``. Changed: its text reads differently from every parent's and, for a merge, from what git's own
    merge of its parents gives (so only a hand edit in a merge counts); or it reads the same but one of its own
    pictures differs from every parent's. Texts are read on demand from one git process and only a few kept:
    memory does not grow with the number of commits; the pictures' ids are read once, in one process."""
    candidates = [(c.sha, (paths,) if isinstance(paths, str) else paths.get(c.sha, ())) for c in graph]
    ids: dict[str, str | None] = {sha: None for sha, _ in candidates}
    for attempt in range(max((len(found) for _, found in candidates), default=0)):
        asked = [(sha, found[attempt]) for sha, found in candidates if ids[sha] is None and len(found) > attempt]
        for (sha, _), oid in zip(asked, git.object_ids(root, asked), strict=True):
            ids[sha] = oid
    path_of = {sha: next(iter(found), "") for sha, found in candidates}
    reader = git.BlobReader(root)

    @lru_cache(maxsize=_TEXTS_KEPT)
    def text(oid: str) -> str:
        content = reader.read(oid)
        try:
            return normalised_text(split_front_matter((content or b"").decode("utf-8-sig"))[1])
        except (UnicodeDecodeError, FrontMatterError):
            return "\0" + oid  # unreadable: unlike any other text (editions_from_states names the file)

    pictures: dict[str, tuple[tuple[str, str | None], ...]] = {}

    @cache  # per distinct text and place: a few paths each
    def shown(path: str, oid: str) -> tuple[str, ...]:
        content = reader.read(oid) or b""
        if b"![" not in content and b"<img" not in content.lower():
            return ()  # no picture without one of these: the text need not be rendered
        return tuple(_image_paths_in(path, text(oid)))

    def pictures_of(sha: str) -> tuple[tuple[str, str | None], ...]:
        if not pictures:  # every commit's pictures at once, in one git process, the first time one is asked
            images = {sha: shown(path_of[sha], oid) if oid else () for sha, oid in ids.items()}
            found = iter(git.object_ids(root, [(sha, image) for sha, paths in images.items() for image in paths]))
            pictures.update({sha: tuple((image, next(found)) for image in paths) for sha, paths in images.items()})
            pictures[""] = ()  # asked once even when no commit shows a picture
        return pictures.get(sha, ())

    def changed(commit: git.Commit) -> bool:
        own = ids.get(commit.sha)
        parents = [ids.get(parent) for parent in commit.parents]
        same_text = own in parents or any(
            own is not None and oid is not None and reads_the_same(text(own), text(oid)) for oid in parents
        )
        if same_text:
            return own is not None and all(pictures_of(commit.sha) != pictures_of(p) for p in commit.parents)
        if commit.is_merge:
            return git.clean_merge_ids(root, [(commit.parents, path_of[commit.sha])])[0] != own
        return True

    return changed


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
