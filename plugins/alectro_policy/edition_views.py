"""The pages generated for a document's editions: where each lives and what it holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import yaml
from markupsafe import escape

from .document_text import split_front_matter
from .publication import DocumentEditions, EditionRecord, draft_record

Kind = Literal["history", "text", "changes", "draft"]
TEMPLATES = {
    "history": "editions.html",
    "text": "edition.html",
    "changes": "edition_changes.html",
    "draft": "edition_changes.html",
}


@dataclass(frozen=True)
class EditionView:
    kind: Kind
    document: DocumentEditions
    record: EditionRecord | None
    """The edition shown; None on the history page."""

    @property
    def src_uri(self) -> str:
        if self.kind == "history":
            return f"{self.document.history_url}index.md"
        url = self.record.changes_url if self.kind in ("changes", "draft") else self.record.text_url
        return f"{url}index.md"

    @property
    def title(self) -> str:
        if self.kind == "history":
            return f"История редакций — {self.document.title}"
        if self.kind == "changes":
            return f"Изменения в редакции № {self.record.number} — {self.document.title}"
        if self.kind == "draft":
            return f"Проект редакции № {self.record.number}, не опубликован — {self.document.title}"
        return f"Редакция № {self.record.number} — {self.document.title}"

    @property
    def archived(self) -> bool:
        """A past edition's text, or a draft's preview: not for search engines."""
        return self.kind == "draft" or (self.kind == "text" and not self.record.is_current)

    def markdown(self) -> str:
        """Return the page's source: front matter for the theme, and the edition's text for a text page.

        Generated pages stay out of the search index, so it holds the current text only. The title is
        HTML-escaped: the theme prints a page's title as HTML, as MkDocs makes it from a Markdown heading.
        """
        meta = {"template": TEMPLATES[self.kind], "title": str(escape(self.title)), "search": {"exclude": True}}
        if self.archived:
            meta["robots"] = "noindex"
        body = ""
        if self.kind == "text":
            _, body = split_front_matter(self.record.edition.source.decode("utf-8-sig"))
        return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n\n" + body


def edition_views(document: DocumentEditions) -> list[EditionView]:
    """Return every generated page of ``document``: its history, each edition's text and changes, and the
    preview of an uncommitted draft's changes."""
    views = [EditionView("history", document, None)]
    draft = draft_record(document.history)
    if draft is not None:
        views.append(EditionView("draft", document, draft))
    for record in document.records:
        views.append(EditionView("text", document, record))
        if record.changes_url:
            views.append(EditionView("changes", document, record))
    return views
