"""The plugin's options: the one place where they are declared."""

from __future__ import annotations

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


class ConsentConfig(base.Config):
    """Options of the cookie-consent banner (``consent:`` under the plugin)."""

    enabled = c.Type(bool, default=True)
    """Inject the consent banner into every page."""


class PolicyConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off (for example to time a plain build)."""

    # Settings for editions
    documents = c.ListOfItems(c.Type(str), default=["index.md"])
    """The policy documents whose editions are tracked, as paths relative to ``docs/``."""
    first_published = c.DictOfItems(c.Type(str), default={})
    """Per document, the commit or tag at which it was first published: that state is
    edition 1 and earlier commits (drafts) are ignored. Without it the whole history counts."""
    timezone = TimeZone(default="Europe/Moscow")
    """The site's time zone: an edition is dated by the day it reached the main line there."""

    # Settings for clauses
    clause_anchors = c.Type(bool, default=True)
    """Give every numbered clause the anchor ``p<number>`` (``#p2.1``)."""

    # Settings for the consent banner
    consent = c.SubConfig(ConsentConfig)
    """The cookie-consent banner; see ``ConsentConfig``."""
