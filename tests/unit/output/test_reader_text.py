"""The text a reader is shown of an edition, as its page was written: the article, without the plugin's notices."""

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_policy.output.reader_text import _reader_texts, reader_text, reader_text_sha256

PAGE = """<html><head><title>Политика</title><style>p{{}}</style></head><body>
<nav>Меню</nav>
<article class="md-content__inner md-typeset">
  <div class="admonition warning policy-edition-notice" role="note"><p>Архивная редакция № 1. {notice}</p></div>
  <h1 id="p">Политика</h1>
  <p class="policy-stamp">Редакция № 1 от 15 января 2026 г.</p>
  <p>1.1. Данные   передаются<br>транспортной <em>компании</em>.</p>
  <script>var x = "не текст";</script>
  <img src="a.png" alt="схема"><hr>
  <div><p>7.1. {clause}</p></div>
</article>
<div id="alectro-consent">Баннер</div>
</body></html>"""


def test_the_article_s_text_is_taken_without_notices_scripts_or_anything_outside_it():
    page = PAGE.format(notice="Действовала по 1 февраля", clause="Добавленный пункт.")
    assert reader_text(page) == "Политика 1.1. Данные передаются транспортной компании . 7.1. Добавленный пункт."


def test_a_notice_that_changes_with_the_next_edition_leaves_the_checksum_but_a_changed_clause_does_not():
    before = reader_text_sha256(PAGE.format(notice="Действует", clause="Пункт."))
    assert reader_text_sha256(PAGE.format(notice="Действовала по 1 февраля", clause="Пункт.")) == before
    assert reader_text_sha256(PAGE.format(notice="Действует", clause="Пункт рекламным партнёрам.")) != before
    assert reader_text_sha256(PAGE.format(notice="Действует", clause="Пункт.").replace("  ", "\n")) == before


def test_a_page_without_an_article_has_no_text():
    assert reader_text("<html><body><p>Текст</p></body></html>") == ""


def test_without_its_title_the_article_reads_the_same_but_for_its_h1_whatever_is_nested_in_what():
    page = (
        '<article><h1>Заголовок <span class="policy-stamp">штамп</span> <em>курсив</em></h1><p>Текст.</p>'
        '<div class="policy-edition-notice"><h1>В уведомлении</h1></div><h1>Второй</h1><p>Конец.</p></article>'
    )
    assert reader_text(page) == "Заголовок курсив Текст. Второй Конец."
    assert reader_text(page, titled=False) == "Текст. Конец."


_VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")


class _PublishedReading(HTMLParser):
    """The reading ``text_sha256`` has always hashed, as first published (4dbee4f, d018a4d), kept here unchanged:
    html.parser over the whole page, the first article's text taken with and without its ``<h1>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skipping = 0
        self.skipping_untitled = 0
        self.done = False
        self.parts: list[str] = []
        self.untitled: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.done or tag in _VOID:
            return
        if self.depth == 0:
            if tag == "article":
                self.depth = 1
            return
        self.depth += 1
        classes = next((value or "" for name, value in attrs if name == "class"), "").split()
        left_out = tag in ("script", "style", "template") or any(
            notice in classes for notice in ("policy-edition-notice", "policy-stamp")
        )
        if not self.skipping and left_out:
            self.skipping = self.depth
        if not self.skipping_untitled and (left_out or tag == "h1"):
            self.skipping_untitled = self.depth

    def handle_endtag(self, tag):
        if self.done or self.depth == 0 or tag in _VOID:
            return
        if self.skipping == self.depth:
            self.skipping = 0
        if self.skipping_untitled == self.depth:
            self.skipping_untitled = 0
        self.depth -= 1
        self.done = self.depth == 0

    def handle_data(self, data):
        if self.depth and not self.done:
            if not self.skipping:
                self.parts.append(data)
            if not self.skipping_untitled:
                self.untitled.append(data)


def _read_by_html_parser(page: str) -> tuple[str, str]:
    """The text as html.parser reads the whole page: what ``text_sha256`` has always hashed."""
    parser = _PublishedReading()
    parser.feed(page)
    parser.close()
    return " ".join(" ".join(parser.parts).split()), " ".join(" ".join(parser.untitled).split())


_FORMS = """\
<p>
</p>
<div>
</div>
<em>
</em>
<br>
<img src="a.png">
<h1>
</h1>
<h1 id="t">
<p class="policy-stamp">
<div class="admonition policy-edition-notice">
<span/>
<p class="a  policy-stamp\tb">
<script>x = '<p>текст</p>';</script>
<style>p{}</style>
<template><p>t</p></template>
<!-- комментарий -->
&laquo;
&amp;
&nbsp;
&#1058;
<ARTICLE>
<article/>
<article>
</article>
<a href=x>
</ p>
<!-->
1 < 2
<script>var a = "<article>";</script>
<meta content="<article>">""".split("\n")
"""Forms of markup, plain and odd, one a line."""

_PIECE = st.one_of(
    st.text(alphabet=st.sampled_from("ab <>&;/\n\xa0"), max_size=6),
    st.sampled_from(_FORMS),
)
_PIECES = st.lists(_PIECE, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(before=_PIECES, article=_PIECES, after=_PIECES, opening=st.sampled_from(["", "<article>", '<article id="x">']))
def test_a_page_s_text_is_what_html_parser_reads_whatever_the_page_holds(before, article, after, opening):
    page = f"<!doctype html><html><head><title>T</title></head><body>{before}{opening}{article}</article>{after}"
    assert _reader_texts(page) == _read_by_html_parser(page)
    assert _reader_texts(PAGE.format(notice=before, clause=article)) == _read_by_html_parser(
        PAGE.format(notice=before, clause=article)
    )
