"""One rule for what an edition is, whatever the merge method: `make changes` before the merge and the built
editions.json after it agree on the edition's number, summary and editorial mark; a `git pull` merge with
swapped parents keeps the published editions."""

from __future__ import annotations

import json
import re

import pytest

from support import GitRepo, make_changes, read_html, summary_for

V1 = """# Политика

## 1. Общие положения

1.1. Данные передаются транспортной компании.

1.2. Второй пункт.

## 2. Данные

2.1. Данные включают имя.

2.2. Сайт использует cookies.
"""

SUBSTANTIVE = ("Добавлена рекламная цель (п. 2.1)", "имя.", "имя, а также рекламные цели.")
EDITORIAL = ("Опечатка в п. 1.2\n\nEdition: editorial", "Второй пункт.", "Второй пунк.")
KINDS = {
    "substantive": ([SUBSTANTIVE], False),
    "editorial": ([EDITORIAL], True),
    # The editorial trailer on the last commit must not launder the substantive one before it.
    "substantive+editorial": ([SUBSTANTIVE, EDITORIAL], False),
}
TITLE = "Уточнения политики по запросу юриста"


def published(root) -> GitRepo:
    repo = GitRepo.new(root)
    repo.write("docs/index.md", V1)
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    return repo


def edit_on_branch(repo: GitRepo, commits, branch: str = "e1-word") -> None:
    repo.git("checkout", "-q", "-b", branch)
    text = V1
    for day, (message, old, new) in enumerate(commits, start=1):
        text = text.replace(old, new)
        repo.write("docs/index.md", text)
        repo.commit(message, f"2026-02-0{day}T10:00:00+03:00")
    repo.git("checkout", "-q", "main")


def merge(repo: GitRepo, method: str, branch: str = "e1-word") -> None:
    when = "2026-02-10T10:00:00+03:00"
    if method == "merge --no-ff":
        repo.git("merge", "-q", "--no-ff", "--no-edit", branch, date=when)
    elif method == "GitHub merge commit":
        message = f"Merge pull request #7 from alectro/{branch}\n\n{TITLE}"
        repo.git("merge", "-q", "--no-ff", "-m", message, branch, date=when)
    elif method == "squash":  # GitHub's default message: one commit's own, else the title and every message
        shas = repo.git("rev-list", "--reverse", f"main..{branch}").split()
        messages = [repo.git("log", "-1", "--format=%B", sha).strip() for sha in shas]
        repo.git("merge", "-q", "--squash", branch, date=when)
        subject, _, body = messages[0].partition("\n")
        listed = f"{TITLE} (#7)\n\n" + "\n\n".join(f"* {message}" for message in messages)
        repo.commit(f"{subject} (#7)\n{body}" if len(messages) == 1 else listed, when)
    else:  # rebase and fast-forward
        repo.git("rebase", "-q", "main", branch, date=when)
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--ff-only", branch, date=when)


def predicted(repo: GitRepo, *arguments: str, method: str = "merge --no-ff") -> tuple[int, str, bool]:
    result = make_changes(repo, *arguments)
    assert result.returncode == 0, result.stderr
    number = re.search(r"\*\*Редакция № (\d+)\*\*", result.stdout)
    summary = summary_for(result.stdout, method)
    assert number and summary, result.stdout
    return int(number[1]), summary, "Вид правки: **редакционная**" in result.stdout


def built(repo: GitRepo) -> list[tuple[int, str, str, bool]]:
    site = repo.build()
    (document,) = json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"]
    return [(e["number"], e["date"], e["summary"], e["editorial"]) for e in document["editions"]]


METHODS = ["merge --no-ff", "GitHub merge commit", "squash", "rebase"]
# A rebase of two commits is two editions by git alone: one only with the published record (test_published_record).
MATRIX = [(m, kind) for m in METHODS for kind in KINDS if not (m == "rebase" and len(KINDS[kind][0]) > 1)]


@pytest.mark.parametrize(("method", "kind"), MATRIX)
def test_make_changes_and_the_built_editions_agree_on_number_summary_and_mark(tmp_path, method, kind):
    commits, editorial = KINDS[kind]
    repo = published(tmp_path / "site")
    edit_on_branch(repo, commits)
    repo.git("checkout", "-q", "e1-word")
    # As CI runs it: with the pull request's title, whatever button merges it (a plain `git merge`: none).
    title = () if method == "merge --no-ff" else (f"TITLE={TITLE}",)
    number, summary, marked = predicted(repo, *title, method=method)
    repo.git("checkout", "-q", "main")
    merge(repo, method)
    editions = built(repo)
    assert editions[0][:3] == (1, "2026-01-15", "Первая редакция")
    assert editions[1][0] == number == 2
    assert editions[1][2] == summary
    assert editions[1][3] is marked is editorial
    # Without a title: every commit's subject that changed the text, oldest first, as a published record joins them;
    # GitHub's squash of one commit takes its message.
    subjects = "; ".join(message.split("\n")[0] for message, _, _ in commits)
    titled = method == "GitHub merge commit" or (method == "squash" and len(commits) > 1)
    assert summary == (TITLE if titled else subjects)


def test_a_git_pull_merge_with_swapped_parents_keeps_the_published_edition(tmp_path):
    # Edition 2 is published from main; a branch made before it merges main in (as the guide advises before a
    # pull request) and main is then fast-forwarded to that merge: its first parent is the branch, not main.
    repo = published(tmp_path / "site")
    repo.git("checkout", "-q", "-b", "laptop")
    repo.write("docs/index.md", V1.replace("1.2. Второй пункт.", "1.2. Второй пункт о сроках."))
    repo.commit("Сроки хранения (п. 1.2)", "2026-02-01T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.write("docs/index.md", V1.replace("транспортной компании", "курьерской службе"))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-03T10:00:00+03:00")
    before = built(repo)
    assert before == [
        (1, "2026-01-15", "Первая редакция", False),
        (2, "2026-02-03", "Курьерская служба (п. 1.1)", False),
    ]
    repo.git("checkout", "-q", "laptop")
    repo.git("merge", "-q", "--no-edit", "main", date="2026-02-05T10:00:00+03:00")
    assert repo.git("log", "-1", "--format=%s").startswith("Merge branch 'main' into laptop")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "laptop")
    after = built(repo)
    assert after[:2] == before
    assert after[2] == (3, "2026-02-05", "Сроки хранения (п. 1.2)", False)


def test_git_pull_s_own_message_on_main_also_follows_the_second_parent(tmp_path):
    # `git pull` on a main that diverged from origin/main: «Merge branch 'main' of <url>», first parent local.
    origin = published(tmp_path / "origin")
    origin.write("docs/index.md", V1.replace("транспортной компании", "курьерской службе"))
    origin.commit("Курьерская служба (п. 1.1)", "2026-02-03T10:00:00+03:00")
    before = built(origin)
    laptop = GitRepo(tmp_path / "laptop")
    laptop.docs = laptop.root / "docs"
    origin.git("clone", "-q", str(origin.root), str(laptop.root))
    laptop.git("reset", "-q", "--hard", "HEAD~1")
    laptop.write("docs/index.md", V1.replace("1.2. Второй пункт.", "1.2. Второй пункт о сроках."))
    laptop.commit("Сроки хранения (п. 1.2)", "2026-02-01T10:00:00+03:00")
    laptop.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main", date="2026-02-05T10:00:00+03:00")
    assert laptop.git("log", "-1", "--format=%s").startswith("Merge branch 'main' of ")
    after = built(laptop)
    assert after[:2] == before
    assert after[2][0] == 3 and after[2][2] == "Сроки хранения (п. 1.2)"


def test_a_rebase_of_two_commits_publishes_the_one_edition_make_changes_predicted(tmp_path, monkeypatch):
    repo = published(tmp_path / "site")
    live = tmp_path / "live-editions.json"
    live.write_bytes((repo.build() / "editions.json").read_bytes())
    edit_on_branch(repo, KINDS["substantive+editorial"][0])
    repo.git("checkout", "-q", "e1-word")
    prediction = predicted(repo)
    assert prediction == (2, "Добавлена рекламная цель (п. 2.1); Опечатка в п. 1.2", False)
    repo.git("checkout", "-q", "main")
    merge(repo, "rebase")
    monkeypatch.setenv("ALECTRO_PUBLISHED_EDITIONS", str(live))
    (number, _, summary, editorial) = built(repo)[-1]
    assert (number, summary, editorial) == prediction


def test_a_replaced_picture_without_the_trailer_makes_the_edition_substantive(tmp_path):
    repo = GitRepo.new(tmp_path / "site")
    repo.write("docs/index.md", V1 + "\n![Схема](scheme.png)\n")
    repo.write("docs/scheme.png", "<svg>1</svg>")
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    repo.git("checkout", "-q", "-b", "e1-word")
    repo.write("docs/scheme.png", "<svg>2</svg>")
    repo.commit("Новая схема передачи данных", "2026-02-01T10:00:00+03:00")
    repo.write("docs/index.md", V1.replace("Второй пункт.", "Второй пунк.") + "\n![Схема](scheme.png)\n")
    repo.commit("Опечатка в п. 1.2\n\nEdition: editorial", "2026-02-02T10:00:00+03:00")
    # The typo's trailer does not cover the picture: a reader sees a new scheme, consent is asked again.
    prediction = predicted(repo, f"TITLE={TITLE}", method="GitHub merge commit")
    assert prediction == (2, TITLE, False)
    repo.git("checkout", "-q", "main")
    merge(repo, "GitHub merge commit")
    (number, _, summary, editorial) = built(repo)[-1]
    assert (number, summary, editorial) == prediction


def test_make_changes_warns_when_github_s_squash_listing_would_make_an_editorial_change_substantive(tmp_path):
    repo = published(tmp_path / "site")
    edit_on_branch(repo, [EDITORIAL])
    repo.git("checkout", "-q", "e1-word")
    repo.write("mkdocs.yml", (repo.root / "mkdocs.yml").read_text(encoding="utf-8") + "# ссылка на репозиторий\n")
    repo.commit("Настройки сайта", "2026-02-05T10:00:00+03:00")
    out = make_changes(repo, f"TITLE={TITLE}").stdout
    assert "Вид правки: **редакционная**" in out
    assert "Но при **Squash and merge** с сообщением GitHub по умолчанию" in out
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--squash", "e1-word")
    repo.commit(f"{TITLE} (#7)\n\n* {EDITORIAL[0]}\n\n* Настройки сайта", "2026-02-10T10:00:00+03:00")
    assert built(repo)[-1][3] is False


@pytest.mark.parametrize("kind", ["substantive+editorial", "editorial"])
def test_make_serve_s_draft_preview_shows_the_mark_and_summary_make_changes_predicts(tmp_path, kind):
    repo = published(tmp_path / "site")
    edit_on_branch(repo, KINDS[kind][0])
    repo.git("checkout", "-q", "e1-word")
    number, summary, marked = predicted(repo)
    site = repo.build(command="serve", strict=False)
    preview = read_html(site / "editions/draft/index.html").select_one(".policy-draft-kind")
    assert preview["data-edition-editorial"] == ("true" if marked else "false") == str(KINDS[kind][1]).lower()
    assert ("редакционная" if marked else "по существу") in preview.get_text()
    assert f"Описание в истории редакций: «{summary}»." in " ".join(preview.get_text().split())
    # An uncommitted edit on top carries no trailer: the draft is substantive, as `make changes` then says.
    repo.write("docs/index.md", (repo.docs / "index.md").read_text(encoding="utf-8").replace("cookies", "куки"))
    assert predicted(repo)[2] is False
    site = repo.build(command="serve", strict=False)
    assert (
        read_html(site / "editions/draft/index.html").select_one(".policy-draft-kind")["data-edition-editorial"]
        == "false"
    )
