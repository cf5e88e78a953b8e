"""Generated pages' HTML held compressed between the two passes of a build.

MkDocs renders every page's Markdown first and writes the pages afterwards, so all the HTML of a site is in
memory at once. A long history publishes two large pages per edition (its text, its changes): held as zlib from
the moment it is rendered until its page is written, each is whole in memory only while it is written (issue 16,
item 6). A page here is anything with MkDocs' ``Page`` attributes ``file.src_uri``, ``markdown`` and ``content``.
"""

from __future__ import annotations

import zlib
from typing import Any


class HeldPages:
    """The HTML of pages rendered and not yet written, by page."""

    def __init__(self) -> None:
        self._held: dict[str, bytes] = {}
        self._writing: set[str] = set()

    def hold(self, page: Any, html: str) -> str:
        """Keep the rendered ``html`` of ``page`` compressed; return what the page holds meanwhile (nothing).

        Its Markdown is let go too: it is in the HTML (``""``, not None, which would lose the page its title)."""
        self._held[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        page.markdown = ""
        return ""

    def restore(self, page: Any) -> None:
        """Give ``page`` back its HTML, as its template is about to show it."""
        held = self._held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = zlib.decompress(held).decode("utf-8")
            self._writing.add(page.file.src_uri)

    def written(self, page: Any) -> None:
        """Let go of the HTML of ``page``, written now."""
        if page.file.src_uri in self._writing:
            self._writing.discard(page.file.src_uri)
            page.content = None
