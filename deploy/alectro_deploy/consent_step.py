"""What one consent's chain is made of: a record's step (which choice it replaces, what is doubtful or unusual about
it), the chain's end, what was published, and the times and requests the judgment compares (consent_chain reads the
chain, consent_judge judges each step, consent_keys tells whose record it is)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from alectro_deploy.consent_log import EDITION, SECONDS, SERVER_TIME, Record, cut

SAME_MOMENT = 2
"""Seconds within which two tabs can both read the same cookie before either writes its choice: a choice that
replaces an older one than the last recorded, and is further from it than this, did not come from a live cookie."""
RETRY_WINDOW = 60
"""Seconds within which the same request from the same address and browser is a retry (a browser sends a GET again
when a kept-alive connection drops before the answer), not a second choice."""


class Catalogue(Protocol):
    """What was published: editions.json's documents and the banner texts beside it (consent_published.Published)."""

    def document(self, doc: str) -> dict[str, Any] | None: ...

    def edition(self, doc: str, number: str) -> dict[str, Any] | None: ...

    def text_published(self, text_hash: str) -> bool | None:
        """Whether the text is published; None when it could not be read (not checked)."""
        ...

    def offered(self, text_hash: str) -> frozenset[str] | None:
        """The categories the banner with this text offered; None when the text does not say (not checked)."""
        ...

    def local_day(self, server_time: dt.datetime) -> str: ...


@dataclass(frozen=True)
class Step:
    """One record of the consent, read in the chain."""

    record: Record
    number: int
    """Its place among the consent's records, from 1, in log order."""
    replaces: int | None = None
    """The number of the choice it replaces (its ``p``); None for a first choice or one not found."""
    repeat_of: int | None = None
    """The number of the record this one repeats field for field; such a record is no new choice."""
    warnings: tuple[str, ...] = ()
    """Why the banner would not have sent it so (printed after ВНИМАНИЕ)."""
    notes: tuple[str, ...] = ()
    """What is unusual but the banner does."""
    foreign: bool = False
    """Made by someone else than the browser of this consent (its key does not continue the chain): never the
    choice in force, never the choice another replaces."""
    takes_over: bool = False
    """A secret started by continuing the recorded choice of a cookie without one, after secrets started naming
    none (:meth:`Seen.takes_over`): the chain of keys goes on from it alone."""
    anchor: bool = False
    """The browser's first keyed record (version 4): a first choice, or the first after a cookie of an earlier
    release, which held no secret; two tabs making that choice at once each start a secret of their own."""
    other_chain: int | None = None
    """For a record whose key continues no key of the chain (``foreign``) but starts or continues another chain of
    keys, begun by a record replacing a choice the log does not hold: the number of that record. The browser's own
    records look so when its first keyed record was lost and someone else's began the chain (:class:`KeyChain`)."""

    @property
    def kept_edition(self) -> str:
        """The edition the cookie holds after this choice: the record's, or (version 4) a newer one the cookie held
        already (a tab opened before a newer edition never takes the cookie back to its older one)."""
        return self.record.kept_edition or self.record.edition


@dataclass(frozen=True)
class KeyChain:
    """Records whose keys continue one another and no key of another such chain of the same consent: which of two
    is the browser's, the log alone cannot tell (consent_keys, :meth:`Seen.other_chain`)."""

    first: int
    """The number of its first record."""
    count: int
    """How many records it has (repeats of a request not counted)."""
    numbers: tuple[int, ...]
    """The numbers of its first records (at most a few dozen: a flood may make a chain of thousands)."""
    last: Step
    """Its last choice."""


@dataclass(frozen=True)
class Chain:
    in_force: Step
    """The last choice recorded (not a repeat)."""
    rivals: tuple[Step, ...]
    """Choices made at the same moment as ``in_force``, replacing the same one, with other categories: which of
    them the browser kept, the log cannot tell."""
    asked_again: tuple[dict[str, Any], ...]
    """Editions published after ``in_force``'s under which the banner asks again (not editorial), from
    editions.json."""
    granted: frozenset[str] = frozenset()
    """Every category a choice of the chain granted."""
    steps: tuple[Step, ...] = ()
    """Every step, when read by :func:`read_chain` (a proof streams them from :class:`ChainReader` instead)."""
    key_chains: tuple[KeyChain, ...] = ()
    """When records of two or more chains of keys that do not continue one another came with the ID: the chain read
    as this consent's (ending at ``in_force``) first, then the others by their first record (at most a few dozen);
    empty when there is one chain."""
    key_chain_count: int = 0
    """How many chains of keys there are, when there are two or more (``key_chains`` may show fewer)."""

    given_way: tuple[int, int] = (0, 0)
    """(first record, taken over at): the chain of keys that gave way to a record continuing the recorded choice of a
    cookie without a secret, and that record's number (its keyed choices before it are that chain's)."""

    def key_chain_of(self, step: Step) -> KeyChain | None:
        """The chain of keys ``step`` belongs to, when there are several; None if one, or if ``step`` is in none."""
        if not self.key_chains or (step.foreign and step.other_chain is None):
            return None
        first = self.key_chains[0].first
        if step.foreign:
            first = step.other_chain or first
        elif step.record.version == "4" and step.number < self.given_way[1]:
            first = self.given_way[0]
        return next((c for c in self.key_chains if c.first == first), None)


def request_of(record: Record) -> tuple:
    """What the banner sent: a record with the same is the same request logged again."""
    return (
        record.version,
        record.consent_id,
        record.choice,
        record.categories,
        record.doc,
        record.edition,
        record.sha,
        record.client_time,
        record.banner_text,
        record.previous,
        record.key,
    )


def edition_number(value: str) -> int | None:
    return int(value) if EDITION.fullmatch(value) else None


def seconds_apart(a: Record, b: Record) -> int | None:
    if SECONDS.fullmatch(a.client_time) and SECONDS.fullmatch(b.client_time):
        return abs(int(a.client_time) - int(b.client_time))
    return None


def server_seconds_apart(a: Record, b: Record) -> float | None:
    first, second = server_time(a), server_time(b)
    return abs((second - first).total_seconds()) if first and second else None


def server_time(record: Record) -> dt.datetime | None:
    """The server's time of ``record`` (nginx's $time_iso8601), None if it is not one."""
    if not SERVER_TIME.fullmatch(record.time):
        return None
    try:
        return dt.datetime.fromisoformat(record.time)
    except ValueError:
        return None


def client_time(value: str) -> str:
    """A browser time (Unix seconds) as ISO 8601 in UTC, or said to be wrong."""
    if not SECONDS.fullmatch(value):
        return f"неверное ({cut(value)!r})"
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC).isoformat()
    except (ValueError, OverflowError, OSError):
        return f"неверное ({value!r})"
