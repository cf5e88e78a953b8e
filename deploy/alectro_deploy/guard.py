"""The editions guard: pure checks of a new build's ``editions.json`` against the published one.

A published edition is never dropped or changed (:func:`check_history`), and a new edition is dated by the day
it goes live in the site's time zone (:func:`check_new_dates`). Both take the two files parsed (``dict`` or None)
and never raise: malformed input is reported as a problem. Nothing here touches a target.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alectro_deploy.errors import PublishError
from alectro_published.editions_file import FILE as EDITIONS_FILE
from alectro_published.editions_file import FORMAT, site_today

KNOWN_FORMATS = (FORMAT,)

Editions = dict[str, Any]
"""A parsed editions.json, as the plugin writes it (``format``, ``timezone``, ``documents`` with ``editions``)."""


@dataclass(frozen=True)
class HistoryCheck:
    problems: tuple[str, ...]
    """Each way the new build would rewrite what is published; publishing is refused while there are any."""
    notes: tuple[str, ...]
    """Differences that rewrite nothing a visitor relies on (an edition's commit after a rebase)."""


def parse_editions(raw: bytes | None, where: str) -> Editions | None:
    """Parse an ``editions.json`` read from ``where``; None when ``raw`` is None. Raises PublishError if invalid."""
    if raw is None:
        return None
    try:
        # Valid JSON that is no object is handed on too: the checks report it as a wrong format, which can be
        # overridden like any other problem.
        data: Editions = json.loads(raw)
    except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than Python's stack
        raise PublishError(f"{where} is not valid JSON ({error}): cannot check the published editions") from None
    return data


# -- published editions are never dropped or changed ---------------------------------------------------------


def check_history(published: Editions | None, new: Editions | None) -> HistoryCheck:
    """Compare the published ``editions.json`` with a new build's, both parsed.

    ``published`` is None when nothing was published yet; ``new`` is None when the build has no
    ``editions.json``. Documents are matched by ``source``, editions by ``number``. Returns the problems
    (a dropped document or edition, a renumbered one, a changed date, checksum or text URL) and notes.
    Never raises: malformed input is reported as a problem.
    """
    if published is None:
        return HistoryCheck((), ())
    problems: list[str] = []
    notes: list[str] = []
    for label, data in (("published", published), ("new", new)):
        if data is not None and (not isinstance(data, dict) or data.get("format") not in KNOWN_FORMATS):
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            problems.append(
                f"the {label} editions.json has format {found!r}, and this script knows format "
                f"{', '.join(map(str, KNOWN_FORMATS))} only: update deploy/alectro_deploy/guard.py to compare them"
            )
    if problems:
        return HistoryCheck(tuple(problems), ())
    try:
        _compare(published, new, problems, notes)
    except (KeyError, TypeError, AttributeError) as error:
        problems.append(f"an editions.json lacks a field or has one of the wrong type ({error!r}): cannot compare")
    return HistoryCheck(tuple(problems), tuple(notes))


def _compare(published: Editions, new: Editions | None, problems: list[str], notes: list[str]) -> None:
    if new is None:
        count = sum(len(document["editions"]) for document in published["documents"])
        problems.append(f"the new build has no {EDITIONS_FILE}: all {count} published editions would disappear")
        return
    new_documents = _by_source(new["documents"])
    for document in published["documents"]:
        source = document["source"]
        new_document = new_documents.get(source)
        moved = new_document is not None and new_document["source"] != source
        if new_document is None:
            numbers = ", ".join(str(edition["number"]) for edition in document["editions"])
            problems.append(
                f"{source}: the document is missing from the new build; its editions {numbers} would disappear"
            )
            continue
        by_number = {edition["number"]: edition for edition in new_document["editions"]}
        by_checksum = {edition["sha256"]: edition for edition in new_document["editions"]}
        for old in document["editions"]:
            same_number, same_text = by_number.get(old["number"]), by_checksum.get(old["sha256"])
            _compare_edition(source, old, same_number, same_text, problems, notes, moved)
        if moved and new_document is not None:
            notes.append(
                f"{source}: the document moved to {new_document['source']} and keeps its editions; "
                f"its old addresses lead to the new ones"
            )


def _by_source(documents: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The documents by their source, and by every path they had before a move (``former_sources``)."""
    found: dict[str, dict[str, Any]] = {}
    for document in documents:
        for former in document.get("former_sources") or []:
            found.setdefault(former, document)
    for document in documents:
        found[document["source"]] = document
    return found


def _compare_edition(
    source: str,
    old: dict[str, Any],
    new: dict[str, Any] | None,
    same_text: dict[str, Any] | None,
    problems: list[str],
    notes: list[str],
    moved: bool = False,
) -> None:
    number, date = old["number"], old["date"]
    if new is None or (new["sha256"] != old["sha256"] and same_text is not None):
        if same_text is not None and same_text["number"] != number:
            problems.append(f"{source}: edition {number} of {date} would be renumbered {same_text['number']}")
        else:
            problems.append(f"{source}: edition {number} of {date} would disappear")
        return
    before = len(problems)
    if new["date"] != date:
        problems.append(f"{source}: edition {number} would change its date from {date} to {new['date']}")
    if new["sha256"] != old["sha256"]:
        problems.append(
            f"{source}: edition {number} of {date} would change its text "
            f"(SHA-256 {old['sha256'][:12]}… becomes {new['sha256'][:12]}…)"
        )
    recorded_text = old.get("text_sha256")
    if recorded_text and new.get("text_sha256") != recorded_text:
        problems.append(
            f"{source}: edition {number} of {date} would change the text readers are shown on its page (text SHA-256 "
            f"{str(recorded_text)[:12]}… becomes {str(new.get('text_sha256'))[:12]}…), though its file is the same"
        )
    # Compared as addresses, not spellings: editions.json once wrote «условия доставки/» where it now writes «%D1%83…».
    if unquote(str(new.get("text_url"))) != unquote(str(old.get("text_url"))) and not moved:
        # A moved document's old addresses lead to the new ones (a redirect page at each): not a loss.
        problems.append(f"{source}: edition {number} would move from {old.get('text_url')} to {new.get('text_url')}")
    if len(problems) == before and new.get("commit") != old.get("commit"):
        notes.append(
            f"{source}: edition {number} now comes from commit {str(new.get('commit'))[:12]} instead of "
            f"{str(old.get('commit'))[:12]}, with the same text and date"
        )


# -- the date of a new edition is the day it goes live --------------------------------------------------------


def check_new_dates(published: Editions | None, new: Editions | None, today: date | None = None) -> tuple[str, ...]:
    """Return a problem for each new edition that is not dated today in the site's time zone.

    A new edition is one the ``published`` (live) editions.json does not list, numbered after its current
    edition. An edition takes effect on the day it is placed on the site, so it must be dated by the day
    it goes live: ``today`` (by default the clock's, in the ``timezone`` that the ``new`` editions.json
    names). Every new edition is checked: one that never went live on its own (a build by git history alone
    after a fast-forward of several commits) would carry «in force» dates it never had; ``make publish``
    builds with the record of what went live, which makes them one new edition. A document published for the first
    time is checked too: its edition takes effect when it is placed on the site. Nothing is checked on a first
    publication (no ``published``). Never raises: malformed input is reported as a problem.
    """
    if published is None or new is None:
        return ()
    problems: list[str] = []
    try:
        live_documents = {document["source"]: document for document in published["documents"]}
        for document in new["documents"]:
            sources = [document["source"], *(document.get("former_sources") or [])]
            live = next((live_documents[source] for source in sources if source in live_documents), None)
            # A document published for the first time takes effect when placed on the site too (clause 6.2).
            numbers = {edition["number"] for edition in live["editions"]} if live else set()
            live_current = (live.get("current_edition") if live else None) or max(numbers, default=0)
            fresh = [e for e in document["editions"] if e["number"] not in numbers and e["number"] > live_current]
            for edition in sorted(fresh, key=lambda edition: edition["number"]):
                problem = _dated_today(document["source"], edition, new, today, len(fresh))
                problems += [problem] if problem else []
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        problems.append(
            f"an editions.json lacks a field or has one of the wrong type ({error!r}): cannot check new editions' dates"
        )
    return tuple(problems)


def _dated_today(source: str, edition: dict[str, Any], new: Editions, today: date | None, fresh: int = 1) -> str | None:
    zone_name = new.get("timezone")
    try:
        zone = ZoneInfo(zone_name) if isinstance(zone_name, str) else None
    except (ValueError, ZoneInfoNotFoundError):
        zone = None
    if zone is None:
        return (
            f"the new {EDITIONS_FILE} names no time zone ('timezone': {zone_name!r}), so the day its new edition "
            f"of {source} goes live cannot be told: build it with this repository's plugin, which writes it"
        )
    today = today or site_today(zone)
    if edition["date"] == today.isoformat():
        return None
    if fresh > 1:
        return (
            f"{source}: new edition {edition['number']} is dated {edition['date']}, but it never went live on its "
            f"own: {fresh} new editions at once come from a build by git history alone. Publish with 'make publish', "
            f"which builds with the live editions.json: everything since the last published edition is then one "
            f"new edition"
        )
    return (
        f"{source}: new edition {edition['number']} is dated {edition['date']}, but it goes live today, "
        f"{today.isoformat()} ({zone_name}), and an edition takes effect on the day it is placed on the site (a "
        f"merge late in the evening that is published after midnight). One step: put 'edition_date: "
        f"{today.isoformat()}' in the front matter of {source}, commit that alone (no other change) to main and "
        f"push: CI publishes again (by hand: make publish again). It dates the edition by today; done after "
        f"midnight again, it needs the next day's date"
    )
