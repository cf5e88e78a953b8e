"""The consent cookie, format 2 (document, consent ID) and format 1 still read: the reference reader."""

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_policy.config import PolicyConfig
from alectro_policy.consent import banner as consent
from alectro_policy.consent import cookie
from support import option_errors

NOW = 1_795_500_000
DAY = 86_400
DOC = cookie.document_key("docs/cookies.md")
ID = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"


def test_format_2_records_the_document_the_edition_and_the_consent_id():
    value = cookie.format_cookie(["analytics"], 3, NOW, document=DOC, consent_id=ID)
    body = f"2.necessary+analytics.{DOC}.3.{NOW}.{ID.replace('-', '')}"
    assert value == f"{body}.{cookie.checksum(body)}"
    assert cookie.parse_cookie(value, now=NOW) == cookie.Consent(("necessary", "analytics"), 3, NOW, 2, DOC, ID)


def test_a_format_1_cookie_is_still_read_as_a_choice_under_the_policy_without_an_id():
    read = cookie.parse_cookie(cookie.format_cookie(["analytics"], 2, NOW), now=NOW)
    assert (read.version, read.document, read.id, read.edition) == (1, None, None, 2)


_CATEGORY = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True).filter(lambda c: c != "necessary")


@settings(max_examples=300, deadline=None)
@given(
    categories=st.lists(_CATEGORY, unique=True, max_size=4),
    edition=st.integers(0, 999_999),
    age=st.integers(0, 364 * 86_400),
    source=st.text(min_size=1, max_size=40),
    consent_id=st.uuids(version=4).map(str),
    data=st.data(),
)
def test_any_choice_round_trips_and_any_edit_of_its_value_is_no_consent(
    categories, edition, age, source, consent_id, data
):
    value = cookie.format_cookie(
        categories, edition, NOW - age, document=cookie.document_key(source), consent_id=consent_id
    )
    read = cookie.parse_cookie(value, now=NOW)
    assert read == cookie.Consent(
        ("necessary", *categories), edition, NOW - age, 2, cookie.document_key(source), consent_id
    )
    at = data.draw(st.integers(0, len(value) - 1))
    replacement = data.draw(st.sampled_from("0123456789abcdefz.+-"))
    edited = value[:at] + replacement + value[at + 1 :]
    if edited != value:
        assert cookie.parse_cookie(edited, now=NOW) is None


def test_the_id_is_checked_when_written():
    with pytest.raises(ValueError):
        cookie.format_cookie([], 1, NOW, document=DOC, consent_id="not-a-uuid")
    assert uuid.UUID(ID).version == 4


def options(**consent_options):
    config = PolicyConfig()
    config.load_dict({"consent": consent_options})
    assert config.validate() == ([], [])
    return config.consent


@pytest.mark.parametrize("url", ["/privacy/consent-log", "/consent", "/a/b-c_d.log"])
def test_a_log_url_is_a_path_on_this_site(url):
    assert consent.build_banner(options(log_url=url), None, None).settings()["log"] == url


@settings(max_examples=200, deadline=None)
@given(
    url=st.one_of(
        st.builds(lambda host: f"//{host}/log", st.from_regex(r"[a-z.]{1,12}", fullmatch=True)),
        st.builds(
            lambda s, rest: f"{s}{rest}",
            st.sampled_from(["https://", "http://", "/\\", "\\\\", "javascript:", " /"]),
            st.text(max_size=12),
        ),
        st.text(max_size=20).filter(lambda t: not t.startswith("/") or t.startswith(("//", "/\\"))),
    )
)
def test_a_log_url_that_could_leave_the_site_is_refused_naming_the_option(url):
    if not url:
        return  # empty: no log, which the option's default already is
    [error] = option_errors({"consent": {"log_url": url}})
    assert error.startswith("consent: Sub-option 'log_url': ") and "is not a path on this site" in error


@pytest.mark.parametrize("url", ["/", "/privacy/consent-log/", "/privacy/"])
def test_a_log_url_nginx_would_not_log_a_folder_is_refused_naming_the_option(url):
    [error] = option_errors({"consent": {"log_url": url}})
    assert error.startswith("consent: Sub-option 'log_url': ") and f"'{url}' ends with '/'" in error


def test_an_empty_cookie_domain_is_this_host_only_as_before():
    assert option_errors({"consent": {"cookie_domain": ""}}) == []
    assert consent.build_banner(options(cookie_domain=""), None, None).settings()["cookie"]["domain"] is None


def test_the_policy_itself_is_not_accepted_as_the_separate_consent_document():
    [error] = option_errors({"documents": ["index.md", "cookies.md"], "consent": {"document": "index.md"}})
    assert "'consent.document' names index.md, the policy itself" in error
    assert option_errors({"documents": ["index.md", "cookies.md"], "consent": {"document": "cookies.md"}}) == []


def test_without_a_log_url_no_log_and_the_policy_is_the_bound_document():
    settings_ = consent.build_banner(options(), None, None).settings()
    assert settings_["log"] is None and settings_["document"]["policy"] is True


# -- format 1: the codec's basics ------------------------------------------------------------------------


def test_cookie_value_is_documented_format_and_reads_back():
    value = cookie.format_cookie(["analytics"], 3, NOW)
    assert value == f"1.necessary+analytics.3.{NOW}.{cookie.checksum(f'1.necessary+analytics.3.{NOW}')}"
    assert cookie.parse_cookie(value, now=NOW) == cookie.Consent(("necessary", "analytics"), 3, NOW, version=1)
    assert cookie.parse_cookie(cookie.format_cookie([], 0, NOW), now=NOW).categories == ("necessary",)


def test_checksum_is_fnv1a_32_in_base36():
    assert cookie.checksum("") == "ztntfp"  # 0x811c9dc5, the FNV offset basis
    assert cookie.checksum("a") == "1r9wi7g"  # 0xe40c292c


def _signed(body):
    return f"{body}.{cookie.checksum(body)}"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "yes",
        f"1.necessary+analytics.3.{NOW}",  # no checksum
        cookie.format_cookie(["analytics"], 3, NOW).replace("analytics", "marketing"),  # tampered
        cookie.format_cookie([], 3, NOW).replace(".3.", ".4."),  # tampered edition
        _signed(f"2.necessary+analytics.3.{NOW}"),  # unknown format version
        _signed(f"1.analytics.3.{NOW}"),  # necessary missing
        _signed(f"1.necessary+analytics+analytics.3.{NOW}"),  # repeated category
        _signed(f"1.necessary+Analytics.3.{NOW}"),
        cookie.format_cookie(["analytics"], 3, NOW - 366 * DAY),  # expired
        cookie.format_cookie(["analytics"], 3, NOW + 2 * DAY),  # from the future
    ],
)
def test_missing_malformed_tampered_unknown_or_expired_cookie_is_no_consent(value):
    assert cookie.parse_cookie(value, lifetime_days=365, now=NOW) is None


@settings(max_examples=300)
@given(
    categories=st.lists(st.sampled_from(["analytics", "ads"]), unique=True),
    edition=st.integers(0, 999_999),
    age=st.integers(-DAY, 365 * DAY),
    position=st.integers(0),
    digit=st.sampled_from("٣۵߁１𝟙"),
)
def test_a_resigned_value_with_a_digit_of_another_script_is_no_consent(categories, edition, age, position, digit):
    """JavaScript's reader (consent.js) takes only ASCII digits; the reference reader must agree."""
    body = cookie.format_cookie(categories, edition, NOW - age).rpartition(".")[0]
    digits = [i for i, c in enumerate(body) if c.isdigit()]
    at = digits[position % len(digits)]
    assert cookie.parse_cookie(_signed(body[:at] + digit + body[at + 1 :]), now=NOW) is None


def test_lifetime_is_configurable():
    value = cookie.format_cookie(["analytics"], 1, NOW - 40 * DAY)
    assert cookie.parse_cookie(value, lifetime_days=30, now=NOW) is None
    assert cookie.parse_cookie(value, lifetime_days=365, now=NOW) is not None
