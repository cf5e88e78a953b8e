"""The guard's comparison of the published editions.json with a new build's (check_history), alone."""

from datetime import UTC

import pytest

from alectro_deploy import guard, layout
from alectro_deploy.targets import open_target

FIRST = ("2026-01-15", "1.1. Первый пункт.")
SECOND = ("2026-05-20", "1.1. Первый пункт, уточнённый.")
THIRD = ("2026-11-24", "1.1. Первый пункт, уточнённый ещё раз.")


def published_two(kit):
    return kit.editions_json(kit.edition(1, *FIRST), kit.edition(2, *SECOND))


# Each case: the new build's editions.json made from the published one's editions, and the problems expected
# (as substrings, one per problem, in order). An empty list means the publish goes ahead.
CASES = {
    "same editions": (lambda kit, e: kit.editions_json(*e), []),
    "a new edition added": (lambda kit, e: kit.editions_json(*e, kit.edition(3, *THIRD)), []),
    "the newest edition dropped": (
        lambda kit, e: kit.editions_json(e[0]),
        ["docs/index.md: edition 2 of 2026-05-20 would disappear"],
    ),
    "an edition's date changed": (
        lambda kit, e: kit.editions_json(e[0], kit.edition(2, "2026-05-21", SECOND[1], commit=e[1]["commit"])),
        ["docs/index.md: edition 2 would change its date from 2026-05-20 to 2026-05-21"],
    ),
    "an edition's text changed in place": (
        lambda kit, e: kit.editions_json(kit.edition(1, FIRST[0], "1.1. Переписанный пункт."), e[1]),
        ["docs/index.md: edition 1 of 2026-01-15 would change its text (SHA-256"],
    ),
    "an edition inserted before a published one renumbers it": (
        lambda kit, e: kit.editions_json(e[0], kit.edition(2, "2026-03-01", "1.1. Вставка."), {**e[1], "number": 3}),
        ["docs/index.md: edition 2 of 2026-05-20 would be renumbered 3"],
    ),
    "date and text both changed: two problems": (
        lambda kit, e: kit.editions_json(e[0], kit.edition(2, "2026-06-01", "1.1. Иначе.")),
        [
            "edition 2 would change its date from 2026-05-20 to 2026-06-01",
            "edition 2 of 2026-05-20 would change its text",
        ],
    ),
    "the permanent URL moved": (
        lambda kit, e: kit.editions_json(e[0], {**e[1], "text_url": "https://alectro.ru/privacy/v2/"}),
        ["edition 2 would move from https://alectro.ru/privacy/editions/2/ to https://alectro.ru/privacy/v2/"],
    ),
    "the document dropped": (
        lambda kit, e: kit.editions_json(*e, source="docs/other.md"),
        ["docs/index.md: the document is missing from the new build; its editions 1, 2 would disappear"],
    ),
    "no editions.json in the new build": (
        lambda kit, e: None,
        ["the new build has no editions.json: all 2 published editions would disappear"],
    ),
    "an unknown format": (
        lambda kit, e: {**kit.editions_json(*e), "format": 2},
        ["the new editions.json has format 2, and this script knows format 1 only"],
    ),
    "a field missing": (
        lambda kit, e: kit.editions_json(e[0], {key: value for key, value in e[1].items() if key != "sha256"}),
        ["an editions.json lacks a field or has one of the wrong type"],
    ),
}


@pytest.mark.parametrize("make_new, expected", CASES.values(), ids=CASES.keys())
def test_check_history_names_each_way_the_new_build_rewrites_published_editions(kit, make_new, expected):
    published = published_two(kit)
    check = guard.check_history(published, make_new(kit, published["documents"][0]["editions"]))
    assert len(check.problems) == len(expected), check.problems
    for problem, fragment in zip(check.problems, expected, strict=True):
        assert fragment in problem


def test_nothing_published_yet_lets_any_build_through(kit):
    assert guard.check_history(None, kit.editions_json(kit.edition(1, *FIRST))).problems == ()
    assert guard.check_history(None, None).problems == ()


def test_same_text_and_date_from_another_commit_is_a_note_not_a_problem(kit):
    published = published_two(kit)
    rebased = [{**edition, "commit": "f" * 40} for edition in published["documents"][0]["editions"]]
    check = guard.check_history(published, kit.editions_json(*rebased))
    assert check.problems == ()
    assert len(check.notes) == 2
    assert check.notes[0].startswith("docs/index.md: edition 1 now comes from commit ffffffffffff instead of ")


def test_an_address_now_percent_encoded_is_the_same_address_not_a_move(kit):
    # editions.json once wrote a name with a space as it is; it now writes the URI MkDocs links to.
    def at(url: str, edition: dict) -> dict:
        return {**edition, "text_url": url}

    published = kit.editions_json(at("https://alectro.ru/privacy/условия доставки/editions/1/", kit.edition(1, *FIRST)))
    encoded = kit.editions_json(
        at(
            "https://alectro.ru/privacy/%D1%83%D1%81%D0%BB%D0%BE%D0%B2%D0%B8%D1%8F%20%D0%B4%D0%BE%D1%81%D1%82%D0%B0"
            "%D0%B2%D0%BA%D0%B8/editions/1/",
            kit.edition(1, *FIRST),
        )
    )
    assert guard.check_history(published, encoded).problems == ()
    elsewhere = kit.editions_json(at("https://alectro.ru/privacy/%D1%83/editions/1/", kit.edition(1, *FIRST)))
    assert guard.check_history(published, elsewhere).problems[0].startswith("docs/index.md: edition 1 would move")


def test_editions_of_several_documents_are_matched_by_source(kit):
    policy = kit.editions_json(kit.edition(1, *FIRST))["documents"][0]
    terms = kit.editions_json(kit.edition(1, *SECOND), source="docs/terms.md")["documents"][0]
    published = {"format": 1, "documents": [policy, terms]}
    reordered = {"format": 1, "documents": [terms, policy]}
    assert guard.check_history(published, reordered).problems == ()
    changed_terms = kit.editions_json(kit.edition(1, SECOND[0], "Другое."), source="docs/terms.md")["documents"][0]
    problems = guard.check_history(published, {"format": 1, "documents": [policy, changed_terms]}).problems
    assert len(problems) == 1 and problems[0].startswith("docs/terms.md: edition 1 of 2026-05-20 would change its text")


@pytest.mark.parametrize(
    "spec, kind, host, path",
    [
        ("deploy@alectro.ru:/srv/alectro.ru/privacy", "SshTarget", "deploy@alectro.ru", "/srv/alectro.ru/privacy"),
        ("alectro.ru:privacy", "SshTarget", "alectro.ru", "privacy"),
        ("/srv/alectro.ru/privacy", "LocalTarget", None, "/srv/alectro.ru/privacy"),
        ("./out:put", "LocalTarget", None, "out:put"),
    ],
)
def test_a_target_is_remote_when_a_host_comes_before_the_colon_as_rsync_reads_it(spec, kind, host, path):
    target = open_target(spec)
    assert type(target).__name__ == kind
    assert (getattr(target, "host", None), str(target.path)) == (host, path)


def test_release_names_sort_by_sequence_and_name_the_time_and_commit():
    from datetime import datetime

    now = datetime(2026, 11, 24, 15, 0, 7, tzinfo=UTC)
    assert layout.release_name(7, now, "1a2b3c4d5e6f7a8b") == "0007-20261124T150007Z-1a2b3c4d5e6f"
    assert layout.release_name(12, now, None) == "0012-20261124T150007Z"
    assert layout.release_name(1, now, "not a commit; rm -rf") == "0001-20261124T150007Z"
    assert all(layout.RELEASE_NAME.match(layout.release_name(n, now, "abcd")) for n in (1, 10_000))
