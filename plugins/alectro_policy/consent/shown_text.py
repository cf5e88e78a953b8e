"""The banner's words as a visitor reads them, in each state it is shown in, read from its rendered template.

What a record of a choice names (its ``h``) is the hash of one of these texts, and the build publishes each as
``banner-texts/<hash>.txt``: so a change to the template's wording, or to an option it shows, changes the hash,
and the proof of a choice shows the words the visitor had in front of them.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

ASK = "ask"
"""The banner as it first asks, and as the footer's «Настройки cookies» opens it."""
REASK = "reask"
"""The banner asking again after a new edition of the document consent is given under: its notice first."""
STATES = (ASK, REASK)

_TEMPLATE_ID = "alectro-consent"
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Each of these begins and ends a line of the text; the rest (links, emphasis, code) runs on within it.
_BLOCKS = frozenset({"section", "div", "p", "fieldset", "legend", "label", "button", "ul", "ol", "li", "h2", "h3"})


def shown_texts(html: str) -> dict[str, str]:
    """Return the banner's text in each of :data:`STATES`, read from ``html``, the rendered ``consent.html``.

    The text is the ``<template id="alectro-consent">``'s words, one line per block (a paragraph, a category's
    label and its description, a button), spaces collapsed as HTML does, each switch as the category it grants
    (:data:`SWITCH`, a line before its label); the settings panel and its «Сохранить выбор» are in it (one click
    away, and what a customised choice is made in). The re-ask notice
    (``data-consent-updated``) is in :data:`REASK`'s text only; the visitor's own record (``data-consent-record``:
    the date and ID of their choice) in none. Raises ``ValueError`` when ``html`` holds no banner template."""
    texts = {}
    for state in STATES:
        reader = _Reader(skipped=("data-consent-record",) if state == REASK else ("data-consent-record", _UPDATED))
        reader.feed(html)
        reader.close()
        if not reader.found:
            raise ValueError(f'consent.html: no <template id="{_TEMPLATE_ID}"> in the rendered banner')
        texts[state] = reader.text()
    return texts


def text_hash(text: str) -> str:
    """The first 16 hex digits of ``text``'s SHA-256 (UTF-8): the ``h`` a record of a choice made over it carries
    (deploy/alectro_deploy/banner_texts.py checks a published text against its name the same way)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


SWITCH = "[переключатель: {}]"
"""How a switch of the settings (a category) is named in the text: by the category it grants."""
_UPDATED = "data-consent-updated"
# What HTML collapses; a no-break space (&nbsp;) stays as the visitor sees it.
_HTML_SPACES = re.compile(r"[ \t\n\f\r]+")


class _Reader(HTMLParser):
    def __init__(self, skipped: tuple[str, ...]):
        super().__init__(convert_charrefs=True)
        self._skipped = skipped
        self._open: list[tuple[str, bool]] = []
        """Elements open inside the template: (tag, whether it and what it holds are left out)."""
        self._lines: list[str] = [""]
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._open and not self.found:
            if tag == "template" and ("id", _TEMPLATE_ID) in attrs:
                self.found = True
                self._open.append((tag, False))
            return
        if not self._open:
            return
        if tag == "input" and not self._hidden() and dict(attrs).get("type") == "checkbox":
            # A switch shows its label's words; what it stands for in a record of a choice (its category in c=…) is
            # its value, which the text names on a line of its own: the proof checks that a record's categories were
            # offered (deploy/alectro_deploy/consent_published.py, offered_categories).
            self._lines += [SWITCH.format(dict(attrs).get("value") or ""), ""]
        if tag in _VOID:
            return
        names = {name for name, _ in attrs}
        self._open.append((tag, self._hidden() or any(name in names for name in self._skipped)))
        if tag in _BLOCKS:
            self._lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if not self._open or tag in _VOID:
            return
        # Jinja renders well-formed markup; an end tag closes the nearest element of its name.
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break
        if tag in _BLOCKS:
            self._lines.append("")

    def handle_data(self, data: str) -> None:
        if self._open and not self._hidden():
            self._lines[-1] += data

    def _hidden(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def text(self) -> str:
        lines = (_HTML_SPACES.sub(" ", line).strip(" ") for line in self._lines)
        return "".join(f"{line}\n" for line in lines if line)
