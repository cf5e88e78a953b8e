"""The proof of one consent and the summary of all choices, as lines of text, from the consent log; and what the
proof checks each record against: the published editions.json and the banner texts published beside it.

One consent is one chain: the banner keeps the consent ID across the visitor's later choices and the re-asks
after a new edition, so every record with the ID belongs to it, in log order (``consent_log``). The proof prints
each choice, what it changed against the one before (granted, withdrawn), and the choice in force at the end;
it flags what the banner would not have sent (a record twice, a choice that does not follow from the one before,
fields out of range) without dropping it.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alectro_deploy.consent_log import CHOICES, SECONDS, LogReader, ProofError, Record, cut

CHOICE_LABELS = {
    "all": "принять все",
    "necessary": "только необходимые",
    "custom": "выборочно",
    "withdraw": "отзыв согласия",
}
BANNER_TEXTS = "banner-texts"
"""The folder beside editions.json where the build publishes each banner text as ``HASH.txt``."""

Fetch = Callable[[str], bytes | None]


# -- editions.json and the banner texts -------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """The published editions.json and a way to read the files published beside it."""

    editions: dict[str, Any]
    spec: str
    fetch: Fetch

    def banner_text(self, text_hash: str) -> tuple[str, str | None]:
        """Where banner text ``text_hash`` is published, and its text if it is there and its hash matches."""
        where = _beside(self.spec, f"{BANNER_TEXTS}/{text_hash}.txt")
        body = self.fetch(where)
        if body is None or hashlib.sha256(body).hexdigest()[: len(text_hash)] != text_hash:
            return where, None
        return where, body.decode("utf-8", errors="replace")


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
    try:
        return _read(spec)
    except (OSError, urllib.error.URLError, ValueError):
        return None


def load_editions(spec: str) -> Published:
    """The published editions.json from a path or an http(s) URL. Raises :class:`ProofError` naming ``spec``."""
    try:
        data = json.loads(_read(spec))
    except (OSError, urllib.error.URLError) as error:
        raise ProofError(
            f"не удалось прочитать editions.json {spec}: {error}; укажите путь или адрес в EDITIONS="
        ) from error
    except ValueError as error:
        raise ProofError(f"{spec} — не JSON ({error}): укажите editions.json сайта в EDITIONS=") from error
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ProofError(f"{spec} — не editions.json (нет списка documents): укажите editions.json сайта в EDITIONS=")
    return Published(data, spec, _fetch_optional)


def check_edition(editions: dict[str, Any], doc: str, number: str, sha: str) -> list[str]:
    """Lines saying whether edition ``number`` of ``doc`` is published with checksum ``sha``, and its URL."""
    # A document moved since the choice was made is found by the path it had then (former_sources).
    document = next(
        (
            d
            for d in editions["documents"]
            if isinstance(d, dict) and (d.get("source") == doc or doc in (d.get("former_sources") or []))
        ),
        None,
    )
    if document is None:
        return [f"  ДОКУМЕНТ НЕ НАЙДЕН: в editions.json нет документа {cut(doc)}"]
    found = next(
        (e for e in document.get("editions") or [] if isinstance(e, dict) and str(e.get("number")) == number), None
    )
    if found is None:
        return [f"  РЕДАКЦИЯ НЕ НАЙДЕНА: у документа {cut(doc)} в editions.json нет редакции {cut(number)}"]
    lines = [f"  Редакция {number} от {found.get('date')}: {found.get('text_url')}"]
    if str(found.get("sha256", "")).lower() == sha:
        lines.append("  SHA-256 СОВПАДАЕТ с опубликованным в editions.json")
    else:
        lines.append(f"  SHA-256 НЕ СОВПАДАЕТ: в editions.json {found.get('sha256')}, в записи {cut(sha)}")
    return lines


# -- one consent ------------------------------------------------------------------------------------------


def chain_problems(records: list[Record]) -> list[list[str]]:
    """For each record of one consent, in log order, what in it does not follow from the records before:
    the same choice logged twice, a withdrawal of nothing, a previous choice that is not the one logged before,
    a browser clock going back."""
    found: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for index, record in enumerate(records):
        before = records[index - 1] if index else None
        problems = []
        key = (record.client_time, record.choice, "+".join(record.categories), record.doc, record.edition)
        if key in seen:
            problems.append("повтор: этот выбор уже записан (баннер отправляет каждый выбор один раз)")
        seen.add(key)
        if record.choice == "withdraw" and (before is None or set(before.categories) <= set(record.categories)):
            problems.append("отзыв, но предыдущая запись не разрешала ничего сверх этого выбора")
        if record.version == "3":
            if before is None and record.previous:
                problems.append(f"браузер сменил выбор от {_client_time(record.previous)}, которого нет в журнале")
            elif before is not None and record.previous != before.client_time:
                said = _client_time(record.previous) if record.previous else "никакого (первый выбор)"
                problems.append(
                    f"не следует из предыдущей записи: браузер сменил выбор {said}, "
                    f"а предыдущая запись — от {_client_time(before.client_time)}"
                )
        if before is not None and SECONDS.fullmatch(record.client_time) and SECONDS.fullmatch(before.client_time):
            if int(record.client_time) < int(before.client_time):
                problems.append("время в браузере раньше, чем у предыдущей записи (часы посетителя переставлены?)")
        found.append(problems)
    return found


def _change(before: Record | None, record: Record) -> str:
    optional = [c for c in record.categories if c != "necessary"]
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
    is none. With ``published``, each edition agreed to and each banner text shown is checked against it."""
    mine = [r for r in records if r.consent_id == consent_id]
    if not mine:
        return None
    flags = chain_problems(mine)
    lines = [
        f"Согласие {consent_id}: записей {len(mine)} (в порядке записи в журнал: файлы от старых к новым, "
        "строки по порядку)",
        "",
    ]
    for number, (record, flagged) in enumerate(zip(mine, flags, strict=True), start=1):
        before = mine[number - 2] if number > 1 else None
        lines += [
            f"{number}. {cut(record.time)} (время сервера); "
            f"время выбора в браузере: {_client_time(record.client_time)}",
            f"   Выбор: {cut(record.choice)} ({CHOICE_LABELS.get(record.choice, 'неизвестный')}): "
            f"{_change(before, record) if not record.problems else 'запись не так, как отправляет баннер'}",
            f"   Категории: {cut(', '.join(record.categories)) or '—'}",
            f"   Документ: {cut(record.doc)}, редакция {cut(record.edition)}, SHA-256 {cut(record.sha)}",
        ]
        if record.banner_text:
            lines.append(f"   Текст баннера: {cut(record.banner_text)}")
        lines += [f"   Адрес: {cut(record.addr)}", f"   Браузер: {cut(record.ua)}", f"   Запись: {record.source}"]
        if record.problems:
            lines.append("   Не так, как отправляет баннер: " + "; ".join(record.problems))
        for problem in flagged:
            lines.append(f"   ВНИМАНИЕ: {problem}")
    last = mine[-1]
    optional = [c for c in last.categories if c != "necessary"]
    lines += [
        "",
        f"Действует выбор № {len(mine)} от {_client_time(last.client_time)}: "
        + (f"разрешены {', '.join(optional)}" if optional else "только необходимые cookies")
        + (
            "; согласие на "
            + ", ".join(sorted({c for r in mine for c in r.categories} - set(last.categories)))
            + " отозвано"
            if {c for r in mine for c in r.categories} - set(last.categories)
            else ""
        )
        + ".",
    ]
    flagged_count = sum(1 for r, f in zip(mine, flags, strict=True) if r.problems or f)
    if flagged_count:
        lines.append(f"ВНИМАНИЕ: записей, которые баннер не отправил бы так: {flagged_count} (отмечены выше)")
    lines += ["", "Редакции документа, под которыми дан выбор:"]
    for doc, edition, sha in dict.fromkeys((r.doc, r.edition, r.sha) for r in mine):
        lines.append(f"{cut(doc)}, редакция {cut(edition)}, SHA-256 {cut(sha)}")
        lines += (
            check_edition(published.editions, doc, edition, sha)
            if published
            else ["  не проверено: editions.json не указан (EDITIONS=)"]
        )
    texts = [h for h in dict.fromkeys(r.banner_text for r in mine) if h]
    if texts:
        lines += ["", "Тексты баннера, которые видел посетитель:"]
        for text_hash in texts:
            if published is None:
                lines.append(f"{cut(text_hash)}: не проверено: editions.json не указан (EDITIONS=)")
                continue
            where, text = published.banner_text(text_hash)
            if text is None:
                lines.append(f"{cut(text_hash)}: ТЕКСТ НЕ НАЙДЕН: {where}")
            else:
                lines.append(f"{text_hash}: {where} (хеш СОВПАДАЕТ)")
                lines += [f"  | {line}" for line in text.splitlines()]
    return lines


def _client_time(value: str) -> str:
    if not SECONDS.fullmatch(value):
        return f"неверное ({cut(value)!r})"
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC).isoformat()
    except (ValueError, OverflowError, OSError):
        return f"неверное ({value!r})"


# -- all consents -----------------------------------------------------------------------------------------


def summary(reader: LogReader) -> list[str]:
    """Counts of the valid records by day (the server's), by document edition and by granted category."""
    valid = invalid = 0
    by_day: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    by_edition: collections.Counter[tuple[str, int]] = collections.Counter()
    by_category: collections.Counter[str] = collections.Counter()
    for record in reader.records():
        if record.problems:
            invalid += 1
            continue
        valid += 1
        by_day[record.day][record.choice] += 1
        by_edition[(record.doc, int(record.edition))] += 1
        by_category.update(set(record.categories))
    lines = [f"Записей о выборе: {valid} (файлов журнала: {len(reader.files)})"]
    if invalid:
        lines.append(f"Записей не так, как отправляет баннер (не посчитаны): {invalid}")
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
