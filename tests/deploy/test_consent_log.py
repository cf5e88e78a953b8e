"""The consent log (deploy/nginx.conf's /privacy/consent-log, deploy/nginx-http.conf, deploy/logrotate.conf) with a
real nginx, Chromium and logrotate, read by the proof command. The proof command on log files alone is in
test_consent_proof.py, the line parser in tests/unit/deploy/test_consent_log.py."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alectro_deploy import consent_log
from support import (
    CONSENT_ID_A,
    CONSENT_ID_B,
    REPO,
    SHA_2,
    banner_fields,
    query,
    recorded,
    require,
    run_proof,
    wait_for_lines,
)

ID_A, ID_B = CONSENT_ID_A, CONSENT_ID_B

DEPLOY = REPO / "deploy"
LOGROTATE_CONF = REPO / "deploy" / "logrotate.conf"
SHIPPED_LOG = "/var/log/nginx/alectro-consent.jsonl"
SHIPPED_PID = "/run/nginx.pid"
SHIPPED_SEALER = "/usr/local/sbin/alectro-consent-seal"
SEALER = REPO / "deploy" / "alectro-consent-seal"


def find_logrotate() -> str:
    found = next(
        (path for path in ("/usr/sbin/logrotate", shutil.which("logrotate")) if path and os.access(path, os.X_OK)),
        None,
    )
    return require(
        found,
        "No logrotate found: run 'make test' (it installs Debian's logrotate as root) or 'apt-get install logrotate'.",
    )


FIELDS = consent_log.FIELDS + consent_log.NEW_FIELDS + consent_log.SERVER_FIELDS
FAKETIME_HINT = (
    "No faketime found: run 'make test' (it installs Debian's faketime as root) or 'apt-get install faketime'."
)


# -- nginx: the endpoint and its log ------------------------------------------------------------------------


@pytest.fixture
def endpoint(nginx, kit, tmp_path):
    """A real nginx with the shipped config serving a small site; its consent log made as guides/operator.md says."""
    return start_endpoint(nginx, kit, tmp_path)


def start_endpoint(nginx, kit, folder: Path) -> SimpleNamespace:
    """A real nginx (one server) with the shipped config, its files in ``folder``."""
    site = kit.make_site(folder / "site", None, "Политика")
    # A static file where the endpoint is: the location must answer itself, never serve it.
    (site / "consent-log").write_text("STATIC FILE\n")
    # No /favicon.ico request (a 404 outside /privacy/ would be a console error of its own).
    (site / "index.html").write_text(
        '<!doctype html><link rel="icon" href="data:,"><title>Политика</title><h1>Политика</h1>\n'
    )
    prefix = folder / "nginx"
    prefix.mkdir()
    log = prefix / "alectro-consent.jsonl"
    log.touch(mode=0o640)
    log.chmod(0o640)
    base = nginx(site, prefix=prefix)
    port = int(urllib.parse.urlsplit(base).port)
    return SimpleNamespace(
        base=base, url=base + "consent-log", port=port, log=log, pid=prefix / "nginx.pid", prefix=prefix
    )


SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
"""What a browser sends with the banner's fetch from a page of the site itself."""


def get(url: str, method: str = "GET", headers: dict | None = None):
    """Status, headers and body of one request, sent as from a page of the site (``Sec-Fetch-Site: same-origin``)
    unless ``headers`` say otherwise."""
    request = urllib.request.Request(url, method=method, headers={**SAME_ORIGIN, **(headers or {})})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def raw_get(port: int, target: bytes, user_agent: bytes, client: str = "127.0.0.1") -> bytes:
    """The status line of a same-origin GET sent byte for byte (urllib would percent-encode what a hostile client
    need not), from the loopback address ``client`` (each its own client for the rate limit)."""
    with socket.create_connection(("127.0.0.1", port), source_address=(client, 0)) as connection:
        connection.sendall(
            b"GET "
            + target
            + b" HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Site: same-origin\r\nUser-Agent: "
            + user_agent
            + b"\r\nConnection: close\r\n\r\n"
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_a_choice_is_answered_204_without_body_or_cache_and_logged_as_one_json_line(endpoint):
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
    record = consent_log.parse_line(line.encode())
    assert recorded(record) == (ID_A, "all", ("necessary", "analytics"), "docs/cookies.md", "2", SHA_2, "1795600000")
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


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {"Sec-Fetch-Site": "none"}, {}],
    ids=["an <img> on another site", "a sibling subdomain", "typed into the address bar", "no browser's header"],
)
def test_a_request_not_sent_by_a_page_of_the_site_is_refused_and_not_logged(endpoint, headers):
    request = urllib.request.Request(endpoint.url + "?" + query(banner_fields(ID_B)), headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 403
    assert get(endpoint.url + "?" + query(banner_fields(ID_A)))[0] == 204
    assert [json.loads(line)["id"] for line in wait_for_lines(endpoint.log, 1)] == [ID_A]


def test_a_query_longer_than_the_banner_sends_is_refused_and_not_logged(endpoint):
    from alectro_policy.consent.banner import LOG_QUERY_LIMIT

    longest = "v=3&id=" + "x" * (LOG_QUERY_LIMIT - len("v=3&id="))
    assert get(endpoint.url + "?" + longest + "y")[0] == 414
    assert get(endpoint.url + "?" + longest)[0] == 204
    (line,) = wait_for_lines(endpoint.log, 1)
    assert json.loads(line)["id"] == "x" * (LOG_QUERY_LIMIT - len("v=3&id="))


def test_one_client_past_its_burst_is_answered_429_and_not_logged_while_another_client_is_served(endpoint):
    target = b"/privacy/consent-log?" + query(banner_fields(ID_B)).encode()
    answers = [raw_get(endpoint.port, target, b"UA", client="127.0.0.2") for _ in range(40)]
    refused = answers.count(b"HTTP/1.1 429 Too Many Requests")
    assert refused >= 40 - 21 - 5 and answers.count(b"HTTP/1.1 204 No Content") == 40 - refused, set(answers)
    assert raw_get(endpoint.port, target.replace(ID_B.encode(), ID_A.encode()), b"UA", client="127.0.0.3") == (
        b"HTTP/1.1 204 No Content"
    )
    lines = wait_for_lines(endpoint.log, 40 - refused + 1)
    assert len(lines) == 40 - refused + 1 and json.loads(lines[-1])["id"] == ID_A


HOSTILE = {
    "quotes and backslashes in the query and user agent": (
        b'/privacy/consent-log?v=2&id="x\\"&doc=a"b\\c{}',
        b'Evil"} , {"id":"forged\\',
    ),
    "control characters in the user agent": (b"/privacy/consent-log?v=2&id=x", b"A\x01B\x1b[2JC\tD\x7fE\x1f"),
    "encoded newline and quote in the query": (b"/privacy/consent-log?v=2&id=x&doc=a%0A%22b%5C", b"UA"),
    "Cyrillic in the query and user agent": (
        "/privacy/consent-log?v=2&id=x&doc=Согласие".encode(),
        "Яндекс.Браузер/24 «тест»".encode(),
    ),
    "a very long user agent": (b"/privacy/consent-log?v=2&id=x", b"Mozilla/5.0 " + b'"\\' * 3000),
    "bytes that are not UTF-8": (b"/privacy/consent-log?v=2&id=x&doc=\xd0", b"A\xff\xfeB"),
}


@pytest.mark.parametrize("target, user_agent", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_requests_each_make_exactly_one_json_line_with_every_value_escaped(endpoint, target, user_agent):
    assert raw_get(endpoint.port, target, user_agent) == b"HTTP/1.1 204 No Content"
    assert get(endpoint.url + "?id=after")[0] == 204
    lines = wait_for_lines(endpoint.log, 2)
    assert len(lines) == 2 and all(line.endswith("}\n") and line.count("\n") == 1 for line in lines)
    first, after = (json.loads(line) for line in lines)
    assert after["id"] == "after", "the hostile line must not run into the next one"
    # The user agent is cut to its first 512 bytes, so that no request makes a line longer than 16 KB.
    assert first["ua"] == user_agent[:512].decode("utf-8", errors="replace")
    sent = dict(pair.split("=", 1) for pair in target.decode("utf-8", errors="replace").split("?", 1)[1].split("&"))
    assert {key: first[key] for key in sent} == sent
    assert isinstance(consent_log.parse_line(lines[0].encode()), consent_log.Record)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


# A loopback address per request: each example is a client of its own for the rate limit.
CLIENTS = (f"127.0.{n // 250}.{n % 250 + 2}" for n in itertools.count(1000))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    consent_id=st.uuids(version=4).map(str),
    choice=st.sampled_from(["all", "necessary", "custom", "withdraw"]),
    categories=st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True), max_size=4),
    doc=TEXT,
    edition=TEXT,
    client_time=TEXT,
    user_agent=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=120).map(
        lambda ua: ua.strip(" ")
    ),
)
def test_any_banner_request_round_trips_through_nginx_and_the_proof_parser(
    endpoint, consent_id, choice, categories, doc, edition, client_time, user_agent
):
    before = len(wait_for_lines(endpoint.log, 0))
    fields = banner_fields(
        consent_id, choice=choice, categories=("necessary", *categories), doc=doc, ed=edition, t=client_time
    )
    assert (
        raw_get(endpoint.port, b"/privacy/consent-log?" + query(fields).encode(), user_agent.encode(), next(CLIENTS))
        == b"HTTP/1.1 204 No Content"
    )
    lines = wait_for_lines(endpoint.log, before + 1)
    assert len(lines) == before + 1
    record = consent_log.parse_line(lines[-1].encode())
    assert (
        record.consent_id,
        record.choice,
        record.categories,
        record.doc,
        record.edition,
        record.client_time,
        record.ua,
    ) == (consent_id, choice, ("necessary", *categories), doc, edition, client_time, user_agent)


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
    editions.write_text(
        json.dumps(kit.editions_json(dict(kit.edition(2, "2026-11-01", "x"), sha256=SHA_2), source="docs/cookies.md"))
    )
    result = run_proof(ID_A, "--log", str(endpoint.log), "--editions", str(editions))
    assert result.returncode == 0, result.stderr
    assert re.findall(r"Выбор: (\w+)", result.stdout) == ["all", "custom", "withdraw"]
    assert result.stdout.count("Адрес: 127.0.0.1") == 3 and f"Браузер: {user_agent}" in result.stdout
    assert "SHA-256 СОВПАДАЕТ" in result.stdout and "https://alectro.ru/privacy/editions/2/" in result.stdout


# -- logrotate ----------------------------------------------------------------------------------------------


def write_gz(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


def logrotate_config(log: Path, pid: Path, sealer: Path | None = None) -> str:
    """deploy/logrotate.conf for ``log`` and the nginx whose pid file is ``pid``, its postrotate running ``sealer``
    (default: none installed); as another user than root, the new file is created for that user (only root may give
    it to www-data:adm)."""
    shipped = LOGROTATE_CONF.read_text(encoding="utf-8")
    assert shipped.count(SHIPPED_LOG + " {") == 1 and shipped.count(SHIPPED_PID) == 2
    assert shipped.count(SHIPPED_SEALER) == 2
    config = shipped.replace(SHIPPED_LOG, str(log)).replace(SHIPPED_PID, str(pid))
    config = config.replace(SHIPPED_SEALER, str(sealer or log.parent / "no-sealer-installed"))
    if os.geteuid() != 0:
        import grp
        import pwd

        config = config.replace(
            "create 0640 www-data adm",
            f"create 0640 {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name}",
        )
    return config


def rotate(
    logrotate: str, config: Path, state: Path, force: bool = True, env: dict | None = None, at: str = ""
) -> None:
    """Run logrotate (forced unless ``force`` is false) with ``env`` added to the environment, at the time ``at``
    (``YYYY-MM-DD hh:mm:ss`` UTC, through faketime) if given."""
    force_flag = ["-f"] if force else []
    faked = [require(shutil.which("faketime"), FAKETIME_HINT), at] if at else []
    result = subprocess.run(
        [*faked, logrotate, *force_flag, "-s", str(state), str(config)],
        capture_output=True,
        text=True,
        # NO_FAKE_STAT: the files' times as they are (faketime would shift them with the clock, ages unchanged).
        env={**os.environ, "TZ": "UTC", "NO_FAKE_STAT": "1", **(env or {})},
    )
    assert result.returncode == 0, result.stderr


def test_logrotate_rotates_and_compresses_the_log_while_nginx_keeps_writing_and_the_proof_reads_every_copy(endpoint):
    logrotate = find_logrotate()
    config = endpoint.prefix / "logrotate.conf"
    config.write_text(logrotate_config(endpoint.log, endpoint.pid))
    state = endpoint.prefix / "logrotate.state"
    # The same second and the same browser time: only the files' ages can order these records.
    for choice in ("all", "custom", "withdraw"):
        assert get(endpoint.url + "?" + query(banner_fields(ID_A, choice=choice)))[0] == 204
        # The line of each choice lands in the live file: nginx reopened it after the previous rotation.
        assert len(wait_for_lines(endpoint.log, 1)) == 1
        if choice != "withdraw":
            rotate(logrotate, config, state)

    copies = {path.name: path for path in endpoint.prefix.glob("alectro-consent.jsonl*")}
    assert sorted(copies) == ["alectro-consent.jsonl", "alectro-consent.jsonl.1.gz", "alectro-consent.jsonl.2.gz"]
    assert json.loads(gzip.decompress(copies["alectro-consent.jsonl.2.gz"].read_bytes()))["choice"] == "all"
    assert json.loads(gzip.decompress(copies["alectro-consent.jsonl.1.gz"].read_bytes()))["choice"] == "custom", (
        "the newest copy is compressed at once, its last line in it"
    )
    for path in copies.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, f"{path.name}: personal data, not for everyone"

    result = run_proof(ID_A, "--log", str(endpoint.log))
    assert result.returncode == 0, result.stderr
    assert re.findall(r"Выбор: (\w+)", result.stdout) == ["all", "custom", "withdraw"]
    assert "alectro-consent.jsonl.2.gz:1" in result.stdout


def aged_copy(path: Path, when: dt.datetime) -> Path:
    """A rotated copy at ``path`` last written at ``when`` (what logrotate's maxage goes by)."""
    write_gz(path, f'{{"copy": "{path.name}"}}\n')
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


@pytest.mark.parametrize(
    "live, days_between",
    [("a record\n", 1), ("", 35)],
    ids=["mid-month, the day after the last run", "the live log empty, 35 days after the last run"],
)
def test_logrotate_deletes_a_copy_the_day_it_is_older_than_1130_days_and_keeps_a_younger_one(
    tmp_path, live, days_between
):
    logrotate = find_logrotate()
    folder = tmp_path / "log"
    folder.mkdir()
    log = folder / "alectro-consent.jsonl"
    log.write_text(live)
    config = tmp_path / "logrotate.conf"
    config.write_text(logrotate_config(log, tmp_path / "nginx.pid"))
    state = tmp_path / "logrotate.state"
    run = dt.datetime(2030, 1, 15, 6, 25, tzinfo=dt.UTC)
    # Issue 24 saw a copy 1,140 days old survive a mid-month run, and one 1,135 days old a run 35 days later.
    copies = {
        "past its period": aged_copy(folder / "alectro-consent.jsonl.9.gz", run - dt.timedelta(days=1140)),
        "a day past it": aged_copy(folder / "alectro-consent.jsonl.8.gz", run - dt.timedelta(days=1131)),
        "a day within it": aged_copy(folder / "alectro-consent.jsonl.7.gz", run - dt.timedelta(days=1129)),
    }
    # The daily timer's runs: the one before (which records the log in logrotate's state), then this one.
    rotate(logrotate, config, state, force=False, at=f"{run - dt.timedelta(days=days_between):%Y-%m-%d %H:%M:%S}")
    rotate(logrotate, config, state, force=False, at=f"{run:%Y-%m-%d %H:%M:%S}")
    kept = {path.name for path in folder.iterdir()}
    texts = {gzip.decompress(path.read_bytes()).decode() for path in folder.glob("*.gz")}
    assert '{"copy": "alectro-consent.jsonl.7.gz"}\n' in texts, "the copy within its period is kept (renumbered)"
    assert not any(copies["past its period"].name in text or copies["a day past it"].name in text for text in texts)
    assert "alectro-consent.jsonl" in kept and log.read_text() == "", "rotated, even when empty"


# Debian's /etc/logrotate.d/nginx as the nginx package ships it, its path pointed at the test's folder.
DEBIAN_NGINX_STANZA = """\
{folder}/*.log {{
	daily
	missingok
	rotate 14
	compress
	delaycompress
	notifempty
	create 0640 www-data adm
	sharedscripts
	postrotate
		invoke-rc.d nginx rotate >/dev/null 2>&1
	endscript
}}
"""


def test_the_shipped_logrotate_config_is_valid_and_not_overridden_by_debians_nginx_one(tmp_path):
    logrotate = find_logrotate()
    folder = tmp_path / "log"
    folder.mkdir()
    log = folder / "alectro-consent.jsonl"
    log.write_text("{}\n")
    (folder / "access.log").write_text("access\n")
    configs = tmp_path / "logrotate.d"
    configs.mkdir()
    # Both orders: a file matched by two stanzas is an error that skips one of them, whichever is read second.
    (configs / "alectro-consent").write_text(logrotate_config(log, tmp_path / "nginx.pid"))
    (configs / "nginx").write_text(DEBIAN_NGINX_STANZA.format(folder=folder))
    (configs / "zz-alectro-consent").write_text(logrotate_config(log, tmp_path / "nginx.pid"))
    (configs / "alectro-consent").unlink()
    result = subprocess.run(
        [logrotate, "--debug", "-s", str(tmp_path / "state"), str(configs)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    assert f"rotating pattern: {log}  after 1 days (1200 rotations)" in result.stderr
    folder_pattern = re.escape(str(folder))
    assert re.search(
        rf"rotating pattern: {folder_pattern}/\*\.log .*\n(.*\n)*?considering log {folder_pattern}/access\.log",
        result.stderr,
    )
    assert f"considering log {log}\n" in result.stderr.split("after 1 days (1200 rotations)")[1]


def test_hostile_requests_through_nginx_and_logrotate_never_break_the_proof_of_another_id(endpoint):
    logrotate = find_logrotate()
    config = endpoint.prefix / "logrotate.conf"
    config.write_text(logrotate_config(endpoint.log, endpoint.pid))
    state = endpoint.prefix / "logrotate.state"
    hostile = [
        *HOSTILE.values(),
        (b"/privacy/consent-log?v=3&id=" + ID_B.encode() + b"&t=" + b"7" * 1900, b"UA"),
        (b"/privacy/consent-log?v=3&ed=" + b"9" * 1900 + b"&choice=all", "\u2028\u202e".encode() * 100),
        (b"/privacy/consent-log?" + b"x" * 3000, b"refused: too long"),
    ]
    # Chosen now, as the banner stamps a choice: the proof flags a browser time hours away from the server's.
    now = int(time.time())
    good = [
        banner_fields(ID_A, v="3", choice="all", t=str(now), p=""),
        banner_fields(ID_A, v="3", choice="withdraw", categories=("necessary",), t=str(now + 1), p=str(now)),
    ]
    for fields in good:
        for client, (target, user_agent) in enumerate(hostile):
            raw_get(endpoint.port, target, user_agent, client=f"127.0.1.{client + 2}")
        assert get(endpoint.url + "?" + query(fields))[0] == 204
        wait_for_lines(endpoint.log, len(hostile))
        rotate(logrotate, config, state)

    result = run_proof(ID_A, "--log", str(endpoint.log))
    assert result.returncode == 0, result.stderr
    assert re.findall(r"   Выбор: (\w+)", result.stdout) == ["all", "withdraw"]
    assert "ВНИМАНИЕ" not in result.stdout and "ОТОЗВАНО согласие на: analytics" in result.stdout
    assert run_proof("--summary", "--log", str(endpoint.log)).returncode == 0


def test_a_request_nginx_logs_twice_is_one_choice_in_the_proof_and_a_replay_from_another_client_is_flagged(endpoint):
    now = int(time.time())
    target = ("/privacy/consent-log?" + query(banner_fields(ID_A, v="3", choice="all", t=str(now), p=""))).encode()
    # The browser sent it again on a dropped kept-alive connection: same client, same browser, seconds apart.
    for client in ("127.0.1.2", "127.0.1.2"):
        assert raw_get(endpoint.port, target, b"Mozilla/5.0", client=client).split()[1] == b"204"
    wait_for_lines(endpoint.log, 2)
    retried = run_proof(ID_A, "--log", str(endpoint.log))
    assert retried.returncode == 0 and "ВНИМАНИЕ" not in retried.stdout, retried.stdout
    assert "повтор запроса № 1" in retried.stdout and "Действует выбор № 1 " in retried.stdout
    # The same line sent by someone else (it names a visitor's ID and time): not the banner's way.
    assert raw_get(endpoint.port, target, b"curl/8.0", client="127.0.1.3").split()[1] == b"204"
    wait_for_lines(endpoint.log, 3)
    replayed = run_proof(ID_A, "--log", str(endpoint.log))
    assert replayed.returncode == 0 and "ВНИМАНИЕ: повтор записи № 1 с другого адреса" in replayed.stdout


# -- seals: deploy/alectro-consent-seal run as cron and logrotate run it --------------------------------------


def test_a_sealed_line_removed_or_changed_after_nginx_wrote_it_and_logrotate_rotated_it_shows_in_the_proof(
    endpoint, tsa, tmp_path
):
    logrotate = find_logrotate()
    seals = endpoint.prefix / "alectro-consent-seals.jsonl"
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    settings_file = tmp_path / "alectro-consent-seal"
    # As /etc/default/alectro-consent-seal: where alectro_deploy is, the TSA, and how the seals leave the server.
    settings_file.write_text(
        f'ALECTRO_DEPLOY="{REPO / "deploy"}"\nTSA_URLS="{tsa.url}"\nTSA_CA="{tsa.ca}"\n'
        f'SEALS_COPY="cp {seals} {offsite}/"\n'
    )
    env = {"ALECTRO_SEAL_CONFIG": str(settings_file)}

    def cron() -> None:
        result = subprocess.run([str(SEALER), str(endpoint.log)], env={**os.environ, **env}, capture_output=True)
        assert result.returncode == 0, result.stderr.decode()

    config = endpoint.prefix / "logrotate.conf"
    config.write_text(logrotate_config(endpoint.log, endpoint.pid, sealer=SEALER))
    now = int(time.time())
    sent = [
        banner_fields(ID_A, v="3", choice="all", t=str(now), p=""),
        banner_fields(ID_A, v="3", choice="custom", categories=("necessary",), t=str(now + 1), p=str(now)),
        banner_fields(ID_A, v="3", choice="all", t=str(now + 2), p=str(now + 1)),
    ]
    for fields in sent[:2]:
        assert get(endpoint.url + "?" + query(fields))[0] == 204
    wait_for_lines(endpoint.log, 2)
    cron()
    rotate(logrotate, config, endpoint.prefix / "logrotate.state", env=env)
    assert get(endpoint.url + "?" + query(sent[2]))[0] == 204
    wait_for_lines(endpoint.log, 1)
    cron()
    assert (offsite / seals.name).read_bytes() == seals.read_bytes(), "the copy off the server is up to date"
    proved = run_proof(ID_A, "--log", str(endpoint.log), "--tsa-ca", str(tsa.ca))
    assert proved.returncode == 0 and re.findall(r"   Выбор: (\w+)", proved.stdout) == ["all", "custom", "all"]
    assert "Запечатанные строки не изменены: печатей 3" in proved.stdout and "ИЗМЕНЁН" not in proved.stdout

    # The withdrawal of analytics removed from the rotated copy: the proof no longer shows it, but says why.
    rotated = endpoint.prefix / "alectro-consent.jsonl.1.gz"
    lines = gzip.decompress(rotated.read_bytes()).splitlines(keepends=True)
    rotated.write_bytes(gzip.compress(lines[0]))
    removed = run_proof(ID_A, "--log", str(endpoint.log), "--tsa-ca", str(tsa.ca))
    assert "ЖУРНАЛ ИЗМЕНЁН после " in removed.stdout and "запечатанные строки удалены" in removed.stdout
    # Changed instead of removed: the same.
    rotated.write_bytes(gzip.compress(lines[0] + lines[1].replace(b'"necessary"', b'"necessary%2Banalytics"')))
    changed = run_proof(ID_A, "--log", str(endpoint.log), "--tsa-ca", str(tsa.ca))
    assert "ЖУРНАЛ ИЗМЕНЁН после " in changed.stdout and "(строка изменена)" in changed.stdout


# -- several servers ------------------------------------------------------------------------------------------


def test_a_visitor_whose_choices_reached_two_nginx_servers_has_one_chain_in_the_proof(nginx, kit, tmp_path):
    servers = [start_endpoint(nginx, kit, tmp_path / name) for name in ("node-1", "node-2")]
    now = int(time.time())
    sent = [
        banner_fields(ID_A, v="3", choice="all", t=str(now), p=""),
        banner_fields(ID_A, v="3", choice="withdraw", categories=("necessary",), t=str(now + 1), p=str(now)),
        banner_fields(ID_A, v="3", choice="all", t=str(now + 2), p=str(now + 1)),
    ]
    # A balancer in front sent each request to one of them: 1 and 3 to the first, 2 to the second.
    for server, fields in zip((servers[0], servers[1], servers[0]), sent, strict=True):
        assert get(server.url + "?" + query(fields))[0] == 204
        # The proof orders the servers' records by their time to the millisecond ($msec): the next request is
        # logged in a later one (at most a millisecond's wait; the same one would be ordered as the logs are named).
        answered = int(time.time() * 1000)
        while int(time.time() * 1000) == answered:
            pass
    wait_for_lines(servers[0].log, 2)
    wait_for_lines(servers[1].log, 1)
    # Both logs, the first named by its folder, the second by its live file.
    result = run_proof(ID_A, "--log", str(servers[0].prefix), "--log", str(servers[1].log))
    assert result.returncode == 0, result.stderr
    assert re.findall(r"   Выбор: (\w+)", result.stdout) == ["all", "withdraw", "all"]
    assert "ВНИМАНИЕ" not in result.stdout and "ОТОЗВАНО согласие на: analytics" in result.stdout
    assert f"{servers[1].log}:1" in result.stdout
