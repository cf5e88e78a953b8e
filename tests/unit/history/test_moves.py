"""A document followed back through its renames: history.moves, and git.renames_along reading git's answer."""

from __future__ import annotations

import subprocess

from hypothesis import given
from hypothesis import strategies as st

from alectro_policy.history import git
from alectro_policy.history.moves import document_paths, former_paths, paths_before


def test_each_commit_gets_the_path_the_document_had_then():
    renames = [{}, {}, {"docs/privacy.md": "docs/index.md"}, {}, {"docs/legal/privacy.md": "docs/privacy.md"}]
    assert document_paths("docs/legal/privacy.md", renames) == [
        "docs/index.md",
        "docs/index.md",
        "docs/privacy.md",
        "docs/privacy.md",
        "docs/legal/privacy.md",
    ]


def test_a_rename_of_another_file_or_into_the_old_name_is_not_followed():
    renames = [{}, {"docs/other.md": "docs/index.md"}, {"docs/index.md": "docs/draft.md"}]
    assert document_paths("docs/index.md", renames) == ["docs/draft.md", "docs/draft.md", "docs/index.md"]


def test_a_branch_s_moves_are_followed_back_in_any_order_and_through_a_cycle():
    renames = [
        {"docs/legal/privacy.md": "docs/privacy.md"},
        {"docs/other.md": "docs/a.md"},
        {"docs/privacy.md": "docs/index.md"},
    ]
    assert paths_before("docs/legal/privacy.md", renames) == (
        "docs/legal/privacy.md",
        "docs/privacy.md",
        "docs/index.md",
    )
    assert paths_before("a.md", [{"a.md": "b.md"}, {"b.md": "a.md"}]) == ("a.md", "b.md")


def test_where_the_line_shows_no_move_a_branch_s_moves_lead_to_the_path_the_line_held():
    # Commit 2 merged a branch that moved a.md to b.md, then b.md to c.md (git saw neither on the line).
    branch = [[], [], [{"c.md": "b.md"}, {"b.md": "a.md"}]]
    held = {(1, "a.md"), (0, "a.md")}
    assert document_paths("c.md", [{}, {}, {}], branch, lambda index, path: (index, path) in held) == [
        "a.md",
        "a.md",
        "c.md",
    ]
    # A branch that moved it away and back: the line's commit held it where it is, nothing to follow.
    back = [[], [{"a.md": "b.md"}, {"b.md": "a.md"}]]
    assert document_paths("a.md", [{}, {}], back, lambda index, path: path == "a.md") == ["a.md", "a.md"]


names = st.sampled_from(["a.md", "b.md", "c d.md", "папка/е.md"])


@given(st.lists(st.tuples(names, names), max_size=12))
def test_following_back_replays_the_renames_forwards(moves):
    """Whatever the renames (back and forth, cycles), walking back and replaying forwards agree."""
    renames: list[dict[str, str]] = [{}]
    path = "a.md"
    for old, new in moves:
        # A commit renames the document only from where it is; other renames are of other files (never onto it).
        renames.append({new: old} if old != new and (new != path or old == path) else {})
        if old == path and old != new:
            path = new
    paths = document_paths(path, renames)
    assert paths[-1] == path
    for before, after, step in zip(paths[:-1], paths[1:], renames[1:], strict=True):
        assert after == before or step.get(after) == before
    assert path not in former_paths(paths) and len(set(former_paths(paths))) == len(former_paths(paths))


def _git(root, *args):
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "HOME": str(root)}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True).stdout.decode()


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
    assert git.renames_along(tmp_path, line) == [{}, {hostile[0]: "index.md"}, {hostile[1]: hostile[0]}]
    # Compared with the line's own predecessor, not git's parent: from commit 1 straight to commit 3.
    assert git.renames_along(tmp_path, [line[0], line[2]]) == [{}, {hostile[1]: "index.md"}]


def test_streamed_blobs_come_one_by_one_in_order_and_missing_ones_are_none(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "main")
    big = "х" * 300_000  # larger than a pipe's buffer, both ways
    for name, content in (("a.md", big), ("b.md", "b")):
        (tmp_path / name).write_text(content, encoding="utf-8")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "1")
    ids = [_git(tmp_path, "rev-parse", f"HEAD:{name}").strip() for name in ("a.md", "b.md")]
    stream = git.stream_blobs(tmp_path, [ids[0], "0" * 40, ids[1], ids[0]] * 200)
    first = next(stream)
    assert first == big.encode()
    rest = list(stream)
    assert rest[:3] == [None, b"b", big.encode()] and len(rest) == 799
