"""What a reader is shown of an edition: the text of its page's article as the build wrote it, hashed.

The checksum of ``source.md`` binds the Markdown; this binds what readers read after every Markdown extension, include
and theme override (``text_sha256`` in editions.json, kept in the record of each publish). The page's own notices
(which edition it is, whether it is in force: they change when the next edition comes) are not part of it, nor are
scripts and styles; whitespace is collapsed, so a re-indented template changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser

from ..history.published import PublishedEditions
from ..text.html_events import read_html, reads_plainly
from .edition_views import EditionPageView, EditionView
from .publication import PublishedDocument

NOTICES = ("policy-edition-notice", "policy-stamp")
"""Classes of the plugin's own notes about an edition, which change with the next edition: left out."""
SKIPPED = ("script", "style", "template")
VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
_ARTICLE = re.compile("<article", re.IGNORECASE)


class _ArticleText(HTMLParser):
    """The article's text read once both ways: with its ``<h1>`` (``parts``) and without (``untitled``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        """Open elements inside the first ``<article>`` (0: outside it)."""
        self.skipping = 0
        """The depth at which a left-out element opened (0: none)."""
        self.skipping_untitled = 0
        """The same, the ``<h1>`` left out too."""
        self.done = False
        self.parts: list[str] = []
        self.untitled: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done or tag in VOID:
            return
        if self.depth == 0:
            if tag == "article":
                self.depth = 1
            return
        self.depth += 1
        if self.skipping and self.skipping_untitled:
            return  # inside what both texts leave out, nothing opens or closes what they leave out
        left_out = tag in SKIPPED or bool(attrs) and _is_notice(attrs)
        if not self.skipping and left_out:
            self.skipping = self.depth
        if not self.skipping_untitled and (left_out or tag == "h1"):
            self.skipping_untitled = self.depth

    def handle_endtag(self, tag: str) -> None:
        if self.done or self.depth == 0 or tag in VOID:
            return
        if self.skipping == self.depth:
            self.skipping = 0
        if self.skipping_untitled == self.depth:
            self.skipping_untitled = 0
        self.depth -= 1
        self.done = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.done:
            if not self.skipping:
                self.parts.append(data)
            if not self.skipping_untitled:
                self.untitled.append(data)


def _is_notice(attrs: list[tuple[str, str | None]]) -> bool:
    classes = next((value or "" for name, value in attrs if name == "class"), "").split()
    return any(notice in classes for notice in NOTICES)


def reader_text(html: str, titled: bool = True) -> str:
    """Return the text of ``html``'s first ``<article>`` (the page's content in Material) without the plugin's
    notices, scripts and styles, whitespace collapsed; empty when the page has no article. Not ``titled``: without
    its ``<h1>`` either (a document without a heading of its own is titled by Material from the page's title,
    which an edition's page words otherwise: «Редакция № 1 — …»)."""
    return _reader_texts(html)[0 if titled else 1]


def _reader_texts(html: str) -> tuple[str, str]:
    """``reader_text(html)`` titled and not, from one reading of the page."""
    parser = _ArticleText()
    # Nothing before the first <article> start tag counts, where the parser reads that beginning as one would
    # read it alone (else the whole page is read); nothing after the article either.
    start = _ARTICLE.search(html)
    begin = start.start() if start and reads_plainly(html[: start.start()]) else 0
    read_html(parser, html[begin:], until=lambda: parser.done)
    return " ".join(" ".join(parser.parts).split()), " ".join(" ".join(parser.untitled).split())


def reader_text_sha256(html: str, titled: bool = True) -> str:
    """Return the SHA-256 of ``reader_text(html, titled)`` in UTF-8, hexadecimal: ``text_sha256`` in editions.json
    (``titled``)."""
    return _sha256(reader_text(html, titled))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ReaderTexts:
    """One build's ``text_sha256`` of each edition's page, as the pages are written, beside the record's."""

    def __init__(self, published: PublishedEditions | None = None):
        editions = [edition for document in (published or {}).values() for edition in document.editions]
        self.recorded = {(e.commit, e.sha256): e.text_sha256 for e in editions if e.text_sha256}
        """The record's (``history.published``), by each edition's commit and the SHA-256 of its file."""
        self.built: dict[str, str] = {}
        """This build's, by the edition page's ``text_url``."""
        self.untitled: dict[str, str] = {}
        """This build's without the pages' titles (``reader_text``, not ``titled``), by ``text_url``."""
        self.documents: dict[str, str] = {}
        """This build's without its title, of each document's own page, by its path relative to docs/."""

    def page_written(self, src_uri: str, view: EditionView | None, html: str, document: bool = False) -> None:
        """Take the text readers are shown on the page of ``src_uri`` (``html``: as written) if it is an edition's
        text (``view``) or a ``document``'s own page."""
        if isinstance(view, EditionPageView) and view.kind == "text":
            titled, untitled = _reader_texts(html)  # one reading of the page for both
            self.built[view.record.text_url], self.untitled[view.record.text_url] = _sha256(titled), _sha256(untitled)
        elif document:
            self.documents[src_uri] = reader_text_sha256(html, titled=False)

    def problems(self, documents: Iterable[PublishedDocument]) -> list[str]:
        """``changed_renderings`` of ``documents`` between the pages written and the record, and a document's page
        that shows readers another text than its edition in force's page (a theme override of that page alone)."""
        documents = list(documents)
        problems = changed_renderings(documents, self.built, self.recorded)
        for document in documents:
            current, own = document.current, self.documents.get(document.editions_of.path)
            edition = self.untitled.get(current.text_url) if current else None
            if current and own and edition and own != edition and document.editions_of.draft is None:
                problems.append(
                    f"Editions: the page of {document.editions_of.source_path} shows readers another text than its "
                    f"edition {current.number} in force ({current.text_url}): a template or theme override changes "
                    f"that page alone. Readers must read the edition as published: undo that override"
                )
        return problems


def changed_renderings(
    documents: Iterable[PublishedDocument], built: Mapping[str, str], recorded: Mapping[tuple[str, str], str]
) -> list[str]:
    """Return a sentence for each published edition whose page reads otherwise than when it was published.

    ``built``: this build's ``text_sha256`` per edition page (``text_url``); ``recorded``: the record's, per
    edition's (commit, SHA-256 of its file). An edition the record has no text checksum for is not compared.
    """
    problems = []
    for document in documents:
        for record in document.records:
            before = recorded.get((record.edition.commit, record.edition.sha256))
            now = built.get(record.text_url)
            if before and now and before != now:
                problems.append(
                    f"Editions: edition {record.number} of {document.editions_of.source_path} as published reads "
                    f"otherwise on its page {record.text_url} (text SHA-256 {before[:12]}… published, {now[:12]}… "
                    f"now), though its file is the same: a change to mkdocs.yml (a Markdown extension, an include), "
                    f"a theme override or a template renders it differently, and a published edition's text never "
                    f"changes. Undo that change; to change what readers see, change the document (a new edition)"
                )
    return problems
