"""Visitors read the edition's own words, never git's: over a history made the ways GitHub makes it (a merge commit
with the pull request's description and a co-author, a squash listing with `Co-authored-by`, a revert), no built
page says «коммит», shows an e-mail address from the history, or a word of git's (branch, merge, trailer)."""

from __future__ import annotations

import re

import pytest

from support import GitRepo, make_changes, read_html

V1 = """# Политика

## 1. Общие положения

1.1. Данные передаются транспортной компании.

1.2. Данные хранятся 30 дней.

## 2. Данные

2.1. Данные включают имя.

2.2. Сайт использует cookies.
"""
CO_AUTHOR = "Co-authored-by: Второй Редактор <ed2@alectro.test>"
# Every address the history holds: the committers' and the co-author's.
ADDRESSES = ["editor@alectro.ru", "ed2@alectro.test"]
GIT_WORDS = re.compile(r"коммит|\bbranch|\bmerge|trailer|co-authored|signed-off|edition:|\(#\d+\)", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    repo = GitRepo.new(tmp_path_factory.mktemp("words") / "site")
    repo.write("docs/index.md", V1)
    repo.commit("Первая редакция\n\nС этого коммита начинается история редакций.", "2026-01-15T10:00:00+03:00")
    # A pull request merged with a merge commit: GitHub's message carries its title and description.
    repo.git("checkout", "-q", "-b", "move45")
    repo.write("docs/index.md", V1.replace("30 дней", "60 дней"))
    repo.commit(
        f"Срок 60 дней\n\nТело коммита: для юриста, не для посетителей.\n\n{CO_AUTHOR}", "2026-02-01T10:00:00+03:00"
    )
    repo.git("checkout", "-q", "main")
    merge = f"Merge pull request #4 from alectro/move45\n\nСроки хранения\n\nПо запросу юриста.\n\n{CO_AUTHOR}"
    repo.git("merge", "-q", "--no-ff", "-m", merge, "move45", date="2026-02-02T10:00:00+03:00")
    merged = repo.git("rev-parse", "HEAD")
    # A squash of two commits with GitHub's default message: the listing and the co-author.
    repo.write("docs/index.md", V1.replace("30 дней", "60 дней").replace("имя.", "имя и рекламные цели."))
    listing = f"* Рекламные цели\n\nПодробности.\n\n* Опечатка\n\nEdition: editorial\n\n---------\n\n{CO_AUTHOR}"
    repo.commit(f"Уточнения (#5)\n\n{listing}", "2026-03-01T10:00:00+03:00")
    # GitHub's Revert button, merged by rebase: git's own message for reverting the merge of #4.
    repo.git("revert", "--no-edit", "-m", "1", merged, date="2026-04-01T10:00:00+03:00")
    assert repo.git("log", "-1", "--format=%s") == 'Revert "Merge pull request #4 from alectro/move45"'
    return repo.build()


def visible_text(path) -> str:
    soup = read_html(path)
    for hidden in soup(["script", "style", "noscript"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


def test_no_page_says_kommit_or_shows_an_address_or_a_git_word(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        text = visible_text(page)
        assert not GIT_WORDS.search(text), (page.relative_to(site), GIT_WORDS.search(text))
        assert not [address for address in ADDRESSES if address in text], page.relative_to(site)
    for feed in site.rglob("feed.xml"):
        body = feed.read_text(encoding="utf-8")
        assert "коммит" not in body.lower() and not [address for address in ADDRESSES if address in body]


def test_the_history_shows_the_pull_request_s_words_and_what_a_revert_restores(site):
    items = read_html(site / "editions/index.html").select("ol.policy-editions > li")
    summaries = [" ".join(item.select_one(".policy-edition__summary").get_text().split()) for item in items]
    assert summaries == ["Отмена изменений: Сроки хранения", "Уточнения", "Сроки хранения", "Первая редакция"]
    descriptions = [item.select_one(".policy-edition__description") for item in items]
    assert [d.get_text(" ", strip=True) if d else None for d in descriptions] == [
        None,
        None,
        "По запросу юриста.",
        None,
    ]


def test_an_archived_edition_names_its_file_as_the_visitor_downloads_it(site):
    checksum = read_html(site / "editions/1/index.html").select_one(".policy-checksum")
    assert checksum.a["href"] == "source.md" and checksum.a.get_text() == "source.md"
    assert "docs/index.md" not in checksum.get_text()


def test_the_build_says_which_clause_refused_a_trailer(tmp_path, caplog):
    repo = GitRepo.new(tmp_path / "site")
    repo.write("docs/index.md", V1)
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    repo.write("docs/index.md", V1.replace("компании.", "компании и рекламным партнёрам."))
    repo.commit("Опечатка\n\nEdition: editorial", "2026-02-01T10:00:00+03:00")
    with caplog.at_level("INFO"):
        site = repo.build()
    said = [record.getMessage() for record in caplog.records if "Edition: editorial" in record.getMessage()]
    assert len(said) == 1 and "edition 2" in said[0] and "п. 1.1: добавлены слова «и рекламным партнёрам.»" in said[0]
    assert [record.levelname for record in caplog.records if record.getMessage() in said] == ["INFO"]
    item = read_html(site / "editions/index.html").select_one("#edition-2")
    assert "редакционная правка" not in item.get_text()


def test_make_changes_promises_the_revert_s_summary_the_history_publishes(tmp_path):
    repo = GitRepo.new(tmp_path / "site")
    repo.write("docs/index.md", V1)
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    repo.git("checkout", "-q", "-b", "move45")
    repo.write("docs/index.md", V1.replace("30 дней", "60 дней"))
    repo.commit("Срок 60 дней", "2026-02-01T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    merge = "Merge pull request #4 from alectro/move45\n\nСроки хранения"
    repo.git("merge", "-q", "--no-ff", "-m", merge, "move45", date="2026-02-02T10:00:00+03:00")
    # GitHub's Revert button: a branch holding git's revert of the merge.
    repo.git("checkout", "-q", "-b", "revert-4-move45")
    repo.git("revert", "--no-edit", "-m", "1", "HEAD", date="2026-03-01T10:00:00+03:00")
    result = make_changes(repo)
    assert "Описание в истории редакций: «Отмена изменений: Сроки хранения»." in result.stdout, result.stdout
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "revert-4-move45")
    summary = read_html(repo.build() / "editions/index.html").select_one("#edition-3 .policy-edition__summary")
    assert " ".join(summary.get_text().split()) == "Отмена изменений: Сроки хранения"
