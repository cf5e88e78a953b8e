"""Text people typed elsewhere, as every page, feed, job summary and terminal shows it."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from alectro_policy.text.plain import lines, one_line


def test_control_and_direction_characters_are_removed_and_spaces_collapse():
    assert one_line("Скидки\x1b[31m $5\x07 для\t$USER\u202e") == "Скидки[31m $5 для $USER"
    assert one_line("a\u200bb\u2066c\u2069\ufeff d\n e\u2028f") == "abc d e f"
    assert lines("Первый  абзац.\r\n\r\nВторой\x1b абзац.\u202e\n") == "Первый абзац.\n\nВторой абзац."


@given(st.text())
def test_nothing_a_terminal_or_a_bidi_algorithm_obeys_survives(text):
    for shown in (one_line(text), lines(text)):
        assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in shown)
        assert not any(ord(c) < 0x20 and c != "\n" for c in shown) and "\x7f" not in shown
    assert "\n" not in one_line(text)


@given(st.text() | st.text(alphabet=st.characters(codec="utf-8")))
def test_one_line_keeps_every_character_a_reader_reads_and_reads_each_break_as_a_space(text):
    # Character by character, as the rule is written (one_line skips it for text with nothing to remove).
    kept = "".join(
        " " if c in "\t\n" or unicodedata.category(c) in ("Zl", "Zp") else c
        for c in text
        if c in "\t\n" or unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cs", "Cn")
    )
    assert one_line(text) == " ".join(kept.split())
