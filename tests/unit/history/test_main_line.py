"""The main line's rule, without git: which parent a merge follows, and what an arrival says of a document."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alectro_policy.history.commits import Commit
from alectro_policy.history.main_line import (
    MainLineError,
    arrival_message,
    is_default_merge_subject,
    main_line,
    merges_main_into_another_line,
)

AT = datetime(2026, 2, 1, tzinfo=UTC)


def commit(sha: str, *parents: str, subject: str = "", body: str = "") -> Commit:
    return Commit(sha * 40, AT, subject or f"commit {sha}", body, tuple(p * 40 for p in parents))


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Merge branch 'main' of github.com:alectro/policy", True),
        ("Merge branch 'main' of https://github.com/alectro/policy into laptop", True),
        ("Merge branch 'main' into e1-word", True),
        ("Merge remote-tracking branch 'origin/main'", True),
        ("Merge remote-tracking branch 'upstream/main' into e1-word", True),
        ("Merge branch 'e1-word'", False),
        ("Merge branch 'maintenance' into e1-word", False),
        ("Merge branch 'main'", False),
        ("Merge pull request #7 from alectro/main", False),
        ("Уточнён п. 4.3", False),
    ],
)
def test_git_s_own_messages_for_merging_main_into_another_line(subject, expected):
    assert merges_main_into_another_line(subject, "main") is expected


def test_the_main_branch_name_is_configurable():
    assert merges_main_into_another_line("Merge branch 'master' of example.org:x", "master")
    assert not merges_main_into_another_line("Merge branch 'main' of example.org:x", "master")
    assert merges_main_into_another_line("Merge branch 'a.b+c' into x", "a.b+c")
    assert not merges_main_into_another_line("Merge branch 'aXb' into x", "a.b")


@given(st.text(max_size=300), st.text(min_size=1, max_size=30))
def test_any_subject_and_branch_name_gives_an_answer(subject, branch):
    assert merges_main_into_another_line(subject, branch) in (True, False)
    assert is_default_merge_subject(subject) in (True, False)


def test_a_pull_merge_with_swapped_parents_follows_the_second_parent():
    # a - b (main) ; a - l (laptop); m = merge of main into laptop, first parent l.
    graph = [
        commit("a"),
        commit("b", "a"),
        commit("l", "a"),
        commit("m", "l", "b", subject="Merge branch 'main' of github.com:alectro/policy"),
    ]
    arrivals = main_line(graph, "m" * 40)
    assert [arrival.commit.sha[0] for arrival in arrivals] == ["a", "b", "m"]
    assert [c.sha[0] for c in arrivals[-1].brought] == ["m", "l"]


def test_published_commits_decide_the_parent_before_the_message():
    graph = [commit("a"), commit("b", "a"), commit("l", "a"), commit("m", "l", "b", subject="Слияние")]
    assert [a.commit.sha[0] for a in main_line(graph, "m" * 40)] == ["a", "l", "m"]
    assert [a.commit.sha[0] for a in main_line(graph, "m" * 40, through=["b" * 40])] == ["a", "b", "m"]
    with pytest.raises(MainLineError) as error:
        main_line(graph, "m" * 40, through=["z" * 40])
    assert error.value.commit == "z" * 40


def test_an_octopus_brings_every_other_parent_s_commits():
    graph = [commit("a"), commit("b", "a"), commit("c", "a"), commit("d", "a"), commit("o", "b", "c", "d")]
    (first, octopus) = main_line(graph, "o" * 40)[0], main_line(graph, "o" * 40)[-1]
    assert first.commit.sha[0] == "a"
    assert sorted(c.sha[0] for c in octopus.brought) == ["c", "d", "o"]


def changes(*shas: str):
    return lambda c: c.sha[0] in shas


def test_a_merge_s_trailer_never_launders_a_substantive_commit():
    merge = commit("m", "b", "x", subject="Merge branch 'e1-word'", body="Edition: editorial")
    substantive = commit("x", "b", subject="Рекламные цели")
    assert arrival_message([merge, substantive], changes("x")).editorial is False
    marked = commit("x", "b", subject="Опечатка", body="Edition: editorial")
    assert arrival_message([merge, marked], changes("x")).editorial is True
    plain = commit("m", "b", "x", subject="Merge branch 'e1-word'")
    assert arrival_message([plain, marked], changes("x")).editorial is True


def test_the_summary_is_what_the_editor_wrote_never_the_default_merge_subject():
    branch = commit("x", "b", subject="Уточнён получатель данных (п. 4.3)", body="Подробности.")
    other = commit("y", "x", subject="README")
    merge = commit("m", "b", "y", subject="Merge branch 'e1-word'")
    assert arrival_message([merge, other, branch], changes("x")).summary == "Уточнён получатель данных (п. 4.3)"
    github = commit("m", "b", "y", subject="Merge pull request #7 from a/e1", body="Получатель данных\n\nТекст.")
    message = arrival_message([github, other, branch], changes("x"))
    assert (message.summary, message.description) == ("Получатель данных", "Текст.")
    own = commit("m", "b", "y", subject="Новая редакция: п. 4.3")
    assert arrival_message([own, other, branch], changes("x")).summary == "Новая редакция: п. 4.3"


def test_a_github_squash_is_editorial_only_if_each_squashed_message_carries_the_trailer():
    body = "* Рекламные цели (п. 4.1)\n\n* Опечатка в п. 1.3\n\nEdition: editorial"
    squash = commit("s", "b", subject="Уточнения (#12)", body=body)
    assert arrival_message([squash], changes("s")).editorial is False
    marked = commit(
        "s", "b", subject="Уточнения (#12)", body=body.replace("(п. 4.1)", "(п. 4.1)\n\nEdition: editorial")
    )
    assert arrival_message([marked], changes("s")).editorial is True
    # A squash the editor wrote as one message: its trailer decides.
    own = commit("s", "b", subject="Опечатки (#12)", body="Пп. 1.3 и 2.1.\n\nEdition: editorial")
    assert arrival_message([own], changes("s")).editorial is True


def test_a_bulleted_body_is_a_squash_listing_only_in_github_s_shape():
    # Under a subject without GitHub's number (a rebased commit, a squash whose title was rewritten): one message,
    # whose trailer closes it; the text rule (text.edit_kind) still refuses it over a substantive change.
    body = "* Опечатка в п. 1.3\n\n* Запятая в п. 2.1\n\nEdition: editorial"
    assert arrival_message([commit("s", "b", subject="Опечатки", body=body)], changes("s")).editorial is True
    assert arrival_message([commit("s", "b", subject="Опечатки (#12)", body=body)], changes("s")).editorial is False
    # A tight list of the editor's own, closed by the trailer, is one message.
    own = commit("s", "b", subject="Опечатки (#12)", body="* п. 1.3\n* п. 2.1\n\nEdition: editorial")
    assert arrival_message([own], changes("s")).editorial is True


@pytest.mark.parametrize(
    ("body", "editorial"),
    [
        ("Edition: editorial", True),
        ("Подробности.\n\nedition:EDITORIAL", True),
        ("Подробности.\n\nSigned-off-by: Р <r@x.ru>\nEdition:\teditorial", True),
        # In the middle of a message the line is text: the commit goes on to say something else.
        ("Edition: editorial\n\nНа самом деле меняет цели обработки.", False),
        ("Edition: editorial, но по существу", False),
        ("", False),
    ],
)
def test_the_trailer_counts_only_where_git_reads_trailers_at_the_end(body, editorial):
    assert arrival_message([commit("x", "b", subject="Правка", body=body)], changes("x")).editorial is editorial


def test_without_a_written_summary_every_commit_that_changed_the_text_is_named_oldest_first():
    first = commit("x", "b", subject="Рекламные цели (п. 4.1)")
    second = commit("y", "x", subject="Опечатка в п. 1.3", body="Edition: editorial")
    readme = commit("z", "y", subject="README")
    merge = commit("m", "b", "z", subject="Merge branch 'e1-word'")
    message = arrival_message([merge, readme, second, first], changes("x", "y"))
    assert message.summary == "Рекламные цели (п. 4.1); Опечатка в п. 1.3"
    assert arrival_message([readme, second, first], changes("x", "y"), merged=True).summary == message.summary


def test_a_squash_listing_would_unmark_a_branch_whose_unchanging_commit_lacks_the_trailer():
    typo = commit("x", "b", subject="Опечатка", body="Edition: editorial")
    config = commit("y", "x", subject="mkdocs.yml")
    message = arrival_message([config, typo], changes("x"), merged=True)
    assert (message.editorial, message.listed_editorial) == (True, False)
    marked = commit("y", "x", subject="mkdocs.yml", body="Edition: editorial")
    assert arrival_message([marked, typo], changes("x"), merged=True).listed_editorial is True


def test_a_github_squash_s_summary_is_the_pull_request_s_title_without_its_number():
    squash = commit("s", "b", subject="Уточнения политики (#12)", body="* Опечатка\n\nEdition: editorial")
    assert arrival_message([squash], changes("s")).summary == "Уточнения политики"
    assert arrival_message([commit("s", "b", subject="(#12)")], changes("s")).summary == "(#12)"


def test_an_editor_s_bulleted_list_in_a_branch_commit_is_its_text_not_a_squash_listing():
    listed = "* в п. 2.1 — запятая;\n\n* в п. 3 — кавычки.\n\nEdition: editorial"
    typo = commit("x", "b", subject="Опечатки", body=listed)
    merge = commit("m", "b", "x", subject="Merge pull request #7 from alectro/typo", body="Опечатки")
    assert arrival_message([merge, typo], changes("x")).editorial is True
    assert arrival_message([typo], changes("x"), merged=True).editorial is True


def test_github_s_squash_listing_with_co_authors_is_read_item_by_item_and_never_shown():
    listing = (
        "* Опечатка в п. 1.3\n\nEdition: editorial\n\n* Запятая в п. 2.1\n\nEdition: editorial\n\n"
        "---------\n\nCo-authored-by: Второй Редактор <ed2@alectro.test>"
    )
    squash = commit("s", "b", subject="Опечатки (#12)", body=listing)
    message = arrival_message([squash], changes("s"))
    assert (message.summary, message.description, message.editorial) == ("Опечатки", "", True)
    unmarked = commit("s", "b", subject="Опечатки (#12)", body=listing.replace("Edition: editorial\n\n* З", "* З"))
    assert arrival_message([unmarked], changes("s")).editorial is False


def test_a_tight_list_in_a_squashed_commit_s_body_stays_inside_its_item_of_github_s_listing():
    # The config commit carries no trailer: the squash is substantive, whatever the editor's list after it says.
    tight = "* в п. 2.1 — опечатка;\n* в п. 2.2 — опечатка."
    listing = (
        f"* mkdocs.yml\n\n* Схема\n\nEdition: editorial\n\n* Опечатки\n\n{tight}\n\nEdition: editorial\n\n"
        "---------\n\nCo-authored-by: Второй Редактор <ed2@alectro.test>"
    )
    squash = commit("s", "b", subject="Уточнения (#7)", body=listing)
    assert arrival_message([squash], changes("s")).editorial is False
    marked = commit(
        "s", "b", subject="Уточнения (#7)", body=listing.replace("yml\n\n", "yml\n\nEdition: editorial\n\n")
    )
    assert arrival_message([marked], changes("s")).editorial is True
    # The commit with the list lacks the trailer: its list is not read as items of their own.
    unmarked = commit(
        "s", "b", subject="Уточнения (#7)", body=f"* Схема\n\n{tight}\n\n* Опечатки\n\nEdition: editorial"
    )
    assert arrival_message([unmarked], changes("s")).editorial is False


def test_a_single_commit_squash_publishes_the_commit_s_subject_and_never_its_body():
    body = "Подробности для юриста.\n\nSigned-off-by: Р <r@x.ru>"
    squash = commit("s", "b", subject="Уточнён п. 4.3 (#7)", body=body)
    message = arrival_message([squash], changes("s"))
    assert (message.summary, message.description, message.messages) == ("Уточнён п. 4.3", "", 1)


def test_the_description_is_the_pull_request_s_without_trailers_or_addresses():
    body = (
        "Получатель данных\n\nПо письму юриста от 3 февраля.\n\n---------\n\n"
        "Co-authored-by: Второй Редактор <ed2@alectro.test>"
    )
    merge = commit("m", "b", "x", subject="Merge pull request #7 from alectro/e1", body=body)
    message = arrival_message([merge, commit("x", "b", subject="п. 4.3", body="Тело коммита.")], changes("x"))
    assert (message.summary, message.description) == ("Получатель данных", "По письму юриста от 3 февраля.")
    assert "@" not in message.description


def test_a_revert_says_what_it_undoes():
    original = commit("c", "b", "x", subject="Merge pull request #4 from alectro/move45", body="Раздел 4 стал 5")
    revert = commit(
        "d",
        "c",
        subject='Revert "Merge pull request #4 from alectro/move45"',
        body=f"This reverts commit {'c' * 40}, reversing\nchanges made to {'b' * 40}.",
    )
    found = {original.sha: original}.get
    assert arrival_message([revert], changes("d"), commit_of=found).summary == "Отмена изменений: Раздел 4 стал 5"
    assert arrival_message([revert], changes("d")).summary == "Отмена предыдущих изменений"
    button = commit(
        "e", "c", "d", subject="Merge pull request #5 from alectro/revert-4-move45", body='Revert "Раздел 4 стал 5"'
    )
    assert arrival_message([button, revert], changes("d")).summary == "Отмена изменений: Раздел 4 стал 5"


def test_control_and_direction_characters_never_reach_a_summary():
    sneaky = commit("x", "b", subject="Опечатка\x1b[2J\x07 в п. \u202e1.3")
    assert arrival_message([sneaky], changes("x")).summary == "Опечатка[2J в п. 1.3"
