"""The consent cookie: its value written and read (the reference reader, in step with ``assets/consent.js``).

One first-party cookie (``alectro_consent`` by default, ``Path=/``, ``SameSite=Lax``, ``Secure`` on https,
``Max-Age`` = ``cookie_days``) holds the visitor's choice, fields separated by dots. Format 2, written since
the consent record (issue 11)::

    2.necessary+analytics.3f1c2a9b.3.1795500000.0f8e6c1a2b3d4e5f9a0b1c2d3e4f5a6b.1isr2se

1. the format version, ``2``;
2. the granted categories joined by ``+``, always starting with ``necessary``;
3. the document consent was given under: the first 8 hex digits of SHA-256 of its source path
   (``docs/index.md``), so a choice made under another document is not taken for this one's;
4. the number of that document's edition in force when the visitor chose (``0``: no edition yet);
5. when, in Unix seconds (UTC);
6. the consent ID: 32 hex digits, a random version-4 UUID (122 random bits from ``crypto.getRandomValues``)
   without its dashes, which the visitor can cite and the consent log records (any 32 hex digits are read:
   the checksum, not the ID's shape, guards against editing);
7. a checksum: FNV-1a (32 bit) of the text before the last dot, in base 36.

Format 1 (``1.necessary+analytics.3.1795500000.1isr2se``: version, categories, edition of the policy, time,
checksum) is still read, as a choice made under the policy, until it expires or the banner asks again.

The checksum catches a value edited by hand or by another script; it is no signature (a static site has no
secret). A value that does not parse, whose checksum differs, whose version is unknown, that is dated in the
future or older than ``cookie_days`` means *no consent*: the banner asks again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

FORMAT_VERSION = 2
NECESSARY = "necessary"
CLOCK_SKEW = 24 * 60 * 60
"""A cookie dated this far in the future is still believed (the visitor's clock may be wrong)."""

# ASCII: to Python, \d is also a digit of other scripts (٣), which JavaScript's reader refuses.
_CATEGORIES = r"(?P<categories>[a-z][a-z0-9_-]*(?:\+[a-z][a-z0-9_-]*)*)"
_COOKIE_1 = re.compile(
    rf"1\.{_CATEGORIES}\.(?P<edition>\d{{1,6}})\.(?P<time>\d{{1,12}})\.(?P<check>[0-9a-z]{{1,7}})\Z", re.ASCII
)
_COOKIE_2 = re.compile(
    rf"2\.{_CATEGORIES}\.(?P<document>[0-9a-f]{{8}})\.(?P<edition>\d{{1,6}})\.(?P<time>\d{{1,12}})"
    rf"\.(?P<id>[0-9a-f]{{32}})\.(?P<check>[0-9a-z]{{1,7}})\Z",
    re.ASCII,
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\Z", re.ASCII)


def document_key(source: str) -> str:
    """Return the cookie's key of the document consent is given under: ``docs/cookies.md`` → 8 hex digits."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]


def checksum(text: str) -> str:
    """Return FNV-1a (32 bit) of ``text``'s UTF-16 code units, in base 36, as ``consent.js`` computes it."""
    value = 0x811C9DC5
    encoded = text.encode("utf-16-le")
    for index in range(0, len(encoded), 2):
        value ^= encoded[index] | encoded[index + 1] << 8
        value = (value * 0x01000193) & 0xFFFFFFFF
    return _base36(value)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text


@dataclass(frozen=True)
class Consent:
    """A choice read from the cookie."""

    categories: tuple[str, ...]
    edition: int
    time: int
    version: int = FORMAT_VERSION
    document: str | None = None
    """The key of the document it was given under; None for format 1 (given under the policy)."""
    id: str | None = None
    """The consent ID as a UUID (``xxxxxxxx-xxxx-4xxx-…``); None for format 1."""

    def grants(self, category: str) -> bool:
        return category in self.categories


def format_cookie(
    categories: Iterable[str], edition: int, time: int, *, document: str | None = None, consent_id: str | None = None
) -> str:
    """Return the cookie value granting ``categories`` (``necessary`` is added) at ``edition`` and Unix ``time``.

    With ``document`` (a :func:`document_key`) and ``consent_id`` (a version-4 UUID), format 2, as the banner
    writes it; without them, format 1, as older releases wrote it. Raises ``ValueError`` for a malformed ID.
    """
    granted = [NECESSARY] + [category for category in categories if category != NECESSARY]
    if document is None and consent_id is None:
        body = f"1.{'+'.join(granted)}.{edition}.{time}"
    else:
        if consent_id is None or not _UUID.match(consent_id) or document is None:
            raise ValueError(f"a format-2 cookie needs a document key and a version-4 UUID, not {consent_id!r}")
        body = f"2.{'+'.join(granted)}.{document}.{edition}.{time}.{consent_id.replace('-', '')}"
    return f"{body}.{checksum(body)}"


def parse_cookie(value: str | None, *, lifetime_days: int = 365, now: int | None = None) -> Consent | None:
    """Return the :class:`Consent` a cookie value holds, or None when it counts as no consent.

    None for a missing, malformed or tampered value, an unknown format version, a date in the future
    or one older than ``lifetime_days``. Whether its document and edition are the ones in force is the
    caller's business.
    """
    if not value:
        return None
    match = _COOKIE_2.match(value) or _COOKIE_1.match(value)
    if not match:
        return None
    body = value.rpartition(".")[0]
    if checksum(body) != match["check"]:
        return None
    categories = tuple(match["categories"].split("+"))
    if categories[0] != NECESSARY or len(set(categories)) != len(categories):
        return None
    time = int(match["time"])
    now = int(datetime.now(UTC).timestamp()) if now is None else now
    if time > now + CLOCK_SKEW or now - time > lifetime_days * 86400:
        return None
    if match.re is _COOKIE_1:
        return Consent(categories=categories, edition=int(match["edition"]), time=time, version=1)
    raw = match["id"]
    consent_id = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    return Consent(categories, int(match["edition"]), time, 2, match["document"], consent_id)
