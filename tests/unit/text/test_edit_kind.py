"""The one rule for whether a change can be editorial, read from the text: conservative, whatever a message says."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alectro_policy.text.edit_kind import substantive_change

POLICY = """# Политика

## 1. Общие положения

1.1. Данные передаются транспортной компании.

1.2. Данные хранятся 30 дней. Потом их удаляют.

- имя;
- телефон.

## 2. Cookies

2.1. Сайт использует cookies Яндекс Метрики, см. https://metrika.yandex.ru/.
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("транспортной", "транспортнлй"),  # a typo
        ("Потом их удаляют.", "Потом, их удаляют."),  # punctuation
        ("передаются транспортной", "передаются  транспортной"),  # spacing
        ("Данные передаются", "*Данные* передаются"),  # emphasis
        ("- имя;", "- Имя;"),  # letter case
        ("компании.", "компании!"),  # one sentence still
        ("Метрики, см.", "Метрики — см."),  # a dash for a comma
        ("## 2. Cookies", "## 2. cookies"),
        ("их удаляют.", "их удаляют"),  # a full stop dropped at the end
        ("1.1. Данные передаются", "1.1. Даные передаются"),  # a typo in a sentence's first word
        ("## 1. Общие", "## 1. Обшие"),  # a typo in a heading's first word
    ],
)
def test_spelling_punctuation_case_and_emphasis_are_editorial(old, new):
    assert old in POLICY
    assert substantive_change(POLICY, POLICY.replace(old, new)) is None


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("компании.", "компании и рекламным партнёрам.", "п. 1.1: добавлены слова «и рекламным партнёрам.»"),
        ("передаются", "не передаются", "п. 1.1: добавлены слова «не»"),
        ("Данные передаются", "Передаются", "п. 1.1: исключены слова «Данные»"),
        ("30 дней", "31 день", "п. 1.2: «30 дней.» заменено на «31 день.»"),
        ("Яндекс", "Google", "п. 2.1: «Яндекс» заменено на «Google»"),
        ("Яндекс", "Яндекс2", "п. 2.1: «Яндекс» заменено на «Яндекс2»"),
        ("Яндекс", "Яндкс", "п. 2.1: «Яндекс» заменено на «Яндкс»"),  # a name inside a sentence
        ("yandex.ru", "yandex.com", "п. 2.1: «https://metrika.yandex.ru/.» заменено на «https://metrika.yandex.com/.»"),
        ("транспортной компании", "курьерской службе", None),
        ("- телефон.", "- телефон;\n- почта.", "п. 1.2: изменено число пунктов списка"),
        ("- имя;\n- телефон.", "- телефон;\n- имя.", None),
        ("30 дней. Потом", "30 дней, потом", "п. 1.2: изменено число предложений"),
        ("1.2. Данные", "1.3. Данные", "п. 1.3: п. 1.2 стал п. 1.3"),
        ("## 2. Cookies", "## 2. Cookies\n\n2.0. Новый пункт.", None),
        ("\n1.2. Данные хранятся 30 дней. Потом их удаляют.\n\n- имя;\n- телефон.\n", "", None),
        # One or two letters, but another word, often the opposite: a prefix, or another first letter.
        ("Потом их удаляют.", "Потом их неудаляют.", "п. 1.2: «удаляют.» заменено на «неудаляют.»"),
        ("транспортной", "нетранспортной", None),
        ("Потом их удаляют.", "Потом их сдаляют.", None),
    ],
)
def test_a_clause_item_sentence_number_name_or_word_added_removed_or_moved_is_substantive(old, new, reason):
    assert old in POLICY
    found = substantive_change(POLICY, POLICY.replace(old, new))
    assert found is not None
    if reason is not None:
        assert str(found) == reason


def test_the_reason_names_the_clause_as_a_reader_does():
    found = substantive_change(POLICY, POLICY.replace("компании.", "компании и рекламным партнёрам."))
    assert found is not None and (found.clause, found.what) == ("п. 1.1", "добавлены слова «и рекламным партнёрам.»")


WORDS = st.sampled_from(["данные", "передаются", "компании", "сроки", "хранения", "не", "Яндекс", "30", "дней"])


@given(st.lists(WORDS, min_size=1, max_size=6), st.lists(WORDS, min_size=1, max_size=6))
def test_no_word_is_added_or_removed_under_an_editorial_mark(first, second):
    old = "## 1. Общие\n\n1.1. " + " ".join(first) + ".\n"
    new = "## 1. Общие\n\n1.1. " + " ".join(second) + ".\n"
    if substantive_change(old, new) is None:
        assert len(first) == len(second)
        assert all(a == b or (a.islower() and len(a) >= 4) for a, b in zip(first, second, strict=True))


@given(st.sampled_from(["не", "ни", "без", "бес", "раз", "вы"]), st.data())
def test_a_word_with_letters_put_before_it_is_another_word_never_a_slip(prefix, data):
    """The policy's own clause 1.2 turned around: «несогласия» → «согласия», «допустима» → «недопустима»."""
    text = "# Политика\n\n## 1. Общие\n\n1.1. В случае несогласия с условиями передача данных допустима.\n"
    words = ["несогласия", "условиями", "передача", "данных", "допустима"]
    word = data.draw(st.sampled_from(words))
    changed = word.removeprefix("не") if word.startswith("не") and prefix == "не" else prefix + word
    assert substantive_change(text, text.replace(word, changed)) is not None
