"""The ``editions.json`` format: every document the site publishes and every edition it had, with checksums.

One reader (:func:`parse`) and one writer (:func:`dumps`) for the file the build writes beside the pages, the live
site serves, ``make publish`` checks and records in git, and the consent proof checks a consent against. The JSON
Schema published beside it is ``plugins/alectro_policy/editions.schema.json``. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

FILE = "editions.json"
FORMAT = 1
"""Changes only with an incompatible change of the file."""

CHECKSUM = (
    "sha256 of the document's file as committed: git show COMMIT:SOURCE | sha256sum, or curl -s SOURCE_URL | sha256sum"
)
"""The file's own words on how each edition's ``sha256`` is computed."""

TODAY_ENV = "ALECTRO_TODAY"
"""For tests only: the date (YYYY-MM-DD) taken as today in the site's time zone instead of the clock's."""


class EditionsFileError(ValueError):
    """A file that is not an ``editions.json`` of a known format; the message names where it was read."""


@dataclass(frozen=True)
class EditionEntry:
    """One edition as ``editions.json`` lists it."""

    number: int
    date: date
    """The day it took effect, in the site's time zone."""
    commit: str
    sha256: str
    """SHA-256 of the document's file as committed (``git show COMMIT:SOURCE | sha256sum``)."""
    summary: str
    editorial: bool
    text_url: str
    source_url: str
    changes_url: str | None
    source: str | None = None
    """The path it was committed at, when it is not the document's present ``source`` (moved since)."""
    text_sha256: str | None = None
    """SHA-256 of the text a reader is shown on its page (the rendered article, normalised); None in files
    written before it was recorded."""


@dataclass(frozen=True)
class DocumentEntry:
    """One document as ``editions.json`` lists it, its editions oldest first."""

    source: str
    """The document's path in the repository."""
    title: str
    url: str
    current_edition: int | None
    editions: tuple[EditionEntry, ...]
    former_sources: tuple[str, ...] = ()
    """Paths it had before it was moved, oldest first."""

    def committed_at(self, edition: EditionEntry) -> str:
        """The path ``edition`` was committed at: ``git show COMMIT:PATH`` gives its file."""
        return edition.source or self.source

    def edition(self, number: int) -> EditionEntry | None:
        """Edition ``number``, None if it has none (``parse`` refuses editions not numbered 1, 2, 3…)."""
        found = self.editions[number - 1] if 1 <= number <= len(self.editions) else None
        return found if found is not None and found.number == number else None


@dataclass(frozen=True)
class EditionsFile:
    site_url: str
    timezone: str
    """The site's IANA time zone: every date is a day there."""
    documents: tuple[DocumentEntry, ...]

    def document(self, source: str) -> DocumentEntry | None:
        """The document now at ``source``, or that was at ``source`` before a move."""
        found = next((document for document in self.documents if document.source == source), None)
        return found or next((d for d in self.documents if source in d.former_sources), None)


def parse(raw: bytes | str, where: str) -> EditionsFile:
    """Return the ``editions.json`` ``raw`` read from ``where``.

    Raises ``EditionsFileError`` naming ``where`` and the cause when it is not JSON, has another format, lacks a
    field or has one of the wrong type, or numbers a document's editions otherwise than 1, 2, 3…
    """
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than Python's stack
        raise EditionsFileError(f"{where} is not valid JSON ({error})") from None
    return from_data(data, where)


def from_data(data: Any, where: str) -> EditionsFile:
    """Return the ``editions.json`` already read as JSON into ``data``. Raises ``EditionsFileError`` as ``parse``."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise EditionsFileError(f"{where} has format {found!r}; this code reads format {FORMAT} only")
    try:
        parsed = EditionsFile(
            site_url=_text(data["site_url"]),
            timezone=_text(data["timezone"]),
            documents=tuple(_document(item) for item in data["documents"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise EditionsFileError(f"{where} lacks a field or has one of the wrong type ({error!r})") from None
    for document in parsed.documents:
        if [edition.number for edition in document.editions] != list(range(1, len(document.editions) + 1)):
            raise EditionsFileError(f"{where}: the editions of {document.source} are not numbered 1, 2, 3…")
    return parsed


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    return value


_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
"""A commit's full id (SHA-1, or SHA-256 in a repository that uses it): never a name git would read otherwise."""
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _hex(value: Any, shape: re.Pattern[str]) -> str:
    """``value`` if it is an id of ``shape``: a commit named ``HEAD`` or ``--output=…`` reaches git as an option or
    a moving name (``make record-live`` runs ``git show COMMIT:PATH`` on what the live file lists)."""
    if not shape.fullmatch(_text(value)):
        raise ValueError(f"{value!r} is not a full hexadecimal id")
    return value


def _day(value: Any) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", _text(value)):
        raise ValueError(f"{value!r} is not a date YYYY-MM-DD")
    return date.fromisoformat(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _document(item: dict[str, Any]) -> DocumentEntry:
    current = item["current_edition"]
    return DocumentEntry(
        source=_text(item["source"]),
        title=_text(item["title"]),
        url=_text(item["url"]),
        current_edition=None if current is None else int(current),
        editions=tuple(sorted((_edition(e) for e in item["editions"]), key=lambda edition: edition.number)),
        former_sources=tuple(_text(path) for path in item.get("former_sources") or ()),
    )


def _edition(item: dict[str, Any]) -> EditionEntry:
    number, editorial = item["number"], item["editorial"]
    if not isinstance(number, int) or isinstance(number, bool) or not isinstance(editorial, bool):
        raise TypeError(f"edition {number!r}: 'number' must be an integer and 'editorial' true or false")
    return EditionEntry(
        number=number,
        date=_day(item["date"]),
        commit=_hex(item["commit"], _COMMIT),
        sha256=_hex(item["sha256"], _SHA256),
        summary=_text(item["summary"]),
        editorial=editorial,
        text_url=_text(item["text_url"]),
        source_url=_text(item["source_url"]),
        changes_url=_optional_text(item["changes_url"]),
        source=_optional_text(item.get("source")),
        text_sha256=None if item.get("text_sha256") is None else _hex(item["text_sha256"], _SHA256),
    )


def dumps(file: EditionsFile) -> str:
    """Return ``file`` as ``editions.json`` text (UTF-8 as is, indented, a final newline): what :func:`parse` reads."""
    payload = {
        "format": FORMAT,
        "site_url": file.site_url,
        "timezone": file.timezone,
        "checksum": CHECKSUM,
        "documents": [
            {
                "source": document.source,
                "title": document.title,
                "url": document.url,
                "current_edition": document.current_edition,
                **({"former_sources": list(document.former_sources)} if document.former_sources else {}),
                "editions": [
                    {
                        "number": edition.number,
                        "date": edition.date.isoformat(),
                        "commit": edition.commit,
                        "sha256": edition.sha256,
                        **({"source": edition.source} if edition.source else {}),
                        "summary": edition.summary,
                        "editorial": edition.editorial,
                        "text_url": edition.text_url,
                        "source_url": edition.source_url,
                        "changes_url": edition.changes_url,
                        **({"text_sha256": edition.text_sha256} if edition.text_sha256 else {}),
                    }
                    for edition in document.editions
                ],
            }
            for document in file.documents
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def site_today(zone: ZoneInfo) -> date:
    """Return today in the site's time zone by the real clock (never ``SOURCE_DATE_EPOCH``), or ``$ALECTRO_TODAY``
    (tests only, YYYY-MM-DD). Raises ``ValueError`` for an ``$ALECTRO_TODAY`` that is no date."""
    injected = os.environ.get(TODAY_ENV, "").strip()
    return _day(injected) if injected else datetime.now(zone).date()
