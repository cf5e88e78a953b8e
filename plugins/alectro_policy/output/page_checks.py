"""What a rendered policy page holds, for the checks that refuse a broken site: its ids, its clauses, its text.

Read from the HTML Python-Markdown produced, so the checks agree with what a visitor gets, whatever the
Markdown's layout. No MkDocs here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..history.editions import DocumentEditions
from ..text.clauses import ANCHOR_CLASS


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


def missing_cookie_clause(facts: PageFacts, anchor: str, source: str) -> str | None:
    """The problem when the page the banner links (``source``, the policy) has no element with the banner's
    ``cookie_clause`` id, naming the clause anchors it has; None when it has it."""
    if anchor in facts.ids:
        return None
    anchors = clause_ids(facts)
    return (
        f"mkdocs.yml: the option consent.cookie_clause of the alectro-policy plugin is '{anchor}', but {source} has "
        f"no element with that id, so the banner's link to the clause on cookies leads nowhere. Set it to the "
        f"anchor of that clause" + (f" (the page has {', '.join(anchors[:40])})" if anchors else "") + "."
    )


def missing_clauses(facts: PageFacts, source: str, which: str, anchored: bool) -> str | None:
    """The problem when the current text (``which``: the current edition or the draft) has no text, or no
    numbered clause (known only when clauses are ``anchored``); None when it has both."""
    if not facts.text:
        missing, by_design = "no text", ""
    elif anchored and not facts.clause_anchors:
        missing = "no numbered clause (such as '1.1. …')"
        by_design = (
            " If the document has no numbered clauses by design (a delivery or terms page), list it in the "
            "plugin option 'without_clauses' in mkdocs.yml."
        )
    else:
        return None
    return (
        f"{source}: {which} has {missing}, which is almost certainly a mistake: an emptied or overwritten file. "
        f"Restore the text and commit it as a new commit (past editions stay as they were).{by_design}"
    )


def policy_page_problems(
    html: str, source: str, history: DocumentEditions | None, cookie_clause: str | None, anchored: bool
) -> list[str]:
    """Return what is wrong with a rendered page's ``html`` (``source``: ``docs/…``) that the banner's clause on cookies
    lives on (``cookie_clause``, None for another page) or that is a policy document's current text
    (``history``, None for another page); ``anchored``: its clauses get anchors (not a document declared
    ``without_clauses``), so it must have numbered clauses, each number once.

    A document with neither an edition nor a draft is a problem too: a bug, as an unpublished document is a draft.
    """
    if history is None and cookie_clause is None:
        return []
    facts = page_facts(html)
    problems = [missing_cookie_clause(facts, cookie_clause, source)] if cookie_clause is not None else []
    if history is not None and history.draft:
        problems.append(
            missing_clauses(
                facts, source, f"the draft of edition {history.draft.number} ({source} as it is now)", anchored
            )
        )
    elif history is not None and history.current:
        which = f"edition {history.current.number} (commit {history.current.commit[:10]}), the current one,"
        problems.append(missing_clauses(facts, source, which, anchored))
    elif history is not None:
        problems.append(f"{source} has neither an edition nor a draft: report this as a bug of the plugin")
    if history is not None and anchored:
        problems.append(repeated_clause_ids(facts, source))
    return [problem for problem in problems if problem]


def repeated_clause_ids(facts: PageFacts, source: str) -> str | None:
    """The problem when a clause or section number is given twice on the page (sections numbered afresh in each
    part: nine ``id="p1"``), so that its link ``#p1`` cannot say which is meant; None when each is unique."""
    anchors = clause_ids(facts)
    repeated = sorted({anchor for anchor in anchors if anchors.count(anchor) > 1}, key=anchors.index)
    if not repeated:
        return None
    named = ", ".join(f"{anchor[1:]} ({anchors.count(anchor)} times)" for anchor in repeated[:10])
    return (
        f"{source}: clause numbers repeat ({named}), so a link to a clause (#{repeated[0]}) cannot say which one "
        f"is meant. Number the clauses and sections through the whole document (1, 2, 3 …), or, if it has no "
        f"clause numbering of its own, list it in the plugin option 'without_clauses' in mkdocs.yml"
    )
