"""How the policy's Markdown reaches the built pages: as text, with its images and links, in every edition."""

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from support import MINIMAL_CONFIG, read_html

POLICY = """# Политика

## 1. Общие положения

1.1. Первый пункт. {extra}

1.2. Второй пункт.

## 2. Cookies

2.2. Сайт использует cookies.
"""
SITE = "https://alectro.ru/privacy/"
# As the site's own mkdocs.yml: attribute lists are on for its other pages.
CONFIG = (
    MINIMAL_CONFIG.format(plugin_options="") + "markdown_extensions:\n  - toc:\n      permalink: '#'\n  - attr_list\n"
)


@pytest.fixture
def git_repo(git_repo):
    git_repo.write("mkdocs.yml", CONFIG)
    return git_repo


PNG_1, PNG_2, PLAN = b"\x89PNG first scheme", b"\x89PNG second scheme", b"\x89PNG plan"


def served_file(site: Path, page_url: str, href: str) -> Path:
    """Return the file a static server would answer for ``href`` on the page at ``page_url``."""
    path = unquote(urlsplit(urljoin(SITE + page_url, href)).path).removeprefix("/privacy/")
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def test_a_past_editions_images_and_links_show_what_was_published_and_the_strict_build_stays_green(git_repo):
    git_repo.write("docs/delivery.md", "# Доставка\n\n## Сроки\n")
    git_repo.write("docs/terms.md", "# Условия\n")
    (git_repo.docs / "scheme.png").write_bytes(PNG_1)
    (git_repo.docs / "img").mkdir()
    (git_repo.docs / "img/план 1.png").write_bytes(PLAN)
    git_repo.write(
        "docs/index.md",
        POLICY.format(
            extra="![Схема](scheme.png) ![План](img/план%201.png) [Доставка](delivery.md#сроки), [условия](terms.md)."
        ),
    )
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    # Edition 2 changes the scheme, drops the plan and the terms page, and no longer links to them.
    (git_repo.docs / "scheme.png").write_bytes(PNG_2)
    git_repo.git("rm", "-q", "docs/img/план 1.png", "docs/terms.md")
    git_repo.write("docs/index.md", POLICY.format(extra="![Схема](scheme.png)"))
    git_repo.commit("Вторая", "2026-02-15T10:00:00+03:00")

    site = git_repo.build()  # strict

    past = read_html(site / "editions/1/index.html").select_one('[id="p1.1"]')
    images = {img["alt"]: served_file(site, "editions/1/", img["src"]) for img in past.select("img")}
    assert {alt: path.read_bytes() for alt, path in images.items()} == {"Схема": PNG_1, "План": PLAN}
    links = {a.get_text(): a["href"] for a in past.select("a:not(.clause-anchor)")}
    assert links == {"Доставка": "../../delivery/#сроки", "условия": "../../terms/"}
    assert served_file(site, "editions/1/", links["Доставка"]).is_file()
    for page_url, page in (("editions/2/", "editions/2/index.html"), ("", "index.html")):
        (img,) = read_html(site / page).select('[id="p1.1"] img')
        assert served_file(site, page_url, img["src"]).read_bytes() == PNG_2, page


def test_a_past_edition_whose_image_was_never_committed_shows_its_alt_text_and_the_build_stays_green(git_repo):
    git_repo.write("docs/index.md", POLICY.format(extra="![Схема](missing.png)"))
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.format(extra=""))
    git_repo.commit("Вторая", "2026-02-15T10:00:00+03:00")
    past = read_html(git_repo.build() / "editions/1/index.html").select_one('[id="p1.1"]')
    assert past.select("img") == [] and "Схема" in past.get_text()


FENCED = '```{ #top .python onclick="alert(1)" }\nx = 1\n```\n'


def test_markup_that_slips_past_policy_mode_fails_a_strict_build_naming_file_and_attribute_but_a_past_edition_is_quiet(
    git_repo, refused
):
    git_repo.write("docs/index.md", POLICY.format(extra="") + "\n" + FENCED)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    refused(git_repo.build, re.escape('docs/index.md: <pre> id="top" is not allowed in a policy'))

    git_repo.write("docs/index.md", POLICY.format(extra=""))
    git_repo.commit("Вторая", "2026-02-15T10:00:00+03:00")
    site = git_repo.build()
    pre = read_html(site / "editions/1/index.html").select_one("article pre")
    assert pre.attrs == {} and pre.code.attrs == {"class": ["language-python"]}


def test_a_policy_page_shows_code_addresses_html_and_attribute_lists_as_the_editor_wrote_them(git_repo):
    git_repo.write(
        "docs/index.md",
        POLICY.format(
            extra='Если `a<b`, пишите на <info@alectro.ru>. <b onclick="alert(1)">жирный</b> '
            '[сайт](https://alectro.ru/){: onmouseover="alert(2)" style="color:red" }'
        ),
    )
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    site = git_repo.build()
    for page in ("index.html", "editions/1/index.html"):
        clause = read_html(site / page).select_one('[id="p1.1"]')
        assert clause.code.get_text() == "a<b", page
        assert clause.select_one('a[href="mailto:info@alectro.ru"]').get_text() == "info@alectro.ru", page
        assert clause.select("b, [onclick], [onmouseover], [style]") == [], page
        assert '<b onclick="alert(1)">жирный</b>' in clause.get_text(), page
        assert '{: onmouseover="alert(2)" style="color:red" }' in clause.get_text(), page
