"""One rule for what an edition is, over generated branches and merges: what `make changes` predicts on the branch
(as CI's pull-request summary runs it: with TITLE when the merge takes the pull request's title) is what the build
after the merge publishes in editions.json (as `make publish` builds: with the live editions.json), and the
edition is editorial only if every commit that changes what a reader sees carries `Edition: editorial`.

More examples locally: MERGE_EXAMPLES=300 .venv/bin/python -m pytest tests/build/test_merge_agreement.py -x
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from support import GitRepo, make_changes, read_html, summary_for

V1 = """# Политика

## 1. Общие положения

1.1. Данные передаются транспортной компании.

1.2. Второй пункт о сроках хранения данных.

![Схема передачи данных](scheme.png)

## 2. Данные

2.1. Данные включают имя.

2.2. Сайт использует cookies.
"""
WORDS = ["телефон", "адрес", "почта", "возраст", "город", "заказ", "отзыв", "платёж"]
TITLE = "Уточнения политики по запросу юриста"
PUBLISHED = "2026-01-15T10:00:00+03:00"
MERGED = "2026-02-10T10:00:00+03:00"

# Kinds of commit: what each does to the branch, and whether a reader sees it.
SUBSTANTIVE, EDITORIAL, REWRAP, PICTURE, CONFIG = "substantive", "editorial", "rewrap", "picture", "config"
VISIBLE = {SUBSTANTIVE, EDITORIAL, PICTURE}
METHODS = ["merge --no-ff", "GitHub merge commit", "squash", "rebase"]

# How a message may spell the trailer, and whether it is one.
TRAILERS = [
    ("Edition: editorial", True),
    ("edition: EDITORIAL", True),
    ("Edition:editorial", True),
    ("Edition:\teditorial", True),
    ("Edition: editorial, по существу", False),
    ("Edition: substantive", False),
    ("Editorial", False),
]


@dataclass(frozen=True)
class Change:
    kind: str
    subject: str
    body: str
    trailer: str
    """The trailer-like line, or empty."""
    at_end: bool
    """Whether that line closes the message (a trailer) or stands before the body (text, when there is one)."""

    @property
    def message(self) -> str:
        paragraphs = [self.subject]
        if self.trailer and not self.at_end:
            paragraphs.append(self.trailer)
        if self.body:
            paragraphs.append(self.body)
        if self.trailer and self.at_end:
            paragraphs.append(self.trailer)
        return "\n\n".join(paragraphs)

    @property
    def marked(self) -> bool:
        """Whether the message carries the trailer, by the rule the editor's guide states: the line closes it."""
        return (self.at_end or not self.body) and dict(TRAILERS).get(self.trailer, False)


subjects = st.one_of(
    st.sampled_from(
        [
            "Уточнён порядок передачи данных (п. 2.1)",
            "Опечатка",
            "Merge branch 'e1-word'",
            "Merge pull request #3 from alectro/typo",
            "Правка «кавычек» и — тире",
            "Fix",
        ]
    ),
    # Cyrillic and what Markdown or a terminal could take for markup: the report shows it as it is.
    st.text(st.sampled_from("абвгдеёжзАБВЯ  *_[]<>|#&!`~\\-+=:.()«»—'\"1"), min_size=1, max_size=12).filter(str.strip),
)
bodies = st.sampled_from(
    ["", "Подробности для юриста.", "Строка одна.\nСтрока две.", "Signed-off-by: Редактор <e@x.ru>"]
)


@st.composite
def changes(draw, kind: str | None = None) -> Change:
    kind = kind or draw(st.sampled_from([SUBSTANTIVE, EDITORIAL, REWRAP, PICTURE, CONFIG]))
    if kind == EDITORIAL:
        trailer, at_end = draw(st.sampled_from([t for t, valid in TRAILERS if valid])), True
    elif kind == SUBSTANTIVE:  # it may mention the trailer in its text, never close with it
        trailer = draw(st.sampled_from(["", *[t for t, valid in TRAILERS if not valid], "Edition: editorial"]))
        if trailer == "Edition: editorial":
            return Change(kind, draw(subjects), draw(bodies.filter(bool)), trailer, False)
        at_end = True
    else:
        trailer, at_end = draw(st.sampled_from(["", "Edition: editorial"])), draw(st.booleans())
    return Change(kind, draw(subjects), draw(bodies), trailer, at_end)


def apply(repo: GitRepo, text: str, change: Change, index: int) -> str:
    """Make ``change`` in the work tree of ``repo`` (the policy is ``text``); return the policy's new text."""
    if change.kind in (SUBSTANTIVE, EDITORIAL):
        clause = "2.1. Данные включают имя" if index % 2 == 0 else "2.2. Сайт использует cookies"
        line = next(line for line in text.split("\n\n") if line.replace("\n", " ").startswith(clause))
        text = text.replace(line, line[:-1] + f", {WORDS[index]}.")
    elif change.kind == REWRAP:
        wrapped = "1.2. Второй пункт о сроках\nхранения данных."
        flat = wrapped.replace("\n", " ")
        text = text.replace(wrapped, flat) if wrapped in text else text.replace(flat, wrapped)
    elif change.kind == PICTURE:
        repo.write("docs/scheme.png", f"<svg>{index + 1}</svg>")
    else:
        config = (repo.root / "mkdocs.yml").read_text(encoding="utf-8")
        repo.write("mkdocs.yml", config + f"# {index}\n")
    repo.write("docs/index.md", text)
    return text


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A main branch published once, copied for each example: its repository, and ``live-editions.json`` beside it."""
    root = tmp_path_factory.mktemp("published")
    repo = GitRepo.new(root / "site")
    repo.write("docs/index.md", V1)
    repo.write("docs/scheme.png", "<svg>0</svg>")
    repo.commit("Первая редакция", PUBLISHED)
    (root / "live-editions.json").write_bytes((repo.build() / "editions.json").read_bytes())
    shutil.rmtree(repo.root / "site")
    return root


def squash_message(branch_changes: list[Change], trailer: bool) -> str:
    """GitHub's default squash message: one commit's own message with «(#7)» after its subject; of several, the
    title with «(#7)», then each commit's message as a «* …» item. ``trailer``: the editor closes it with the
    trailer."""
    if len(branch_changes) == 1:
        subject, _, rest = branch_changes[0].message.partition("\n")
        message = f"{subject} (#7)\n{rest}".rstrip()
    else:
        message = f"{TITLE} (#7)\n\n" + "\n\n".join(f"* {change.message}" for change in branch_changes)
    return message + "\n\nEdition: editorial" * trailer


def merge(repo: GitRepo, method: str, branch_changes: list[Change], merge_trailer: bool) -> None:
    """Merge the branch by ``method``; ``merge_trailer``: the merge's message closes with the trailer (a squash's
    subject ends with GitHub's «(#7)» instead)."""
    trailer = "\n\nEdition: editorial" if merge_trailer else ""
    if method == "merge --no-ff":
        repo.git("merge", "-q", "--no-ff", "--no-edit", "e1-word", date=MERGED)
        if merge_trailer:
            message = repo.git("log", "-1", "--format=%B") + trailer
            repo.git("commit", "-q", "--amend", "-m", message, date=MERGED)
    elif method == "GitHub merge commit":
        message = f"Merge pull request #7 from alectro/e1-word\n\n{TITLE}{trailer}"
        repo.git("merge", "-q", "--no-ff", "-m", message, "e1-word", date=MERGED)
    elif method == "squash":
        repo.git("merge", "-q", "--squash", "e1-word", date=MERGED)
        repo.commit(squash_message(branch_changes, merge_trailer), MERGED)
    else:  # rebase and fast-forward
        repo.git("rebase", "-q", "main", "e1-word", date=MERGED)
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--ff-only", "e1-word", date=MERGED)


@dataclass(frozen=True)
class Prediction:
    edition: tuple[int, str, bool] | None
    """The new edition's number, summary and mark, None when there is none."""
    squash_warned: bool
    """Whether the report warns that GitHub's default squash message would make the change substantive."""


def predicted(repo: GitRepo, method: str, *arguments: str) -> Prediction:
    result = make_changes(repo, *arguments)
    assert result.returncode == 0, result.stderr
    warned = "Но при **Squash and merge**" in result.stdout
    if "Новой редакции не будет" in result.stdout:
        return Prediction(None, warned)
    number = re.search(r"\*\*Редакция № (\d+)\*\*", result.stdout)
    assert number, result.stdout
    summary = summary_for(result.stdout, method)
    assert summary is not None, result.stdout
    return Prediction((int(number[1]), summary, "Вид правки: **редакционная**" in result.stdout), warned)


def built(site: Path) -> list[tuple[int, str, bool]]:
    (document,) = json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"]
    return [(e["number"], e["summary"], e["editorial"]) for e in document["editions"]]


def check(published: Path, branch_changes: list[Change], method: str, merge_trailer: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(published, folder, dirs_exist_ok=True)
        repo, live = GitRepo(Path(folder) / "site"), Path(folder) / "live-editions.json"
        repo.git("checkout", "-q", "-b", "e1-word")
        text = V1
        for index, change in enumerate(branch_changes):
            text = apply(repo, text, change, index)
            repo.commit(change.message, f"2026-02-0{index + 1}T10:00:00+03:00")
        title = () if method == "merge --no-ff" else (f"TITLE={TITLE}",)
        prediction = predicted(repo, method, *title)
        # `make serve` on the branch previews the same edition: its number and mark, or the edition in force.
        served = repo.build(command="serve", strict=False)
        stamp = read_html(served / "index.html").select_one(".policy-stamp")
        draft = prediction.edition[0] if prediction.edition else None
        assert (stamp.get("data-edition-draft"), stamp["data-edition"]) == (
            ("true", str(draft)) if draft else (None, "1")
        )
        if prediction.edition:
            kind = read_html(served / "editions/draft/index.html").select_one(".policy-draft-kind")
            assert kind["data-edition-editorial"] == str(prediction.edition[2]).lower()
        if title:
            # CI's summary of the pull request: `make changes` on GitHub's merge of the branch into main.
            repo.git("checkout", "-q", "--detach", "main")
            repo.git("merge", "-q", "--no-ff", "-m", "Merge 1a2b3c into 4d5e6f", "e1-word", date=MERGED)
            assert predicted(repo, method, "BASE=main", *title) == prediction
        repo.git("checkout", "-q", "main")
        merge(repo, method, branch_changes, merge_trailer)
        os.environ["ALECTRO_PUBLISHED_EDITIONS"] = str(live)
        try:
            after = built(repo.build())
        finally:
            del os.environ["ALECTRO_PUBLISHED_EDITIONS"]
        if method != "rebase":  # one arrival: git alone (a plain `make build`) makes the same edition
            assert built(repo.build()) == after
        visible = [change for change in branch_changes if change.kind in VISIBLE]
        assert after[0] == (1, "Первая редакция", False)
        assert len(after) == (2 if visible else 1)
        new = after[1] if visible else None
        editorial = bool(visible) and all(change.marked for change in visible)
        # GitHub's squash message lists every commit's: each must carry the trailer, and the report says so.
        listed = editorial and (len(branch_changes) == 1 or all(change.marked for change in branch_changes))
        assert prediction.squash_warned is (editorial and not listed)
        if method == "squash" and prediction.squash_warned:
            assert prediction.edition is not None and new is not None
            assert (prediction.edition[:2], prediction.edition[2], new[2]) == (new[:2], True, False)
        else:
            assert prediction.edition == new
            assert new is None or new[2] is editorial


KIND_LISTS = st.lists(st.sampled_from([SUBSTANTIVE, EDITORIAL, REWRAP, PICTURE, CONFIG]), min_size=1, max_size=4)


@st.composite
def branches(draw) -> list[Change]:
    return [draw(changes(kind)) for kind in draw(KIND_LISTS)]


def plain(kind: str, trailer: str = "") -> Change:
    return Change(kind, {SUBSTANTIVE: "Рекламная цель", EDITORIAL: "Опечатка"}.get(kind, kind), "", trailer, True)


@settings(
    max_examples=int(os.environ.get("MERGE_EXAMPLES", "4")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(branch_changes=branches(), method=st.sampled_from(METHODS), merge_trailer=st.booleans())
@example([plain(SUBSTANTIVE), plain(EDITORIAL, "Edition: editorial")], "merge --no-ff", True)
@example([plain(SUBSTANTIVE), plain(EDITORIAL, "Edition: editorial")], "rebase", False)
@example([plain(EDITORIAL, "Edition: editorial"), plain(CONFIG)], "squash", False)
@example([plain(PICTURE), plain(EDITORIAL, "Edition: editorial")], "GitHub merge commit", True)
@example([plain(REWRAP, "Edition: editorial")], "merge --no-ff", False)
@example([plain(SUBSTANTIVE), plain(EDITORIAL, "Edition: editorial")], "squash", True)
@example([Change(SUBSTANTIVE, "Цели", "Подробности.", "Edition: editorial", False)], "merge --no-ff", False)
def test_make_changes_predicts_what_the_merge_publishes(published, branch_changes, method, merge_trailer):
    check(published, branch_changes, method, merge_trailer)
