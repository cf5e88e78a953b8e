"""The consent log's files (live, rotated, compressed) found and streamed as records in the order nginx wrote
them; each line is parsed by :mod:`alectro_deploy.consent_log`.

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
import datetime as dt
import glob
import gzip
import heapq
import io
import lzma
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from alectro_deploy.consent_log import SERVER_TIME, ProofError, Record, parse_line

DEFAULT_LOG = "/var/log/nginx/alectro-consent.jsonl"
# Rotated copies of a log NAME: NAME.1, NAME.2.gz (numbered) or NAME-20261125.gz (logrotate's dateext).
ROTATED = r"(?:\.\d+|-[0-9][0-9_.-]*)?(?:\.gz|\.bz2|\.xz)?"
SHOWN_SKIPPED = 5
# A line as nginx writes a record: one JSON object from "time" to the closing brace.
_RECORD_SHAPE = re.compile(rb'\s*\{\s*"time"\s*:.*"\s*\}\s*\Z', re.DOTALL)


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


def skipped_report(reader: LogReader) -> list[str]:
    """The lines that were not records: their count and the first few by file and line number."""
    if not reader.skipped:
        return []
    lines = [f"Пропущено строк, не являющихся записями журнала: {reader.skipped}"]
    lines += [f"  {line}" for line in reader.skipped_shown]
    if reader.skipped > len(reader.skipped_shown):
        lines.append(f"  … и ещё {reader.skipped - len(reader.skipped_shown)}")
    return lines
