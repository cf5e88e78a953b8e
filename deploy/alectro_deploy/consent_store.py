"""One consent's records and the chain read from them, held in a temporary SQLite file rather than in memory.

Anyone who learns a consent ID can send records under it (60 a minute from each address), and a proof must read
them all: a visitor's real records may come after a flood. So the proof keeps its records on disk, indexed by what
the chain looks up (the browser time a ``p`` names, the request a retry repeats, the choice a choice replaces), and
holds at most :data:`RECORDS_IN_MEMORY` of them in memory at once, whatever the flood: SQLite's own page cache is
capped too. The file is made in the temporary folder (``TMPDIR``) and deleted when the store is closed.
"""

from __future__ import annotations

import collections
import hashlib
import json
import pickle
import sqlite3
from collections.abc import Iterator
from typing import Any

RECORDS_IN_MEMORY = 1_000
"""The most records of one consent a proof holds in memory at once (the rest wait in the store's file)."""
_CACHE_KIB = 4096


class ChainStore:
    """A temporary store of one consent's records (in the order they are added) and of the steps judged from
    them; ``steps`` are any picklable objects, numbered from 1 in the order they are stored."""

    def __init__(self) -> None:
        # "": a private temporary database on disk, deleted on close (SQLite keeps it in its cache until that fills).
        self._db = sqlite3.connect("", isolation_level=None)
        for pragma in (f"cache_size=-{_CACHE_KIB}", "journal_mode=OFF", "synchronous=OFF", "temp_store=FILE"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(
            """
            BEGIN;
            CREATE TABLE record (number INTEGER PRIMARY KEY, doc TEXT, edition TEXT, sha TEXT, text TEXT, data BLOB);
            CREATE TABLE step (
                number INTEGER PRIMARY KEY, choice INTEGER, client_time TEXT, request BLOB, replaces INTEGER,
                categories TEXT, chain_key TEXT, rival INTEGER, data BLOB
            );
            CREATE INDEX step_time ON step (client_time, number) WHERE choice;
            CREATE INDEX step_request ON step (request, number) WHERE choice;
            CREATE INDEX step_replaces ON step (replaces) WHERE choice;
            CREATE INDEX step_key ON step (chain_key, number) WHERE choice AND chain_key != '';
            CREATE INDEX step_rival_key ON step (chain_key, number) WHERE rival IS NOT NULL;
            CREATE INDEX step_rival ON step (rival, number) WHERE rival > 0;
            """
        )
        self.records = 0
        self.files: set[str] = set()
        """The log files the records were read from (at most the log's files)."""
        self._recent: collections.OrderedDict[int, Any] = collections.OrderedDict()

    def close(self) -> None:
        self._db.execute("COMMIT")
        self._db.close()

    def __enter__(self) -> ChainStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the records, as read from the log ------------------------------------------------------------------

    def add_record(self, record: Any) -> None:
        """Keep ``record`` (a consent_log.Record) as the next one."""
        self.records += 1
        self.files.add(record.file)
        self._db.execute(
            "INSERT INTO record VALUES (?, ?, ?, ?, ?, ?)",
            (self.records, record.doc, record.edition, record.sha, record.banner_text, pickle.dumps(record)),
        )

    def all_records(self) -> Iterator[Any]:
        """The records in the order they were added, read a few at a time."""
        for number in range(1, self.records + 1, RECORDS_IN_MEMORY):
            rows = self._db.execute(
                "SELECT data FROM record WHERE number >= ? AND number < ? ORDER BY number",
                (number, number + RECORDS_IN_MEMORY),
            ).fetchall()
            yield from (pickle.loads(data) for (data,) in rows)

    def editions(self) -> Iterator[tuple[str, str, str]]:
        """Each (document, edition, SHA-256) the records name, in the order first named."""
        yield from self._db.execute(
            "SELECT doc, edition, sha FROM record GROUP BY doc, edition, sha ORDER BY min(number)"
        )

    def banner_texts(self) -> Iterator[str]:
        """Each banner text hash the records name (not empty), in the order first named."""
        for (text,) in self._db.execute("SELECT text FROM record WHERE text != '' GROUP BY text ORDER BY min(number)"):
            yield text

    # -- the steps, as judged -------------------------------------------------------------------------------

    # One argument a column the chain looks its steps up by.
    def add_step(  # noqa: PLR0913
        self,
        number: int,
        step: Any,
        *,
        choice: bool,
        client_time: str,
        request: tuple,
        replaces: int | None,
        categories: tuple,
        chain_key: str = "",
        rival: int | None = None,
    ) -> None:
        """Keep ``step`` as step ``number``; ``chain_key`` is the key its record shows (version 4); ``rival``, for a
        record whose key continues no choice's, the first record of the other chain of keys it is in (0: none)."""
        key = _key(request)
        self._db.execute(
            "INSERT INTO step VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, choice, client_time, key, replaces, json.dumps(categories), chain_key, rival, pickle.dumps(step)),
        )
        self._recent[number] = step
        if len(self._recent) > RECORDS_IN_MEMORY:
            self._recent.popitem(last=False)

    def step(self, number: int) -> Any:
        """Step ``number``; KeyError if there is none."""
        if number in self._recent:
            return self._recent[number]
        row = self._db.execute("SELECT data FROM step WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise KeyError(number)
        return pickle.loads(row[0])

    def latest_choice_at(self, client_time: str) -> Any | None:
        """The latest choice stored with browser time ``client_time`` (what a ``p`` names)."""
        return self._one("SELECT number FROM step WHERE choice AND client_time = ? ORDER BY number DESC", client_time)

    def first_choice_with(self, request: tuple) -> Any | None:
        """The first choice stored with the same ``request`` (everything the banner sent)."""
        return self._one("SELECT number FROM step WHERE choice AND request = ? ORDER BY number", _key(request))

    def latest_choices_with_keys(self, keys: list[str]) -> dict[str, Any]:
        """The latest choice stored with each of ``keys`` that some choice shows, by key (one query, through the
        index: a flood replaying one key must not make each look-up read every record)."""
        rows = self._db.execute(
            "SELECT chain_key, max(number) FROM step WHERE choice AND chain_key != '' "
            f"AND chain_key IN ({', '.join('?' * len(keys))}) GROUP BY chain_key",
            keys,
        ).fetchall()
        return {key: self.step(number) for key, number in rows}

    def latest_rivals_with_keys(self, keys: list[str]) -> dict[str, int]:
        """For each of ``keys`` that a record continuing no choice's key shows, the ``rival`` of the latest such
        record. Each key is one step down the index to its latest record: anyone may send one key many times, and a
        look-up reading every record showing it would make a flood of such look-ups quadratic."""
        rows = self._db.execute(
            f"WITH asked(key) AS (VALUES {', '.join(['(?)'] * len(keys))}) SELECT key, (SELECT rival FROM step "
            "WHERE rival IS NOT NULL AND chain_key = asked.key ORDER BY number DESC LIMIT 1) FROM asked",
            keys,
        ).fetchall()
        return {key: rival for key, rival in rows if rival is not None}

    def give_way(self, below: int) -> int:
        """Mark every choice showing a key numbered below ``below`` as of another chain of keys, begun by the first
        of them (returned; 0 if none)."""
        keyed = "choice AND chain_key != '' AND number < ?"
        (first,) = self._db.execute(f"SELECT min(number) FROM step WHERE {keyed}", (below,)).fetchone()
        if first is None:
            return 0
        self._db.execute(f"UPDATE step SET rival = ? WHERE {keyed}", (first, below))
        return first

    def rival_chains(self, limit: int) -> tuple[int, list[tuple[int, int, int]]]:
        """How many other chains of keys there are, and at most ``limit`` of them by their first record: (first
        record, records, last record)."""
        (count,) = self._db.execute("SELECT count(DISTINCT rival) FROM step WHERE rival > 0").fetchone()
        rows = self._db.execute(
            "SELECT rival, count(*), max(number) FROM step WHERE rival > 0 GROUP BY rival ORDER BY rival LIMIT ?",
            (limit,),
        ).fetchall()
        return count, rows

    def rival_chain_numbers(self, first: int, limit: int) -> list[int]:
        """The numbers of the first ``limit`` records of the other chain of keys begun by record ``first``."""
        rows = self._db.execute(
            "SELECT number FROM step WHERE rival > 0 AND rival = ? ORDER BY number LIMIT ?", (first, limit)
        ).fetchall()
        return [number for (number,) in rows]

    def keyed_choice_numbers(self, limit: int) -> tuple[int, list[int]]:
        """How many choices showing a key are stored (not of another chain), and the numbers of the first ``limit``."""
        keyed = "FROM step WHERE choice AND chain_key != '' AND rival IS NULL"
        (count,) = self._db.execute(f"SELECT count(*) {keyed}").fetchone()
        rows = self._db.execute(f"SELECT number {keyed} ORDER BY number LIMIT ?", (limit,)).fetchall()
        return count, [number for (number,) in rows]

    def unreplaced_choices_replacing(self, replaces: int, before: int, limit: int) -> list[Any]:
        """At most ``limit`` choices numbered before ``before`` that replace choice ``replaces`` and that no
        choice replaces."""
        rows = self._db.execute(
            "SELECT data FROM step AS s WHERE choice AND replaces = ? AND number < ? AND NOT EXISTS "
            "(SELECT 1 FROM step WHERE choice AND replaces = s.number) ORDER BY number LIMIT ?",
            (replaces, before, limit),
        )
        return [pickle.loads(data) for (data,) in rows]

    def granted(self) -> set[str]:
        """Every category some stored choice granted (at most :data:`RECORDS_IN_MEMORY` names)."""
        rows = self._db.execute(
            "SELECT DISTINCT value FROM step, json_each(step.categories) WHERE choice LIMIT ?", (RECORDS_IN_MEMORY,)
        )
        return {value for (value,) in rows}

    def _one(self, query: str, value: Any) -> Any | None:
        """The step whose number ``query`` selects: from memory when it is among the recent ones."""
        row = self._db.execute(query + " LIMIT 1", (value,)).fetchone()
        return None if row is None else self.step(row[0])


def _key(request: tuple) -> bytes:
    # A few bytes stand for a request of any length (a forged field may be 2 KB).
    return hashlib.blake2b(repr(request).encode("utf-8", "surrogatepass"), digest_size=16).digest()
