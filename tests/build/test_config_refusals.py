"""Configuration and content that would give a broken site are refused with one clear line, never built."""

import logging
import re

import pytest
from mkdocs.exceptions import Abort

from support import MINIMAL_CONFIG, GitRepo, make_changes

POLICY = "# Политика\n\n1.1. Первый пункт.\n\n2.2. Сайт использует cookies.\n"


def messages(caplog, *levels: str) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelname in levels]


@pytest.fixture
def published(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    return git_repo


# -- 12: one line instead of a traceback ---------------------------------------------------------------


def test_an_empty_documents_list_is_a_config_error_saying_what_to_list(published, caplog):
    from mkdocs.config import load_config

    published.configure("      documents: []\n")
    with pytest.raises(Abort):
        load_config(str(published.root / "mkdocs.yml"))
    assert any(
        "documents" in m and "the list is empty: list at least one policy document" in m
        for m in messages(caplog, "ERROR")
    ), caplog.text


def test_a_control_character_in_committed_front_matter_is_the_front_matter_error_naming_the_commit(git_repo, refused):
    git_repo.write("docs/index.md", "---\ntitle: Поли\x01тика\n---\n" + POLICY)
    sha = git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    refused(git_repo.build, rf"docs/index\.md at commit {sha[:10]} .*not valid YAML \(unacceptable character #x0001")


# -- 13 (a): the banner's link to the clause on cookies must lead to it ------------------------------------


def test_a_cookie_clause_the_policy_does_not_have_fails_the_strict_build_naming_the_option_and_the_anchors(
    published, refused
):
    published.configure("      consent:\n        cookie_clause: p7.1\n")
    message = refused(published.build, "cookie_clause")
    assert (
        "consent.cookie_clause" in message
        and "'p7.1'" in message
        and "docs/index.md has no element with that id" in message
    )
    assert "(the page has p1.1, p2.2)" in message


def test_a_cookie_clause_named_by_words_no_single_clause_has_is_refused_naming_the_clauses(published, refused):
    published.configure("      consent:\n        cookie_clause: сайт хранит cookies\n")
    message = refused(published.build, "cookie_clause")
    assert "no numbered clause contains the words 'сайт хранит cookies' (the text has п. 1.1, п. 2.2)" in message
    published.configure("      consent:\n        cookie_clause: пункт\n")  # in 1.1 and, below, in 2.2
    published.write("docs/index.md", POLICY.replace("cookies.", "cookies (пункт о cookies)."))
    published.commit("Уточнение", "2026-03-11T12:00:00+03:00")
    assert "the words 'пункт' are in п. 1.1, п. 2.2: quote more" in refused(published.build, "cookie_clause")


def test_the_cookie_clause_is_checked_against_the_rendered_page_whatever_the_markdown_layout(published):
    # A heading with the clause's number right under it, no blank line: still the anchor the page has.
    published.write("docs/index.md", "# Политика\n## 2. Cookies\n2.2. Сайт использует cookies.\n")
    published.commit("Раздел 2", "2026-03-11T12:00:00+03:00")
    assert (published.build() / "index.html").exists()


# -- 13 (d): directory URLs are the only URLs the editions have ---------------------------------------------


def test_use_directory_urls_false_is_refused_with_the_reason_and_the_fix(published, refused):
    published.write("mkdocs.yml", MINIMAL_CONFIG.format(plugin_options="") + "use_directory_urls: false\n")
    message = refused(published.build, "use_directory_urls")
    assert "would lead to 404 pages" in message and "Remove 'use_directory_urls: false' from mkdocs.yml" in message


# -- 13 (e): an emptied policy is a mistake, an old empty edition is history ---------------------------------


@pytest.mark.parametrize(
    "text, missing",
    [("", "no text"), ("\n\n", "no text"), ("# Политика\n\nТекст без единого пункта.\n", "no numbered clause")],
)
def test_a_commit_that_removes_every_clause_fails_the_strict_build_saying_to_restore_the_text(
    published, refused, text, missing
):
    published.write("docs/index.md", text)
    sha = published.commit("Случайно стёрт текст", "2026-03-11T12:00:00+03:00")
    message = refused(published.build, missing)
    assert f"docs/index.md: edition 2 (commit {sha[:10]}), the current one, has {missing}" in message
    assert "Restore the text and commit it as a new commit" in message


def test_a_past_empty_edition_does_not_fail_the_build_once_the_text_is_restored(published):
    published.write("docs/index.md", "")
    published.commit("Случайно стёрт текст", "2026-03-11T12:00:00+03:00")
    published.write("docs/index.md", POLICY)
    published.commit("Текст восстановлен", "2026-03-12T12:00:00+03:00")
    assert (published.build() / "editions/2/index.html").exists()


def test_an_emptied_draft_is_a_warning_in_a_plain_build_and_a_note_in_serve(published, caplog):
    published.write("docs/index.md", "# Политика\n")
    published.build(strict=False)
    assert any("the draft of edition 2" in m and "no numbered clause" in m for m in messages(caplog, "WARNING"))
    caplog.clear()
    caplog.set_level(logging.INFO, logger="mkdocs")
    published.build(command="serve")
    assert not messages(caplog, "WARNING", "ERROR")
    assert any("no numbered clause" in m for m in messages(caplog, "INFO"))


def test_a_build_with_the_plugin_disabled_after_an_enabled_one_in_the_same_process_is_plain(published, caplog):
    # MkDocs keeps the plugin's instance between builds of one process (mkdocs serve, bench/editions.py).
    published.build()
    published.configure("      enabled: false\n")
    caplog.clear()
    site = published.build(strict=False)
    assert "policy-stamp" not in (site / "index.html").read_text(encoding="utf-8")
    assert messages(caplog, "WARNING", "ERROR") == []


# -- options are checked when the config loads, the same for make build and make changes ------------------------


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ("      consent:\n        document: cookies.md\n", "'consent.document' names cookies.md, which 'documents'"),
        ("      first_published:\n        terms.md: 'abc1234'\n", "'first_published' names terms.md, which"),
        ("      consent:\n        log_url: //evil.example/log\n", "'//evil.example/log' is not a path on this site"),
    ],
)
def test_make_build_and_make_changes_refuse_an_option_with_the_same_line_before_git_is_read(
    tmp_path, refused, options, error
):
    # Not a git repository: an option checked after reading git would be a git error here instead.
    site = GitRepo(tmp_path / "site")
    site.write("docs/index.md", POLICY)
    site.configure(options)
    message = refused(site.build, re.escape(error))
    assert message.startswith("Config value 'plugins': Plugin 'alectro-policy' option ")
    changes = make_changes(site)
    assert changes.returncode != 0 and message in changes.stderr, changes.stderr
