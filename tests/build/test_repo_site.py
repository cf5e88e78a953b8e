"""The repository's own site: the shop's policy, word for word, as a finished Material site."""

import re

from support import REPO, SEED, read_html

CLAUSES = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "4.1", "4.2", "4.3", "5.1", "6.1", "6.2", "6.3"]


def sentences_of(source: str) -> list[str]:
    """A policy's text as sentences, with its Markdown markup (``#``, ``**``, ``<url>``, ``- ``) removed."""
    text = source.replace("**", "")
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"^(- |#+ )", "", text, flags=re.MULTILINE)
    text = " ".join(text.split())
    return [s for s in re.split(r"(?<=[.;:])\s+", text) if s]


def policy_text(soup) -> str:
    article = soup.select_one("article")
    for plugin_element in article.select(".headerlink, .md-content__button, .policy-stamp, .policy-edition-notice"):
        plugin_element.decompose()
    blocks = article.select("h1, h2, p, li")
    return " ".join(" ".join(block.get_text().split()) for block in blocks)


def assert_published_word_for_word(page, source: str) -> None:
    published = policy_text(read_html(page))
    sentences = sentences_of(source)
    assert len(sentences) > 40
    position = 0
    for sentence in sentences:
        found = published.find(sentence, position)
        assert found >= 0, f"sentence missing or out of order: {sentence!r}"
        position = found + len(sentence)
    assert published == " ".join(sentences)


def test_first_edition_is_the_shops_seed_text_word_for_word(repo_site):
    # Edition 1's permanent page never changes, so this holds after editors publish new editions.
    assert_published_word_for_word(repo_site / "editions/1/index.html", SEED.read_text(encoding="utf-8"))


def test_policy_page_publishes_docs_index_word_for_word(repo_site):
    assert_published_word_for_word(repo_site / "index.html", (REPO / "docs/index.md").read_text(encoding="utf-8"))


def test_policy_structure_title_sections_lists_bold_and_links(repo_site):
    soup = read_html(repo_site / "index.html")
    article = soup.select_one("article")
    assert [h.find(string=True, recursive=False).strip() for h in article.select("h1")] == [
        "Политика конфиденциальности персональной информации"
    ]
    assert [h["id"] for h in article.select("h2")] == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert len(article.select("ul")) == 4
    assert article.select_one("strong").get_text() == "Политика"
    assert {a["href"] for a in article.select('a[href^="https://alectro.ru"]')} == {"https://alectro.ru"}


def test_every_clause_has_a_stable_anchor_linking_to_itself(repo_site):
    article = read_html(repo_site / "index.html").select_one("article")
    anchored = [p["id"] for p in article.select('p[id^="p"]')]
    assert anchored == [f"p{n}" for n in CLAUSES]
    for number in CLAUSES:
        link = article.select_one(f'[id="p{number}"] > a.clause-anchor')
        assert link["href"] == f"#p{number}" and link.get_text() == f"{number}."


def test_site_is_russian_with_system_fonts_and_no_third_party_assets(repo_site):
    for page in ("index.html", "404.html"):
        soup = read_html(repo_site / page)
        assert soup.html["lang"] == "ru"
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in soup.find_all(tag):
                url = element.get(attribute) or ""
                if tag == "link" and element.get("rel") in (["canonical"], ["alternate"]):
                    continue
                assert not re.match(r"^(https?:)?//", url), f"{page}: third-party asset {url}"
        assert "fonts.googleapis" not in str(soup)


def test_search_is_russian_and_footer_names_the_shop(repo_site):
    soup = read_html(repo_site / "index.html")
    assert "alectro.ru" in soup.select_one(".md-copyright").get_text()
    search_config = (repo_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["ru"]' in search_config.replace(" ", "")
    assert (repo_site / "assets/javascripts/lunr/min/lunr.ru.min.js").is_file()


def test_404_page_links_work_under_the_sub_path(repo_site):
    soup = read_html(repo_site / "404.html")
    stylesheet = soup.select_one('link[rel="stylesheet"]')["href"]
    assert stylesheet.startswith("/privacy/assets/")
    assert soup.select_one("h1").get_text(strip=True) == "Страница не найдена"
    assert [a["href"] for a in soup.select("article a")] == ["/privacy/", "/privacy/editions/"]


def test_unknown_or_ill_typed_plugin_option_is_reported_by_mkdocs_config_schema():
    from alectro_policy.plugin import PolicyPlugin

    errors, warnings = PolicyPlugin().load_config({"enabled": "yes"})
    assert [(name, str(error)) for name, error in errors] == [
        ("enabled", "Expected type: <class 'bool'> but received: <class 'str'>")
    ]
    errors, warnings = PolicyPlugin().load_config({"no_such_option": 1})
    assert errors == [] and [name for name, _ in warnings] == ["no_such_option"]
    # A short commit hash of digits alone, unquoted: YAML makes it a number (0123… even octal).
    errors, _ = PolicyPlugin().load_config({"first_published": {"index.md": 1234567}})
    assert [name for name, _ in errors] == ["first_published"] and "put it in quotes" in str(errors[0][1])


def test_policy_is_stamped_with_its_edition_from_this_repository_history(repo_site):
    import subprocess
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import yaml

    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    options = next(p["alectro-policy"] for p in config["plugins"] if isinstance(p, dict) and "alectro-policy" in p)
    first = options["first_published"]["index.md"]

    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()

    changes = git("log", "--first-parent", "--format=%cI", f"{first}..HEAD", "--", "docs/index.md")
    last_change = changes[0] if changes else git("log", "-1", "--format=%cI", first)[0]
    expected_date = datetime.fromisoformat(last_change).astimezone(ZoneInfo("Europe/Moscow")).date().isoformat()

    stamp = read_html(repo_site / "index.html").select_one("article h1 + .policy-stamp")
    assert stamp["data-edition"] == str(1 + len(changes))
    assert stamp["data-edition-date"] == expected_date
    assert stamp.get_text(strip=True).startswith(f"Редакция № {1 + len(changes)} от ")
