import markdown
import pytest

from alectro_policy.safe_links import SafeLinksExtension, is_own_image, is_safe_link


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
    ],
)
def test_only_web_mail_phone_and_relative_links_are_safe(url, safe):
    assert is_safe_link(url) is safe


@pytest.mark.parametrize(
    "url, own",
    [("img/logo.png", True), ("/privacy/logo.png", True), ("https://cdn.example/x.png", False), ("//cdn.example/x.png", False)],
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
