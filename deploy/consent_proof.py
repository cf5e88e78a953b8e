#!/usr/bin/env python3
"""Proof of a visitor's consent from the consent log that deploy/nginx.conf writes; counts of all choices.

    python3 deploy/consent_proof.py 3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b --editions https://alectro.ru/privacy/editions.json
    python3 deploy/consent_proof.py --summary --log /var/log/nginx/

The log holds one JSON line per choice made in the banner (format ``alectro_consent`` in
deploy/nginx-http.conf): the server's time, the client address, the user agent and the banner's query
fields, still percent-encoded. ``--log`` takes the live log (its rotated copies ``.1``, ``.2.gz``,
``-20261125.gz`` … beside it are read too), a folder holding them, or a glob; compressed copies are read
transparently. A line that is not such a record (garbage, a line cut short by a crash or a full disk) is
counted and reported, never fatal: one bad line must not hide the proof in the others.

Exit codes: 0 the consent ID was found (or the summary printed), 1 it was not found, 2 a usage or read error.
Plain Python on purpose (the standard library only): it runs on the server as it is.
"""

from __future__ import annotations

import argparse
import bz2
import collections
import dataclasses
import datetime as dt
import glob
import gzip
import json
import lzma
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DEFAULT_LOG = "/var/log/nginx/alectro-consent.jsonl"
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
CHOICES = ("all", "necessary", "custom", "withdraw")
CHOICE_LABELS = {"all": "принять все", "necessary": "только необходимые", "custom": "выборочно", "withdraw": "отзыв согласия"}
CATEGORY = re.compile(r"[a-z0-9_-]{1,64}")
# Every key of the alectro_consent log_format; a line missing one is not a record of ours.
FIELDS = ("time", "addr", "ua", "v", "id", "choice", "c", "doc", "ed", "sha", "t")
# Rotated copies of a log NAME: NAME.1, NAME.2.gz (numbered) or NAME-20261125.gz (logrotate's dateext).
ROTATED = r"(?:\.\d+|-[0-9][0-9_.-]*)?(?:\.gz|\.bz2|\.xz)?"
OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
SHOWN_PROBLEMS = 5


class ProofError(Exception):
    """A usage or read error; its message names the file or argument and what to do."""


@dataclasses.dataclass(frozen=True)
class Record:
    """One logged choice, its query fields decoded; ``problems`` says what in it is not as the banner sends."""

    file: str
    line: int
    time: str
    addr: str
    ua: str
    version: str
    consent_id: str
    choice: str
    categories: tuple[str, ...]
    doc: str
    edition: str
    sha: str
    client_time: str
    problems: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def day(self) -> str:
        return self.time[:10]

    def sort_key(self, file_age: dict[str, tuple]) -> tuple:
        """Oldest first: by the server's time (whole seconds), then the browser's, then the file's age and line."""
        try:
            server = dt.datetime.fromisoformat(self.time).timestamp()
        except ValueError:
            server = float("inf")
        client = int(self.client_time) if self.client_time.isascii() and self.client_time.isdigit() else 0
        return (server, client, file_age.get(self.file, ()), self.line)


@dataclasses.dataclass
class Log:
    """Every record read from the log files, the lines that were not records (``file:line: why``), and
    warnings about the files themselves."""

    files: list[Path] = dataclasses.field(default_factory=list)
    records: list[Record] = dataclasses.field(default_factory=list)
    skipped: list[str] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)


def decode(value: str) -> str:
    """A query value as the banner meant it: percent-decoded as UTF-8, '+' a space (URLSearchParams' encoding)."""
    return urllib.parse.unquote_plus(value, errors="replace")


def parse_line(raw: bytes, file: str = "", line: int = 0) -> Record | str:
    """One log line as a :class:`Record`, or a short reason (a ``str``) why it is not one. Never raises."""
    text = raw.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return "не JSON (обрезанная или посторонняя строка)"
    if not isinstance(data, dict):
        return "не объект JSON"
    missing = [key for key in FIELDS if not isinstance(data.get(key), str)]
    if missing:
        return "нет полей " + ", ".join(missing)
    data = {key: _clean(data[key]) for key in FIELDS}
    granted = tuple(part for part in re.split(r"[+\s]+", decode(data["c"])) if part)
    record = Record(
        file=file, line=line, time=data["time"], addr=data["addr"], ua=data["ua"], version=decode(data["v"]),
        consent_id=decode(data["id"]).strip().lower(), choice=decode(data["choice"]), categories=granted,
        doc=decode(data["doc"]), edition=decode(data["ed"]), sha=decode(data["sha"]).lower(), client_time=decode(data["t"]),
    )
    return dataclasses.replace(record, problems=tuple(_problems(record)))


def _clean(value: str) -> str:
    # A "\ud800" escape decodes to a lone surrogate, which no terminal or file can print.
    return value.encode("utf-8", errors="replace").decode("utf-8")


def shown(value: str) -> str:
    """``value`` safe for the operator's terminal: control characters as escapes (an ESC in a hostile user
    agent could otherwise rewrite the screen, a newline forge a line of the proof)."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", value)


def _problems(record: Record) -> list[str]:
    checks = [
        (record.version == "2", f"формат v={record.version!r}, ожидался 2"),
        (bool(UUID4.fullmatch(record.consent_id)), "идентификатор не UUID v4"),
        (record.choice in CHOICES, f"неизвестный выбор {record.choice!r}"),
        (record.categories[:1] == ("necessary",) and all(CATEGORY.fullmatch(c) for c in record.categories),
         "категории не начинаются с necessary или непонятны"),
        (bool(record.doc), "нет документа"),
        (record.edition.isascii() and record.edition.isdigit(), "номер редакции не число"),
        (bool(re.fullmatch(r"[0-9a-f]{64}", record.sha)), "SHA-256 не 64 шестнадцатеричных знака"),
        (record.client_time.isascii() and record.client_time.isdigit(), "время выбора не число секунд"),
    ]
    return [message for ok, message in checks if not ok]


# -- reading the log files ------------------------------------------------------------------------------


def log_files(spec: str) -> list[Path]:
    """The files ``spec`` names: a log and its rotated copies, every consent log in a folder, or a glob's matches.

    Raises :class:`ProofError` naming ``spec`` when it names no file.
    """
    path = Path(spec)
    if path.is_dir():
        found = [p for p in path.iterdir() if p.is_file() and re.fullmatch(r"alectro-consent\.jsonl" + ROTATED, p.name)]
        if not found:
            raise ProofError(f"в папке {spec} нет журнала согласий (alectro-consent.jsonl*): укажите файл журнала в LOG=")
        return sorted(found)
    if path.is_file():
        siblings = [p for p in path.parent.iterdir() if p.is_file() and re.fullmatch(re.escape(path.name) + ROTATED, p.name)]
        return sorted(siblings)
    if glob.has_magic(spec):
        found = [Path(p) for p in glob.glob(spec) if Path(p).is_file()]
        if not found:
            raise ProofError(f"ни один файл не подходит под шаблон {spec}: проверьте путь в LOG=")
        return sorted(found)
    raise ProofError(f"нет файла журнала {spec}: укажите существующий файл, папку или шаблон в LOG=")


def read_logs(specs: list[str]) -> Log:
    """Every record of the files ``specs`` name. Raises :class:`ProofError` if one cannot be found or opened."""
    log = Log()
    for spec in specs:
        for path in log_files(spec):
            if path not in log.files:
                log.files.append(path)
                _read_file(path, log)
    ages = {str(path): _file_age(path) for path in log.files}
    log.records.sort(key=lambda record: record.sort_key(ages))
    return log


def _file_age(path: Path) -> tuple:
    # Oldest first: dated copies by date, then numbered copies (.3 is older than .1), then the live file.
    match = re.search(r"(?:\.(\d+)|-([0-9][0-9_.-]*))?(?:\.gz|\.bz2|\.xz)?$", path.name)
    if match and match.group(1):
        return (1, -int(match.group(1)), "")
    if match and match.group(2):
        return (0, 0, match.group(2))
    return (2, 0, "")


def _read_file(path: Path, log: Log) -> None:
    opener = OPENERS.get(path.suffix, open)
    number = 0
    try:
        if path.stat().st_mode & 0o004:
            log.warnings.append(f"{path} может читать любой пользователь, а в нём персональные данные: chmod 0640 {path}")
        with opener(path, "rb") as stream:
            for number, raw in enumerate(stream, start=1):
                if not raw.strip():
                    continue
                parsed = parse_line(raw, str(path), number)
                if isinstance(parsed, Record):
                    log.records.append(parsed)
                else:
                    log.skipped.append(f"{path}:{number}: {parsed}")
    except PermissionError as error:
        raise ProofError(f"нет прав читать {path} ({error.strerror}): запустите от root или пользователя группы adm") from error
    except (OSError, EOFError, lzma.LZMAError) as error:
        # A compressed copy cut short (disk full during rotation): what was read stays, the rest is reported.
        log.skipped.append(f"{path}:{number + 1}: файл повреждён или обрезан ({error})")


# -- editions.json ----------------------------------------------------------------------------------------


def load_editions(spec: str) -> dict:
    """The published editions.json from a path or an http(s) URL. Raises :class:`ProofError` naming ``spec``."""
    try:
        if urllib.parse.urlsplit(spec).scheme in ("http", "https"):
            with urllib.request.urlopen(spec, timeout=30) as response:
                body = response.read()
        else:
            body = Path(spec).read_bytes()
        data = json.loads(body)
    except (OSError, urllib.error.URLError) as error:
        raise ProofError(f"не удалось прочитать editions.json {spec}: {error}; укажите путь или адрес в EDITIONS=") from error
    except ValueError as error:
        raise ProofError(f"{spec} — не JSON ({error}): укажите editions.json сайта в EDITIONS=") from error
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ProofError(f"{spec} — не editions.json (нет списка documents): укажите editions.json сайта в EDITIONS=")
    return data


def check_edition(editions: dict, doc: str, number: str, sha: str) -> list[str]:
    """Lines saying whether edition ``number`` of ``doc`` is published with checksum ``sha``, and its URL."""
    document = next((d for d in editions["documents"] if isinstance(d, dict) and d.get("source") == doc), None)
    if document is None:
        return [f"  ДОКУМЕНТ НЕ НАЙДЕН: в editions.json нет документа {doc}"]
    found = next((e for e in document.get("editions") or [] if isinstance(e, dict) and str(e.get("number")) == number), None)
    if found is None:
        return [f"  РЕДАКЦИЯ НЕ НАЙДЕНА: у документа {doc} в editions.json нет редакции {number}"]
    lines = [f"  Редакция {number} от {found.get('date')}: {found.get('text_url')}"]
    if str(found.get("sha256", "")).lower() == sha:
        lines.append("  SHA-256 СОВПАДАЕТ с опубликованным в editions.json")
    else:
        lines.append(f"  SHA-256 НЕ СОВПАДАЕТ: в editions.json {found.get('sha256')}, в записи {sha}")
    return lines


# -- output -----------------------------------------------------------------------------------------------


def proof(log: Log, consent_id: str, editions: dict | None) -> list[str] | None:
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
        lines += check_edition(editions, doc, edition, sha) if editions else ["  не проверено: editions.json не указан (EDITIONS=)"]
    return lines


def _client_time(value: str) -> str:
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc).isoformat()
    except (ValueError, OverflowError, OSError):
        return f"неверное ({value!r})"


def summary(log: Log) -> list[str]:
    """Counts of the valid records by day (the server's), by document edition and by granted category."""
    valid = [r for r in log.records if not r.problems]
    lines = [f"Записей о выборе: {len(valid)} (файлов журнала: {len(log.files)})"]
    if len(valid) != len(log.records):
        lines.append(f"Записей не так, как отправляет баннер (не посчитаны): {len(log.records) - len(valid)}")
    lines += ["", "По дням (время сервера):"]
    by_day: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
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


def consent_id(value: str) -> str:
    """``value`` as a consent ID (lowercase UUID v4); argparse reports the ValueError's message."""
    normal = value.strip().lower()
    if not UUID4.fullmatch(normal):
        raise argparse.ArgumentTypeError(
            f"«{value}» — не идентификатор согласия: нужен UUID версии 4 из 36 знаков, "
            "например 3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b (его показывает посетителю панель настроек cookie)"
        )
    return normal


def main(argv: list[str] | None = None) -> int:
    # A terminal that cannot show Cyrillic still gets every record, escaped.
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(
        description="Доказательство согласия по журналу согласий nginx (README: «Журнал согласий»).",
    )
    parser.add_argument("id", nargs="?", type=consent_id, help="идентификатор согласия (UUID v4)")
    parser.add_argument("--summary", action="store_true", help="счётчики выборов по дням, редакциям и категориям")
    parser.add_argument("--log", action="append", metavar="PATH",
                        help=f"журнал (с его ротированными копиями), папка или шаблон; можно несколько раз (по умолчанию {DEFAULT_LOG})")
    parser.add_argument("--editions", metavar="PATH|URL", help="опубликованный editions.json для проверки SHA-256")
    args = parser.parse_args(argv)
    if (args.id is None) == (not args.summary):
        parser.error("укажите либо идентификатор согласия, либо --summary")
    try:
        log = read_logs(args.log or [DEFAULT_LOG])
        editions = load_editions(args.editions) if args.editions and not args.summary else None
    except ProofError as error:
        print(shown(f"ошибка: {error}"), file=sys.stderr)
        return 2
    for line in log.warnings + skipped_report(log):
        print(shown(line), file=sys.stderr)
    if args.summary:
        print("\n".join(map(shown, summary(log))))
        return 0
    lines = proof(log, args.id, editions)
    if lines is None:
        print(shown(f"Согласие {args.id} не найдено в журнале ({', '.join(map(str, log.files))})"), file=sys.stderr)
        return 1
    print("\n".join(map(shown, lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
