"""`make publish` publishes what is on main only: its build refuses a checked-out commit that main does not hold,
for that commit's edits would go live as an edition no review merged. A plain build, which CI runs on a pull
request's merge commit, is not refused."""

from __future__ import annotations

import json

import pytest

from alectro_policy.history.branch import PUBLISHING_ENV

POLICY = "# Политика\n\n1.1. Первый пункт.\n\n2.2. Сайт использует cookies.\n"


@pytest.fixture
def on_branch(git_repo):
    """Edition 1 on main; a branch ``e1`` with an unmerged change of clause 1.1, checked out."""
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.git("checkout", "-q", "-b", "e1")
    git_repo.write("docs/index.md", POLICY.replace("Первый", "Уточнённый первый"))
    git_repo.commit("Уточнён п. 1.1", "2026-02-01T10:00:00+03:00")
    return git_repo


def numbers(site) -> list[int]:
    editions = json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"][0]["editions"]
    return [edition["number"] for edition in editions]


def test_a_publish_build_of_an_unmerged_branch_is_refused_and_says_how_to_publish(on_branch, refused, monkeypatch):
    monkeypatch.setenv(PUBLISHING_ENV, "1")
    message = refused(on_branch.build)
    assert "'make publish' publishes what is on main" in message
    assert "git checkout main && git pull && make publish" in message


def test_a_plain_build_of_the_branch_still_builds(on_branch):
    assert numbers(on_branch.build()) == [1, 2]


@pytest.mark.parametrize("how", ["merged, on main", "detached at main"])
def test_a_publish_build_of_what_main_holds_goes_ahead(on_branch, monkeypatch, how):
    on_branch.git("checkout", "-q", "main")
    on_branch.git("merge", "-q", "--no-ff", "-m", "Уточнён п. 1.1", "e1")
    if how == "detached at main":
        on_branch.git("checkout", "-q", "--detach", "main")
    monkeypatch.setenv(PUBLISHING_ENV, "1")
    assert numbers(on_branch.build()) == [1, 2]
