"""A build asks git in a fixed number of processes, whatever the number of documents, editions, merges, pictures
and drafts: every process started is counted, ``subprocess.run``'s and ``Popen``'s alike."""

from __future__ import annotations

import subprocess

import pytest

from support import GitRepo

POLICY = "# Политика\n\n1.1. Данные включают имя ({n}).\n\n2.2. Сайт использует cookies: ![Схема](img/{name}.png)\n"
TERMS = "# Условия\n\n1.1. Доставка за {n} дня: ![Карта](img/map.png)\n"


@pytest.fixture
def processes(monkeypatch):
    """The commands of every process started from now on (``subprocess.run`` starts a ``Popen`` too)."""
    started: list[list[str]] = []
    real = subprocess.Popen

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, args, *rest, **options):
            started.append([str(arg) for arg in args])
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", Counted)
    return started


def grow(repo: GitRepo, round_: int) -> None:
    """One more round of history: an edition on main with a new picture, a branch editing the other document and
    its picture that merges main in (``git merge main``: the parents swapped) before it is merged, and a merge
    with a hand edit of its own."""
    day = f"2026-{round_ + 1:02d}"
    repo.git("checkout", "-q", "main")
    repo.write("docs/index.md", POLICY.format(n=round_, name=f"scheme{round_}"))
    (repo.docs / f"img/scheme{round_}.png").write_bytes(b"\x89PNG scheme %d" % round_)
    repo.commit(f"Политика {round_}", f"{day}-01T10:00:00+03:00")
    repo.git("checkout", "-q", "-b", f"terms-{round_}")
    repo.write("docs/terms.md", TERMS.format(n=round_ + 2))
    (repo.docs / "img/map.png").write_bytes(b"\x89PNG map %d" % round_)
    repo.commit(f"Условия {round_}", f"{day}-02T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.write("docs/index.md", POLICY.format(n=round_ + 100, name=f"scheme{round_}"))
    repo.commit(f"Политика {round_}б", f"{day}-03T10:00:00+03:00")
    repo.git("checkout", "-q", f"terms-{round_}")
    repo.git("merge", "-q", "--no-edit", "main", date=f"{day}-04T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.git(
        "merge", "-q", "--no-ff", "-m", f"Условия {round_} приняты", f"terms-{round_}", date=f"{day}-05T10:00:00+03:00"
    )
    # A merge whose own text is the editor's: the other document edited in the merge commit itself.
    repo.git("checkout", "-q", "-b", f"note-{round_}", "HEAD~1")
    repo.write("docs/other.md", f"# Другое {round_}\n")
    repo.commit(f"Другое {round_}", f"{day}-06T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-commit", f"note-{round_}", date=f"{day}-07T10:00:00+03:00")
    repo.write("docs/terms.md", TERMS.format(n=round_ + 2) + f"\n1.2. Правка в слиянии {round_}.\n")
    repo.commit(f"Другое {round_} и правка условий", f"{day}-07T10:00:00+03:00")


@pytest.fixture
def site(git_repo):
    git_repo.configure("      documents: [index.md, terms.md]\n      without_clauses: [terms.md]\n")
    (git_repo.docs / "img").mkdir(parents=True)
    git_repo.write("docs/index.md", POLICY.format(n=0, name="scheme0"))
    (git_repo.docs / "img/scheme0.png").write_bytes(b"\x89PNG scheme 0")
    git_repo.write("docs/terms.md", TERMS.format(n=1))
    (git_repo.docs / "img/map.png").write_bytes(b"\x89PNG map")
    git_repo.commit("Первые редакции", "2026-01-01T10:00:00+03:00")
    return git_repo


def command_name(command: list[str]) -> str:
    """``git log``, ``git cat-file``…: the program and its command, without the options before it (``-C``, ``-c``)."""
    words = iter(command[1:])
    for word in words:
        if word in ("-C", "-c"):
            next(words)
        else:
            return f"{command[0]} {word}"
    return command[0]


def counted_build(repo: GitRepo, processes: list[list[str]]) -> list[str]:
    """The processes of one build (a draft with a picture of its own included), as ``git <command>``."""
    repo.write("docs/terms.md", (repo.docs / "terms.md").read_text(encoding="utf-8") + "\n![Новая](img/new.png)\n")
    (repo.docs / "img/new.png").write_bytes(b"\x89PNG new")
    processes.clear()
    repo.build(strict=False)
    found = [command_name(command) for command in processes]
    repo.git("checkout", "-q", "--", "docs/terms.md")
    (repo.docs / "img/new.png").unlink()
    return found


def test_a_build_starts_as_many_processes_for_three_rounds_of_merges_and_pictures_as_for_one(site, processes):
    grow(site, 1)
    few = counted_build(site, processes)
    grow(site, 2)
    grow(site, 3)
    many = counted_build(site, processes)
    assert many == few, (few, many)
    # Each once: where the repository is, its history, its renames, the draft's pictures, the publish record's
    # tags, and one cat-file for the rest (files, ids, commit messages, past editions' pictures).
    assert sorted(many) == [
        "git cat-file",
        "git diff-tree",
        "git for-each-ref",
        "git hash-object",
        "git log",
        "git rev-parse",
    ]


def test_make_changes_reads_the_history_once_whatever_its_length(site, processes):
    from alectro_policy.changes.cli import next_editions

    grow(site, 1)
    counts = []
    for rounds in ([], [2, 3]):
        for round_ in rounds:
            grow(site, round_)
        site.git("checkout", "-q", "-b", f"edit-{len(counts)}")
        site.write("docs/terms.md", TERMS.format(n=99))
        site.commit("Срок доставки", "2026-12-01T10:00:00+03:00")
        processes.clear()
        next_editions(str(site.root / "mkdocs.yml"), None)
        counts.append(sorted(command_name(command) for command in processes))
        site.git("checkout", "-q", "main")
    assert counts[0] == counts[1], counts
    # main's history and the branch's, each read once, through one cat-file.
    assert counts[1].count("git log") == 2 and counts[1].count("git cat-file") == 1, counts
