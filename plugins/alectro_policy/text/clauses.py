"""Numbered clauses of a policy: recognising them and giving them stable anchors.

A clause is a paragraph that starts with its number, ``2.1. ...``; a section is
a heading that starts with ``2. ...``. Both get the anchor ``p<number>`` so a
clause can be linked as ``…/#p2.1`` for as long as its number stays the same.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, replace

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from . import reading
from .reading import CLAUSE_NUMBER

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
    # The document's top-level blocks only, recognised as split_clauses() recognises them: a page's
    # anchors and the clauses its history names are the same.
    def __init__(self, md, extension: ClauseAnchorsExtension):
        super().__init__(md)
        self._extension = extension

    def run(self, root: etree.Element) -> None:
        if self._extension.skip:
            return
        for element in root:
            # One match, as reading.clause_number makes it: a paragraph starting with its number.
            match = CLAUSE_NUMBER.match(element.text or "") if element.tag == "p" else None
            section = reading.section_number(element) if element.tag in reading.ANCHORED_HEADINGS else None
            if match:
                self._anchor_clause(element, match)
            elif section:
                element.set("id", clause_anchor(section))

    @staticmethod
    def _anchor_clause(paragraph: etree.Element, match: re.Match[str]) -> None:
        number = match.group(1)
        anchor = clause_anchor(number)
        paragraph.set("id", anchor)
        link = etree.Element("a", {"class": ANCHOR_CLASS, "href": f"#{anchor}", "title": f"Ссылка на пункт {number}"})
        link.text = f"{number}."
        link.tail = (paragraph.text or "")[match.end() :]
        paragraph.text = (paragraph.text or "")[: match.start(1)]
        paragraph.insert(0, link)


class ClauseAnchorsExtension(Extension):
    """Python-Markdown extension that gives numbered clauses and sections their anchors."""

    skip = False
    """Set while a page whose document is declared without clauses is converted: it gets no clause anchors."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API name)
        # Before "toc" (priority 5), so the table of contents keeps our ids.
        md.treeprocessors.register(_ClauseAnchors(md, self), "alectro_clause_anchors", 6)


# -- the text of a policy as a sequence of clauses ----------------------------------------


@dataclass(frozen=True)
class Clause:
    key: str
    """What identifies the clause across editions: ``p2.1``, ``p2`` (a section), ``title``, ``preamble``."""
    label: str
    """How a reader names it: «п. 2.1», «разд. 2», «заголовок», «вступление»."""
    text: str
    """What a reader reads of it: its paragraph and the lists that belong to it, one block per line."""
    canonical: tuple[str, ...]
    """Its blocks as rendered, spacing collapsed: two clauses read the same when these are equal."""

    @property
    def number(self) -> str | None:
        return number_of_key(self.key)


def split_clauses(markdown: str) -> list[Clause]:
    """Return the clauses of a policy's Markdown, in order, as the site renders it.

    A numbered paragraph starts a clause that runs until the next numbered
    paragraph or heading; unnumbered text before the first section is the
    preamble. Blocks are the rendered document's, so a heading written without a
    blank line after it is still a heading. Keys are unique: a repeated number
    gets a ``~2`` suffix.
    """
    clauses: list[Clause] = []
    key, label = "preamble", PREAMBLE_LABEL
    blocks: list[reading.Block] = []

    def close() -> None:
        if blocks:
            clauses.append(
                Clause(key, label, "\n".join(b.text for b in blocks if b.text), tuple(b.canonical for b in blocks))
            )

    for block in reading.blocks(markdown):
        if block.tag in reading.HEADINGS:
            close()
            key, label = _heading_key(block, first=not clauses)
            blocks = [block]
            close()
            # Unnumbered text under a heading is a clause of its own.
            key, label, blocks = ("preamble", PREAMBLE_LABEL, []) if key == "title" else (f"{key}:text", label, [])
        elif block.clause:
            close()
            key, label, blocks = clause_anchor(block.clause), f"п. {block.clause}", [block]
        else:
            blocks.append(block)
    close()
    return _unique(clauses)


def _heading_key(heading: reading.Block, first: bool) -> tuple[str, str]:
    if heading.section:
        return clause_anchor(heading.section), f"разд. {heading.section}"
    if heading.tag == "h1" and first:
        return "title", "заголовок"
    return f"heading:{heading.text}", f"«{heading.text}»"


def _unique(clauses: list[Clause]) -> list[Clause]:
    seen: dict[str, int] = {}
    unique = []
    for clause in clauses:
        count = seen.get(clause.key, 0) + 1
        seen[clause.key] = count
        unique.append(clause if count == 1 else replace(clause, key=f"{clause.key}~{count}"))
    return unique


# -- a clause named in the site's options -------------------------------------------------------

CLAUSE_ANCHOR = re.compile(r"#?(p\d+(?:\.\d+)*)")
"""An option naming a clause by its anchor: ``p2.2`` (``#p2.2`` too)."""


def _searchable(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def clause_with_words(markdown: str, words: str) -> Clause:
    """Return the one numbered clause (or section) of the policy ``markdown`` whose text, as a reader reads it,
    contains ``words`` (letter case, «ё» and spacing aside).

    Raises ``ValueError`` saying which clauses contain them when more than one does, or that none does, with the
    numbers of the clauses there are."""
    wanted = _searchable(words)
    numbered = [clause for clause in split_clauses(markdown) if clause.number]
    found = [clause for clause in numbered if wanted in _searchable(clause.text)]
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(
            f"the words '{words}' are in {', '.join(clause.label for clause in found)}: quote more of the one "
            f"clause meant, so that no other contains them"
        )
    raise ValueError(
        f"no numbered clause contains the words '{words}' (the text has "
        f"{', '.join(clause.label for clause in numbered) or 'no numbered clause'}): quote words of the clause as "
        f"it reads now"
    )
