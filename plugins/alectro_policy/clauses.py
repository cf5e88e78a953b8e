"""Numbered clauses of a policy: recognising them and giving them stable anchors.

A clause is a paragraph that starts with its number, ``2.1. ...``; a section is
a heading that starts with ``2. ...``. Both get the anchor ``p<number>`` so a
clause can be linked as ``…/#p2.1`` for as long as its number stays the same.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

CLAUSE_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)+)\.(?=\s)")
SECTION_NUMBER = re.compile(r"^\s*(\d+)\.(?=\s)")
ANCHOR_CLASS = "clause-anchor"
PREAMBLE_LABEL = "вступление"
"""How a reader names the unnumbered text before the first section (a neuter noun, unlike «пункт», «раздел»)."""


_NUMBERED_KEY = re.compile(r"p(\d+(?:\.\d+)*)")


def clause_anchor(number: str) -> str:
    """Return the anchor id of a clause or section number: ``"2.1"`` → ``"p2.1"``."""
    return f"p{number}"


def number_of_key(key: str) -> str | None:
    """Return the number a clause key stands for (``"p2.1"`` → ``"2.1"``, ``"p2"`` → ``"2"``), or None
    for keys that are not numbered: ``"preamble"``, ``"title"``, a repeated ``"p2.1~2"``."""
    match = _NUMBERED_KEY.fullmatch(key)
    return match.group(1) if match else None


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


# -- the text of a policy as a sequence of clauses ----------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Clause:
    key: str
    """What identifies the clause across editions: ``p2.1``, ``p2`` (a section), ``title``, ``preamble``."""
    label: str
    """How a reader names it: «п. 2.1», «разд. 2», «заголовок», «вступление»."""
    text: str
    """The clause's Markdown: its paragraph and the lists that belong to it."""

    @property
    def number(self) -> str | None:
        return number_of_key(self.key)


def split_clauses(markdown: str) -> list[Clause]:
    """Return the clauses of a policy's Markdown, in order.

    A numbered paragraph starts a clause that runs until the next numbered
    paragraph or heading; unnumbered text before the first section is the
    preamble. Keys are unique: a repeated number gets a ``~2`` suffix.
    """
    clauses: list[Clause] = []
    key, label, blocks = "preamble", PREAMBLE_LABEL, []

    def close():
        if blocks:
            clauses.append(Clause(key, label, "\n\n".join(blocks)))

    for block in (b.strip("\n") for b in re.split(r"\n\s*\n", markdown)):
        if not block.strip():
            continue
        heading = _HEADING.match(block) if "\n" not in block else None
        clause = CLAUSE_NUMBER.match(block)
        if heading:
            close()
            key, label = _heading_key(*heading.groups(), first=not clauses)
            blocks = [block]
            close()
            # Unnumbered text under a heading is a clause of its own.
            key, label, blocks = ("preamble", PREAMBLE_LABEL, []) if key == "title" else (f"{key}:text", label, [])
        elif clause:
            close()
            key, label, blocks = clause_anchor(clause.group(1)), f"п. {clause.group(1)}", [block]
        else:
            blocks.append(block)
    close()
    return _unique(clauses)


def _heading_key(level: str, title: str, first: bool) -> tuple[str, str]:
    section = SECTION_NUMBER.match(title) or CLAUSE_NUMBER.match(title)
    if section:
        return clause_anchor(section.group(1)), f"разд. {section.group(1)}"
    if level == "#" and first:
        return "title", "заголовок"
    return f"heading:{title}", f"«{title}»"


def _unique(clauses: list[Clause]) -> list[Clause]:
    seen: dict[str, int] = {}
    unique = []
    for clause in clauses:
        count = seen.get(clause.key, 0) + 1
        seen[clause.key] = count
        unique.append(clause if count == 1 else Clause(f"{clause.key}~{count}", clause.label, clause.text))
    return unique
