import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_policy.text.safe_links import SafeLinksExtension, is_own_image, is_safe_link


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://alectro.ru/", True),
        ("http://example.org/a", True),
        ("mailto:info@alectro.ru", True),
        ("tel:+78001234567", True),
        ("#p2.1", True),
        ("editions/", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox", False),
        ("\x01\x1fjava\nscript:alert(1)", False),
        ("http://[", False),
    ],
)
def test_only_web_mail_phone_and_relative_links_are_safe(url, safe):
    assert is_safe_link(url) is safe


@pytest.mark.parametrize(
    "url, own",
    [
        ("img/logo.png", True),
        ("/privacy/logo.png", True),
        ("../../logo.png", True),
        ("https://cdn.example/x.png", False),
        ("//cdn.example/x.png", False),
        ("/\\evil.example/a.png", False),
        ("\\\\evil.example/a.png", False),
        ("\t/\n/evil.example/a.png", False),
        (" \x00//evil.example/a.png", False),
        ("http:evil.example/a.png", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_only_images_from_the_site_itself_are_shown(url, own):
    assert is_own_image(url) is own


def test_unsafe_links_and_foreign_images_become_text_and_are_reported():
    extension = SafeLinksExtension()
    html = markdown.markdown(
        "См. [п. 2.1](#p2.1), [сайт](https://alectro.ru/), [клик](javascript:alert(5)) и ![логотип](https://cdn.example/l.png).",
        extensions=[extension],
    )
    assert '<a href="#p2.1">п. 2.1</a>' in html and '<a href="https://alectro.ru/">сайт</a>' in html
    assert "javascript" not in html and "cdn.example" not in html
    assert "<span>клик</span>" in html and "<span>логотип</span>" in html
    assert extension.found == ["link «клик» to javascript:alert(5)", "image «логотип» from https://cdn.example/l.png"]


def test_entity_and_backslash_spellings_in_markdown_are_judged_as_the_browser_reads_them():
    extension = SafeLinksExtension()
    html = markdown.markdown(
        "[a](&#106;avascript:alert(1)) [b](&#x4A;AVASCRIPT&colon;alert(2)) "
        "![c](/\\\\evil.example/c.png) ![d](/&#92;evil.example/d.png)",
        extensions=[extension],
    )
    assert html == "<p><span>a</span> <span>b</span> <span>c</span> <span>d</span></p>"
    assert extension.found == [
        "link «a» to javascript:alert(1)",
        "link «b» to JAVASCRIPT:alert(2)",
        "image «c» from /\\evil.example/c.png",
        "image «d» from /\\evil.example/d.png",
    ]


# Spellings a browser may read as another host: separators it treats as "/" and characters it drops.
_DROPPED = st.sampled_from(["", "\t", "\n", "\r"])
_SLASH = st.sampled_from(["/", "\\"])
_AROUND = st.text(alphabet="".join(map(chr, range(0x21))), max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    _AROUND,
    st.lists(st.tuples(_SLASH, _DROPPED), min_size=2, max_size=4),
    st.sampled_from(["", "http:", "HTTPS:", "hTtP:"]),
)
def test_a_host_after_two_slashes_of_any_spelling_is_never_an_own_image(prefix, slashes, scheme):
    url = prefix + scheme + "".join(slash + dropped for slash, dropped in slashes) + "evil.example/a.png"
    assert not is_own_image(url)


@settings(max_examples=300, deadline=None)
@given(_AROUND, st.sampled_from(["javascript", "vbscript", "data"]), st.data())
def test_a_script_scheme_in_any_case_with_dropped_characters_is_never_a_safe_link(prefix, scheme, data):
    spelled = "".join(data.draw(st.sampled_from([c.lower(), c.upper()])) + data.draw(_DROPPED) for c in scheme)
    assert not is_safe_link(prefix + spelled + ":alert(1)")
