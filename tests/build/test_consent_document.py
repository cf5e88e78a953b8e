"""A separate consent document (152-FZ as amended by 156-FZ).

It is stamped, has its own history, and the banner is bound to it.
"""

import json

import pytest

from support import read_html

POLICY = "# Политика\n\n## 1. Общее\n\n1.1. Пункт.\n\n## 2. Cookies\n\n2.2. Сайт использует cookies.\n"
# A fixture, not legal text: the shop writes its own.
CONSENT = "# Согласие (тест)\n\n## 1. Предмет\n\n1.1. Тестовый пункт о веб-аналитике.\n"


def configure(repo, document: str | None = "cookies.md", log_url: str | None = None) -> None:
    options = "      documents: [index.md, cookies.md]\n"
    consent = ""
    if document:
        consent += f"        document: {document}\n"
    if log_url:
        consent += f"        log_url: {log_url}\n"
    repo.configure(options + ("      consent:\n" + consent if consent else ""))


@pytest.fixture
def repo(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.write("docs/cookies.md", CONSENT)
    git_repo.commit("Политика и согласие", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/cookies.md", CONSENT.replace("Тестовый пункт", "Уточнённый тестовый пункт"))
    git_repo.commit("Согласие: редакция 2", "2026-03-01T10:00:00+03:00")
    return git_repo


def settings_of(soup):
    return json.loads(soup.select_one("script#alectro-consent-settings").string)


def test_the_consent_document_is_stamped_has_its_history_and_is_in_editions_json(repo):
    configure(repo)
    site = repo.build()
    page = read_html(site / "cookies/index.html")
    assert page.select_one(".policy-stamp")["data-edition"] == "2"
    assert (site / "cookies/editions/index.html").is_file() and (
        site / "cookies/editions/2/changes/index.html"
    ).is_file()
    documents = {d["source"]: d for d in json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"]}
    assert documents["docs/cookies.md"]["current_edition"] == 2
    assert documents["docs/cookies.md"]["title"] == "Согласие (тест)"


def test_the_banner_names_the_consent_document_and_links_its_edition_in_force_on_every_page(repo):
    configure(repo, log_url="/privacy/consent-log")
    site = repo.build()
    data = json.loads((site / "editions.json").read_text(encoding="utf-8"))
    consent_doc = next(d for d in data["documents"] if d["source"] == "docs/cookies.md")
    for page, root in (("index.html", "."), ("editions/1/index.html", "../.."), ("cookies/index.html", "..")):
        soup = read_html(site / page)
        template = soup.select_one("template#alectro-consent")
        link = template.select_one("a[data-consent-document]")
        assert link["href"] == f"{root}/cookies/editions/2/", page
        assert "Согласие даётся по документу «Согласие (тест)»" in " ".join(template.get_text().split()), page
        settings = settings_of(soup)
        assert settings["document"] == {
            "key": settings["document"]["key"],
            "source": "docs/cookies.md",
            "sha256": consent_doc["editions"][1]["sha256"],
            "policy": False,
            # For the visitor's receipt (consent-receipt.js).
            "title": "Согласие (тест)",
        }
        assert (settings["edition"], settings["current"], settings["log"]) == (2, 2, "/privacy/consent-log")


def test_without_the_option_consent_stays_bound_to_the_policy_and_nothing_is_logged(repo):
    configure(repo, document=None)
    soup = read_html(repo.build() / "index.html")
    settings = settings_of(soup)
    assert settings["document"]["source"] == "docs/index.md" and settings["document"]["policy"] is True
    assert (settings["edition"], settings["log"]) == (1, None)
    assert soup.select_one("template#alectro-consent a[data-consent-document]") is None


def test_a_consent_document_that_documents_does_not_list_is_refused(repo, refused):
    repo.configure("      consent:\n        document: cookies.md\n")
    assert "consent.document" in refused(repo.build, "'documents' does not list")
