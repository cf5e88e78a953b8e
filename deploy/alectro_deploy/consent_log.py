"""The consent log that deploy/nginx.conf writes: its lines parsed into records, its files (live, rotated,
compressed) found and streamed in the order nginx wrote them.

The log holds one JSON line per choice made in the banner (format ``alectro_consent`` in deploy/nginx-http.conf):
the server's time, the client address, the user agent and the banner's query fields, still percent-encoded. A
line that is not such a record (garbage, a line cut short by a crash or a full disk, bytes of any kind) is
counted and reported, never fatal: one bad line must not hide the proof in the others.

Order: the files oldest first as logrotate names them (dated copies ``-YYYYMMDD`` by date, then numbered copies
from the highest number down, the live file last), each file's lines as written. That is the order nginx
received the requests in, whatever its clock or the visitor's said; both times are shown, never used to sort
within one log. The logs of several servers (several live files named, each with its copies) are merged by the
server's time (to the millisecond, ``msec``, in lines that have it), at the same time in the order they were
named: only there do the servers' clocks order records, so they must be kept in step (NTP).
Reading streams: memory stays the same for a log of any length.
"""

from __future__ import annotations

import bz2
import dataclasses
import datetime as dt
import functools
import glob
import gzip
import heapq
import io
import json
import lzma
import re
import urllib.parse
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

DEFAULT_LOG = "/var/log/nginx/alectro-consent.jsonl"
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
CHOICES = ("all", "necessary", "custom", "withdraw")
CATEGORY = re.compile(r"[a-z][a-z0-9_-]{0,63}")
# The record versions the banner has sent: 2 (issue 11), 3 adds the banner text's hash and the previous choice, 4
# the key of the choice's link in the secret chain only the visitor's browser can continue (consent_chain).
VERSIONS = ("2", "3", "4")
# Every key of the alectro_consent log_format before record version 3; a line missing one is not a record of ours.
FIELDS = ("time", "addr", "ua", "v", "id", "choice", "c", "doc", "ed", "sha", "t")
# Logged since version 3 (h, p) and 4 (k, e), absent from older lines.
NEW_FIELDS = ("h", "p", "k", "e")
# The fields of the banner's query, in the order it sends them.
QUERY_FIELDS = FIELDS[3:] + NEW_FIELDS
# Logged by the server beside them since several servers' logs are merged: the time in milliseconds ($msec).
SERVER_FIELDS = ("msec",)
MSEC = re.compile(r"[0-9]{1,12}\.[0-9]{3}")
BANNER_TEXT = re.compile(r"[0-9a-f]{16}")
KEY = re.compile(r"[0-9a-f]{32}")
# As the cookie holds them (consent/cookie.py): an edition of at most 6 digits, a time of at most 12.
EDITION = re.compile(r"[0-9]{1,6}")
SECONDS = re.compile(r"[0-9]{1,12}")
SERVER_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})")
# A field longer than this is cut for the proof's output (nginx caps the line; an older log may hold anything).
SHOWN_LENGTH = 512
# Rotated copies of a log NAME: NAME.1, NAME.2.gz (numbered) or NAME-20261125.gz (logrotate's dateext).
ROTATED = r"(?:\.\d+|-[0-9][0-9_.-]*)?(?:\.gz|\.bz2|\.xz)?"
SHOWN_SKIPPED = 5
# What URLSearchParams (the banner's encoder) leaves as it is; every other character it writes as + or %XX.
_FORM_PLAIN = re.compile(r"[A-Za-z0-9*._-]*")
# Fields the banner sends as it made them, in small letters: the proof reads them in any case.
_LOWERCASE = ("id", "sha", "h", "k")
# A line as nginx writes a record: one JSON object from "time" to the closing brace.
_RECORD_SHAPE = re.compile(rb'\s*\{\s*"time"\s*:.*"\s*\}\s*\Z', re.DOTALL)


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
    banner_text: str = ""
    """The short hash of the banner's text as the visitor saw it (version 3), published as banner-texts/HASH.txt."""
    previous: str = ""
    """The browser time of the choice this one replaced (version 3; empty for a first choice)."""
    key: str = ""
    """The key of the choice's link in its secret chain (version 4): it hashes to the key of the choice it replaced."""
    kept_edition: str = ""
    """The edition the cookie holds after the choice (version 4): ``edition`` (the page's), or a newer one the
    cookie held already (a tab opened before it)."""
    odd_encoding: tuple[str, ...] = ()
    """The query fields whose logged bytes are not what the banner's URLSearchParams writes for their value."""
    msec: str = ""
    """The server's time in Unix seconds with milliseconds (nginx's $msec; empty in older lines)."""

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def day(self) -> str:
        return self.time[:10]

    @functools.cached_property
    def problems(self) -> tuple[str, ...]:
        """What in the record is not as the banner sends it; empty for a record the banner could have sent."""
        return tuple(_problems(self))


def decode(value: str) -> str:
    """A query value as the banner meant it: percent-decoded as UTF-8, '+' a space (URLSearchParams' encoding)."""
    if "%" in value or "+" in value:
        value = urllib.parse.unquote_plus(value, errors="replace")
    return _clean(value)


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
    data = {key: data[key] if isinstance(data.get(key), str) else "" for key in FIELDS + NEW_FIELDS + SERVER_FIELDS}
    value = {key: decode(data[key]) for key in QUERY_FIELDS}
    granted = tuple(part for part in re.split(r"[+\s]+", value["c"]) if part)
    return Record(
        file=file,
        line=line,
        time=_clean(data["time"]),
        msec=data["msec"] if MSEC.fullmatch(data["msec"]) else "",
        addr=_clean(data["addr"]),
        ua=_clean(data["ua"]),
        version=value["v"],
        # Not stripped: "id=+<uuid>" (a space before it) is not the banner's record of that ID.
        consent_id=value["id"].lower(),
        choice=value["choice"],
        categories=granted,
        doc=value["doc"],
        edition=value["ed"],
        sha=value["sha"].lower(),
        client_time=value["t"],
        banner_text=value["h"],
        previous=value["p"],
        key=value["k"],
        kept_edition=value["e"],
        odd_encoding=tuple(
            key
            for key in QUERY_FIELDS
            if not _as_banner_encodes(key, data[key])
            # The banner joins the categories with "+" (%2B in the query), never a space or an empty one.
            or key == "c"
            and value["c"] != "+".join(granted)
        ),
    )


def form_encoded(value: str) -> str:
    """``value`` as URLSearchParams writes it (the WHATWG application/x-www-form-urlencoded serializer): ASCII
    letters, digits and ``*-._`` as they are, a space as ``+``, every other byte of its UTF-8 as ``%XX``."""
    encoded = re.sub(r"[^A-Za-z0-9*._ -]+", lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), value)
    return encoded.replace(" ", "+")


def _as_banner_encodes(key: str, raw: str) -> bool:
    """Whether ``raw``, the logged field ``key``, is what the banner writes for its value."""
    if key in _LOWERCASE and raw != raw.lower():
        return False
    return bool(_FORM_PLAIN.fullmatch(raw)) or _encoded_as_banner(raw)


@functools.lru_cache(maxsize=4096)
def _encoded_as_banner(raw: str) -> bool:
    # Cached: the document, the categories and the checksum repeat on every line of a log.
    return raw.isascii() and form_encoded(decode(raw)) == raw


def _clean(value: str) -> str:
    # A "\ud800" escape decodes to a lone surrogate, which no terminal or file can print.
    return value if value.isascii() else value.encode("utf-8", errors="replace").decode("utf-8")


# Control characters, and the format characters that move or reorder text on a screen: line and paragraph
# separators (U+2028, U+2029) and the bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def shown(value: str) -> str:
    """``value`` safe for the operator's terminal: control and text-direction characters as escapes (an ESC in a
    hostile user agent could otherwise rewrite the screen, a newline or U+2028 forge a line of the proof, U+202E
    reverse one)."""
    if value.isprintable():
        # Every character _UNSHOWN names is unprintable (Unicode's Cc, Cf, Zl, Zp): most lines need no scan.
        return value
    return _UNSHOWN.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", value
    )


def cut(value: str) -> str:
    """``value`` at most :data:`SHOWN_LENGTH` characters, saying how much was cut."""
    if len(value) <= SHOWN_LENGTH:
        return value
    return f"{value[:SHOWN_LENGTH]}… (ещё {len(value) - SHOWN_LENGTH} знаков)"


def _problems(record: Record) -> list[str]:
    categories_ok = record.categories[:1] == ("necessary",) and all(CATEGORY.fullmatch(c) for c in record.categories)
    checks = [
        (record.version in VERSIONS, f"формат v={cut(record.version)!r}, ожидался {' или '.join(VERSIONS)}"),
        (bool(SERVER_TIME.fullmatch(record.time)), "время сервера не в формате ISO 8601"),
        (bool(UUID4.fullmatch(record.consent_id)), "идентификатор не UUID v4"),
        (record.choice in CHOICES, f"неизвестный выбор {cut(record.choice)!r}"),
        (categories_ok, "категории не начинаются с necessary или непонятны"),
        (len(set(record.categories)) == len(record.categories), "категория повторена"),
        (
            not categories_ok
            or (record.choice != "necessary" or record.categories == ("necessary",))
            and (record.choice != "all" or len(record.categories) > 1),
            f"выбор {cut(record.choice)!r} не согласуется с категориями",
        ),
        (bool(record.doc), "нет документа"),
        (bool(EDITION.fullmatch(record.edition)), "номер редакции не число до 6 цифр"),
        (bool(re.fullmatch(r"[0-9a-f]{64}", record.sha)), "SHA-256 не 64 шестнадцатеричных знака"),
        (bool(SECONDS.fullmatch(record.client_time)), "время выбора не число секунд до 12 цифр"),
    ]
    checks += [
        (False, f"поле {key} записано не так, как его кодирует баннер (URLSearchParams): запрос составлен не им")
        for key in record.odd_encoding
    ]
    if record.version == "4":
        checks += [
            (bool(KEY.fullmatch(record.key)), "ключ звена не 32 шестнадцатеричных знака"),
            (
                bool(EDITION.fullmatch(record.kept_edition))
                and (not EDITION.fullmatch(record.edition) or int(record.kept_edition) >= int(record.edition)),
                "редакция в cookie не число до 6 цифр или старше редакции страницы",
            ),
        ]
    if record.version in ("3", "4"):
        checks += [
            (bool(BANNER_TEXT.fullmatch(record.banner_text)), "хеш текста баннера не 16 шестнадцатеричных знаков"),
            (
                record.previous == "" or bool(SECONDS.fullmatch(record.previous)),
                "время предыдущего выбора не число секунд",
            ),
        ]
    return [message for ok, message in checks if not ok]


# -- finding the log files ---------------------------------------------------------------------------------


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
        return found
    if path.is_file():
        return [
            p for p in path.parent.iterdir() if p.is_file() and re.fullmatch(re.escape(path.name) + ROTATED, p.name)
        ]
    if glob.has_magic(spec):
        found = [Path(p) for p in glob.glob(spec) if Path(p).is_file()]
        if not found:
            raise ProofError(f"ни один файл не подходит под шаблон {spec}: проверьте путь в LOG=")
        return found
    raise ProofError(f"нет файла журнала {spec}: укажите существующий файл, папку или шаблон в LOG=")


def live_name(path: Path) -> Path:
    """The live log ``path`` is, or was rotated from (``NAME.2.gz``, ``NAME-20261125.gz`` → ``NAME``)."""
    match = re.fullmatch(r"(.*?)" + ROTATED, path.name)
    return path.with_name(match.group(1) if match and match.group(1) else path.name)


def rotation_order(files: Iterable[Path]) -> list[Path]:
    """``files`` oldest first, as logrotate names its copies: dated ones by date, then numbered ones from the
    highest number down, then the live file (a name with neither)."""

    def age(path: Path) -> tuple[int, int, str, str]:
        match = re.search(r"(?:\.(\d+)|-([0-9][0-9_.-]*))?(?:\.gz|\.bz2|\.xz)?$", path.name)
        if match and match.group(1):
            return (1, -int(match.group(1)[:18]), "", str(path))
        if match and match.group(2):
            return (0, 0, match.group(2), str(path))
        return (2, 0, "", str(path))

    return sorted(dict.fromkeys(files), key=age)


# -- streaming the records ---------------------------------------------------------------------------------


class LogReader:
    """The records of the files ``specs`` name, streamed in log order (see the module's docstring).

    Raises :class:`ProofError` at construction if a spec names no file. While :meth:`records` runs, it counts
    the lines that are not records (``skipped``, the first few kept with file and line in ``skipped_shown``)
    and collects warnings about the files themselves.
    """

    def __init__(self, specs: list[str]):
        files = rotation_order(path for spec in specs for path in log_files(spec))
        # NAME.1 beside NAME.1.gz: logrotate is compressing the one into the other (or just has); the
        # uncompressed copy is whole, the compressed one may be cut short, and reading both would log each line twice.
        self.files = [p for p in files if not (p.suffix in (".gz", ".bz2", ".xz") and p.with_suffix("") in files)]
        self.logs: dict[Path, list[Path]] = {}
        """Each log's files, oldest first, by the path of the live file they were rotated from: one a server."""
        for path in self.files:
            self.logs.setdefault(live_name(path), []).append(path)
        self.warnings: list[str] = []
        self.skipped = 0
        self.skipped_shown: list[str] = []
        self.lines = 0
        self.wanted_skipped = 0
        """Lines holding the wanted bytes that are not records (cut short, damaged): a gap the proof must name."""
        self.wanted_skipped_shown: list[str] = []

    def records(self, wanted: bytes | None = None) -> Iterator[Record]:
        """Every record, or, with ``wanted``, those whose line holds these bytes (case-insensitively): lines
        without them are not parsed, only checked for the shape of a record so that garbage is still counted.

        Raises :class:`ProofError` for a file that cannot be read.
        """
        search = re.compile(re.escape(wanted), re.IGNORECASE).search if wanted else None
        if len(self.logs) == 1:
            for path in self.files:
                yield from self._file_records(path, search)
            return
        # Several servers, each its own log: each read in its own order, merged by the server's time; at the same
        # second, in the order the logs were named (heapq.merge is stable).
        streams = [self._log_records(files, search) for files in self.logs.values()]
        yield from (record for _, record in heapq.merge(*streams, key=lambda pair: pair[0]))

    def _log_records(self, files: list[Path], search) -> Iterator[tuple[float, Record]]:
        """One server's records with the times they are merged by: the server's, or for a record without a
        readable one, the time of the record before it (so that it keeps its place in its own log)."""
        when = float("-inf")
        for path in files:
            for record in self._file_records(path, search):
                when = float(record.msec) if record.msec else _seconds(record.time, when)
                yield when, record

    def _skip(self, where: str, why: str) -> None:
        self.skipped += 1
        if len(self.skipped_shown) < SHOWN_SKIPPED:
            self.skipped_shown.append(f"{where}: {why}")

    def _file_records(self, path: Path, search) -> Iterator[Record]:
        number = 0
        try:
            if path.stat().st_mode & 0o004:
                self.warnings.append(
                    f"{path} может читать любой пользователь, а в нём персональные данные: chmod 0640 {path}"
                )
            with _open(path) as stream:
                for number, raw in enumerate(stream, start=1):
                    self.lines += 1
                    if not raw.strip():
                        continue
                    if search is not None and not search(raw):
                        # Another ID's line: its shape alone says whether it is garbage.
                        if not _RECORD_SHAPE.match(raw):
                            self._skip(f"{path}:{number}", "не запись журнала (обрезанная или посторонняя строка)")
                        continue
                    parsed = parse_line(raw, str(path), number)
                    if isinstance(parsed, Record):
                        yield parsed
                    else:
                        self._skip(f"{path}:{number}", parsed)
                        if search is not None:
                            self.wanted_skipped += 1
                            if len(self.wanted_skipped_shown) < SHOWN_SKIPPED:
                                self.wanted_skipped_shown.append(f"{path}:{number}")
        except PermissionError as error:
            raise ProofError(
                f"нет прав читать {path} ({error.strerror}): запустите от root или пользователя группы adm"
            ) from error
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as error:
            # A compressed copy cut short (disk full during rotation) or not what its name says: what was read
            # stays, the rest is reported.
            self._skip(f"{path}:{number + 1}", f"файл повреждён или обрезан ({error})")


def _seconds(server_time: str, otherwise: float) -> float:
    """nginx's ``$time_iso8601`` as Unix seconds, or ``otherwise``."""
    if not SERVER_TIME.fullmatch(server_time):
        return otherwise
    try:
        return dt.datetime.fromisoformat(server_time).timestamp()
    except ValueError:
        return otherwise


def wanted_skipped_report(reader: LogReader) -> list[str]:
    """The lines holding the wanted ID that are not records, by file and line; empty if there are none."""
    if not reader.wanted_skipped:
        return []
    more = reader.wanted_skipped - len(reader.wanted_skipped_shown)
    places = ", ".join(reader.wanted_skipped_shown) + (f" и ещё {more}" if more else "")
    return [f"Строк с этим идентификатором, которые не прочитаны как записи: {reader.wanted_skipped} ({places})"]


def _open(path: Path) -> io.BufferedIOBase:
    """``path`` opened for reading, decompressed by its suffix."""
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    if path.suffix == ".bz2":
        return bz2.open(path, "rb")
    if path.suffix == ".xz":
        return lzma.open(path, "rb")
    return open(path, "rb")
