"""The proof command (``make consent-proof``, alectro_deploy.consent_proof) on log files as logrotate leaves them:
no nginx needed. One consent is one chain of records, printed whole in log order; a hostile line never breaks
another ID's proof."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_deploy import consent_proof
from support import (
    BANNER_TEXT,
    CONSENT_ID_A,
    CONSENT_ID_B,
    REPO,
    SHA_1,
    SHA_2,
    banner_fields,
    nginx_line,
    run_proof,
)

ID_A, ID_B = CONSENT_ID_A, CONSENT_ID_B


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
    (folder / "alectro-consent.jsonl-20260901.gz").write_bytes(whole[: len(whole) * 2 // 3])
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


def test_the_proof_lists_every_record_of_the_id_in_log_order_from_live_rotated_and_gzipped_logs(
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
    assert f"{rotated_logs}/alectro-consent.jsonl.1:2: не запись журнала" in report
    assert f"{rotated_logs}/alectro-consent.jsonl:2: не запись журнала" in report
    assert re.search(
        rf"{re.escape(str(rotated_logs))}/alectro-consent\.jsonl-20260901\.gz:\d+: файл повреждён или обрезан", report
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
    # Up to what the log's seals say, after a blank line.
    checks = result.stdout.split("Редакции документа, под которыми дан выбор:\n")[1].split("\n\n")[0] + "\n"
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
    assert result.stdout.split("\n\nЖурнал ")[0] + "\n" == (
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
        ([], 2, "укажите идентификатор согласия, квитанцию (--receipt) или --summary"),
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
    # An ID a visitor sent, pasted on the server's command line as root: text, never make's «$(shell …)».
    hostile = subprocess.run(
        ["make", "-s", "-C", str(REPO), "consent-proof", f"ID=$(shell touch {rotated_logs.parent}/pwned)"],
        env={k: v for k, v in os.environ.items() if k != "ID"},
        capture_output=True,
        text=True,
    )
    assert hostile.returncode == 2 and "не идентификатор согласия" in hostile.stderr
    assert not (rotated_logs.parent / "pwned").exists() and not (REPO / "pwned").exists()


# -- one consent, one chain ----------------------------------------------------------------------------------


def chain_line(choice, categories, t, p, *, ed="2", sha=SHA_2, time_iso=None, h=BANNER_TEXT):
    fields = banner_fields(ID_A, choice=choice, categories=categories, t=t, p=p, ed=ed, sha=sha, v="3", h=h)
    return nginx_line(fields, time_iso=time_iso)


def write_log(tmp_path: Path, text: str) -> Path:
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text(text)
    log.chmod(0o640)
    return log


def test_the_proof_shows_the_whole_chain_in_log_order_with_the_withdrawal_and_the_choice_in_force(tmp_path):
    # The server's clock was stepped back between the second and the third record (by less than the hour the
    # browser's time may differ from it): log order still holds.
    log = write_log(
        tmp_path,
        chain_line("all", ("necessary", "analytics"), "1795600000", "", ed="1", sha=SHA_1)
        + chain_line("withdraw", ("necessary",), "1795600100", "1795600000", ed="1", sha=SHA_1)
        + nginx_line(banner_fields(ID_B, choice="necessary", categories=("necessary",)))
        + chain_line(
            "all", ("necessary", "analytics"), "1795600200", "1795600100", time_iso="2026-11-25T12:00:00+03:00"
        ),
    )
    result = run_proof(ID_A, "--log", str(log))
    assert result.returncode == 0, result.stderr
    assert re.findall(r"Выбор: (.*)", result.stdout) == [
        "all (принять все): согласие дано на: analytics",
        "withdraw (отзыв согласия): ОТОЗВАНО согласие на: analytics",
        "all (принять все): выбор под новой редакцией 2; разрешено: analytics",
    ]
    assert (
        "Действует выбор № 3 от 2026-11-25T09:50:00+00:00: разрешены analytics." in result.stdout
        and "ВНИМАНИЕ" not in result.stdout
    )


@pytest.mark.parametrize(
    "lines, warning",
    [
        (
            [("necessary", ("necessary",), "1795600000", ""), ("withdraw", ("necessary",), "1795600100", "1795600000")],
            "отзыв, но выбор № 1 не разрешал ничего",
        ),
        (
            # A script that read the ID from the cookie logs «all» after the visitor chose «only necessary».
            [("necessary", ("necessary",), "1795600000", ""), ("all", ("necessary", "analytics"), "1795600100", "")],
            "первый выбор \\(без предыдущего\\), хотя у этого идентификатора уже есть выбор № 1",
        ),
        ([("all", ("necessary", "analytics"), "1795600000", "1795500000")], "которого в журнале нет"),
        (
            [
                ("all", ("necessary", "analytics"), "1795600000", ""),
                ("custom", ("necessary",), "1795500000", "1795600000"),
            ],
            "время в браузере раньше",
        ),
    ],
    ids=["withdrawal of nothing", "forged after necessary", "previous missing", "browser time back"],
)
def test_the_proof_flags_records_the_banner_would_not_have_sent(tmp_path, lines, warning):
    log = write_log(tmp_path, "".join(chain_line(*line) for line in lines))
    result = run_proof(ID_A, "--log", str(log))
    assert result.returncode == 0, result.stderr
    assert re.search(f"ВНИМАНИЕ: .*{warning}", result.stdout)
    assert "ВНИМАНИЕ: записей, которые баннер не отправил бы так: 1" in result.stdout


def test_the_proof_shows_the_banner_text_the_visitor_saw_when_it_is_published_beside_editions_json(
    tmp_path, editions_file
):
    text = "Мы используем cookies.\nНеобходимые (всегда включены): для работы сайта.\n"
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    (editions_file.parent / "banner-texts").mkdir()
    (editions_file.parent / "banner-texts" / f"{digest}.txt").write_text(text)
    log = write_log(
        tmp_path,
        chain_line("all", ("necessary", "analytics"), "1795600000", "", h=digest)
        + chain_line("necessary", ("necessary",), "1795600100", "1795600000", h="f" * 16),
    )
    result = run_proof(ID_A, "--log", str(log), "--editions", str(editions_file))
    assert result.returncode == 0, result.stderr
    shown = result.stdout.split("Тексты баннера, которые видел посетитель:\n")[1].split("\n\n")[0] + "\n"
    assert shown == (
        f"{digest}: {editions_file.parent}/banner-texts/{digest}.txt (хеш СОВПАДАЕТ)\n"
        "  | Мы используем cookies.\n"
        "  | Необходимые (всегда включены): для работы сайта.\n"
        f"{'f' * 16}: ТЕКСТ НЕ НАЙДЕН: {editions_file.parent}/banner-texts/{'f' * 16}.txt\n"
    )


# -- hostile lines never break another ID's proof ------------------------------------------------------------

HOSTILE_LINE = st.one_of(
    st.binary(max_size=200),
    st.integers(4000, 20000).map(lambda n: nginx_line(banner_fields(ID_B, t="7" * n, ed="9" * n)).encode()),
    st.text(st.sampled_from('\u2028\u2029\u202e\u2066\x85\x1b\x00Яa"\\{}'), max_size=50).map(
        lambda text: nginx_line(banner_fields(ID_B, doc=text), ua=text).encode()
    ),
    st.integers(10_000, 200_000).map(lambda n: nginx_line(banner_fields(ID_B), ua="A" * n).encode()),
    st.binary(max_size=100).map(gzip.compress),
    st.just(b'{"time":"' + b"\xff" * 50 + b'"}'),
    st.just(nginx_line(banner_fields(ID_A.upper(), choice="weird")).encode()),
)


@settings(max_examples=60, deadline=None)
@given(before=st.lists(HOSTILE_LINE, max_size=4), between=st.lists(HOSTILE_LINE, max_size=4), gz=st.booleans())
def test_no_hostile_line_breaks_the_proof_of_another_id_or_its_exit_code(before, between, gz):
    good = [
        chain_line("all", ("necessary", "analytics"), "1795600000", "").encode(),
        chain_line("withdraw", ("necessary",), "1795600100", "1795600000").encode(),
    ]
    body = b"\n".join([*before, good[0].rstrip(b"\n"), *between, good[1]])
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "alectro-consent.jsonl"
        log.write_bytes(b"".join(nginx_line(banner_fields(ID_B)).encode() for _ in range(2)))
        rotated = Path(folder) / ("alectro-consent.jsonl.1.gz" if gz else "alectro-consent.jsonl.1")
        rotated.write_bytes(gzip.compress(body) if gz else body)
        for path in (log, rotated):
            path.chmod(0o640)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = consent_proof.main([ID_A, "--log", str(log)])
    assert code == 0, err.getvalue()
    chain = [line for line in out.getvalue().splitlines() if "   Выбор: " in line]
    assert chain[-2:] == [
        "   Выбор: all (принять все): согласие дано на: analytics",
        "   Выбор: withdraw (отзыв согласия): ОТОЗВАНО согласие на: analytics",
    ] or any("weird" in line for line in chain)
    assert not re.search("[\u2028\u2029\u202e\u2066\x00\x1b\x85]", out.getvalue() + err.getvalue())
    assert max(map(len, out.getvalue().splitlines())) < 2000


def test_numbers_of_thousands_of_digits_leave_the_summary_and_the_proof_and_their_exit_codes_alone(tmp_path):
    # One anonymous GET with t= of 5,000 digits ended every proof in a traceback with exit code 1 («not found»),
    # ed= of 4,301 digits the summary.
    log = write_log(
        tmp_path,
        nginx_line(banner_fields(ID_B, t="7" * 5000))
        + nginx_line(banner_fields(ID_B, ed="9" * 4301))
        + nginx_line(banner_fields(ID_A)),
    )
    summary = run_proof("--summary", "--log", str(log))
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.startswith("Записей о выборе: 1 (файлов журнала: 1)\nЗаписей не так, как отправляет баннер")
    assert run_proof(ID_A, "--log", str(log)).returncode == 0
    other = run_proof(ID_B, "--log", str(log))
    assert other.returncode == 0 and other.stdout.count("Не так, как отправляет баннер") == 2, other.stderr


# -- several servers -----------------------------------------------------------------------------------------


def test_the_logs_of_several_servers_are_one_chain_ordered_by_the_servers_time_and_at_one_second_by_log_order(
    tmp_path, editions_file
):
    nodes = [tmp_path / "node-1", tmp_path / "node-2"]
    for node in nodes:
        node.mkdir()
    # The visitor's three choices reached two servers behind one address; each server's log holds its own.
    write_gz(
        nodes[0] / "alectro-consent.jsonl.1.gz",
        chain_line("all", ("necessary", "analytics"), "1795600000", "", time_iso="2026-11-25T12:46:41+03:00"),
    )
    write_log(
        nodes[0],
        chain_line("all", ("necessary", "analytics"), "1795600200", "1795600100", time_iso="2026-11-25T09:50:01Z"),
    )
    write_log(
        nodes[1],
        chain_line("withdraw", ("necessary",), "1795600100", "1795600000", time_iso="2026-11-25T12:48:21+03:00")
        # The same second as node 1's last record: after it, as the second log named.
        + nginx_line(banner_fields(ID_A, v="3", t="1795600201"), time_iso="2026-11-25T12:50:01+03:00"),
    )
    for path in (*nodes[0].iterdir(), *nodes[1].iterdir()):
        path.chmod(0o640)
    env = {**os.environ, "ID": ID_A, "LOG": f"{nodes[0]} {nodes[1]}/alectro-consent.jsonl"}
    env["EDITIONS"] = str(editions_file)
    result = subprocess.run(["make", "-s", "-C", str(REPO), "consent-proof"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "журналы 2 серверов сведены по времени сервера" in result.stdout
    assert re.findall(r"Запись: (.*)", result.stdout) == [
        f"{nodes[0]}/alectro-consent.jsonl.1.gz:1",
        f"{nodes[1]}/alectro-consent.jsonl:1",
        f"{nodes[0]}/alectro-consent.jsonl:1",
        f"{nodes[1]}/alectro-consent.jsonl:2",
    ]
    assert "ОТОЗВАНО согласие на: analytics" in result.stdout
    assert "заменяет выбор" not in result.stdout, "each choice found the one it replaces, across the servers"
