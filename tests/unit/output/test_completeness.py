"""Every build checks its own output: a site without its stamps, history pages, feed, editions.json or banner is
named, piece by piece, and refused with what to do. Sites made as files in tmp_path, no MkDocs build."""

from zoneinfo import ZoneInfo

import pytest

from alectro_policy.output import completeness
from alectro_policy.output.publication import editions_file_of
from alectro_policy.output.rendering import templates
from alectro_policy.output.site_files import write_site_files
from alectro_published import editions_file
from support import published

TEXT = "# Политика\n\n1.1. Пункт.\n"
POLICY = published("index.md", TEXT, TEXT.replace("Пункт", "Новый пункт"))


def page(site, url, *marks):
    path = site / url / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<html><body>" + "".join(f"<p {mark}></p>" for mark in marks) + "</body></html>")


@pytest.fixture
def site(tmp_path):
    """A complete site of POLICY: every page with the banner, its own page stamped, editions.json and the feed."""
    write_site_files(tmp_path, [POLICY], templates(ZoneInfo("Europe/Moscow")), None, "Alectro", "Europe/Moscow")
    page(tmp_path, "", completeness.STAMP_MARK + '"', completeness.BANNER_MARK)
    for url in ("editions/", "editions/1/", "editions/2/", "editions/2/changes/"):
        page(tmp_path, url, completeness.BANNER_MARK)
    return tmp_path


def test_a_complete_site_lacks_nothing(site):
    assert completeness.missing_outputs(site, [POLICY], banner=True) == []


def test_each_missing_piece_is_named_with_its_file(site):
    (site / "editions/2/changes/index.html").unlink()
    (site / "editions/feed.xml").unlink()
    page(site, "", completeness.BANNER_MARK)
    page(site, "editions/1/")
    assert completeness.missing_outputs(site, [POLICY], banner=True) == [
        "the page of docs/index.md has no edition stamp (index.html)",
        "edition 1 of docs/index.md has no consent banner (editions/1/index.html)",
        "the changes of edition 2 of docs/index.md is missing (editions/2/changes/index.html)",
        "the feed of docs/index.md is missing (editions/feed.xml)",
    ]
    # Without a banner configured, none is expected.
    assert "no consent banner" not in " ".join(completeness.missing_outputs(site, [POLICY], banner=False))


def test_editions_json_must_be_there_readable_and_list_every_edition(site):
    # Written by a build of the first edition alone.
    older = editions_file.dumps(editions_file_of([published("index.md", TEXT)], "/", "Europe/Moscow"))
    (site / "editions.json").write_text(older, encoding="utf-8")
    assert completeness.missing_outputs(site, [POLICY], banner=True) == [
        "editions.json does not list edition 2 of docs/index.md"
    ]
    (site / "editions.json").write_text("{", encoding="utf-8")
    (problem,) = completeness.missing_outputs(site, [POLICY], banner=True)
    assert problem.startswith("editions.json is missing or unreadable (")


def test_the_refusal_lists_what_is_missing_and_how_to_build_a_complete_site():
    refusal = completeness.refusal(["the feed of docs/index.md is missing (editions/feed.xml)"])
    assert refusal.startswith("The built site is incomplete, so it must not be published: the feed of docs/index.md")
    assert "MkDocs 1.6 or ProperDocs" in refusal and "{{ super() }}" in refusal
