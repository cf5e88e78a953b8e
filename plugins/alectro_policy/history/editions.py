"""From the states of a document along the main line to its numbered, dated editions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..text.document_text import (
    EDITION_DATE_FIELD,
    FrontMatterError,
    explicit_edition_date,
    normalised_text,
    split_front_matter,
)
from ..text.edit_kind import substantive_change
from ..text.reading import sees_a_difference
from .main_line import ArrivalMessage, without_trailer


class EditionError(ValueError):
    """The history cannot give trustworthy editions; the message names the document and the fix."""


@dataclass(frozen=True)
class State:
    """The document as one main-line commit left it (``source`` None when the file is absent); ``subject`` and
    ``body`` are what the editor wrote for what arrived with it (``main_line.arrival_message``)."""

    commit: str
    committed_at: datetime
    subject: str
    body: str
    source: bytes | None
    images: tuple[tuple[str, str | None], ...] = ()
    """The document's own images at this commit: (path in the repository, git object id or None if absent)."""
    editorial: bool = False
    """Whether what arrived with this commit is editorial for this document (``main_line.arrival_message``)."""
    path: str = ""
    """The document's path at this commit, relative to the repository's top (it may have moved since)."""


@dataclass(frozen=True)
class Edition:
    number: int
    date: date
    commit: str
    summary: str
    description: str
    editorial: bool
    source: bytes
    """The document's file exactly as committed (front matter included)."""
    text: str
    """The Markdown below the front matter, normalised."""
    images: tuple[tuple[str, str | None], ...] = ()
    """Its own images as they were (path, object id): a replaced picture is a new edition too."""
    source_path: str = ""
    """The document's path at the edition's commit (``git show COMMIT:PATH``): a moved document's earlier
    editions keep the path they were committed at."""
    refused_mark: str = ""
    """Why the trailer ``Edition: editorial`` its commits carry was refused (``text.edit_kind``: the clause and what
    makes the change substantive), the edition published substantive; empty when nothing was refused."""

    @property
    def sha256(self) -> str:
        """SHA-256 of the file as committed: ``git show COMMIT:docs/index.md | sha256sum``."""
        return hashlib.sha256(self.source).hexdigest()


@dataclass(frozen=True)
class FormerPath:
    """A path a moved document had, relative to the repository's top, while it had ``editions`` editions."""

    path: str
    editions: int
    """How many of its editions the site had published while the document was there (their URLs existed)."""


@dataclass(frozen=True)
class DocumentEditions:
    path: str
    """The document's path relative to ``docs/``."""
    source_path: str
    """The document's path relative to the repository's top (what ``git show COMMIT:PATH`` takes)."""
    editions: tuple[Edition, ...]
    draft: Edition | None = None
    """The edition the document as it is now would make (``pending_edition``), None when it reads as the current."""
    former_paths: tuple[FormerPath, ...] = ()
    """Where the document was before it was moved or renamed, oldest first (``history.moves``)."""
    draft_message: ArrivalMessage | None = None
    """What the commits in the draft say (a branch's, against the revision read): the draft's summary and mark
    come from it; None when the draft is uncommitted edits alone, or there is no draft."""

    def path_at(self, edition: Edition) -> str:
        """Return the document's path relative to ``docs/`` at ``edition``'s commit: where the relative links and
        images of that edition's text were written from (a moved document's earlier editions: its old path)."""
        prefix = self.docs_prefix
        if edition.source_path.startswith(prefix) and edition.source_path.endswith(".md"):
            return edition.source_path[len(prefix) :]
        return self.path

    @property
    def docs_prefix(self) -> str:
        """What makes a path relative to ``docs/`` one relative to the repository's top: ``docs/`` (the one home
        of that fact for past editions' pictures and sources; ``Repository.docs_prefix`` reads it from git)."""
        return self.source_path[: len(self.source_path) - len(self.path)]

    @property
    def identity(self) -> str:
        """The path it had at its first edition: what stays the same when it moves (the consent cookie's key)."""
        return self.editions[0].source_path if self.editions and self.editions[0].source_path else self.source_path

    @property
    def current(self) -> Edition | None:
        return self.editions[-1] if self.editions else None

    @property
    def consent_edition(self) -> Edition | None:
        """The latest edition that is not editorial: the one a visitor's consent must cover."""
        substantive = [edition for edition in self.editions if not edition.editorial]
        return substantive[-1] if substantive else None


def _decode(source: bytes, commit: str, document: str) -> str:
    try:
        return source.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EditionError(f"{document} at commit {commit[:10]} is not UTF-8 text: save the file as UTF-8") from None


def editions_from_states(
    document: str, states: Iterable[State], zone: ZoneInfo, corrected_dates: Mapping[int, date] | None = None
) -> tuple[Edition, ...]:
    """Return the editions of ``document`` given its states along the main line, oldest first.

    An edition starts at each state whose normalised text differs from the
    previous edition's. It is dated by ``edition_date`` when its commit sets one
    (or a later commit sets one alone, without changing the text), else by the
    day its commit was made in ``zone``. A commit dated after a commit made
    later on the main line had a clock that ran ahead: its edition went live no
    later than the next one, so it takes the next one's date when that is
    earlier (so a commit from the future never locks the history: a later commit
    unlocks it). ``corrected_dates`` (the plugin option ``edition_dates``) dates
    editions by number whatever their commits say: the way out when a wrong date
    is in a commit that later commits have buried. Raises ``EditionError`` for
    malformed front matter or an edition dated before the previous one.
    """
    editions: list[Edition] = []
    explicit_dates: list[bool] = []
    starts: list[int] = []
    """Per edition, the index in ``states`` of the commit that started it."""
    previous_explicit: date | None = None
    # States are read one at a time (a long history of a large file never sits in memory): only their days stay.
    days: list[date] = []
    # A commit that did not touch the file shares its predecessor's bytes (states._states): read once.
    read: tuple[bytes, date | None, str] | None = None
    for position, state in enumerate(states):
        days.append(state.committed_at.astimezone(zone).date())
        source = state.source
        if source is None:
            continue
        if read is None or read[0] is not source:
            try:
                meta, body = split_front_matter(_decode(source, state.commit, state.path or document))
                read = (source, explicit_edition_date(meta), normalised_text(body))
            except FrontMatterError as error:
                raise EditionError(
                    f"{state.path or document} at commit {state.commit[:10]} ({state.subject!r}): {error}. "
                    f"Fix the file and commit; "
                    f"if that commit is already on the main line, start the history after it with 'first_published'"
                ) from None
        _, explicit, text = read
        # A date carried over unchanged from the previous edition's front matter is not meant for this one.
        new_date = explicit if explicit is not None and explicit != previous_explicit else None
        previous_explicit = explicit
        # What a reader sees, not the bytes: a re-wrapped or re-spaced text is the same edition.
        if editions and not sees_a_difference(editions[-1].text, text, editions[-1].images, state.images):
            if new_date is not None:
                # A date set after its edition's text was committed: it dates that edition, never silently nothing.
                editions[-1] = replace(editions[-1], date=new_date)
                explicit_dates[-1] = True
            continue
        number = len(editions) + 1
        editorial, refused = editorial_mark(editions[-1] if editions else None, text, state.editorial)
        editions.append(
            Edition(
                number=number,
                date=new_date or state.committed_at.astimezone(zone).date(),
                commit=state.commit,
                summary=state.subject,
                description=without_trailer(state.body),
                editorial=editorial,
                refused_mark=refused,
                source=source,
                text=text,
                images=state.images,
                source_path=state.path or document,
            )
        )
        explicit_dates.append(new_date is not None)
        starts.append(position)
    # The earliest day of any later commit on the main line: a commit dated after it had a clock that ran ahead.
    later_days: list[date | None] = [None] * (len(days) + 1)
    for index in reversed(range(len(days))):
        day = days[index]
        later_days[index] = min(day, later_days[index + 1] or day)
    for index in reversed(range(len(editions) - 1)):
        made_before = later_days[starts[index] + 1]
        if not explicit_dates[index] and made_before is not None and editions[index].date > made_before:
            # It went live no later than the next edition did.
            editions[index] = replace(editions[index], date=min(editions[index].date, editions[index + 1].date))
    # Checked on the final dates, so that a date committed alone can still correct the current edition.
    return with_corrected_dates(document, editions, corrected_dates)


def with_corrected_dates(
    document: str, editions: list[Edition], corrected_dates: Mapping[int, date] | None
) -> tuple[Edition, ...]:
    """Return ``editions`` dated by ``corrected_dates`` (the plugin option ``edition_dates``: number → date),
    the one place it is applied, then checked in order. Raises ``EditionError`` for a number the document does
    not have, or an edition dated before the one it replaces."""
    editions = list(editions)
    for number, day in (corrected_dates or {}).items():
        if not 1 <= number <= len(editions):
            raise EditionError(
                f"{document}: the plugin option 'edition_dates' dates edition {number}, but the document has "
                f"{len(editions)} edition(s): correct the number in mkdocs.yml"
            )
        editions[number - 1] = replace(editions[number - 1], date=day)
    check_order(document, editions)
    return tuple(editions)


def editorial_mark(previous: Edition | None, text: str, trailer: bool) -> tuple[bool, str]:
    """Return whether an edition of ``text`` after ``previous`` is editorial, and why a trailer was refused.

    Editorial only after a first edition, when its commits carry the trailer (``trailer``) and the text allows it
    (``text.edit_kind.substantive_change``: the one rule, whatever any message says); a trailer over a
    substantive change is refused, the reason naming the clause."""
    if previous is None or not trailer:
        return False, ""
    reason = substantive_change(previous.text, text)
    return reason is None, "" if reason is None else str(reason)


def refused_marks(history: DocumentEditions) -> list[str]:
    """Return a sentence for each edition of ``history`` (its draft included) whose trailer ``Edition: editorial``
    the text refused: the build says it (as information: the edition is published as substantive, as the
    reviewer saw it in ``make changes``; nothing is wrong with the site)."""
    editions = [*history.editions, *([history.draft] if history.draft else [])]
    return [
        f"{history.source_path}: edition {edition.number}"
        + (f" (commit {edition.commit[:10]})" if edition.commit else " (the draft)")
        + f" is marked 'Edition: editorial', but {edition.refused_mark}: a change of substance whatever a message "
        "says, published as substantive (guides/editor.md, «Редакционная правка»)"
        for edition in editions
        if edition.refused_mark
    ]


def refuse_future(document: str, editions: tuple[Edition, ...], today: date, zone_name: str) -> None:
    """Raise ``EditionError`` if an edition of ``document`` is dated after ``today`` (the site's date).

    An edition takes effect on the day it is placed on the site, never later.
    """
    # Name the current edition when it is one of them: the fix below dates it.
    for edition in sorted(editions, key=lambda edition: edition is not editions[-1]):
        if edition.date > today:
            raise EditionError(
                f"{document}: edition {edition.number} (commit {edition.commit[:10]}, {edition.summary!r}) is dated "
                f"{edition.date.isoformat()}, after today, {today.isoformat()} ({zone_name}): an edition takes effect "
                f"on the day it is published, never in the future. Put '{EDITION_DATE_FIELD}: {today.isoformat()}' "
                f"in the front matter of {document} and commit that alone, as a commit of its own without other "
                f"changes: it dates the current edition by the day it is published"
            )


def check_order(document: str, editions: list[Edition]) -> None:
    """Raise ``EditionError`` if an edition of ``document`` is dated before the one it replaces."""
    for previous, edition in zip(editions, editions[1:], strict=False):
        _check_pair(document, previous, edition)


def _check_pair(document: str, previous: Edition, edition: Edition) -> None:
    if edition.date < previous.date:
        raise EditionError(
            f"{document}: edition {edition.number} (commit {edition.commit[:10]}) is dated {edition.date.isoformat()}, "
            f"before edition {previous.number} of {previous.date.isoformat()}. An edition cannot take effect "
            f"before the one it replaces: correct '{EDITION_DATE_FIELD}' in the front matter (committed alone, "
            f"it dates the current edition); if the wrong date is in an earlier edition, already followed by "
            f"others, date that edition with the plugin option 'edition_dates' in mkdocs.yml "
            f"(- document: ..., edition: {previous.number}, date: YYYY-MM-DD)."
        )


def pending_edition(
    editions: tuple[Edition, ...],
    source: bytes,
    images: tuple[tuple[str, str | None], ...],
    day: date,
    summary: str = "",
    editorial: bool = False,
) -> Edition | None:
    """Return the edition publishing ``source`` (the document's file as it is now, showing ``images``: path in the
    repository and object id) on ``day`` would make after ``editions``; None when a reader would see no change:
    the same text (re-wrapping is no change) and the same pictures. The one rule for the draft ``make serve``
    stamps and previews and for the next edition ``make changes`` reports.

    Dated ``day``, or the edition in force's date if later; ``editorial`` only after a first edition. Raises
    ``FrontMatterError`` for malformed front matter and ``UnicodeDecodeError`` for a file that is not UTF-8.
    """
    _, body = split_front_matter(source.decode("utf-8-sig"))
    text = normalised_text(body)
    current = editions[-1] if editions else None
    if current is not None and not sees_a_difference(current.text, text, current.images, images):
        return None
    marked, refused = editorial_mark(current, text, editorial)
    return Edition(
        number=len(editions) + 1,
        date=max(day, current.date) if current else day,
        commit="",
        summary=summary,
        description="",
        editorial=marked,
        refused_mark=refused,
        source=source,
        text=text,
        images=images,
    )
