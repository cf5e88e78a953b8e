"""The plugin's part of the site's theme: its templates folder, its styles, and the links its templates show.

They travel with the package, so a site that lists the plugin gets working history pages with ``theme: material``
alone; a site's own ``custom_dir`` can still override any of the templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..consent.assets import minify
from ..consent.banner import Banner
from .publication import PublishedDocument, feed_title

THEME_DIR = str(Path(__file__).parent.parent / "theme")
"""The templates the theme renders: the history, edition and changes pages, the footer partial, the sitemap."""


def stylesheet() -> str:
    """Return the plugin's stylesheet (``assets/policy.css``: the stamp, the footer links, the history pages)."""
    return (resources.files("alectro_policy") / "assets" / "policy.css").read_text(encoding="utf-8")


def style_element(banner_css: str | None) -> str:
    """Return the ``<style>`` every page carries in its head: :func:`stylesheet` and the banner's ``banner_css``
    (None without a banner), minified.

    Inline, not linked: a stylesheet ``<link>`` blocks the first paint until it arrives, and two more of them
    (besides Material's two) made the policy paint later than plain Material. The banner's styles are here
    too, so that the banner is styled the moment consent.js shows it. The element's text is the same on every
    page of a build, so one CSP hash allows it (deploy/nginx.conf's style-src; tests/deploy checks it).
    """
    css = minify(stylesheet(), "css") + (banner_css or "")
    return f"<style>{css}</style>"


def with_style(html: str, style: str) -> str:
    """Return the page ``html`` with ``style`` last in its head (after Material's stylesheets, which it
    overrides), or unchanged when it has no ``</head>``. The first ``</head>`` is the head's: the page's text
    cannot hold one unescaped."""
    before, end, after = html.partition("</head>")
    return before + style + end + after if end else html


def page_documents(documents: Iterable[PublishedDocument], views: Mapping[str, Any]) -> dict[str, PublishedDocument]:
    """Return, per page ``src_uri``, the document it belongs to: a document's page and every page of its history
    (``views``: generated pages by ``src_uri``, each with its ``document``)."""
    found = {document.editions_of.path: document for document in documents}
    found.update({src_uri: view.document for src_uri, view in views.items()})
    return found


@dataclass(frozen=True)
class Feed:
    """A document's Atom feed, as a page's head links it."""

    url: str
    """Site-root-relative, for the ``url`` filter."""
    title: str
    """Plain text: the feed's own title."""


def theme_dirs_with_plugin(dirs: list[str], custom_dir: str | None) -> list[str]:
    """Return the theme's template folders ``dirs`` with :data:`THEME_DIR` among them: right after the site's
    ``custom_dir`` (which still overrides the plugin's templates), else first (before the theme's own, which the
    plugin's footer and sitemap replace). Unchanged when it is already there."""
    if THEME_DIR in dirs:
        return dirs
    at = dirs.index(custom_dir) + 1 if custom_dir in dirs else 0
    return [*dirs[:at], THEME_DIR, *dirs[at:]]


@dataclass(frozen=True)
class ThemeLinks:
    """The Jinja global ``alectro_policy``: what the footer, the 404 page and the history pages link to."""

    history_url: str | None
    """The history of editions (site-root-relative, for the ``url`` filter); None before the first edition."""
    banner: Banner | None
    """The consent banner; None when it is off."""
    documents: Mapping[str, PublishedDocument] = field(default_factory=dict)
    """Per page (its ``src_uri``) of a document or of its history, that document (:func:`page_documents`)."""

    def history_for(self, page: Any) -> str | None:
        """Return the history the footer of ``page`` links: its own document's on a document's page or history
        pages, else the first document's (``history_url``)."""
        document = self._document_of(page)
        return document.history_url if document else self.history_url

    def feed_for(self, page: Any) -> Feed | None:
        """Return the feed the head of ``page`` links: its document's, on a document's page or history pages; None
        on any other page."""
        document = self._document_of(page)
        return Feed(document.feed_url, feed_title(document)) if document else None

    def _document_of(self, page: Any) -> PublishedDocument | None:
        src_uri = getattr(getattr(page, "file", None), "src_uri", None)
        return self.documents.get(src_uri) if src_uri else None

    def consent_link(self, base_url: str) -> dict[str, str] | None:
        """Return the «Настройки cookies» link (``href``, ``text``) for a page whose site root is ``base_url``;
        None without a banner."""
        return self.banner.footer_link(base_url) if self.banner else None
