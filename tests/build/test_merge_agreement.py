"""One rule for what an edition is, over generated branches and merges: what `make changes` predicts on the branch
(as CI's pull-request summary runs it: with the pull request's TITLE, for the button that merges it) is what the
build after the merge publishes in editions.json (as `make publish` builds: with the live editions.json), and
`make serve`'s preview agrees. The edition is editorial only if every commit that changes what a reader sees
carries `Edition: editorial` and the text allows it (text/edit_kind.py): no published edition marked editorial
adds or removes a clause, a list item, a sentence or a word, whatever trailer any message, a squash's included,
closes with. The messages are GitHub's own: a squash of one commit takes its message, of several the title and
a «* …» listing with `Co-authored-by`; a rebase carries no title.

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

from alectro_policy.text.clauses import split_clauses
from alectro_policy.text.document_text import normalised_text, split_front_matter
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
# Typos corrected: one letter in a word of the text (editorial by the rule), a different word for each commit.
TYPOS = [
    ("передаются", "передаюся"),
    ("включают", "включаюд"),
    ("компании", "компаниии"),
    ("использует", "испльзует"),
]
TITLE = "Уточнения политики по запросу юриста"
CO_AUTHOR = "Co-authored-by: Второй Редактор <ed2@alectro.test>"
PUBLISHED = "2026-01-15T10:00:00+03:00"
TIGHT_LIST = "* в п. 2.1 — опечатка;\n* в п. 2.2 — опечатка."
LOOSE_LIST = "* в п. 2.1 — опечатка;\n\n* в п. 2.2 — опечатка."
"""An editor's list with a blank line between its items: in GitHub's squash message its items read as further
commits' messages, which do not carry the trailer."""
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
    [
        "",
        "Подробности для юриста.",
        "Строка одна.\nСтрока две.",
        "Signed-off-by: Редактор <e@x.ru>",
        # An editor's bulleted list, loose and tight: the commit's text, never a squash listing.
        "* в п. 2.1 — опечатка;\n\n* в п. 2.2 — опечатка.",
        TIGHT_LIST,
        CO_AUTHOR,
    ]
)


@st.composite
def changes(draw, kind: str | None = None) -> Change:
    kind = kind or draw(st.sampled_from([SUBSTANTIVE, EDITORIAL, REWRAP, PICTURE, CONFIG]))
    if kind == EDITORIAL:
        trailer, at_end = draw(st.sampled_from([t for t, valid in TRAILERS if valid])), True
    elif kind == SUBSTANTIVE:  # it may close with the trailer: the text refuses it
        trailer = draw(st.sampled_from(["", *[t for t, _ in TRAILERS]]))
        at_end = draw(st.booleans())
    else:
        trailer, at_end = draw(st.sampled_from(["", "Edition: editorial"])), draw(st.booleans())
    return Change(kind, draw(subjects), draw(bodies), trailer, at_end)


def apply(repo: GitRepo, text: str, change: Change, index: int) -> str:
    """Make ``change`` in the work tree of ``repo`` (the policy is ``text``); return the policy's new text."""
    if change.kind == SUBSTANTIVE:
        number = "2.1." if index % 2 == 0 else "2.2."
        line = next(line for line in text.split("\n\n") if line.startswith(number))
        text = text.replace(line, line[:-1] + f", {WORDS[index]}.")
    elif change.kind == EDITORIAL:
        word, typo = TYPOS[index]
        text = text.replace(word, typo, 1)
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


def squash_message(branch_changes: list[Change], co_author: bool, trailer: bool) -> str:
    """GitHub's default squash message: one commit's own message with «(#7)» after its subject; of several, the
    title with «(#7)», each message as a «* …» item, and the co-authors after a line of dashes. ``trailer``: the
    editor closes it with ``Edition: editorial``."""
    if len(branch_changes) == 1:
        subject, _, rest = branch_changes[0].message.partition("\n")
        message = f"{subject} (#7)\n{rest}".rstrip()
    else:
        message = f"{TITLE} (#7)\n\n" + "\n\n".join(f"* {change.message}" for change in branch_changes)
    if co_author:
        message += f"\n\n---------\n\n{CO_AUTHOR}"
    return message + "\n\nEdition: editorial" * trailer


def merge(repo: GitRepo, method: str, branch_changes: list[Change], merge_trailer: bool, co_author: bool) -> None:
    """Merge the branch by ``method``; ``merge_trailer``: the merge's message closes with the trailer."""
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
        repo.commit(squash_message(branch_changes, co_author, merge_trailer), MERGED)
    else:  # rebase and fast-forward
        repo.git("rebase", "-q", "main", "e1-word", date=MERGED)
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--ff-only", "e1-word", date=MERGED)


@dataclass(frozen=True)
class Prediction:
    edition: tuple[int, str, bool] | None
    """The new edition's number, summary (for the merge's button) and mark, None when there is none."""
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


def shape(text: str) -> tuple[tuple[str, ...], int, int, int]:
    """What an editorial edition never changes, counted without the rule: clauses, list items, sentences, words."""
    clauses = split_clauses(normalised_text(split_front_matter(text)[1]))
    reader = "\n".join(clause.text for clause in clauses)
    sentences = len(re.findall(r"[.!?…]+(?=\s|$)", reader))
    words = len([word for word in reader.split() if re.search(r"\w", word)])
    return tuple(clause.key for clause in clauses), reader.count("\n— "), sentences, words


def check(published: Path, branch_changes: list[Change], method: str, merge_trailer: bool, co_author: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(published, folder, dirs_exist_ok=True)
        repo, live = GitRepo(Path(folder) / "site"), Path(folder) / "live-editions.json"
        repo.git("checkout", "-q", "-b", "e1-word")
        text = V1
        for index, change in enumerate(branch_changes):
            text = apply(repo, text, change, index)
            repo.commit(change.message, f"2026-02-0{index + 1}T10:00:00+03:00")
        # As CI runs it: with the pull request's title whatever the button (a plain `git merge` has none).
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
        merge(repo, method, branch_changes, merge_trailer, co_author)
        os.environ["ALECTRO_PUBLISHED_EDITIONS"] = str(live)
        try:
            site = repo.build()
        finally:
            del os.environ["ALECTRO_PUBLISHED_EDITIONS"]
        after = built(site)
        if method != "rebase":  # one arrival: git alone (a plain `make build`) makes the same edition
            assert built(repo.build()) == after
        visible = [change for change in branch_changes if change.kind in VISIBLE]
        assert after[0] == (1, "Первая редакция", False)
        assert len(after) == (2 if visible else 1)
        new = after[1] if visible else None
        substantive_text = any(change.kind == SUBSTANTIVE for change in branch_changes)
        editorial = bool(visible) and not substantive_text and all(change.marked for change in visible)
        # GitHub's squash message lists every commit's: each must carry the trailer, and the report says so.
        listed = (
            editorial
            and (len(branch_changes) == 1 or all(change.marked for change in branch_changes))
            and not any(LOOSE_LIST in change.body for change in branch_changes)
        )
        assert prediction.squash_warned is (editorial and not listed)
        if method == "squash" and prediction.squash_warned:
            assert prediction.edition is not None and new is not None
            assert (prediction.edition[:2], prediction.edition[2], new[2]) == (new[:2], True, False)
        else:
            assert prediction.edition == new
            assert new is None or new[2] is editorial
        # No edition published as editorial adds or removes a clause, a list item, a sentence or a word.
        for number, _, marked in after[1:]:
            if marked:
                before, now = (
                    shape((site / f"editions/{n}/source.md").read_text(encoding="utf-8")) for n in (number - 1, number)
                )
                assert before == now
        # Visitors never read git's words: no listing, trailer or co-author's address in the history.
        history = (site / "editions/index.html").read_text(encoding="utf-8")
        assert "ed2@alectro.test" not in history and "Co-authored-by" not in history and "Edition:" not in history


KIND_LISTS = st.lists(st.sampled_from([SUBSTANTIVE, EDITORIAL, REWRAP, PICTURE, CONFIG]), min_size=1, max_size=4)


@st.composite
def branches(draw) -> list[Change]:
    return [draw(changes(kind)) for kind in draw(KIND_LISTS)]


def plain(kind: str, trailer: str = "", body: str = "") -> Change:
    return Change(kind, {SUBSTANTIVE: "Рекламная цель", EDITORIAL: "Опечатка"}.get(kind, kind), body, trailer, True)


@settings(
    max_examples=int(os.environ.get("MERGE_EXAMPLES", "4")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    branch_changes=branches(),
    method=st.sampled_from(METHODS),
    merge_trailer=st.booleans(),
    co_author=st.booleans(),
)
# A trailer in a squash message over a substantive change: refused, published «по существу» as CI said.
@example([plain(SUBSTANTIVE)], "squash", True, False)
@example([plain(SUBSTANTIVE, "Edition: editorial"), plain(EDITORIAL, "Edition: editorial")], "squash", True, True)
# A single-commit squash with GitHub's default message (the commit's), and a rebase with a title.
@example([plain(EDITORIAL, "Edition: editorial")], "squash", False, False)
@example([plain(SUBSTANTIVE), plain(EDITORIAL, "Edition: editorial")], "rebase", False, False)
# An editor's bulleted list in an editorial commit's body is its text, not a squash listing.
@example(
    [plain(EDITORIAL, "Edition: editorial", "* в п. 2.1 — опечатка;\n\n* в п. 2.2 — опечатка.")], "rebase", False, False
)
@example([plain(EDITORIAL, "Edition: editorial"), plain(CONFIG)], "squash", False, True)
# A tight list in a squashed commit's body is that commit's text inside GitHub's listing, never more items (nor a
# reason to read the whole listing as one message): a listed commit without the trailer makes the squash substantive.
@example(
    [
        Change(CONFIG, "Уточнён порядок передачи данных (п. 2.1)", "", "", True),
        Change(PICTURE, "Уточнён порядок передачи данных (п. 2.1)", "", "Edition: editorial", True),
        Change(EDITORIAL, "Уточнён порядок передачи данных (п. 2.1)", TIGHT_LIST, "Edition: editorial", True),
    ],
    "squash",
    True,
    True,
)
@example(
    [
        Change(CONFIG, "Уточнён порядок передачи данных (п. 2.1)", "", "", True),
        Change(PICTURE, ")_", TIGHT_LIST, "", True),
        Change(EDITORIAL, ")'\\_Б>в—а+-<", TIGHT_LIST, "Edition:\teditorial", True),
    ],
    "squash",
    True,
    True,
)
@example([plain(PICTURE), plain(EDITORIAL, "Edition: editorial")], "GitHub merge commit", True, False)
# A list with blank lines in a squashed commit's body: GitHub's listing reads its items as unmarked commits; the
# report warns before the merge (found by this test).
@example([plain(EDITORIAL, "Edition: editorial", LOOSE_LIST)], "squash", False, False)
@example(
    [plain(EDITORIAL, "Edition: editorial", LOOSE_LIST), plain(PICTURE, "Edition: editorial")], "squash", False, False
)
@example([plain(REWRAP, "Edition: editorial")], "merge --no-ff", False, False)
@example([Change(SUBSTANTIVE, "Цели", "Подробности.", "Edition: editorial", False)], "merge --no-ff", False, False)
def test_make_changes_predicts_what_the_merge_publishes(published, branch_changes, method, merge_trailer, co_author):
    # The editor adds the trailer to a squash's message only over a substantive change (CI said «по существу»): the
    # text refuses it. Over an editorial one it would be the editor's choice after review, which nothing predicts.
    if method == "squash" and merge_trailer:
        merge_trailer = any(change.kind == SUBSTANTIVE for change in branch_changes)
    check(published, branch_changes, method, merge_trailer, co_author)
