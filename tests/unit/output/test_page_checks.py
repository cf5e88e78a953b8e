"""What a rendered policy page holds, and the problems that refuse a broken site: the banner's clause missing, a
current text or draft with no text or no numbered clause, a clause number given twice. No MkDocs build."""

from hypothesis import given
from hypothesis import strategies as st

from alectro_policy.output import page_checks
from support import published

TEXT = "# Политика\n\n1.1. Пункт.\n"


def clause(number: str, text: str = "Пункт.") -> str:
    return f'<p id="p{number}"><a class="clause-anchor" href="#p{number}">{number}.</a> {text}</p>'


PAGE = (
    '<h1 id="politika">Политика</h1>\n<h2 id="p2">2. Cookies</h2>\n'
    + clause("2.1")
    + "\n"
    + clause("2.2", "Сайт использует&nbsp;<em>cookies</em>.")
)


def test_a_page_s_facts_are_its_ids_in_order_its_numbered_clauses_and_its_words_spaces_collapsed():
    facts = page_checks.page_facts(PAGE)
    assert facts.ids == ["politika", "p2", "p2.1", "p2.2"]
    assert facts.clause_anchors == 2
    # Words part at every element («cookies .»): the checks ask only whether there are any.
    assert facts.text == "Политика 2. Cookies 2.1. Пункт. 2.2. Сайт использует cookies ."
    assert page_checks.clause_ids(facts) == ["p2", "p2.1", "p2.2"]


@given(words=st.lists(st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8), max_size=12))
def test_the_text_is_the_words_a_reader_sees_whatever_the_markup_between_them(words):
    html = "".join(f"<span>{word}</span>\n <b> </b>" for word in words)
    assert page_checks.page_facts(html).text == " ".join(words)


def test_a_cookie_clause_the_page_lacks_is_named_with_the_anchors_it_has_and_the_option_to_change():
    facts = page_checks.page_facts(PAGE)
    assert page_checks.missing_cookie_clause(facts, "p2.2", "docs/index.md") is None
    problem = page_checks.missing_cookie_clause(facts, "p7.1", "docs/index.md")
    assert problem is not None
    assert problem.startswith("mkdocs.yml: the option consent.cookie_clause of the alectro-policy plugin is 'p7.1'")
    assert "docs/index.md has no element with that id" in problem and problem.endswith("(the page has p2, p2.1, p2.2).")


def test_an_emptied_current_text_or_one_without_clauses_is_refused_unless_the_document_has_none_by_design():
    history = published("index.md", TEXT).editions_of
    assert page_checks.policy_page_problems(PAGE, "docs/index.md", history, None, anchored=True) == []
    (empty,) = page_checks.policy_page_problems("<p> </p>", "docs/index.md", history, None, anchored=True)
    assert empty.startswith("docs/index.md: edition 1 (commit 0000000000), the current one, has no text")
    assert "Restore the text and commit it as a new commit" in empty
    (no_clause,) = page_checks.policy_page_problems("<p>Текст.</p>", "docs/index.md", history, None, anchored=True)
    assert "has no numbered clause (such as '1.1. …')" in no_clause and "'without_clauses'" in no_clause
    assert page_checks.policy_page_problems("<p>Текст.</p>", "docs/index.md", history, None, anchored=False) == []


def test_a_draft_is_checked_as_the_draft_not_as_the_edition_in_force():
    history = published("index.md", TEXT, draft="# Политика\n").editions_of
    (problem,) = page_checks.policy_page_problems("<p> </p>", "docs/index.md", history, None, anchored=True)
    assert problem.startswith("docs/index.md: the draft of edition 2 (docs/index.md as it is now) has no text")


def test_clause_numbers_given_twice_are_named_with_their_counts():
    page = PAGE + clause("2.1") + clause("2.1") + '<h2 id="p2">2. Снова</h2>'
    history = published("index.md", TEXT).editions_of
    (problem,) = page_checks.policy_page_problems(page, "docs/index.md", history, None, anchored=True)
    assert problem.startswith("docs/index.md: clause numbers repeat (2 (2 times), 2.1 (3 times))")
    assert "(#p2)" in problem
    # A document without clause numbering of its own may repeat what looks like one.
    assert page_checks.policy_page_problems(page, "docs/index.md", history, None, anchored=False) == []


def test_a_page_that_is_neither_a_document_nor_the_banner_s_clause_is_not_checked():
    assert page_checks.policy_page_problems("", "docs/delivery.md", None, None, anchored=True) == []
    (problem,) = page_checks.policy_page_problems(PAGE, "docs/index.md", None, "p9.9", anchored=True)
    assert "'p9.9'" in problem
