"""The plugin's options: the one place where they are declared."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import base
from mkdocs.config import config_options as c


class TimeZone(c.Type):
    """An IANA time zone name such as ``Europe/Moscow``, validated when the config loads."""

    def __init__(self, default: str):
        super().__init__(str, default=default)

    def run_validation(self, value):
        name = super().run_validation(value)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise c.ValidationError(f"'{name}' is not a time zone name; use one like 'Europe/Moscow'") from None
        return name


class DocumentPath(c.Type):
    """A Markdown file inside ``docs/``, written relative to it: ``index.md``, ``terms/delivery.md``."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        path = super().run_validation(value)
        parts = PurePosixPath(path.replace("\\", "/")).parts
        if not path.endswith(".md") or path.startswith(("/", "\\")) or ".." in parts or ":" in path:
            raise c.ValidationError(
                f"'{path}' is not a Markdown file inside docs/: list policy documents relative to docs/, "
                f"for example 'index.md' or 'terms/delivery.md'"
            )
        return path


class NonEmptyList(c.ListOfItems):
    """A list that must name at least one item: an empty one would leave the site without its policy."""

    def __init__(self, option_type, default, what: str):
        super().__init__(option_type, default=default)
        self._what = what

    def run_validation(self, value):
        items = super().run_validation(value)
        if not items:
            raise c.ValidationError(f"the list is empty: {self._what}")
        return items


class CommitName(c.Type):
    """A commit hash or tag. YAML reads a short hash of digits alone (``12345678``) as a number and one
    starting with ``0`` as octal, so only a string is accepted, with the fix in the message."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        if isinstance(value, (int, float)):
            raise c.ValidationError(
                f"YAML read the commit {value!r} as a number: put it in quotes, e.g. index.md: '0123abcd' "
                f"(a hash of digits alone, or one starting with 0, is not kept as written otherwise)"
            )
        return super().run_validation(value)


class DayOption(c.BaseConfigOption[date]):
    """A day written as YYYY-MM-DD (YAML reads it as a date; quoted, it is parsed), never with a time."""

    def run_validation(self, value: object) -> date:
        if isinstance(value, datetime):
            raise c.ValidationError(f"'{value}' has a time of day: write the date alone, as YYYY-MM-DD")
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise c.ValidationError(f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-24") from None


class EditionDate(base.Config):
    """A correction of an edition's date (``edition_dates:`` item)."""

    document = DocumentPath()
    """The document, as listed in ``documents`` (``index.md``)."""
    edition = c.Type(int)
    """The edition's number."""
    date = DayOption()
    """The day it took effect."""


class ConsentConfig(base.Config):
    """Options of the cookie-consent banner (``consent:`` under the plugin)."""

    class Category(base.Config):
        """One optional category of cookies and scripts the visitor may grant (``categories:`` item)."""

        id = c.Type(str)
        """Machine name, ``[a-z][a-z0-9_-]*``: stored in the cookie, written in ``data-consent-category``."""
        title = c.Type(str)
        """The switch's label in the settings, e.g. «Аналитика»."""
        description = c.Type(str, default="")
        """What the category is for, shown under its switch (plain text, escaped)."""
        services = c.ListOfItems(c.Type(str), default=[])
        """Names of the services in this category, shown in the settings (Yandex Metrica adds itself)."""
        cookies = c.ListOfItems(c.Type(str), default=[])
        """First-party cookies removed when the category is withdrawn: names, or prefixes ending in ``*``."""

    enabled = c.Type(bool, default=True)
    """Inject the consent banner into every page."""

    # Settings for categories
    categories = c.ListOfItems(
        c.SubConfig(Category),
        default=[
            {
                "id": "analytics",
                "title": "Аналитика",
                "description": "Статистика посещений: какие страницы читают и откуда приходят. "
                "Помогает нам улучшать сайт и собирается только с вашего согласия.",
            }
        ],
    )
    """The optional categories, in the order of the settings. «Необходимые» is built in and always on."""
    necessary_description = c.Type(
        str,
        default="Запоминают ваш выбор о cookies и обеспечивают работу сайта. Без них сайт не работает, "
        "поэтому отключить их нельзя.",
    )
    """The description under the always-on «Необходимые» switch."""

    # Settings for the banner's text
    message = c.Type(
        str,
        default="Мы используем cookies: необходимые — для работы сайта, аналитические — только с вашего "
        "согласия, чтобы делать сайт удобнее.",
    )
    """The banner's main sentence (plain text, escaped); links to the policy follow it."""
    cookie_clause = c.Type(str, default="p2.2")
    """The anchor of the policy clause on cookies, linked from the banner (``#p2.2``)."""

    # Settings for the document consent is given under
    document = c.Optional(c.Type(str))
    """One of ``documents`` (e.g. ``cookies.md``): the separate consent document. The banner names it and links
    its edition in force, the cookie records its edition, and a new substantive edition of it (not of the policy)
    asks again. Unset: consent is bound to the policy, the first of ``documents``."""

    # Settings for the consent log
    log_url = c.Optional(c.Type(str))
    """A path on this site (e.g. ``/privacy/consent-log``) that every choice is sent to once, as a GET with the
    consent ID, categories, document, edition, its SHA-256 and the time (``deploy/nginx.conf`` logs it). Unset:
    no request."""

    # Settings for the consent cookie
    cookie_name = c.Type(str, default="alectro_consent")
    """The first-party cookie holding the choice (path ``/``, so the shop's site can read it)."""
    cookie_domain = c.Optional(c.Type(str))
    """Its ``Domain`` attribute, e.g. ``alectro.ru`` to share it with subdomains; unset: this host only."""
    cookie_days = c.Type(int, default=365)
    """How long a choice lasts, in days: then the banner asks again."""

    # Settings for Yandex Metrica
    metrica_counter_env = c.Type(str, default="YANDEX_METRICA_ID")
    """The environment variable read at build time for the counter number; unset or empty: no Metrica tag."""
    metrica_category = c.Type(str, default="analytics")
    """The category that must be granted before the Metrica tag loads."""


class PolicyConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off (for example to time a plain build)."""

    # Settings for editions
    documents = NonEmptyList(
        DocumentPath(),
        default=["index.md"],
        what=(
            "list at least one policy document, relative to docs/, e.g. 'documents: [index.md]', "
            "or leave the option out"
        ),
    )
    """The policy documents whose editions are tracked, as paths relative to ``docs/``."""
    first_published = c.DictOfItems(CommitName(), default={})
    """Per document, the commit or tag at which it was first published: that state is
    edition 1 and earlier commits (drafts) are ignored. Without it the whole history counts."""
    edition_dates = c.ListOfItems(c.SubConfig(EditionDate), default=[])
    """Corrections of editions' dates, for a wrong date in a commit that later commits have buried (a typo
    in ``edition_date``, a computer's clock): each item dates edition ``edition`` of ``document``. A date
    already published changes only with ``ALLOW_HISTORY_REWRITE=1`` (the publishing guard)."""
    main_branch = c.Type(str, default="main")
    """The branch the site is published from. At a merge whose message is git's own for merging it into
    another line («Merge branch 'main' of …» from ``git pull``), the main line follows the merge's second
    parent (README «Редакции»)."""
    timezone = TimeZone(default="Europe/Moscow")

    def corrected_dates(self) -> dict[str, dict[int, date]]:
        """``edition_dates`` by document and edition number, as ``history.repository.read_editions`` takes them."""
        corrected: dict[str, dict[int, date]] = {}
        for item in self.edition_dates:
            corrected.setdefault(item.document, {})[item.edition] = item.date
        return corrected

    """The site's time zone: an edition is dated by the day it went live there (written to editions.json)."""

    # Settings for clauses
    clause_anchors = c.Type(bool, default=True)
    """Give every numbered clause the anchor ``p<number>`` (``#p2.1``)."""

    # Settings for the consent banner
    consent = c.SubConfig(ConsentConfig)
    """The cookie-consent banner; see ``ConsentConfig``."""
