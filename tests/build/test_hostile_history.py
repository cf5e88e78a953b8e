"""Every byte of git history is hostile input.

No commit message on main may stop a later build or break what it publishes.
"""

import itertools
import json
import subprocess
from xml.etree import ElementTree

import feedparser
import jsonschema
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from support import GitRepo, make_changes, read_html

POLICY = "# Политика\n\n1.1. Первый пункт.\n\n1.2. Второй пункт.\n\n2.2. Сайт использует cookies.\n"
_numbers = itertools.count()


def commit_raw_message(repo: GitRepo, message: bytes, when: int = 1795500000) -> str:
    """Commit the index with ``message`` written byte for byte into the commit object (as any git client could)."""
    tree = repo.git("write-tree")
    parent = repo.git("rev-parse", "HEAD")
    header = (
        f"tree {tree}\nparent {parent}\n"
        f"author Редактор <editor@alectro.ru> {when} +0300\ncommitter Редактор <editor@alectro.ru> {when} +0300\n\n"
    ).encode()
    sha = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
            cwd=repo.root,
            input=header + message,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    repo.git("update-ref", "refs/heads/main", sha)
    return sha


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=st.binary(max_size=80))
@example(
    message=b"\x1e\x1f \xd0\xa3\xd1\x82\xd0\xbe\xd1\x87\xd0\xbd\xd1\x91\xd0\xbd\x01 \xd0\xbf. 1.2\x08\n\n"
    b"\x1f\xff\xfe<&>\r\n"
)
def test_any_commit_message_gives_a_valid_feed_editions_json_and_history_page(tmp_path, message):
    repo = GitRepo.new(tmp_path / f"project-{next(_numbers)}")
    repo.write("docs/index.md", POLICY)
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    repo.write("docs/index.md", POLICY.replace("Второй", "Изменённый второй"))
    repo.git("add", "-A")
    commit_raw_message(repo, message)
    site = repo.build()

    feed_bytes = (site / "editions/feed.xml").read_bytes()
    ElementTree.fromstring(feed_bytes)
    feed = feedparser.parse(feed_bytes)
    assert not feed.bozo, feed.bozo_exception
    data = json.loads((site / "editions.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "editions.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    summary = data["documents"][0]["editions"][1]["summary"]
    assert "\n" not in summary and all(char in "\t" or ord(char) >= 0x20 for char in summary)
    # The same summary everywhere: the feed entry, editions.json and the history page.
    assert (feed.entries[0].get("summary") or "") == summary
    history = read_html(site / "editions/index.html")
    newest = history.select_one("#edition-2 .policy-edition__summary")
    assert " ".join((newest.get_text() if newest else "").split()) == " ".join(summary.split())


def test_the_subject_is_not_cut_at_a_control_character(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("Второй", "Изменённый второй"))
    git_repo.git("add", "-A")
    commit_raw_message(git_repo, "Уточнён\x1f п. 1.2\n\nПодробности.".encode())
    data = json.loads((git_repo.build() / "editions.json").read_text(encoding="utf-8"))
    assert data["documents"][0]["editions"][1]["summary"] == "Уточнён п. 1.2"


def test_a_control_character_in_the_policy_title_does_not_break_the_feed(git_repo):
    git_repo.write("docs/index.md", POLICY.replace("# Политика", "# Поли\x01тика\x1e"))
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    feed_bytes = (git_repo.build() / "editions/feed.xml").read_bytes()
    ElementTree.fromstring(feed_bytes)
    assert feedparser.parse(feed_bytes).feed.title == "Политика: редакции"


def test_a_commit_whose_time_cannot_be_read_takes_its_predecessor_s_date(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("Второй", "Изменённый второй"))
    git_repo.git("add", "-A")
    raw = (
        f"tree {git_repo.git('write-tree')}\nparent {git_repo.git('rev-parse', 'HEAD')}\n"
        "author Редактор <editor@alectro.ru> never +0300\ncommitter Редактор <editor@alectro.ru>\n\nУточнён п. 1.2\n"
    ).encode()
    sha = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
            cwd=git_repo.root,
            input=raw,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    git_repo.git("update-ref", "refs/heads/main", sha)
    data = json.loads((git_repo.build() / "editions.json").read_text(encoding="utf-8"))
    assert [(e["date"], e["summary"]) for e in data["documents"][0]["editions"]] == [
        ("2026-01-15", "Первая редакция"),
        ("2026-01-15", "Уточнён п. 1.2"),
    ]


def test_a_picture_link_no_commit_can_hold_neither_stops_the_build_nor_make_changes(tmp_path):
    # A line break, a NUL, a path out of the repository: git's batch would be misread or stopped by them; and
    # what Python's splitlines() would split git's answer at (\x1e, \x85).
    links = "![a](a%0Ab.png) ![b](%00.png) ![c](../../../etc/passwd) ![e](%1E.png) ![f](%C2%85.png) ![d](c%20d.png)"
    repo = GitRepo.new(tmp_path / "site")
    repo.write("docs/index.md", POLICY + "\n" + links + "\n")
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    repo.git("checkout", "-q", "-b", "picture")
    repo.write("docs/c d.png", "<svg/>")
    repo.commit("Картинка", "2026-01-16T10:00:00+03:00")
    result = make_changes(repo)
    assert result.returncode == 0, result.stderr
    # The one picture that can exist was added: a new edition, as the build after the merge says.
    assert "**Редакция № 2**" in result.stdout
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "picture", date="2026-01-17T10:00:00+03:00")
    # Not strict: MkDocs rightly warns that those pictures do not exist.
    (document,) = json.loads((repo.build(strict=False) / "editions.json").read_text(encoding="utf-8"))["documents"]
    assert [edition["number"] for edition in document["editions"]] == [1, 2]
