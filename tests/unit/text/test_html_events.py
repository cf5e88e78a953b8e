"""HTML is read as the standard library's html.parser reads it, whatever the markup: the published checksums and
the rule for editions depend on that reading (issue 26, speed)."""

from __future__ import annotations

import html.parser
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alectro_policy.text import html_events
from alectro_policy.text.html_events import read_html, reads_plainly

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class _Calls(HTMLParser):
    """Every call html.parser makes to a parser, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.calls: list[tuple[object, ...]] = []

    def handle_starttag(self, tag, attrs):
        self.calls.append(("start", tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.calls.append(("startend", tag, attrs))

    def handle_endtag(self, tag):
        self.calls.append(("end", tag))

    def handle_data(self, data):
        self.calls.append(("data", data))

    def handle_comment(self, data):
        self.calls.append(("comment", data))

    def handle_decl(self, decl):
        self.calls.append(("decl", decl))

    def handle_pi(self, data):
        self.calls.append(("pi", data))

    def unknown_decl(self, data):
        self.calls.append(("unknown", data))


class _NotFed(_Calls):
    def feed(self, data):
        raise AssertionError(f"handed to html.parser: {data[:60]!r}")


def _parsed(markup: str, kind: type[_Calls] = _Calls) -> list[tuple[object, ...]]:
    parser = kind()
    parser.feed(markup)
    parser.close()
    return parser.calls


def _read(markup: str, kind: type[_Calls] = _Calls) -> list[tuple[object, ...]]:
    parser = kind()
    read_html(parser, markup)
    return parser.calls


_FORMS = """\
<p>
</p>
<P>
</P>
</P >
</ p>
<br>
<br/>
<br />
<hr/ >
<div/>
</>
<
<a href="https://x.ru/?a=1&amp;b=2">
<a href='x'>
<a href=x>
<a b = "c">
<a b="c"d>
<a title="a>b">
<a title="&lt;em&gt;">
<a href="?a=1&copy=2&ampx;&#65;&amp" class="x&amp;y">
<em class="policy-stamp x">
<e\xa0m>
<a\tb>
<div class="a" class="b" CLASS="c" hidden>
<ul-x data-a:b.c_d="">
</ul-x>
<1>
</1>
&amp;
&laquo;
&#x41;
&#65
&amp
&
&#
&;
&zz;
<!-- c -->
<!---->
<!-->
<!--->
<!-- a -- b -->
<!-- a --!>
<!-- -
<!--
<!doctype html>
<!DOCTYPE html>
<!x>
<![CDATA[x]]>
<?pi x?>
<!
<script>
</script>
<script>a<b && c</script>
<script>x</SCRIPT>
<script>x</script >
<script type="x">var s = "</p>";</script>
<script><!-- x --></script>
<script/>
<style>p > a {}</style>
<STYLE>x</style>
<title>T &amp; c</title>
<title>a <b> c</title>
<textarea>x</textarea>
<textarea>
<noscript><img src=x></noscript>
<plaintext>x
<iframe>x</iframe>
<iframe>a &amp; b</iframe>
<title>a &amp;b</title>
<noscript>x</noscript>
<xmp>a<b</xmp>
<template>t</template>
<ſcript>
</ſcript>
<tıtle>x</tıtle>
<a title="
<article>
</article>""".split("\n")
"""Forms of markup, plain and odd, one a line."""

_TEXT = st.text(alphabet=st.sampled_from("ab <>&;#x41/=\"'-!?\n\t\xa0ё"), max_size=8)
# Tags put together: names html.parser treats apart (and their look-alikes to a case-blind Unicode expression: «ſ» is
# «s», «ı» and «İ» are «i», «K» is «k»), attributes quoted every way, with references, and odd ends.
_NAMES = st.sampled_from(
    ["p", "P", "a", "br", "article", "script", "SCRIPT", "sCrIpT", "style", "title", "textarea", "xmp", "iframe"]
    + ["noembed", "noframes", "noscript", "plaintext", "template", "\u017fcript", "t\u0131tle", "scr\u0130pt", "d-1"]
)
_VALUES = st.sampled_from(
    ["", '=""', '="x"', '="&amp;"', '="&copy=2"', '="a&b"', '="&notit;"', "='x'", "=x", '="<a>"', '="&#x41"', ' = "x"']
)
_ATTRIBUTES = st.lists(
    st.builds(
        "".join,
        st.tuples(
            st.sampled_from([" ", "\t", "\n", "  "]),
            st.sampled_from(["class", "href", "a:b", "x.y", "_z", "CLASS"]),
            _VALUES,
        ),
    ),
    max_size=3,
).map("".join)
_TAGS = st.one_of(
    st.builds("<{}{}{}>".format, _NAMES, _ATTRIBUTES, st.sampled_from(["", "/", " ", " /", "\x0b"])),
    st.builds("</{}{}>".format, _NAMES, st.sampled_from(["", " ", "\t", " x", "/", "\x0b"])),
)
_PIECES = st.one_of(
    _TEXT,
    st.sampled_from(_FORMS),
    _TAGS,
)
_MARKUP = st.lists(_PIECES, max_size=14).map("".join)


@PROPERTY
@given(markup=_MARKUP)
def test_any_markup_is_read_with_the_calls_html_parser_makes(markup):
    assert _read(markup) == _parsed(markup)


@PROPERTY
@given(prefix=_MARKUP, rest=_MARKUP)
def test_after_a_plain_beginning_the_rest_reads_as_in_the_whole_page(prefix, rest):
    rest = "<article>" + rest  # what follows starts a tag, as the article does
    if reads_plainly(prefix):
        assert _parsed(prefix) + _parsed(rest) == _parsed(prefix + rest)


MATERIAL_PAGE = """<!doctype html>
<html lang="ru" class="no-js">
  <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width,initial-scale=1">
      <link rel="icon" href="../assets/images/favicon.png">
      <title>Редакция № 2 - Политика</title>
      <link rel="stylesheet" href="../assets/stylesheets/main.css">
      <style>:root{--md-text-font:"Roboto"}</style>
      <script>__md_scope=new URL("..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0)</script>
  </head>
  <body dir="ltr">
    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
    <label class="md-overlay" for="__drawer"></label>
    <!-- Header -->
    <header class="md-header md-header--shadow" data-md-component="header">
      <nav class="md-header__inner md-grid" aria-label="Заголовок">
        <a href=".." title="Политика" class="md-header__button md-logo" aria-label="Политика" data-md-component="logo">
          <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 8a3 3 0 0 0 3-3"/></svg>
        </a>
      </nav>
    </header>
    <article class="md-content__inner md-typeset">
      <div class="admonition warning policy-edition-notice" role="note"><p>Архивная редакция № 2.</p></div>
      <h1>Политика</h1>
      <p>1.1. Данные &laquo;передаются&raquo; <a href="mailto:a@b.ru">a@b.ru</a> &amp; <em>т.&nbsp;д.</em></p>
    </article>
    <script id="__config" type="application/json">{"base": "..", "features": []}</script>
    <script src="../assets/javascripts/bundle.js"></script>
  </body>
</html>"""


def test_a_material_page_is_read_without_html_parser_and_as_html_parser_reads_it():
    parser = _NotFed()
    read_html(parser, MATERIAL_PAGE)
    assert parser.calls == _parsed(MATERIAL_PAGE)
    assert reads_plainly(MATERIAL_PAGE[: MATERIAL_PAGE.index("<article")])


@pytest.mark.parametrize(
    "prefix",
    [
        '<script>var a = "<article>";',  # the article's tag inside a script: not the article
        '<p title="<article',
        "<!-- <article",
        "<p>1 < 2 ",  # a "<" that html.parser reads as text
        "<script/>",
        # «ſ» is «s» to a case-blind regular expression, not to html.parser: «<ſcript>» is text, and the start tag
        # after it runs on into the rest of the page.
        '<ſcript><a title="</ſcript>',
        '<tıtle><a title="</tıtle>',
    ],
)
def test_a_beginning_html_parser_may_read_otherwise_is_not_plain(prefix):
    assert not reads_plainly(prefix)


class _RawTextCalls(_Calls):
    """html.parser as its 2025 versions read (gh-137836: 3.11.15, 3.12.13, 3.13.10, 3.14.1): ``xmp``, ``iframe``,
    ``noembed`` and ``noframes`` hold raw text, their character references not read, as in ``script``."""

    CDATA_CONTENT_ELEMENTS = ("script", "style", "xmp", "iframe", "noembed", "noframes")


@pytest.mark.parametrize(
    "markup",
    ["<iframe>a &amp; b</iframe>", "<xmp>&lt;p&gt;</xmp>", "<noembed>&#65;</noembed>", "<noframes>&amp</noframes>"],
)
def test_a_raw_text_element_of_newer_pythons_is_read_as_the_running_html_parser_reads_it(markup):
    assert _read(markup, _RawTextCalls) == _parsed(markup, _RawTextCalls)


@PROPERTY
@given(markup=_MARKUP)
def test_any_markup_is_read_as_html_parser_with_newer_raw_text_elements_reads_it(markup):
    assert _read(markup, _RawTextCalls) == _parsed(markup, _RawTextCalls)


def test_a_beginning_with_plaintext_is_not_plain():
    # From html.parser's 2025 versions on (gh-137836) nothing after <plaintext> is markup, its end tag included: the
    # article after it is text, so the page must be read whole.
    assert not reads_plainly("<plaintext>x</plaintext>")
    assert not reads_plainly("<PLAINTEXT a>x</plaintext>")


@pytest.mark.parametrize(
    "markup", ['<p class="&copy=2">x</p>', '<a href="?a=1&amp;b=2&not">x</a>', '<br title="&lt;&#65;">']
)
def test_attribute_values_with_references_are_read_by_the_running_html_parser(markup, monkeypatch):
    # Versions read references in attribute values differently (3.14 and later 3.13 releases leave «&copy=2» as
    # written, gh-69426): whatever rule the running html.parser applies, read_html applies it. Here one that reads none.
    monkeypatch.setattr(html.parser, "unescape", lambda text: text)
    assert _read(markup) == _parsed(markup)


def test_the_python_that_runs_the_build_reads_every_form_as_this_module_does():
    assert html_events._AGREES, "html.parser reads PROBE otherwise: every page is left to it, several times slower"


def test_where_html_parser_reads_a_form_otherwise_every_page_is_left_to_it(monkeypatch):
    # A parser that reads a style as an element like any other (as a newer one may inside an <svg>).
    monkeypatch.setattr(HTMLParser, "CDATA_CONTENT_ELEMENTS", ())
    assert not html_events._agrees_with_html_parser()
    monkeypatch.setattr(html_events, "_AGREES", False)
    page = "<p>a</p><style>b &amp; c</style>"
    assert (
        _read(page)
        == _parsed(page)
        == [
            ("start", "p", []),
            ("data", "a"),
            ("end", "p"),
            ("start", "style", []),
            ("data", "b & c"),
            ("end", "style"),
        ]
    )
    assert not reads_plainly("<p>a</p>")
