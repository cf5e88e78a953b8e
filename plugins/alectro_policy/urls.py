"""Every URL of the plugin's pages, in one place: derived from the URL of a document's page.

A document's own URL is MkDocs' (``page_url``: MkDocs' own rule for ``File.url``, which a test compares it with:
``README.md`` is its folder's index, a space stays a space here).
URLs here are relative to the site's root, as MkDocs' ``page.url`` is but not percent-encoded, in the directory
form MkDocs gives with ``use_directory_urls`` (which the plugin requires: ``plugin.on_config`` refuses the other
form, whose files would be ``editions/3.html``). The templates turn them into page-relative links with MkDocs' ``url``
filter; ``editions.json`` and the feed make them absolute with :func:`absolute`.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

DIRECTORY_URLS_ONLY = (
    "mkdocs.yml: 'use_directory_urls: false' is not supported by the alectro-policy plugin: the permanent "
    "addresses of editions (editions/N/), editions.json, the feed and the stamp's links are directory URLs, which "
    "would lead to 404 pages. Remove 'use_directory_urls: false' from mkdocs.yml."
)
"""Why the plugin refuses a site whose pages are ``name.html`` files."""

HISTORY_DIR = "editions"
DRAFT_DIR = "draft"
"""The preview of an uncommitted draft's changes, under the history: ``editions/draft/``."""
SOURCE_FILE = "source.md"
"""An edition's file as committed, beside its page: anyone can check its SHA-256 without the repository."""
FEED_FILE = "feed.xml"


def page_url(path: str) -> str:
    """Return where MkDocs publishes the page of docs/``path`` (a Markdown file), site-root-relative and not
    percent-encoded, as MkDocs' ``File(path, …, use_directory_urls=True).url`` gives it: ``index.md`` and
    ``README.md`` → ``""``, ``a b.md`` → ``a b/``, ``legal/README.md`` → ``legal/``; ``./terms.md`` (a path the
    option 'documents' accepts) → ``terms/``, as MkDocs reads it."""
    parent, filename = posixpath.split(posixpath.normpath(path))
    parent = "" if parent == "." else parent
    stem = posixpath.splitext(filename)[0]
    if stem not in ("index", "README"):
        return f"{posixpath.join(parent, stem)}/"
    return f"{parent}/" if parent else ""


def history_url(document: str) -> str:
    """The history of editions of the document whose page is at ``document``: ``editions/``, ``terms/editions/``."""
    return f"{document}{HISTORY_DIR}/"


def edition_url(document: str, number: int) -> str:
    """Edition ``number``'s permanent page: ``editions/3/``."""
    return f"{history_url(document)}{number}/"


def changes_url(document: str, number: int) -> str:
    """What edition ``number`` changed: ``editions/3/changes/``."""
    return f"{edition_url(document, number)}changes/"


def source_url(document: str, number: int) -> str:
    """Edition ``number``'s file as committed: ``editions/3/source.md``."""
    return f"{edition_url(document, number)}{SOURCE_FILE}"


def feed_url(document: str) -> str:
    """The Atom feed of the document's editions: ``editions/feed.xml``."""
    return f"{history_url(document)}{FEED_FILE}"


def history_sitemap_url(document: str) -> str:
    """The sitemap of the history's folder, which Material reads beside the feed a page's head links:
    ``editions/sitemap.xml``."""
    return f"{history_url(document)}sitemap.xml"


def draft_url(document: str) -> str:
    """The preview of the draft's changes (``make serve`` only): ``editions/draft/``."""
    return f"{history_url(document)}{DRAFT_DIR}/"


def relative_root(page_url: str) -> str:
    """The site's root seen from the page at ``page_url``.

    ``""`` → ``"."``, ``"editions/3/changes/"`` → ``"../../.."``.
    """
    depth = page_url.count("/")
    return "/".join([".."] * depth) if depth else "."


def relative(from_page: str, to: str) -> str:
    """``to`` as a link from the page at ``from_page`` (both site-root-relative): ``("", "editions/")`` →
    ``"editions/"``, ``("terms/", "terms/editions/")`` → ``"editions/"``."""
    if to.startswith(from_page):
        return to[len(from_page) :] or "./"
    return f"{relative_root(from_page)}/{to}"


def web_path(url: str) -> str:
    """``url`` percent-encoded as MkDocs encodes ``page.url``: ``"условия доставки/"`` →
    ``"%D1%83...%20%D0%B4...%D0%B8/"``. An address written outside HTML (``editions.json``, the feed) must be a URI:
    a space in it is no address at all."""
    return quote(url, safe="/")


def href(url: str) -> str:
    """``url`` (site-root-relative, perhaps with a ``#fragment``) percent-encoded for a page's link, before MkDocs'
    ``url`` filter makes it relative to the page: ``"условия доставки/#p2"`` → ``"%D1%83...%20%D0%B4...%D0%B8/#p2"``.
    A space is no address in HTML either (the Nu validator refuses it)."""
    path, mark, fragment = url.partition("#")
    return web_path(path) + mark + quote(fragment, safe="")


def absolute(site_url: str, url: str) -> str:
    """``url`` under the site's address, percent-encoded: ``("https://alectro.ru/privacy", "editions/")`` →
    ``"https://alectro.ru/privacy/editions/"``."""
    return site_url.rstrip("/") + "/" + web_path(url)
