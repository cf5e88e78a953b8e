"""The history of editions a visitor can read: history, permanent copies, changes, feed, editions.json."""

import hashlib
import json
import re
import subprocess
from urllib.parse import unquote

import feedparser
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import GitRepo, read_html

V1 = """# Политика

Вступление.

## 1. Общие положения

1.1. Первый пункт.

1.2. Второй пункт о транспортной компании.

## 2. Данные

2.1. Данные включают:

- имя;
- телефон.
"""
V2 = V1.replace("транспортной компании", "курьерской службе").replace("- телефон.", "- телефон;\n- адрес.")
V3 = V2.replace("1.1. Первый пункт.\n\n", "").replace("## 2. Данные", "1.3. Новый пункт.\n\n## 2. Данные")


# The banner links the clause on cookies, which must exist: here p2.1 (every edition below has it).
COOKIE_CLAUSE = "      consent:\n        cookie_clause: p2.1\n"


@pytest.fixture(autouse=True)
def banner_links_clause_2_1(git_repo):
    git_repo.configure(COOKIE_CLAUSE)


@pytest.fixture(scope="module")
def three_editions(tmp_path_factory):
    """Three editions, built once for the module: the tests that take it only read the site and the repository."""
    git_repo = GitRepo.new(tmp_path_factory.mktemp("three-editions") / "project")
    git_repo.configure(COOKIE_CLAUSE)
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая публикация", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V2)
    git_repo.commit(
        "Курьерская служба вместо транспортной компании\n\nПодробнее: п. 1.2 и 2.1.", "2026-05-20T10:00:00+03:00"
    )
    git_repo.write("docs/index.md", V3)
    git_repo.commit("Исключён п. 1.1, добавлен п. 1.3", "2026-11-24T10:00:00+03:00")
    git_repo.site = git_repo.build()
    return git_repo


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_history_lists_every_edition_newest_first_with_changed_clauses(three_editions):
    soup = read_html(three_editions.site / "editions/index.html")
    items = soup.select("ol.policy-editions > li")
    assert [li["id"] for li in items] == ["edition-3", "edition-2", "edition-1"]
    newest, middle, first = items
    assert "Редакция № 3 от 24 ноября 2026 г." in text_of(newest.h2) and "действующая" in text_of(newest.h2)
    assert text_of(newest.select_one(".policy-edition__summary")) == "Исключён п. 1.1, добавлен п. 1.3"
    assert text_of(newest.select_one(".policy-edition__changed")) == "Добавлен п. 1.3 ; исключён п. 1.1 ."
    assert newest.select_one('.policy-edition__changed a[href$="#p1.3"]')["href"] == "3/#p1.3"
    assert newest.select_one('.policy-edition__changed a[href$="#p1.1"]')["href"] == "2/#p1.1"
    assert text_of(middle.select_one(".policy-edition__changed")) == "Изменены пп. 1.2 , 2.1 ."
    # A commit's body is git's, not the edition's words: visitors read a pull request's description only.
    assert middle.select_one(".policy-edition__description") is None
    assert text_of(first.select_one(".policy-edition__changed")) == "Первая редакция."
    assert [a["href"] for a in first.select(".policy-edition__links a")] == ["1/", "1/source.md"]
    assert [a["href"] for a in middle.select(".policy-edition__links a")] == ["2/", "2/changes/", "2/source.md"]
    v1_sha = hashlib.sha256(V1.encode()).hexdigest()
    assert text_of(first.select_one(".policy-checksum code")) == v1_sha


def test_stamp_and_footer_link_to_the_history(three_editions):
    soup = read_html(three_editions.site / "index.html")
    assert soup.select_one(".policy-stamp a")["href"] == "editions/"
    assert soup.select_one(".policy-footer-links a")["href"] == "editions/"
    deep = read_html(three_editions.site / "editions/2/changes/index.html")
    assert deep.select_one(".policy-footer-links a")["href"] == "../../"


def test_past_edition_is_its_text_with_an_archive_notice_and_noindex(three_editions):
    soup = read_html(three_editions.site / "editions/2/index.html")
    notice = soup.select_one(".policy-edition-notice")
    assert (
        text_of(notice.select_one(".admonition-title"))
        == "Архивная редакция № 2. Действовала с 20 мая 2026 г. по 23 ноября 2026 г."
    )
    assert text_of(notice.select_one('a[href="../.."]')) == "№ 3 от 24 ноября 2026 г."
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    article = soup.select_one("article")
    assert text_of(article.select_one('[id="p1.2"]')) == "1.2. Второй пункт о курьерской службе."
    assert article.select_one('[id="p1.3"]') is None
    assert soup.select_one('nav.md-nav--primary a[href="./"]') is None  # not in the navigation


def test_sitemap_lists_the_current_text_history_and_changes_but_no_edition_copy(three_editions):
    sitemap = (three_editions.site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>https://alectro.ru/privacy/(.*?)</loc>", sitemap))
    # editions/3/ is the current text again: its canonical page is the document's (tests/build/test_checkers.py).
    assert listed == {"", "editions/", "editions/2/changes/", "editions/3/changes/"}


def test_current_edition_page_says_it_is_in_force_and_is_indexable(three_editions):
    soup = read_html(three_editions.site / "editions/3/index.html")
    assert (
        text_of(soup.select_one(".policy-edition-notice .admonition-title"))
        == "Действующая редакция № 3 от 24 ноября 2026 г."
    )
    assert soup.select_one('meta[name="robots"]') is None


def test_changes_page_marks_words_inserted_and_deleted_and_folds_unchanged_clauses(three_editions):
    soup = read_html(three_editions.site / "editions/2/changes/index.html")
    changed = soup.select_one('section.policy-diff-clause[id="p1.2"]')
    assert [text_of(d) for d in changed.select("del")] == ["[удалено: транспортной компании. ]"]
    assert [text_of(i) for i in changed.select("ins")] == ["[добавлено: курьерской службе. ]"]
    listing = soup.select_one('section.policy-diff-clause[id="p2.1"]')
    assert [text_of(i) for i in listing.select("ins")] == ["[добавлено: телефон; — адрес. ]"]
    assert [text_of(d) for d in listing.select("del")] == ["[удалено: телефон. ]"]
    folded = [text_of(d.summary) for d in soup.select("details.policy-diff-unchanged")]
    assert folded == ["Без изменений: заголовок — п. 1.1 (4)", "Без изменений: разд. 2"]


def test_changes_page_shows_added_and_removed_clauses(three_editions):
    soup = read_html(three_editions.site / "editions/3/changes/index.html")
    removed = soup.select_one(".policy-diff-clause--removed")
    added = soup.select_one(".policy-diff-clause--added")
    assert (
        text_of(removed.h2) == "П. 1.1: исключён"
        and text_of(removed.select_one("del")) == "[удалено: 1.1. Первый пункт. ]"
    )
    assert (
        text_of(added.h2) == "П. 1.3: добавлен"
        and text_of(added.select_one("ins")) == "[добавлено: 1.3. Новый пункт. ]"
    )


def test_first_edition_has_no_changes_page(three_editions):
    assert not (three_editions.site / "editions/1/changes").exists()


def test_generated_pages_stay_out_of_search(three_editions):
    index = json.loads((three_editions.site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert locations == {""}


def test_atom_feed_parses_with_an_entry_per_edition(three_editions):
    feed = feedparser.parse((three_editions.site / "editions/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Политика: редакции"
    assert [entry.title.replace("\u202f", " ") for entry in feed.entries] == [
        "Редакция № 3 от 24 ноября 2026 г.",
        "Редакция № 2 от 20 мая 2026 г.",
        "Редакция № 1 от 15 января 2026 г.",
    ]
    assert feed.entries[0].link == "https://alectro.ru/privacy/editions/3/changes/"
    assert feed.entries[2].link == "https://alectro.ru/privacy/editions/1/"
    assert feed.entries[1].summary == "Курьерская служба вместо транспортной компании"
    assert feed.entries[0].updated == "2026-11-24T00:00:00+03:00"
    history = read_html(three_editions.site / "editions/index.html")
    assert history.select_one('article a[rel="alternate"][type="application/atom+xml"]')["href"] == "feed.xml"


def test_editions_json_validates_against_the_schema_published_beside_it(three_editions):
    data = json.loads((three_editions.site / "editions.json").read_text(encoding="utf-8"))
    schema = json.loads((three_editions.site / "editions.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    data["documents"][0]["editions"][0]["sha256"] = "not a checksum"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_editions_json_lists_editions_whose_checksums_match_git_show(three_editions):
    data = json.loads((three_editions.site / "editions.json").read_text(encoding="utf-8"))
    assert data["format"] == 1
    (document,) = data["documents"]
    assert (document["source"], document["title"], document["url"], document["current_edition"]) == (
        "docs/index.md",
        "Политика",
        "https://alectro.ru/privacy/",
        3,
    )
    assert [(e["number"], e["date"], e["summary"]) for e in document["editions"]] == [
        (1, "2026-01-15", "Первая публикация"),
        (2, "2026-05-20", "Курьерская служба вместо транспортной компании"),
        (3, "2026-11-24", "Исключён п. 1.1, добавлен п. 1.3"),
    ]
    for edition in document["editions"]:
        committed = subprocess.run(
            ["git", "show", f"{edition['commit']}:{document['source']}"],
            cwd=three_editions.root,
            capture_output=True,
            check=True,
        ).stdout
        assert hashlib.sha256(committed).hexdigest() == edition["sha256"]
        assert edition["text_url"] == f"https://alectro.ru/privacy/editions/{edition['number']}/"
    assert [e["changes_url"] for e in document["editions"]][:2] == [
        None,
        "https://alectro.ru/privacy/editions/2/changes/",
    ]


HOSTILE = '<script>alert("x")</script> <img src=x onerror=alert(1)>'


def test_hostile_text_in_the_policy_and_commit_messages_is_shown_as_text_everywhere(git_repo):
    git_repo.write("docs/index.md", V1)
    git_repo.commit(f"Первая {HOSTILE}", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V1.replace("1.1. Первый пункт.", f"1.1. Первый пункт {HOSTILE}."))
    git_repo.commit(f"Вторая {HOSTILE}", "2026-02-15T10:00:00+03:00")
    site = git_repo.build()
    for page in ("index.html", "editions/index.html", "editions/2/index.html", "editions/2/changes/index.html"):
        soup = read_html(site / page)
        article = soup.select_one("article")
        assert article.select("article script, article img[onerror]") == [], page
        assert HOSTILE in article.get_text(), page
    feed = feedparser.parse((site / "editions/feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].summary == f"Вторая {HOSTILE}"


HOSTILE_TITLE = '</title><script>alert("t")</script> "><img src=x onerror=alert(1)>'


def test_hostile_text_in_the_policy_title_is_text_in_the_tab_and_the_header_of_every_page(git_repo):
    git_repo.write("docs/index.md", V1.replace("# Политика", f"# Политика {HOSTILE_TITLE}"))
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V2.replace("# Политика", f"# Политика {HOSTILE_TITLE}"))
    git_repo.commit("Вторая", "2026-02-15T10:00:00+03:00")
    site = git_repo.build()
    for page in ("index.html", "editions/index.html", "editions/1/index.html", "editions/2/changes/index.html"):
        raw = (site / page).read_text(encoding="utf-8")
        soup = read_html(site / page)
        # No script runs the title; the banner's settings (data, not code) may hold it, but only as JSON escapes:
        # a raw "<" there could close the element and start markup.
        code = [s for s in soup.select("script") if s.get("type") != "application/json"]
        assert [s for s in code if "alert" in s.get_text()] == [], page
        for data in soup.select('script[type="application/json"]'):
            assert "<" not in data.get_text(), page
            json.loads(data.get_text())
        assert raw.count("<script") == len(soup.select("script")), page
        assert [tag.name for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)] == [], page
        description = soup.select_one('meta[name="description"]')
        assert description is None or "<" not in raw.split('name="description"', 1)[1].split(">", 1)[0], page
        assert HOSTILE_TITLE in soup.title.get_text(), page
        assert HOSTILE_TITLE in soup.select_one(".md-header__topic:last-child").get_text(), page


def test_a_javascript_link_in_the_policy_is_text_and_fails_a_strict_build_naming_the_file(git_repo, refused):
    git_repo.write("docs/index.md", V1.replace("1.1. Первый пункт.", "1.1. Первый [пункт](javascript:alert%285%29)."))
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    refused(
        git_repo.build, re.escape("docs/index.md: the link «пункт» to javascript:alert%285%29 is shown as plain text")
    )
    site = git_repo.build(strict=False)
    clause = read_html(site / "index.html").select_one('[id="p1.1"]')
    assert clause.get_text() == "1.1. Первый пункт." and clause.select("a[href^=javascript]") == []


def test_a_past_edition_with_an_unsafe_link_does_not_block_the_corrected_current_one(git_repo):
    git_repo.write("docs/index.md", V1.replace("1.1. Первый пункт.", "1.1. Первый [пункт](javascript:alert%285%29)."))
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Исправлена ссылка", "2026-01-16T10:00:00+03:00")
    site = git_repo.build()
    past = read_html(site / "editions/1/index.html").select_one('[id="p1.1"]')
    assert past.get_text() == "1.1. Первый пункт." and past.select("a[href^=javascript]") == []


def test_each_edition_s_committed_file_is_published_beside_its_page_with_its_sha256(three_editions):
    data = json.loads((three_editions.site / "editions.json").read_text(encoding="utf-8"))
    for edition in data["documents"][0]["editions"]:
        assert edition["source_url"] == f"https://alectro.ru/privacy/editions/{edition['number']}/source.md"
        source = three_editions.site / f"editions/{edition['number']}/source.md"
        committed = subprocess.run(
            ["git", "show", f"{edition['commit']}:docs/index.md"],
            cwd=three_editions.root,
            capture_output=True,
            check=True,
        ).stdout
        assert source.read_bytes() == committed
        assert hashlib.sha256(source.read_bytes()).hexdigest() == edition["sha256"]
    assert "source.md" not in (three_editions.site / "sitemap.xml").read_text(encoding="utf-8")
    index = json.loads((three_editions.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [doc for doc in index["docs"] if "source" in doc["location"]]


def test_the_history_says_how_to_verify_an_edition_with_its_file_and_sha256(three_editions):
    soup = read_html(three_editions.site / "editions/index.html")
    assert soup.select_one('a[href="#verify"]').get_text() == "Как проверить редакцию"
    verify = soup.select_one("#verify")
    assert verify.get_text() == "Как проверить редакцию"
    steps = [text_of(li) for li in soup.select("ol.policy-verify > li")]
    assert steps[0] == "Скачайте файл нужной редакции по ссылке «Файл редакции (source.md)»."
    assert "sha256sum source.md" in steps[1] and "certutil -hashfile source.md SHA256" in steps[1]
    # Each edition's link leads to the file whose SHA-256 the page shows beside it.
    for item in soup.select("ol.policy-editions > li"):
        link = item.find("a", string="Файл редакции (source.md)")
        assert link.has_attr("download")
        shown = text_of(item.select_one(".policy-checksum code"))
        assert hashlib.sha256((three_editions.site / "editions" / link["href"]).read_bytes()).hexdigest() == shown


def test_the_history_marks_editorial_editions(git_repo):
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая публикация", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V1.replace("Первый пункт.", "Первый пункт"))
    git_repo.commit("Опечатка в п. 1.1\n\nEdition: editorial", "2026-02-01T10:00:00+03:00")
    soup = read_html(git_repo.build() / "editions/index.html")
    badges = {li["id"]: text_of(li.h2) for li in soup.select("ol.policy-editions > li")}
    assert "редакционная правка" in badges["edition-2"] and "редакционная правка" not in badges["edition-1"]
    assert "согласие заново не запрашивается" in text_of(soup.select_one(".policy-editions__editorial-note"))


def test_an_archived_edition_s_tab_names_its_own_title(git_repo):
    git_repo.write("docs/index.md", V1.replace("# Политика", "# Политика обработки данных"))
    git_repo.commit("Первая публикация", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V2)
    git_repo.commit("Новое название", "2026-02-01T10:00:00+03:00")
    site = git_repo.build()
    assert (
        read_html(site / "editions/1/index.html").title.get_text() == "Редакция № 1 — Политика обработки данных — Test"
    )
    assert read_html(site / "editions/2/index.html").title.get_text() == "Редакция № 2 — Политика — Test"


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(alphabet="\"'<>& =a", min_size=1, max_size=12).filter(lambda name: name.strip(" ") == name))
def test_a_document_s_file_name_is_text_in_every_link_the_theme_writes(tmp_path_factory, name):
    """MkDocs renders theme templates without autoescaping: the footer's and the head's links, made from a file name
    (from git, so hostile: «"><img src=x onerror=…>»), must stay the address they are, never markup."""
    repo = GitRepo.new(tmp_path_factory.mktemp("named") / "project")
    repo.configure(f"      documents: [{json.dumps(name + '.md')}]\n      consent:\n        cookie_clause: p2.1\n")
    repo.write(f"docs/{name}.md", V1)
    repo.commit("Первая публикация", "2026-01-15T10:00:00+03:00")
    site = repo.build()
    pages = [path for path in site.rglob("*.html") if "assets" not in path.parts]
    assert len(pages) >= 3
    for path in pages:
        soup = read_html(path)
        assert not [(e.name, a) for e in soup.find_all(True) for a in e.attrs if a.lower().startswith("on")], path
        footer = soup.select("nav.policy-footer-links a")
        assert [a.get_text() for a in footer] == ["История редакций", "Настройки cookies"], path
        history = footer[0]["href"]
        assert target(site, path, history, "index.html").is_file(), (path, history)
        for link in soup.select('link[rel="alternate"][type="application/atom+xml"]'):
            assert target(site, path, link["href"]).is_file(), (path, link)


def target(site, page, href, index=""):
    """The file a link on ``page`` leads to (the 404 page links from the site's path, /privacy/)."""
    path = unquote(href)
    base = site if path.startswith("/privacy/") else page.parent
    return (base / path.removeprefix("/privacy/") / index).resolve()
