"""The consent cookie: its value written and read (the reference reader, in step with ``consent/static/consent.js``).

One first-party cookie (``alectro_consent`` by default, ``Path=/``, ``SameSite=Lax``, ``Secure`` on https,
``Max-Age`` = ``cookie_days``) holds the visitor's choice, fields separated by dots. Format 3, written since
records only the visitor's browser can continue (issue 24)::

    3.necessary+analytics.3f1c2a9b.3.1795500000.0f8e6c1a2b3d4e5f9a0b1c2d3e4f5a6b.9c0d…7e1f.2.1isr2se

1. the format version, ``3``;
2. the granted categories joined by ``+``, always starting with ``necessary``;
3. the document consent was given under: the first 8 hex digits of SHA-256 of its source path
   (``docs/index.md``), so a choice made under another document is not taken for this one's;
4. the number of that document's edition in force when the visitor chose (``0``: no edition yet);
5. when, in Unix seconds (UTC);
6. the consent ID: 32 hex digits, a random version-4 UUID (122 random bits from ``crypto.getRandomValues``)
   without its dashes, which the visitor can cite and the consent log records (any 32 hex digits are read:
   the checksum, not the ID's shape, guards against editing);
7. the secret: 32 hex digits (128 random bits), kept nowhere but in this cookie;
8. the link: how many choices after the first continued the secret's chain (each record shows the key
   :func:`chain_key` of its link, which only a browser holding the secret can compute);
9. the banner text the choice was made on: the 16 hex digits its record shows (``h``), for the visitor's receipt;
10. a checksum: FNV-1a (32 bit) of the text before the last dot, in base 36.

Format 2 (fields 1–6 and the checksum: no secret, link or text), written since the consent record (issue 11), is
still read; the next choice keeps its ID and starts a secret. Format 1
(``1.necessary+analytics.3.1795500000.1isr2se``: version, categories, edition of the policy, time, checksum) is still
read, as a choice made under the policy, until it expires or the banner asks again. On https the cookie was named
without ``__Host-`` before issue 17: that name is read when this one is missing (:func:`read_cookies`), and the
next choice continues it under the new one.

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

FORMAT_VERSION = 3
NECESSARY = "necessary"
LINKS = 1000
"""The length of a secret's chain of keys: a consent continues for this many choices after its first."""
CLOCK_SKEW = 24 * 60 * 60
"""A cookie dated this far in the future is still believed (the visitor's clock may be wrong)."""

# ASCII: to Python, \d is also a digit of other scripts (٣), which JavaScript's reader refuses.
_CATEGORIES = r"(?P<categories>[a-z][a-z0-9_-]*(?:\+[a-z][a-z0-9_-]*)*)"
_COOKIE_1 = re.compile(
    rf"1\.{_CATEGORIES}\.(?P<edition>\d{{1,6}})\.(?P<time>\d{{1,12}})\.(?P<check>[0-9a-z]{{1,7}})\Z", re.ASCII
)
_COOKIE_2 = re.compile(  # formats 2 and 3
    rf"(?P<version>[23])\.{_CATEGORIES}\.(?P<document>[0-9a-f]{{8}})\.(?P<edition>\d{{1,6}})\.(?P<time>\d{{1,12}})"
    rf"\.(?P<id>[0-9a-f]{{32}})\.(?:(?P<secret>[0-9a-f]{{32}})\.(?P<link>\d{{1,4}})\.(?P<text>[0-9a-f]{{16}})\.)?(?P<check>[0-9a-z]{{1,7}})\Z",
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
    secret: str | None = None
    """32 hex digits only the browser knows; None before format 3."""
    link: int = 0
    """The link of the secret's chain this choice's record showed (:func:`chain_key`)."""
    text: str | None = None
    """The hash of the banner text the choice was made on (its record's ``h``); None before format 3."""

    def grants(self, category: str) -> bool:
        return category in self.categories


def format_cookie(
    categories: Iterable[str],
    edition: int,
    time: int,
    *,
    document: str | None = None,
    consent_id: str | None = None,
    secret: str | None = None,
    link: int = 0,
    text: str = "0" * 16,
) -> str:
    """Return the cookie value granting ``categories`` (``necessary`` is added) at ``edition`` and Unix ``time``.

    With ``document`` (a :func:`document_key`), ``consent_id`` (a version-4 UUID) and ``secret`` (32 hex digits,
    with its ``link`` and the banner ``text`` hash), format 3, as the banner writes it; without ``secret``, format 2,
    without any, format 1, as earlier releases wrote them. Raises ``ValueError`` for a malformed ID or secret.
    """
    granted = [NECESSARY] + [category for category in categories if category != NECESSARY]
    if document is None and consent_id is None and secret is None:
        body = f"1.{'+'.join(granted)}.{edition}.{time}"
    else:
        if consent_id is None or not _UUID.match(consent_id) or document is None:
            raise ValueError(f"a format-2 or 3 cookie needs a document key and a version-4 UUID, not {consent_id!r}")
        body = f"2.{'+'.join(granted)}.{document}.{edition}.{time}.{consent_id.replace('-', '')}"
        if secret is not None:
            if (
                not re.fullmatch(r"[0-9a-f]{32}", secret)
                or not 0 <= link <= 9999
                or not re.fullmatch("[0-9a-f]{16}", text)
            ):
                raise ValueError(f"a secret is 32 hex digits, a link 0 to LINKS - 1, a text 16 hex digits: {secret!r}")
            body = f"3{body[1:]}.{secret}.{link}.{text}"
    return f"{body}.{checksum(body)}"


def cookie_name(name: str, https: bool, domain: str | None) -> str:
    """Return the consent cookie's name as the banner writes it: ``__Host-`` before ``name`` on https without a
    shared ``domain`` (the browser lets only this host set such a cookie)."""
    return f"__Host-{name}" if https and not domain else name


def read_cookies(
    pairs: Iterable[tuple[str, str]], name: str, *, https: bool, domain: str | None, lifetime_days: int, now: int
) -> Consent | None:
    """Return the choice the cookies a browser sends (``(name, value)`` pairs) hold, as the banner's next choice
    continues it: the one valid value under :func:`cookie_name`, or else (an earlier release's, from before the
    ``__Host-`` name) the one under ``name``, whose ID the choice keeps though it grants nothing until then (a
    sibling subdomain can plant that name); None if there is none. Two valid values under a name count as none
    (one left on another domain or path, or planted)."""
    pairs = list(pairs)
    for wanted in (cookie_name(name, https, domain), name):
        values = [value for key, value in pairs if key == wanted]
        found = [c for value in values if (c := parse_cookie(value, lifetime_days=lifetime_days, now=now))]
        if len(found) == 1:
            return found[0]
    return None


def chain_key(secret: str, link: int) -> str:
    """Return the key a record of the choice at ``link`` (0 to :data:`LINKS` - 1) shows: SHA-256 of ``secret`` (its
    first 32 hex digits of the ASCII text), :data:`LINKS` - ``link`` times over. The key of link ``n`` hashes to
    the key of link ``n - 1``: the next choice's record shows a key only a browser holding the secret can compute."""
    value = secret
    for _ in range(LINKS - link):
        value = hashlib.sha256(value.encode("ascii")).hexdigest()[:32]
    return value


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
    # The version says which fields it has: a secret exactly in format 3.
    if (match["version"] == "3") != (match["secret"] is not None):
        return None
    raw = match["id"]
    consent_id = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    version = int(match["version"])
    link = int(match["link"]) if match["link"] else 0
    edition = int(match["edition"])
    return Consent(
        categories, edition, time, version, match["document"], consent_id, match["secret"], link, match["text"]
    )
