"""A choice holds beyond one page: read again from the cookie in a stale tab, focus kept for the keyboard,
the banner's own elements found whatever ids the policy's headings take, and the page's reader agreeing with
the reference reader on every cookie value."""

from __future__ import annotations

import string
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alectro_policy.consent import cookie
from support import GitRepo, build_site, wait_for_instant_navigation

pytestmark = pytest.mark.browser

COUNTER = "87654321"
NOW = 1_795_500_000
DAY = 86_400

CONFIG = """\
site_name: Test
site_url: https://alectro.ru/privacy/
theme:
  name: material
  language: ru
  font: false
  features: [navigation.instant]
nav:
  - index.md
  - other.md
  - headings.md
plugins:
  - alectro-policy
"""

OTHER = """# Другая страница

Страница с подключаемыми скриптами.

<script type="text/plain" data-consent-category="analytics">window.gatedInline = (window.gatedInline || 0) + 1;</script>
"""

# Headings whose text slugifies to the banner's own ids, before the banner's elements in the page.
HEADINGS = """# Заголовки

## Alectro consent settings

Текст.

## Alectro consent

Текст.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, serve_under_privacy):
    """Edition 1, Metrica and instant navigation on; a page with gated scripts, one with clobbering headings."""
    repo = GitRepo.new(tmp_path_factory.mktemp("holds") / "project", CONFIG)
    repo.write(
        "docs/index.md", "# Политика конфиденциальности\n\n1.1. Общие положения.\n\n2.2. Сайт получает cookies.\n"
    )
    repo.write("docs/other.md", OTHER)
    repo.write("docs/headings.md", HEADINGS)
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("YANDEX_METRICA_ID", COUNTER)
        return serve_under_privacy(build_site(repo.root / "mkdocs.yml", tmp_path_factory.mktemp("holds-site") / "site"))


def granted(categories):
    return cookie.format_cookie(categories, 1, int(time.time()))


HITS = "window.ym.a.filter(call => call[1] === 'hit').length"


def test_a_tab_opened_before_a_withdrawal_in_another_tab_stops_counting_and_running_gated_scripts(open_site, site):
    seen = open_site(site, cookies={"alectro_consent": granted(["analytics"])})
    stale = seen.page
    stale.wait_for_function("window.metricaLoads === 1")
    stale.evaluate("window.samePage = true")

    other = stale.context.new_page()
    other.goto(site)
    other.wait_for_function("window.metricaLoads === 1")
    other.get_by_role("link", name="Настройки cookies").click()
    other.get_by_role("region", name="Согласие на cookies").get_by_role("button", name="Только необходимые").click()
    assert cookie.parse_cookie(seen.cookie()).categories == ("necessary",)

    hits = stale.evaluate(HITS)
    wait_for_instant_navigation(stale)
    stale.locator(".md-nav__link", has_text="Другая страница").first.click()
    stale.locator("article h1", has_text="Другая страница").wait_for()
    # Either the page's gated script ran (the stale choice was trusted) or the counter was switched off.
    stale.wait_for_function(f"window.gatedInline || window.disableYaCounter{COUNTER}")
    assert stale.evaluate("window.samePage") is True  # swapped in, not loaded
    assert stale.evaluate("window.gatedInline") is None
    assert stale.evaluate(HITS) == hits
    assert stale.evaluate(f"window.disableYaCounter{COUNTER}") is True
    assert stale.evaluate("alectroConsent.has('analytics')") is False
    assert set(seen.foreign_requests()) == {"https://mc.yandex.ru/metrika/tag.js"}
    assert seen.errors == []


def tab_to(page, label: str) -> None:
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == label:
            return
    raise AssertionError(f"Tab never reached «{label}»")


FIRST_IN_CONTENT = """() => document.querySelector('article')
    .querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')"""


@pytest.mark.parametrize("choice", ["Принять все", "Только необходимые"])
def test_after_choosing_on_arrival_keyboard_focus_goes_on_from_the_start_of_the_content(open_site, site, choice):
    seen = open_site(site)
    page = seen.page
    seen.banner().wait_for()
    tab_to(page, choice)
    page.keyboard.press("Enter")
    seen.banner().wait_for(state="hidden")
    assert page.evaluate("document.activeElement.tagName") == "ARTICLE"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "none"  # a place, not a control
    page.keyboard.press("Tab")
    assert page.evaluate(f"document.activeElement === ({FIRST_IN_CONTENT})()")
    assert seen.errors == []


def test_after_choosing_in_reopened_settings_keyboard_focus_returns_to_the_link_that_opened_them(open_site, site):
    seen = open_site(site, cookies={"alectro_consent": granted([])})
    page = seen.page
    page.get_by_role("link", name="Настройки cookies").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "alectro-consent-analytics"
    tab_to(page, "Принять все")
    page.keyboard.press("Enter")
    seen.banner().wait_for(state="hidden")
    page.wait_for_function("window.metricaLoads === 1")
    assert page.evaluate("document.activeElement.textContent") == "Настройки cookies"
    assert page.url == site  # instant navigation did not follow the link to the cookie clause
    assert seen.errors == []


def test_headings_with_the_banners_ids_earlier_in_the_page_leave_the_banner_working(open_site, site):
    seen = open_site(site + "headings/")
    page = seen.page
    assert page.locator("h2#alectro-consent-settings").count() == 1
    assert page.locator("h2#alectro-consent").count() == 1
    seen.banner().get_by_role("button", name="Принять все").click()
    page.wait_for_function("window.metricaLoads === 1")
    assert cookie.parse_cookie(seen.cookie()).categories == ("necessary", "analytics")
    assert seen.errors == []


# -- the page's reader and the reference reader --------------------------------------------------------

# Cookie octets (RFC 6265: no space, quote, comma, semicolon or backslash), and digits other scripts write.
OCTETS = "".join(c for c in string.printable[:94] if c not in '",;\\')
OTHER_DIGITS = (
    "٣۵߁１"  # Arabic-Indic, Extended Arabic-Indic, N'Ko, fullwidth: digits to Python's \d, not to JavaScript's
)
CATEGORY = st.sampled_from(["analytics", "ads", "a", "x_1-y", "necessary"])


@st.composite
def cookie_values(draw):
    categories = draw(st.lists(CATEGORY, max_size=3))
    edition = draw(st.integers(0, 3) | st.integers(0, 999_999))
    age = draw(st.sampled_from([-DAY - 1, -DAY, 0, 365 * DAY, 365 * DAY + 1]) | st.integers(-3 * DAY, 400 * DAY))
    value = cookie.format_cookie(categories, edition, NOW - age)
    if categories and draw(st.booleans()):
        value = value.replace("necessary+", "", 1)  # a body without «necessary» first, its checksum recomputed
        value = value.rpartition(".")[0]
        value += "." + cookie.checksum(value)
    mutation = draw(st.sampled_from(["none", "replace", "insert", "delete", "digit", "noise"]))
    at = draw(st.integers(0, len(value)))
    char = draw(st.sampled_from(OCTETS) | st.sampled_from(OTHER_DIGITS))
    if mutation == "replace":
        value = value[:at] + char + value[at + 1 :]
    elif mutation == "insert":
        value = value[:at] + char + value[at:]
    elif mutation == "delete":
        value = value[:at] + value[at + 1 :]
    elif mutation == "digit":
        digits = [i for i, c in enumerate(value) if c.isdigit()]
        at = digits[at % len(digits)]
        value = value[:at] + draw(st.sampled_from(OTHER_DIGITS)) + value[at + 1 :]
    elif mutation == "noise":
        value = draw(st.text(OCTETS + OTHER_DIGITS, max_size=40))
    if "." in value and draw(st.booleans()):
        # Re-signed, as a script rewriting the value would: only the format can refuse it.
        body = value.rpartition(".")[0]
        value = f"{body}.{cookie.checksum(body)}"
    return value


READ_ALL = """values => values.map(value => {
  document.cookie = 'alectro_consent=; Path=/; Max-Age=0';
  document.cookie = 'alectro_consent=' + value + '; Path=/';
  const pair = document.cookie.split('; ').find(pair => pair.startsWith('alectro_consent='));
  const choice = alectroConsent.get();
  return [
    pair ? pair.slice('alectro_consent='.length) : null,
    choice && [choice.categories, choice.edition, choice.time],
  ];
})"""


@pytest.fixture
def reader_page(open_site, site):
    seen = open_site(site + "other/")
    seen.page.clock.set_fixed_time(NOW)
    seen.page.route("**/*", lambda route: route.abort())  # nothing the reader does may load anything
    return seen.page


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(cookie_values(), min_size=1, max_size=40))
def test_the_pages_reader_agrees_with_the_reference_reader_on_any_cookie_value(reader_page, values):
    for value, (held, read) in zip(values, reader_page.evaluate(READ_ALL, values), strict=False):
        reference = cookie.parse_cookie(held, now=NOW) if held is not None else None
        expected = (
            reference and reference.edition >= 1 and [list(reference.categories), reference.edition, reference.time]
        )
        assert read == (expected or None), (value, held)
