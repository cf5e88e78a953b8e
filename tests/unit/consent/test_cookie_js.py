"""The banner's cookie codec, static/consent-cookie.js, run alone under Node (which make test installs for Lighthouse)
against the reference reader consent/cookie.py: the same value read the same way, the same checksum, the same name;
as written and as the build's minifier prints it (its local names shortened: the shipped script's codec)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_policy.consent import assets, cookie
from support import REPO, require

CODEC = REPO / "plugins" / "alectro_policy" / "consent" / "static" / "consent-cookie.js"
NOW = 1_795_500_000
DAYS = 365
ID = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"
# Each line on stdin a list of calls of the codec, each list run in a fresh copy of the file's own scope, its
# arguments from the line, its answers as one line of JSON on stdout. One Node for all of a module's examples:
# starting Node for each example was most of this file's time.
HARNESS = """
globalThis.crypto ??= require("crypto").webcrypto;
const source = require("fs").readFileSync(process.argv[1], "utf8");
const load = () => {
  const codec = new Function(source + "; return {checksum, decode, encode, cookieName, uuid, pick, key};")();
  // As the banner's read() and the receipt take it: this release's name, or else the configured one.
  codec.read = (pairs, name, https, domain, now, days) =>
    codec.pick(pairs, codec.cookieName(name, https, domain), now, days) || codec.pick(pairs, name, now, days);
  return codec;
};
let queue = Promise.resolve();
require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
  queue = queue.then(async () => {
    const codec = load();
    const answers = await Promise.all(JSON.parse(line).map(async ([name, args]) => {
      const result = await codec[name](...args.map((a) => (a && a.bytes ? new Uint8Array(a.bytes) : a)));
      return result === undefined ? null : result;
    }));
    process.stdout.write(JSON.stringify(answers) + "\\n");
  });
});
"""


class NodeCodec:
    """The codec's file run under one Node process: ``run(calls)`` sends a list of calls, returns their results."""

    def __init__(self, path: Path):
        self.node = require(
            shutil.which("node"), "No node: run 'make test' (it installs node) or 'apt-get install nodejs'."
        )
        self.path = path
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.node, "-e", HARNESS, str(self.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def run(self, calls: list) -> list:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(calls) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            # Node stopped (a call threw): what it said is the failure; the next example gets a Node of its own.
            errors = self.close()
            self.start()
            raise AssertionError(errors)
        return json.loads(answer)

    def close(self) -> str:
        """End Node; return what it wrote to stderr."""
        _, errors = self.process.communicate()
        return errors


@pytest.fixture(scope="module", params=["as written", "minified"])
def codec(request, tmp_path_factory):
    """The codec's file under Node: the source, or the source as the build minifies it (its top-level names kept)."""
    path = CODEC
    if request.param == "minified":
        path = tmp_path_factory.mktemp("codec") / "consent-cookie.min.js"
        path.write_text(assets.minify(CODEC.read_text(encoding="utf-8"), "js"), encoding="utf-8")
    node = NodeCodec(path)
    yield node
    errors = node.close()
    assert node.process.returncode == 0, errors


def in_node(codec: NodeCodec, *calls: tuple[str, list]) -> list:
    """Run each (function name, arguments) call of the codec under Node; return their results."""
    return codec.run(list(calls))


def as_python_reads(value: str) -> dict | None:
    return as_read(cookie.parse_cookie(value, lifetime_days=DAYS, now=NOW))


def as_read(read: cookie.Consent | None) -> dict | None:
    """The reference reader's answer as the page's decode() gives it."""
    if read is None:
        return None
    return {
        "categories": list(read.categories),
        "document": read.document,
        "edition": read.edition,
        "time": read.time,
        "id": read.id,
        "link": read.link,
        # Left undefined by the page's decode() before format 3 (JSON leaves them out).
        **({"secret": read.secret, "text": read.text} if read.secret else {}),
    }


CATEGORY = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True).filter(lambda c: c != "necessary")
SECRET = st.binary(min_size=16, max_size=16).map(bytes.hex)
VALID = st.builds(
    lambda categories, edition, age, source, consent_id, format, secret, link: (
        cookie.format_cookie(categories, edition, NOW - age)
        if format == 1
        else cookie.format_cookie(
            categories,
            edition,
            NOW - age,
            document=cookie.document_key(source),
            consent_id=consent_id,
            secret=secret if format == 3 else None,
            link=link,
            text=secret[:16],
        )
    ),
    st.lists(CATEGORY, unique=True, max_size=3),
    st.integers(0, 999_999),
    st.integers(-2 * 86_400, 400 * 86_400),
    st.text(min_size=1, max_size=20),
    st.uuids(version=4).map(str),
    st.sampled_from([1, 2, 3]),
    SECRET,
    st.integers(0, 9999),
)
# What a planted, edited or damaged value looks like: a valid one with a character changed, cut, or anything.
MUTATED = st.one_of(
    st.tuples(VALID, st.integers(0, 80), st.sampled_from("0123456789abcdefz.+-_2٣")).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :]
    ),
    st.tuples(VALID, st.integers(0, 80)).map(lambda t: t[0][: t[1]]),
    st.text(st.sampled_from("0123456789abcdef.+necsary_-z"), max_size=90),
)


@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.one_of(VALID, MUTATED), min_size=1, max_size=40))
def test_node_reads_every_cookie_value_as_the_reference_reader_does(codec, values):
    answers = in_node(codec, *(("decode", [value, NOW, DAYS]) for value in values))
    assert answers == [as_python_reads(value) for value in values]


def test_node_and_the_reference_agree_at_the_edges_of_a_choice_s_life(codec):
    ages = (-86_401, -86_400, 0, DAYS * 86_400, DAYS * 86_400 + 1)
    values = [cookie.format_cookie(["analytics"], 2, NOW - age, document="0" * 8, consent_id=ID) for age in ages]
    read = in_node(codec, *(("decode", [value, NOW, DAYS]) for value in values))
    assert read == [as_python_reads(value) for value in values]
    assert [answer is not None for answer in read] == [False, True, True, True, False]


@settings(max_examples=15, deadline=None)
@given(texts=st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), min_size=1, max_size=40))
def test_the_checksum_is_the_reference_one_for_any_text_astral_characters_included(codec, texts):
    assert in_node(codec, *(("checksum", [text]) for text in texts)) == [cookie.checksum(text) for text in texts]


@settings(max_examples=15, deadline=None)
@given(
    choices=st.lists(
        st.tuples(
            st.lists(CATEGORY, unique=True, max_size=3),
            st.integers(0, 999_999),
            st.integers(NOW - 300 * 86_400, NOW),
            st.uuids(version=4).map(str),
            st.text(min_size=1, max_size=20),
            SECRET,
            st.integers(0, cookie.LINKS - 1),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_what_the_banner_writes_is_what_the_reference_writer_writes(codec, choices):
    calls = [
        (
            "encode",
            [
                {
                    "categories": ["necessary", *categories],
                    "edition": edition,
                    "time": time,
                    "id": consent_id,
                    "secret": secret,
                    "link": link,
                    "text": secret[-16:],
                },
                cookie.document_key(source),
            ],
        )
        for categories, edition, time, consent_id, source, secret, link in choices
    ]
    expected = [
        cookie.format_cookie(
            categories,
            edition,
            time,
            document=cookie.document_key(source),
            consent_id=consent_id,
            secret=secret,
            link=link,
            text=secret[-16:],
        )
        for categories, edition, time, consent_id, source, secret, link in choices
    ]
    assert in_node(codec, *calls) == expected


def test_the_cookie_s_name_has_the_host_prefix_on_https_without_a_shared_domain_and_its_ids_are_version_4(codec):
    names = in_node(
        codec,
        ("cookieName", ["alectro_consent", True, None]),
        ("cookieName", ["alectro_consent", True, "alectro.ru"]),
        ("cookieName", ["alectro_consent", False, None]),
    )
    assert names == ["__Host-alectro_consent", "alectro_consent", "alectro_consent"]
    ids = in_node(codec, *(("uuid", [{"bytes": [value] * 16}]) for value in (0, 255, 0x5A)))
    for raw in ids:
        dashed = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
        assert cookie.format_cookie([], 1, NOW, document="0" * 8, consent_id=dashed)


SECRET_A = "0123456789abcdef" * 2
# A cookie of each release: format 1 (before the consent ID), format 2 (before the secret), this release's format 3.
EARLIER = {
    1: cookie.format_cookie(["analytics"], 1, NOW - 86_400),
    2: cookie.format_cookie(["analytics"], 2, NOW - 86_400, document="3f1c2a9b", consent_id=ID),
    3: cookie.format_cookie(["analytics"], 2, NOW - 60, document="3f1c2a9b", consent_id=ID, secret=SECRET_A, link=4),
}


def test_a_cookie_of_every_release_is_read_under_its_old_name_and_the_new_one_wins_when_both_are_there(codec):
    """Before the __Host- name (issue 17) the cookie was alectro_consent on https too: the next choice continues it."""
    cases = [[["alectro_consent", value]] for value in EARLIER.values()]
    both = [["alectro_consent", EARLIER[2]], ["__Host-alectro_consent", EARLIER[3]]]
    two_old = [["alectro_consent", EARLIER[1]], ["alectro_consent", EARLIER[2]]]
    calls = [("read", [pairs, "alectro_consent", True, None, NOW, DAYS]) for pairs in [*cases, both, two_old]]
    read = in_node(codec, *calls)
    expected = [as_python_reads(value) for value in EARLIER.values()] + [as_python_reads(EARLIER[3]), None]
    assert read == expected
    assert [r["id"] for r in read[:3]] == [None, ID, ID] and read[2]["secret"] == SECRET_A and read[2]["link"] == 4
    for pairs, answer in zip([*cases, both, two_old], read, strict=True):
        reference = cookie.read_cookies(pairs, "alectro_consent", https=True, domain=None, lifetime_days=DAYS, now=NOW)
        assert as_read(reference) == answer


def test_a_choice_s_key_is_the_reference_one_and_hashes_to_the_key_of_the_choice_before(codec):
    links = (0, 1, 2, cookie.LINKS - 1)
    keys = in_node(codec, *(("key", [SECRET_A, link]) for link in links))
    assert keys == [cookie.chain_key(SECRET_A, link) for link in links]
    assert keys[-1] == hashlib.sha256(SECRET_A.encode()).hexdigest()[:32]
    assert hashlib.sha256(keys[2].encode()).hexdigest()[:32] == keys[1]
