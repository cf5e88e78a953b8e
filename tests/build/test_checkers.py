"""What a visitor reads passes the standard checkers: the Nu HTML validator over every page the plugin makes, the
Atom rules the W3C feed validator applies to every feed, every link's fragment a target, the sitemap and the
search-engine signals of each page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.etree import ElementTree

import feedparser
import pytest

from support import REPO, GitRepo, read_html, require

VNU_JAR = REPO / "tests/lighthouse/node_modules/vnu-jar/build/dist/vnu.jar"
INSTALL_VNU = "the Nu HTML validator runs with Java and the vnu-jar npm package: 'make browser' installs both"

POLICY = """# Политика

Вступление.

## 1. Общие положения

1.1. Первый пункт.

1.2. Второй пункт о транспортной компании.

## 2. Данные

2.1. Данные включают:

- имя;
- телефон.
"""
COOKIES = "# Cookies\n\n1.1. Мы используем cookies.\n\n2.1. Аналитические cookies.\n"
TERMS = "# Terms of Service\n\nThese terms govern your use.\n\n## 1. Accounts\n\nYou are responsible.\n"
# Two sections at once, numbered and not: a page without clause anchors, each section a heading and its text.
NEW_SECTIONS = "\n## 2. Refunds\n\nNo refunds.\n\n## Contact\n\nWrite to us.\n"
PLUGIN_OPTIONS = """\
      documents: [index.md, cookies.md, terms.md]
      without_clauses: [terms.md]
      consent:
        document: cookies.md
        cookie_clause: p2.1
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A policy with four editions (two of one day, a clause removed and one added), a consent document with no
    description of its own, and a document without clauses that gains two sections, then moves (terms/ → legal/:
    redirect pages and the feed kept at its old address) to a path with a space (every link must encode it)."""
    repo = GitRepo.new(tmp_path_factory.mktemp("checkers") / "project")
    repo.configure(PLUGIN_OPTIONS)
    v2 = POLICY.replace("транспортной компании", "курьерской службе").replace("- телефон.", "- телефон;\n- адрес.")
    # 1.1 removed, 1.2 renumbered 1.1 (two clauses of one number on the changes page), a new 1.2.
    v3 = (
        v2.replace("1.1. Первый пункт.\n\n", "")
        .replace("1.2. Второй", "1.1. Второй")
        .replace("## 2. Данные", "1.2. Новый пункт.\n\n## 2. Данные")
    )
    for policy, cookies, terms, message, when in (
        (POLICY, COOKIES, TERMS, "Первая публикация", "2026-01-15T10:00:00+03:00"),
        (v2, COOKIES, TERMS + NEW_SECTIONS, "Курьерская служба", "2026-05-20T10:00:00+03:00"),
        (v3, COOKIES.replace("Аналитические", "Рекламные"), None, "Исключён п. 1.1", "2026-11-24T10:00:00+03:00"),
        (v3.replace("Новый", "Другой"), None, None, "Второе изменение того же дня", "2026-11-24T15:00:00+03:00"),
    ):
        repo.write("docs/index.md", policy)
        for path, text in (("docs/cookies.md", cookies), ("docs/terms.md", terms)):
            if text is not None:
                repo.write(path, text)
        repo.commit(message, when)
    repo.git("mv", "docs/terms.md", "docs/legal terms.md")
    repo.configure(PLUGIN_OPTIONS.replace("terms.md", '"legal terms.md"'))
    repo.commit("Условия по новому адресу", "2026-12-01T10:00:00+03:00")
    return repo.build()


def pages(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if "assets" not in path.parts)


# Material's base.html writes autocomplete="off" on its two checkbox toggles (drawer and search) so that a
# browser does not restore them open on going back; HTML allows the attribute on text-like inputs only. The
# markup is Material's, not ours: filtered by message and element, nothing else.
MATERIAL_TOGGLES = re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__\1"')


def test_the_nu_validator_finds_no_error_in_any_page_the_plugin_makes(site):
    java = require(shutil.which("java"), INSTALL_VNU)
    jar = require(VNU_JAR if VNU_JAR.is_file() else None, INSTALL_VNU)
    checked = pages(site)
    # Three documents, their histories, editions and changes pages, the moved one's old addresses, the 404 page.
    assert len(checked) == 25
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, checked)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        (unquote(urlsplit(message.get("url", "")).path).removeprefix(str(site)), message["message"])
        for message in messages
        if not (
            message["message"].startswith("Attribute “autocomplete”") and MATERIAL_TOGGLES.search(message["extract"])
        )
    ]
    assert errors == []
    # The filter hides Material's two toggles per page of Material's (not the redirect pages), nothing more.
    assert len(messages) == 2 * sum('data-md-toggle="drawer"' in path.read_text("utf-8") for path in checked)


ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def atom_problems(feed_bytes: bytes, url: str) -> list[str]:
    """What the W3C feed validator reports as errors (and the DuplicateUpdated and SelfDoesntMatchLocation
    warnings) in an Atom feed whose address is ``url``: RFC 4287's required elements, absolute unique ids, RFC 3339
    dates, a self link naming that address."""
    problems = []
    feed = ElementTree.fromstring(feed_bytes)

    def one(element, name, where):
        found = element.findall(ATOM + name)
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} <{name}>, RFC 4287 asks for exactly one")
        return found[0] if found else None

    for name in ("id", "title", "updated"):
        one(feed, name, "feed")
    self_links = [link for link in feed.findall(ATOM + "link") if link.get("rel") == "self"]
    if [link.get("href") for link in self_links] != [url]:
        problems.append(f"feed: self link {[link.get('href') for link in self_links]} is not its address {url}")
    authored = feed.find(ATOM + "author/" + ATOM + "name") is not None
    ids, times = set(), []
    entries = feed.findall(ATOM + "entry")
    for number, entry in enumerate(entries, 1):
        where = f"entry {number}"
        for name in ("id", "title", "updated"):
            one(entry, name, where)
        if not authored and entry.find(ATOM + "author") is None:
            problems.append(f"{where}: no author, and the feed has none")
        alternates = [link for link in entry.findall(ATOM + "link") if link.get("rel", "alternate") == "alternate"]
        if entry.find(ATOM + "content") is None and not alternates:
            problems.append(f"{where}: neither content nor an alternate link")
        ids.add(entry.findtext(ATOM + "id"))
        times.append(entry.findtext(ATOM + "updated") or "")
    for element in feed.iter():
        if element.tag in (ATOM + "id",) and not re.match(r"[a-z][a-z0-9+.-]*:", element.text or ""):
            problems.append(f"id {element.text!r} is not an absolute IRI")
        if element.tag in (ATOM + "updated", ATOM + "published") and not RFC3339.fullmatch(element.text or ""):
            problems.append(f"{element.text!r} is not an RFC 3339 date")
    if len(ids) != len(entries):
        problems.append("two entries share an id")
    instants = [datetime.fromisoformat(text) for text in times if RFC3339.fullmatch(text)]
    if len(set(instants)) != len(instants):
        problems.append(f"entries share an updated time (DuplicateUpdated): {times}")
    if instants and feed.findtext(ATOM + "updated") != times[0]:
        problems.append("the feed's updated is not its newest entry's")
    return problems


def test_every_feed_parses_and_keeps_the_atom_rules_with_same_day_editions_in_order(site):
    feeds = sorted(site.rglob("feed.xml"))
    assert [str(path.relative_to(site)) for path in feeds] == [
        "cookies/editions/feed.xml",
        "editions/feed.xml",
        "legal terms/editions/feed.xml",
        "terms/editions/feed.xml",
    ]
    for path in feeds:
        url = "https://alectro.ru/privacy/" + quote(str(path.relative_to(site)))
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.bozo_exception)
        # The moved document's feed, kept at its old address, names the new one: subscribers move with it.
        assert atom_problems(path.read_bytes(), url.replace("/terms/", "/legal%20terms/")) == [], path
    # Editions 3 and 4 took effect on one day: ordered as numbered, newest first.
    policy = feedparser.parse((site / "editions/feed.xml").read_bytes())
    assert [entry.updated for entry in policy.entries[:3]] == [
        "2026-11-24T00:00:01+03:00",
        "2026-11-24T00:00:00+03:00",
        "2026-05-20T00:00:00+03:00",
    ]
    assert policy.feed.updated == "2026-11-24T00:00:01+03:00"


def test_every_link_to_a_fragment_finds_its_target(site):
    ids = {path: {element["id"] for element in read_html(path).select("[id]")} for path in pages(site)}
    dead = []
    for path in ids:
        for link in read_html(path).select("a[href*='#']"):
            href = link["href"]
            target, _, fragment = urljoin(path.as_uri(), href).partition("#")
            if not fragment or not target.startswith(site.as_uri()):
                continue
            page = Path(unquote(urlsplit(target).path))
            page = page / "index.html" if target.endswith("/") else page
            if unquote(fragment) not in ids.get(page, set()):
                dead.append((str(path.relative_to(site)), href))
    assert dead == []


def test_sections_added_to_a_document_without_clauses_are_named_once_and_link_its_page(site):
    history = read_html(site / "legal terms/editions/index.html").select_one("#edition-2 .policy-edition__changed")
    assert " ".join(history.get_text().split()) == "Добавлены разд. 2, «Contact»."
    assert [a["href"] for a in history.select("a")] == ["2/", "2/"]  # no #p2: the page has no clause anchors


def test_the_copy_of_the_edition_in_force_points_search_engines_to_the_document(site):
    copy = read_html(site / "editions/4/index.html")
    assert copy.select_one('link[rel="canonical"]')["href"] == "https://alectro.ru/privacy/"
    assert copy.select_one('meta[name="robots"]') is None  # a canonical, not noindex: Google's advice for copies
    past = read_html(site / "editions/3/index.html")
    assert past.select_one('link[rel="canonical"]')["href"] == "https://alectro.ru/privacy/editions/3/"
    assert past.select_one('meta[name="robots"]')["content"] == "noindex"
    listed = re.findall(r"<loc>https://alectro.ru/privacy/(.*?)</loc>", (site / "sitemap.xml").read_text("utf-8"))
    assert "" in listed and "cookies/editions/" in listed
    assert not [url for url in listed if re.fullmatch(r"(.*/)?editions/\d+/", url)]


def test_a_document_and_its_history_lead_feed_readers_to_its_feed(site):
    for page, feed in (
        ("index.html", "editions/feed.xml"),
        ("editions/index.html", "feed.xml"),
        ("editions/3/changes/index.html", "../../feed.xml"),
        ("cookies/index.html", "editions/feed.xml"),
        ("legal terms/editions/index.html", "feed.xml"),
        ("legal terms/editions/2/changes/index.html", "../../feed.xml"),
    ):
        links = read_html(site / page).select('head link[rel="alternate"][type="application/atom+xml"]')
        assert [link["href"] for link in links] == [feed], page
    assert not read_html(site / "404.html").select('link[type="application/atom+xml"]')
    # Material reads a sitemap.xml beside every alternate link: the history's is there, no 404 on every page.
    history_sitemap = ElementTree.fromstring((site / "editions/sitemap.xml").read_bytes())
    assert [loc.text for loc in history_sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")] == [
        "https://alectro.ru/privacy/editions/"
    ]


def test_each_document_and_history_page_has_a_description_of_its_own(site):
    def description(page: str) -> str | None:
        meta = read_html(site / page).select_one('meta[name="description"]')
        return " ".join(meta["content"].split()) if meta else None

    assert description("cookies/index.html") == "Cookies: действующая редакция № 2 от 24 ноября 2026 г."
    assert description("legal terms/index.html").startswith("Terms of Service: действующая редакция № 2")
    assert (
        description("cookies/editions/index.html") == "Все редакции документа «Cookies»: их тексты, даты и изменения."
    )
    assert "редакции № 3" in description("editions/3/changes/index.html")
    # The policy's page has the site's description (this site has none), the 404 page and the moved document's old
    # addresses (which lead on at once) none; no two others share one.
    found = {
        str(page.relative_to(site)): description(str(page.relative_to(site)))
        for page in pages(site)
        if page.parts[len(site.parts)] != "terms"
    }
    assert [page for page, text in found.items() if text is None] == ["404.html", "index.html"]
    assert len(set(found.values())) == len(found) - 1


def test_the_stamp_says_the_edition_is_in_force(site):
    stamp = read_html(site / "index.html").select_one("article .policy-stamp")
    assert " ".join(stamp.get_text().split()) == "Редакция № 4 от 24 ноября 2026 г., действует с 24 ноября 2026 г."
