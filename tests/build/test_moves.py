"""A document keeps its history when it is renamed or moved (issue 16, item 2).

Each case builds, records editions.json, moves the document with ``git mv`` (plain, into a folder, with an
edit in the same commit), builds again and compares: editions, numbers, dates and checksums are kept, the next
edition is N+1, consent is not asked again for a pure move, and the old permanent addresses lead to the new
ones.
"""

from __future__ import annotations

import json

import pytest

from alectro_deploy import guard
from alectro_deploy.consent_published import check_edition
from support import GitRepo, read_html

POLICY = "# Политика\n\n1.1. Первый пункт.\n\n1.2. Второй пункт.\n\n2.2. Сайт использует cookies.\n"


def editions_json(site) -> dict:
    return json.loads((site / "editions.json").read_text(encoding="utf-8"))


def kept(document: dict) -> list[tuple]:
    """What a published edition is: number, date, commit, checksum."""
    return [(e["number"], e["date"], e["commit"], e["sha256"]) for e in document["editions"]]


def consent_key(soup) -> str:
    return json.loads(soup.select_one("script#alectro-consent-settings").string)["document"]["key"]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """A policy at docs/index.md with two editions, built once for the module: (repo, editions.json, consent key)."""
    git_repo = GitRepo.new(tmp_path_factory.mktemp("moves") / "project")
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("Второй", "Изменённый второй"))
    git_repo.commit("Уточнён п. 1.2", "2026-03-01T10:00:00+03:00")
    site = git_repo.build()
    return git_repo, editions_json(site), consent_key(read_html(site / "index.html"))


@pytest.fixture
def published(built_once, tmp_path):
    """The policy built once, in a repository of this test's own: (repo, editions.json, consent key)."""
    repo, before, key = built_once
    return repo.copy(tmp_path / "project"), json.loads(json.dumps(before)), key


def move(repo, new: str, edit: bool = False, source: str = "index.md", when: str = "2026-04-01T10:00:00+03:00") -> None:
    (repo.docs / new).parent.mkdir(parents=True, exist_ok=True)
    repo.git("mv", f"docs/{source}", f"docs/{new}")
    if edit:
        text = (repo.docs / new).read_text(encoding="utf-8")
        repo.write(f"docs/{new}", text + "\n1.3. Новый пункт.\n")
    repo.configure(f"      documents: [{new}]\n")
    repo.commit(f"Политика переехала в {new}", when)


@pytest.mark.parametrize(
    ("new", "url"), [("privacy.md", "privacy/"), ("legal/privacy.md", "legal/privacy/")], ids=["rename", "folder"]
)
def test_a_moved_document_keeps_its_editions_and_its_consent(published, new, url):
    repo, before, key_before = published
    (document_before,) = before["documents"]
    move(repo, new)
    site = repo.build()
    (document,) = editions_json(site)["documents"]
    assert document["source"] == f"docs/{new}"
    assert document["former_sources"] == ["docs/index.md"]
    assert kept(document) == kept(document_before) and document["current_edition"] == 2
    # The editions were committed at the old path: that is where `git show COMMIT:PATH` finds them.
    assert {e.get("source") for e in document["editions"]} == {"docs/index.md"}
    assert [e["text_url"] for e in document["editions"]] == [
        f"https://alectro.ru/privacy/{url}editions/{n}/" for n in (1, 2)
    ]
    page = read_html(site / url / "index.html")
    assert page.select_one(".policy-stamp")["data-edition"] == "2"
    # A pure move asks no one again: same edition to consent to, same document key in the cookie.
    assert consent_key(page) == key_before
    # Publishing it rewrites nothing, and a consent recorded under the old path is still proved.
    check = guard.check_history(before, editions_json(site))
    assert check.problems == () and any("moved to" in note for note in check.notes)
    sha = document_before["editions"][1]["sha256"]
    assert "СОВПАДАЕТ" in "\n".join(check_edition(editions_json(site), "docs/index.md", "2", sha))


def test_a_move_with_an_edit_is_the_next_edition_and_keeps_the_earlier_ones(published):
    repo, before, _ = published
    move(repo, "privacy.md", edit=True)
    site = repo.build()
    (document,) = editions_json(site)["documents"]
    assert kept(document)[:2] == kept(before["documents"][0])
    assert (document["current_edition"], document["editions"][2]["date"]) == (3, "2026-04-01")
    assert "source" not in document["editions"][2]  # committed at the new path
    changes = read_html(site / "privacy/editions/3/changes/index.html").get_text()
    assert "1.3" in changes


def test_the_old_permanent_addresses_lead_to_the_new_ones_without_javascript(published):
    repo, _, _ = published
    move(repo, "privacy.md")
    site = repo.build()
    for old, new in [
        ("", "privacy/"),
        ("editions/", "privacy/editions/"),
        ("editions/2/", "privacy/editions/2/"),
        ("editions/2/changes/", "privacy/editions/2/changes/"),
    ]:
        page = read_html(site / old / "index.html")
        refresh = page.select_one('meta[http-equiv="refresh"]')["content"]
        link = page.select_one("body a")["href"]
        # Relative, so it works under /privacy/ and from any static server.
        assert refresh == f"0; url={link}" and not link.startswith(("/", "http"))
        assert page.select_one('link[rel="canonical"]')["href"] == f"https://alectro.ru/privacy/{new}"
        assert not page.select("script")
    assert (site / "editions/2/source.md").read_bytes() == (site / "privacy/editions/2/source.md").read_bytes()
    assert (site / "editions/feed.xml").read_text(encoding="utf-8") == (site / "privacy/editions/feed.xml").read_text(
        encoding="utf-8"
    )


def test_a_new_page_at_the_old_address_keeps_it(published):
    repo, _, _ = published
    move(repo, "privacy.md")
    repo.write("docs/index.md", "# Магазин\n\nО магазине.\n")
    repo.commit("Главная страница", "2026-04-02T10:00:00+03:00")
    site = repo.build()
    home = read_html(site / "index.html")
    assert home.select_one("h1").get_text() == "Магазин" and not home.select('meta[http-equiv="refresh"]')
    assert read_html(site / "editions/1/index.html").select_one('meta[http-equiv="refresh"]')


def test_an_edition_from_before_a_move_into_a_folder_shows_its_pictures_and_links_as_published(git_repo, caplog):
    git_repo.write("docs/index.md", POLICY + "\n![Схема](scheme.png)\n\n[Доставка](delivery.md)\n")
    git_repo.write("docs/scheme.png", "PNG1")
    git_repo.write("docs/delivery.md", "# Доставка\n")
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    (git_repo.docs / "legal").mkdir()
    git_repo.git("mv", "docs/index.md", "docs/legal/privacy.md")
    text = (git_repo.docs / "legal/privacy.md").read_text(encoding="utf-8")
    git_repo.write(
        "docs/legal/privacy.md", text.replace("(scheme.png)", "(../scheme.png)").replace("(delivery", "(../delivery")
    )
    git_repo.configure("      documents: [legal/privacy.md]\n")
    git_repo.commit("Политика переехала в legal/", "2026-04-01T10:00:00+03:00")
    site = git_repo.build()
    copy = read_html(site / "legal/privacy/editions/1/index.html")
    image = copy.select_one("article img")["src"]
    assert (site / "legal/privacy/editions/1" / image).read_bytes() == b"PNG1"
    link = next(a["href"] for a in copy.select("article a") if a.get_text() == "Доставка")
    assert (site / "legal/privacy/editions/1" / link / "index.html").resolve() == (site / "delivery/index.html")
    assert "is shown as its text" not in caplog.text


@pytest.mark.parametrize("edit", [False, True], ids=["pure move", "move with an edit"])
def test_a_publish_after_a_move_keeps_the_published_editions_as_fixed_points(published, monkeypatch, edit):
    """make publish builds with the live editions.json: the record names the document by its old path."""
    repo, before, _ = published
    live = repo.root.parent / "live-editions.json"
    live.write_text(json.dumps(before), encoding="utf-8")
    monkeypatch.setenv("ALECTRO_PUBLISHED_EDITIONS", str(live))
    move(repo, "privacy.md", edit=edit)
    (document,) = editions_json(repo.build())["documents"]
    assert kept(document)[:2] == kept(before["documents"][0])
    assert document["current_edition"] == (3 if edit else 2)


REWRITTEN = "# Политика\n\n1.1. Магазин хранит только адрес доставки.\n\n2.2. Cookies нужны корзине заказов.\n"


def live_record(repo, before, monkeypatch) -> None:
    """Hand every later build the editions.json ``before`` as the live site's, as make publish does."""
    live = repo.root.parent / "live-editions.json"
    live.write_text(json.dumps(before), encoding="utf-8")
    monkeypatch.setenv("ALECTRO_PUBLISHED_EDITIONS", str(live))


@pytest.mark.parametrize("squash", [False, True], ids=["one commit", "squash of a move, then a rewrite"])
def test_a_move_git_does_not_see_keeps_its_editions_when_publishing(published, monkeypatch, squash):
    """Renamed and rewritten in one commit (by hand, or by GitHub's squash of a branch that moved it, then rewrote
    it), the file is to git a deletion and a new file. The live record names the path the commit deleted."""
    repo, before, key_before = published
    live_record(repo, before, monkeypatch)
    if squash:
        repo.git("checkout", "-q", "-b", "work")
        move(repo, "privacy.md")
        repo.write("docs/privacy.md", REWRITTEN)
        repo.commit("Новая политика", "2026-04-02T10:00:00+03:00")
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--squash", "work")
    else:
        repo.git("mv", "docs/index.md", "docs/privacy.md")
        repo.write("docs/privacy.md", REWRITTEN)
        repo.configure("      documents: [privacy.md]\n")
    repo.commit("Новая политика (#3)", "2026-04-03T10:00:00+03:00")
    site = repo.build()
    (document,) = editions_json(site)["documents"]
    assert kept(document)[:2] == kept(before["documents"][0]) and document["current_edition"] == 3
    assert document["former_sources"] == ["docs/index.md"]
    assert consent_key(read_html(site / "privacy/index.html")) == key_before
    # Published so, the record names the new path and each edition's own: the next build follows it again.
    published_now = editions_json(site)
    live_record(repo, published_now, monkeypatch)
    repo.write("docs/privacy.md", REWRITTEN.replace("корзине", "корзине и избранному"))
    repo.commit("Избранное (п. 2.2)", "2026-04-04T10:00:00+03:00")
    (document,) = editions_json(repo.build())["documents"]
    assert kept(document)[:3] == kept(published_now["documents"][0]) and document["current_edition"] == 4


def test_a_published_document_deleted_and_written_anew_later_is_refused_when_publishing(
    published, monkeypatch, refused
):
    repo, before, _ = published
    live_record(repo, before, monkeypatch)
    repo.git("rm", "-q", "docs/index.md")
    sha = repo.commit("Политика убрана", "2026-04-01T10:00:00+03:00")
    repo.write("docs/privacy.md", REWRITTEN)
    repo.configure("      documents: [privacy.md]\n")
    repo.commit("Новая политика", "2026-04-02T10:00:00+03:00")
    message = refused(repo.build)
    assert "docs/index.md: its published editions 1–2 belong to no document this build lists" in message
    assert f"commit {sha[:10]} ('Политика убрана') deleted it" in message
    assert f"git revert {sha[:10]}" in message and "git mv" in message


def test_a_published_document_dropped_from_documents_is_refused_when_publishing(published, monkeypatch, refused):
    repo, before, _ = published
    live_record(repo, before, monkeypatch)
    repo.write("docs/terms.md", POLICY.replace("Политика", "Условия"))
    repo.configure("      documents: [terms.md]\n")
    repo.commit("Условия вместо политики", "2026-04-01T10:00:00+03:00")
    message = refused(repo.build)
    assert "docs/index.md: its published editions 1–2 belong to no document this build lists" in message
    assert "'documents' in mkdocs.yml no longer lists index.md" in message


@pytest.mark.parametrize("given_record", [False, True], ids=["plain build", "make publish"])
def test_a_branch_that_moved_the_document_twice_editing_it_between_keeps_its_editions(
    published, monkeypatch, given_record
):
    """Each step as git sees a move (git mv, then the edit, then git mv again); merged, main's own step is a
    move with an edit of a short text, which git's rename detection does not see: the branch's moves are followed."""
    repo, before, _ = published
    if given_record:
        live = repo.root.parent / "live-editions.json"
        live.write_text(json.dumps(before), encoding="utf-8")
        monkeypatch.setenv("ALECTRO_PUBLISHED_EDITIONS", str(live))
    repo.git("checkout", "-q", "-b", "work")
    move(repo, "privacy.md")
    repo.write("docs/privacy.md", POLICY.replace("Первый", "Уточнённый первый"))
    repo.commit("Уточнён п. 1.1", "2026-04-02T10:00:00+03:00")
    move(repo, "legal/privacy.md", source="privacy.md", when="2026-04-03T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "work", date="2026-04-04T10:00:00+03:00")
    (document,) = editions_json(repo.build())["documents"]
    assert kept(document)[:2] == kept(before["documents"][0])
    assert document["former_sources"] == ["docs/index.md"]
    # The summary is the edit's, not the last move's.
    assert [e["summary"] for e in document["editions"][2:]] == ["Уточнён п. 1.1"]
