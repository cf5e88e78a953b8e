"""Per-document rules (issue 16, items 3, 4, 5): a document without numbered clauses, the cookie clause on the
page the banner links, clause numbers given twice, a front-matter title."""

from __future__ import annotations

import json

import pytest
from mkdocs.exceptions import Abort

from support import read_html

POLICY = "# Политика\n\n1.1. Первый пункт.\n\n2.2. Сайт использует cookies.\n"
# Delivery terms written as plain paragraphs and a list: no clause numbers of their own.
DELIVERY = "# Доставка\n\nДоставляем по Москве.\n\n1. Курьером.\n2. Самовывозом.\n\n2.5 кг — предел веса.\n"


def test_a_document_declared_without_clauses_builds_strictly_and_gets_no_clause_anchors(git_repo, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.write("docs/delivery.md", "# Доставка\n\nДоставляем по Москве курьером.\n")
    git_repo.configure("      documents: [index.md, delivery.md]\n")
    git_repo.commit("Политика и доставка", "2026-03-10T12:00:00+03:00")
    message = refused(git_repo.build, "docs/delivery.md")
    assert "no numbered clause" in message and "'without_clauses'" in message
    git_repo.write("docs/delivery.md", DELIVERY.replace("2.5 кг", "2.5. Пункт, похожий на номер."))
    git_repo.configure("      documents: [index.md, delivery.md]\n      without_clauses: [delivery.md]\n")
    git_repo.commit("Доставка без пунктов", "2026-03-11T12:00:00+03:00")
    site = git_repo.build()
    page = read_html(site / "delivery/index.html")
    assert page.select_one(".policy-stamp")["data-edition"] == "2"
    assert not page.select(".clause-anchor") and not page.select('[id^="p2"]')
    # The policy beside it keeps its anchors.
    assert read_html(site / "index.html").select_one("#p2\\.2 .clause-anchor")


def test_without_clauses_naming_an_unlisted_document_is_refused_when_the_config_loads(git_repo, caplog):
    from mkdocs.config import load_config

    git_repo.write("docs/index.md", POLICY)
    git_repo.configure("      without_clauses: [delivery.md]\n")
    with pytest.raises(Abort):
        load_config(str(git_repo.root / "mkdocs.yml"))
    assert "'without_clauses' names delivery.md, which 'documents' does not list (index.md)" in caplog.text


@pytest.mark.parametrize("landing", [True, False], ids=["with a landing page", "without index.md"])
def test_the_cookie_clause_is_checked_on_the_page_the_banner_links(git_repo, refused, landing):
    if landing:
        git_repo.write("docs/index.md", "# Магазин\n\nО магазине.\n")
    git_repo.write("docs/privacy.md", POLICY)
    git_repo.configure("      documents: [privacy.md]\n")
    git_repo.commit("Политика в privacy.md", "2026-03-10T12:00:00+03:00")
    site = git_repo.build()
    assert read_html(site / "privacy/index.html").select_one("#p2\\.2")
    git_repo.write("docs/privacy.md", POLICY.replace("2.2.", "2.3."))
    git_repo.commit("Пункт о cookies стал 2.3", "2026-03-11T12:00:00+03:00")
    message = refused(git_repo.build, "cookie_clause")
    assert "docs/privacy.md has no element with that id" in message and "p2.3" in message


def test_clause_numbers_given_twice_are_refused_naming_the_file_and_the_fix(git_repo, refused):
    parts = "".join(f"## Часть {n}\n\n1. Общее\n\n1.1. Пункт части {n}.\n\n" for n in range(1, 4))
    git_repo.write("docs/index.md", "# Политика\n\n" + parts + "2.2. Сайт использует cookies.\n")
    git_repo.commit("Разделы с нумерацией заново", "2026-03-10T12:00:00+03:00")
    message = refused(git_repo.build, "clause numbers repeat")
    assert "docs/index.md: clause numbers repeat (1.1 (3 times))" in message
    assert "'without_clauses'" in message


def test_a_front_matter_title_names_the_document_in_editions_json_the_history_and_the_feed(git_repo):
    git_repo.write("docs/index.md", "---\ntitle: Политика конфиденциальности\n---\n\n1.1. Пункт.\n\n2.2. Cookies.\n")
    git_repo.commit("Политика без заголовка в тексте", "2026-03-10T12:00:00+03:00")
    site = git_repo.build()
    (document,) = json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"]
    assert document["title"] == "Политика конфиденциальности"
    assert "Политика конфиденциальности" in read_html(site / "editions/index.html").select_one("title").get_text()
    assert "<title>Политика конфиденциальности: редакции</title>" in (site / "editions/feed.xml").read_text("utf-8")
