"""The cookie-consent banner: from the plugin's options and the document consent is given under to what a
page embeds.

No MkDocs here. :func:`build_banner` checks the options once per build and returns a :class:`Banner`;
:meth:`Banner.page_context` gives the template ``consent.html`` what one page needs. The cookie's value is
``consent.cookie``'s business, the script and styles ``consent.assets``'.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import urls
from ..text.clauses import CLAUSE_ANCHOR, clause_with_words
from .assets import ASSETS_DIR
from .cookie import NECESSARY, document_key
from .shown_text import text_hash

METRICA_SERVICE = "Яндекс Метрика"
METRICA_COOKIES = ("_ym*",)

_METRICA_COUNTER = re.compile(r"[1-9][0-9]{0,11}\Z")
BANNER_TEXTS = "banner-texts"
"""Where the build publishes the banner's texts as shown, ``banner-texts/<hash>.txt``: the proof
(deploy/alectro_deploy/consent_published.py) reads it beside editions.json."""
LOG_QUERY_LIMIT = 2048
"""The longest query the banner may send to ``log_url``: deploy/nginx-http.conf refuses (and does not log) a
longer one, so a build whose categories and document path could make one is refused."""


class ConsentError(ValueError):
    """The consent options are unusable; the message names the option and how to fix it."""


@dataclass(frozen=True)
class BoundDocument:
    """The document consent is given under (the policy, or the consent document), as the banner needs it."""

    source: str
    """Its path in the repository, as ``editions.json`` names it: ``docs/cookies.md``."""
    title: str
    is_policy: bool
    """Consent bound to the policy itself (no separate consent document configured)."""
    consent_edition: int
    """Its latest edition that is not editorial: a choice made under an earlier one is asked again."""
    current_edition: int
    """Its edition in force, which a new choice records (later than ``consent_edition`` after editorial ones)."""
    current_date_text: str
    current_sha256: str
    text_url: str
    """Site-root-relative URL of the edition in force's permanent page: ``cookies/editions/2/``."""
    changes_url: str | None
    """Site-root-relative URL of ``consent_edition``'s changes page; None for edition 1."""
    identity: str = ""
    """The path it had at its first edition (``DocumentEditions.identity``); empty: ``source``."""

    @property
    def key(self) -> str:
        """What the cookie records of it (``cookie.document_key``): of the path it had at its first edition, so
        that moving the document asks no one again (its text, not its file name, is what visitors agreed to)."""
        return document_key(self.identity or self.source)


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
    bound: BoundDocument | None
    """The document consent is given under; None before its first edition (a site outside git)."""
    log_url: str | None = None
    """Where every choice is sent (a path on this site), or None."""
    metrica_counter: int | None = None
    metrica_category: str | None = None
    assets_version: str = ""
    policy_url: str = ""
    """The policy's page, site-root-relative (``urls.page_url`` of the first of ``documents``)."""
    timezone: str = "Europe/Moscow"
    """The plugin's ``timezone``: the date of the visitor's choice is shown in it."""

    texts: Mapping[str, str] = field(default_factory=dict)
    """The banner's words in each state it is shown in (``shown_text.STATES``), as read from its rendered
    template by output.site_banner: published as ``banner-texts/<hash>.txt``."""

    @property
    def text_hashes(self) -> dict[str, str]:
        """Each state's :attr:`texts` by its hash (``shown_text.text_hash``): the ``h`` a record of a choice made
        in that state carries."""
        return {state: text_hash(text) for state, text in self.texts.items()}

    @property
    def clause_number(self) -> str:
        """The cookie clause's number as the text shows it: ``p2.2`` → ``2.2``."""
        return self.cookie_clause.removeprefix("p")

    @property
    def optional(self) -> tuple[Category, ...]:
        return tuple(category for category in self.categories if not category.required)

    def settings(self) -> dict[str, Any]:
        """Return the JSON settings read by ``consent.js``: the same on every page of a build."""
        return {
            "cookie": {"name": self.cookie_name, "domain": self.cookie_domain, "days": self.cookie_days},
            "edition": self.bound.consent_edition if self.bound else 0,
            "current": self.bound.current_edition if self.bound else 0,
            # A format-1 cookie was given under the policy: it counts only while consent is bound to it.
            "document": {
                "key": self.bound.key if self.bound else document_key(""),
                "source": self.bound.source if self.bound else "",
                "sha256": self.bound.current_sha256 if self.bound else "",
                "policy": self.bound.is_policy if self.bound else True,
                "title": self.bound.title if self.bound else "",
            },
            "log": self.log_url,
            "text": self.text_hashes,
            "timezone": self.timezone,
            "categories": [category.id for category in self.optional],
            "cookies": {category.id: list(category.cookies) for category in self.optional if category.cookies},
            "metrica": {"counter": self.metrica_counter, "category": self.metrica_category}
            if self.metrica_counter
            else None,
        }

    def longest_log_query(self) -> int:
        """Return the length of the longest query ``consent.js`` can send to ``log_url`` (every category granted,
        every number at its longest), as URLSearchParams encodes it."""
        fields = {
            "v": "4",
            "id": "0" * 36,
            "choice": "withdraw",
            "c": "+".join(category.id for category in self.categories),
            "doc": self.bound.source if self.bound else "",
            "ed": "9" * 6,
            "sha": "0" * 64,
            "t": "9" * 12,
            "h": "0" * 16,
            "p": "9" * 12,
            "k": "0" * 32,
            "e": "9" * 6,
        }
        return len(urllib.parse.urlencode(fields))

    def page_context(self, page_url: str, base: str | None = None) -> dict[str, Any]:
        """Return the context of ``templates/consent.html`` for the page at ``page_url`` (site-root-relative).

        ``base`` overrides the way back to the site root, for a page served at any depth (404).
        """
        base = urls.relative_root(page_url) if base is None else base
        return {
            "banner": self,
            "base": base,
            "policy_href": f"{base}/{self.policy_url}",
            "clause_href": f"{base}/{self.policy_url}#{self.cookie_clause}",
            "changes_href": f"{base}/{self.bound.changes_url}" if self.bound and self.bound.changes_url else None,
            "document_href": f"{base}/{self.bound.text_url}" if self.bound else None,
            "settings": self.settings(),
            "script_href": f"{base}/{ASSETS_DIR}/consent.js?v={self.assets_version}",
            "receipt_href": f"{base}/{ASSETS_DIR}/consent-receipt.js?v={self.assets_version}",
        }

    def footer_link(self, base: str) -> dict[str, str]:
        """Return the «Настройки cookies» footer link for a page whose site root is ``base`` (relative).

        Its ``href`` is the cookie clause, where the link leads without JavaScript (and so without a banner).
        """
        return {
            "href": f"{base.rstrip('/') or '.'}/{self.policy_url}#{self.cookie_clause}",
            "text": "Настройки cookies",
        }


def build_banner(
    options: Mapping[str, Any],
    bound: BoundDocument | None,
    metrica_counter: str | None,
    assets_version: str = "",
    policy_url: str = "",
    timezone: str = "Europe/Moscow",
    policy_text: str | None = None,
) -> Banner:
    """Return the :class:`Banner` for the ``consent`` options, validated when the config loaded (``config.py``).

    ``bound`` is the document consent is given under (None before its first edition: edition 0);
    ``metrica_counter`` is the environment variable's value, None or empty for no Metrica; ``policy_text``: the
    policy's Markdown as its page shows it, where ``cookie_clause``'s words are found (None: not in git yet).
    Raises :class:`ConsentError` for a counter that is no Metrica counter, or whose category is not configured:
    what the environment brings at build time.
    """
    optional = [
        Category(item["id"], item["title"], item["description"], tuple(item["services"]), tuple(item["cookies"]))
        for item in options["categories"]
    ]

    counter = None
    category_of_metrica = None
    if metrica_counter and metrica_counter.strip():
        text = metrica_counter.strip()
        if not _METRICA_COUNTER.match(text):
            # A longer one is no counter, and reached the page as 1e26 (beyond JavaScript's exact integers).
            raise ConsentError(
                f"consent: the Yandex Metrica counter '{text}' (from ${options['metrica_counter_env']}) "
                f"is not a number Metrica gives a counter: a positive whole number of at most 12 digits, "
                f"without a leading zero, e.g. 12345678. Set the variable to the number in the counter's settings, "
                f"or unset it"
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

    log_url = options.get("log_url") or None

    necessary = Category(NECESSARY, "Необходимые", options["necessary_description"], required=True)
    banner = Banner(
        categories=(necessary, *optional),
        message=options["message"],
        cookie_clause=cookie_clause_anchor(options["cookie_clause"], policy_text),
        cookie_name=options["cookie_name"],
        cookie_domain=options["cookie_domain"] or None,
        cookie_days=options["cookie_days"],
        bound=bound,
        log_url=log_url,
        metrica_counter=counter,
        metrica_category=category_of_metrica,
        assets_version=assets_version,
        policy_url=policy_url,
        timezone=timezone,
    )
    if log_url is not None and banner.longest_log_query() > LOG_QUERY_LIMIT:
        raise ConsentError(
            f"consent: a choice sent to consent.log_url could make a query of {banner.longest_log_query()} bytes, "
            f"longer than the {LOG_QUERY_LIMIT} the shipped nginx location logs (deploy/nginx-http.conf): "
            f"use fewer or shorter category ids, or a shorter path for the consent document"
        )
    return banner


def cookie_clause_anchor(option: str, policy_text: str | None) -> str:
    """Return the anchor the banner links for the option ``cookie_clause`` (``config_options.ClauseName``): the
    anchor it names, or that of the one clause of ``policy_text`` containing its words
    (``text.clauses.clause_with_words``).

    Raises :class:`ConsentError` when the words name no single clause, or there is no text to find them in."""
    anchor = CLAUSE_ANCHOR.fullmatch(option)
    if anchor:
        return anchor[1]
    if policy_text is None:
        raise ConsentError(
            f"consent.cookie_clause names the clause on cookies by its words ('{option}'), but the policy has no "
            f"edition to find them in (commit it to git), or give its anchor, such as 'p2.2'"
        )
    try:
        return clause_with_words(policy_text, option).key
    except ValueError as error:
        raise ConsentError(f"consent.cookie_clause: {error}") from None


def cookie_pattern_matches(pattern: str, name: str) -> bool:
    """Whether a category's cookie ``pattern`` (a name, or a prefix ending in ``*``) covers the cookie ``name``,
    as ``consent.js`` reads it when removing a withdrawn category's cookies."""
    return name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern


def _with(existing: Iterable[str], extra: Iterable[str]) -> tuple[str, ...]:
    items = list(existing)
    return tuple(items + [item for item in extra if item not in items])
