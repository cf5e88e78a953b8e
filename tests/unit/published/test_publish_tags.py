"""The record of what went live, in git: one annotated tag per publish, chained, refused when tampered with."""

import json
import re
import subprocess

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from alectro_published import publish_tags
from alectro_published.publish_tags import PublishRecordError, latest_at, push_tag, read_tags, write_tag
from support import GitRepo


def editions_json(*editions: tuple[int, str, str]) -> str:
    """An editions.json of docs/index.md with ``editions`` (number, date, commit)."""
    return json.dumps(
        {
            "format": 1,
            "site_url": "https://alectro.ru/privacy/",
            "timezone": "Europe/Moscow",
            "documents": [
                {
                    "source": "docs/index.md",
                    "title": "Политика",
                    "url": "https://alectro.ru/privacy/",
                    "current_edition": len(editions),
                    "editions": [
                        {
                            "number": number,
                            "date": day,
                            "commit": commit,
                            "sha256": str(number) * 64,
                            "summary": "Первая" if number == 1 else "",
                            "editorial": False,
                            "text_url": f"https://alectro.ru/privacy/editions/{number}/",
                            "source_url": f"https://alectro.ru/privacy/editions/{number}/source.md",
                            "changes_url": None,
                        }
                        for number, day, commit in editions
                    ],
                }
            ],
        },
        ensure_ascii=False,
    )


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    repo = GitRepo.new(tmp_path / "site")
    repo.write("docs/index.md", "# Политика\n")
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    return repo


def test_each_publish_is_a_tag_chained_to_the_one_before_and_read_back_in_order(repo):
    first = repo.git("rev-parse", "HEAD")
    assert read_tags(repo.root) == () and latest_at(repo.root, "HEAD") is None
    one = write_tag(repo.root, first, "20260115T100000Z-aaaa", editions_json((1, "2026-01-15", first)))
    repo.write("docs/index.md", "# Политика\n\nНовый пункт.\n")
    second = repo.commit("Новый пункт", "2026-02-01T10:00:00+03:00")
    two = write_tag(
        repo.root, second, "20260201T100000Z-bbbb", editions_json((1, "2026-01-15", first), (2, "2026-02-01", second))
    )
    tags = read_tags(repo.root)
    assert [(t.name, t.commit, t.release) for t in tags] == [
        ("published/1", first, "20260115T100000Z-aaaa"),
        ("published/2", second, "20260201T100000Z-bbbb"),
    ]
    assert tags == (one, two) and two.previous == f"published/1 {one.object_id}"
    assert [e.number for e in two.editions.documents[0].editions] == [1, 2]
    # What was live when a history was built: a branch cut before the second publish reads the first.
    assert latest_at(repo.root, first) == one and latest_at(repo.root, "HEAD") == two
    # The tag is an annotated tag of the published commit, which every clone fetches.
    assert repo.git("cat-file", "-t", "published/2") == "tag"
    assert repo.git("rev-parse", "published/2^{commit}") == second


def test_a_publish_that_drops_or_changes_a_recorded_edition_is_not_recorded(repo):
    first = repo.git("rev-parse", "HEAD")
    write_tag(repo.root, first, "r1", editions_json((1, "2026-01-15", first)))
    with pytest.raises(PublishRecordError, match="published/2 changes date of docs/index.md, edition 1 of 2026-01-15"):
        write_tag(repo.root, first, "r2", editions_json((1, "2026-01-16", first)))
    with pytest.raises(PublishRecordError, match="published/2 drops docs/index.md, edition 1"):
        write_tag(repo.root, first, "r2", editions_json().replace('"current_edition": 0', '"current_edition": null'))
    assert [tag.name for tag in read_tags(repo.root)] == ["published/1"]


@pytest.mark.parametrize(
    ("field", "before", "after"),
    [("summary", '"Первая"', '"Опечатка"'), ("editorial", '"editorial": false', '"editorial": true')],
)
def test_a_tag_made_by_hand_that_changes_a_recorded_summary_or_mark_is_refused(repo, field, before, after):
    first = repo.git("rev-parse", "HEAD")
    one = write_tag(repo.root, first, "r1", editions_json((1, "2026-01-15", first)))
    # Chained as make publish chains, so only the content tells: a build keeps a recorded edition's summary and mark.
    changed = editions_json((1, "2026-01-15", first)).replace(before, after)
    forge(repo, "published/2", publish_tags.message("r2", one, changed))
    with pytest.raises(
        PublishRecordError, match=f"tag published/2 changes {field} of docs/index.md, edition 1"
    ) as error:
        read_tags(repo.root)
    # Such a tag is this clone's alone: the way back is to delete it and fetch the repository's own, not to push them.
    assert "git tag -d published/2" in str(error.value)
    assert "git fetch origin 'refs/tags/published/*:refs/tags/published/*'" in str(error.value)


@pytest.mark.parametrize(("blocking", "published"), [("published/2/x", 1), ("published", 0)])
def test_a_tag_where_the_next_record_must_go_is_refused_naming_it_and_how_to_delete_it(repo, blocking, published):
    first = repo.git("rev-parse", "HEAD")
    if published:
        write_tag(repo.root, first, "r1", editions_json((1, "2026-01-15", first)))
    repo.git("tag", blocking, first)  # published/2/x: published/2 under it as a folder; published: the reverse
    record = editions_json(*[(n, "2026-01-15", first) for n in range(1, published + 2)])
    with pytest.raises(PublishRecordError) as refused:
        write_tag(repo.root, first, "r2", record)
    name = f"published/{published + 1}"
    assert f"tag {blocking} stands where git must write {name}" in str(refused.value)
    assert f"git tag -d {blocking})" in str(refused.value) and f"git push origin :refs/tags/{blocking})" in str(
        refused.value
    )
    repo.git("tag", "-d", blocking)
    assert write_tag(repo.root, first, "r2", record).name == name


def forge(repo: GitRepo, name: str, message: str, target: str = "HEAD") -> None:
    repo.git("tag", "-f", "-a", "--cleanup=verbatim", "-m", message, name, target)


def test_a_rewritten_missing_or_foreign_tag_is_refused_naming_it_and_the_way_back(repo):
    first = repo.git("rev-parse", "HEAD")
    one = write_tag(repo.root, first, "r1", editions_json((1, "2026-01-15", first)))
    two = write_tag(repo.root, first, "r2", editions_json((1, "2026-01-15", first)))
    # Rewritten in place with another date: the next tag no longer names it.
    forge(repo, "published/1", publish_tags.message("r1", None, editions_json((1, "2026-01-10", first))))
    with pytest.raises(PublishRecordError, match="tag published/2 names published/1 .* a tag was rewritten"):
        read_tags(repo.root)
    repo.git("tag", "-f", "-a", "-m", "x", "published/1", first)
    repo.git("update-ref", "refs/tags/published/1", one.object_id)
    assert read_tags(repo.root)[1] == two
    repo.git("tag", "-d", "published/1")
    with pytest.raises(PublishRecordError, match="tag published/1 is missing from the publish record: restore"):
        read_tags(repo.root)
    repo.git("update-ref", "refs/tags/published/1", one.object_id)
    repo.git("tag", "published/3", first)  # lightweight
    with pytest.raises(PublishRecordError, match="published/3 is not an annotated tag"):
        read_tags(repo.root)
    forge(repo, "published/3", "Опубликовано вручную")
    with pytest.raises(PublishRecordError, match="published/3 is not a publish record"):
        read_tags(repo.root)
    forge(repo, "published/3", publish_tags.message("r3", two, "{}"))
    with pytest.raises(PublishRecordError, match="tag published/3 has format None"):
        read_tags(repo.root)


def test_a_tag_is_pushed_and_never_moved_at_the_remote(repo, tmp_path):
    remote = tmp_path / "remote.git"
    repo.git("init", "-q", "--bare", str(remote))
    first = repo.git("rev-parse", "HEAD")
    tag = write_tag(repo.root, first, "r1", editions_json((1, "2026-01-15", first)))
    push_tag(repo.root, str(remote), tag)
    clone = GitRepo(tmp_path / "clone")
    repo.git("clone", "-q", str(remote), str(clone.root))
    assert [t.object_id for t in read_tags(clone.root)] == [tag.object_id]
    # Another publish recorded first elsewhere: this one's tag of the same name is refused, not forced.
    other = GitRepo(tmp_path / "other")
    repo.git("clone", "-q", str(remote), str(other.root))
    other.git("tag", "-d", "published/1")
    moved = write_tag(other.root, first, "r9", editions_json((1, "2026-01-15", first)))
    with pytest.raises(PublishRecordError, match="(?s)git push --quiet failed: .*already exists"):
        push_tag(other.root, str(remote), moved)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.lists(st.text(alphabet="ab01-_.", min_size=1, max_size=4), min_size=1, max_size=3).map("/".join),
    annotated=st.booleans(),
)
def test_a_tag_under_published_that_make_publish_never_names_so_is_left_aside_and_stops_no_build(repo, name, annotated):
    first = repo.git("rev-parse", "HEAD")
    if not read_tags(repo.root):
        write_tag(repo.root, first, "r1", editions_json((1, "2026-01-15", first)))
    assume(not re.fullmatch(r"[1-9][0-9]*", name))
    tag = f"{publish_tags.PREFIX}{name}"
    made = subprocess.run(["git", "-C", str(repo.root), "check-ref-format", f"refs/tags/{tag}"])
    assume(made.returncode == 0 and not name.startswith("1/"))  # published/1/… cannot sit beside published/1
    repo.git("tag", *(["-a", "-m", "Release: x\nPrevious: none\n\n{}"] if annotated else []), tag, first)
    try:
        assert [t.name for t in read_tags(repo.root)] == ["published/1"]
        assert latest_at(repo.root, "HEAD").name == "published/1"
    finally:
        repo.git("tag", "-d", tag)
