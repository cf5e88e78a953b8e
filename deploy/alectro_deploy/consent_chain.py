"""One consent's records read as the banner makes them: which choice each replaces, which could not have come from
the banner, which were made by someone else than the visitor's browser, and which choice is in force at the end.

The banner (plugins/alectro_policy/consent/static/consent.js, ``save``) reads the cookie at the moment of a choice,
keeps its ID and sends the time of the choice it replaces (``p``); it sends «withdraw» exactly when the new choice
drops a category of a choice still valid under the edition consent is bound to. So a record is judged against the
one it replaces, and against the published editions.json and banner texts when the operator gives them. A record
is never dropped: what is doubtful is said (ВНИМАНИЕ), what is merely unusual but the banner does (the same request
logged twice, two tabs choosing at once, a tab opened before a newer edition) is said plainly, without ВНИМАНИЕ.

Whose record it is (record version 4): the cookie holds a secret no one else knows, and each choice's record shows
the key of the next link of its chain (:func:`follows`: the key of a choice hashes to the key of the choice it
replaces). Anyone who learns the ID can send a record, but not a key that continues the browser's chain: such a
record is shown, marked as made by someone else (``Step.foreign``), is never the choice in force, and the records
after it are judged against the browser's own chain. A lost request does not break the chain: a key hashes to its
predecessor's through the keys of the choices whose records never came (at most :data:`LOST_LINKS`).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from alectro_deploy.consent_log import EDITION, SECONDS, SERVER_TIME, Record, cut
from alectro_deploy.consent_store import RECORDS_IN_MEMORY, ChainStore

CLOCK_TOLERANCE = 3600
"""Seconds the browser's time of a choice may differ from the server's time of its record: the request is sent at
once, so more is a visitor's clock set wrong, or a record not sent by the banner."""
SAME_MOMENT = 2
"""Seconds within which two tabs can both read the same cookie before either writes its choice: a choice that
replaces an older one than the last recorded, and is further from it than this, did not come from a live cookie."""
LOGGED_TOGETHER = 10
"""Seconds of server time within which two tabs' records of choices made at the same moment reach the log (each
request is sent at the click): the browser's time is the sender's word, so a record showing a key shown before is
a second tab only if the server logged it this close to the first too (someone who reads the log can copy a key
and the time of its choice, but not send it back in time)."""
RETRY_WINDOW = 60
"""Seconds within which the same request from the same address and browser is a retry (a browser sends a GET again
when a kept-alive connection drops before the answer), not a second choice."""
ANCHORS = 16
"""At most this many records starting a secret are kept: one, and one per tab that upgraded at the same moment."""
LOST_LINKS = 64
"""How many choices in a row may have left no record (a request lost to the network or a blocker) while the next
key still proves it continues the chain: the proof hashes a key at most this many times (a forged key costs no
more), and a browser that lost as many requests in a row is not one that sends any."""


class Catalogue(Protocol):
    """What was published: editions.json's documents and the banner texts beside it (consent_report.Published)."""

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
    none (:meth:`_Seen.takes_over`): the chain of keys goes on from it alone."""
    anchor: bool = False
    """The browser's first keyed record (version 4): a first choice, or the first after a cookie of an earlier
    release, which held no secret; two tabs making that choice at once each start a secret of their own."""

    @property
    def kept_edition(self) -> str:
        """The edition the cookie holds after this choice: the record's, or (version 4) a newer one the cookie held
        already (a tab opened before a newer edition never takes the cookie back to its older one)."""
        return self.record.kept_edition or self.record.edition


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
        self._seen = _Seen(store)
        self._last: Step | None = None
        self.count = 0
        """The records read so far."""

    def read(self, record: Record) -> Step:
        """``record`` judged as the next step of the chain."""
        self.count += 1
        step = _step(record, self.count, self._seen, self.published)
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
        return Chain(last, rivals, asked_again, frozenset(self.store.granted()))


class _Seen:
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

    def repeated(self, record: Record) -> Step | None:
        """The first choice that sent the same request as ``record``."""
        return self.store.first_choice_with(_request(record))

    def at_time(self, client_time: str) -> Step | None:
        """The latest choice with this browser time (what a ``p`` names)."""
        return self.store.latest_choice_at(client_time)

    def follows(self, key: str) -> tuple[Step, int] | None:
        """The browser's choice whose key ``key`` continues, and in how many links (1: the very next choice)."""
        keys = []
        for _ in range(LOST_LINKS):
            key = next_key(key)
            keys.append(key)
        found = self.store.latest_choices_with_keys(keys)
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
        return self.store.latest_choices_with_keys([key]).get(key)

    def add(self, step: Step) -> None:
        choice = step.repeat_of is None and not step.foreign
        self.store.add_step(
            step.number,
            step,
            choice=choice,
            client_time=step.record.client_time,
            request=_request(step.record),
            replaces=step.replaces,
            categories=step.record.categories,
            chain_key=step.record.key if step.record.version == "4" else "",
        )
        if choice:
            self.latest = step
            self.version_3 = self.version_3 or step.record.version in ("3", "4")
            self.keyed = self.keyed or step.record.version == "4"
            if step.anchor and step.takes_over:
                self.floor, self.anchors = step.number, [step]
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
                and (apart := _seconds_apart(a.record, record)) is not None
                and apart <= SAME_MOMENT
            ),
            None,
        )


def next_key(key: str) -> str:
    """The key of the choice before the one whose record shows ``key``: the first 32 hex digits of SHA-256 of its
    text, as the banner computes its chain (consent-cookie.js ``key``, consent/cookie.py ``chain_key``)."""
    return hashlib.sha256(key.encode("ascii", errors="replace")).hexdigest()[:32]


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
        key = hash((_request(record), record.addr, record.ua))
        before = self._seen.get(key)
        if before is not None and abs((now - before).total_seconds()) <= RETRY_WINDOW:
            return True
        self._seen[key] = now
        return False


def _rivals(step: Step, last: Step) -> bool:
    """Whether ``step`` and ``last`` were made at the same moment in two tabs, replacing the same choice with
    different categories."""
    apart = _seconds_apart(step.record, last.record)
    return (
        last.replaces is not None
        and step.replaces == last.replaces
        and step.record.categories != last.record.categories
        and apart is not None
        and apart <= SAME_MOMENT
    )


# One record judged against its chain: each branch is one rule of the banner's save(), in the order it applies them.
def _step(record: Record, number: int, seen: _Seen, published: Catalogue | None) -> Step:  # noqa: C901, PLR0912
    warnings: list[str] = []
    notes: list[str] = []
    repeated = seen.repeated(record)
    if repeated is not None:
        gap = _server_seconds_apart(repeated.record, record)
        if (
            (repeated.record.addr, repeated.record.ua) == (record.addr, record.ua)
            and gap is not None
            and gap <= RETRY_WINDOW
        ):
            notes.append(
                f"повтор запроса № {repeated.number} (тот же запрос ещё раз: повтор браузера или вторая вкладка): "
                "не новый выбор"
            )
        else:
            warnings.append(
                f"повтор записи № {repeated.number} с другого адреса или браузера либо позже чем через "
                f"{RETRY_WINDOW} с: баннер отправляет каждый выбор один раз"
            )
        return Step(
            record,
            number,
            repeat_of=repeated.number,
            warnings=tuple(warnings),
            notes=tuple(notes),
            foreign=repeated.foreign,
        )
    linked = seen.follows(record.key) if record.version == "4" and seen.keyed else None
    fork, taken = _secret_started(record, seen, linked)
    if taken is not None:
        return _taking_over(record, number, taken, seen, published)
    foreign = _foreign(record, seen, linked, fork)
    if foreign:
        return Step(record, number, warnings=(foreign,), foreign=True)
    latest = seen.latest
    replaced: Step | None = None
    judged = True
    if linked is not None:
        replaced, links = linked
        if links > 1:
            # The choice it replaced is one whose record never came: nothing to judge the label against.
            judged = False
            notes.append(
                f"ключ продолжает цепочку выбора № {replaced.number} через {links - 1} "
                f"{'выбор' if links == 2 else 'выбора'}, записи о которых не дошли до журнала (сеть, блокировщик)"
            )
            replaced = None
        elif record.previous != replaced.record.client_time:
            warnings.append(
                f"ключ продолжает выбор № {replaced.number}, но время заменённого выбора в записи другое "
                f"({client_time(record.previous)}): баннер отправляет оба из одного cookie"
            )
    elif record.version not in ("3", "4"):
        # Before record version 3 the banner gave every choice a new ID: a record is alone in its chain.
        judged = False
        if seen.version_3:
            warnings.append(
                f"запись версии {cut(record.version)} после записей версии 3: баннер этого выпуска её не отправит, "
                "а без p и h её не сверить с предыдущим выбором и текстом баннера — старая страница из кэша или "
                "подделка"
            )
        elif latest is not None:
            warnings.append(
                f"вторая запись версии {cut(record.version)} с этим идентификатором (первая — № {latest.number}): "
                "баннер до версии 3 давал каждому выбору новый идентификатор"
            )
        elif record.choice == "withdraw":
            notes.append(
                "отзыв версии 2: баннер тогда давал каждому выбору новый идентификатор, отозванный выбор записан "
                "под другим"
            )
    elif record.previous:
        replaced = seen.at_time(record.previous)
        judged = replaced is not None
        if replaced is None:
            warnings.append(
                f"заменяет выбор от {client_time(record.previous)}, которого в журнале нет: запрос о нём не дошёл "
                "(сеть, блокировщик), он удалён по сроку хранения, сделан до журнала — или запись подделана"
            )
        elif record.version == "4" and replaced.record.version != "4":
            notes.append(
                f"первая запись с ключом: cookie прежнего выпуска (без секрета) продолжен, выбор № {replaced.number} "
                "записан ещё без ключа"
            )
    elif latest is not None:
        warnings.append(
            f"первый выбор (без предыдущего), хотя у этого идентификатора уже есть выбор № {latest.number}: "
            "баннер сохраняет идентификатор только вместе с предыдущим выбором"
        )
    if replaced is not None and latest is not None and replaced.number != latest.number:
        apart = _seconds_apart(record, latest.record)
        if apart is not None and apart <= SAME_MOMENT:
            notes.append(
                f"РАЗВИЛКА: заменяет выбор № {replaced.number}, как и № {latest.number}, сделанный почти "
                "одновременно: два выбора в двух вкладках; в браузере остался записанный в cookie последним"
            )
        else:
            warnings.append(
                f"заменяет выбор № {replaced.number}, хотя после него записан № {latest.number}: баннер читает "
                "cookie в момент выбора — старый cookie восстановлен или запись подделана"
            )
    if record.version == "4" and record.kept_edition != record.edition:
        notes.append(
            f"сделан на странице редакции {record.edition}, открытой до редакции {record.kept_edition} (старая "
            f"вкладка): в cookie осталась редакция {record.kept_edition}"
        )
    if judged:
        warnings += _choice_problems(record, replaced, published)
    warnings += _clock_problems(record, latest.record if latest else None)
    if published is not None:
        warnings += _published_problems(record, published)
    return Step(
        record,
        number,
        replaces=replaced.number if replaced else None,
        warnings=tuple(warnings),
        notes=tuple(notes),
        anchor=record.version == "4" and linked is None,
    )


def _secret_started(record: Record, seen: _Seen, linked: tuple[Step, int] | None) -> tuple[Step | None, Step | None]:
    """For a keyed record continuing no key of the chain: the record that started the same secret's twin in
    another tab at the same moment (a fork), or else the recorded choice of a cookie without a secret it continues
    where the secrets so far named none (:meth:`_Seen.takes_over`)."""
    if record.version != "4" or not seen.keyed or linked is not None:
        return None, None
    fork = seen.anchor_fork(record)
    return fork, None if fork is not None else seen.takes_over(record)


def _taking_over(record: Record, number: int, taken: Step, seen: _Seen, published: Catalogue | None) -> Step:
    """``record``, which continues ``taken`` (a cookie without a secret) after secrets started naming no recorded
    choice: the browser's, judged against ``taken``; the keys before it are someone else's chain."""
    orphans = ", ".join(f"№ {a.number}" for a in seen.anchors)
    notes = [
        f"первая запись с ключом, продолжающая записанный выбор № {taken.number} (cookie прежнего выпуска, без "
        f"секрета); цепочки ключей, начатые записями {orphans}, не называли записанного выбора — их мог начать "
        "любой, кто знает идентификатор, — и после этой записи их ключи цепочку не продолжают"
    ]
    warnings = _choice_problems(record, taken, published) + _clock_problems(record, taken.record)
    if published is not None:
        warnings += _published_problems(record, published)
    return Step(
        record,
        number,
        replaces=taken.number,
        warnings=tuple(warnings),
        notes=tuple(notes),
        takes_over=True,
        anchor=True,
    )


FOREIGN = "СДЕЛАНА НЕ БРАУЗЕРОМ ЭТОГО СОГЛАСИЯ: "
_SOMEONE_ELSE = "; её сделал кто-то, кто знает идентификатор: она не входит в цепочку и не меняет действующий выбор"


def _foreign(record: Record, seen: _Seen, linked: tuple[Step, int] | None, fork: Step | None) -> str:
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
    apart = _seconds_apart(record, shown.record) if shown is not None else None
    logged = _server_seconds_apart(shown.record, record) if shown is not None else None
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


def _choice_problems(record: Record, previous: Step | None, published: Catalogue | None) -> list[str]:
    """Whether the banner could send ``record``'s choice after ``previous`` (None: a first choice)."""
    if previous is None:
        return ["отзыв без предыдущего выбора: отзывать нечего"] if record.choice == "withdraw" else []
    before = previous.record
    # What the cookie held: a tab of an older edition leaves the newer one in it (version 4, consent.js save).
    edition = previous.kept_edition
    problems = []
    old, new = _number(before.edition), _number(record.edition)
    if (
        record.version != "4"
        and old is not None
        and new is not None
        and new < old
        and _same_document(before, record, published)
    ):
        problems.append(
            f"редакция {record.edition} раньше, чем у заменённого выбора № {previous.number} "
            f"({before.edition}): старая страница из кэша браузера или запись подделана"
        )
    dropped = [c for c in before.categories if c not in record.categories]
    still_valid = _still_valid(before, edition, record, published)
    if record.choice == "withdraw":
        if still_valid is False:
            problems.append(
                "отзыв при повторном вопросе после новой редакции: баннер записал бы выбор, а не отзыв "
                "(прежний выбор под новой редакцией уже не действует)"
            )
        elif not dropped:
            problems.append(f"отзыв, но выбор № {previous.number} не разрешал ничего сверх этого выбора")
    elif dropped and still_valid:
        problems.append(
            f"убирает согласие на {', '.join(dropped)} из выбора № {previous.number}, но записан как "
            f"«{record.choice}»: баннер записал бы отзыв (withdraw)"
        )
    return problems


def _still_valid(before: Record, edition: str, record: Record, published: Catalogue | None) -> bool | None:
    """Whether ``before``, kept in the cookie under ``edition``, was still a valid choice when ``record`` was made,
    as the banner decides (no edition after it that asks again, up to ``record``'s): None when editions.json is
    needed to tell and not given."""
    old, new = _number(edition), _number(record.edition)
    if old is None or new is None or not _same_document(before, record, published):
        return None
    if new <= old:
        return True
    if published is None:
        return None
    document = published.document(record.doc)
    if document is None:
        return None
    return not any(
        isinstance(e, dict) and isinstance(e.get("number"), int) and old < e["number"] <= new and not e.get("editorial")
        for e in document.get("editions") or []
    )


def _same_document(a: Record, b: Record, published: Catalogue | None) -> bool:
    if a.doc == b.doc:
        return True
    # A document moved between the two choices keeps the visitor's consent (editions.json's former_sources).
    return (
        published is not None
        and published.document(a.doc) is not None
        and (published.document(a.doc) is published.document(b.doc))
    )


def _clock_problems(record: Record, latest: Record | None) -> list[str]:
    problems = []
    server = server_time(record)
    if server is not None and SECONDS.fullmatch(record.client_time):
        apart = abs(int(record.client_time) - server.timestamp())
        if apart > CLOCK_TOLERANCE:
            problems.append(
                f"время выбора в браузере расходится с временем сервера на {_duration(apart)}: часы посетителя "
                "(или сервера — тогда так у всех записей этих дней) неверны, или запись подделана"
            )
    if latest is not None and SECONDS.fullmatch(record.client_time) and SECONDS.fullmatch(latest.client_time):
        if int(record.client_time) < int(latest.client_time):
            problems.append("время в браузере раньше, чем у предыдущей записи (часы посетителя переставлены?)")
    return problems


def _published_problems(record: Record, published: Catalogue) -> list[str]:
    problems = []
    found = published.edition(record.doc, record.edition)
    if published.document(record.doc) is None:
        problems.append(f"документа {cut(record.doc)} нет в editions.json")
    elif found is None:
        problems.append(f"редакции {cut(record.edition)} нет в editions.json")
    else:
        if str(found.get("sha256", "")).lower() != record.sha:
            problems.append(f"SHA-256 редакции {record.edition} не тот, что опубликован в editions.json")
        server = server_time(record)
        if server is not None and isinstance(found.get("date"), str) and published.local_day(server) < found["date"]:
            problems.append(
                f"записан {published.local_day(server)}, раньше публикации редакции {record.edition} "
                f"({found['date']}): такой страницы ещё не было"
            )
    offered = published.offered(record.banner_text) if record.banner_text else None
    never = [c for c in record.categories if offered is not None and c not in offered]
    if never:
        problems.append(f"категорий {', '.join(map(cut, never))} баннер с текстом {record.banner_text} не предлагал")
    if record.banner_text and published.text_published(record.banner_text) is False:
        problems.append(f"текст баннера {cut(record.banner_text)} не опубликован рядом с editions.json")
    return problems


def _asked_again(record: Record, kept: str, published: Catalogue | None) -> tuple[dict[str, Any], ...]:
    number = _number(kept)
    document = published.document(record.doc) if published is not None else None
    if number is None or document is None:
        return ()
    return tuple(
        e
        for e in document.get("editions") or []
        if isinstance(e, dict) and isinstance(e.get("number"), int) and e["number"] > number and not e.get("editorial")
    )


def _request(record: Record) -> tuple:
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


def _number(value: str) -> int | None:
    return int(value) if EDITION.fullmatch(value) else None


def _seconds_apart(a: Record, b: Record) -> int | None:
    if SECONDS.fullmatch(a.client_time) and SECONDS.fullmatch(b.client_time):
        return abs(int(a.client_time) - int(b.client_time))
    return None


def _server_seconds_apart(a: Record, b: Record) -> float | None:
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


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return (f"{days} дн. " if days else "") + f"{hours} ч {minutes} мин"
