"""MkDocs adapter: the events of a build, delegating to the domain modules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.pages import Page

from . import git_history
from .clauses import ClauseAnchorsExtension
from .config import PolicyConfig
from .dates import long_date
from .editions import DocumentHistory, EditionError
from .history import Histories, read_histories

log = get_plugin_logger(__name__)

_FIRST_H1_END = re.compile(r"</h1>", re.IGNORECASE)


@dataclass(frozen=True)
class ConsentEdition:
    number: int
    """The latest edition that is not editorial: consent given before it is asked again."""
    current_number: int
    date: date
    date_text: str
    changes_url: str | None
    """Relative to the site root, e.g. ``editions/3/changes/``; None for edition 1."""


def _document_url(path: str) -> str:
    """The site-root-relative URL of a document with directory URLs: ``index.md`` → ``""``, ``terms.md`` → ``terms/``."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


class PolicyPlugin(BasePlugin[PolicyConfig]):
    def __init__(self):
        self._command = "build"
        self._histories: Histories | None = None
        self._templates = Environment(
            loader=PackageLoader("alectro_policy", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            keep_trailing_newline=False,
        )
        self._templates.filters["long_date"] = long_date

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if self.config.clause_anchors:
            config.markdown_extensions.append(ClauseAnchorsExtension())
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        self._histories = self._read_histories(config)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files) -> str | None:
        history = self._history_of(page)
        if history and history.current and not history.draft:
            # The edition's date, not the build's: two builds of one commit give the same sitemap.
            page.update_date = history.current.date.isoformat()
        return None

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files) -> str | None:
        history = self._history_of(page)
        if history is None:
            return None
        stamp = self._templates.get_template("stamp.html").render(
            current=history.current, draft=history.draft, history_url="editions/"
        )
        html, found = _FIRST_H1_END.subn(lambda match: match.group(0) + stamp, html, count=1)
        return html if found else stamp + html

    # -- helpers -----------------------------------------------------------------------

    def _read_histories(self, config: MkDocsConfig) -> Histories:
        docs_dir = Path(config.docs_dir)
        try:
            histories = read_histories(
                docs_dir, self.config.documents, self.config.first_published, ZoneInfo(self.config.timezone)
            )
        except (git_history.GitError, EditionError) as error:
            raise PluginError(f"Editions: {error}") from None
        if histories.outside_git:
            message = (
                "Editions: the site is not in a git repository (or it has no commits), so the policy is stamped "
                "as an unpublished draft. Build from a git clone of the repository to publish it."
            )
            if config.strict:
                raise PluginError(message)
            log.warning(message)
        else:
            for path in histories.drafts():
                message = (
                    f"Editions: docs/{path} has uncommitted changes, shown as a draft of the next edition. "
                    f"Commit them (git commit -am \"what changed\") before publishing."
                )
                if config.strict and self._command != "serve":
                    raise PluginError(message)
                log.info(message)
        return histories

    def _history_of(self, page: Page) -> DocumentHistory | None:
        if self._histories is None:
            return None
        return self._histories.documents.get(page.file.src_uri)

    # -- shared with the consent banner ------------------------------------------------

    def _consent_edition(self) -> ConsentEdition | None:
        """The edition of the main policy (the first of ``documents``) that consent is bound to.

        None when there is no published edition (no git history yet).
        """
        if self._histories is None:
            return None
        history = self._histories.documents.get(self.config.documents[0])
        if history is None or history.consent_edition is None:
            return None
        edition = history.consent_edition
        return ConsentEdition(
            number=edition.number,
            current_number=history.current.number,
            date=edition.date,
            date_text=long_date(edition.date),
            changes_url=_document_url(history.path) + f"editions/{edition.number}/changes/" if edition.number > 1 else None,
        )
