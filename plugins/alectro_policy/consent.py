"""The cookie-consent banner: from the plugin's options and the policy's edition to what a page embeds.

No MkDocs here. :func:`build_banner` checks the options once per build and returns a :class:`Banner`;
:meth:`Banner.page_context` gives the template ``consent.html`` what one page needs; :func:`load_assets`
returns the banner's JavaScript and CSS, stripped of comments and indentation.

The consent cookie
------------------
One first-party cookie (``alectro_consent`` by default, ``Path=/``, ``SameSite=Lax``, ``Secure`` on
https, ``Max-Age`` = ``cookie_days``) holds the visitor's choice as five fields separated by dots::

    1.necessary+analytics.3.1795500000.1isr2se

1. the format version, ``1``;
2. the granted categories joined by ``+``, always starting with ``necessary``
   (``necessary`` alone: only the necessary cookies were accepted);
3. the number of the policy's edition in force when the visitor chose (``0``: no edition yet);
4. when, in Unix seconds (UTC);
5. a checksum: FNV-1a (32 bit) of the text before the last dot, in base 36.

The checksum catches a value edited by hand or by another script; it is no signature (a static
site has no secret). A value that does not parse, whose checksum differs, whose version is not ``1``,
that is dated in the future or older than ``cookie_days`` means *no consent*: the banner asks again.
:func:`parse_cookie` is the reference reader, in step with ``assets/consent.js``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from typing import Any, Iterable, Mapping, Protocol

FORMAT_VERSION = 1
NECESSARY = "necessary"
METRICA_SERVICE = "Яндекс Метрика"
METRICA_COOKIES = ("_ym*",)
ASSETS_DIR = "assets/alectro-policy"
"""Where the banner's script and stylesheet are written, relative to the site's root."""

_CATEGORY_ID = re.compile(r"[a-z][a-z0-9_-]*\Z")
_COOKIE_NAME = re.compile(r"[A-Za-z0-9_-]+\Z")
_METRICA_COUNTER = re.compile(r"[1-9][0-9]{0,11}\Z")
# ASCII: to Python, \d is also a digit of other scripts (٣), which JavaScript's reader refuses.
_COOKIE = re.compile(
    r"(?P<version>\d+)\.(?P<categories>[a-z][a-z0-9_-]*(?:\+[a-z][a-z0-9_-]*)*)"
    r"\.(?P<edition>\d{1,6})\.(?P<time>\d{1,12})\.(?P<check>[0-9a-z]{1,7})\Z",
    re.ASCII,
)
_COOKIE_DOMAIN = re.compile(r"\.?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
_CLOCK_SKEW = 24 * 60 * 60
"""A cookie dated this far in the future is still believed (the visitor's clock may be wrong)."""


class ConsentError(ValueError):
    """The consent options are unusable; the message names the option and how to fix it."""


class EditionInfo(Protocol):
    """What the banner needs of the edition consent is bound to (the plugin's ``ConsentEdition``)."""

    number: int
    changes_url: str | None
    current_number: int
    """The edition in force, which a new choice records: later than ``number`` after editorial editions."""
    current_date_text: str


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    description: str
    services: tuple[str, ...] = ()
    cookies: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Banner:
    """Everything about the banner that is the same on every page of one build."""

    categories: tuple[Category, ...]
    """«Необходимые» first, then the optional ones in the configured order."""
    message: str
    cookie_clause: str
    cookie_name: str
    cookie_domain: str | None
    cookie_days: int
    edition: int
    """The edition a stored choice must be at least: older choices are asked again."""
    changes_url: str | None = None
    """The changes page of ``edition``, the last edition that changed the policy in substance."""
    current_edition: int = 0
    """The edition in force, recorded with a new choice (``edition`` or a later, editorial, one)."""
    current_date_text: str | None = None
    metrica_counter: int | None = None
    metrica_category: str | None = None
    assets_version: str = ""

    @property
    def clause_number(self) -> str:
        """The cookie clause's number as the text shows it: ``p2.2`` → ``2.2``."""
        return self.cookie_clause.removeprefix("p")

    @property
    def optional(self) -> tuple[Category, ...]:
        return tuple(category for category in self.categories if not category.required)

    def settings(self, base: str) -> dict[str, Any]:
        """Return the JSON settings read by ``consent.js``; ``base`` is the page's relative URL of the site root."""
        return {
            "base": base,
            "cookie": {"name": self.cookie_name, "domain": self.cookie_domain, "days": self.cookie_days},
            "edition": self.edition,
            "current": self.current_edition,
            "categories": [category.id for category in self.optional],
            "cookies": {category.id: list(category.cookies) for category in self.optional if category.cookies},
            "metrica": {"counter": self.metrica_counter, "category": self.metrica_category} if self.metrica_counter else None,
        }

    def page_context(self, page_url: str, base: str | None = None) -> dict[str, Any]:
        """Return the context of ``templates/consent.html`` for the page at ``page_url`` (site-root-relative).

        ``base`` overrides the way back to the site root, for a page served at any depth (404).
        """
        base = relative_root(page_url) if base is None else base
        return {
            "banner": self,
            "base": base,
            "policy_href": f"{base}/",
            "clause_href": f"{base}/#{self.cookie_clause}",
            "changes_href": f"{base}/{self.changes_url}" if self.changes_url else None,
            "settings": self.settings(base),
            "script_href": f"{base}/{ASSETS_DIR}/consent.js?v={self.assets_version}",
            "style_href": f"{base}/{ASSETS_DIR}/consent.css?v={self.assets_version}",
        }

    def footer_link(self, base: str) -> dict[str, str]:
        """Return the «Настройки cookies» footer link for a page whose site root is ``base`` (relative).

        Its ``href`` is the cookie clause, where the link leads without JavaScript (and so without a banner).
        """
        return {"href": f"{base.rstrip('/') or '.'}/#{self.cookie_clause}", "text": "Настройки cookies"}


def build_banner(
    options: Mapping[str, Any],
    edition: EditionInfo | None,
    metrica_counter: str | None,
    assets_version: str = "",
) -> Banner:
    """Return the :class:`Banner` for the validated ``consent`` options.

    ``edition`` is the edition consent is bound to (None before the first one: edition 0);
    ``metrica_counter`` is the environment variable's value, None or empty for no Metrica.
    Raises :class:`ConsentError` naming the option at fault.
    """
    optional = []
    seen = {NECESSARY}
    for item in options["categories"]:
        category_id = item["id"]
        if not _CATEGORY_ID.match(category_id):
            raise ConsentError(
                f"consent.categories: '{category_id}' is not a usable id; use lower-case Latin letters, digits, "
                f"'-' or '_', starting with a letter (for example 'analytics')"
            )
        if category_id in seen:
            raise ConsentError(
                f"consent.categories: the id '{category_id}' is "
                + ("built in (always on); remove it" if category_id == NECESSARY else "used twice; rename one")
            )
        seen.add(category_id)
        optional.append(
            Category(category_id, item["title"], item["description"], tuple(item["services"]), tuple(item["cookies"]))
        )

    counter = None
    category_of_metrica = None
    if metrica_counter and metrica_counter.strip():
        text = metrica_counter.strip()
        if not _METRICA_COUNTER.match(text):
            # A longer one is no counter, and reached the page as 1e26 (beyond JavaScript's exact integers).
            raise ConsentError(
                f"consent: the Yandex Metrica counter '{text}' (from ${options['metrica_counter_env']}) is not a number "
                f"Metrica gives a counter: a positive whole number of at most 12 digits, without a leading zero, "
                f"e.g. 12345678. Set the variable to the number in the counter's settings, or unset it"
            )
        counter = int(text)
        category_of_metrica = options["metrica_category"]
        index = next((i for i, c in enumerate(optional) if c.id == category_of_metrica), None)
        if index is None:
            raise ConsentError(
                f"consent.metrica_category: '{category_of_metrica}' is not one of consent.categories "
                f"({', '.join(c.id for c in optional) or 'none configured'}); add it or name another"
            )
        gated = optional[index]
        optional[index] = Category(
            gated.id,
            gated.title,
            gated.description,
            _with(gated.services, [METRICA_SERVICE]),
            _with(gated.cookies, METRICA_COOKIES),
        )

    if not _COOKIE_NAME.match(options["cookie_name"]):
        raise ConsentError(
            f"consent.cookie_name: '{options['cookie_name']}' cannot be a cookie name; use Latin letters, digits, '_' or '-'"
        )
    for category in optional:
        for pattern in category.cookies:
            if cookie_pattern_matches(pattern, options["cookie_name"]):
                raise ConsentError(
                    f"consent.categories: the category '{category.id}' lists the cookie '{pattern}' among its cookies, "
                    f"and that matches the consent cookie '{options['cookie_name']}' itself: withdrawing the category "
                    f"would delete the visitor's choice, and the banner would return on every page. List only the "
                    f"category's own cookies (names, or prefixes such as '_ga*')"
                )
    domain = options["cookie_domain"]
    if domain and not _COOKIE_DOMAIN.match(domain):
        raise ConsentError(
            f"consent.cookie_domain: '{domain}' is not a domain name; write the shop's domain, e.g. 'alectro.ru' "
            f"(the cookie is then shared with its subdomains), or leave it unset for this host only"
        )
    if options["cookie_days"] < 1:
        raise ConsentError("consent.cookie_days: a choice must last at least one day (the default is 365)")

    necessary = Category(NECESSARY, "Необходимые", options["necessary_description"], required=True)
    return Banner(
        categories=(necessary, *optional),
        message=options["message"],
        cookie_clause=options["cookie_clause"].lstrip("#"),
        cookie_name=options["cookie_name"],
        cookie_domain=options["cookie_domain"] or None,
        cookie_days=options["cookie_days"],
        edition=edition.number if edition else 0,
        changes_url=edition.changes_url if edition else None,
        current_edition=edition.current_number if edition else 0,
        current_date_text=edition.current_date_text if edition else None,
        metrica_counter=counter,
        metrica_category=category_of_metrica,
        assets_version=assets_version,
    )


def cookie_pattern_matches(pattern: str, name: str) -> bool:
    """Whether a category's cookie ``pattern`` (a name, or a prefix ending in ``*``) covers the cookie ``name``,
    as ``consent.js`` reads it when removing a withdrawn category's cookies."""
    return name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern


def _with(existing: Iterable[str], extra: Iterable[str]) -> tuple[str, ...]:
    items = list(existing)
    return tuple(items + [item for item in extra if item not in items])


def relative_root(page_url: str) -> str:
    """Return the site root relative to a page: ``""`` → ``"."``, ``"editions/3/changes/"`` → ``"../../.."``."""
    depth = page_url.count("/")
    return "/".join([".."] * depth) if depth else "."


# -- the cookie --------------------------------------------------------------------------------------


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

    def grants(self, category: str) -> bool:
        return category in self.categories


def format_cookie(categories: Iterable[str], edition: int, time: int) -> str:
    """Return the cookie value granting ``categories`` (``necessary`` is added) at ``edition`` and Unix ``time``."""
    granted = [NECESSARY] + [category for category in categories if category != NECESSARY]
    body = f"{FORMAT_VERSION}.{'+'.join(granted)}.{edition}.{time}"
    return f"{body}.{checksum(body)}"


def parse_cookie(value: str | None, *, lifetime_days: int = 365, now: int | None = None) -> Consent | None:
    """Return the :class:`Consent` a cookie value holds, or None when it counts as no consent.

    None for a missing, malformed or tampered value, an unknown format version, a date in the future
    or one older than ``lifetime_days``. Whether its edition is recent enough is the caller's business.
    """
    if not value:
        return None
    match = _COOKIE.match(value)
    if not match or int(match["version"]) != FORMAT_VERSION:
        return None
    body = value.rpartition(".")[0]
    if checksum(body) != match["check"]:
        return None
    categories = tuple(match["categories"].split("+"))
    if categories[0] != NECESSARY or len(set(categories)) != len(categories):
        return None
    time = int(match["time"])
    now = int(datetime.now(timezone.utc).timestamp()) if now is None else now
    if time > now + _CLOCK_SKEW or now - time > lifetime_days * 86400:
        return None
    return Consent(categories=categories, edition=int(match["edition"]), time=time)


# -- the assets ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assets:
    js: str
    css: str

    @property
    def version(self) -> str:
        """A short hash of both files, appended to their URLs so browsers fetch a new build's files."""
        return hashlib.sha256((self.js + self.css).encode()).hexdigest()[:10]


def load_assets() -> Assets:
    """Return ``assets/consent.js`` and ``assets/consent.css`` as shipped: minified by :func:`minify`."""
    folder = resources.files("alectro_policy") / "assets"
    js = (folder / "consent.js").read_text(encoding="utf-8")
    css = (folder / "consent.css").read_text(encoding="utf-8")
    return Assets(js=minify(js, "js"), css=minify(css, "css"))


_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_SPACE = re.compile(r"\s*([{};,>])\s*|(:)\s+")


def minify(source: str, kind: str) -> str:
    """Return ``source`` without comments, indentation and blank lines.

    Deliberately simple, hence safe for sources written for it: JavaScript keeps its line breaks
    (no change to automatic semicolon insertion) and loses ``/* */`` blocks and whole-line ``//``
    comments only; CSS also loses the spaces around ``{ } ; , >`` and after ``:`` (not before:
    ``.banner :focus-visible`` is not ``.banner:focus-visible``).
    """
    text = _BLOCK_COMMENT.sub("", source)
    lines = (line.strip() for line in text.splitlines())
    if kind == "js":
        return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"
    return _CSS_SPACE.sub(r"\1\2", " ".join(line for line in lines if line)).replace(";}", "}") + "\n"
