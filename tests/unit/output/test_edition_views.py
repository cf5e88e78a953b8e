"""The pages generated for a document's editions: which exist, where, with what title, front matter and body, and
which search engines skip. No MkDocs build."""

from datetime import date
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from mkdocs.utils.meta import get_data

from alectro_policy.output.edition_views import (
    EditionPageView,
    HistoryView,
    _front_matter,
    edition_links,
    edition_views,
    page_date,
)
from alectro_policy.urls import page_url
from support import published

TEXT = "# Политика\n\n1.1. Пункт.\n"
SECOND = TEXT.replace("Пункт", "Новый пункт")


def front_matter(view) -> dict:
    source = view.front_matter()
    assert source.startswith("---\n") and source.endswith("---\n")
    return yaml.safe_load(source.removeprefix("---\n").removesuffix("---\n"))


def test_a_document_has_its_history_each_edition_s_text_and_each_later_edition_s_changes():
    views = edition_views(published("terms.md", TEXT, SECOND))
    assert [(view.kind, view.src_uri) for view in views] == [
        ("history", "terms/editions/index.md"),
        ("text", "terms/editions/1/index.md"),
        ("text", "terms/editions/2/index.md"),
        ("changes", "terms/editions/2/changes/index.md"),
    ]
    assert [view.title for view in views] == [
        "История редакций — Политика",
        "Редакция № 1 — Политика",
        "Редакция № 2 — Политика",
        "Изменения в редакции № 2 — Политика",
    ]


def test_a_draft_is_previewed_and_under_make_serve_a_committed_draft_s_address_says_so():
    with_draft = edition_views(published("index.md", TEXT, draft=SECOND))
    assert [(v.kind, v.src_uri, v.title) for v in with_draft if v.kind == "draft"] == [
        ("draft", "editions/draft/index.md", "Проект редакции № 2, не опубликован — Политика")
    ]
    committed = edition_views(published("index.md", TEXT, SECOND), preview=True)
    assert [(v.kind, v.src_uri, v.title) for v in committed if v.kind == "committed"] == [
        ("committed", "editions/draft/index.md", "Проект стал редакцией № 2 — Политика")
    ]
    assert "committed" not in [v.kind for v in edition_views(published("index.md", TEXT, SECOND))]
    assert "committed" not in [v.kind for v in edition_views(published("index.md", TEXT), preview=True)]


def test_past_editions_and_previews_are_kept_from_search_engines_the_history_and_the_edition_in_force_are_not():
    views = edition_views(published("index.md", TEXT, SECOND, draft=SECOND + "\n1.2. Ещё.\n"))
    robots = {
        (v.kind, getattr(getattr(v, "record", None), "number", None)): front_matter(v).get("robots") for v in views
    }
    assert robots == {
        ("history", None): None,
        ("draft", 3): "noindex",
        ("text", 1): "noindex",
        ("text", 2): None,
        ("changes", 2): None,
    }
    for view in views:
        meta = front_matter(view)
        assert meta["search"] == {"exclude": True} and meta["template"].endswith(".html")


def test_a_title_is_escaped_once_for_the_theme_that_prints_it_as_html():
    hostile = "# <img src=x onerror=alert(1)> & Co\n\n1.1. Пункт.\n"
    (view,) = [v for v in edition_views(published("index.md", hostile)) if v.kind == "text"]
    assert front_matter(view)["title"] == "Редакция № 1 — &lt;img src=x onerror=alert(1)&gt; &amp; Co"


def test_an_edition_s_page_holds_its_text_without_its_front_matter_and_other_pages_no_body():
    source = "---\nedition_date: 2026-01-02\n---\n" + TEXT
    views = edition_views(published("index.md", source, SECOND))
    text = next(v for v in views if v.kind == "text")
    assert text.body() == TEXT
    assert [v.body() for v in views if v.kind != "text"] == ["", ""]


def test_a_past_edition_is_titled_as_it_was_then():
    renamed = SECOND.replace("# Политика", "# Политика конфиденциальности")
    first = next(v for v in edition_views(published("index.md", TEXT, renamed)) if v.kind == "text")
    assert first.title == "Редакция № 1 — Политика"


def test_the_sitemap_date_is_the_edition_s_not_the_build_s_and_none_for_a_draft():
    document = published("index.md", TEXT, SECOND)
    views = {(v.kind, getattr(getattr(v, "record", None), "number", None)): v for v in edition_views(document)}
    assert page_date(document.editions_of, None) == date(2026, 1, 3)
    assert page_date(None, views[("text", 1)]) == date(2026, 1, 2)
    assert page_date(None, views[("history", None)]) == date(2026, 1, 3)
    assert page_date(published("index.md", TEXT, draft=SECOND).editions_of, None) is None
    assert page_date(None, None) is None


def test_only_an_edition_s_text_page_resolves_its_links_from_where_the_text_was_committed():
    document = published("privacy.md", TEXT, SECOND, moved_from=[("index.md", 1)])
    views = edition_views(document)
    images = SimpleNamespace(reader=lambda history, edition: lambda path: None)
    first = next(v for v in views if v.kind == "text")
    links = edition_links(first, images, page_url)
    assert links is not None and (links.document, links.folder) == ("index.md", "privacy/editions/1/")
    assert [edition_links(v, images, page_url) for v in views if v.kind != "text"] == [None, None]
    assert edition_links(None, images, page_url) is None


def test_a_history_without_an_edition_or_changes_for_a_first_edition_is_a_mistake_that_says_which():
    with pytest.raises(ValueError, match="index.md has no edition, so no history page"):
        _ = HistoryView(published("index.md")).updated
    first = published("index.md", TEXT).records[0]
    with pytest.raises(ValueError, match="edition 1 of index.md has no changes page"):
        _ = EditionPageView("changes", published("index.md", TEXT), first).src_uri


@settings(max_examples=200, deadline=None)
@given(title=st.text(), archived=st.booleans())
def test_any_title_reads_back_from_the_front_matter_as_mkdocs_reads_it(title, archived):
    # Written with libyaml's emitter, read back by MkDocs' own reading of a page (libyaml's loader).
    view = SimpleNamespace(
        kind="text", title=title, description=title, archived=archived, duplicates="terms/" if archived else None
    )
    source = _front_matter(view)
    body, meta = get_data(source + "Текст")
    assert body == "Текст" and meta["title"] == meta["description"] == str(escape(title))
    assert meta["robots" if archived else "template"] == ("noindex" if archived else "edition.html")


def test_a_title_declared_with_a_lone_surrogate_is_written_as_pyyaml_writes_it_not_a_crash():
    # YAML's "\udcff" in a document's front matter is a lone surrogate, which libyaml's emitter cannot take.
    title = "Политика \udcff"
    view = SimpleNamespace(kind="text", title=title, description=title, archived=False, duplicates=None)
    meta = {"description": title, "search": {"exclude": True}, "template": "edition.html", "title": title}
    assert _front_matter(view) == "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n"
