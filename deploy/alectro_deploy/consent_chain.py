"""One consent's records read as the banner makes them: which choice each replaces, which could not have come from
the banner, which were made by someone else than the visitor's browser, and which choice is in force at the end.

The banner (plugins/alectro_policy/consent/static/consent.js, ``save``) reads the cookie at the moment of a choice,
keeps its ID and sends the time of the choice it replaces (``p``); it sends «withdraw» exactly when the new choice
drops a category of a choice still valid under the edition consent is bound to. So a record is judged against the
one it replaces, and against the published editions.json and banner texts when the operator gives them. A record
is never dropped: what is doubtful is said (ВНИМАНИЕ), what is merely unusual but the banner does (the same request
logged twice, two tabs choosing at once, a tab opened before a newer edition) is said plainly, without ВНИМАНИЕ.

Each record is judged by consent_judge; whose record it is (the secret chain of keys of record version 4) is told by
consent_keys; the steps and the chain they make are consent_step's.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from alectro_deploy.consent_judge import judge_step
from alectro_deploy.consent_keys import Seen
from alectro_deploy.consent_log import Record
from alectro_deploy.consent_step import (
    RETRY_WINDOW,
    SAME_MOMENT,
    Catalogue,
    Chain,
    KeyChain,
    Step,
    edition_number,
    request_of,
    seconds_apart,
    server_time,
)
from alectro_deploy.consent_store import RECORDS_IN_MEMORY, ChainStore

SHOWN_KEY_CHAINS = 20
"""How many chains of keys of one consent the proof names at its end (a flood may begin thousands)."""
SHOWN_IN_KEY_CHAIN = 20
"""How many numbers of each chain's records it lists there (the records themselves are above)."""


def read_chain(records: Iterable[Record], published: Catalogue | None) -> Chain:
    """The chain of one consent's ``records`` (log order, at least one), each judged against the ones before it
    and against ``published`` when given, every step held (a proof streams them with :class:`ChainReader`)."""
    with ChainStore() as store:
        reader = ChainReader(store, published)
        steps = tuple(reader.read(record) for record in records)
        return dataclasses.replace(reader.chain(), steps=steps)


class ChainReader:
    """Judges one consent's records one at a time, in log order, each against the ones before it (kept in
    ``store``, so that memory stays bounded whatever their number) and against ``published`` when given.
    Linear in the records: anyone who learns an ID can log thousands."""

    def __init__(self, store: ChainStore, published: Catalogue | None):
        self.store = store
        self.published = published
        self._seen = Seen(store)
        self._last: Step | None = None
        self.count = 0
        """The records read so far."""

    def read(self, record: Record) -> Step:
        """``record`` judged as the next step of the chain."""
        self.count += 1
        step = judge_step(record, self.count, self._seen, self.published)
        self._seen.add(step)
        self._last = step
        return step

    def step(self, number: int) -> Step:
        """Step ``number``, read before."""
        return self.store.step(number)

    def chain(self) -> Chain:
        """What the steps read so far (at least one) say at the end: the choice in force and its rivals."""
        assert self._last is not None, "a chain has at least one record"
        last = self._seen.latest or self._last
        rivals = ()
        if last.replaces is not None:
            rivals = tuple(
                s
                for s in self.store.unreplaced_choices_replacing(last.replaces, last.number, RECORDS_IN_MEMORY)
                if _rivals(s, last)
            )
        asked_again = _asked_again(last.record, last.kept_edition, self.published)
        count, key_chains = self._key_chains(last)
        return Chain(
            last,
            rivals,
            asked_again,
            frozenset(self.store.granted()),
            key_chains=key_chains,
            key_chain_count=count,
            given_way=(self._seen.given_way, self._seen.floor),
        )

    def _key_chains(self, last: Step) -> tuple[int, tuple[KeyChain, ...]]:
        """How many chains of keys the records make and the first :data:`SHOWN_KEY_CHAINS` of them, this
        consent's (ending at ``last``) first; (0, ()) when one."""
        others, rows = self.store.rival_chains(SHOWN_KEY_CHAINS - 1)
        if not others:
            return 0, ()
        choices, numbers = self.store.keyed_choice_numbers(SHOWN_IN_KEY_CHAIN)
        own = KeyChain(numbers[0] if numbers else last.number, choices, tuple(numbers), last)
        return others + 1, (
            own,
            *(
                KeyChain(first, records, tuple(self.store.rival_chain_numbers(first, SHOWN_IN_KEY_CHAIN)), self.step(n))
                for first, records, n in rows
            ),
        )


class RecentRequests:
    """The requests of the last :data:`RETRY_WINDOW` seconds (server time) in a stream of every ID's records, to
    tell a browser's retry from a choice; at most ``limit`` kept, so memory stays the same for any log."""

    def __init__(self, limit: int = 20_000):
        self.limit = limit
        # By the hash of the request, address and browser: a key is a few bytes, however long a user agent.
        self._seen: collections.OrderedDict[int, dt.datetime] = collections.OrderedDict()

    def is_retry(self, record: Record) -> bool:
        """Whether ``record`` repeats a request of the same address and browser logged within the window."""
        now = server_time(record)
        if now is None:
            return False
        while self._seen:
            oldest = next(iter(self._seen.values()))
            if len(self._seen) < self.limit and (now - oldest).total_seconds() <= RETRY_WINDOW:
                break
            self._seen.popitem(last=False)
        key = hash((request_of(record), record.addr, record.ua))
        before = self._seen.get(key)
        if before is not None and abs((now - before).total_seconds()) <= RETRY_WINDOW:
            return True
        self._seen[key] = now
        return False


def _rivals(step: Step, last: Step) -> bool:
    """Whether ``step`` and ``last`` were made at the same moment in two tabs, replacing the same choice with
    different categories."""
    apart = seconds_apart(step.record, last.record)
    return (
        last.replaces is not None
        and step.replaces == last.replaces
        and step.record.categories != last.record.categories
        and apart is not None
        and apart <= SAME_MOMENT
    )


def _asked_again(record: Record, kept: str, published: Catalogue | None) -> tuple[dict[str, Any], ...]:
    number = edition_number(kept)
    document = published.document(record.doc) if published is not None else None
    if number is None or document is None:
        return ()
    return tuple(
        e
        for e in document.get("editions") or []
        if isinstance(e, dict) and isinstance(e.get("number"), int) and e["number"] > number and not e.get("editorial")
    )
