"""Policy mode: Markdown for policy documents, in which the text can add no HTML and no attribute.

A policy is legal text written in Markdown, never markup: ``<script>`` in it is shown, and so is
``{: onfocus=… }``. Python-Markdown's documented way to escape raw HTML (since ``safe_mode`` was
removed) is to deregister its ``html_block`` preprocessor and ``html`` inline pattern; ``attr_list``
is deregistered the same way. As a safety net for any other extension of the site, a last
treeprocessor (after ``toc``, which adds heading ids and permalinks) and a check of Python-Markdown's
stash of raw HTML keep only the elements and attributes of ``ALLOWED`` and report the rest.

MkDocs makes a new ``Markdown`` per page and calls ``extendMarkdown`` each time, so the plugin
switches the mode per page through ``PolicyMarkdownExtension.page``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from .clauses import ANCHOR_CLASS
from .safe_links import as_browser_reads

_ANY = re.compile(r".*", re.DOTALL)
_CLAUSE_ID = re.compile(r"p\d+(?:\.\d+)*")
_HEADING = {"id": _ANY}
_NONE: dict[str, re.Pattern[str]] = {}

ALLOWED: dict[str, dict[str, re.Pattern[str]]] = {
    # Each value must match whole. href and src are free here: safe_links decides on them.
    "a": {"href": _ANY, "title": _ANY, "class": re.compile(f"{ANCHOR_CLASS}|headerlink|toclink")},
    "img": {"src": _ANY, "alt": _ANY, "title": _ANY},
    "p": {"id": _CLAUSE_ID},
    **{f"h{level}": _HEADING for level in range(1, 7)},
    "ol": {"start": re.compile(r"\d+")},
    # The tables extension aligns columns written |:--|.
    "th": {"style": re.compile(r"text-align: (?:left|right|center);")},
    "td": {"style": re.compile(r"text-align: (?:left|right|center);")},
    # toc's [TOC] marker.
    "div": {"class": re.compile("toc")},
    # A fenced block's language (```python): fenced_code gives it as language-python.
    "code": {"class": re.compile(r"language-[\w+#.-]+")},
    **{
        tag: _NONE
        for tag in (
            "span",
            "em",
            "strong",
            "pre",
            "ul",
            "li",
            "blockquote",
            "hr",
            "br",
            "table",
            "thead",
            "tbody",
            "tr",
        )
    },
}
"""Every element a policy page may hold, with the attributes it may carry and the values they may take."""


def _described(tag: str, problems: list[str]) -> str:
    return problems[0] if problems[0].startswith("<") else f"<{tag}> " + " ".join(problems)


def disallowed(tag: str, attributes: list[tuple[str, str | None]]) -> list[str]:
    """Return what is not allowed on ``<tag attributes>``: ``"<tag>"`` for the element itself, else each attribute."""
    allowed = ALLOWED.get(tag)
    if allowed is None:
        return [f"<{tag}>"]
    return [
        f'{name}="{value}"' if value is not None else name
        for name, value in attributes
        if name not in allowed or value is None or not allowed[name].fullmatch(value)
    ]


@dataclass
class PolicyPage:
    """What the plugin tells the Markdown of one policy page."""

    edition_url: Callable[[str, str], str | None] | None = None
    """For an edition's permanent copy: ``(tag, url) -> url``, where a relative image or link of the text
    leads now that the text lives at ``editions/N/`` (see edition_links); None drops an image."""
    found: list[str] = field(default_factory=list)
    """Each element or attribute removed, as ``<p> onfocus="…"``, for the plugin to report."""

    def problems(self, source: str) -> list[str]:
        """Return what was removed from the page ``source`` (``docs/…``), one sentence each, with the fix."""
        return [
            f"{source}: {problem} is not allowed in a policy and was removed: a policy is Markdown text, HTML and "
            f"attributes written in it never reach the page. Change it in the Markdown."
            for problem in self.found
        ]


class _Allowlist(Treeprocessor):
    def __init__(self, md, page: PolicyPage):
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element is root:
                continue
            problems = disallowed(
                element.tag, [(k, as_browser_reads(v) if v else v) for k, v in element.attrib.items()]
            )
            if not problems:
                continue
            self.page.found.append(_described(element.tag, problems))
            if problems[0].startswith("<"):
                element.tag = "span"
                element.attrib.clear()
            else:
                for name in [
                    name for name in element.attrib if any(p == name or p.startswith(f"{name}=") for p in problems)
                ]:
                    del element.attrib[name]


_EDITION_URL = "alectro-edition-url:"
"""A scheme MkDocs's "relpath" leaves alone: the URLs we computed must not be validated against today's site."""
_URL_ATTRIBUTE = {"a": "href", "img": "src"}


class _EditionLinks(Treeprocessor):
    def __init__(self, md, edition_url: Callable[[str, str], str | None], computed: list[str]):
        super().__init__(md)
        self.edition_url = edition_url
        self.computed = computed

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            name = _URL_ATTRIBUTE.get(element.tag)
            value = element.get(name) if name else None
            if name is None or value is None:
                continue
            url = as_browser_reads(value)
            new = self.edition_url(element.tag, url)
            if new is None:
                element.tag, element.text = "span", element.get("alt", "")
                element.attrib.clear()
            elif new != url:
                element.set(name, f"{_EDITION_URL}{len(self.computed)}")
                self.computed.append(new)


class _ComputedUrls(Treeprocessor):
    def __init__(self, md, computed: list[str]):
        super().__init__(md)
        self.computed = computed

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            name = _URL_ATTRIBUTE.get(element.tag)
            value = element.get(name) if name else None
            if name and value and value.startswith(_EDITION_URL):
                element.set(name, self.computed[int(value[len(_EDITION_URL) :])])


class _StashedHtml(Postprocessor):
    """Checks the raw HTML that extensions keep out of the tree (a fenced code block is one) before it is put back."""

    def __init__(self, md, page: PolicyPage):
        super().__init__(md)
        self.page = page

    def run(self, text: str) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            if isinstance(block, str):
                stash[index] = _sanitised(block, self.page.found)
            else:
                _Allowlist(self.md, self.page).run(block)
        return text


class _Rewriter(HTMLParser):
    def __init__(self, found: list[str]):
        super().__init__(convert_charrefs=False)
        self.found = found
        self.out: list[str] = []

    def set_cdata_mode(self, elem: str, *, escapable: bool = False) -> None:
        """Never enter raw-text mode: what is inside <script> and <style> (and <textarea>, <title>, which
        Python 3.11.13+ reads as raw text too) is parsed as markup, so it is checked too."""

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], end: str) -> None:
        problems = disallowed(tag, attrs)
        if problems:
            self.found.append(_described(tag, problems))
        if problems and problems[0].startswith("<"):
            # HTMLParser keeps the text of the tag it is reporting; the fallback is for a caller other than it.
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}{end}>"))
            return
        # disallowed() reports an attribute without a value, so each one kept has one.
        kept = "".join(
            f' {name}="{html.escape(value)}"'
            for name, value in attrs
            if value is not None and not disallowed(tag, [(name, value)])
        )
        self.out.append(f"<{tag}{kept}{end}>")

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs, "")

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs, " /")

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>" if tag in ALLOWED else html.escape(f"</{tag}>"))

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(html.escape(f"<!--{data}-->"))

    def handle_decl(self, decl):
        self.out.append(html.escape(f"<!{decl}>"))

    def handle_pi(self, data):
        self.out.append(html.escape(f"<?{data}>"))

    def unknown_decl(self, data):
        self.out.append(html.escape(f"<![{data}]>"))


def _sanitised(block: str, found: list[str]) -> str:
    rewriter = _Rewriter(found)
    rewriter.feed(block)
    rewriter.close()
    return "".join(rewriter.out)


class PolicyMarkdownExtension(Extension):
    """Python-Markdown extension: policy mode for the page the plugin marks, nothing on other pages."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.page: PolicyPage | None = None

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API name)
        page = self.page
        if page is None:
            return
        md.preprocessors.deregister("html_block", strict=False)
        md.inlinePatterns.deregister("html", strict=False)
        md.treeprocessors.deregister("attr_list", strict=False)
        # fenced_code (and others) apply attribute lists when an AttrListExtension is registered,
        # whether or not its treeprocessor runs: ```{ .x onclick=… } would put onclick on <code>.
        md.registeredExtensions = [e for e in md.registeredExtensions if not isinstance(e, AttrListExtension)]
        # After toc (5), which adds heading ids and permalinks.
        md.treeprocessors.register(_Allowlist(md, page), "alectro_policy_allowlist", 4)
        if page.edition_url:
            computed: list[str] = []
            # Before MkDocs's "relpath" (0), which would validate them against the site as it is now, and after.
            md.treeprocessors.register(_EditionLinks(md, page.edition_url, computed), "alectro_edition_links", 0.5)
            md.treeprocessors.register(_ComputedUrls(md, computed), "alectro_edition_urls", -10)
        # Before "raw_html" (30) puts the stash back into the page.
        md.postprocessors.register(_StashedHtml(md, page), "alectro_policy_stash", 31)
