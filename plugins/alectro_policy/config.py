"""The plugin's options: the one place where they are declared."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class ConsentConfig(base.Config):
    """Options of the cookie-consent banner (``consent:`` under the plugin)."""

    enabled = c.Type(bool, default=True)
    """Inject the consent banner into every page."""


class PolicyConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off (for example to time a plain build)."""

    # Settings for clauses
    clause_anchors = c.Type(bool, default=True)
    """Give every numbered clause the anchor ``p<number>`` (``#p2.1``)."""

    # Settings for the consent banner
    consent = c.SubConfig(ConsentConfig)
    """The cookie-consent banner; see ``ConsentConfig``."""
