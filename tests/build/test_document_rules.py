"""Per-document rules (issue 16, items 3, 4, 5): a document without numbered clauses, the cookie clause on the
page the banner links, clause numbers given twice, a front-matter title."""

from __future__ import annotations

import json

import pytest
from mkdocs.exceptions import Abort

from support import MINIMAL_CONFIG, GitRepo, build_site, read_html

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


def test_the_footer_history_link_leads_to_the_history_of_the_page_s_own_document(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.write("docs/terms.md", "# Условия\n\n1.1. Условие.\n")
    git_repo.write("docs/about.md", "# О магазине\n\nТекст.\n")
    git_repo.configure("      documents: [index.md, terms.md]\n")
    git_repo.commit("Политика и условия", "2026-03-10T12:00:00+03:00")
    site = git_repo.build()

    def footer_history(page: str) -> str:
        link = next(a for a in read_html(site / page).select(".policy-footer-links a") if "История" in a.get_text())
        return link["href"]

    assert footer_history("terms/index.html") == "editions/"
    assert footer_history("terms/editions/1/index.html") == "../"
    assert footer_history("index.html") == "editions/"
    assert footer_history("about/index.html") == "../editions/"  # a page of no document: the policy's


# -- files that cannot give editions: refused with the file and the fix (issue 16, item 5) ------------------


def test_a_working_file_saved_as_windows_1251_is_refused_with_the_save_as_utf8_fix(git_repo, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    (git_repo.docs / "index.md").write_bytes(POLICY.replace("Первый", "Изменённый").encode("cp1251"))
    message = refused(git_repo.build)
    assert "docs/index.md (as it is now) is not UTF-8 text" in message and "save it as UTF-8" in message
    assert "Traceback" not in message


def test_a_symlinked_document_is_refused_naming_the_link_and_the_fix(git_repo, refused):
    git_repo.write("policy.md", POLICY)
    git_repo.docs.mkdir()
    (git_repo.docs / "index.md").symlink_to("../policy.md")
    git_repo.commit("Политика ссылкой", "2026-03-10T12:00:00+03:00")
    message = refused(git_repo.build)
    assert "docs/index.md is a symbolic link" in message and "cp --remove-destination" in message


def test_a_document_inside_a_git_submodule_is_refused_naming_the_submodule(git_repo, refused, tmp_path):
    from support import GitRepo

    legal = GitRepo.new(tmp_path / "legal-repo")
    legal.write("terms.md", "# Условия\n\n1.1. Условие.\n")
    legal.commit("Условия", "2026-01-01T12:00:00+03:00")
    git_repo.write("docs/index.md", POLICY)
    git_repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(legal.root), "docs/legal")
    git_repo.configure("      documents: [index.md, legal/terms.md]\n")
    git_repo.commit("Политика и условия из подмодуля", "2026-03-10T12:00:00+03:00")
    message = refused(git_repo.build)
    assert "docs/legal/terms.md is inside the git submodule docs/legal/" in message and "copy the file" in message


def publish(repo, monkeypatch) -> None:
    """Build and keep its editions.json as the live site's, handed to every later build as make publish does."""
    live = repo.root.parent / "live-editions.json"
    live.write_bytes((repo.build() / "editions.json").read_bytes())
    monkeypatch.setenv("ALECTRO_PUBLISHED_EDITIONS", str(live))


def test_a_published_document_replaced_by_a_symlink_is_refused_naming_the_link_and_the_fix(
    git_repo, refused, monkeypatch
):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    publish(git_repo, monkeypatch)
    git_repo.write("policy.md", POLICY.replace("Первый", "Изменённый"))
    (git_repo.docs / "index.md").unlink()
    (git_repo.docs / "index.md").symlink_to("../policy.md")
    git_repo.commit("Политика ссылкой", "2026-03-11T12:00:00+03:00")
    message = refused(git_repo.build)
    assert "docs/index.md is a symbolic link" in message and "cp --remove-destination" in message


def test_a_published_document_moved_into_a_git_submodule_is_refused_naming_the_submodule(
    git_repo, refused, tmp_path, monkeypatch
):
    from support import GitRepo

    git_repo.write("docs/index.md", POLICY)
    git_repo.write("docs/legal/terms.md", "# Условия\n\n1.1. Условие.\n")
    git_repo.configure("      documents: [index.md, legal/terms.md]\n")
    git_repo.commit("Политика и условия", "2026-03-10T12:00:00+03:00")
    publish(git_repo, monkeypatch)
    legal = GitRepo.new(tmp_path / "legal-repo")
    legal.write("terms.md", "# Условия\n\n1.1. Условие.\n")
    legal.commit("Условия", "2026-03-11T12:00:00+03:00")
    git_repo.git("rm", "-q", "-r", "docs/legal")
    git_repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(legal.root), "docs/legal")
    git_repo.commit("Условия из подмодуля", "2026-03-12T12:00:00+03:00")
    message = refused(git_repo.build)
    assert "docs/legal/terms.md is inside the git submodule docs/legal/" in message and "copy the file" in message


def test_messages_name_the_site_s_own_docs_dir(git_repo, refused):
    git_repo.write("mkdocs.yml", (git_repo.root / "mkdocs.yml").read_text(encoding="utf-8") + "docs_dir: Policies\n")
    git_repo.write("Policies/index.md", POLICY)
    git_repo.commit("Политика в Policies/", "2026-03-10T12:00:00+03:00")
    git_repo.write("Policies/index.md", POLICY.replace("Первый", "Изменённый"))
    message = refused(git_repo.build, "uncommitted")
    assert "Editions: Policies/index.md has uncommitted changes" in message
    git_repo.write("Policies/index.md", "# Политика\n\nБез пунктов.\n")
    git_repo.commit("Пункты стёрты", "2026-03-11T12:00:00+03:00")
    assert refused(git_repo.build, "no numbered clause").startswith("alectro_policy: Policies/index.md: edition 2")


def test_a_docs_dir_that_is_the_repository_s_top_is_not_taken_for_a_submodule(tmp_path):
    # A repository of legal documents at its top (Automattic's): mkdocs.yml beside it, docs_dir the clone itself.
    documents = GitRepo.new(tmp_path / "legal")
    documents.write("Privacy Policy.md", "# Политика\n\n1.1. Первый пункт.\n")
    documents.commit("Политика", "2026-01-15T10:00:00+03:00")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        MINIMAL_CONFIG.format(
            plugin_options=":\n      documents: ['Privacy Policy.md']\n      consent:\n        enabled: false\n"
        )
        + f"docs_dir: '{documents.root}'\n",
        encoding="utf-8",
    )
    site = build_site(config, tmp_path / "site")
    (document,) = json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"]
    assert document["source"] == "Privacy Policy.md" and len(document["editions"]) == 1
