"""Links and images in a policy: only what a reader can follow safely, from nothing but the site.

A ``javascript:`` link would run code from the policy's text, and an image from another host
would send the visitor's browser to a third party before any consent. Both are turned into
plain text and reported, so the build can name the file and the link.

Every decision is made on the URL as a browser resolves it (WHATWG URL parsing, by ada, the
parser Node.js uses): browsers strip control characters and spaces around a URL, drop tabs and
newlines inside it, and read ``\\`` as ``/`` in http(s) URLs, so ``/\\evil.example/a.png`` is an
image from evil.example. Hand-written rules miss spellings like that; the standard's parser does not.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from ada_url import URL
from markdown import Extension, util
from markdown.treeprocessors import Treeprocessor

LINK_PROTOCOLS = frozenset({"http:", "https:", "mailto:", "tel:"})

# Two pages on unrelated origins: a URL that resolves to the page's own origin against both was
# written relative to the page, whatever host and port the site is served from.
_PAGE_BASES = ("http://127.0.0.1:8000/privacy/editions/1/", "https://own-site.invalid/a/b/")
_PAGE_ORIGINS = tuple((base, URL(base).origin) for base in _PAGE_BASES)

# Python-Markdown keeps a backslash-escaped character as STX<code point>ETX until its "unescape"
# treeprocessor (priority 0); ours run before it and must read the character itself.
_ESCAPED_CHARACTER = re.compile(f"{util.STX}(\\d+){util.ETX}")
# Its serializer leaves an "&" that starts a character reference as it is (serializers.RE_AMP):
# the browser then decodes "&#106;avascript:" to "javascript:".
_BARE_AMPERSAND = re.compile(r"&(?!(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);)", re.IGNORECASE)


@dataclass(frozen=True)
class Resolved:
    protocol: str
    """``"https:"``, ``"javascript:"``…, as ``URL.protocol`` in a browser."""
    origin: str
    """``"https://host:port"``, or ``"null"`` for URLs without one (``mailto:``, ``data:``)."""


def resolve(url: str, base: str) -> Resolved | None:
    """Return what a browser makes of ``url`` on the page ``base`` (``new URL(url, base)``), None if it fails."""
    try:
        parsed = URL(url, base=base)
    except ValueError:
        return None
    return Resolved(parsed.protocol, parsed.origin)


# Bounded by count: every edition's page shows mostly the same links and attributes, judged once each.
@lru_cache(maxsize=4096)
def is_safe_link(url: str) -> bool:
    """Return whether a link to ``url`` may stay a link: relative, web, e-mail or phone."""
    resolved = resolve(url, _PAGE_BASES[0])
    return resolved is not None and resolved.protocol in LINK_PROTOCOLS


def is_own_image(url: str) -> bool:
    """Return whether an image at ``url`` comes from the site itself: it resolves to the page's origin."""
    for base, origin in _PAGE_ORIGINS:
        resolved = resolve(url, base)
        if resolved is None or resolved.origin != origin:
            return False
    return True


def is_site_path(url: str) -> bool:
    """Return whether ``url`` is a path on the site's own origin written as such (``/privacy/consent-log``): an
    absolute path that every page resolves to its own origin, with no query or fragment, and that a browser reads
    as written (no ``..``, no tab or newline it would drop)."""
    for base, origin in _PAGE_ORIGINS:
        try:
            parsed = URL(url, base=base)
        except ValueError:
            return False
        if parsed.origin != origin or parsed.search or parsed.hash or unquote(parsed.pathname) != unquote(url):
            return False
    return url.startswith("/")


@lru_cache(maxsize=4096)
def as_browser_reads(value: str) -> str:
    """Return an attribute value in Python-Markdown's tree (before its unescape step) as the browser will read it."""
    value = _ESCAPED_CHARACTER.sub(lambda match: chr(int(match.group(1))), value)
    value = _BARE_AMPERSAND.sub("&amp;", value).replace(util.AMP_SUBSTITUTE, "&")
    return html.unescape(value)


class _SafeLinks(Treeprocessor):
    def __init__(self, md, found: list[str]):
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and not is_safe_link(as_browser_reads(element.get("href") or "")):
                self.found.append(
                    f"link «{''.join(element.itertext())}» to {as_browser_reads(element.get('href') or '')}"
                )
                element.tag = "span"
                element.attrib.clear()
            elif element.tag == "img" and not is_own_image(as_browser_reads(element.get("src") or "")):
                self.found.append(f"image «{element.get('alt', '')}» from {as_browser_reads(element.get('src') or '')}")
                element.tag = "span"
                element.text = element.get("alt", "")
                element.attrib.clear()


class SafeLinksExtension(Extension):
    """Python-Markdown extension that neutralises unsafe links and foreign images, recording each in ``found``."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.found: list[str] = []

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API name)
        # After "inline" (20), which makes the links, and before "toc" (5).
        md.treeprocessors.register(_SafeLinks(md, self.found), "alectro_safe_links", 7)

    def problems(self, source: str) -> list[str]:
        """Return what the page ``source`` (``docs/…``) last converted showed as text, one sentence each, with
        the fix; and forget it for the next page."""
        found, self.found[:] = list(self.found), []
        return [
            f"{source}: the {problem} is shown as plain text: a policy may link only to web pages (https://…), "
            f"e-mail (mailto:) or phone (tel:), and show only images stored in docs/. Change it in the Markdown."
            for problem in found
        ]
