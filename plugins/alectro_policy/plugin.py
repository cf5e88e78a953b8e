"""MkDocs adapter: the events of a build, delegating to the domain modules."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger

from .clauses import ClauseAnchorsExtension
from .config import PolicyConfig

log = get_plugin_logger(__name__)


class PolicyPlugin(BasePlugin[PolicyConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if self.config.clause_anchors:
            config.markdown_extensions.append(ClauseAnchorsExtension())
        return config

    # -- shared with the consent banner ------------------------------------------------

    def _consent_edition(self):
        """The edition of the main policy a visitor's consent is bound to, or None (no history).

        Returns an object with ``number`` (int: the latest edition that is not editorial),
        ``current_number`` (int), ``date`` (``datetime.date`` of that edition),
        ``date_text`` (str, «24 ноября 2026 г.») and ``changes_url`` (str relative to the
        site root, e.g. ``"editions/3/changes/"``, or None for edition 1).
        Filled in by the editions work; a stub until then.
        """
        return None
