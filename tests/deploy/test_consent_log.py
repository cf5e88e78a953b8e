"""The consent log (deploy/nginx.conf's /privacy/consent-log, deploy/nginx-http.conf, deploy/logrotate.conf) with a
real nginx, Chromium and logrotate; and the proof command that reads it (deploy/consent_proof.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import gzip
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import REPO

PROOF = REPO / "deploy" / "consent_proof.py"
LOGROTATE_CONF = REPO / "deploy" / "logrotate.conf"
SHIPPED_LOG = "/var/log/nginx/alectro-consent.jsonl"
SHIPPED_PID = "/run/nginx.pid"
SHA_1 = "a" * 64
SHA_2 = "b" * 64


def load_proof():
    """deploy/consent_proof.py imported as a module (it is a script, not part of a package)."""
    spec = importlib.util.spec_from_file_location("consent_proof", PROOF)
    module = importlib.util.module_from_spec(spec)
    sys.modules["consent_proof"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def run_proof(*args: str) -> subprocess.CompletedProcess:
    """Run the CLI as ``make consent-proof`` does; return the finished process (never raises)."""
    return subprocess.run([sys.executable, str(PROOF), *args], capture_output=True, text=True)


def banner_fields(consent_id: str, *, choice="all", categories=("necessary", "analytics"), doc="docs/cookies.md",
                  ed="2", sha=SHA_2, t="1795600000") -> dict[str, str]:
    """The query fields the banner sends for one choice, decoded."""
    return {"v": "2", "id": consent_id, "choice": choice, "c": "+".join(categories), "doc": doc, "ed": ed, "sha": sha, "t": t}


def query(fields: dict[str, str]) -> str:
    """``fields`` encoded as the banner's URLSearchParams does ('+' as %2B, a space as '+')."""
    return urllib.parse.urlencode(fields)


def nginx_line(fields: dict[str, str], *, time_iso="2026-11-25T10:00:00+03:00", addr="203.0.113.7", ua="Mozilla/5.0") -> str:
    """The log line nginx writes for a GET with ``fields`` (values still percent-encoded, as $arg_* are)."""
    raw = dict(urllib.parse.parse_qsl(query(fields), keep_blank_values=True))
    encoded = {key: urllib.parse.quote_plus(value, safe="") for key, value in raw.items()}
    return json.dumps({"time": time_iso, "addr": addr, "ua": ua, **encoded}, ensure_ascii=False) + "\n"


def wait_for_lines(log: Path, count: int, timeout: float = 10.0) -> list[str]:
    """The log's lines once it holds ``count`` of them: nginx writes its log after sending the answer."""
    deadline = time.monotonic() + timeout
    while True:
        lines = log.read_bytes().splitlines(keepends=True) if log.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            return [line.decode("utf-8", errors="replace") for line in lines]
        time.sleep(0.02)


def find_logrotate() -> str:
    for candidate in ("/usr/sbin/logrotate", shutil.which("logrotate")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    hint = "No logrotate found: run 'make test' (it installs Debian's logrotate as root) or 'apt-get install logrotate'."
    if os.environ.get("CI") == "true":
        pytest.fail(hint)
    pytest.skip(hint)


FIELDS = ("time", "addr", "ua", "v", "id", "choice", "c", "doc", "ed", "sha", "t")
ID_A = "3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b"
ID_B = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"


@pytest.fixture(scope="module")
def proof_module():
    return load_proof()


# -- nginx: the endpoint and its log ------------------------------------------------------------------------


@pytest.fixture
def endpoint(nginx, kit, tmp_path):
    """A real nginx with the shipped config serving a small site; its consent log created as README says (0640)."""
    site = kit.make_site(tmp_path / "site", None, "Политика")
    # A static file where the endpoint is: the location must answer itself, never serve it.
    (site / "consent-log").write_text("STATIC FILE\n")
    # No /favicon.ico request (a 404 outside /privacy/ would be a console error of its own).
    (site / "index.html").write_text('<!doctype html><link rel="icon" href="data:,"><title>Политика</title><h1>Политика</h1>\n')
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    log = prefix / "alectro-consent.jsonl"
    log.touch(mode=0o640)
    log.chmod(0o640)
    base = nginx(site, prefix=prefix)
    port = int(urllib.parse.urlsplit(base).port)
    return type("Endpoint", (), {"base": base, "url": base + "consent-log", "port": port, "log": log, "pid": prefix / "nginx.pid", "prefix": prefix})


def get(url: str, method: str = "GET", headers: dict | None = None):
    """Status, headers and body of one request."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def raw_get(port: int, target: bytes, user_agent: bytes) -> bytes:
    """The status line of a GET sent byte for byte (urllib would percent-encode what a hostile client need not)."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nUser-Agent: " + user_agent + b"\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_a_choice_is_answered_204_without_body_or_cache_and_logged_as_one_json_line(endpoint, proof_module):
    fields = banner_fields(ID_A, categories=("necessary", "analytics"))
    status, headers, body = get(endpoint.url + "?" + query(fields), headers={"User-Agent": "TestBrowser/1.0"})
    assert (status, body) == (204, b"")
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    (line,) = wait_for_lines(endpoint.log, 1)
    logged = json.loads(line)
    assert list(logged) == list(FIELDS)
    assert logged["addr"] == "127.0.0.1" and logged["ua"] == "TestBrowser/1.0"
    assert logged["c"] == "necessary%2Banalytics", "nginx logs the query as sent; the proof command decodes it"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", logged["time"])
    record = proof_module.parse_line(line.encode())
    assert (record.consent_id, record.choice, record.categories, record.doc, record.edition, record.sha, record.client_time) == (
        ID_A, "all", ("necessary", "analytics"), "docs/cookies.md", "2", SHA_2, "1795600000")
    assert record.problems == ()


def test_only_get_is_answered_and_recorded(endpoint):
    for method in ("POST", "HEAD", "PUT", "DELETE"):
        status, headers, _ = get(endpoint.url + "?" + query(banner_fields(ID_B)), method=method)
        assert status == 405, method
        assert headers["Allow"] == "GET"
    assert get(endpoint.url + "?" + query(banner_fields(ID_A)))[0] == 204
    # One worker writes each request's line before it reads the next request: the refused ones left none.
    lines = wait_for_lines(endpoint.log, 1)
    assert [json.loads(line)["id"] for line in lines] == [ID_A]


HOSTILE = {
    "quotes and backslashes in the query and user agent": (b'/privacy/consent-log?v=2&id="x\\"&doc=a"b\\c{}', b'Evil"} , {"id":"forged\\'),
    "control characters in the user agent": (b"/privacy/consent-log?v=2&id=x", b"A\x01B\x1b[2JC\tD\x7fE\x1f"),
    "encoded newline and quote in the query": (b"/privacy/consent-log?v=2&id=x&doc=a%0A%22b%5C", b"UA"),
    "Cyrillic in the query and user agent": ("/privacy/consent-log?v=2&id=x&doc=Согласие".encode(), "Яндекс.Браузер/24 «тест»".encode()),
    "a very long user agent": (b"/privacy/consent-log?v=2&id=x", b"Mozilla/5.0 " + b'"\\' * 3000),
    "bytes that are not UTF-8": (b"/privacy/consent-log?v=2&id=x&doc=\xd0", b"A\xff\xfeB"),
}


@pytest.mark.parametrize("target, user_agent", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_requests_each_make_exactly_one_json_line_with_every_value_escaped(endpoint, proof_module, target, user_agent):
    assert raw_get(endpoint.port, target, user_agent) == b"HTTP/1.1 204 No Content"
    assert get(endpoint.url + "?id=after")[0] == 204
    lines = wait_for_lines(endpoint.log, 2)
    assert len(lines) == 2 and all(line.endswith("}\n") and line.count("\n") == 1 for line in lines)
    first, after = (json.loads(line) for line in lines)
    assert after["id"] == "after", "the hostile line must not run into the next one"
    assert first["ua"] == user_agent.decode("utf-8", errors="replace")
    sent = dict(pair.split("=", 1) for pair in target.decode("utf-8", errors="replace").split("?", 1)[1].split("&"))
    assert {key: first[key] for key in sent} == sent
    assert isinstance(proof_module.parse_line(lines[0].encode()), proof_module.Record)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    consent_id=st.uuids(version=4).map(str),
    choice=st.sampled_from(["all", "necessary", "custom", "withdraw"]),
    categories=st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True), max_size=4),
    doc=TEXT, edition=TEXT, client_time=TEXT,
    user_agent=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=200).map(lambda ua: ua.strip(" ")),
)
def test_any_banner_request_round_trips_through_nginx_and_the_proof_parser(
    endpoint, proof_module, consent_id, choice, categories, doc, edition, client_time, user_agent
):
    before = len(wait_for_lines(endpoint.log, 0))
    fields = banner_fields(consent_id, choice=choice, categories=("necessary", *categories), doc=doc, ed=edition, t=client_time)
    assert raw_get(endpoint.port, b"/privacy/consent-log?" + query(fields).encode(), user_agent.encode()) == b"HTTP/1.1 204 No Content"
    lines = wait_for_lines(endpoint.log, before + 1)
    assert len(lines) == before + 1
    record = proof_module.parse_line(lines[-1].encode())
    assert (record.consent_id, record.choice, record.categories, record.doc, record.edition, record.client_time, record.ua) == (
        consent_id, choice, ("necessary", *categories), doc, edition, client_time, user_agent)


@pytest.mark.browser
def test_choices_sent_by_chromium_with_keepalive_are_logged_and_proved(endpoint, visit, tmp_path, kit):
    seen = visit(endpoint.base)
    sent = [
        banner_fields(ID_A, choice="all", t="1795600000"),
        banner_fields(ID_B, choice="necessary", categories=("necessary",), t="1795600001"),
        banner_fields(ID_A, choice="custom", categories=("necessary", "analytics"), t="1795600002"),
        banner_fields(ID_A, choice="withdraw", categories=("necessary",), t="1795600003"),
    ]
    for fields in sent:
        status = seen.page.evaluate(
            "async url => (await fetch(url, {keepalive: true, credentials: 'same-origin'})).status",
            "/privacy/consent-log?" + query(fields),
        )
        assert status == 204
    lines = wait_for_lines(endpoint.log, 4)
    user_agent = seen.page.evaluate("navigator.userAgent")
    assert [json.loads(line)["ua"] for line in lines] == [user_agent] * 4
    assert seen.errors == [] and seen.foreign_requests() == []

    editions = tmp_path / "editions.json"
    editions.write_text(json.dumps(kit.editions_json(dict(kit.edition(2, "2026-11-01", "x"), sha256=SHA_2), source="docs/cookies.md")))
    result = run_proof(ID_A, "--log", str(endpoint.log), "--editions", str(editions))
    assert result.returncode == 0, result.stderr
    assert re.findall(r"Выбор: (\w+)", result.stdout) == ["all", "custom", "withdraw"]
    assert result.stdout.count("Адрес: 127.0.0.1") == 3 and f"Браузер: {user_agent}" in result.stdout
    assert "SHA-256 СОВПАДАЕТ" in result.stdout and "https://alectro.ru/privacy/editions/2/" in result.stdout
