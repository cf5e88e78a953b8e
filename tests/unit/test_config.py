"""Options are refused when the config loads (config.py), so `make build` and `make changes` give the same error
before git is read: one line naming the option and the fix."""

import pytest

from support import option_errors


@pytest.mark.parametrize(
    ("consent", "error"),
    [
        (
            {"categories": [{"id": "Analytics", "title": "A"}]},
            "consent: Sub-option 'categories': Sub-option 'id': 'Analytics' is not a usable id",
        ),
        (
            {"categories": [{"id": "necessary", "title": "N"}]},
            "consent: Sub-option 'categories': the id 'necessary' is built in",
        ),
        (
            {"categories": [{"id": "a", "title": "A"}, {"id": "a", "title": "B"}]},
            "consent: Sub-option 'categories': the id 'a' is used twice",
        ),
        ({"cookie_name": "my cookie"}, "consent: Sub-option 'cookie_name': 'my cookie' cannot be a cookie name"),
        ({"cookie_days": 0}, "consent: Sub-option 'cookie_days': a choice must last at least one day"),
        ({"cookie_clause": "2.2"}, "consent: Sub-option 'cookie_clause': '2.2' names no clause: write words of the"),
    ],
)
def test_unusable_consent_options_are_refused_when_the_config_loads_naming_the_option(consent, error):
    [found] = option_errors({"consent": consent})
    assert found.startswith(error)


@pytest.mark.parametrize(
    "domain", ["</script><script>alert(1)</script>", "alectro.ru; Secure", "alectro.ru/privacy", "Алектро.рф"]
)
def test_a_cookie_domain_that_is_no_domain_name_is_refused_naming_the_option(domain):
    [found] = option_errors({"consent": {"cookie_domain": domain}})
    assert found.startswith(f"consent: Sub-option 'cookie_domain': '{domain}' is not a domain name")


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"consent": {"document": "cookies.md"}}, "consent: 'consent.document' names cookies.md, which 'documents'"),
        ({"first_published": {"terms.md": "abc1234"}}, "first_published: 'first_published' names terms.md, which"),
        (
            {"edition_dates": [{"document": "terms.md", "edition": 1, "date": "2026-01-01"}]},
            "edition_dates: 'edition_dates' names terms.md, which 'documents' does not list (index.md)",
        ),
    ],
)
def test_an_option_naming_a_document_that_documents_does_not_list_is_refused_when_the_config_loads(options, error):
    [found] = option_errors(options)
    assert found.startswith(error) and "add it to 'documents'" in found


def test_options_naming_listed_documents_are_accepted():
    assert (
        option_errors(
            {
                "documents": ["index.md", "cookies.md"],
                "consent": {"document": "cookies.md"},
                "first_published": {"index.md": "abc1234"},
                "edition_dates": [{"document": "cookies.md", "edition": 1, "date": "2026-01-01"}],
            }
        )
        == []
    )


@pytest.mark.parametrize("spelling", ["20261124", "2026-W48-2"])
def test_an_edition_date_correction_spelled_other_than_yyyy_mm_dd_is_refused(spelling):
    # Both are dates to date.fromisoformat; the message asks for YYYY-MM-DD, so only that is accepted.
    [found] = option_errors({"edition_dates": [{"document": "index.md", "edition": 1, "date": spelling}]})
    assert found.startswith(f"edition_dates: Sub-option 'date': '{spelling}': it is not a date written as YYYY-MM-DD")


@pytest.mark.parametrize(
    ("written", "read"),
    [("p2.2", "p2.2"), ("#p4.3", "p4.3"), ("  информация  из\ncookies ", "информация из cookies")],
)
def test_the_cookie_clause_is_an_anchor_or_words_of_the_clause(written, read):
    from alectro_policy.plugin import PolicyPlugin

    plugin = PolicyPlugin()
    errors, _ = plugin.load_config({"consent": {"cookie_clause": written}})
    assert errors == [] and plugin.config.consent.cookie_clause == read
