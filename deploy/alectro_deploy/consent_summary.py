"""The summary of all choices in the consent log, as lines of text: the valid records counted by day, by
document edition and by granted category."""

from __future__ import annotations

import collections

from alectro_deploy.consent_chain import RecentRequests
from alectro_deploy.consent_files import LogReader
from alectro_deploy.consent_log import CHOICES, cut


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
