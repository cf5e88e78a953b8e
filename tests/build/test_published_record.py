"""Published editions are fixed points: a build given the live editions.json (as `make publish` gives it) keeps
every published edition's number, date and checksum through a pull merge, a fast-forward or an octopus, makes
everything since the last publication one new edition, and refuses, naming the edition, the commit and the
fix, where git cannot keep one."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alectro_policy.history.editions import EditionError
from alectro_policy.history.published import read_editions_file
from alectro_policy.history.site_editions import EditionsRequest, read_editions
from support import GitRepo

V1 = """# Политика

## 1. Общие положения

1.1. Данные передаются транспортной компании.

1.2. Второй пункт.

## 2. Данные

2.1. Данные включают имя.

2.2. Сайт использует cookies.
"""


def editions(site: Path) -> list[tuple[int, str, str, str, bool]]:
    (document,) = json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"]
    return [(e["number"], e["date"], e["sha256"], e["summary"], e["editorial"]) for e in document["editions"]]


class Publisher:
    """Builds as `make publish` does: with the editions.json the last publication left, then records the new one."""

    def __init__(self, repo: GitRepo, live: Path, monkeypatch):
        self.repo, self.live, self.monkeypatch = repo, live, monkeypatch

    def build(self) -> Path:
        if self.live.exists():
            self.monkeypatch.setenv("ALECTRO_PUBLISHED_EDITIONS", str(self.live))
        else:
            self.monkeypatch.delenv("ALECTRO_PUBLISHED_EDITIONS", raising=False)
        return self.repo.build()

    def publish(self) -> list:
        site = self.build()
        self.live.write_bytes((site / "editions.json").read_bytes())
        return editions(site)


@pytest.fixture
def publisher(tmp_path, monkeypatch) -> Publisher:
    repo = GitRepo.new(tmp_path / "site")
    repo.write("docs/index.md", V1)
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    return Publisher(repo, tmp_path / "live-editions.json", monkeypatch)


def text(*edits: tuple[str, str]) -> str:
    result = V1
    for old, new in edits:
        result = result.replace(old, new)
    return result


COURIER = ("транспортной компании", "курьерской службе")
TERMS = ("Второй пункт.", "Второй пункт о сроках.")
PHONE = ("имя.", "имя и телефон.")


def test_a_fast_forward_of_several_commits_after_publishing_is_one_new_edition(publisher, tmp_path):
    repo = publisher.repo
    before = publisher.publish()
    repo.git("checkout", "-q", "-b", "e1-word")
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-01T10:00:00+03:00")
    repo.write("docs/index.md", text(COURIER, PHONE))
    repo.commit("Телефон (п. 2.1)", "2026-02-05T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "e1-word")
    # By git alone each commit is an edition, and the first would read «Действовала с 1 по 4 февраля».
    assert [e[:2] for e in editions(repo.build())] == [(1, "2026-01-15"), (2, "2026-02-01"), (3, "2026-02-05")]
    after = publisher.publish()
    assert after[:1] == before
    assert [e[:2] for e in after] == [(1, "2026-01-15"), (2, "2026-02-05")]
    assert after[1][3:] == ("Курьерская служба (п. 1.1); Телефон (п. 2.1)", False)
    # Published again with nothing new: the same record, byte for byte the same editions.
    assert publisher.publish() == after


def test_a_pull_merge_with_swapped_parents_and_its_own_message_keeps_the_published_editions(publisher):
    # The message is not git's own, so only the published record tells which parent was main.
    repo = publisher.repo
    repo.git("checkout", "-q", "-b", "laptop")
    repo.write("docs/index.md", text(TERMS))
    repo.commit("Сроки хранения (п. 1.2)", "2026-02-01T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-03T10:00:00+03:00")
    before = publisher.publish()
    assert [e[:2] for e in before] == [(1, "2026-01-15"), (2, "2026-02-03")]
    repo.git("checkout", "-q", "laptop")
    repo.git("merge", "-q", "-m", "Слияние с сайтом", "main", date="2026-02-05T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "laptop")
    # By git alone the first parent is the laptop's commit: edition 2 would become a commit that never went live.
    assert editions(repo.build())[1][:3] != before[1][:3]
    after = publisher.publish()
    assert after[:2] == before
    # The merge's message is the editor's own (not git's), so it is the summary.
    assert after[2][:2] == (3, "2026-02-05") and after[2][3] == "Слияние с сайтом"


def test_an_octopus_after_publishing_is_one_new_edition_and_keeps_the_published_ones(publisher):
    repo = publisher.repo
    before = publisher.publish()
    for branch, edit, message, day in (
        ("courier", COURIER, "Курьерская служба (п. 1.1)", "01"),
        ("phone", PHONE, "Телефон (п. 2.1)\n\nEdition: editorial", "02"),
    ):
        repo.git("checkout", "-q", "-b", branch, "main")
        repo.write("docs/index.md", text(edit))
        repo.commit(message, f"2026-02-{day}T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "courier", "phone", date="2026-02-10T10:00:00+03:00")
    assert len(repo.git("log", "-1", "--format=%P").split()) == 3
    after = publisher.publish()
    assert after[:1] == before
    # One unmarked commit changed the text: the octopus is substantive, whatever the other says.
    assert [(e[0], e[1], e[4]) for e in after] == [(1, "2026-01-15", False), (2, "2026-02-10", False)]


def test_a_published_commit_lost_from_history_fails_the_build_naming_the_edition_the_commit_and_the_fix(
    publisher, refused
):
    repo = publisher.repo
    repo.write("docs/index.md", text(COURIER))
    lost = repo.commit("Курьерская служба (п. 1.1)", "2026-02-03T10:00:00+03:00")
    publisher.publish()
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    repo.write("docs/index.md", text(PHONE))
    repo.commit("Телефон (п. 2.1)", "2026-02-05T10:00:00+03:00")
    publisher.monkeypatch.setenv("ALECTRO_PUBLISHED_EDITIONS", str(publisher.live))
    message = refused(repo.build)
    assert f"published edition 2 of 2026-02-03 (commit {lost[:10]}" in message
    assert "bring that commit back into main" in message and "ALLOW_HISTORY_REWRITE=1" in message


def test_a_first_published_change_that_drops_published_editions_fails_the_build_with_the_fix(publisher, refused):
    repo = publisher.repo
    repo.write("docs/index.md", text(COURIER))
    second = repo.commit("Курьерская служба (п. 1.1)", "2026-02-03T10:00:00+03:00")
    publisher.publish()
    repo.configure(f"      first_published:\n        index.md: '{second}'\n")
    repo.commit("Начать историю со второй редакции", "2026-02-04T10:00:00+03:00")
    publisher.monkeypatch.setenv("ALECTRO_PUBLISHED_EDITIONS", str(publisher.live))
    message = refused(repo.build)
    assert "published edition 1 of 2026-01-15" in message and "undo the change in mkdocs.yml" in message


@pytest.mark.parametrize("source", ["docs/index.md\ndocs/index.md", "docs/нет такого.md", "../index.md", "..", ""])
def test_a_published_document_no_listed_document_takes_is_refused_whatever_its_recorded_path(
    publisher, refused, source
):
    publisher.publish()
    data = json.loads(publisher.live.read_text(encoding="utf-8"))
    data["documents"].append({**data["documents"][0], "source": source})
    publisher.live.write_text(json.dumps(data), encoding="utf-8")
    message = refused(publisher.build)
    assert f"{source}: its published editions 1 belong to no document this build lists" in message
    assert "ALLOW_HISTORY_REWRITE=1" in message and "Traceback" not in message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(codec="utf-8"), max_size=40).filter(lambda source: source != "docs/index.md"))
def test_any_recorded_path_of_a_document_no_one_lists_is_a_refusal_not_a_crash(publisher, source):
    """The record is a file from the live site: whatever path it names, the build stops with the fix."""
    if not publisher.live.exists():
        publisher.publish()
    data = json.loads(publisher.live.read_text(encoding="utf-8"))
    data["documents"][1:] = [{**data["documents"][0], "source": source}]
    record = publisher.live.parent / "hostile.json"
    record.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(EditionError, match="belong to no document this build lists"):
        read_editions(
            EditionsRequest(
                publisher.repo.docs, ["index.md"], ZoneInfo("Europe/Moscow"), published=read_editions_file(record)
            )
        )


def test_a_record_dating_an_edition_before_its_commit_reached_main_is_refused_not_copied_forward(publisher, refused):
    repo = publisher.repo
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-03T10:00:00+03:00")
    publisher.publish()
    data = json.loads(publisher.live.read_text(encoding="utf-8"))
    data["documents"][0]["editions"][1]["date"] = "2026-01-20"
    publisher.live.write_text(json.dumps(data), encoding="utf-8")
    message = refused(publisher.build)
    assert "published edition 2 is recorded as dated 2026-01-20, before its commit" in message
    assert "reached main (2026-02-03)" in message
    assert f"in the file {publisher.live}: the record was changed by hand: give the file the live site" in message
