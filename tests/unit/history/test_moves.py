"""A document followed back through its renames: history.moves (git's answer is read in test_repository.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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
