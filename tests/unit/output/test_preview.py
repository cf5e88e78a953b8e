"""What make serve keeps between rebuilds (output.preview): a save recomputes its draft, not the history."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from alectro_policy.history import git
from alectro_policy.history.editions import DocumentEditions, State, editions_from_states, pending_edition
from alectro_policy.output import publication
from alectro_policy.output.edition_views import EditionPageView, edition_views
from alectro_policy.output.preview import Preview
from support import GitRepo

V1 = "# Политика\n\n1.1. А.\n\n1.2. Б.\n\n1.3. В.\n"
V2 = V1.replace("1.1. А.", "1.1. А!")
V3 = V2.replace("1.3. В.\n", "1.4. Г.\n")


def history(*texts: str) -> DocumentEditions:
    states = [
        State(f"{n:040x}", datetime(2026, 1, n + 1, 9, tzinfo=UTC), f"Редакция {n}", "", text.encode())
        for n, text in enumerate(texts, start=1)
    ]
    return DocumentEditions("index.md", "docs/index.md", editions_from_states("docs/index.md", states, ZoneInfo("UTC")))


def _with_draft(text: str):
    document = history(V1, V2)
    draft = pending_edition(document.editions, text.encode(), (), date(2026, 2, 1), "", False)
    return replace(document, draft=draft)


def test_a_document_is_compared_again_only_when_its_committed_editions_change(monkeypatch):
    compared = []
    compare = publication.compare
    monkeypatch.setattr(publication, "compare", lambda old, new: compared.append(new) or compare(old, new))
    preview = Preview(active=True)
    first = preview.published([_with_draft(V3)], lambda path: True)
    assert compared == [V2]
    again = preview.published([_with_draft(V3.replace("Г.", "Г!"))], lambda path: True)
    assert compared == [V2], "a new draft alone compares nothing again"
    assert again[0].records == first[0].records and again[0].editions_of.draft.text.endswith("Г!\n")
    preview.published([history(V1, V2, V3)], lambda path: True)
    assert compared == [V2, V2, V3]


def test_edition_pages_are_written_again_as_they_were_until_the_site_around_them_changes(tmp_path):
    preview = Preview(active=True)
    document = preview.published([_with_draft(V3)], lambda path: True)[0]
    views = edition_views(document, preview=True)
    assert preview.held(views, "site 1") == set()
    for view in views:
        preview.written(view, f"<html>{view.src_uri}</html>")
    held = preview.held(views, "site 1")
    # Every page but the draft's: it shows the document as it is now.
    assert held == {v.src_uri for v in views if not (isinstance(v, EditionPageView) and v.kind == "draft")}
    site = tmp_path / "site"
    preview.write_held(site)
    assert (site / "editions/2/changes/index.html").read_text() == "<html>editions/2/changes/index.md</html>"
    assert (site / "editions/index.html").is_file() and not (site / "editions/draft").exists()
    assert preview.held(views, "site 2") == set(), "another title, page or theme: every page is rendered again"
    preview.close()


def test_a_build_keeps_nothing():
    preview = Preview(active=False)
    views = edition_views(preview.published([history(V1, V2)], lambda path: True)[0])
    for view in views:
        preview.written(view, "<html></html>")
    assert preview.held(views, "site") == set()


def test_git_refs_stamp_changes_with_a_commit_not_with_an_edit(tmp_path):
    repo = GitRepo.new(tmp_path / "site")
    repo.write("docs/index.md", V1)
    repo.commit("Первая", "2026-01-01T12:00:00+03:00")
    folders = git.git_folders(repo.root)
    before = git.refs_stamp(folders)
    repo.write("docs/index.md", V2)
    assert git.refs_stamp(folders) == before
    repo.commit("Вторая", "2026-01-02T12:00:00+03:00")
    assert git.refs_stamp(folders) != before
