"""What ``make serve`` keeps from one rebuild to the next, so that a save recomputes only what it changes.

MkDocs rebuilds the whole site on every save, and keeps the plugin's instance between rebuilds. The history is read
from git once per commit checked out (``Preview.editions``); a save of a document changes its draft: its page, its
draft's changes page. The history page and every edition's text and
changes page read the committed history only, so each is rendered once and then written from here as it was, as long as
nothing else they show changed (``site_key``: the history, ``mkdocs.yml``, the theme, the other pages and the
documents' titles, which the navigation shows). Each edition is compared with the previous one once per history, not
once per save.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from alectro_published.editions_file import site_today

from ..history import git
from ..history.editions import DocumentEditions
from ..history.repository import Repository
from ..history.site_editions import BuildRead, EditionsRequest, read_for_build, redraft
from ..urls import page_url
from .edition_views import EditionPageView, EditionView
from .publication import PublishedDocument, document_title, published_document


def site_key(config: Any, files: Any, documents: Mapping[str, DocumentEditions]) -> str:
    """Return what every page of the site shows besides its own content, as one digest: MkDocs' ``config`` (its file,
    ``mkdocs.yml``, and its theme's own folder, ``custom_dir``: its files' names and times), the site's other pages
    (MkDocs' ``files``: their titles are in the navigation), each document's committed editions and its title as it
    is now (``documents``: a draft may retitle it)."""
    config_file, custom_dir = config.config_file_path, config.theme.custom_dir
    pages = [(f.src_uri, f.abs_src_path) for f in files.documentation_pages() if f.abs_src_path]
    digest = hashlib.sha256(Path(config_file).read_bytes() if config_file else b"")
    for path, name in sorted(pages):
        if path not in documents:
            digest.update(f"\0page\0{path}\0".encode() + hashlib.sha256(Path(name).read_bytes()).digest())
    for path, history in sorted(documents.items()):
        now = history.draft or history.current
        title = document_title(now.text, path, now.source) if now else path
        commits = ",".join(edition.commit for edition in history.editions)
        digest.update(f"\0document\0{path}\0{history.source_path}\0{title}\0{commits}".encode())
    for theme_file in sorted(Path(custom_dir).rglob("*")) if custom_dir else []:
        digest.update(f"\0theme\0{theme_file}\0{theme_file.stat().st_mtime_ns}".encode())
    return digest.hexdigest()


HeldPage = tuple[tuple[str, Path], ...]
"""An edition's page as a rebuild wrote it: each file to write instead of rendering it (its HTML, then the pictures
it shows) as (path in the site, where it is kept)."""


class Preview:
    """One ``mkdocs serve``'s published documents and written edition pages, kept between its rebuilds (the pages
    in a temporary folder of their own, removed with it)."""

    def __init__(self, active: bool = False) -> None:
        self.active = active
        """Whether pages are kept at all: under ``mkdocs serve`` only (a build writes each page once)."""
        self._published: dict[str, PublishedDocument] = {}
        self._key: str | None = None
        self._pages: dict[str, HeldPage] = {}
        self._pictures: dict[str, Mapping[str, bytes]] = {}
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._read: tuple[object, BuildRead] | None = None
        self._git: tuple[Path, tuple[Path, Path]] | None = None
        """The work tree's top and its ``git.git_folders``, found once."""

    def history(self, options: EditionsRequest, command: str) -> BuildRead:
        """Return ``history.site_editions.read_for_build(options, command)``, read from git once for as long as git's
        refs (``git.refs_stamp``: the commit checked out, the branches, the publish tags), the options (``options``:
        ``editions_request``, made without git) and the day stay the same. Meanwhile only the drafts are made again
        from the work tree (``redraft``), with no git process unless a document shows a picture or a branch's
        commit says ``Edition: editorial``."""
        key = (options, site_today(options.zone), git.refs_stamp(self._git[1]) if self._git else None)
        if self._git is not None and self._read is not None and self._read[0] == key:
            repository = Repository(self._git[0])
            kept = self._read[1]
            return replace(kept, site=redraft(kept.site, kept.request, repository), repository=repository)
        found = read_for_build(options, command)
        root = found.site.root
        if not self.active or root is None:
            self._git, self._read = None, None
            return found
        if self._git is None or self._git[0] != root:
            self._git = (root, git.git_folders(root))
            # Stamped after the first reading; later ones are stamped before, so a commit made meanwhile counts.
            key = (*key[:2], git.refs_stamp(self._git[1]))
        self._read = (key, found)
        return found

    def published(
        self, documents: Iterable[DocumentEditions], anchored: Callable[[str], bool]
    ) -> list[PublishedDocument]:
        """Return the published view of each of ``documents`` that has editions (``publication.published_document``,
        ``anchored``: whether a document's pages anchor clauses), made again only for a document whose committed
        editions changed since the last rebuild; for the others only the draft is new."""
        published = []
        for history in (history for history in documents if history.editions):
            kept = self._published.get(history.path)
            if kept is None or not _same_editions(kept.editions_of, history):
                kept = published_document(history, page_url, anchored(history.path))
            else:
                kept = replace(kept, editions_of=history)
            published.append(kept)
        self._published = {document.editions_of.path: document for document in published}
        return published

    def held(self, views: Iterable[EditionView], key: str) -> set[str]:
        """Return the ``src_uri`` of each of ``views`` whose page the last rebuild wrote and this one writes as it was
        (``write_held``): none when what every page shows changed (``key``: ``site_key``). Forget the others."""
        if not self.active or key != self._key:
            self._key, self._pages = key, {}
        wanted = {view.src_uri for view in views if _kept(view)}
        self._pages = {uri: page for uri, page in self._pages.items() if uri in wanted}
        return set(self._pages)

    def write_held(self, site_dir: Path) -> None:
        """Put the held pages (``held``) into ``site_dir``, each file a hard link to the one kept (a copy where the two
        folders are on different file systems): MkDocs copying them would take longer than rendering the draft."""
        for uri, kept in (file for page in self._pages.values() for file in page):
            target = site_dir / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            try:
                os.link(kept, target)
            except OSError:
                shutil.copyfile(kept, target)

    def shown(self, view: EditionView | None, pictures: Mapping[str, bytes]) -> Iterable[tuple[str, bytes]]:
        """Note the pictures ``view``'s page shows (``edition_links.EditionLinks.images``) as it is rendered; return
        them, by their path in the site."""
        if self.active and view is not None and _kept(view):
            self._pictures[view.src_uri] = pictures
        return pictures.items()

    def written(self, view: EditionView | None, html: str) -> str:
        """Keep ``view``'s page as written (``html``) for the next rebuild, if it shows the committed history only;
        return ``html``."""
        if not self.active or view is None or not _kept(view):
            return html
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="alectro-preview-")
        site_uri = view.src_uri.removesuffix(".md") + ".html"
        files = {site_uri: html.encode("utf-8"), **self._pictures.pop(view.src_uri, {})}
        page = []
        for uri, content in files.items():
            kept = Path(self._folder.name) / hashlib.sha256(uri.encode()).hexdigest()
            kept.write_bytes(content)
            page.append((uri, kept))
        self._pages[view.src_uri] = tuple(page)
        return html

    def close(self) -> None:
        """Remove the folder the pages are kept in (else removed when the preview is let go, or Python exits)."""
        if self._folder is not None:
            self._folder.cleanup()
        self._folder, self._pages = None, {}


def _kept(view: EditionView) -> bool:
    """A document's history page and each edition's text and changes pages show the committed history only; a
    draft's pages show the document as it is now."""
    return not isinstance(view, EditionPageView) or view.kind in ("text", "changes")


def _same_editions(before: DocumentEditions, now: DocumentEditions) -> bool:
    same = before.source_path == now.source_path and before.former_paths == now.former_paths
    return same and before.editions == now.editions
