"""What the proof checks each record against: the published editions.json and the banner texts published
beside it, read from a path or an http(s) URL (consent_step's Catalogue)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alectro_deploy.banner_texts import FOLDER as BANNER_TEXTS
from alectro_deploy.banner_texts import INDEX, listed
from alectro_deploy.consent_log import BANNER_TEXT, ProofError, cut
from alectro_deploy.consent_store import RECORDS_IN_MEMORY

TEXTS_WITHOUT_INDEX = 20
"""How many banner texts a proof asks for one by one when the site publishes no list of them."""

Fetch = Callable[[str], bytes | None]


@dataclass(frozen=True)
class Published:
    """The published editions.json and a way to read the files published beside it (consent_step's Catalogue)."""

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
