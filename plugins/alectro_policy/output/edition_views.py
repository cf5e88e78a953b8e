"""The pages generated for a document's editions: where each lives and what it holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

import yaml
from markupsafe import escape

from .. import urls
from ..dates import long_date
from ..history.editions import DocumentEditions
from ..history.images import EditionImages
from ..text.document_text import split_front_matter
from .edition_links import EditionLinks
from .publication import EditionRecord, PublishedDocument, document_title, draft_record

PageKind = Literal["text", "changes", "draft", "committed"]
"""An edition's own pages: its text, its changes, and the preview of an uncommitted draft's changes."""
TEMPLATES = {
    "history": "editions.html",
    "text": "edition.html",
    "changes": "edition_changes.html",
    "draft": "edition_changes.html",
    "committed": "edition_committed.html",
}


@dataclass(frozen=True)
class HistoryView:
    """A document's history page: every edition listed, none shown."""

    document: PublishedDocument
    kind: ClassVar[Literal["history"]] = "history"

    @property
    def src_uri(self) -> str:
        return f"{self.document.history_url}index.md"

    @property
    def title(self) -> str:
        return f"История редакций — {self.document.title}"

    @property
    def archived(self) -> bool:
        return False

    @property
    def duplicates(self) -> str | None:
        return None

    def canonical_url(self, site_url: str | None) -> str | None:
        return _canonical_url(self, site_url)

    @property
    def description(self) -> str:
        return f"Все редакции документа «{self.document.title}»: их тексты, даты и изменения."

    @property
    def updated(self) -> date:
        """The day the page last changed: the current edition's."""
        current = self.document.current
        if current is None:
            raise ValueError(f"{self.document.editions_of.path} has no edition, so no history page")
        return current.edition.date

    def front_matter(self) -> str:
        return _front_matter(self)

    def body(self) -> str:
        return ""


@dataclass(frozen=True)
class EditionPageView:
    """A page of one edition (``record``): its text, its changes, or a draft's changes."""

    kind: PageKind
    document: PublishedDocument
    record: EditionRecord

    @property
    def src_uri(self) -> str:
        if self.kind == "committed":
            return f"{urls.draft_url(self.document.url)}index.md"
        url = self.record.text_url if self.kind == "text" else self.record.changes_url
        if url is None:
            raise ValueError(f"edition {self.record.number} of {self.document.editions_of.path} has no changes page")
        return f"{url}index.md"

    @property
    def title(self) -> str:
        # The edition's own title: a past edition may have had another one than the current.
        title = document_title(self.record.edition.text, self.document.title)
        if self.kind == "changes":
            return f"Изменения в редакции № {self.record.number} — {title}"
        if self.kind == "draft":
            return f"Проект редакции № {self.record.number}, не опубликован — {title}"
        if self.kind == "committed":
            return f"Проект стал редакцией № {self.record.number} — {title}"
        return f"Редакция № {self.record.number} — {title}"

    @property
    def archived(self) -> bool:
        """A past edition's text, or a draft's preview: not for search engines."""
        return self.kind in ("draft", "committed") or (self.kind == "text" and not self.record.is_current)

    @property
    def duplicates(self) -> str | None:
        """The page this one repeats (site-root-relative), None for none: the edition in force's copy is the text on
        the document's page. Search engines are pointed there (canonical) and the sitemap leaves the copy out."""
        return self.document.url if self.kind == "text" and self.record.is_current else None

    def canonical_url(self, site_url: str | None) -> str | None:
        """The page's canonical address when it is another page's (:attr:`duplicates`), under ``site_url``; None
        when it is its own, or the site has no address."""
        return _canonical_url(self, site_url)

    @property
    def description(self) -> str:
        """The page's own description for search engines (never the site's, which describes the policy)."""
        title = document_title(self.record.edition.text, self.document.title)
        edition = f"редакции № {self.record.number} от {long_date(self.record.edition.date)}"
        if self.kind == "text":
            return f"Текст {edition} документа «{title}»."
        if self.kind == "changes":
            return f"Что изменилось в {edition} документа «{title}»: пункт за пунктом."
        return f"Проект {edition} документа «{title}», не опубликован."

    @property
    def updated(self) -> date:
        """The day the page last changed: its edition's."""
        return self.record.edition.date

    def front_matter(self) -> str:
        return _front_matter(self)

    def body(self) -> str:
        """The page's Markdown: an edition's text for a text page, nothing for a changes page (its template shows
        the changes)."""
        if self.kind != "text":
            return ""
        _, body = split_front_matter(self.record.edition.source.decode("utf-8-sig"))
        return body


EditionView = HistoryView | EditionPageView
"""A page generated for a document's editions; templates read its ``kind``, ``document`` and ``record``."""


def _canonical_url(view: EditionView, site_url: str | None) -> str | None:
    return urls.absolute(site_url, view.duplicates) if site_url and view.duplicates is not None else None


def _front_matter(view: EditionView) -> str:
    """Return the page's source as MkDocs reads it: front matter for the theme. Its body is given when the page is
    read (``body()``), one page at a time: 51 editions of a 100 KB text are not all held from the start.

    Generated pages stay out of the search index, so it holds the current text only. The title is
    The title and the description are HTML-escaped: the theme prints a page's title as HTML, as MkDocs makes it
    from a Markdown heading, and the description into an attribute, unescaped (MkDocs' templates do not
    autoescape): a document's title is hostile text, and its quote would close the attribute.
    """
    meta = {
        "template": TEMPLATES[view.kind],
        "title": str(escape(view.title)),
        "description": str(escape(view.description)),
        "search": {"exclude": True},
    }
    if view.archived:
        meta["robots"] = "noindex"
    if view.duplicates is not None:
        meta["duplicates"] = view.duplicates
    try:
        return "---\n" + yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=True) + "---\n"
    except UnicodeEncodeError:  # a lone surrogate (a title declared as "\udcff"): libyaml takes UTF-8 text only
        return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n"


# libyaml's emitter where PyYAML has it (its wheels do), as MkDocs reads front matter with libyaml's loader: ten times
# faster than PyYAML's own emitter, for every generated page (tests/unit/output/test_edition_views.py reads it back).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def edition_views(document: PublishedDocument, preview: bool = False) -> list[EditionView]:
    """Return every generated page of ``document``: its history, each edition's text and changes, and the
    preview of an uncommitted draft's changes. ``preview`` (``make serve``): with no draft, the preview's
    address says the draft became the current edition and links its changes, so that a preview left open
    when the editor commits reloads into that, not into «page not found»."""
    views: list[EditionView] = [HistoryView(document)]
    draft = draft_record(document.editions_of, document.url)
    current = document.current
    if draft is not None:
        views.append(EditionPageView("draft", document, draft))
    elif preview and current is not None and current.changes_url:
        views.append(EditionPageView("committed", document, current))
    for record in document.records:
        views.append(EditionPageView("text", document, record))
        if record.changes_url:
            views.append(EditionPageView("changes", document, record))
    return views


def document_description(documents: list[PublishedDocument], path: str, policy: str) -> str | None:
    """Return the description of the page of the document at ``path`` (relative to docs/) when it gives none:
    the site's description is the policy's (``policy``, the first of the option ``documents``), so any other
    document is described by its own title and edition in force; None for the policy and for any other page.
    HTML-escaped, as the theme prints it into an attribute unescaped (``_front_matter``)."""
    found = [d for d in documents if d.editions_of.path == path != policy and d.current]
    if not found:
        return None
    current = found[0].records[-1]
    edition = f"действующая редакция № {current.number} от {long_date(current.edition.date)}"
    return str(escape(f"{found[0].title}: {edition}"))


def page_date(history: DocumentEditions | None, view: EditionView | None) -> date | None:
    """Return the day a page last changed, for the sitemap: a document's page (``history``) its edition in force's,
    a generated page (``view``) its own; None for a draft and for any other page (MkDocs' own date then).

    The edition's date, not the build's: two builds of one commit give the same sitemap.
    """
    if history and history.current and not history.draft:
        return history.current.date
    return view.updated if view else None


def edition_links(
    view: EditionView | None, images: EditionImages, page_url: Callable[[str], str]
) -> EditionLinks | None:
    """Return where the relative images and links of an edition's text page (``view``) lead, its pictures read
    from ``images``, other pages where MkDocs publishes them (``page_url``); None for any other page."""
    if not isinstance(view, EditionPageView) or view.kind != "text":
        return None
    history, edition = view.document.editions_of, view.record.edition
    read_image = images.reader(history, edition)
    # Resolved from where the text was when it was committed: a moved document's earlier editions link from there.
    return EditionLinks(history.path_at(edition), view.src_uri.removesuffix("index.md"), read_image, page_url)
