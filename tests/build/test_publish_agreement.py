"""Generated sequences of what a team does between publishes (merges, rebase merges of several commits, publishes run
or superseded, a config change that renders the text otherwise, a live editions.json edited or deleted on the
server), each publish made by the real `publish` into a local target and recorded as a tag. Invariants: the edition
`make changes` promised the first branch merged after a publish is the edition the next publish gives; no published
edition's number, date, SHA-256 or text readers are shown ever changes; every refusal changes nothing.

More examples locally: PUBLISH_EXAMPLES=50 .venv/bin/python -m pytest tests/build/test_publish_agreement.py -x
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from alectro_deploy.errors import PublishError
from alectro_deploy.publish import publish
from alectro_deploy.targets import open_target
from alectro_policy.changes.cli import next_editions
from alectro_published.publish_tags import read_tags
from support import GitRepo

V1 = """# Политика

## 1. Общие положения

1.1. Данные передаются транспортной компании.

## 2. Данные

2.1. Данные включают имя.

2.2. Сайт использует cookies.

## 3. Сроки

3.1. Данные хранятся не дольше, чем нужно для доставки заказа и ответа на вопросы о нём.

3.2. По истечении срока данные удаляются или обезличиваются без возможности восстановления.
"""
WORDS = ["телефон", "адрес", "почта", "возраст", "город", "заказ"]
START = date(2026, 1, 15)
OPERATIONS = [
    "merge",
    "rebase merge of 2",
    "rebase merge of 3",
    "publish",
    "config",
    "tamper",
    "delete live",
    "move with a new file at the old path",
]

Editions = list[tuple[int, str, str, str | None]]
"""(number, date, SHA-256, text SHA-256) of each published edition."""


class Team:
    def __init__(self, root: Path):
        self.repo = GitRepo.new(root / "site")
        self.target = root / "target"
        self.day = START
        self.minute = 0
        self.words = 0
        self.promised: list[tuple[int, bool]] = []
        """Per merge since the last publish: the number make changes promised, and whether it said main held
        unpublished changes."""
        self.path = "index.md"
        """The policy's path in docs/: a move gives it another, and a landing page takes the old one."""
        self.repo.write("docs/index.md", V1)
        self.repo.commit("Первая редакция", self.stamp())
        assert self.publish() is None
        self.next_day()

    def stamp(self) -> str:
        """The time of the next commit: that day, a minute after the one before (a publish is made the same day:
        a later one is refused, rightly, as the edition would be dated before it went live)."""
        os.environ["ALECTRO_TODAY"] = self.day.isoformat()
        self.minute += 1
        return f"{self.day.isoformat()}T10:{self.minute:02d}:00+03:00"

    def next_day(self) -> None:
        self.day += timedelta(days=1)
        self.minute = 0
        os.environ["ALECTRO_TODAY"] = self.day.isoformat()

    def edit(self) -> None:
        text = (self.repo.docs / self.path).read_text(encoding="utf-8")
        word = WORDS[self.words % len(WORDS)] + str(self.words)
        self.words += 1
        self.repo.write(f"docs/{self.path}", text.replace("имя", f"имя, {word}", 1))

    def recorded(self) -> Editions:
        tag = read_tags(self.repo.root)[-1]
        (document,) = tag.editions.documents
        return [(e.number, e.date.isoformat(), e.sha256, e.text_sha256) for e in document.editions]

    def branch(self, commits: int) -> str:
        name = f"b{self.words}"
        self.repo.git("checkout", "-q", "-b", name, "main")
        for _ in range(commits):
            self.edit()
            self.repo.commit(f"Правка {self.words}", self.stamp())
        found = next_editions(str(self.repo.root / "mkdocs.yml"), None)
        (document,) = found.documents
        assert document.record is not None
        pending = any("которых ещё нет на сайте" in notice for notice in found.notices)
        self.promised.append((document.record.number, pending))
        self.repo.git("checkout", "-q", "main")
        return name

    def publish(self) -> str | None:
        """Build as `make publish` does and publish into the target; the refusal's message, or None."""
        os.environ["ALECTRO_PUBLISHING"] = "1"
        try:
            self.repo.build()
        except Abort:
            return "build refused"
        finally:
            del os.environ["ALECTRO_PUBLISHING"]
        head = self.repo.git("rev-parse", "HEAD")
        try:
            publish(
                self.repo.root / "site",
                open_target(str(self.target)),
                keep=3,
                allow_history_rewrite=False,
                commit=head,
                now=datetime.combine(self.day, datetime.min.time(), UTC) + timedelta(hours=len(self.promised)),
                say=lambda _: None,
                repository=self.repo.root,
            )
        except PublishError as error:
            return str(error)
        return None

    def step(self, operation: str) -> None:
        before = self.recorded()
        live = self.target / "current" / "editions.json"
        if operation == "merge":
            self.repo.git("merge", "-q", "--no-ff", "--no-edit", self.branch(1), date=self.stamp())
        elif operation.startswith("rebase merge"):
            name = self.branch(int(operation[-1]))
            self.repo.git("checkout", "-q", name)
            self.repo.git("rebase", "-q", "main")
            self.repo.git("checkout", "-q", "main")
            self.repo.git("merge", "-q", "--ff-only", name)
        elif operation.startswith("move") and self.path == "index.md":
            # One commit, as issue 23 saw it: the policy moved, a landing page at its old address, only it listed.
            self.path = "privacy.md"
            self.repo.git("checkout", "-q", "-b", "move", "main")
            self.repo.git("mv", "docs/index.md", "docs/privacy.md")
            self.repo.write("docs/index.md", "# Документы\n\n[Политика конфиденциальности](privacy.md)\n")
            self.repo.configure("      documents: [privacy.md]\n")
            self.repo.commit("Политика переехала", self.stamp())
            found = next_editions(str(self.repo.root / "mkdocs.yml"), None)
            assert [document.record for document in found.documents] == [None], "a move is no new edition"
            self.repo.git("checkout", "-q", "main")
            self.repo.git("merge", "-q", "--no-ff", "--no-edit", "move", date=self.stamp())
        elif operation == "config":
            # An include appended to every page: readers of published editions would see a clause they never saw.
            self.repo.write("includes/addendum.md", "7.1. Сайт передаёт данные рекламным партнёрам.\n")
            config = (self.repo.root / "mkdocs.yml").read_text(encoding="utf-8")
            extension = (
                "  - pymdownx.snippets:\n      auto_append: [includes/addendum.md]\n"
                f"      base_path: ['{self.repo.root}']\n"
            )
            self.repo.write("mkdocs.yml", config + "markdown_extensions:\n" + extension)
            self.repo.commit("Подключить дополнение", self.stamp())
            assert self.publish() == "build refused"
            self.repo.git("revert", "--no-edit", "HEAD", date=self.stamp())
        elif operation in ("tamper", "delete live"):
            published = live.read_bytes()
            if operation == "tamper":
                data = json.loads(published)
                data["documents"][0]["editions"][0]["summary"] = "Правка на сервере"
                live.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            else:
                live.unlink()
            refusal = self.publish()
            assert refusal is not None and "Nothing at the target was changed" in refusal
            live.write_bytes(published)
        elif operation == "publish":
            refusal = self.publish()
            assert refusal is None, refusal
            after = self.recorded()
            if len(after) > len(before):
                # The first branch merged since the last publish was promised the edition that went live.
                assert self.promised, "an edition no branch brought"
                first, pending = self.promised[0]
                assert not pending and after[-1][0] == first == len(before) + 1
                assert after[-1][1] == self.day.isoformat()
                assert all(number == first + 1 and pending for number, pending in self.promised[1:])
            self.promised = []
            self.next_day()
        assert self.recorded()[: len(before)] == before


SUPERSEDED = ["merge", "rebase merge of 3", "merge", "publish", "merge", "publish"]


@settings(
    max_examples=int(os.environ.get("PUBLISH_EXAMPLES", "1")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@example(SUPERSEDED + ["config", "tamper", "move with a new file at the old path", "delete live", "merge", "publish"])
@given(st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=8))
def test_what_make_changes_promised_is_what_the_next_publish_gives_and_published_editions_never_change(operations):
    root = Path(tempfile.mkdtemp(prefix="publish-agreement-"))
    saved = {name: os.environ.get(name) for name in ("ALECTRO_TODAY", "ALECTRO_PUBLISHED_EDITIONS")}
    os.environ.pop("ALECTRO_PUBLISHED_EDITIONS", None)
    try:
        team = Team(root)
        for operation in [*operations, "publish"]:
            team.step(operation)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(root, ignore_errors=True)
