"""The live site against the record of what went live in git (``alectro_published.publish_tags``).

The record is what the build numbers from; the live ``editions.json`` and the live edition pages are a cross-check of
it. Where they disagree, a publish is refused naming the difference: someone edited the server, a publish went live
and its tag was never pushed, or a tag was lost. Pure functions over parsed files; the target and git are read by
:mod:`alectro_deploy.publish`.
"""

from __future__ import annotations

from urllib.parse import unquote

from alectro_published.editions_file import DocumentEntry, EditionEntry, EditionsFile
from alectro_published.publish_tags import PublishTag

FIELDS = ("date", "commit", "sha256", "summary", "editorial", "text_sha256")
"""What an edition's entry in the live file must share with the record's."""
RECORD_LIVE = "make record-live TARGET=…"


def differences(live: EditionsFile, recorded: EditionsFile) -> list[str]:
    """Each way ``live`` lists other editions than ``recorded``, one sentence each; empty when they agree."""
    found: list[str] = []
    live_sources = {document.source for document in live.documents}
    for document in recorded.documents:
        there = live.document(document.source)
        if there is None:
            found.append(
                f"{document.source} is recorded with editions 1–{len(document.editions)}, the live file lacks it"
            )
            continue
        found += _edition_differences(document, there)
        live_sources.discard(there.source)
    for document in live.documents:
        if document.source in live_sources:
            found.append(f"{document.source} is in the live file with {len(document.editions)} edition(s), unrecorded")
    return found


def _edition_differences(recorded: DocumentEntry, live: DocumentEntry) -> list[str]:
    found = []
    for edition in recorded.editions:
        there = live.edition(edition.number)
        name = f"{recorded.source}, edition {edition.number}"
        if there is None:
            found.append(f"{name} of {edition.date.isoformat()} is recorded, the live file lacks it")
            continue
        for field in FIELDS:
            ours, theirs = _shown(edition, field), _shown(there, field)
            if ours != theirs:
                found.append(f"{name}: {field} is {theirs} in the live file, {ours} in the record")
    for edition in live.editions[len(recorded.editions) :]:
        found.append(f"{recorded.source}, edition {edition.number} of {edition.date.isoformat()} is live, unrecorded")
    return found


def _shown(edition: EditionEntry, field: str) -> str:
    value = getattr(edition, field)
    return repr(value) if isinstance(value, str) and field in ("summary",) else str(value)


def live_against_record(
    live: EditionsFile | None, release: str | None, tags: tuple[PublishTag, ...], missing_pages: list[str], where: str
) -> list[str]:
    """Return why the live site (``live``, its ``editions.json`` or None, in the live ``release``; ``missing_pages``:
    recorded edition pages it lacks) and the record (``tags``, oldest first) disagree; empty when the live release is
    the one a tag recorded, with the editions it recorded (the newest, or an earlier one after a rollback). ``where``
    names the live file.
    """
    if not tags:
        if live is None:
            return []
        return [
            f"{where} lists {sum(len(d.editions) for d in live.documents)} published edition(s), and this "
            f"repository has no record of any publish (no tag published/1): fetch the tags (git fetch --tags), or, "
            f"if none was ever written (a site published before the record was kept), record the live site "
            f"first: {RECORD_LIVE}"
        ]
    newest = tags[-1]
    if live is None:
        return [
            f"{where} is missing, and {newest.name} records the editions that went live: the live site was changed "
            f"by hand or its release is not one make publish made; roll back (make rollback TARGET=…) or restore it"
        ]
    if any(tag.release == release and not differences(live, tag.editions) for tag in reversed(tags)):
        return [f"{where}: the live edition pages {', '.join(missing_pages)} are missing"] if missing_pages else []
    listed = "; ".join(differences(live, newest.editions)) or f"the live release is {release}, not {newest.release}"
    return [
        f"{where} and the record in git ({newest.name}, release {newest.release}) disagree: {listed}. Someone "
        f"changed the live file, or a publish went live and its record was not pushed. If the live site is right "
        f"and its record was lost, record it: {RECORD_LIVE}; otherwise restore the live release (make rollback)"
    ]


def recorded_pages(editions: EditionsFile) -> list[str]:
    """The live paths (relative to the site's root) of every recorded edition's page."""
    pages = []
    for document in editions.documents:
        for edition in document.editions:
            if edition.text_url.startswith(editions.site_url):
                pages.append(unquote(edition.text_url[len(editions.site_url) :]) + "index.html")
    return pages
