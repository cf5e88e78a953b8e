"""What the site publishes about editions: pages' data, ``editions.json`` and the Atom feed.

Plain data and strings; the plugin turns them into MkDocs pages and files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from alectro_published.editions_file import DocumentEntry, EditionEntry, EditionsFile

from .. import urls
from ..history.editions import DocumentEditions, Edition
from ..text.diff import ClauseChange, Status, changed_clauses, compare, status_verb
from ..text.document_text import declared_title
from ..text.plain import displayable
from ..text.reading import first_heading


@dataclass(frozen=True)
class ChangeGroup:
    verb: str
    """«изменён», «добавлены», «исключены»…"""
    prefix: str
    """«п.» or «пп.» when every clause is numbered, else empty."""
    items: tuple[tuple[str, str], ...]
    """(what to show, site-root-relative link) per clause."""


@dataclass(frozen=True)
class EditionRecord:
    """One edition as the site shows it, with its neighbours and its changes."""

    edition: Edition
    previous: Edition | None
    next: Edition | None
    changes: tuple[ClauseChange, ...]
    """Every clause compared with the previous edition, the unchanged too; empty for edition 1. Compared once per
    build: the history, the feed and the changes page all read this."""
    text_url: str
    changes_url: str | None
    source_url: str
    """Where the edition's file, exactly as committed, is published: ``editions/3/source.md``."""
    previous_text_url: str | None
    """Site-root-relative URLs from ``urls``: ``editions/3/``, ``editions/3/changes/``, ``editions/2/``."""
    anchored: bool = True
    """Whether the edition's page gives clauses anchors (``#p2.1``): a document declared without clauses has
    none, so its changes link the page itself."""

    @property
    def number(self) -> int:
        return self.edition.number

    @property
    def images_changed(self) -> bool:
        """Whether a picture the text shows was replaced, added or removed since the previous edition."""
        return self.previous is not None and self.edition.images != self.previous.images

    @property
    def is_current(self) -> bool:
        return self.next is None

    @property
    def changed(self) -> tuple[ClauseChange, ...]:
        """The clauses changed, added, removed or moved since the previous edition; empty for edition 1."""
        return changed_clauses(self.changes)

    @property
    def in_force_until(self) -> date | None:
        """The last day this edition was in force: the day before the next took effect (or the same day)."""
        if self.next is None:
            return None
        return max(self.edition.date, self.next.date - timedelta(days=1))

    def change_summary(self) -> list[ChangeGroup]:
        """Return the changed clauses grouped by what happened («изменены пп. 2.1, 4.3»), each linked; moves
        name both numbers («изменена нумерация: п. 4.3 стал п. 5.3»)."""
        groups = []
        statuses: tuple[Status, ...] = ("changed", "added", "removed", "moved")
        for status in statuses:
            clauses = [change for change in self.changed if change.status == status]
            if not clauses:
                continue
            # «пп. 2.1, 4.3» when all are clauses; else each is named by its label («разд. 2, п. 2.1»).
            numbered = status != "moved" and all(change.number and "." in change.number for change in clauses)
            # A removed clause is found in the previous edition's text (changes exist only from edition 2 on).
            base = self.previous_text_url if status == "removed" else self.text_url
            if base is None:
                raise ValueError(f"edition {self.number} has a removed clause but no previous edition")
            # A heading and the text under it are one section to a reader: added together, named once (linked
            # where the heading is).
            named: dict[str, str] = {}
            for change in clauses:
                fragment = f"#{change.key}" if change.number and self.anchored else ""
                named.setdefault(_clause_name(change, numbered), base + fragment)
            items = tuple(named.items())
            prefix = ("пп." if len(items) > 1 else "п.") if numbered else ""
            groups.append(ChangeGroup(status_verb(status, clauses[0].label, len(items)), prefix, items))
        return groups

    def change_blocks(self) -> list[tuple[str, tuple[ClauseChange, ...]]]:
        """Return the clauses as runs: ``("unchanged", run)`` to fold away, ``("moved", (clause,))`` to fold
        under its move («П. 4.3 стал п. 5.3»: the same words), ``("changed", (clause,))`` to show."""
        blocks: list[tuple[str, tuple[ClauseChange, ...]]] = []
        for change in self.changes:
            if change.status == "unchanged" and blocks and blocks[-1][0] == "unchanged":
                blocks[-1] = ("unchanged", blocks[-1][1] + (change,))
            elif change.status in ("unchanged", "moved"):
                blocks.append((change.status, (change,)))
            else:
                blocks.append(("changed", (change,)))
        return blocks


def _clause_name(change: ClauseChange, numbered: bool) -> str:
    """How a summary names a clause: «4.3» after «п.», else its label; a moved one with its old number."""
    if change.status == "moved":
        return f"{change.moved_from} стал {change.label}"
    name = change.number if numbered and change.number else change.label
    if change.moved_from is None:
        return name
    return f"{name} (был {_number_of_label(change.moved_from) if numbered else change.moved_from})"


def _number_of_label(label: str) -> str:
    """«п. 4.3» → «4.3»: a label's number, for a list that says «пп.» once."""
    return label.removeprefix("п. ")


@dataclass(frozen=True)
class PublishedDocument:
    editions_of: DocumentEditions
    """The document's editions (and draft), as read from git."""
    title: str
    url: str
    """The document's site-root-relative URL: ``""`` for ``index.md``, ``terms/`` for ``terms.md``."""
    records: tuple[EditionRecord, ...]

    former_urls: tuple[tuple[str, int], ...] = ()
    """Where the document's page was before it was moved (site-root-relative), and how many editions it had there."""

    @property
    def history_url(self) -> str:
        return urls.history_url(self.url)

    @property
    def feed_url(self) -> str:
        return urls.feed_url(self.url)

    @property
    def current(self) -> EditionRecord | None:
        return self.records[-1] if self.records else None


def document_title(text: str, fallback: str, source: bytes = b"") -> str:
    """Return a document's title as MkDocs gives its page: the front matter's ``title:`` in ``source`` (the file as
    committed), else the text of its first level-1 heading as a reader sees it, else ``fallback``.

    Setext (a line of ``=`` under the title) or ATX (``#``), Markdown inside it rendered: «**Политика**»
    is «Политика».
    """
    return declared_title(source) or first_heading(text) or fallback


def _record(url: str, editions: tuple[Edition, ...], index: int, anchored: bool = True) -> EditionRecord:
    """Edition ``editions[index]`` of the document whose page is at ``url``, with its neighbours, changes and URLs."""
    edition = editions[index]
    previous = editions[index - 1] if index else None
    return EditionRecord(
        edition=edition,
        previous=previous,
        next=editions[index + 1] if index + 1 < len(editions) else None,
        changes=compare(previous.text, edition.text) if previous else (),
        text_url=urls.edition_url(url, edition.number),
        changes_url=urls.changes_url(url, edition.number) if previous else None,
        source_url=urls.source_url(url, edition.number),
        previous_text_url=urls.edition_url(url, previous.number) if previous else None,
        anchored=anchored,
    )


def published_document(
    history: DocumentEditions, page_url: Callable[[str], str], anchored: bool = True
) -> PublishedDocument:
    """Return the published view of ``history``: each edition with its changes and URLs.

    ``page_url`` says where MkDocs publishes a file of docs/ (a path relative to it):
    ``urls.page_url``, MkDocs' own rule. A former path outside docs/ had no address on this site.
    ``anchored``: its pages give clauses anchors (``config.PolicyConfig.anchored``).
    """
    url = page_url(history.path)
    editions = history.editions
    records = tuple(_record(url, editions, index, anchored) for index in range(len(editions)))
    title = document_title(editions[-1].text, history.path, editions[-1].source) if editions else history.path
    docs_prefix = history.docs_prefix
    former = tuple(
        (page_url(former.path[len(docs_prefix) :]), former.editions)
        for former in history.former_paths
        if former.path.startswith(docs_prefix) and former.path.endswith(".md")
    )
    return PublishedDocument(history, title, url, records, former)


def pending_record(history: DocumentEditions, edition: Edition, url: str) -> EditionRecord:
    """Return ``edition``, not yet published, as the record it would be after ``history``'s editions (the document
    whose page is at ``url``): compared with the edition in force by the site's own clauses and words (that one
    comparison only)."""
    editions = history.editions + (edition,)
    return _record(url, editions, len(editions) - 1)


def draft_record(history: DocumentEditions, url: str) -> EditionRecord | None:
    """Return the draft of ``history`` (``history.editions.pending_edition``) as a record compared with the edition in
    force, previewed at ``editions/draft/`` under ``url``, the document's page; None without a draft or without an
    edition in force to compare it with."""
    if history.draft is None or history.current is None:
        return None
    record = pending_record(history, replace(history.draft, summary="Проект, не опубликован"), url)
    return replace(record, text_url=url, changes_url=urls.draft_url(url))


def editions_file_of(
    documents: list[PublishedDocument], site_url: str, timezone: str, reader_texts: Mapping[str, str] | None = None
) -> EditionsFile:
    """Return ``editions.json`` (``alectro_published.editions_file``): every document and edition, with checksums.

    ``timezone`` is the site's (``Europe/Moscow``): the one edition dates are days of. ``reader_texts``: per
    edition's page (site-root-relative ``text_url``), the SHA-256 of the text a reader is shown there.
    """

    def absolute(url: str) -> str:
        return urls.absolute(site_url, url)

    texts = reader_texts or {}
    return EditionsFile(
        site_url=absolute(""),
        timezone=timezone,
        documents=tuple(
            DocumentEntry(
                source=document.editions_of.source_path,
                title=document.title,
                url=absolute(document.url),
                current_edition=document.current.number if document.current else None,
                # Where consent records and proofs made before a move name the document.
                former_sources=tuple(former.path for former in document.editions_of.former_paths),
                editions=tuple(
                    EditionEntry(
                        number=record.number,
                        date=record.edition.date,
                        commit=record.edition.commit,
                        sha256=record.edition.sha256,
                        # For an edition committed at another path than the document's present one (git show).
                        source=_edition_source(document, record.edition),
                        summary=record.edition.summary,
                        editorial=record.edition.editorial,
                        text_url=absolute(record.text_url),
                        source_url=absolute(record.source_url),
                        changes_url=absolute(record.changes_url) if record.changes_url else None,
                        text_sha256=texts.get(record.text_url),
                    )
                    for record in document.records
                ),
            )
            for document in documents
        ),
    )


def _edition_source(document: PublishedDocument, edition: Edition) -> str | None:
    path = edition.source_path
    return path if path and path != document.editions_of.source_path else None


def feed_timestamp(day: date, zone: ZoneInfo, order: int = 0) -> str:
    """Return the start of ``day`` in the site's time zone, ``order`` seconds later, as an RFC 3339 timestamp (Atom's
    date format)."""
    return (datetime.combine(day, time(0), tzinfo=zone) + timedelta(seconds=order)).isoformat()


def feed_updates(document: PublishedDocument, zone: ZoneInfo) -> dict[int, str]:
    """Return each edition's Atom ``updated`` by number: the start of its day in the site's time zone (``zone``),
    one second later for each earlier edition of the same day. Editions of one day are then ordered as they were
    numbered, and an edition's time never changes when a later one is added (a feed reader would show it again).
    Days, not commit times: an edition is dated by the day it took effect, which the record keeps, not the hour."""
    updates: dict[int, str] = {}
    earlier_that_day: dict[date, int] = {}
    for record in document.records:
        day = record.edition.date
        order = earlier_that_day.get(day, 0)
        earlier_that_day[day] = order + 1
        updates[record.number] = feed_timestamp(day, zone, order)
    return updates


def feed_title(document: PublishedDocument) -> str:
    """Return the title of ``document``'s feed, as the feed and the pages linking it name it."""
    return f"{displayable(document.title)}: редакции"
