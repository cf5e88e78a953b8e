"""Policy mode: whatever the policy's text holds, the page gets no element or attribute beyond the allowlist."""

import re
import xml.etree.ElementTree as etree

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from alectro_policy.text.clauses import ClauseAnchorsExtension
from alectro_policy.text.policy_markdown import PolicyMarkdownExtension, PolicyPage
from alectro_policy.text.safe_links import SafeLinksExtension

# What a policy page may hold, written out independently of the plugin's table: tag → attribute → value pattern.
TEXT_ALIGN = r"text-align: (left|right|center);"
EXPECTED = {
    "p": {"id": r"p\d+(\.\d+)*"},
    "a": {"href": r".*", "title": r".*", "class": r"clause-anchor|headerlink"},
    "img": {"src": r".*", "alt": r".*", "title": r".*"},
    **{f"h{n}": {"id": r".*"} for n in range(1, 7)},
    "ol": {"start": r"\d+"},
    "th": {"style": TEXT_ALIGN},
    "td": {"style": TEXT_ALIGN},
    "code": {"class": r"language-[\w+#.-]+"},
    **{
        tag: {}
        for tag in (
            "span",
            "em",
            "strong",
            "pre",
            "ul",
            "li",
            "blockquote",
            "hr",
            "br",
            "table",
            "thead",
            "tbody",
            "tr",
        )
    },
}


def render(text: str, *extra) -> tuple[BeautifulSoup, PolicyPage]:
    """Render ``text`` as MkDocs renders a policy page of this site: its extensions, then the plugin's."""
    policy = PolicyMarkdownExtension()
    policy.page = PolicyPage()
    md = markdown.Markdown(
        extensions=[
            "toc",
            "tables",
            "fenced_code",
            "attr_list",
            *extra,
            ClauseAnchorsExtension(),
            SafeLinksExtension(),
            policy,
        ],
        extension_configs={"toc": {"permalink": "#"}},
    )
    return BeautifulSoup(md.convert(text), "html.parser"), policy.page


def beyond_allowlist(soup: BeautifulSoup) -> list[str]:
    problems = []
    for element in soup.find_all(True):
        allowed = EXPECTED.get(element.name)
        if allowed is None:
            problems.append(f"<{element.name}>")
            continue
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name not in allowed or not re.fullmatch(allowed[name], value):
                problems.append(f"<{element.name} {name}={value!r}>")
    return problems


def test_inline_code_shows_a_less_than_sign_as_written():
    soup, _ = render("1.1. Если `a<b`, то `b>a` и `&lt;`.")
    assert [code.get_text() for code in soup.select("code")] == ["a<b", "b>a", "&lt;"]


def test_an_email_address_in_angle_brackets_is_a_mailto_link():
    soup, _ = render("1.1. Пишите на <info@alectro.ru> или <https://alectro.ru>.")
    links = soup.select("a:not(.clause-anchor)")
    assert [(a["href"], a.get_text()) for a in links] == [
        ("mailto:info@alectro.ru", "info@alectro.ru"),
        ("https://alectro.ru", "https://alectro.ru"),
    ]


def test_raw_html_in_a_policy_is_shown_as_text():
    payload = '<script>alert(1)</script> <img src=x onerror=alert(2)> <b onclick="alert(3)">жирный</b>'
    soup, _ = render(f"1.1. Текст {payload}\n\n<div onmouseover=alert(4)>блок</div>\n")
    assert soup.select("script, img, b, div") == []
    assert payload in soup.get_text() and "<div onmouseover=alert(4)>блок</div>" in soup.get_text()


def test_attribute_lists_are_text_and_put_no_attribute_on_links_paragraphs_or_headings():
    soup, _ = render(
        '## 1. Раздел {: onfocus="alert(1)" autofocus tabindex=0 }\n\n'
        '1.1. [ссылка](#p1){: onmouseover=alert(2) style="position:fixed" data-consent-category=analytics }\n\n'
        'Абзац.\n{: #p9 .x onclick="alert(3)" }\n'
    )
    assert beyond_allowlist(soup) == []
    assert soup.find(attrs={"onfocus": True}) is None and soup.select("[style], [data-consent-category]") == []
    assert "onmouseover=alert(2)" in soup.get_text()


def test_a_fenced_code_block_takes_no_attribute_from_its_braces():
    # fenced_code applies attribute lists itself whenever attr_list is configured, and keeps its output out of the tree.
    soup, page = render(
        '```{ .python #top onclick="alert(1)" data-consent-category=analytics style="color:red" }\nx = 1 < 2\n```\n'
    )
    assert beyond_allowlist(soup) == []
    assert soup.select_one("pre").attrs == {} and soup.select_one("code")["class"] == ["language-python"]
    assert soup.select_one("code").get_text() == "x = 1 < 2\n"
    assert page.found == ['<pre> id="top"']


class _AddsAttributes(Extension):
    """Stands for any extension a site may add that puts attributes or elements on the page."""

    def extendMarkdown(self, md):
        class Adds(Treeprocessor):
            def run(self, root):
                for paragraph in root.iter("p"):
                    paragraph.set("onclick", "alert(1)")
                    etree.SubElement(paragraph, "iframe", {"src": "https://evil.example/"}).tail = md.htmlStash.store(
                        '<strong onmouseover="alert(2)">x</strong><script>alert(3)</script>'
                    )

        md.treeprocessors.register(Adds(md), "adds", 15)


def test_the_allowlist_removes_and_reports_what_any_other_extension_adds_also_to_the_stashed_html():
    soup, page = render("Абзац.", _AddsAttributes())
    assert beyond_allowlist(soup) == [] and soup.select("iframe, [onclick], script, [onmouseover]") == []
    assert soup.select_one("strong").get_text() == "x" and "<script>alert(3)</script>" in soup.get_text()
    assert sorted(page.found) == ["<iframe>", '<p> onclick="alert(1)"', "<script>", '<strong> onmouseover="alert(2)"']


class _StashesRawText(Extension):
    """Stands for an extension that keeps raw HTML in the stash with markup inside raw-text elements."""

    def __init__(self, tag: str):
        super().__init__()
        self.tag = tag

    def extendMarkdown(self, md):
        tag = self.tag

        class Stashes(Treeprocessor):
            def run(self, root):
                for paragraph in root.iter("p"):
                    paragraph.tail = md.htmlStash.store(f"<{tag}><img src=x onerror=alert(1)></{tag}>")

        md.treeprocessors.register(Stashes(md), "stashes", 15)


@pytest.mark.parametrize("tag", ["script", "style", "textarea", "title", "noscript", "plaintext", "xmp"])
def test_markup_inside_a_raw_text_element_of_the_stashed_html_is_checked_too(tag):
    # Without toc, which runs every postprocessor a second time over its own output and so over the stash.
    policy = PolicyMarkdownExtension()
    policy.page = PolicyPage()
    soup = BeautifulSoup(markdown.markdown("Абзац.", extensions=[_StashesRawText(tag), policy]), "html.parser")
    assert beyond_allowlist(soup) == [] and soup.select("[onerror]") == []
    assert policy.page.found == [f"<{tag}>", '<img> onerror="alert(1)"']


def test_other_pages_are_left_as_the_site_configures_them():
    policy = PolicyMarkdownExtension()
    html = markdown.markdown("Абзац <b>жирный</b>.\n{: .lead }", extensions=["attr_list", policy])
    assert html == '<p class="lead">Абзац <b>жирный</b>.</p>'


# -- generated hostile text ---------------------------------------------------------------------------

_SCHEMES = st.sampled_from(
    ["javascript:", "JaVaScRiPt:", "java\tscript:", " javascript:", "&#106;avascript:", "data:", "vbscript:", ""]
)
_ATTRIBUTES = st.sampled_from(
    [
        'onfocus="alert(1)"',
        "autofocus",
        "onmouseover=alert(1)",
        'style="position:fixed;inset:0"',
        "data-consent-category=analytics",
        'data-src="https://evil.example/x.js"',
        "#p1",
        ".clause-anchor",
        "tabindex=0",
        'id="alectro-consent"',
        'href="javascript:alert(1)"',
    ]
)
_FRAGMENTS = st.one_of(
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<b onclick=alert(1)>b</b>",
            "<svg onload=alert(1)>",
            "<iframe src=https://evil.example/>",
            "<a href=javascript:alert(1)>a</a>",
            "<!-- c -->",
            "<![CDATA[x]]>",
            "<?php ?>",
            "<style>*{}</style>",
            "<div markdown=1>*x*</div>",
            "&lt;b&gt;",
            "&#60;script&#62;",
            "`<b>`",
            "``a<b``",
            "<info@alectro.ru>",
            "<https://alectro.ru>",
            "\\<b>",
            "<",
            ">",
            "&",
            "{",
            "}",
            "*",
            "_",
            "[",
            "]",
            "(",
            ")",
            "!",
            "\n",
            " ",
            "|",
            "#",
            "`",
        ]
    ),
    st.builds(lambda attrs: "{: " + " ".join(attrs) + " }", st.lists(_ATTRIBUTES, min_size=1, max_size=3)),
    st.builds(lambda s, a: f"[x]({s}alert(1)){{: {a} }}", _SCHEMES, _ATTRIBUTES),
    st.builds(lambda s: f"![x]({s}//evil.example/a.png)", _SCHEMES),
    st.builds(lambda a: f"\n\n```{{ .py {a} }}\n<b onclick=x>\n```\n\n", _ATTRIBUTES),
    st.builds(lambda a: f"\n\n## 2. Раздел {{: {a} }}\n\n", _ATTRIBUTES),
    st.text(alphabet="<>/=\"' abonclickscript{}:#.`!", max_size=12),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_FRAGMENTS, min_size=1, max_size=8))
def test_no_text_gives_an_element_or_attribute_beyond_the_allowlist(fragments):
    soup, _ = render("1.1. Пункт " + "".join(fragments) + " конец.\n")
    assert beyond_allowlist(soup) == []
    assert not any(
        a["href"].lower().lstrip().startswith(("javascript", "data", "vbscript")) for a in soup.select("a[href]")
    )
