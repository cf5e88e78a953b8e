"""The consent log (deploy/nginx.conf's /privacy/consent-log, deploy/nginx-http.conf, deploy/logrotate.conf) with a
real nginx, Chromium and logrotate; and the proof command that reads it (alectro_deploy.consent_proof)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alectro_deploy import consent_log, consent_report
from support import REPO, require, run_proof, wait_for_lines

DEPLOY = REPO / "deploy"
LOGROTATE_CONF = REPO / "deploy" / "logrotate.conf"
SHIPPED_LOG = "/var/log/nginx/alectro-consent.jsonl"
SHIPPED_PID = "/run/nginx.pid"
SHA_1 = "a" * 64
SHA_2 = "b" * 64


def recorded(record: consent_log.Record, with_ua: bool = False) -> tuple:
    """What a log record says of a choice, in the order the banner sends it (the user agent on request)."""
    fields = (record.consent_id, record.choice, record.categories, record.doc, record.edition, record.sha)
    return (*fields, record.client_time, *((record.ua,) if with_ua else ()))


def banner_fields(
    consent_id: str,
    *,
    choice="all",
    categories=("necessary", "analytics"),
    doc="docs/cookies.md",
    ed="2",
    sha=SHA_2,
    t="1795600000",
) -> dict[str, str]:
    """The query fields the banner sends for one choice, decoded."""
    return {
        "v": "2",
        "id": consent_id,
        "choice": choice,
        "c": "+".join(categories),
        "doc": doc,
        "ed": ed,
        "sha": sha,
        "t": t,
    }


def query(fields: dict[str, str]) -> str:
    """``fields`` encoded as the banner's URLSearchParams does ('+' as %2B, a space as '+')."""
    return urllib.parse.urlencode(fields)


def nginx_line(
    fields: dict[str, str], *, time_iso="2026-11-25T10:00:00+03:00", addr="203.0.113.7", ua="Mozilla/5.0"
) -> str:
    """The log line nginx writes for a GET with ``fields`` (values still percent-encoded, as $arg_* are)."""
    raw = dict(urllib.parse.parse_qsl(query(fields), keep_blank_values=True))
    encoded = {key: urllib.parse.quote_plus(value, safe="") for key, value in raw.items()}
    return json.dumps({"time": time_iso, "addr": addr, "ua": ua, **encoded}, ensure_ascii=False) + "\n"


def find_logrotate() -> str:
    found = next(
        (path for path in ("/usr/sbin/logrotate", shutil.which("logrotate")) if path and os.access(path, os.X_OK)),
        None,
    )
    return require(
        found,
        "No logrotate found: run 'make test' (it installs Debian's logrotate as root) or 'apt-get install logrotate'.",
    )


FIELDS = ("time", "addr", "ua", "v", "id", "choice", "c", "doc", "ed", "sha", "t")
ID_A = "3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b"
ID_B = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"


# -- nginx: the endpoint and its log ------------------------------------------------------------------------


@pytest.fixture
def endpoint(nginx, kit, tmp_path):
    """A real nginx with the shipped config serving a small site; its consent log made as guides/operator.md says."""
    site = kit.make_site(tmp_path / "site", None, "Политика")
    # A static file where the endpoint is: the location must answer itself, never serve it.
    (site / "consent-log").write_text("STATIC FILE\n")
    # No /favicon.ico request (a 404 outside /privacy/ would be a console error of its own).
    (site / "index.html").write_text(
        '<!doctype html><link rel="icon" href="data:,"><title>Политика</title><h1>Политика</h1>\n'
    )
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    log = prefix / "alectro-consent.jsonl"
    log.touch(mode=0o640)
    log.chmod(0o640)
    base = nginx(site, prefix=prefix)
    port = int(urllib.parse.urlsplit(base).port)
    return SimpleNamespace(
        base=base, url=base + "consent-log", port=port, log=log, pid=prefix / "nginx.pid", prefix=prefix
    )


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
        connection.sendall(
            b"GET "
            + target
            + b" HTTP/1.1\r\nHost: localhost\r\nUser-Agent: "
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
    assert first["ua"] == user_agent.decode("utf-8", errors="replace")
    sent = dict(pair.split("=", 1) for pair in target.decode("utf-8", errors="replace").split("?", 1)[1].split("&"))
    assert {key: first[key] for key in sent} == sent
    assert isinstance(consent_log.parse_line(lines[0].encode()), consent_log.Record)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    consent_id=st.uuids(version=4).map(str),
    choice=st.sampled_from(["all", "necessary", "custom", "withdraw"]),
    categories=st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True), max_size=4),
    doc=TEXT,
    edition=TEXT,
    client_time=TEXT,
    user_agent=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=200).map(
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
        raw_get(endpoint.port, b"/privacy/consent-log?" + query(fields).encode(), user_agent.encode())
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


def logrotate_config(log: Path, pid: Path) -> str:
    """deploy/logrotate.conf for ``log`` and the nginx whose pid file is ``pid``; as another user than root, the
    new file is created for that user (only root may give it to www-data:adm)."""
    shipped = LOGROTATE_CONF.read_text(encoding="utf-8")
    assert shipped.count(SHIPPED_LOG + " {") == 1 and shipped.count(SHIPPED_PID) == 2
    config = shipped.replace(SHIPPED_LOG, str(log)).replace(SHIPPED_PID, str(pid))
    if os.geteuid() != 0:
        import grp
        import pwd

        config = config.replace(
            "create 0640 www-data adm",
            f"create 0640 {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name}",
        )
    return config


def rotate(logrotate: str, config: Path, state: Path) -> None:
    result = subprocess.run([logrotate, "-f", "-s", str(state), str(config)], capture_output=True, text=True)
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
    assert sorted(copies) == ["alectro-consent.jsonl", "alectro-consent.jsonl.1", "alectro-consent.jsonl.2.gz"]
    assert json.loads(gzip.decompress(copies["alectro-consent.jsonl.2.gz"].read_bytes()))["choice"] == "all"
    assert json.loads(copies["alectro-consent.jsonl.1"].read_text())["choice"] == "custom", (
        "the newest copy stays plain (delaycompress)"
    )
    for path in copies.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, f"{path.name}: personal data, not for everyone"

    result = run_proof(ID_A, "--log", str(endpoint.log))
    assert result.returncode == 0, result.stderr
    assert re.findall(r"Выбор: (\w+)", result.stdout) == ["all", "custom", "withdraw"]
    assert "alectro-consent.jsonl.2.gz:1" in result.stdout


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
    assert f"rotating pattern: {log}  monthly (36 rotations)" in result.stderr
    folder_pattern = re.escape(str(folder))
    assert re.search(
        rf"rotating pattern: {folder_pattern}/\*\.log .*\n(.*\n)*?considering log {folder_pattern}/access\.log",
        result.stderr,
    )
    assert f"considering log {log}\n" in result.stderr.split("monthly (36 rotations)")[1]


# -- the proof command on log files ---------------------------------------------------------------------------


def write_gz(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


@pytest.fixture
def rotated_logs(tmp_path):
    """A log folder as logrotate leaves it, records of ID_A spread over every kind of copy, garbage mixed in."""
    folder = tmp_path / "log"
    folder.mkdir(mode=0o750)
    a = lambda choice, when, **kw: nginx_line(banner_fields(ID_A, choice=choice, **kw), time_iso=when)  # noqa: E731
    b = nginx_line(
        banner_fields(ID_B, choice="necessary", categories=("necessary",)), time_iso="2026-11-20T09:00:00+03:00"
    )
    write_gz(folder / "alectro-consent.jsonl-20261001.gz", a("all", "2026-09-30T23:59:59+03:00", ed="1", sha=SHA_1))
    write_gz(
        folder / "alectro-consent.jsonl.2.gz",
        "not json at all\n" + a("custom", "2026-10-15T12:00:00+03:00", categories=("necessary",)),
    )
    (folder / "alectro-consent.jsonl.1").write_text(
        b + '{"time": "2026-11-01T00:00:00+03:00", "id"\n' + "\x00\xff garbage\n"
    )
    live = a("withdraw", "2026-11-25T10:00:00+03:00", categories=("necessary",))
    # The last line cut short: nginx was writing it when the disk filled up.
    (folder / "alectro-consent.jsonl").write_text(live + b[: len(b) // 2])
    # A compressed copy cut short: what it holds before the cut still counts.
    older = "".join(
        nginx_line(
            banner_fields(ID_A, t=str(1785000000 + n)), time_iso="2026-08-01T08:00:00+03:00", ua=f"UA {uuid.uuid4()}"
        )
        for n in range(50)
    )
    whole = gzip.compress(older.encode())
    (folder / "alectro-consent.jsonl.3.gz").write_bytes(whole[: len(whole) * 2 // 3])
    for path in folder.iterdir():
        path.chmod(0o640)
    return folder


@pytest.fixture
def editions_file(tmp_path, kit):
    """A published editions.json: docs/cookies.md with editions 1 (SHA_1) and 2 (SHA_2)."""
    data = kit.editions_json(
        dict(kit.edition(1, "2026-09-01", "one"), sha256=SHA_1),
        dict(kit.edition(2, "2026-10-01", "two"), sha256=SHA_2),
        source="docs/cookies.md",
    )
    path = tmp_path / "editions.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def test_the_proof_lists_every_record_of_the_id_in_time_order_from_live_rotated_and_gzipped_logs(
    rotated_logs, editions_file
):
    result = run_proof(ID_A, "--log", str(rotated_logs), "--editions", str(editions_file))
    assert result.returncode == 0, result.stderr
    choices = re.findall(r"^\d+\. (\S+) .*\n   Выбор: (\w+)", result.stdout, re.M)
    assert choices[0] == ("2026-08-01T08:00:00+03:00", "all") and len(choices) > 5, (
        "records before the cut in a damaged copy count"
    )
    assert choices[-3:] == [
        ("2026-09-30T23:59:59+03:00", "all"),
        ("2026-10-15T12:00:00+03:00", "custom"),
        ("2026-11-25T10:00:00+03:00", "withdraw"),
    ]
    assert ID_B not in result.stdout
    assert "Категории: necessary, analytics" in result.stdout and "Адрес: 203.0.113.7" in result.stdout
    # Garbage, a cut line and a damaged copy: counted and named by file and line, never fatal.
    report = result.stderr
    assert "Пропущено строк, не являющихся записями журнала: 5" in report
    assert f"{rotated_logs}/alectro-consent.jsonl.1:2: не JSON" in report
    assert f"{rotated_logs}/alectro-consent.jsonl:2: не JSON" in report
    assert re.search(
        rf"{re.escape(str(rotated_logs))}/alectro-consent\.jsonl\.3\.gz:\d+: файл повреждён или обрезан", report
    )

    # The live log names its rotated copies too; a glob names exactly what it matches.
    assert (
        run_proof(ID_A, "--log", str(rotated_logs / "alectro-consent.jsonl"), "--editions", str(editions_file)).stdout
        == result.stdout
    )
    only_live = run_proof(ID_A, "--log", str(rotated_logs / "*.jsonl"))
    assert re.findall(r"Выбор: (\w+)", only_live.stdout) == ["withdraw"]


def test_the_proof_checks_each_edition_agreed_to_against_the_published_checksums(tmp_path, editions_file):
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text(
        nginx_line(banner_fields(ID_A, ed="1", sha=SHA_1))
        + nginx_line(banner_fields(ID_A, ed="2", sha="c" * 64))
        + nginx_line(banner_fields(ID_A, ed="3", sha=SHA_2))
        + nginx_line(banner_fields(ID_A, doc="docs/other.md", ed="1", sha=SHA_1))
    )
    log.chmod(0o640)
    result = run_proof(ID_A, "--log", str(log), "--editions", str(editions_file))
    assert result.returncode == 0, result.stderr
    checks = result.stdout.split("Редакции документа, под которыми дан выбор:\n")[1]
    assert checks == (
        f"docs/cookies.md, редакция 1, SHA-256 {SHA_1}\n"
        "  Редакция 1 от 2026-09-01: https://alectro.ru/privacy/editions/1/\n"
        "  SHA-256 СОВПАДАЕТ с опубликованным в editions.json\n"
        f"docs/cookies.md, редакция 2, SHA-256 {'c' * 64}\n"
        "  Редакция 2 от 2026-10-01: https://alectro.ru/privacy/editions/2/\n"
        f"  SHA-256 НЕ СОВПАДАЕТ: в editions.json {SHA_2}, в записи {'c' * 64}\n"
        f"docs/cookies.md, редакция 3, SHA-256 {SHA_2}\n"
        "  РЕДАКЦИЯ НЕ НАЙДЕНА: у документа docs/cookies.md в editions.json нет редакции 3\n"
        f"docs/other.md, редакция 1, SHA-256 {SHA_1}\n"
        "  ДОКУМЕНТ НЕ НАЙДЕН: в editions.json нет документа docs/other.md\n"
    )


def test_the_summary_counts_choices_by_day_edition_and_category(tmp_path):
    log = tmp_path / "alectro-consent.jsonl"
    lines = [
        nginx_line(
            banner_fields(str(uuid.uuid4()), choice="all", categories=("necessary", "analytics", "ads")),
            time_iso="2026-11-24T23:59:59+03:00",
        ),
        nginx_line(
            banner_fields(str(uuid.uuid4()), choice="necessary", categories=("necessary",), ed="1", sha=SHA_1),
            time_iso="2026-11-24T08:00:00+03:00",
        ),
        nginx_line(
            banner_fields(str(uuid.uuid4()), choice="custom", categories=("necessary", "analytics")),
            time_iso="2026-11-25T00:00:00+03:00",
        ),
        nginx_line(
            banner_fields(str(uuid.uuid4()), choice="withdraw", categories=("necessary",)),
            time_iso="2026-11-25T12:00:00+03:00",
        ),
        nginx_line(
            banner_fields(str(uuid.uuid4()), choice="all", categories=("necessary", "analytics")),
            time_iso="2026-11-25T13:00:00+03:00",
        ),
        # A scanner's request without the banner's fields, and garbage: reported, not counted.
        '{"time":"2026-11-25T14:00:00+03:00","addr":"198.51.100.1","ua":"curl","v":"","id":"","choice":"","c":"","doc":"","ed":"","sha":"","t":""}\n',
        "garbage\n",
    ]
    log.write_text("".join(lines))
    log.chmod(0o640)
    result = run_proof("--summary", "--log", str(log))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Записей о выборе: 5 (файлов журнала: 1)\n"
        "Записей не так, как отправляет баннер (не посчитаны): 1\n"
        "\n"
        "По дням (время сервера):\n"
        "  2026-11-24: 2 (all 1, necessary 1)\n"
        "  2026-11-25: 3 (all 1, custom 1, withdraw 1)\n"
        "\n"
        "По редакциям документа:\n"
        "  docs/cookies.md, редакция 1: 1\n"
        "  docs/cookies.md, редакция 2: 4\n"
        "\n"
        "По категориям (сколько раз разрешена):\n"
        "  necessary: 5\n"
        "  analytics: 3\n"
        "  ads: 1\n"
    )
    assert "Пропущено строк, не являющихся записями журнала: 1" in result.stderr


def test_control_characters_from_the_log_cannot_forge_or_hide_lines_of_the_proof(tmp_path):
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text(nginx_line(banner_fields(ID_A), ua="X\n2. forged\x1b[2J"))
    log.chmod(0o640)
    result = run_proof(ID_A, "--log", str(log))
    assert result.returncode == 0
    assert "Браузер: X\\x0a2. forged\\x1b[2J" in result.stdout and "\x1b" not in result.stdout


@pytest.mark.parametrize(
    "args, code, message",
    [
        ([ID_B], 1, f"Согласие {ID_B} не найдено в журнале"),
        (["3f2b9c1e-8a4d-1e6f-9b0a-1c2d3e4f5a6b"], 2, "не идентификатор согласия: нужен UUID версии 4"),
        (["not-an-id"], 2, "не идентификатор согласия"),
        ([], 2, "укажите либо идентификатор согласия, либо --summary"),
        ([ID_A, "--editions", "{missing}"], 2, "не удалось прочитать editions.json {missing}"),
        ([ID_A, "--log", "{missing}"], 2, "нет файла журнала {missing}"),
        ([ID_A, "--log", "{folder}/nothing-*.jsonl"], 2, "ни один файл не подходит под шаблон"),
    ],
    ids=[
        "unknown id",
        "uuid not version 4",
        "not a uuid",
        "no id",
        "missing editions.json",
        "missing log",
        "empty glob",
    ],
)
def test_the_proof_exits_1_for_an_unknown_id_and_2_with_a_clear_message_for_usage_and_read_errors(
    tmp_path, args, code, message
):
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text(nginx_line(banner_fields(ID_A)))
    log.chmod(0o640)
    places = {"missing": str(tmp_path / "missing.json"), "folder": str(tmp_path)}
    args = [arg.format(**places) for arg in args]
    result = run_proof(*args, *([] if "--log" in args else ["--log", str(log)]))
    assert result.returncode == code, result.stderr
    assert message.format(**places) in result.stderr


def test_the_proof_warns_when_anyone_may_read_the_log(tmp_path):
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text(nginx_line(banner_fields(ID_A)))
    log.chmod(0o644)
    result = run_proof(ID_A, "--log", str(log))
    assert result.returncode == 0 and f"chmod 0640 {log}" in result.stderr


def test_make_consent_proof_runs_the_command_and_explains_its_usage(rotated_logs, editions_file):
    env = {**os.environ, "ID": ID_A, "LOG": str(rotated_logs), "EDITIONS": str(editions_file)}
    result = subprocess.run(["make", "-s", "-C", str(REPO), "consent-proof"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "SHA-256 СОВПАДАЕТ" in result.stdout and "Выбор: withdraw" in result.stdout
    summary = subprocess.run(
        ["make", "-s", "-C", str(REPO), "consent-proof", "SUMMARY=1", f"LOG={rotated_logs}"],
        capture_output=True,
        text=True,
    )
    assert summary.returncode == 0 and summary.stdout.startswith("Записей о выборе:"), summary.stderr
    usage = subprocess.run(
        ["make", "-s", "-C", str(REPO), "consent-proof"],
        env={k: v for k, v in os.environ.items() if k != "ID"},
        capture_output=True,
        text=True,
    )
    assert usage.returncode == 2 and "usage: make consent-proof ID=" in usage.stderr


# -- the line parser, for any input ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=11),
        )
        .map(json.dumps)
        .map(str.encode),
        st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=20), min_size=9).map(
            lambda d: json.dumps(d).encode()
        ),
    )
)
def test_no_line_crashes_the_parser_and_each_is_a_record_or_a_reason(raw):
    parsed = consent_log.parse_line(raw, "log", 1)
    assert isinstance(parsed, consent_log.Record) or (isinstance(parsed, str) and parsed)
    if isinstance(parsed, consent_log.Record):
        # And its proof prints: every character encodable, no control character left for the terminal.
        lines = consent_report.proof(consent_log.Log(records=[parsed]), parsed.consent_id, None)
        shown = "\n".join(map(consent_log.shown, lines))
        assert shown.encode("utf-8") and not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", shown)


@settings(max_examples=200, deadline=None)
@given(
    consent_id=st.uuids(version=4).map(str),
    choice=st.sampled_from(["all", "necessary", "custom", "withdraw"]),
    categories=st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True), max_size=4),
    doc=TEXT,
    edition=st.integers(1, 10**6).map(str),
    sha=st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
    client_time=st.integers(0, 2**40).map(str),
    user_agent=TEXT,
)
def test_a_well_formed_record_round_trips_through_the_parser(
    consent_id, choice, categories, doc, edition, sha, client_time, user_agent
):
    fields = banner_fields(
        consent_id, choice=choice, categories=("necessary", *categories), doc=doc, ed=edition, sha=sha, t=client_time
    )
    record = consent_log.parse_line(nginx_line(fields, ua=user_agent).encode("utf-8"), "log", 7)
    assert recorded(record, with_ua=True) == (
        consent_id,
        choice,
        ("necessary", *categories),
        doc,
        edition,
        sha,
        client_time,
        user_agent,
    )
    assert record.problems == (() if doc else ("нет документа",))
