"""The consent log's lines that deploy/nginx.conf writes, each parsed into a record; its files are found and read
in :mod:`alectro_deploy.consent_files`.

The log holds one JSON line per choice made in the banner (format ``alectro_consent`` in deploy/nginx-http.conf):
the server's time, the client address, the user agent and the banner's query fields, still percent-encoded. A
line that is not such a record (garbage, a line cut short by a crash or a full disk, bytes of any kind) is
counted and reported, never fatal: one bad line must not hide the proof in the others.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import urllib.parse

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
CHOICES = ("all", "necessary", "custom", "withdraw")
CATEGORY = re.compile(r"[a-z][a-z0-9_-]{0,63}")
# The record versions the banner has sent: 2 (issue 11), 3 adds the banner text's hash and the previous choice, 4
# the key of the choice's link in the secret chain only the visitor's browser can continue (consent_keys).
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
# What URLSearchParams (the banner's encoder) leaves as it is; every other character it writes as + or %XX.
_FORM_PLAIN = re.compile(r"[A-Za-z0-9*._-]*")
# Fields the banner sends as it made them, in small letters: the proof reads them in any case.
_LOWERCASE = ("id", "sha", "h", "k")


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
