"""The addresses a moved document had: each keeps leading to the same page at the document's new address.

A permanent address is permanent: after ``git mv docs/index.md docs/privacy.md`` the page ``editions/3/``
still exists, as a page that sends the visitor to ``privacy/editions/3/`` (a meta refresh and a link, no
JavaScript, relative so the site works under a sub-path). An edition's file as committed (``source.md``) is
published at its old address too, byte for byte, so that a checksum check made with an old link still
works. Nothing here knows MkDocs: the plugin renders the pages and skips an address a page now occupies.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment

from .. import urls
from .publication import PublishedDocument


@dataclass(frozen=True)
class Redirect:
    url: str
    """The old address, relative to the site's root (a directory URL: ``editions/3/``)."""
    target: str
    """The new address, relative to the site's root (``privacy/editions/3/``)."""

    @property
    def uri(self) -> str:
        """The file that serves it: ``editions/3/index.html``."""
        return f"{self.url}index.html"

    @property
    def relative_target(self) -> str:
        """The new address as a link from the old page."""
        return urls.web_path(urls.relative(self.url, self.target))


@dataclass(frozen=True)
class OldAddresses:
    redirects: tuple[Redirect, ...]
    sources: tuple[tuple[str, bytes], ...]
    """(old ``source.md`` address, the edition's file as committed)."""
    feeds: tuple[str, ...]
    """Where the document's feed was (a feed reader follows no meta refresh: the feed is written there too)."""


def old_addresses(document: PublishedDocument) -> OldAddresses:
    """Return what must exist at the addresses ``document`` had before it was moved (empty if it never was).

    A former path outside ``docs/`` had no address on this site (``PublishedDocument.former_urls``).
    """
    redirects: list[Redirect] = []
    sources: list[tuple[str, bytes]] = []
    feeds: list[str] = []
    for old, editions in document.former_urls:
        if old == document.url:
            continue  # e.g. terms.md → terms/index.md: the same addresses
        redirects.append(Redirect(old, document.url))
        redirects.append(Redirect(urls.history_url(old), document.history_url))
        for record in document.records[:editions]:
            redirects.append(Redirect(urls.edition_url(old, record.number), record.text_url))
            if record.changes_url:
                redirects.append(Redirect(urls.changes_url(old, record.number), record.changes_url))
            sources.append((urls.source_url(old, record.number), record.edition.source))
        feeds.append(urls.feed_url(old))
    return OldAddresses(tuple(redirects), tuple(sources), tuple(feeds))


def redirect_pages(
    documents: list[PublishedDocument], taken: set[str], environment: Environment, site_url: str | None
) -> list[tuple[str, str]]:
    """Return the pages (site-root-relative path, HTML) that keep every moved document's old addresses, rendered
    with ``redirect.html`` of ``environment`` (the plugin's templates).

    An address that a file of the site now occupies (``taken``, the files' destination paths: e.g. a new
    ``index.md`` where the policy was) stays that file's.
    """
    template = environment.get_template("redirect.html")
    files: list[tuple[str, str]] = []
    for document in documents:
        for redirect in old_addresses(document).redirects:
            if redirect.uri not in taken:
                taken.add(redirect.uri)
                canonical = urls.absolute(site_url or "/", redirect.target)
                page = template.render(target=redirect.relative_target, canonical=canonical, title=document.title)
                files.append((redirect.uri, page))
    return files


def feed_addresses(documents: list[PublishedDocument]) -> list[tuple[PublishedDocument, str]]:
    """Return where each document's feed is written: its own address, and those it had before a move that no
    other document's feed now uses."""
    own = [(document, document.feed_url) for document in documents]
    taken = {url for _, url in own}
    former = [(document, url) for document in documents for url in old_addresses(document).feeds if url not in taken]
    return own + former


def source_addresses(documents: list[PublishedDocument]) -> list[tuple[str, bytes]]:
    """Return where each edition's file as committed is published (``editions/3/source.md``), byte for byte, so
    that its SHA-256 is the edition's: its own address, and those of a moved document's former paths that no
    document's edition now uses (written after the build: MkDocs would render a ``.md`` file as a page)."""
    own = [(record.source_url, record.edition.source) for document in documents for record in document.records]
    taken = {url for url, _ in own}
    former = [item for document in documents for item in old_addresses(document).sources if item[0] not in taken]
    return own + former
