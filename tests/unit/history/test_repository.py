"""The repository handle: one ``git cat-file`` for a build, each question asked once, git's failures shown."""

from __future__ import annotations

import subprocess

import pytest

from alectro_policy.history import git
from alectro_policy.history.repository import Repository
from support import GitRepo


def _git(root, *args):
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "HOME": str(root)}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True).stdout.decode()


@pytest.fixture
def processes(monkeypatch):
    """Every process started, whether by ``subprocess.run`` or ``Popen`` (``run`` starts a ``Popen``)."""
    started: list[list[str]] = []
    real = subprocess.Popen

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, args, *rest, **options):
            started.append(list(args))
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", Counted)
    return started


def test_git_reports_renames_with_hostile_names_and_edits_between_neighbours_on_the_line(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "main")
    text = "".join(f"1.{n}. Пункт номер {n} политики.\n\n" for n in range(1, 30))
    # A name of 40 hex digits looks like a commit hash; one with a newline and spaces is still one name.
    hostile = ["0123456789abcdef0123456789abcdef01234567", "новая папка/с пробелом\nи строкой.md"]
    (tmp_path / "index.md").write_text(text, encoding="utf-8")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "1")
    (tmp_path / "новая папка").mkdir()
    _git(tmp_path, "mv", "index.md", hostile[0])
    _git(tmp_path, "commit", "-qm", "2")
    _git(tmp_path, "mv", hostile[0], hostile[1])
    (tmp_path / hostile[1]).write_text(text + "1.30. Новый пункт.\n", encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "3")
    line = _git(tmp_path, "log", "--reverse", "--format=%H").split()
    repository = Repository(tmp_path)
    assert repository.renames_between(list(zip(line[1:], line, strict=False))) == {
        line[1]: {hostile[0]: "index.md"},
        line[2]: {hostile[1]: hostile[0]},
    }
    # Compared with the line's own predecessor, not git's parent: from commit 1 straight to commit 3.
    assert repository.renames_between([(line[2], line[0])]) == {line[2]: {hostile[1]: "index.md"}}


def test_streamed_blobs_come_one_by_one_in_order_and_missing_ones_are_none(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "main")
    big = "х" * 300_000  # larger than a pipe's buffer, both ways
    for name, content in (("a.md", big), ("b.md", "b")):
        (tmp_path / name).write_text(content, encoding="utf-8")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "1")
    repository = Repository(tmp_path)
    ids = repository.object_ids([("HEAD", "a.md"), ("HEAD", "b.md")])
    stream = repository.blobs([ids[0], "0" * 40, ids[1], ids[0]] * 200)
    first = next(stream)
    assert first == big.encode()
    rest = list(stream)
    assert rest[:3] == [None, b"b", big.encode()] and len(rest) == 799


def test_one_cat_file_answers_a_build_and_the_same_file_is_never_asked_twice(tmp_path, processes):
    repo = GitRepo.new(tmp_path / "site")
    repo.write("docs/index.md", "# Политика\n")
    first = repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    repo.write("docs/index.md", "# Политика\n\n1.1. Пункт.\n")
    second = repo.commit("Вторая", "2026-02-15T10:00:00+03:00")
    processes.clear()
    repository = Repository.at(repo.docs)
    assert repository is not None and repository.resolve("HEAD") == second
    asked = [(first, "docs/index.md"), (second, "docs/index.md"), (second, "docs/absent.md")]
    ids = repository.object_ids(asked)
    assert ids[0] != ids[1] and ids[2] is None
    assert repository.blob(ids[0]) == "# Политика\n".encode() and repository.file_at(second, "docs/absent.md") is None
    assert [args[1:4] for args in processes] == [
        ["rev-parse", "--show-toplevel", "--is-shallow-repository"],
        ["-c", "core.deltaBaseCacheLimit=16m", "cat-file"],
    ]
    repository.close()
    assert repository.object_ids(asked) == ids  # answered from what git said: no process started again
    assert len(processes) == 2


def test_a_name_git_gives_that_is_not_utf8_is_asked_back_as_the_same_bytes(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / b"\xff\xfe.md".decode("utf-8", "surrogateescape")).write_bytes(b"# A\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "1")
    raw = subprocess.run(["git", "ls-files", "-z"], cwd=tmp_path, capture_output=True, check=True).stdout
    name = git.path_from_git(raw.rstrip(b"\0"))
    assert git.path_to_git(name) == b"\xff\xfe.md"
    repository = Repository(tmp_path)
    (oid,) = repository.object_ids([("HEAD", name)])
    assert oid is not None and repository.blob(oid) == b"# A\n"


def test_a_cat_file_that_stops_says_what_git_said_and_the_next_question_starts_again(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "1")
    objects = git.CatFile(tmp_path)
    # A path outside the repository stops git (Repository never asks one: git.askable).
    with pytest.raises(git.GitError, match="'git cat-file' stopped before it answered: fatal: .*outside repository"):
        objects.info(["HEAD:a.md", "HEAD:../outside", "HEAD:a.md"])
    assert objects.info(["HEAD:a.md"])[0][1] == "blob"
    assert Repository(tmp_path).object_ids([("HEAD", "../outside"), ("HEAD", "a\nb")]) == [None, None]


def test_a_merge_conflict_is_told_from_a_merge_git_cannot_make(tmp_path):
    repo = GitRepo.new(tmp_path / "site")
    repo.write("docs/index.md", "# П\n\n1.1. Один.\n")
    repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    repo.git("checkout", "-q", "-b", "other")
    repo.write("docs/index.md", "# П\n\n1.1. Два.\n")
    theirs = repo.commit("Там", "2026-01-16T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.write("docs/index.md", "# П\n\n1.1. Три.\n")
    ours = repo.commit("Здесь", "2026-01-17T10:00:00+03:00")
    repository = Repository(repo.root)
    assert repository.merged_id((ours, theirs), "docs/index.md") is None  # a conflict: the text is the editor's
    with pytest.raises(git.GitError, match="merge-tree"):
        repository.merged_id((ours, "0" * 40), "docs/index.md")  # not a conflict: git cannot merge at all
