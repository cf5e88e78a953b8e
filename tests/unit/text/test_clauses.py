import markdown
import pytest

from alectro_policy.text.clauses import ClauseAnchorsExtension, clause_anchor, clause_with_words


def render(text: str) -> str:
    return markdown.markdown(text, extensions=[ClauseAnchorsExtension(), "toc"])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "1.1. Текст пункта.",
            '<p id="p1.1"><a class="clause-anchor" href="#p1.1" title="Ссылка на пункт 1.1">1.1.</a> Текст пункта.</p>',
        ),
        (
            "6.3. Пользователю **рекомендуется**.",
            '<p id="p6.3"><a class="clause-anchor" href="#p6.3" title="Ссылка на пункт 6.3">6.3.</a> '
            "Пользователю <strong>рекомендуется</strong>.</p>",
        ),
        (
            "10.12.3. Вложенный пункт.",
            '<p id="p10.12.3"><a class="clause-anchor" href="#p10.12.3" title="Ссылка на пункт 10.12.3">10.12.3.</a> '
            "Вложенный пункт.</p>",
        ),
    ],
)
def test_numbered_paragraph_gets_anchor_and_self_link(source, expected):
    assert render(source) == expected


@pytest.mark.parametrize("source", ["Обычный абзац 1.1. в середине.", "1.1.Без пробела", "2024 год."])
def test_paragraph_without_leading_clause_number_is_left_alone(source):
    assert "id=" not in render(source)


def test_numbered_section_heading_gets_section_anchor_which_toc_keeps():
    html = render("## 2. Персональная информация пользователей")
    assert html == '<h2 id="p2">2. Персональная информация пользователей</h2>'


def test_clause_anchor_format():
    assert clause_anchor("4.3") == "p4.3"


WORDED = (
    "# Политика\n\n## 2. Данные\n\n2.1. Имя и телефон.\n\n2.2. Сайт использует Cookies\nдля статистики:\n\n"
    "- посещений.\n"
)


@pytest.mark.parametrize("words", ["cookies для", "использует  cookies для статистики", "посещений", "Данные"])
def test_a_clause_is_found_by_words_it_contains_whatever_the_case_spacing_or_its_list(words):
    assert clause_with_words(WORDED, words).key == ("p2" if words == "Данные" else "p2.2")


def test_words_in_no_clause_or_in_two_are_refused_naming_the_clauses():
    with pytest.raises(
        ValueError, match=r"no numbered clause contains the words 'хранит' \(the text has разд. 2, п\. 2\.1, п\. 2\.2\)"
    ):
        clause_with_words(WORDED, "хранит")
    with pytest.raises(ValueError, match=r"the words 'сайт' are in"):
        clause_with_words(WORDED + "\n2.3. Сайт хранит заказы.\n", "сайт")
