"""Where a past edition's relative images and links lead, now that its text lives at ``editions/N/``.

A permanent copy must show what was published: its images as they were at the edition's commit
(published beside the copy, so a later change or removal does not touch it), and its links to other
pages of the site where those pages were, relative so the site works under any path and from any
static server. Nothing here reads git or knows MkDocs: the plugin passes paths in and files out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

MEDIA_FOLDER = "media"
"""Beside an edition's page: ``editions/N/media/<path in docs/>`` holds the images it showed."""


@dataclass(frozen=True)
class Target:
    path: str
    """The file it names, relative to ``docs/`` (``"img/scheme.png"``, ``"terms.md"``, ``"delivery/"``)."""
    suffix: str
    """``?query#fragment`` as written, to be kept."""


def docs_target(url: str, document: str) -> Target | None:
    """Return what a relative-path ``url`` written in ``document`` (relative to docs/) names, else None.

    None for anything else: a scheme or a host, an absolute path, a bare ``#anchor`` or ``?query``,
    and a path that climbs out of docs/.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or url.startswith(("/", "\\")):
        return None
    joined = posixpath.join(posixpath.dirname(document), unquote(parts.path))
    path = posixpath.normpath(joined)
    if path == ".." or path.startswith("../") or path.startswith("/"):
        return None
    if joined.endswith("/") and path != ".":
        path += "/"
    elif path == ".":
        path = "./"
    suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return Target(path, suffix)


def relative_url(target: str, page_folder: str) -> str:
    """Return the URL of ``target`` (relative to the site's root) from a page whose URL is ``page_folder``."""
    start = page_folder.rstrip("/") or "."
    folder, name = posixpath.split(target)
    # From the folder, then the name: a file "terms" seen from "terms/editions/3/" is "../../../terms", not "../..".
    relative = posixpath.relpath(folder or ".", start)
    relative = f"{relative}/{name}" if name else f"{relative}/"
    return quote(relative.removeprefix("./") or "./", safe="/.-_~")


def media_uri(edition_folder: str, path: str) -> str:
    """Return where an edition's image ``path`` (relative to docs/) is published beside the edition."""
    return f"{edition_folder}{MEDIA_FOLDER}/{path}"


@dataclass
class EditionLinks:
    """The relative images and links of one edition's permanent copy, and the images to publish beside it."""

    document: str
    """The document's path relative to docs/ (``index.md``)."""
    folder: str
    """The copy's URL, relative to the site's root (``editions/3/``)."""
    read_image: Callable[[str], bytes | None]
    """The bytes of a file of docs/ at the edition's commit, None where it was absent."""
    page_url: Callable[[str], str]
    """Where MkDocs publishes a page of docs/ (``urls.page_url``: ``README.md`` is its folder's index)."""
    images: dict[str, bytes] = field(default_factory=dict)
    """Site-root-relative URI → bytes: what the copy shows, to publish beside it."""
    missing: list[str] = field(default_factory=list)
    """Images the edition showed from a file its commit does not have (broken then too), shown as their text."""

    def problems(self, source: str) -> list[str]:
        """Return the images of the copy of ``source`` (``docs/…``) shown as their text, one sentence each."""
        return [
            f"{source}: the image {missing} is shown as its text: it is not in the edition's commit."
            for missing in self.missing
        ]

    def url(self, tag: str, url: str) -> str | None:
        """Return where ``url`` of an ``<a>`` or ``<img>`` leads from the copy.

        None for an image that cannot be shown.
        """
        target = docs_target(url, self.document)
        if target is None:
            return url
        if tag != "img":
            page = self.page_url(target.path) if target.path.endswith(".md") else target.path.removeprefix("./")
            return relative_url(page, self.folder) + target.suffix
        uri = media_uri(self.folder, target.path)
        if uri not in self.images:
            image = self.read_image(target.path)
            if image is None:
                self.missing.append(f"{url} (docs/{target.path})")
                return None
            self.images[uri] = image
        return relative_url(uri, self.folder) + target.suffix
