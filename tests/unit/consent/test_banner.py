"""The consent banner's pure parts: options → banner, the template's escaping."""

import pytest
from jinja2 import Environment, PackageLoader, select_autoescape

from alectro_policy.config import PolicyConfig
from alectro_policy.consent import banner as consent


def options(**consent_options):
    config = PolicyConfig()
    config.load_dict({"consent": consent_options})
    errors, warnings = config.validate()
    assert (errors, warnings) == ([], [])
    return config.consent


def Edition(**changes) -> consent.BoundDocument:  # noqa: N802 (reads as the thing it makes)
    """The policy, bound: edition 3 changed it in substance, edition 4 (editorial) is in force."""
    fields = {
        "source": "docs/index.md",
        "title": "Политика конфиденциальности",
        "is_policy": True,
        "consent_edition": 3,
        "current_edition": 4,
        "current_date_text": "1 декабря 2026 г.",
        "current_sha256": "ab" * 32,
        "text_url": "editions/4/",
        "changes_url": "editions/3/changes/",
    }
    return consent.BoundDocument(**{**fields, **changes})


def render(banner, page_url=""):
    env = Environment(
        loader=PackageLoader("alectro_policy.consent", "templates"), autoescape=select_autoescape(default=True)
    )
    return env.get_template("consent.html").render(banner.page_context(page_url))


# -- options --------------------------------------------------------------------------------------------


def test_default_options_give_necessary_and_analytics_a_year_long_cookie_and_metrica_from_the_environment():
    defaults = options()
    assert [category.id for category in defaults.categories] == ["analytics"]
    assert (defaults.cookie_name, defaults.cookie_domain, defaults.cookie_days) == ("alectro_consent", None, 365)
    assert (defaults.metrica_counter_env, defaults.metrica_category) == ("YANDEX_METRICA_ID", "analytics")
    assert defaults.cookie_clause == "p2.2"
    banner = consent.build_banner(defaults, None, None)
    assert [(c.id, c.required) for c in banner.categories] == [("necessary", True), ("analytics", False)]
    assert banner.bound is None and banner.settings()["edition"] == 0 and banner.metrica_counter is None


def test_metrica_counter_joins_its_category_with_its_service_and_cookies():
    banner = consent.build_banner(options(), Edition(), " 12345678 ")
    analytics = banner.optional[0]
    assert banner.metrica_counter == 12345678
    assert analytics.services == ("Яндекс Метрика",)
    assert analytics.cookies == ("_ym*",)
    settings = banner.settings()
    assert settings["metrica"] == {"counter": 12345678, "category": "analytics"}
    assert settings["cookies"] == {"analytics": ["_ym*"]}
    assert settings["edition"] == 3


@pytest.mark.parametrize(
    "consent_options, counter, message",
    [
        ({}, "12a45", r"counter '12a45' \(from \$YANDEX_METRICA_ID\) is not a number"),
        ({"metrica_category": "stats"}, "123", "metrica_category: 'stats' is not one of consent.categories"),
    ],
)
def test_an_unusable_metrica_counter_or_its_category_is_refused_at_build_time_naming_it(
    consent_options, counter, message
):
    with pytest.raises(consent.ConsentError, match=message):
        consent.build_banner(options(**consent_options), None, counter)


@pytest.mark.parametrize(
    "page_url, root", [("", "."), ("index.html", "."), ("editions/", ".."), ("editions/3/changes/", "../../..")]
)
def test_links_are_relative_to_the_page_so_the_site_works_under_a_sub_path(page_url, root):
    context = consent.build_banner(options(), Edition(), None).page_context(page_url)
    assert context["policy_href"] == f"{root}/"
    assert context["clause_href"] == f"{root}/#p2.2"
    assert context["changes_href"] == f"{root}/editions/3/changes/"
    assert context["script_href"].startswith(f"{root}/assets/alectro-policy/consent.js?v=")


def test_footer_link_leads_to_the_cookie_clause_without_javascript():
    banner = consent.build_banner(options(cookie_clause="#p7.1"), None, None)
    assert banner.footer_link("..") == {"href": "../#p7.1", "text": "Настройки cookies"}


# -- the template ------------------------------------------------------------------------------------


def test_configured_strings_are_escaped_in_the_banner_and_its_json():
    hostile = '<img src=x onerror="alert(1)">'
    banner = consent.build_banner(
        options(
            message=hostile,
            categories=[
                {
                    "id": "analytics",
                    "title": hostile,
                    "description": hostile,
                    "services": [hostile],
                    "cookies": ["</script><script>alert(1)</script>"],
                },
            ],
        ),
        None,
        None,
    )
    html = render(banner)
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;") == 4
    assert "</script><script>" not in html


@pytest.mark.parametrize("domain", ["alectro.ru", ".alectro.ru", "www.alectro.ru", "127.0.0.1"])
def test_a_domain_name_is_a_usable_cookie_domain(domain):
    assert consent.build_banner(options(cookie_domain=domain), None, None).settings()["cookie"]["domain"] == domain


def test_banner_names_the_new_edition_and_links_its_changes_and_the_cookie_clause():
    html = render(consent.build_banner(options(), Edition(), None), "editions/")
    text = " ".join(html.split())
    # The edition in force (4, editorial) is named; the link shows what edition 3 changed in substance.
    assert 'Действует редакция № 4 от 1 декабря 2026 г. (<a href="../editions/3/changes/">что изменилось</a>)' in text
    assert '<a href="../#p2.2">пункт 2.2</a>' in text
    for label in ("Принять все", "Только необходимые", "Настроить"):
        assert f">{label}</button>" in html


def test_without_a_changes_link_the_new_edition_sentence_ends_with_one_full_stop():
    text = " ".join(render(consent.build_banner(options(), Edition(changes_url=None), None)).split())
    assert "Действует редакция № 4 от 1 декабря 2026 г. Подтвердите, пожалуйста, ваш выбор." in text
    assert "г.." not in text


def test_the_date_of_a_choice_is_shown_in_the_site_s_time_zone():
    assert consent.build_banner(options(), None, None, timezone="Asia/Vladivostok").settings()["timezone"] == (
        "Asia/Vladivostok"
    )


def test_no_inline_metrica_code_on_the_page_only_the_counter_for_consent_js():
    # consent.js loads tag.js itself after consent: an inline snippet would need 'unsafe-inline' in the CSP.
    assert "metrica" not in render(consent.build_banner(options(), None, None)).replace('"metrica": null', "")
    html = render(consent.build_banner(options(), None, "87654321"))
    assert "mc.yandex.ru" not in html
    assert '"metrica": {"category": "analytics", "counter": 87654321}' in html
    assert '<script type="text/plain"' not in html
