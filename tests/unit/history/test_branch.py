"""Which line is published and what a checked-out commit is compared with: main, its upstream, or the freshest."""

import pytest

from alectro_policy.history import branch
from alectro_policy.history.git import GitError
from alectro_policy.history.repository import Repository
from support import GitRepo


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo.new(tmp_path / "project")
    repo.write("docs/index.md", "# Политика\n")
    repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    return repo


def sha(repo, revision="HEAD"):
    return repo.git("rev-parse", revision)


def test_without_an_upstream_main_is_the_published_line(repo):
    assert branch.published_line(Repository.at(repo.root)) == branch.Base("main", sha(repo))


def test_an_upstream_ahead_of_main_is_the_published_line_and_says_main_is_not_pulled(repo):
    ahead = repo.commit("Сроки", "2026-02-01T10:00:00+03:00")
    repo.git("update-ref", "refs/remotes/origin/main", ahead)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    line = branch.published_line(Repository.at(repo.root))
    assert (line.name, line.commit) == ("origin/main", ahead) and "отстаёт" in line.note


def test_a_main_ahead_of_its_upstream_is_the_freshest(repo):
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    ahead = repo.commit("Сроки", "2026-02-01T10:00:00+03:00")
    assert branch.published_line(Repository.at(repo.root)) == branch.Base("main", ahead)


def test_diverged_main_and_upstream_give_the_upstream_with_a_note(repo):
    repo.git("checkout", "-q", "-b", "other")
    upstream = repo.commit("Там", "2026-02-01T10:00:00+03:00")
    repo.git("update-ref", "refs/remotes/origin/main", upstream)
    repo.git("checkout", "-q", "main")
    repo.commit("Здесь", "2026-02-02T10:00:00+03:00")
    line = branch.published_line(Repository.at(repo.root))
    assert (line.name, line.commit) == ("origin/main", upstream) and "разошлись" in line.note


def test_a_branch_is_compared_with_the_published_line_and_counts_what_it_lacks(repo):
    repo.git("checkout", "-q", "-b", "e1")
    repo.commit("Ветка", "2026-02-01T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.commit("Другая редакция", "2026-02-02T10:00:00+03:00")
    repo.commit("И ещё", "2026-02-03T10:00:00+03:00")
    repo.git("checkout", "-q", "e1")
    base = branch.comparison_base(Repository.at(repo.root))
    assert (base.name, base.commit, base.behind) == ("main", sha(repo, "main"), 2)
    assert branch.draft_base(Repository.at(repo.docs)) == branch.Base("main", sha(repo, "main"))


def test_on_main_itself_the_base_is_the_upstream_or_none_and_nothing_is_a_draft(repo):
    assert branch.comparison_base(Repository.at(repo.root)) is None  # no upstream: the caller compares editions on main
    assert branch.draft_base(Repository.at(repo.docs)) is None
    published = sha(repo)
    repo.git("update-ref", "refs/remotes/origin/main", published)
    repo.commit("Сроки", "2026-02-01T10:00:00+03:00")
    base = branch.comparison_base(Repository.at(repo.root))
    assert (base.name, base.commit, base.behind) == ("origin/main", published, 0)
    assert branch.draft_base(Repository.at(repo.docs)) is None


def test_no_main_at_all_names_the_fix(repo):
    repo.git("branch", "-m", "main", "master")
    with pytest.raises(GitError, match="make changes BASE=origin/master"):
        branch.comparison_base(Repository.at(repo.root))
    assert branch.draft_base(Repository.at(repo.docs)) is None
