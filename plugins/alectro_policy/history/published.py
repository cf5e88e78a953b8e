"""What went live, read so that every build keeps every published edition.

The record is in git: the newest publish tag (``alectro_published.publish_tags``) whose commit the history being
built holds, so that ``make build``, ``make serve``, ``make changes``, CI's summary and ``make publish`` all number
from it. The main line is then chosen through each published edition's commit, and each keeps its number, date,
checksum, summary and mark (``site_editions.read_editions``); everything after the last is one new edition.
Tests may name an editions.json file instead (``ALECTRO_PUBLISHED_EDITIONS``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from alectro_published import editions_file, publish_tags

from ..text.reading import seen_text, sees_a_difference
from .editions import Edition, EditionError, State, editions_from_states, editorial_mark, with_corrected_dates
from .repository import Repository


@dataclass(frozen=True)
class PublishedEditions(Mapping[str, editions_file.DocumentEntry]):
    """What went live, by document: each published document as the record lists it (``editions_file.DocumentEntry``,
    its editions oldest first, ``committed_at`` the path each was committed at), by its path relative to the
    repository (``source`` in editions.json), with where the record was read."""

    documents: Mapping[str, editions_file.DocumentEntry]
    origin: str
    """Where the record was read, as the messages that refuse it name it: «tag published/3», or the file."""
    restore: str
    """How to get a trustworthy copy of it, for those messages."""

    def __getitem__(self, source: str) -> editions_file.DocumentEntry:
        return self.documents[source]

    def __iter__(self) -> Iterator[str]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)


PUBLISHED_ENV = "ALECTRO_PUBLISHED_EDITIONS"
"""For tests only: an editions.json file read in place of the record in git."""
BY_GIT_ALONE_ENV = "ALECTRO_BY_GIT_ALONE"
"""Set by ``make publish ALLOW_HISTORY_REWRITE=1``: a deliberate correction, built by git history alone."""


def published_from_environment() -> PublishedEditions | None:
    """Return the record named by ``$ALECTRO_PUBLISHED_EDITIONS`` (tests), or None when it is unset or empty.
    Raises ``EditionError`` as ``read_editions_file``."""
    path = os.environ.get(PUBLISHED_ENV, "").strip()
    return read_editions_file(Path(path)) if path else None


def last_publish(repository: Repository, revision: str) -> publish_tags.PublishTag | None:
    """Return the newest publish tag whose commit ``revision`` holds (what was live when it was built), None when
    none is or the record is replaced (``$ALECTRO_PUBLISHED_EDITIONS``, ``$ALECTRO_BY_GIT_ALONE``). Raises
    ``EditionError`` naming the tag and the fix when the record in git is broken."""
    if os.environ.get(PUBLISHED_ENV, "").strip() or os.environ.get(BY_GIT_ALONE_ENV):
        return None
    try:
        # Read once per build, whatever the number of revisions asked; what a revision holds is its graph's.
        tags = repository.remember("publish tags", lambda: publish_tags.read_tags(repository.root))
        reachable = {commit.sha for commit in repository.graph(revision)} if tags else set()
        return publish_tags.latest_at(repository.root, revision, tags, reachable)
    except publish_tags.PublishRecordError as error:
        raise EditionError(f"the record of what went live is broken: {error}") from None


def published_at(repository: Repository | None, revision: str = "HEAD") -> PublishedEditions | None:
    """Return what was live when ``revision`` was built: the editions of the newest publish tag whose commit is
    ``revision`` or one of its ancestors, in ``repository``; None when nothing was published (or outside git,
    ``repository`` None, or with ``$ALECTRO_BY_GIT_ALONE``). ``$ALECTRO_PUBLISHED_EDITIONS`` (tests) is read instead
    when set.

    Raises ``EditionError`` naming the tag and the fix when the record in git is broken (``publish_tags``).
    """
    named = published_from_environment()
    if named is not None or os.environ.get(BY_GIT_ALONE_ENV) or repository is None:
        return named
    tag = last_publish(repository, revision)
    return published_editions(tag.editions, f"tag {tag.name}", publish_tags.refetch(tag.name)) if tag else None


def read_editions_file(path: Path) -> PublishedEditions:
    """Return the published editions listed in the ``editions.json`` at ``path``, oldest first per document.

    Raises ``EditionError`` naming the file when it cannot be read or is not an editions.json.
    """
    try:
        restore = "give the file the live site serves (…/editions.json), or unset " + PUBLISHED_ENV
        return published_editions(editions_file.parse(path.read_bytes(), str(path)), f"the file {path}", restore)
    except OSError as error:
        raise EditionError(
            f"the published editions.json {path} cannot be read ({error.strerror}): fetch it again from the live "
            f"site, or unset ALECTRO_PUBLISHED_EDITIONS to build by git history alone"
        ) from None
    except editions_file.EditionsFileError as error:
        raise EditionError(
            f"{error}: it is not an editions.json this plugin wrote: give the file the live site serves "
            f"(…/editions.json), or unset ALECTRO_PUBLISHED_EDITIONS to build by git history alone"
        ) from None


def published_editions(published: editions_file.EditionsFile, origin: str, restore: str) -> PublishedEditions:
    """Return the documents ``published`` (read from ``origin``; ``restore``: how to get it again) lists."""
    return PublishedEditions({document.source: document for document in published.documents}, origin, restore)


FIX = (
    "the published site's history is in git still (git fetch; its commits are listed in the live editions.json): "
    "bring that commit back into {main}, or undo the change in mkdocs.yml that drops it. A deliberate "
    "correction is published with ALLOW_HISTORY_REWRITE=1, which builds by git history alone"
)


def editions_from_record(
    document: str,
    states: Iterable[State],
    record: PublishedEditions,
    recorded: str | None,
    zone: ZoneInfo,
    corrected_dates: Mapping[int, date] | None = None,
    main_branch: str = "main",
) -> tuple[Edition, ...]:
    """Return the editions of ``document`` given its states along the main line and its published editions (those
    ``record`` lists under ``recorded``, none when None).

        Each published edition is kept as published (number, date, commit, checksum, summary, mark), read from its
        commit; everything that reached the main line after the last of them is one new edition at most (none of
        those commits was live on its own). ``corrected_dates`` (``edition_dates``) still date editions by number.
        The states are read once, in order, holding only the last published one and the newest.
        Raises ``EditionError`` naming the edition, the commit and the fix when git cannot keep a published
        edition (its commit is not on the main line from ``first_published``, or the file there is not the one
        published), and naming ``record``'s origin when it marks an edition editorial that the text rule says is
        substantive (``_refuse_contradicted_mark``).
    """
    expected = list(record[recorded].editions if recorded else ())
    kept: list[Edition] = []
    pinned: State | None = None
    previous: State | None = None
    # The arrivals after the last published edition that changed what a reader sees: together, the new edition.
    changed: list[tuple[str, str, bool]] = []
    for state in states:
        if expected and state.commit == expected[0].commit:
            kept.append(_kept(document, state, expected.pop(0), record, zone, main_branch))
            _refuse_contradicted_mark(document, kept, record)
            pinned, changed = state, []
        elif state.source is not None and (previous is None or _reads_differently(previous, state)):
            changed.append((state.subject, state.body, state.editorial))
        previous = state
    if expected:
        item = expected[0]
        raise EditionError(
            f"{document}: published edition {item.number} of {item.date.isoformat()} (commit {item.commit[:10]}) "
            f"is not on the main line this build reads: {FIX.format(main=main_branch)}"
        )
    editions = list(kept)
    if changed and previous is not None:
        final = replace(
            previous,
            subject="; ".join(dict.fromkeys(subject for subject, _, _ in changed if subject)),
            body="\n\n".join(body for _, body, _ in changed if body),
            editorial=all(editorial for _, _, editorial in changed),
        )
        start = [pinned] if pinned is not None else []
        fresh = editions_from_states(document, [*start, final], zone)[len(start) :]
        editions += [replace(edition, number=len(kept) + 1) for edition in fresh]
    return with_corrected_dates(document, editions, corrected_dates)


def _kept(
    document: str,
    state: State,
    item: editions_file.EditionEntry,
    record: PublishedEditions,
    zone: ZoneInfo,
    main_branch: str,
) -> Edition:
    """A published edition as it was published, its file verified against git."""
    source = state.source
    if source is None or hashlib.sha256(source).hexdigest() != item.sha256:
        found = "absent" if source is None else f"SHA-256 {hashlib.sha256(source).hexdigest()[:12]}…"
        raise EditionError(
            f"{document}: published edition {item.number} of {item.date.isoformat()} (commit {item.commit[:10]}): "
            f"the file at that commit is not the one published (SHA-256 {item.sha256[:12]}…, now {found}): "
            f"{FIX.format(main=main_branch)}"
        )
    (edition,) = editions_from_states(document, [state], zone)
    if item.date < edition.date:
        # No edition takes effect before its text reached the main branch: a record that says so was not written
        # by a publish (git dates the commit, or its edition_date, later), and is not copied forward.
        raise EditionError(
            f"{document}: published edition {item.number} is recorded as dated {item.date.isoformat()}, before its "
            f"commit {item.commit[:10]} reached {main_branch} ({edition.date.isoformat()}), in {record.origin}: the "
            f"record was changed by hand: {record.restore}"
        )
    return replace(edition, number=item.number, date=item.date, summary=item.summary, editorial=item.editorial)


def _refuse_contradicted_mark(document: str, kept: list[Edition], record: PublishedEditions) -> None:
    """Raise ``EditionError`` when ``record`` marks the last of ``kept`` editorial but the text rule
    (``editions.editorial_mark``) says it is substantive against the edition before it: an editorial edition does
    not ask visitors again, so a record that a fork or a hand could write must not skip that.

    Only that direction is refused. A record of a substantive edition the text would allow as editorial is no
    contradiction (editorial takes the trailer, which only the publish saw), and it asks visitors again: the safe
    side. A record written under an earlier, looser rule is refused all the same: the build cannot tell it from a
    forged one, and the pull request that makes the rule stricter fails in CI on the repository's own tags, where
    it is seen and decided (guides/operator.md «Запись о публикации»)."""
    *before, edition = kept
    if not edition.editorial:
        return
    allowed, reason = editorial_mark(before[-1] if before else None, edition.text, trailer=True)
    if allowed:
        return
    rule = f"it is substantive ({reason})" if reason else "a first edition is never editorial"
    raise EditionError(
        f"{document}: {record.origin} records edition {edition.number} of {edition.date.isoformat()} (commit "
        f"{edition.commit[:10]}) as editorial, but the text rule says {rule}. An editorial edition does not ask "
        f"visitors for their consent again, so this record is not trusted: {record.restore}. If the repository's "
        f"own record says so too, the edition was published under an earlier rule (guides/operator.md «Запись о "
        f"публикации»)"
    )


def _reads_differently(before: State, after: State) -> bool:
    if before.source is None or after.source is None:
        return True
    return sees_a_difference(seen_text(before.source), seen_text(after.source), before.images, after.images)
