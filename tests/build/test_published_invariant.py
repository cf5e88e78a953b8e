"""Generated sequences of ordinary git work after publishing: commits on main and on a branch, merges either way
(with git's own «Merge branch 'main' into …» or the editor's own message, then a fast-forward of main to it: the
swapped parents of a pull), fast-forwards, reverts. Invariant: an edition once published (its editions.json
recorded, as the live site keeps it) never changes its number, date, commit or SHA-256 in any later build given
that record."""

from __future__ import annotations

import json
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alectro_policy.history.record import read_record
from alectro_policy.history.repository import read_editions
from alectro_policy.output.publication import editions_json, published_document
from alectro_policy.plugin import page_url
from support import GitRepo

ZONE = ZoneInfo("Europe/Moscow")
FAR = date(2030, 1, 1)
WORDS = ("имя", "телефон", "адрес", "почта")
OPERATIONS = (
    "commit on main",
    "commit on branch",
    "merge branch into main",
    "merge main into branch",
    "fast-forward main to branch",
    "pull: merge main into branch, fast-forward main",
    "pull with the editor's own message",
    "revert on main",
    "new branch from main",
    "publish",
)


def document(clauses: list[str]) -> str:
    body = "\n\n".join(f"1.{n + 1}. Данные: {word}." for n, word in enumerate(clauses))
    return f"# Политика\n\n## 1. Данные\n\n{body}\n"


class History:
    def __init__(self, root: Path):
        self.repo = GitRepo.new(root)
        self.day = 0
        self.repo.write("docs/index.md", document(list(WORDS)))
        self.commit("Первая редакция")
        self.repo.git("branch", "work")
        self.record = root.parent / "live-editions.json"
        self.published: list[tuple[int, str, str, str]] = []

    def when(self) -> str:
        self.day += 1
        return f"2026-{1 + self.day // 28:02d}-{1 + self.day % 28:02d}T10:00:00+03:00"

    def commit(self, message: str) -> None:
        self.repo.commit(message, self.when())

    def edit(self, branch: str, clause: int, word: str) -> None:
        self.repo.git("checkout", "-q", branch)
        text = (self.repo.docs / "index.md").read_text(encoding="utf-8")
        lines = text.split("\n\n")
        lines[2 + clause] = f"1.{clause + 1}. Данные: {word}." + ("\n" if clause == len(WORDS) - 1 else "")
        self.repo.write("docs/index.md", "\n\n".join(lines))
        self.commit(f"Правка п. 1.{clause + 1}: {word}")

    def merge(self, into: str, other: str, message: str | None = None) -> None:
        self.repo.git("checkout", "-q", into)
        edit = ["-m", message] if message else ["--no-edit"]
        self.repo.git("merge", "-q", "--no-ff", *edit, "-X", "ours", other, date=self.when())

    def fast_forward(self) -> None:
        self.repo.git("checkout", "-q", "main")
        try:
            self.repo.git("merge", "-q", "--ff-only", "work")
        except subprocess.CalledProcessError:
            pass  # not a fast-forward: git refuses, nothing changes

    def apply(self, operation: str, clause: int, word: str) -> None:
        if operation == "commit on main":
            self.edit("main", clause, word)
        elif operation == "commit on branch":
            self.edit("work", clause, word)
        elif operation == "merge branch into main":
            self.merge("main", "work")
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
                self.repo.git("revert", "--no-edit", "--no-commit", *option, "HEAD")
                self.repo.commit("Отмена последней правки", self.when())
        elif operation == "new branch from main":
            self.repo.git("checkout", "-q", "main")
            self.repo.git("branch", "-f", "work", "main")
        self.repo.git("checkout", "-q", "main")
        editions, text = self.build()
        assert editions[: len(self.published)] == self.published
        if operation == "publish":
            self.published = editions
            self.record.write_text(text, encoding="utf-8")

    def build(self) -> tuple[list[tuple[int, str, str, str]], str]:
        """The editions a build given the live record makes, and the editions.json it writes."""
        record = read_record(self.record) if self.record.exists() else None
        history = read_editions(self.repo.docs, ["index.md"], {}, ZONE, today=FAR, published=record)
        text = editions_json(
            [published_document(history.documents["index.md"], page_url)], "https://a.ru/privacy/", ZONE.key
        )
        (listed,) = json.loads(text)["documents"]
        return [(e["number"], e["date"], e["commit"], e["sha256"]) for e in listed["editions"]], text


# The case issue 16 reported, always tried: a branch older than the published edition, merged with main and
# main fast-forwarded to it.
PULL_AFTER_PUBLISHING = [
    ("commit on branch", 1, "почта"),
    ("commit on main", 2, "имя"),
    ("publish", 0, "имя"),
    ("pull with the editor's own message", 0, "имя"),
    ("commit on main", 3, "телефон"),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(PULL_AFTER_PUBLISHING)
@example([("commit on main", 0, "телефон"), ("new branch from main", 0, "имя"), *PULL_AFTER_PUBLISHING])
@given(
    st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(0, len(WORDS) - 1), st.sampled_from(WORDS)),
        min_size=1,
        max_size=12,
    )
)
def test_published_editions_never_change_whatever_git_work_follows(steps):
    with tempfile.TemporaryDirectory() as folder:
        history = History(Path(folder) / "site")
        for operation, clause, word in [("publish", 0, WORDS[0]), *steps]:
            history.apply(operation, clause, word)
