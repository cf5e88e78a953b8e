"""What a rendered policy page holds, for the checks that refuse a broken site: its ids, its clauses, its text.

Read from the HTML Python-Markdown produced, so the checks agree with what a visitor gets, whatever the
Markdown's layout. No MkDocs here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from .clauses import ANCHOR_CLASS


@dataclass
class PageFacts:
    ids: list[str] = field(default_factory=list)
    """Every element id, in page order."""
    clause_anchors: int = 0
    """Numbered clauses (links of class ``clause-anchor``)."""
    text: str = ""
    """The words a reader sees, spaces collapsed."""


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._words: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.facts.ids.append(attributes["id"])
        if ANCHOR_CLASS in (attributes.get("class") or "").split():
            self.facts.clause_anchors += 1

    def handle_data(self, data):
        self._words.extend(data.split())


def page_facts(html: str) -> PageFacts:
    """Return the ids, clause count and text of ``html`` (a page's content)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.facts.text = " ".join(reader._words)
    return reader.facts


def clause_ids(facts: PageFacts) -> list[str]:
    """The ids that are clause or section anchors (``p2.2``, ``p3``), in page order."""
    return [anchor for anchor in facts.ids if anchor[:1] == "p" and anchor[1:2].isdigit()]
