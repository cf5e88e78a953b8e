"""The plugin's options: the one place where they are declared (their own kinds in ``config_options.py``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs.config import base
from mkdocs.config import config_options as c

from .config_options import (
    AtLeast,
    Categories,
    ClauseName,
    CommitName,
    DayOption,
    DocumentPath,
    EditionDates,
    EmptyIsUnset,
    FirstPublished,
    Listed,
    ListedDocuments,
    LogPath,
    Matching,
    NonEmptyList,
    TimeZone,
)
from .history.published import PublishedEditions
from .history.site_editions import EditionsRequest


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

        id = Matching(
            r"[a-z][a-z0-9_-]*",
            "'{value}' is not a usable id; use lower-case Latin letters, digits, '-' or '_', starting with a letter "
            "(for example 'analytics')",
        )
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
    categories = Categories(
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
    cookie_clause = ClauseName(default="p2.2")
    """The policy's clause on cookies, linked from the banner: words it contains (``информация из cookies``: the
    link follows the clause when clauses are renumbered), or its anchor (``p2.2``: the number, whatever clause
    has it; ``make changes`` warns when that clause moves)."""

    # Settings for the document consent is given under
    document = c.Optional(DocumentPath())
    """One of ``documents`` (e.g. ``cookies.md``): the separate consent document. The banner names it and links
    its edition in force, the cookie records its edition, and a new substantive edition of it (not of the policy)
    asks again. Unset: consent is bound to the policy, the first of ``documents``."""

    # Settings for the consent log
    log_url = c.Optional(LogPath())
    """A path on this site (e.g. ``/privacy/consent-log``) that every choice is sent to once, as a GET with the
    consent ID, categories, document, edition, its SHA-256 and the time (``deploy/nginx.conf`` logs it). Unset:
    no request."""

    # Settings for the consent cookie
    cookie_name = Matching(
        r"[A-Za-z0-9_-]+",
        "'{value}' cannot be a cookie name; use Latin letters, digits, '_' or '-'",
        default="alectro_consent",
    )
    """The first-party cookie holding the choice (path ``/``, so the shop's site can read it)."""
    cookie_domain = c.Optional(
        EmptyIsUnset(
            r"\.?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?",
            "'{value}' is not a domain name; write the shop's domain, e.g. 'alectro.ru' (the cookie is then shared "
            "with its subdomains), or leave it unset for this host only",
        )
    )
    """Its ``Domain`` attribute, e.g. ``alectro.ru`` to share it with subdomains; unset: this host only."""
    cookie_days = AtLeast(1, "a choice must last at least one day (the default is 365)", default=365)
    """How long a choice lasts, in days: then the banner asks again."""

    # Settings for Yandex Metrica
    metrica_counter_env = c.Type(str, default="YANDEX_METRICA_ID")
    """The environment variable read at build time for the counter number; unset or empty: no Metrica tag."""
    metrica_category = c.Type(str, default="analytics")
    """The category that must be granted before the Metrica tag loads."""


class ConsentOption(c.SubConfig[ConsentConfig]):
    def post_validation(self, config, key_name):
        document = config[key_name].document
        if document is not None:
            Listed.refuse_unlisted(config, [document], f"{key_name}.document")
            if document == (config.get("documents") or [None])[0]:
                raise c.ValidationError(
                    f"'{key_name}.document' names {document}, the policy itself (the first of 'documents'), not a "
                    f"separate consent document: leave '{key_name}.document' unset to bind consent to the policy, or "
                    f"name the consent document"
                )


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
    first_published = FirstPublished(CommitName(), default={})
    """Per document, the commit or tag at which it was first published: that state is
    edition 1 and earlier commits (drafts) are ignored. Without it the whole history counts."""
    edition_dates = EditionDates(c.SubConfig(EditionDate), default=[])
    """Corrections of editions' dates, for a wrong date in a commit that later commits have buried (a typo
    in ``edition_date``, a computer's clock): each item dates edition ``edition`` of ``document``. A date
    already published changes only with ``ALLOW_HISTORY_REWRITE=1`` (the publishing guard)."""
    main_branch = c.Type(str, default="main")
    """The branch the site is published from. At a merge whose message is git's own for merging it into
    another line («Merge branch 'main' of …» from ``git pull``), the main line follows the merge's second
    parent (guides/editor.md «Редакции»)."""
    timezone = TimeZone(default="Europe/Moscow")
    """The site's time zone: an edition is dated by the day it went live there (written to editions.json)."""

    def corrected_dates(self) -> dict[str, dict[int, date]]:
        """``edition_dates`` by document and edition number, as ``EditionsRequest.corrected_dates`` takes them."""
        corrected: dict[str, dict[int, date]] = {}
        for item in self.edition_dates:
            corrected.setdefault(item.document, {})[item.edition] = item.date
        return corrected

    def editions_request(
        self, docs_dir: Path, revision: str = "HEAD", published: PublishedEditions | None = None
    ) -> EditionsRequest:
        """The options as ``history.site_editions.read_editions`` takes them: the one place they are handed over
        (the build, ``make changes``). ``revision``: whose main line; ``published``: the live record."""
        return EditionsRequest(
            docs_dir,
            list(self.documents),
            ZoneInfo(self.timezone),
            dict(self.first_published),
            self.corrected_dates(),
            self.main_branch,
            revision,
            published,
        )

    # Settings for clauses
    clause_anchors = c.Type(bool, default=True)
    """Give every numbered clause the anchor ``p<number>`` (``#p2.1``), on every page of the site."""
    without_clauses = ListedDocuments("without_clauses")
    """Listed documents whose text has no numbered clauses of its own (a delivery or terms page): no clause
    anchors on their pages, and a strict build does not ask for a numbered clause. The other documents must
    keep at least one (an emptied or overwritten file is refused)."""

    def anchored(self, document: str | None) -> bool:
        """Whether the page of ``document`` (relative to docs/; None: any other page) gives its clauses anchors
        (``#p2.1``): ``clause_anchors`` on, and the document not declared ``without_clauses``."""
        return bool(self.clause_anchors) and document not in self.without_clauses

    # Settings for the consent banner
    consent = ConsentOption()
    """The cookie-consent banner; see ``ConsentConfig``."""
