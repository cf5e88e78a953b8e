"""Commit messages read from raw commit objects: any bytes give a subject and body that HTML, XML and JSON can carry."""

import json
import re
from xml.etree import ElementTree

from hypothesis import example, given, settings
from hypothesis import strategies as st

from alectro_policy.history.commits import commit_message, displayable

HEADERS = (
    b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
    b"author \xd0\xa0\xd0\xb5\xd0\xb4 <editor@alectro.ru> 1795500000 +0300\n"
    b"committer \xd0\xa0\xd0\xb5\xd0\xb4 <editor@alectro.ru> 1795500000 +0300\n"
)
# What XML 1.0 allows (https://www.w3.org/TR/xml/#charsets), less the C1 controls no reader should see.
FORBIDDEN = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def raw_commit(message: bytes, encoding: bytes | None = None) -> bytes:
    return HEADERS + (b"encoding " + encoding + b"\n" if encoding else b"") + b"\n" + message


@settings(max_examples=400, deadline=None)
@given(
    message=st.binary(max_size=200) | st.text(max_size=120).map(lambda text: text.encode("utf-8", "surrogatepass")),
    encoding=st.sampled_from([None, b"UTF-8", b"windows-1251", b"koi8-r", b"no-such-encoding", b"idna", b"\x1e"]),
)
@example(message=b"\x1e\x1f\x01\x08 \xd0\x9f\xd1\x83\xd0\xbd\xd0\xba\xd1\x82 4.3\n\nEdition: editorial", encoding=None)
@example(message=b"\xff\xfe", encoding=b"UTF-16")
def test_any_message_bytes_give_a_one_line_subject_and_a_body_valid_in_xml_and_json(message, encoding):
    subject, body = commit_message(raw_commit(message, encoding))
    for text in (subject, body):
        assert not FORBIDDEN.search(text), ascii(text)
        assert json.loads(json.dumps(text, ensure_ascii=False)) == text
    assert "\n" not in subject and subject == subject.strip()
    entry = ElementTree.fromstring(f"<s>{_escape(subject)}</s>")
    assert (entry.text or "") == subject


@settings(max_examples=300, deadline=None)
@given(
    paragraph=st.lists(
        st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp", "Zs")), min_size=1, max_size=20),
        min_size=1,
        max_size=4,
    ),
    rest=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn")), max_size=60),
    control=st.sampled_from(["\x1e", "\x1f", "\x01", "\x08", "\x7f", "\x85"]),
)
def test_the_subject_is_the_whole_first_paragraph_as_git_shows_it_with_control_characters_removed(
    paragraph, rest, control
):
    # Like git's %s: the first paragraph's lines joined by spaces. A control character anywhere cuts nothing.
    lines = [control + line + control for line in paragraph]
    message = ("\n".join(lines) + "\n\n" + rest).encode("utf-8")
    subject, body = commit_message(raw_commit(message))
    assert subject == " ".join(paragraph)
    assert body == rest.strip()


def test_message_in_a_declared_encoding_is_decoded_by_it():
    subject, body = commit_message(raw_commit("Уточнён п. 4.3\n\nПодробности.".encode("cp1251"), b"windows-1251"))
    assert (subject, body) == ("Уточнён п. 4.3", "Подробности.")


def test_a_commit_without_a_message_or_headers_gives_empty_text():
    assert commit_message(b"") == ("", "")
    assert commit_message(HEADERS) == ("", "")


def test_displayable_keeps_tabs_and_newlines_and_drops_other_controls():
    assert displayable("a\tb\r\nc\x00d\x1ee\x7ff\x9fg\ufffeh") == "a\tb\ncdefgh"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_merge_bases_are_the_best_common_ancestors_as_git_merge_base_all_gives_them():
    from alectro_policy.history.commits import merge_bases

    # a - b - c (main), b - d (branch), c + d merged as m; a criss-cross: x merges c and d, y merges d and c.
    parents = {"a": (), "b": ("a",), "c": ("b",), "d": ("b",), "m": ("c", "d"), "x": ("c", "d"), "y": ("d", "c")}
    assert merge_bases(parents, "c", "d") == ["b"]
    assert merge_bases(parents, "m", "d") == ["d"]  # one side already holds the other
    assert merge_bases(parents, "x", "y") == ["c", "d"]  # several: git's own merge is asked instead
    assert merge_bases(parents, "c", "unknown") == []
