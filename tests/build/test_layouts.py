"""Built sites follow what a reader sees: layout-only commits are no edition, clauses are named as rendered,
the title is the rendered heading, and the history and changes pages use one set of word forms."""

import json
import re

from support import read_html

V1 = """# Политика

Вступление к политике.

## 1. Общие положения

1.1. Использование сайта означает согласие пользователя с настоящей Политикой.

## 2. Данные

2.1. Данные включают имя и телефон.

2.2. Сайт защищает данные.
"""
# The same policy as an editor might re-type it: lines re-wrapped, spaces doubled, tabs, headings tight.
V1_RETYPED = """# Политика
Вступление   к
политике.

## 1. Общие положения
1.1. Использование сайта означает\tсогласие
пользователя с настоящей  Политикой.



## 2. Данные
2.1. Данные включают имя
   и телефон.

2.2. Сайт защищает данные. \n"""


def test_a_commit_that_only_re_types_the_policy_is_no_edition_and_asks_no_new_consent(git_repo):
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V1_RETYPED)
    git_repo.commit("Переносы строк", "2026-02-15T10:00:00+03:00")
    site = git_repo.build()
    editions = json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"][0]["editions"]
    assert [(e["number"], e["date"]) for e in editions] == [(1, "2026-01-15")]
    soup = read_html(site / "index.html")
    assert "Редакция № 1 от 15 января 2026" in " ".join(soup.select_one(".policy-stamp").get_text().split())
    assert json.loads(soup.select_one("script#alectro-consent-settings").string)["edition"] == 1


def test_a_clause_edited_under_a_heading_typed_without_a_blank_line_is_named_alone(git_repo):
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V1_RETYPED.replace("имя\n   и телефон", "имя, телефон\n   и адрес"))
    git_repo.commit("Адрес в п. 2.1", "2026-02-15T10:00:00+03:00")
    site = git_repo.build()
    history = read_html(site / "editions/index.html")
    assert " ".join(history.select_one("#edition-2 .policy-edition__changed").get_text().split()) == "Изменён п. 2.1."
    changes = read_html(site / "editions/2/changes/index.html")
    assert [" ".join(h.get_text().split()) for h in changes.select(".policy-diff-label")] == ["П. 2.1: изменён"]
    marked = [(tag.name, " ".join(tag.get_text().split())) for tag in changes.select(".policy-diff-text :is(ins, del)")]
    # Only words changed: the lines the editor re-wrapped are no change.
    assert marked == [
        ("del", "[удалено: имя]"),
        ("ins", "[добавлено: имя, телефон]"),
        ("del", "[удалено: телефон.]"),
        ("ins", "[добавлено: адрес.]"),
    ]


def test_a_changed_preamble_is_named_with_the_same_word_form_on_the_history_and_changes_pages(git_repo):
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V1.replace("Вступление к политике.", "Новое вступление к политике."))
    git_repo.commit("Вступление", "2026-02-15T10:00:00+03:00")
    site = git_repo.build()
    history = read_html(site / "editions/index.html")
    assert (
        " ".join(history.select_one("#edition-2 .policy-edition__changed").get_text().split()) == "Изменено вступление."
    )
    changes = read_html(site / "editions/2/changes/index.html")
    assert [" ".join(h.get_text().split()) for h in changes.select(".policy-diff-label")] == ["Вступление: изменено"]


def test_a_setext_title_with_markdown_in_it_is_the_title_everywhere(git_repo):
    setext = V1.replace("# Политика\n", "Политика **конфиденциальности**\n===\n")
    git_repo.write("docs/index.md", setext)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", setext.replace("имя и телефон", "имя, телефон и адрес"))
    git_repo.commit("Адрес", "2026-02-15T10:00:00+03:00")
    site = git_repo.build()
    data = json.loads((site / "editions.json").read_text(encoding="utf-8"))
    assert data["documents"][0]["title"] == "Политика конфиденциальности"
    for page in ("editions/index.html", "editions/1/index.html", "editions/2/changes/index.html"):
        title = read_html(site / page).title.get_text()
        assert "Политика конфиденциальности" in title and "**" not in title and "index.md" not in title, page


def test_a_replaced_picture_is_a_new_edition_but_an_untouched_one_is_not(git_repo):
    """The page shows the picture: new bytes under the same name change what a reader sees."""
    with_scheme = V1.replace("2.2. Сайт защищает данные.", "2.2. Сайт защищает данные: ![Схема](img/scheme.png)")
    git_repo.write("docs/index.md", with_scheme)
    (git_repo.docs / "img").mkdir()
    (git_repo.docs / "img/scheme.png").write_bytes(b"\x89PNG partners A")
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", with_scheme.replace("защищает данные:", "защищает\nданные:"))
    git_repo.commit("Переносы строк", "2026-02-01T10:00:00+03:00")
    git_repo.write("docs/other.md", "# Другое\n")
    git_repo.commit("Другой файл", "2026-02-10T10:00:00+03:00")
    (git_repo.docs / "img/scheme.png").write_bytes(b"\x89PNG partners A, B and C")
    git_repo.commit("Новая схема", "2026-03-01T10:00:00+03:00")
    site = git_repo.build()
    editions = json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"][0]["editions"]
    assert [(e["number"], e["date"], e["summary"]) for e in editions] == [
        (1, "2026-01-15", "Первая"),
        (2, "2026-03-01", "Новая схема"),
    ]
    history = read_html(site / "editions/index.html")
    assert (
        " ".join(history.select_one("#edition-2 .policy-edition__changed").get_text().split())
        == "Изменены изображения."
    )


def test_a_readme_and_a_name_with_a_space_are_published_where_mkdocs_puts_their_pages(git_repo):
    # MkDocs publishes README.md as its folder's index and keeps the space of a name: the editions follow it.
    git_repo.configure("      documents: [README.md, условия доставки.md]\n")
    git_repo.write("docs/README.md", V1)
    git_repo.write("docs/условия доставки.md", "# Условия доставки\n\n1.1. Доставка за три дня.\n")
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/условия доставки.md", "# Условия доставки\n\n1.1. Доставка за два дня.\n")
    git_repo.commit("Срок доставки", "2026-02-15T10:00:00+03:00")
    site = git_repo.build()

    policy = read_html(site / "index.html")
    assert policy.select_one(".policy-stamp a")["href"] == "editions/"
    assert (site / "editions/1/index.html").is_file() and not (site / "README").exists()
    terms = read_html(site / "условия доставки/index.html")
    assert terms.select_one(".policy-stamp")["data-edition"] == "2"
    assert terms.select_one(".policy-stamp a")["href"] == "editions/"
    assert (site / "условия доставки/editions/2/changes/index.html").is_file()
    listed = {
        d["source"]: d["url"] for d in json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"]
    }
    assert listed == {
        "docs/README.md": "https://alectro.ru/privacy/",
        # Percent-encoded as MkDocs encodes page.url: a space makes no URI (editions.schema.json: format uri).
        "docs/условия доставки.md": "https://alectro.ru/privacy/%D1%83%D1%81%D0%BB%D0%BE%D0%B2%D0%B8%D1%8F%20"
        "%D0%B4%D0%BE%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B8/",
    }
    feed = (site / "условия доставки/editions/feed.xml").read_text(encoding="utf-8")
    assert " " not in "".join(re.findall(r'href="([^"]*)"', feed)) + "".join(re.findall(r"<id>([^<]*)</id>", feed))
    assert 'href="https://alectro.ru/privacy/%D1%83' in feed
