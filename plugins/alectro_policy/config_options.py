"""The plugin's own kinds of option, each checked when the config loads (as MkDocs' ``config_options``):
``config.py`` declares the options with them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import config_options as c

from .consent.banner import cookie_pattern_matches
from .consent.cookie import NECESSARY
from .dates import parse_day
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
