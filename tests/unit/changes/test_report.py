"""The `make changes` report shows clause text as it is, whatever characters it holds."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from alectro_policy.changes.report import _escaped

# GitHub renders job summaries as GitHub Flavored Markdown; markdown-it-py's "gfm-like" preset follows it.
GFM = MarkdownIt("gfm-like", {"linkify": False})
_TAGS = re.compile(r"<[^>]+>")

_LEGAL_TEXT = st.text(
    alphabet=st.sampled_from(list("абвгд ABC 0123456789.,;:!?()[]{}<>*_~`#|\\-+=&\"'/«»—") + ["\n"]),
    min_size=1,
    max_size=60,
)


def shown(markdown_text: str) -> str:
    """The text a reader sees once GitHub has rendered ``markdown_text`` (tags dropped, spacing collapsed)."""
    rendered = GFM.render(markdown_text)
    return " ".join(html.unescape(_TAGS.sub(" ", rendered)).split())


@settings(max_examples=300, deadline=None)
@given(text=_LEGAL_TEXT)
def test_escaped_clause_text_renders_as_exactly_that_text(text):
    lines = [line.strip() for line in text.split("\n")]
    assert shown(_escaped("\n".join(lines))) == " ".join(" ".join(lines).split())


def test_escaped_text_makes_no_emphasis_link_or_list():
    rendered = GFM.render(_escaped("6. Раздел *важно* [ссылка](x) <b>жирный</b> ~~нет~~"))
    assert "<ol" not in rendered and "<em>" not in rendered and "<a " not in rendered and "<b>" not in rendered
    assert "<del>" not in rendered
