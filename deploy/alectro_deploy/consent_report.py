"""The proof of one consent and the summary of all choices, as lines of text, from the consent log; and what the
proof checks each record against: the published editions.json and the banner texts published beside it.

One consent is one chain: the banner keeps the consent ID across the visitor's later choices and the re-asks
after a new edition, so every record with the ID belongs to it, in log order (``consent_log``). The proof prints
each choice, what it changed against the one it replaced (granted, withdrawn), and the choice in force at the end;
``consent_chain`` judges each record, and the proof flags what the banner would not have sent without dropping it.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import hashlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alectro_deploy.banner_texts import FOLDER as BANNER_TEXTS
from alectro_deploy.banner_texts import INDEX, listed
from alectro_deploy.consent_chain import ChainReader, RecentRequests
from alectro_deploy.consent_log import BANNER_TEXT, CHOICES, LogReader, ProofError, Record, cut
from alectro_deploy.consent_receipt import ReceiptCheck
from alectro_deploy.consent_step import Chain, Step, client_time
from alectro_deploy.consent_store import RECORDS_IN_MEMORY, ChainStore

CHOICE_LABELS = {
    "all": "принять все",
    "necessary": "только необходимые",
    "custom": "выборочно",
    "withdraw": "отзыв согласия",
}
SHOWN_FOREIGN = 20
"""How many numbers of records made by someone else the end of a proof lists (the records themselves are above)."""
TEXTS_WITHOUT_INDEX = 20
"""How many banner texts a proof asks for one by one when the site publishes no list of them."""

Fetch = Callable[[str], bytes | None]


# -- editions.json and the banner texts -------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """The published editions.json and a way to read the files published beside it (consent_chain's Catalogue)."""

    editions: dict[str, Any]
    spec: str
    fetch: Fetch
    _texts: dict[str, BannerText] = field(default_factory=dict, compare=False, repr=False)
    _documents: dict[str, dict[str, Any] | None] = field(default_factory=dict, compare=False, repr=False)
    _index: dict[str, frozenset[str] | str | None] = field(default_factory=dict, compare=False, repr=False)

    def banner_text(self, text_hash: str) -> BannerText:
        """Banner text ``text_hash`` as published beside editions.json: where, and its text if it is there and its
        hash matches, or why it could not be read. Only a hash of 16 hex digits is looked up (a shorter one would
        match many texts, a path any file), and only one the published list ``banner-texts/index.txt`` names:
        forged records may name thousands of hashes, and each is not one more request to the site. Without a list
        (a release before it), at most :data:`TEXTS_WITHOUT_INDEX` texts are asked for one by one."""
        if text_hash in self._texts:
            return self._texts[text_hash]
        where = f"{self._texts_folder}{text_hash}.txt"
        if not BANNER_TEXT.fullmatch(text_hash):
            return BannerText(where)
        listed = self._listed()
        if isinstance(listed, str):
            return BannerText(_beside(self.spec, INDEX), error=listed)
        if listed is not None and text_hash not in listed:
            return BannerText(where)
        if listed is None and len(self._texts) >= TEXTS_WITHOUT_INDEX:
            return BannerText(
                where,
                error=f"списка {BANNER_TEXTS}/index.txt нет, а разных текстов в записях больше {TEXTS_WITHOUT_INDEX}",
            )
        try:
            body = self.fetch(where)
        except (OSError, urllib.error.URLError) as error:
            found = BannerText(where, error=str(getattr(error, "reason", None) or error))
        else:
            matching = body is not None and hashlib.sha256(body).hexdigest()[: len(text_hash)] == text_hash
            found = BannerText(where, body.decode("utf-8", errors="replace") if body and matching else None)
        self._texts[text_hash] = found
        return found

    @functools.cached_property
    def _texts_folder(self) -> str:
        return _beside(self.spec, f"{BANNER_TEXTS}/x")[:-1]

    def _listed(self) -> frozenset[str] | str | None:
        """The hashes ``banner-texts/index.txt`` lists (read once), None if there is no list, or why it could not
        be read."""
        if "index" not in self._index:
            where = _beside(self.spec, INDEX)
            try:
                body = self.fetch(where)
            except (OSError, urllib.error.URLError) as error:
                self._index["index"] = str(getattr(error, "reason", None) or error)
            else:
                self._index["index"] = None if body is None else frozenset(listed(body))
        return self._index["index"]

    def text_published(self, text_hash: str) -> bool | None:
        found = self.banner_text(text_hash)
        return None if found.error else found.text is not None

    def offered(self, text_hash: str) -> frozenset[str] | None:
        found = self.banner_text(text_hash)
        return offered_categories(found.text) if found.text is not None else None

    def document(self, doc: str) -> dict[str, Any] | None:
        if doc in self._documents:
            return self._documents[doc]
        found = find_document(self.editions, doc)
        # Forged records may name any number of documents: only so many answers are kept.
        if len(self._documents) < RECORDS_IN_MEMORY:
            self._documents[doc] = found
        return found

    def edition(self, doc: str, number: str) -> dict[str, Any] | None:
        document = self.document(doc)
        return find_edition(document, number) if document is not None else None

    def local_day(self, server_time: dt.datetime) -> str:
        """The day of ``server_time`` in the site's time zone, as editions.json dates its editions (in UTC when
        that zone is unknown: :attr:`zone_problem` says so)."""
        return server_time.astimezone(self._zone[0]).date().isoformat()

    @property
    def zone_problem(self) -> str:
        """Why the site's time zone could not be used ("" when it could): the proof prints it."""
        return self._zone[1]

    @functools.cached_property
    def _zone(self) -> tuple[dt.tzinfo, str]:
        name = str(self.editions.get("timezone") or "Europe/Moscow")
        try:
            return zoneinfo.ZoneInfo(name), ""
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            return dt.UTC, (
                f"часовой пояс «{cut(name)}» из {self.spec} неизвестен ({error or 'нет такого'}): дни публикации "
                "редакций сверены по UTC, запись у полуночи может быть отмечена зря или пропущена; нужен пояс "
                "IANA, как Europe/Moscow (timezone в editions.json, его берёт сборка)"
            )


@dataclass(frozen=True)
class BannerText:
    where: str
    text: str | None = None
    """The text, when it is published there and its hash matches."""
    error: str = ""
    """Why it could not be read (the network, permissions): not checked, which is not «not published»."""


_SWITCH = re.compile(r"^\[переключатель: ([^\]\n]*)\]$", re.MULTILINE)


def offered_categories(text: str) -> frozenset[str] | None:
    """The categories a banner text offered: a line ``[переключатель: analytics]`` per switch of its settings
    (plugins/alectro_policy/consent/shown_text.py, ``SWITCH``); None for a text published before the switches were
    named in it (not checked)."""
    return frozenset(_SWITCH.findall(text)) or None


def _beside(spec: str, name: str) -> str:
    if urllib.parse.urlsplit(spec).scheme in ("http", "https"):
        return urllib.parse.urljoin(spec, name)
    return str(Path(spec).parent / name)


def _read(spec: str) -> bytes:
    if urllib.parse.urlsplit(spec).scheme in ("http", "https"):
        with urllib.request.urlopen(spec, timeout=30) as response:
            return response.read()
    return Path(spec).read_bytes()


def _fetch_optional(spec: str) -> bytes | None:
    """The file at ``spec``, None if there is none; raises OSError or URLError if it could not be asked."""
    try:
        return _read(spec)
    except urllib.error.HTTPError as error:
        if error.code in (404, 410):
            return None
        raise
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return None


def load_editions(spec: str) -> Published:
    """The published editions.json from a path or an http(s) URL. Raises :class:`ProofError` naming ``spec``."""
    try:
        data = json.loads(_read(spec))
    except (OSError, urllib.error.URLError) as error:
        raise ProofError(
            f"не удалось прочитать editions.json {spec}: {error}; укажите путь или адрес в EDITIONS="
        ) from error
    except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than Python's stack
        raise ProofError(f"{spec} — не JSON ({error}): укажите editions.json сайта в EDITIONS=") from error
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ProofError(f"{spec} — не editions.json (нет списка documents): укажите editions.json сайта в EDITIONS=")
    return Published(data, spec, _fetch_optional)


def find_document(editions: dict[str, Any], doc: str) -> dict[str, Any] | None:
    """The document of editions.json at path ``doc``, or at a path it had before it moved (former_sources)."""
    return next(
        (
            d
            for d in editions["documents"]
            if isinstance(d, dict) and (d.get("source") == doc or doc in (d.get("former_sources") or []))
        ),
        None,
    )


def find_edition(document: dict[str, Any], number: str) -> dict[str, Any] | None:
    """Edition ``number`` of ``document`` (an entry of editions.json's documents), None if it has none."""
    return next(
        (e for e in document.get("editions") or [] if isinstance(e, dict) and str(e.get("number")) == number), None
    )


def check_edition(editions: dict[str, Any], doc: str, number: str, sha: str) -> list[str]:
    """Lines saying whether edition ``number`` of ``doc`` is published with checksum ``sha``, and its URL."""
    document = find_document(editions, doc)
    if document is None:
        return [f"  ДОКУМЕНТ НЕ НАЙДЕН: в editions.json нет документа {cut(doc)}"]
    found = find_edition(document, number)
    if found is None:
        return [f"  РЕДАКЦИЯ НЕ НАЙДЕНА: у документа {cut(doc)} в editions.json нет редакции {cut(number)}"]
    lines = [f"  Редакция {number} от {found.get('date')}: {found.get('text_url')}"]
    if str(found.get("sha256", "")).lower() == sha:
        lines.append("  SHA-256 СОВПАДАЕТ с опубликованным в editions.json")
    else:
        lines.append(f"  SHA-256 НЕ СОВПАДАЕТ: в editions.json {found.get('sha256')}, в записи {cut(sha)}")
    return lines


# -- one consent ------------------------------------------------------------------------------------------


def _change(before: Record | None, record: Record) -> str:
    optional = [c for c in record.categories if c != "necessary"]
    if before is None and record.choice == "withdraw":
        return "отзыв; отозванного выбора в этой цепочке нет"
    if before is None:
        return "согласие дано на: " + (", ".join(optional) if optional else "только необходимые cookies")
    granted = [c for c in record.categories if c not in before.categories]
    withdrawn = [c for c in before.categories if c not in record.categories]
    parts = ([f"разрешено: {', '.join(granted)}"] if granted else []) + (
        [f"ОТОЗВАНО согласие на: {', '.join(withdrawn)}"] if withdrawn else []
    )
    if (record.doc, record.edition) != (before.doc, before.edition):
        parts.insert(0, f"выбор под новой редакцией {record.edition}")
    return "; ".join(parts) if parts else "выбор подтверждён без изменений"


def proof(records: Iterable[Record], consent_id: str, published: Published | None) -> list[str] | None:
    """The proof of consent ``consent_id`` from its ``records`` in log order, as lines of text; None if there
    is none. With ``published``, each record is checked against the editions and banner texts published."""
    with ChainStore() as store:
        lines = proof_lines(store, records, consent_id, published)
        return None if lines is None else list(lines)


def proof_lines(
    store: ChainStore,
    records: Iterable[Record],
    consent_id: str,
    published: Published | None,
    logs: int = 1,
    receipt: ReceiptCheck | None = None,
) -> Iterator[str] | None:
    """The proof of :func:`proof`, line by line as its records are judged (``records`` from ``logs`` servers):
    they are read into ``store`` first (None if none has the ID), then judged from it, so that at most
    :data:`~alectro_deploy.consent_store.RECORDS_IN_MEMORY` of them are in memory at once, however many. With
    ``receipt``, it ends with what the log says of the visitor's receipt."""
    for record in records:
        if record.consent_id == consent_id:
            store.add_record(record)
    if not store.records:
        return None
    return _proof_body(store, consent_id, published, logs, receipt)


def _proof_body(
    store: ChainStore, consent_id: str, published: Published | None, logs: int, receipt: ReceiptCheck | None
) -> Iterator[str]:
    order = (
        "в порядке записи в журнал: файлы от старых к новым, строки по порядку"
        if logs == 1
        else f"журналы {logs} серверов сведены по времени сервера, в одну секунду — в порядке, в котором названы; "
        "в каждом журнале — в порядке записи"
    )
    yield f"Согласие {consent_id}: записей {store.records} ({order})"
    if published is not None and published.zone_problem:
        yield f"ВНИМАНИЕ: {published.zone_problem}"
    if store.records > RECORDS_IN_MEMORY:
        yield (
            f"Записей больше {RECORDS_IN_MEMORY}: в памяти доказательства их не больше {RECORDS_IN_MEMORY} сразу, "
            "остальные ждут во временном файле — любой поток записей с этим идентификатором прочитан весь."
        )
    yield ""
    reader = ChainReader(store, published)
    flagged_count = 0
    foreign_count, foreign = 0, list[int]()
    for record in store.all_records():
        step = reader.read(record)
        flagged_count += bool(record.problems or step.warnings)
        if step.foreign:
            foreign_count += 1
            if len(foreign) < SHOWN_FOREIGN:
                foreign.append(step.number)
        if receipt is not None:
            receipt.see(step)
        yield from _step_lines(step, reader.step(step.replaces).record if step.replaces else None)
    yield ""
    chain = reader.chain()
    yield from _in_force(chain)
    if flagged_count:
        yield f"ВНИМАНИЕ: записей, которые баннер не отправил бы так: {flagged_count} (отмечены выше)"
    if foreign_count:
        shown = ", ".join(map(str, foreign)) + (" …" if foreign_count > len(foreign) else "")
        yield (
            f"Из них сделаны не браузером посетителя (не знают секрета его cookie) и в цепочку не входят: "
            f"{foreign_count} (№ {shown})"
        )
    yield ""
    yield "Редакции документа, под которыми дан выбор:"
    for doc, edition, sha in store.editions():
        yield f"{cut(doc)}, редакция {cut(edition)}, SHA-256 {cut(sha)}"
        yield from (
            check_edition(published.editions, doc, edition, sha)
            if published
            else ["  не проверено: editions.json не указан (EDITIONS=)"]
        )
    first = True
    for text_hash in store.banner_texts():
        if first:
            yield from ("", "Тексты баннера, которые видел посетитель:")
            first = False
        yield from _text_lines(text_hash, published)
    if receipt is not None:
        yield ""
        yield from receipt.lines(chain)


def _step_lines(step: Step, before: Record | None) -> Iterator[str]:
    record = step.record
    if record.problems:
        change = "запись не так, как отправляет баннер"
    elif step.foreign:
        change = "сделана не браузером посетителя: не выбор посетителя"
    elif step.repeat_of:
        change = f"повтор записи № {step.repeat_of}, не новый выбор"
    else:
        change = _change(before, record)
    yield from (
        f"{step.number}. {cut(record.time)} (время сервера); "
        f"время выбора в браузере: {client_time(record.client_time)}",
        f"   Выбор: {cut(record.choice)} ({CHOICE_LABELS.get(record.choice, 'неизвестный')}): {change}",
        f"   Категории: {cut(', '.join(record.categories)) or '—'}",
        f"   Документ: {cut(record.doc)}, редакция {cut(record.edition)}, SHA-256 {cut(record.sha)}",
    )
    if record.banner_text:
        yield f"   Текст баннера: {cut(record.banner_text)}"
    if record.key:
        yield f"   Ключ: {cut(record.key)} (код записи {cut(record.key[:8])})"
    yield from (f"   Адрес: {cut(record.addr)}", f"   Браузер: {cut(record.ua)}", f"   Запись: {record.source}")
    if record.problems:
        yield "   Не так, как отправляет баннер: " + "; ".join(record.problems)
    yield from (f"   {note}" for note in step.notes)
    yield from (f"   ВНИМАНИЕ: {warning}" for warning in step.warnings)


def _text_lines(text_hash: str, published: Published | None) -> Iterator[str]:
    if published is None:
        yield f"{cut(text_hash)}: не проверено: editions.json не указан (EDITIONS=)"
        return
    found = published.banner_text(text_hash)
    if found.error:
        yield f"{cut(text_hash)}: НЕ ПРОВЕРЕНО: не удалось прочитать {found.where} ({found.error})"
    elif found.text is None:
        yield f"{cut(text_hash)}: ТЕКСТ НЕ НАЙДЕН: {cut(found.where)}"
    else:
        yield f"{text_hash}: {found.where} (хеш СОВПАДАЕТ)"
        yield from (f"  | {line}" for line in found.text.splitlines())


def _in_force(chain: Chain) -> list[str]:
    """What the log says of the choice in force at its end, and what it cannot know."""
    last = chain.in_force.record
    optional = [c for c in last.categories if c != "necessary"]
    withdrawn = sorted(chain.granted - set(last.categories))
    granted = f"разрешены {', '.join(optional)}" if optional else "только необходимые cookies"
    # After an edition that asks again the last choice no longer lets the optional cookies run: not «in force».
    head = "Последний выбор" if chain.asked_again else "Действует выбор"
    flagged = chain.in_force.warnings or last.problems
    lines = [
        f"{head} № {chain.in_force.number} от {client_time(last.client_time)}: {granted}"
        + (f"; согласие на {', '.join(withdrawn)} отозвано" if withdrawn else "")
        + (" (эта запись отмечена ВНИМАНИЕ выше)" if flagged else "")
        + "."
    ]
    if chain.rivals:
        others = ", ".join(f"№ {s.number}" for s in chain.rivals)
        lines.append(
            f"РАЗВИЛКА: выбор {others} сделан почти одновременно (другая вкладка), заменяет тот же выбор, но с другими "
            "категориями: в браузере остался тот, что записан в cookie последним; журнал получил последним "
            f"№ {chain.in_force.number}, но порядок записи в cookie он не доказывает."
        )
    if chain.asked_again:
        edition = chain.asked_again[0]
        lines.append(
            # «Newer», not «published after»: a choice made on a page cached from before it names the older edition.
            f"Редакция {edition.get('number')} от {edition.get('date')} новее редакции "
            f"{cut(chain.in_force.kept_edition)} этого выбора, и по ней баннер спрашивает снова: пока посетитель не "
            "выберет под ней, "
            + (
                f"необязательные cookies ({', '.join(optional)}) не используются."
                if optional
                else "ничего не меняется."
            )
            + " Выбора под ней с этим идентификатором в журнале нет."
        )
    lines.append(
        "После последней записи журнал не знает, что с cookie в браузере: если посетитель удалил его или истёк срок, "
        "баннер спросит снова под новым идентификатором, и записей с этим больше не будет."
    )
    return lines


# -- all consents -----------------------------------------------------------------------------------------


def summary(reader: LogReader) -> list[str]:
    """Counts of the valid records by day (the server's), by document edition and by granted category; a browser's
    retry of a request is counted once."""
    valid = invalid = retries = 0
    recent = RecentRequests()
    by_day: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    by_edition: collections.Counter[tuple[str, int]] = collections.Counter()
    by_category: collections.Counter[str] = collections.Counter()
    for record in reader.records():
        if record.problems:
            invalid += 1
            continue
        if recent.is_retry(record):
            retries += 1
            continue
        valid += 1
        by_day[record.day][record.choice] += 1
        by_edition[(record.doc, int(record.edition))] += 1
        by_category.update(set(record.categories))
    lines = [f"Записей о выборе: {valid} (файлов журнала: {len(reader.files)})"]
    if invalid:
        lines.append(f"Записей не так, как отправляет баннер (не посчитаны): {invalid}")
    if retries:
        lines.append(
            f"Повторов запроса (та же строка с того же адреса и браузера в течение минуты), не посчитаны: {retries}"
        )
    lines += ["", "По дням (время сервера):"]
    for day, counts in sorted(by_day.items()):
        parts = ", ".join(f"{choice} {counts[choice]}" for choice in CHOICES if counts[choice])
        lines.append(f"  {day}: {sum(counts.values())} ({parts})")
    lines += ["", "По редакциям документа:"]
    for (doc, edition), count in sorted(by_edition.items()):
        lines.append(f"  {cut(doc)}, редакция {edition}: {count}")
    lines += ["", "По категориям (сколько раз разрешена):"]
    for category, count in sorted(by_category.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {category}: {count}")
    return lines


def skipped_report(reader: LogReader) -> list[str]:
    """The lines that were not records: their count and the first few by file and line number."""
    if not reader.skipped:
        return []
    lines = [f"Пропущено строк, не являющихся записями журнала: {reader.skipped}"]
    lines += [f"  {line}" for line in reader.skipped_shown]
    if reader.skipped > len(reader.skipped_shown):
        lines.append(f"  … и ещё {reader.skipped - len(reader.skipped_shown)}")
    return lines
