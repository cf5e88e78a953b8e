"""The consent log that deploy/nginx.conf writes: its lines parsed into records, its files (live, rotated,
compressed) found and read.

The log holds one JSON line per choice made in the banner (format ``alectro_consent`` in deploy/nginx-http.conf):
the server's time, the client address, the user agent and the banner's query fields, still percent-encoded. A
line that is not such a record (garbage, a line cut short by a crash or a full disk) is counted and reported,
never fatal: one bad line must not hide the proof in the others.
"""

from __future__ import annotations

import bz2
import dataclasses
import datetime as dt
import glob
import gzip
import io
import json
import lzma
import re
import urllib.parse
from pathlib import Path

DEFAULT_LOG = "/var/log/nginx/alectro-consent.jsonl"
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
CHOICES = ("all", "necessary", "custom", "withdraw")
CATEGORY = re.compile(r"[a-z0-9_-]{1,64}")
# Every key of the alectro_consent log_format; a line missing one is not a record of ours.
FIELDS = ("time", "addr", "ua", "v", "id", "choice", "c", "doc", "ed", "sha", "t")
# Rotated copies of a log NAME: NAME.1, NAME.2.gz (numbered) or NAME-20261125.gz (logrotate's dateext).
ROTATED = r"(?:\.\d+|-[0-9][0-9_.-]*)?(?:\.gz|\.bz2|\.xz)?"
FileAge = tuple[int, int, str]


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

    def sort_key(self, file_age: dict[str, FileAge]) -> tuple[float, int, FileAge | tuple[()], int]:
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
        file=file,
        line=line,
        time=data["time"],
        addr=data["addr"],
        ua=data["ua"],
        version=decode(data["v"]),
        consent_id=decode(data["id"]).strip().lower(),
        choice=decode(data["choice"]),
        categories=granted,
        doc=decode(data["doc"]),
        edition=decode(data["ed"]),
        sha=decode(data["sha"]).lower(),
        client_time=decode(data["t"]),
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
        (
            record.categories[:1] == ("necessary",) and all(CATEGORY.fullmatch(c) for c in record.categories),
            "категории не начинаются с necessary или непонятны",
        ),
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
            raise ProofError(
                f"в папке {spec} нет журнала согласий (alectro-consent.jsonl*): укажите файл журнала в LOG="
            )
        return sorted(found)
    if path.is_file():
        siblings = [
            p for p in path.parent.iterdir() if p.is_file() and re.fullmatch(re.escape(path.name) + ROTATED, p.name)
        ]
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


def _file_age(path: Path) -> FileAge:
    # Oldest first: dated copies by date, then numbered copies (.3 is older than .1), then the live file.
    match = re.search(r"(?:\.(\d+)|-([0-9][0-9_.-]*))?(?:\.gz|\.bz2|\.xz)?$", path.name)
    if match and match.group(1):
        return (1, -int(match.group(1)), "")
    if match and match.group(2):
        return (0, 0, match.group(2))
    return (2, 0, "")


def _read_file(path: Path, log: Log) -> None:
    number = 0
    try:
        if path.stat().st_mode & 0o004:
            log.warnings.append(
                f"{path} может читать любой пользователь, а в нём персональные данные: chmod 0640 {path}"
            )
        with _open(path) as stream:
            for number, raw in enumerate(stream, start=1):
                if not raw.strip():
                    continue
                parsed = parse_line(raw, str(path), number)
                if isinstance(parsed, Record):
                    log.records.append(parsed)
                else:
                    log.skipped.append(f"{path}:{number}: {parsed}")
    except PermissionError as error:
        raise ProofError(
            f"нет прав читать {path} ({error.strerror}): запустите от root или пользователя группы adm"
        ) from error
    except (OSError, EOFError, lzma.LZMAError) as error:
        # A compressed copy cut short (disk full during rotation): what was read stays, the rest is reported.
        log.skipped.append(f"{path}:{number + 1}: файл повреждён или обрезан ({error})")


def _open(path: Path) -> io.BufferedIOBase:
    """``path`` opened for reading, decompressed by its suffix."""
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    if path.suffix == ".bz2":
        return bz2.open(path, "rb")
    if path.suffix == ".xz":
        return lzma.open(path, "rb")
    return open(path, "rb")
