"""Whose record it is (record version 4): the cookie holds a secret no one else knows, and each choice's record shows
the key of the next link of its chain (:meth:`Seen.follows`: the key of a choice hashes to the key of the choice it
replaces). Anyone who learns the ID can send a record, but not a key that continues the browser's chain: such a
record is shown, marked as made by someone else (``Step.foreign``), is never the choice in force, and the records
after it are judged against the browser's own chain. A lost request does not break the chain: a key hashes to its
predecessor's through the keys of the choices whose records never came (at most :data:`LOST_LINKS`).

What the log cannot tell: when someone who knows the ID sends a keyed record before the browser's first one reaches
the log (lost, or not yet sent after a cookie of the release before), theirs begins the chain, and the browser's
records, replacing a choice the log does not hold or one recorded without a key, begin another
(:meth:`Seen.other_chain`). Both chains are named, and neither is called the browser's (``Step.other_chain``): the
visitor's receipt, which shows a key, tells them apart.
"""

from __future__ import annotations

import hashlib

from alectro_deploy.consent_log import Record, cut
from alectro_deploy.consent_step import (
    SAME_MOMENT,
    Step,
    client_time,
    request_of,
    seconds_apart,
    server_seconds_apart,
)
from alectro_deploy.consent_store import ChainStore

LOGGED_TOGETHER = 10
"""Seconds of server time within which two tabs' records of choices made at the same moment reach the log (each
request is sent at the click): the browser's time is the sender's word, so a record showing a key shown before is
a second tab only if the server logged it this close to the first too (someone who reads the log can copy a key
and the time of its choice, but not send it back in time)."""
ANCHORS = 16
"""At most this many records starting a secret are kept: one, and one per tab that upgraded at the same moment."""
LOST_LINKS = 64
"""How many choices in a row may have left no record (a request lost to the network or a blocker) while the next
key still proves it continues the chain: the proof hashes a key at most this many times (a forged key costs no
more), and a browser that lost as many requests in a row is not one that sends any."""


class Seen:
    """The records read so far, indexed for the next one (in the store, the latest choice at hand)."""

    def __init__(self, store: ChainStore):
        self.store = store
        self.latest: Step | None = None
        """The last record that is the browser's choice (not a repeat, not someone else's)."""
        self.version_3 = False
        self.keyed = False
        """Whether a choice showed a key (version 4): from then on, every record of the browser does."""
        self.anchors: list[Step] = []
        """The browser's records that started a secret (at most :data:`ANCHORS`)."""
        self.floor = 0
        """Keys of choices numbered below this no longer continue the chain: a record continuing the recorded choice
        of a cookie without a secret set it, and the secrets started before it named no recorded choice."""
        self.given_way = 0
        """The first record of the chain of keys that gave way to a record continuing the recorded choice of a
        cookie without a secret (:meth:`takes_over`), 0 if none: which of the two is the browser's, the log does not
        tell (it is another chain, :meth:`other_chain`)."""
        self._asked: tuple[str, list[str], dict[str, Step]] | None = None
        self._shown: tuple[str, Step | None] | None = None

    def repeated(self, record: Record) -> Step | None:
        """The first choice that sent the same request as ``record``."""
        return self.store.first_choice_with(request_of(record))

    def at_time(self, client_time: str) -> Step | None:
        """The latest choice with this browser time (what a ``p`` names)."""
        return self.store.latest_choice_at(client_time)

    def _continued(self, key: str) -> tuple[list[str], dict[str, Step]]:
        """The keys ``key`` continues (:func:`links`) and the latest choice showing each, asked once a record (a
        record is asked several times of the same key; a flood of forged keys is a record each)."""
        if self._asked is None or self._asked[0] != key:
            keys = links(key)
            self._asked = (key, keys, self.store.latest_choices_with_keys(keys))
        return self._asked[1], self._asked[2]

    def follows(self, key: str) -> tuple[Step, int] | None:
        """The browser's choice whose key ``key`` continues, and in how many links (1: the very next choice)."""
        keys, found = self._continued(key)
        return next(
            ((found[k], n) for n, k in enumerate(keys, start=1) if k in found and found[k].number >= self.floor),
            None,
        )

    def takes_over(self, record: Record) -> Step | None:
        """The recorded choice of a cookie without a secret that ``record`` continues (its p), when every secret
        started so far named no recorded choice: anyone who learned the ID could start those, while the browser's
        cookie held that choice. None if not so."""
        if not record.previous or not self.anchors or any(a.replaces is not None for a in self.anchors):
            return None
        named = self.at_time(record.previous)
        return named if named is not None and named.record.version != "4" else None

    def shown(self, key: str) -> Step | None:
        """The browser's latest choice that showed ``key``."""
        if self._shown is None or self._shown[0] != key:
            self._shown = (key, self.store.latest_choices_with_keys([key]).get(key))
        return self._shown[1]

    def other_chain(self, record: Record, number: int) -> int | None:
        """For record ``number``, whose key continues no key of the chain: the first record of the other chain of
        keys it continues, or ``number`` when it begins one as the browser's first keyed record does — replacing a
        choice the log does not hold (the browser's first keyed record was lost) or a recorded choice without a key
        (a cookie of the release before; someone else's record continuing it came first). None when it is in no
        other chain: its key continues a record's of no other chain, or it names no choice (the banner sends a first
        choice only without a cookie, and then with a new ID) or a keyed one whose key it does not continue. A key
        continuing a choice's below the floor is of the chain that gave way (:attr:`given_way`)."""
        keys, choices = self._continued(record.key)
        if choices:
            # Keys of choices below the floor: the chain that gave way.
            return self.given_way or None
        found = self.store.latest_rivals_with_keys(keys)
        continued = next((found[k] for k in keys if k in found), None)
        if continued is not None:
            return continued or None
        named = self.at_time(record.previous) if record.previous else None
        return number if record.previous and (named is None or named.record.version != "4") else None

    def add(self, step: Step) -> None:
        self._asked = self._shown = None
        choice = step.repeat_of is None and not step.foreign
        keyed_foreign = step.foreign and step.repeat_of is None and step.record.version == "4"
        self.store.add_step(
            step.number,
            step,
            choice=choice,
            client_time=step.record.client_time,
            request=request_of(step.record),
            replaces=step.replaces,
            categories=step.record.categories,
            chain_key=step.record.key if step.record.version == "4" else "",
            rival=(step.other_chain or 0) if keyed_foreign else None,
        )
        if choice:
            self.latest = step
            self.version_3 = self.version_3 or step.record.version in ("3", "4")
            self.keyed = self.keyed or step.record.version == "4"
            if step.anchor and step.takes_over:
                self.floor, self.anchors = step.number, [step]
                self.given_way = self.store.give_way(step.number)
            elif step.anchor and len(self.anchors) < ANCHORS:
                self.anchors.append(step)

    def anchor_fork(self, record: Record) -> Step | None:
        """The record that started the secret ``record`` starts again in another tab at the same moment (both
        continuing the same cookie of an earlier release), if any."""
        return next(
            (
                a
                for a in self.anchors
                if a.record.previous
                and a.record.previous == record.previous
                and (apart := seconds_apart(a.record, record)) is not None
                and apart <= SAME_MOMENT
            ),
            None,
        )


def links(key: str) -> list[str]:
    """The keys of the :data:`LOST_LINKS` choices before the one whose record shows ``key``, the nearest first."""
    keys = []
    for _ in range(LOST_LINKS):
        key = next_key(key)
        keys.append(key)
    return keys


def next_key(key: str) -> str:
    """The key of the choice before the one whose record shows ``key``: the first 32 hex digits of SHA-256 of its
    text, as the banner computes its chain (consent-cookie.js ``key``, consent/cookie.py ``chain_key``)."""
    return hashlib.sha256(key.encode("ascii", errors="replace")).hexdigest()[:32]


def secret_started(record: Record, seen: Seen, linked: tuple[Step, int] | None) -> tuple[Step | None, Step | None]:
    """For a keyed record continuing no key of the chain: the record that started the same secret's twin in
    another tab at the same moment (a fork), or else the recorded choice of a cookie without a secret it continues
    where the secrets so far named none (:meth:`Seen.takes_over`)."""
    if record.version != "4" or not seen.keyed or linked is not None:
        return None, None
    fork = seen.anchor_fork(record)
    return fork, None if fork is not None else seen.takes_over(record)


FOREIGN = "СДЕЛАНА НЕ БРАУЗЕРОМ ЭТОГО СОГЛАСИЯ: "
_SOMEONE_ELSE = "; её сделал кто-то, кто знает идентификатор: она не входит в цепочку и не меняет действующий выбор"


def foreign_reason(record: Record, seen: Seen, linked: tuple[Step, int] | None, fork: Step | None) -> str:
    """Why ``record`` (whose key continues ``linked``, or which starts a secret as ``fork`` did in another tab)
    cannot come from the browser that holds this consent's secret; empty if it can."""
    if not seen.keyed:
        if record.version == "4" and not record.previous and seen.latest is not None:
            return (
                f"{FOREIGN}первый выбор (без предыдущего), хотя у этого идентификатора уже есть выбор "
                f"№ {seen.latest.number}: браузер, хранящий идентификатор, продолжает его цепочку{_SOMEONE_ELSE}"
            )
        return ""
    if record.version != "4":
        return (
            f"{FOREIGN}запись версии {cut(record.version)} без ключа после записей с ключом: браузер с секретом в "
            f"cookie её не отправит{_SOMEONE_ELSE}"
        )
    shown = seen.shown(record.key)
    apart = seconds_apart(record, shown.record) if shown is not None else None
    logged = server_seconds_apart(shown.record, record) if shown is not None else None
    if shown is not None and (apart is None or apart > SAME_MOMENT or logged is None or logged > LOGGED_TOGETHER):
        # Two tabs that read the same cookie at once show the same key, and both requests reach the log at once; a
        # record showing it again later does not come from the browser, whose cookie already holds the next link
        # (whatever time of choice it claims: that is the sender's word).
        return (
            f"{FOREIGN}её ключ уже показан выбором № {shown.number}, а браузер показывает каждый ключ один раз (две "
            f"вкладки — почти одновременно, и обе записи доходят до журнала в одни секунды){_SOMEONE_ELSE}"
        )
    if linked is None and fork is None:
        return (
            f"{FOREIGN}её ключ не продолжает цепочку ключей этого согласия, а продолжить её может только браузер, "
            f"хранящий секрет в cookie{_SOMEONE_ELSE}"
        )
    return ""


OTHER_CHAIN = "ДРУГАЯ ЦЕПОЧКА КЛЮЧЕЙ"
_UNTOLD = "какая из цепочек — браузера посетителя, журнал сам не говорит (см. конец доказательства)"


def foreign_step(
    record: Record, number: int, seen: Seen, linked: tuple[Step, int] | None, fork: Step | None
) -> Step | None:
    """Record ``number`` as a step of no browser of this consent's chain (:func:`foreign_reason`), or of another
    chain of keys (:meth:`Seen.other_chain`); None if it can be the browser's."""
    reason = foreign_reason(record, seen, linked, fork)
    if not reason:
        return None
    unlinked = record.version == "4" and seen.keyed and linked is None and fork is None
    other = seen.other_chain(record, number) if unlinked and seen.shown(record.key) is None else None
    if other == number:
        named = seen.at_time(record.previous)
        replaced = (
            f"выбора, который она заменяет (от {client_time(record.previous)}), в журнале нет"
            if named is None
            else f"заменяет она выбор № {named.number}, записанный без ключа (cookie прежнего выпуска)"
        )
        reason = (
            f"{OTHER_CHAIN} (с записи № {number}): её ключ не продолжает цепочку ключей этого согласия, а {replaced}. "
            "Так выглядит и запись браузера посетителя, если цепочку этого согласия начала запись кого-то, кто знает "
            f"идентификатор, а первая запись браузера с ключом не дошла до журнала или пришла после неё: {_UNTOLD}"
        )
    elif other is not None:
        reason = (
            f"{OTHER_CHAIN} (с записи № {other}): её ключ продолжает цепочку, начатую записью № {other}, а не "
            f"цепочку ключей этого согласия: {_UNTOLD}"
        )
    return Step(record, number, warnings=(reason,), foreign=True, other_chain=other)
