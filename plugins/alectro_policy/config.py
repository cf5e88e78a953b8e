"""The plugin's options: the one place where they are declared."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import base
from mkdocs.config import config_options as c

from .consent.banner import cookie_pattern_matches
from .consent.cookie import NECESSARY
from .dates import parse_day
from .history.published import PublishedEditions
from .history.site_editions import EditionsRequest
from .text.clauses import CLAUSE_ANCHOR
from .text.safe_links import is_site_path


class ClauseName(c.Type):
    """A clause of the policy: by its anchor (``p2.2``), or by words it contains (``информация из cookies``), which
    follow it when clauses are renumbered. The words are looked up in the text at build time
    (``consent.banner.cookie_clause_anchor``)."""

    def __init__(self, default: str):
        super().__init__(str, default=default)

    def run_validation(self, value):
        text = " ".join(super().run_validation(value).split())
        anchor = CLAUSE_ANCHOR.fullmatch(text)
        if anchor:
            return anchor[1]
        if not re.search(r"[^\W\d_]", text):
            raise c.ValidationError(
                f"'{value}' names no clause: write words of the clause on cookies as the policy says them, such as "
                f"'информация из cookies' (the link then follows the clause when clauses are renumbered), or its "
                f"anchor, such as 'p2.2'"
            )
        return text


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


class ListedDocuments(c.ListOfItems):
    """Documents named again by another option: each must be one of ``documents`` (checked when the config
    loads, so ``make changes`` and ``make build`` refuse it alike)."""

    def __init__(self, option: str):
        super().__init__(DocumentPath(), default=[])
        self._option = option

    def post_validation(self, config, key_name):
        listed = config.get("documents") or []
        unknown = [path for path in config[key_name] if path not in listed]
        if unknown:
            raise c.ValidationError(
                f"'{self._option}' names {', '.join(unknown)}, which 'documents' does not list "
                f"({', '.join(listed)}): name listed documents, relative to docs/"
            )


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
        try:
            return parse_day(value)
        except ValueError as error:
            raise c.ValidationError(f"'{value}': {error}") from None


class Matching(c.Type):
    """A string matching ``pattern``, else refused with ``fix`` (``{value}`` in it is the value read)."""

    def __init__(self, pattern: str, fix: str, **kwargs):
        super().__init__(str, **kwargs)
        self._pattern = re.compile(pattern)
        self._fix = fix

    def run_validation(self, value):
        text = super().run_validation(value)
        if not self._pattern.fullmatch(text):
            raise c.ValidationError(self._fix.format(value=text))
        return text


class EmptyIsUnset(Matching):
    """A :class:`Matching` string, or '' read as unset (None), as releases before config-load checks read it."""

    def run_validation(self, value):
        return None if value == "" else super().run_validation(value)


class AtLeast(c.Type):
    """A whole number of at least ``minimum``."""

    def __init__(self, minimum: int, fix: str, **kwargs):
        super().__init__(int, **kwargs)
        self._minimum = minimum
        self._fix = fix

    def run_validation(self, value):
        number = super().run_validation(value)
        if number < self._minimum:
            raise c.ValidationError(self._fix)
        return number


class SitePath(c.Type):
    """A path on the site's own origin, such as ``/privacy/consent-log``, judged by ``text.safe_links`` as a
    browser resolves it from any page."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        path = super().run_validation(value)
        if not is_site_path(path):
            raise c.ValidationError(
                f"'{path}' is not a path on this site; write one such as '/privacy/consent-log' "
                f"(choices are sent only to the shop's own server, never to another host)"
            )
        return path


class LogPath(SitePath):
    """``log_url``: a path on this site that names a file, not a folder: the shipped nginx location is the exact
    path (``location = /privacy/consent-log``), which nginx would not match with a trailing slash."""

    def run_validation(self, value):
        path = super().run_validation(value)
        if path.endswith("/"):
            raise c.ValidationError(
                f"'{path}' ends with '/': nginx logs the exact path of its consent-log location (deploy/nginx.conf), "
                f"so write it without the slash, such as '/privacy/consent-log'"
            )
        return path


class Listed:
    """A check after the whole config is read: the documents an option names are among ``documents``."""

    @staticmethod
    def refuse_unlisted(config, names, option: str) -> None:
        documents = config.get("documents") or []
        unknown = sorted(set(names) - set(documents))
        if unknown:
            raise c.ValidationError(
                f"'{option}' names {', '.join(unknown)}, which 'documents' does not list "
                f"({', '.join(documents)}): add it to 'documents' (paths relative to docs/) or correct the name"
            )


class FirstPublished(c.DictOfItems):
    def post_validation(self, config, key_name):
        Listed.refuse_unlisted(config, config[key_name], key_name)


class EditionDates(c.ListOfItems):
    def post_validation(self, config, key_name):
        Listed.refuse_unlisted(config, [item.document for item in config[key_name]], key_name)


class Categories(c.ListOfItems):
    """The optional categories: distinct ids, none the built-in «Необходимые», none deleting the consent cookie."""

    def run_validation(self, value):
        categories = super().run_validation(value)
        seen = {NECESSARY}
        for category in categories:
            if category.id in seen:
                raise c.ValidationError(
                    f"the id '{category.id}' is "
                    + ("built in (always on); remove it" if category.id == NECESSARY else "used twice; rename one")
                )
            seen.add(category.id)
        return categories

    def post_validation(self, config, key_name):
        name = config["cookie_name"]
        for category in config[key_name]:
            for pattern in category.cookies:
                if cookie_pattern_matches(pattern, name):
                    raise c.ValidationError(
                        f"the category '{category.id}' lists the cookie '{pattern}' among its cookies, and that "
                        f"matches the consent cookie '{name}' itself: withdrawing the category would delete the "
                        f"visitor's choice, and the banner would return on every page. List only the category's "
                        f"own cookies (names, or prefixes such as '_ga*')"
                    )


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
