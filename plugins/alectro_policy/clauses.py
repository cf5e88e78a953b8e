"""Numbered clauses of a policy: recognising them and giving them stable anchors.

A clause is a paragraph that starts with its number, ``2.1. ...``; a section is
a heading that starts with ``2. ...``. Both get the anchor ``p<number>`` so a
clause can be linked as ``…/#p2.1`` for as long as its number stays the same.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

CLAUSE_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)+)\.(?=\s)")
SECTION_NUMBER = re.compile(r"^\s*(\d+)\.(?=\s)")
ANCHOR_CLASS = "clause-anchor"


def clause_anchor(number: str) -> str:
    """Return the anchor id of a clause or section number: ``"2.1"`` → ``"p2.1"``."""
    return f"p{number}"


class _ClauseAnchors(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "p":
                match = CLAUSE_NUMBER.match(element.text or "")
                if match:
                    self._anchor_clause(element, match)
            elif element.tag in ("h2", "h3"):
                match = SECTION_NUMBER.match(element.text or "") or CLAUSE_NUMBER.match(element.text or "")
                if match:
                    element.set("id", clause_anchor(match.group(1)))

    @staticmethod
    def _anchor_clause(paragraph: etree.Element, match: re.Match[str]) -> None:
        number = match.group(1)
        anchor = clause_anchor(number)
        paragraph.set("id", anchor)
        link = etree.Element("a", {"class": ANCHOR_CLASS, "href": f"#{anchor}", "title": f"Ссылка на пункт {number}"})
        link.text = f"{number}."
        link.tail = (paragraph.text or "")[match.end():]
        paragraph.text = (paragraph.text or "")[: match.start(1)]
        paragraph.insert(0, link)


class ClauseAnchorsExtension(Extension):
    """Python-Markdown extension that gives numbered clauses and sections their anchors."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API name)
        # Before "toc" (priority 5), so the table of contents keeps our ids.
        md.treeprocessors.register(_ClauseAnchors(md), "alectro_clause_anchors", 6)
