"""Front matter is typed by editors and kept in history for ever.

Any text gives its meaning or the front-matter error.
"""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alectro_policy.text.document_text import FrontMatterError, explicit_edition_date, split_front_matter


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
@example("title: a\x01b")
@example("edition_date: 2026-11-24\x1e")
@example("\x85")
def test_any_front_matter_gives_fields_or_the_front_matter_error_never_another_exception(inside):
    try:
        meta, body = split_front_matter(f"---\n{inside}\n---\n# Политика\n")
        explicit_edition_date(meta)
    except FrontMatterError as error:
        assert "\n" not in str(error)


def test_a_control_character_in_front_matter_is_the_front_matter_error_naming_the_character():
    with pytest.raises(FrontMatterError, match=r"not valid YAML \(unacceptable character #x0001"):
        split_front_matter("---\ntitle: a\x01b\n---\nТекст")
