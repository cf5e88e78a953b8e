"""The banner's words in each state, read from rendered markup: one line per block, the visitor's own record left
out, the re-ask notice only where the banner asks again."""

import hashlib

import pytest

from alectro_policy.consent import shown_text

BANNER = """<p>Before the banner.</p>
<template id="alectro-consent">
<section class="alectro-consent" aria-label="Согласие на cookies">
  <p data-consent-updated hidden><strong>Документ обновлён.</strong> Действует
     редакция&nbsp;№ 2 (<a href="../changes/">что изменилось</a>).</p>
  <p>Мы используем cookies. Подробнее — в <a href="../">Политике</a>, о cookies — <a href="#p2.2">пункт 2.2</a>.</p>
  <div data-consent-panel hidden>
    <p data-consent-record hidden>Ваш выбор от <span data-consent-date></span>, <code data-consent-id></code>.</p>
    <fieldset><legend>Какие cookies разрешить</legend>
      <div><input type="checkbox" id="a" value="necessary" checked disabled><label for="a">Необходимые</label>
        <p>Работа сайта.</p></div>
    </fieldset>
  </div>
  <div><button type="button">Принять все</button><button type="button" hidden>Сохранить выбор</button></div>
</section>
</template>
<script type="application/json" id="alectro-consent-settings">{"text": {}}</script>
"""

ASKED = (
    "Мы используем cookies. Подробнее — в Политике, о cookies — пункт 2.2.\n"
    "Какие cookies разрешить\n[переключатель: necessary]\nНеобходимые\nРабота сайта.\nПринять все\nСохранить выбор\n"
)


def test_each_block_is_a_line_of_the_words_as_read_links_and_emphasis_running_on_within_it():
    # A switch is named by the category it grants, which the proof checks a record's categories against.
    assert shown_text.shown_texts(BANNER)[shown_text.ASK] == ASKED


def test_the_re_ask_notice_is_the_first_line_of_the_re_ask_text_only():
    texts = shown_text.shown_texts(BANNER)
    notice = "Документ обновлён. Действует редакция\xa0№ 2 (что изменилось).\n"
    assert texts == {shown_text.ASK: ASKED, shown_text.REASK: notice + ASKED}


def test_the_visitor_s_own_record_and_what_is_outside_the_template_are_in_no_text():
    for text in shown_text.shown_texts(BANNER).values():
        assert "Ваш выбор" not in text and "Before" not in text and "text" not in text


def test_markup_without_the_banner_s_template_is_refused_naming_the_template():
    with pytest.raises(ValueError, match=r'consent\.html: no <template id="alectro-consent">'):
        shown_text.shown_texts("<template id='other'><p>Текст</p></template>")


def test_the_hash_is_the_one_the_proof_checks_a_published_text_against():
    assert shown_text.text_hash("Принять все\n") == hashlib.sha256("Принять все\n".encode()).hexdigest()[:16]
