"""A policy document's source: its front matter, and its text as editions compare it."""

from __future__ import annotations

import re
from datetime import date

import yaml

from ..dates import parse_day

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)

EDITION_DATE_FIELD = "edition_date"


class FrontMatterError(ValueError):
    """The front matter is not valid YAML, or a field in it has the wrong form."""


def split_front_matter(source: str) -> tuple[dict, str]:
    """Return ``(front matter as a dict, Markdown below it)``; raise ``FrontMatterError`` if malformed."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        # A ReaderError (a control character) has no 'problem'; its first line says which character.
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FrontMatterError(f"the front matter between the '---' lines is not valid YAML ({problem})") from error
    except ValueError as error:  # YAML reads 2026-02-30 as a date, and fails
        raise FrontMatterError(
            f"the front matter holds an impossible date ({error}): write a real one as YYYY-MM-DD"
        ) from error
    if not isinstance(meta, dict):
        raise FrontMatterError("the front matter between the '---' lines must be 'name: value' pairs")
    return meta, source[match.end() :]


def declared_title(source: bytes) -> str | None:
    """Return the front matter's ``title:`` of a file as committed (what MkDocs titles its page by), or None
    when it has none, or none that can be read (the editions' checks name a broken front matter)."""
    try:
        meta, _ = split_front_matter(source.decode("utf-8-sig"))
    except (UnicodeDecodeError, FrontMatterError):
        return None
    title = meta.get("title")
    return " ".join(str(title).split()) or None if isinstance(title, (str, int, float)) else None


def normalised_text(markdown: str) -> str:
    """Return the Markdown with line endings and blank lines normalised (whitespace-only lines are blank).

    Spaces at the ends of lines are kept: two before a line break are a visible line break. Whether two
    texts read the same is decided on their rendering (``reading.reads_the_same``), not here.
    """
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join("" if not line.strip() else line for line in lines)
    # Runs of blank lines made one: str's own replace, many times faster than a regular expression's scan of a
    # long text; each pass shortens every run of three or more line breaks, and none below two.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


def explicit_edition_date(meta: dict) -> date | None:
    """Return the ``edition_date`` field as a date, or None; raise ``FrontMatterError`` if malformed."""
    value = meta.get(EDITION_DATE_FIELD)
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as error:
        # An edition takes effect for the whole day, named one way only.
        raise FrontMatterError(f"'{EDITION_DATE_FIELD}: {value}': {error}") from None


def reader_text(source: bytes) -> str | None:
    """Return the text editions compare of a document's file (``source``, as committed or saved): below its front
    matter, normalised; None when it is not UTF-8 or its front matter is malformed (the editions name the file
    and the fix)."""
    try:
        return normalised_text(split_front_matter(source.decode("utf-8-sig"))[1])
    except (UnicodeDecodeError, FrontMatterError):
        return None
