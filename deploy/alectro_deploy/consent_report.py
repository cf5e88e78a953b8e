"""The proof of one consent and the summary of all choices, as lines of text, from a read consent log; and the
published editions.json the proof checks each agreed edition against."""

from __future__ import annotations

import collections
import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from alectro_deploy.consent_log import CHOICES, Log, ProofError

CHOICE_LABELS = {
    "all": "принять все",
    "necessary": "только необходимые",
    "custom": "выборочно",
    "withdraw": "отзыв согласия",
}
SHOWN_PROBLEMS = 5


# -- editions.json ----------------------------------------------------------------------------------------


def load_editions(spec: str) -> dict[str, Any]:
    """The published editions.json from a path or an http(s) URL. Raises :class:`ProofError` naming ``spec``."""
    try:
        if urllib.parse.urlsplit(spec).scheme in ("http", "https"):
            with urllib.request.urlopen(spec, timeout=30) as response:
                body = response.read()
        else:
            body = Path(spec).read_bytes()
        data = json.loads(body)
    except (OSError, urllib.error.URLError) as error:
        raise ProofError(
            f"не удалось прочитать editions.json {spec}: {error}; укажите путь или адрес в EDITIONS="
        ) from error
    except ValueError as error:
        raise ProofError(f"{spec} — не JSON ({error}): укажите editions.json сайта в EDITIONS=") from error
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ProofError(f"{spec} — не editions.json (нет списка documents): укажите editions.json сайта в EDITIONS=")
    return data


def check_edition(editions: dict[str, Any], doc: str, number: str, sha: str) -> list[str]:
    """Lines saying whether edition ``number`` of ``doc`` is published with checksum ``sha``, and its URL."""
    document = next((d for d in editions["documents"] if isinstance(d, dict) and d.get("source") == doc), None)
    if document is None:
        return [f"  ДОКУМЕНТ НЕ НАЙДЕН: в editions.json нет документа {doc}"]
    found = next(
        (e for e in document.get("editions") or [] if isinstance(e, dict) and str(e.get("number")) == number), None
    )
    if found is None:
        return [f"  РЕДАКЦИЯ НЕ НАЙДЕНА: у документа {doc} в editions.json нет редакции {number}"]
    lines = [f"  Редакция {number} от {found.get('date')}: {found.get('text_url')}"]
    if str(found.get("sha256", "")).lower() == sha:
        lines.append("  SHA-256 СОВПАДАЕТ с опубликованным в editions.json")
    else:
        lines.append(f"  SHA-256 НЕ СОВПАДАЕТ: в editions.json {found.get('sha256')}, в записи {sha}")
    return lines


# -- output -----------------------------------------------------------------------------------------------


def proof(log: Log, consent_id: str, editions: dict[str, Any] | None) -> list[str] | None:
    """The proof of consent ``consent_id`` as lines of text, or None if the log has no record of it."""
    mine = [r for r in log.records if r.consent_id == consent_id]
    if not mine:
        return None
    lines = [f"Согласие {consent_id}: записей {len(mine)}", ""]
    for number, record in enumerate(mine, start=1):
        lines += [
            f"{number}. {record.time} (время сервера); время выбора в браузере: {_client_time(record.client_time)}",
            f"   Выбор: {record.choice} ({CHOICE_LABELS.get(record.choice, 'неизвестный')})",
            f"   Категории: {', '.join(record.categories) or '—'}",
            f"   Документ: {record.doc}, редакция {record.edition}, SHA-256 {record.sha}",
            f"   Адрес: {record.addr}",
            f"   Браузер: {record.ua}",
            f"   Запись: {record.source}",
        ]
        if record.problems:
            lines.append("   Не так, как отправляет баннер: " + "; ".join(record.problems))
    lines += ["", "Редакции документа, под которыми дан выбор:"]
    for doc, edition, sha in dict.fromkeys((r.doc, r.edition, r.sha) for r in mine):
        lines.append(f"{doc}, редакция {edition}, SHA-256 {sha}")
        lines += (
            check_edition(editions, doc, edition, sha)
            if editions
            else ["  не проверено: editions.json не указан (EDITIONS=)"]
        )
    return lines


def _client_time(value: str) -> str:
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC).isoformat()
    except (ValueError, OverflowError, OSError):
        return f"неверное ({value!r})"


def summary(log: Log) -> list[str]:
    """Counts of the valid records by day (the server's), by document edition and by granted category."""
    valid = [r for r in log.records if not r.problems]
    lines = [f"Записей о выборе: {len(valid)} (файлов журнала: {len(log.files)})"]
    if len(valid) != len(log.records):
        lines.append(f"Записей не так, как отправляет баннер (не посчитаны): {len(log.records) - len(valid)}")
    lines += ["", "По дням (время сервера):"]
    by_day: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for record in valid:
        by_day[record.day][record.choice] += 1
    for day, counts in sorted(by_day.items()):
        parts = ", ".join(f"{choice} {counts[choice]}" for choice in CHOICES if counts[choice])
        lines.append(f"  {day}: {sum(counts.values())} ({parts})")
    lines += ["", "По редакциям документа:"]
    by_edition = collections.Counter((r.doc, int(r.edition)) for r in valid)
    for (doc, edition), count in sorted(by_edition.items()):
        lines.append(f"  {doc}, редакция {edition}: {count}")
    lines += ["", "По категориям (сколько раз разрешена):"]
    by_category = collections.Counter(c for r in valid for c in dict.fromkeys(r.categories))
    for category, count in sorted(by_category.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {category}: {count}")
    return lines


def skipped_report(log: Log) -> list[str]:
    """The lines that were not records: their count and the first few by file and line number."""
    if not log.skipped:
        return []
    lines = [f"Пропущено строк, не являющихся записями журнала: {len(log.skipped)}"]
    lines += [f"  {line}" for line in log.skipped[:SHOWN_PROBLEMS]]
    if len(log.skipped) > SHOWN_PROBLEMS:
        lines.append(f"  … и ещё {len(log.skipped) - SHOWN_PROBLEMS}")
    return lines
