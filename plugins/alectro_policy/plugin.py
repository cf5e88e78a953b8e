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
