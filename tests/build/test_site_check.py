"""Every build checks its own output: a theme or an engine that drops the plugin's part fails the build."""

import shutil

import pytest

from alectro_policy.output.completeness import missing_outputs
from support import MINIMAL_CONFIG

V1 = "# Политика\n\nВступление.\n\n## 1. Общее\n\n1.1. Пункт.\n\n## 2. Cookies\n\n2.2. Cookies.\n"


@pytest.fixture
def two_editions(git_repo):
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V1.replace("Пункт.", "Пункт первый."))
    git_repo.commit("Вторая", "2026-02-15T10:00:00+03:00")
    return git_repo


def test_a_theme_override_that_drops_the_page_content_fails_the_build_naming_what_is_missing(two_editions, refused):
    config = MINIMAL_CONFIG.format(plugin_options="").replace("  font: false", "  custom_dir: overrides\n  font: false")
    two_editions.write("mkdocs.yml", config)
    two_editions.write("overrides/main.html", '{% extends "base.html" %}\n{% block content %}{% endblock %}\n')
    message = refused(two_editions.build, "The built site is incomplete")
    assert "the page of docs/index.md has no edition stamp (index.html)" in message


def test_a_complete_site_has_nothing_missing_and_each_lost_part_is_named(two_editions):
    site = two_editions.build()
    from zoneinfo import ZoneInfo

    from alectro_policy.history.site_editions import EditionsRequest, read_editions
    from alectro_policy.output.publication import published_document
    from alectro_policy.urls import page_url

    site_editions = read_editions(EditionsRequest(two_editions.docs, ["index.md"], ZoneInfo("Europe/Moscow")))
    documents = [published_document(site_editions.documents["index.md"], page_url)]
    assert missing_outputs(site, documents, banner=True) == []
    shutil.rmtree(site / "editions/2/changes")
    (site / "editions/feed.xml").unlink()
    (site / "editions/index.html").write_text("<html></html>", encoding="utf-8")
    assert missing_outputs(site, documents, banner=True) == [
        "the history of docs/index.md has no consent banner (editions/index.html)",
        "the changes of edition 2 of docs/index.md is missing (editions/2/changes/index.html)",
        "the feed of docs/index.md is missing (editions/feed.xml)",
    ]
    # An editions.json in its format that lists no edition (one in another shape is «missing or unreadable»).
    (site / "editions.json").write_text(
        '{"format": 1, "site_url": "/", "timezone": "UTC", "documents": []}', encoding="utf-8"
    )
    assert missing_outputs(site, documents, banner=False)[-2:] == [
        "editions.json does not list edition 1 of docs/index.md",
        "editions.json does not list edition 2 of docs/index.md",
    ]
