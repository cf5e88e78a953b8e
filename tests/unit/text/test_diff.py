import pytest

from alectro_policy.text.clauses import split_clauses
from alectro_policy.text.diff import Segment, changed_clauses, compare, word_diff

POLICY = "# Политика\n\nВступление.\n\n## 1. Общее\n\n1.1. Пункт один.\n\n1.2. Пункт два:\n\n- а;\n- б.\n"


def test_split_clauses_keys_labels_and_lists_belong_to_their_clause():
    clauses = split_clauses(POLICY)
    assert [(c.key, c.label) for c in clauses] == [
        ("title", "заголовок"),
        ("preamble", "вступление"),
        ("p1", "разд. 1"),
        ("p1.1", "п. 1.1"),
        ("p1.2", "п. 1.2"),
    ]
    assert clauses[-1].text == "1.2. Пункт два:\n— а;\n— б."


def test_repeated_clause_numbers_get_unique_keys():
    assert [c.key for c in split_clauses("1.1. А.\n\n1.1. Б.\n")] == ["p1.1", "p1.1~2"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "передача транспортной компании",
            "передача курьерской службе",
            [
                Segment("same", "передача "),
                Segment("deleted", "транспортной компании"),
                Segment("inserted", "курьерской службе"),
            ],
        ),
        ("а б в", "а в", [Segment("same", "а "), Segment("deleted", "б"), Segment("same", " в")]),
        ("а в", "а б в", [Segment("same", "а "), Segment("inserted", "б"), Segment("same", " в")]),
        ("персональной", "персональную", [Segment("deleted", "персональной"), Segment("inserted", "персональную")]),
    ],
)
def test_word_diff_works_on_whole_words(old, new, expected):
    assert list(word_diff(old, new)) == expected


def test_compare_reports_changed_added_and_removed_clauses_in_reading_order():
    new = POLICY.replace("Пункт один.", "Пункт первый.").replace("1.2. Пункт два:\n\n- а;\n- б.\n", "1.3. Новый.\n")
    changes = changed_clauses(compare(POLICY, new))
    assert [(c.key, c.status) for c in changes] == [("p1.1", "changed"), ("p1.2", "removed"), ("p1.3", "added")]
    assert changes[0].segments == (
        Segment("same", "1.1. Пункт "),
        Segment("deleted", "один."),
        Segment("inserted", "первый."),
    )


def test_marked_words_do_not_carry_the_following_space():
    assert word_diff("передача транспортной компании; далее", "передача курьерской службе; далее") == (
        Segment("same", "передача "),
        Segment("deleted", "транспортной компании;"),
        Segment("inserted", "курьерской службе;"),
        Segment("same", " далее"),
    )


def test_identical_texts_have_no_changed_clauses():
    assert changed_clauses(compare(POLICY, POLICY)) == ()


def test_clause_text_is_what_a_reader_reads_not_the_markdown():
    clauses = split_clauses(
        "## 1. Общее\n\n"
        "1.1. (далее - **Политика**) сайт <https://alectro.ru>, [почта](mailto:a@alectro.ru)\n\n"
        "- а;\n- б.\n"
    )
    assert [c.text for c in clauses] == [
        "1. Общее",
        "1.1. (далее - Политика) сайт https://alectro.ru, почта (mailto:a@alectro.ru)\n— а;\n— б.",
    ]


def test_words_are_compared_without_the_spaces_between_them():
    assert word_diff("далее -\nПолитики действуют", "далее - Политики  действуют") == (
        Segment("same", "далее - Политики  действуют"),
    )
