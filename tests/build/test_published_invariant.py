"""Generated sequences of ordinary git work after publishing: commits on main and on two branches, merges either
way (with git's own «Merge branch 'main' into …» or the editor's own message, then a fast-forward of main to it:
the swapped parents of a pull), fast-forwards, reverts, a submodule added, the document moved or renamed (``git
mv`` with ``mkdocs.yml``'s ``documents:`` in the same commit), GitHub's squash merge, an octopus merge, a rebase
of the branch onto main then a fast-forward, a cherry-pick. Invariants: an edition once published (its
editions.json recorded, as the live site keeps it) never changes its number, date, commit or SHA-256 in any later
build given that record; the consent cookie's key of the document never changes (a move asks no one again)."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alectro_policy.consent.cookie import document_key
from alectro_policy.history.published import read_editions_file
from alectro_policy.history.site_editions import EditionsRequest, read_editions
from alectro_policy.output.publication import editions_file_of, published_document
from alectro_policy.urls import page_url
from alectro_published import editions_file
from support import GitRepo

ZONE = ZoneInfo("Europe/Moscow")
FAR = date(2030, 1, 1)
WORDS = ("имя", "телефон", "адрес", "почта")
PLACES = ("index.md", "privacy.md", "legal/privacy.md")
OPERATIONS = (
    "commit on main",
    "commit on branch",
    "commit on the second branch",
    "rewrite on branch",
    "merge branch into main",
    "merge main into branch",
    "fast-forward main to branch",
    "pull: merge main into branch, fast-forward main",
    "pull with the editor's own message",
    "revert on main",
    "new branch from main",
    "move on main",
    "move on branch",
    "move with an edit on main",
    "squash merge of the branch (GitHub)",
    "octopus merge of both branches into main",
    "rebase the branch onto main, fast-forward main",
    "cherry-pick the branch's last commit onto main",
    "add a submodule beside the document",
    "publish",
)
# Publishing three times as often as any other step: each publish pins more of the line for the steps after it.
CHOICES = OPERATIONS + ("publish", "publish")
DOCUMENTS = re.compile(r"documents: \[(.+)\]")


def document(clauses: list[str]) -> str:
    body = "\n\n".join(f"1.{n + 1}. Данные: {word}." for n, word in enumerate(clauses))
    return f"# Политика\n\n## 1. Данные\n\n{body}\n"


class History:
    def __init__(self, root: Path):
        self.repo = GitRepo.new(root)
        self.day = 0
        self.pulls = 0
        self.repo.write("docs/index.md", document(list(WORDS)))
        self.repo.configure("      documents: [index.md]\n")
        self.commit("Первая редакция")
        self.repo.git("branch", "work")
        self.repo.git("branch", "other")
        self.record = root.parent / "live-editions.json"
        self.published: list[tuple[int, str, str, str]] = []
        self.key = ""

    def when(self) -> str:
        self.day += 1
        return f"2026-{1 + self.day // 28:02d}-{1 + self.day % 28:02d}T10:00:00+03:00"

    def commit(self, message: str, body: str = "") -> None:
        self.repo.commit(message + (f"\n\n{body}" if body else ""), self.when())

    def place(self) -> str:
        """Where the checked-out commit's mkdocs.yml says the document is, relative to docs/."""
        found = DOCUMENTS.search((self.repo.root / "mkdocs.yml").read_text(encoding="utf-8"))
        assert found, "mkdocs.yml lost its documents:"
        return found.group(1)

    def change(self, clause: int, word: str) -> None:
        path = self.repo.docs / self.place()
        lines = path.read_text(encoding="utf-8").split("\n\n")
        lines[2 + clause] = f"1.{clause + 1}. Данные: {word}." + ("\n" if clause == len(WORDS) - 1 else "")
        path.write_text("\n\n".join(lines), encoding="utf-8", newline="")

    def edit(self, branch: str, clause: int, word: str) -> None:
        self.repo.git("checkout", "-q", branch)
        self.change(clause, word)
        self.commit(f"Правка п. 1.{clause + 1}: {word}")

    def move(self, branch: str, clause: int, word: str | None) -> None:
        """``git mv`` the document to another place, with mkdocs.yml's documents: in the same commit (and, given
        a ``word``, an edit of clause ``clause``)."""
        self.repo.git("checkout", "-q", branch)
        old = self.place()
        new = next(place for place in PLACES[clause % len(PLACES) :] + PLACES if place != old)
        (self.repo.docs / new).parent.mkdir(parents=True, exist_ok=True)
        self.repo.git("mv", f"docs/{old}", f"docs/{new}")
        self.repo.configure(f"      documents: [{new}]\n")
        if word is not None:
            self.change(clause, word)
        self.commit(f"Политика переехала в {new}")

    def attempt(self, *args: str, undo: tuple[str, ...] = ("reset", "-q", "--hard", "HEAD")) -> bool:
        """Run a git command that may stop on a conflict; when it does, undo it as an editor would: nothing
        changes (the conflicts themselves are not what this test is about)."""
        try:
            self.repo.git(*args, date=self.when())
            return True
        except subprocess.CalledProcessError:
            self.repo.git(*undo)
            return False

    def holds(self, branch: str, commit: str) -> bool:
        """Whether ``branch`` already holds ``commit`` (nothing to cherry-pick)."""
        try:
            self.repo.git("merge-base", "--is-ancestor", commit, branch)
            return True
        except subprocess.CalledProcessError:
            return False

    def merge(self, into: str, other: str, message: str | None = None, side: str = "ours") -> None:
        self.repo.git("checkout", "-q", into)
        edit = ["-m", message] if message else ["--no-edit"]
        self.attempt("merge", "-q", "--no-ff", *edit, "-X", side, other)

    def fast_forward(self) -> None:
        self.repo.git("checkout", "-q", "main")
        try:
            self.repo.git("merge", "-q", "--ff-only", "work")
        except subprocess.CalledProcessError:
            pass  # not a fast-forward: git refuses, nothing changes

    def squash(self) -> None:
        """GitHub's «Squash and merge»: one commit on main, the pull request's title as its subject, each
        squashed commit's message as a «* …» paragraph of its body."""
        self.repo.git("checkout", "-q", "main")
        messages = self.repo.git("log", "--no-merges", "--format=* %s", "main..work").split("\n")
        if not self.attempt("merge", "-q", "--squash", "-X", "ours", "work"):
            return
        if not self.repo.git("status", "--porcelain"):
            return  # nothing to merge: GitHub offers no pull request
        self.pulls += 1
        self.commit(f"Правки политики (#{self.pulls})", "\n\n".join(messages))

    # One branch per operation of the table hypothesis draws from (OPERATIONS), in its order.
    def apply(self, operation: str, clause: int, word: str) -> None:  # noqa: C901, PLR0912, PLR0915
        if operation == "commit on main":
            self.edit("main", clause, word)
        elif operation == "commit on branch":
            self.edit("work", clause, word)
        elif operation == "commit on the second branch":
            self.edit("other", clause, word)
        elif operation == "rewrite on branch":
            # Every clause at once: with a move before it, git sees no rename where a squash or merge arrives.
            self.repo.git("checkout", "-q", "work")
            for number in range(len(WORDS)):
                self.change(number, f"{word} {number + clause}")
            self.commit("Политика переписана")
        elif operation == "merge branch into main":
            # A conflict resolved either way: keeping main's side, or the branch's.
            self.merge("main", "work", side="theirs" if clause % 2 else "ours")
        elif operation == "merge main into branch":
            self.merge("work", "main")
        elif operation == "fast-forward main to branch":
            self.fast_forward()
        elif operation.startswith("pull"):
            # Only the published record tells main's parent when the message is not git's own.
            self.merge("work", "main", "Слияние с сайтом" if "own message" in operation else None)
            self.fast_forward()
        elif operation == "revert on main":
            self.repo.git("checkout", "-q", "main")
            parents = self.repo.git("log", "-1", "--format=%P").split()
            if parents:  # the first commit is not reverted: the document would be gone
                option = ["-m", "1"] if len(parents) > 1 else []
                if self.attempt("revert", "--no-edit", "--no-commit", *option, "HEAD"):
                    self.commit("Отмена последней правки")
        elif operation == "new branch from main":
            self.repo.git("checkout", "-q", "main")
            self.repo.git("branch", "-f", "work", "main")
        elif operation.startswith("move"):
            self.move(
                "work" if operation == "move on branch" else "main", clause, word if "edit" in operation else None
            )
        elif operation.startswith("squash"):
            self.squash()
        elif operation.startswith("octopus"):
            self.repo.git("checkout", "-q", "main")
            self.attempt("merge", "-q", "--no-ff", "--no-edit", "work", "other")
        elif operation.startswith("rebase"):
            self.repo.git("checkout", "-q", "work")
            if self.attempt("rebase", "-q", "-X", "theirs", "main", undo=("rebase", "--abort")):
                self.fast_forward()
        elif operation.startswith("add a submodule") and not (self.repo.root / ".gitmodules").exists():
            # A gitlink in docs/ as `git submodule add` records it (the other repository itself is not needed).
            self.repo.git("checkout", "-q", "main")
            self.repo.write(".gitmodules", '[submodule "docs/vendor"]\n\tpath = docs/vendor\n\turl = ../vendor\n')
            head = self.repo.git("rev-parse", "HEAD")
            self.repo.git("update-index", "--add", "--cacheinfo", f"160000,{head},docs/vendor")
            self.commit("Подмодуль docs/vendor")
        elif operation.startswith("cherry-pick") and not self.holds("main", "work"):
            self.repo.git("checkout", "-q", "main")
            option = ["-m", "1"] if len(self.repo.git("log", "-1", "--format=%P", "work").split()) > 1 else []
            self.attempt("cherry-pick", "-X", "theirs", *option, "work")
            if self.repo.git("status", "--porcelain"):  # an empty pick stops and waits: the editor skips it
                self.repo.git("cherry-pick", "--abort")
        self.repo.git("checkout", "-q", "main")
        editions, text, key = self.build()
        assert editions[: len(self.published)] == self.published
        assert key == self.key or not self.key, f"the consent key changed after {operation!r}"
        if operation == "publish":
            self.published, self.key = editions, key
            self.record.write_text(text, encoding="utf-8")

    def build(self) -> tuple[list[tuple[int, str, str, str]], str, str]:
        """The editions a build given the live record makes, the editions.json it writes, the consent key."""
        record = read_editions_file(self.record) if self.record.exists() else None
        place = self.place()
        history = read_editions(EditionsRequest(self.repo.docs, [place], ZONE, today=FAR, published=record))
        text = editions_file.dumps(
            editions_file_of(
                [published_document(history.documents[place], page_url)], "https://a.ru/privacy/", ZONE.key
            )
        )
        (listed,) = json.loads(text)["documents"]
        editions = [(e["number"], e["date"], e["commit"], e["sha256"]) for e in listed["editions"]]
        return editions, text, document_key(history.documents[place].identity)


# The case issue 16 reported, always tried: a branch older than the published edition, merged with main and
# main fast-forwarded to it.
PULL_AFTER_PUBLISHING = [
    ("commit on branch", 1, "почта"),
    ("commit on main", 2, "имя"),
    ("publish", 0, "имя"),
    ("pull with the editor's own message", 0, "имя"),
    ("commit on main", 3, "телефон"),
]


# Found by the generated steps: a move published, reverted on main, then main merged into an old branch with the
# editor's own message and fast-forwarded to it. The line no longer goes through the move; the record's document
# (under the moved path) is still the listed one: its edition is the line's commit at the path the line gives it.
MOVE_REVERTED_THEN_PULLED = [
    ("move on main", 0, "имя"),
    ("publish", 0, "имя"),
    ("revert on main", 0, "имя"),
    ("pull with the editor's own message", 0, "имя"),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(PULL_AFTER_PUBLISHING)
@example(MOVE_REVERTED_THEN_PULLED)
# Found so too: a branch that rewrote then moved the document, squashed into main (to git a deletion and a new file),
# published, then the squash reverted on main: the document is back at its first path, its editions with it.
@example(
    [
        ("rewrite on branch", 0, "имя"),
        ("move on branch", 0, "имя"),
        ("squash merge of the branch (GitHub)", 0, "имя"),
        ("publish", 0, "имя"),
        ("revert on main", 0, "имя"),
    ]
)
@example([("commit on main", 0, "телефон"), ("new branch from main", 0, "имя"), *PULL_AFTER_PUBLISHING])
@given(
    st.lists(
        st.tuples(st.sampled_from(CHOICES), st.integers(0, len(WORDS) - 1), st.sampled_from(WORDS)),
        min_size=1,
        max_size=12,
    )
)
def test_published_editions_never_change_whatever_git_work_follows(steps):
    with tempfile.TemporaryDirectory() as folder:
        history = History(Path(folder) / "site")
        for operation, clause, word in [("publish", 0, WORDS[0]), *steps]:
            history.apply(operation, clause, word)
