"""Consent options that would give a broken site are refused with one line naming the option: generated cases."""

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alectro_policy.config import PolicyConfig
from alectro_policy.consent import banner as consent
from support import option_errors

COOKIE_NAMES = st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True)


def options(**consent_options):
    config = PolicyConfig()
    config.load_dict({"consent": consent_options})
    assert config.validate() == ([], [])
    return config.consent


@settings(max_examples=200, deadline=None)
@given(name=COOKIE_NAMES, cut=st.integers(min_value=0, max_value=20), exact=st.booleans())
@example(name="alectro_consent", cut=8, exact=False)  # alectro_*
@example(name="alectro_consent", cut=0, exact=False)  # *
@example(name="alectro_consent", cut=0, exact=True)  # the name itself
def test_a_category_cookie_pattern_matching_the_consent_cookie_is_refused_naming_the_option(name, cut, exact):
    pattern = name if exact else name[:cut] + "*"
    categories = [{"id": "analytics", "title": "Аналитика", "cookies": ["_ga", pattern]}]
    [error] = option_errors({"consent": {"cookie_name": name, "categories": categories}})
    assert re.fullmatch(
        rf"consent: Sub-option 'categories': the category 'analytics' .*'{re.escape(pattern)}'.*'{name}' itself.*",
        error,
    )


@settings(max_examples=200, deadline=None)
@given(name=COOKIE_NAMES, pattern=COOKIE_NAMES | COOKIE_NAMES.map(lambda prefix: prefix + "*"))
def test_patterns_that_do_not_match_the_consent_cookie_are_kept(name, pattern):
    if pattern == name or (pattern.endswith("*") and name.startswith(pattern[:-1])):
        return  # the case above
    categories = [{"id": "analytics", "title": "Аналитика", "cookies": [pattern]}]
    banner = consent.build_banner(options(cookie_name=name, categories=categories), None, None)
    assert banner.settings()["cookies"] == {"analytics": [pattern]}


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30) | st.integers(min_value=-10, max_value=10**30).map(str))
@example(text="1" * 26)
@example(text="012345678")
@example(text="0")
@example(text="١٢٣")  # Arabic-Indic digits: str.isdigit() says yes
def test_a_metrica_counter_is_a_plausible_counter_number_or_refused_with_the_rule(text):
    try:
        banner = consent.build_banner(options(), None, text)
    except consent.ConsentError as error:
        assert "at most 12 digits, without a leading zero" in str(error) and "$YANDEX_METRICA_ID" in str(error)
        assert not (
            text.strip().isascii() and text.strip().isdigit() and text.strip()[0] != "0" and len(text.strip()) <= 12
        )
        return
    if not text.strip():
        assert banner.metrica_counter is None
        return
    assert str(banner.metrica_counter) == text.strip() and 1 <= banner.metrica_counter < 10**12
    # The page carries it as JSON: an exact integer in JavaScript, not 1e26.
    assert banner.metrica_counter < 2**53


def test_categories_that_could_make_a_log_query_longer_than_nginx_logs_are_refused_only_with_a_log_url():
    many = [{"id": f"category-{n:03d}-" + "x" * 40, "title": "Т", "description": "О"} for n in range(40)]
    with pytest.raises(consent.ConsentError, match=r"consent: a choice sent to consent\.log_url could make a query"):
        consent.build_banner(options(categories=many, log_url="/privacy/consent-log"), None, None)
    assert consent.build_banner(options(categories=many), None, None).longest_log_query() > consent.LOG_QUERY_LIMIT
    few = consent.build_banner(options(log_url="/privacy/consent-log"), None, None)
    assert few.longest_log_query() < consent.LOG_QUERY_LIMIT
