"""A generated page's HTML waits compressed between MkDocs' two passes, and comes back exactly as rendered."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from alectro_policy.output.held_pages import HeldPages


def page(uri: str) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri), markdown="# Редакция\n\n1.1. Текст.", content=None)


@given(html=st.text())
def test_a_held_page_gets_back_its_html_exactly_and_lets_it_go_once_written(html):
    held, edition = HeldPages(), page("editions/3/index.md")
    edition.content = held.hold(edition, html)
    # Meanwhile the page holds nothing of its text; an empty Markdown, not None, keeps MkDocs' title of it.
    assert (edition.content, edition.markdown) == ("", "")
    held.restore(edition)
    assert edition.content == html
    held.written(edition)
    assert edition.content is None


def test_a_page_never_held_is_left_as_it_is():
    held, policy = HeldPages(), page("index.md")
    policy.content = "<h1>Политика</h1>"
    held.restore(policy)
    held.written(policy)
    assert (policy.content, policy.markdown) == ("<h1>Политика</h1>", "# Редакция\n\n1.1. Текст.")
