"""A section inserted before others moves them: the site and `make changes` name moves, not deletions."""

import pytest

from support import make_changes, read_html

V1 = """# Политика

Вступление.

## 1. Общие положения

1.1. Первый пункт.

## 2. Передача данных

2.1. Данные передаются транспортной компании для доставки заказа.

2.2. Данные передаются банку для оплаты заказа.
"""
V2 = (
    V1.replace("## 2. Передача данных", "## 2. Cookies\n\n2.1. Сайт использует cookies.\n\n## 3. Передача данных")
    .replace("2.1. Данные передаются транспортной компании", "3.1. Данные передаются курьерской службе")
    .replace("2.2. Данные", "3.2. Данные")
)


@pytest.fixture
def renumbered(git_repo):
    # The banner's link to the clause on cookies: p2.1 is in both editions.
    git_repo.configure("      consent:\n        cookie_clause: p2.1\n")
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V2)
    return git_repo


def text_of(element) -> str:
    return " ".join(element.get_text().split())


def test_make_changes_names_moves_and_compares_words_with_the_clause_they_came_from(renumbered):
    result = make_changes(renumbered)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "исключ" not in out
    assert "Изменён п. 3.1 (был 2.1); добавлены разд. 2, п. 2.1; изменена нумерация: разд. 2 стал разд. 3, " in out
    assert "п. 2.2 стал п. 3.2." in out
    assert "### П. 2.2 стал п. 3.2\n\nТекст не изменился.\n" in out
    section = out.split("### П. 2.1 стал п. 3.1 и изменён\n\n", 1)[1].split("\n")[0]
    assert (
        section
        == "~~2.1.~~**3.1.** Данные передаются ~~транспортной компании~~**курьерской службе** для доставки заказа."
    )


def test_history_and_changes_page_name_moves_not_deletions(renumbered):
    renumbered.commit("Раздел о cookies", "2026-02-01T10:00:00+03:00")
    site = renumbered.build()
    history = read_html(site / "editions/index.html")
    summary = text_of(history.select_one("#edition-2 .policy-edition__changed"))
    assert "исключ" not in summary
    assert "изменена нумерация: разд. 2 стал разд. 3, п. 2.2 стал п. 3.2." in summary
    assert history.select_one('#edition-2 a[href="2/#p3.2"]').get_text() == "п. 2.2 стал п. 3.2"
    changes = read_html(site / "editions/2/changes/index.html")
    labels = [text_of(h) for h in changes.select(".policy-diff-label")]
    assert labels == [
        "Разд. 2: добавлен",
        "П. 2.1: добавлен",
        "Разд. 2 стал разд. 3",
        "П. 2.1 стал п. 3.1 и изменён",
        "П. 2.2 стал п. 3.2",
    ]
    # A clause that only moved is folded under its move; one that moved and changed shows its words.
    folded = changes.select_one("details.policy-diff-moved#p3\\.2")
    assert text_of(folded.summary) == "П. 2.2 стал п. 3.2"
    assert text_of(folded.select_one(".policy-diff-text")) == "3.2. Данные передаются банку для оплаты заказа."
    moved = changes.select_one("#p3\\.1")
    assert [text_of(d) for d in moved.select("del")] == ["[удалено: 2.1.]", "[удалено: транспортной компании]"]
    assert [text_of(i) for i in moved.select("ins")] == ["[добавлено: 3.1.]", "[добавлено: курьерской службе]"]
