"""Links and images in a policy: only what a reader can follow safely, from nothing but the site.

A ``javascript:`` link would run code from the policy's text, and an image from another host
would send the visitor's browser to a third party before any consent. Both are turned into
plain text and reported, so the build can name the file and the link.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

LINK_SCHEMES = frozenset({"", "http", "https", "mailto", "tel"})
# Browsers ignore these inside a URL's scheme ("java\tscript:"), so the check must too.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]")


def link_scheme(url: str) -> str:
    """Return the scheme a browser would see in ``url``, lower-cased; ``""`` for a relative URL."""
    return urlsplit(_IGNORED_IN_SCHEME.sub("", url)).scheme.lower()


def is_safe_link(url: str) -> bool:
    """Return whether a link to ``url`` may stay a link: relative, web, e-mail or phone."""
    return link_scheme(url) in LINK_SCHEMES


def is_own_image(url: str) -> bool:
    """Return whether an image at ``url`` comes from the site itself (a relative URL)."""
    cleaned = _IGNORED_IN_SCHEME.sub("", url)
    return not link_scheme(cleaned) and not cleaned.startswith("//")


class _SafeLinks(Treeprocessor):
    def __init__(self, md, found: list[str]):
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and not is_safe_link(element.get("href", "")):
                self.found.append(f"link «{''.join(element.itertext())}» to {element.get('href')}")
                element.tag = "span"
                element.attrib.clear()
            elif element.tag == "img" and not is_own_image(element.get("src", "")):
                self.found.append(f"image «{element.get('alt', '')}» from {element.get('src')}")
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
