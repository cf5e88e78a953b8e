"""Seals of the consent log (alectro_deploy.consent_seal): a hash chain over its lines, each seal timestamped by an
RFC 3161 time-stamping authority, here a local one made with ``openssl ts`` (tests/servers.py, start_tsa). The
proof says «ЖУРНАЛ ИЗМЕНЁН после …» when a sealed line was removed or changed. With a real nginx and the shipped
logrotate configuration (whose postrotate seals the rotated file) in test_consent_log.py."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import subprocess
import sys

import pytest

from alectro_deploy import consent_seal, consent_tsa
from support import CONSENT_ID_A, CONSENT_ID_B, REPO, banner_fields, nginx_line, run_proof

ID = CONSENT_ID_A
START = 1795600000


def seal(log, tsa, *extra: str) -> subprocess.CompletedProcess:
    """Run the sealer as cron and logrotate run it (deploy/consent-seal.sh runs the same command)."""
    return subprocess.run(
        [sys.executable, "-m", "alectro_deploy.consent_seal", "--log", str(log), "--tsa", tsa.url, *extra],
        env={"PYTHONPATH": str(REPO / "deploy"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def choice(n: int, choice: str = "all", categories=("necessary", "analytics")) -> str:
    return nginx_line(banner_fields(ID, v="3", choice=choice, categories=categories, t=str(START + n)))


@pytest.fixture
def log(tmp_path):
    folder = tmp_path / "log"
    folder.mkdir()
    path = folder / "alectro-consent.jsonl"
    path.write_text("".join(choice(n) for n in range(5)))
    path.chmod(0o640)
    return path


def seals_section(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.split("Печати журнала: ", 1)[1]


def test_a_sealed_log_unchanged_is_said_so_with_the_tsa_time_checked_against_its_ca(log, tsa):
    assert seal(log, tsa).returncode == 0
    with log.open("a") as out:
        out.write(choice(5, "withdraw", ("necessary",)))
    assert seal(log, tsa).returncode == 0
    with log.open("a") as out:
        out.write(choice(6))
    seals = [json.loads(line) for line in (log.parent / "alectro-consent-seals.jsonl").read_text().splitlines()]
    assert [(s["n"], s["lines"], bool(s["tsr"])) for s in seals] == [(1, 5, True), (2, 6, True)]
    assert len(tsa.answered) == 2 and set(tsa.answered) == {"application/timestamp-query"}

    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "Запечатанные строки не изменены: печатей 2" in section
    assert "строки 1–6 не изменены (печать № 2" in section and "проверена" in section
    assert "ещё не запечатано строк: 1" in section
    assert "ИЗМЕНЁН" not in section
    # Without the CA certificate the TSA's time is shown and the signature said to be unchecked.
    assert "подпись не проверена: укажите сертификат УЦ TSA" in seals_section(run_proof(ID, "--log", str(log)))
    # The summary, what an operator runs to see the log is sound, says the same of the seals.
    summary = run_proof("--summary", "--log", str(log), "--tsa-ca", str(tsa.ca))
    assert seals_section(summary) == section


@pytest.mark.parametrize(
    "tamper, said",
    [
        (lambda lines: lines[:2] + lines[3:] + [lines[2]], "не те, что запечатаны печатью № 1"),
        (lambda lines: lines[:2] + [lines[2].replace('"all"', '"necessary"')] + lines[3:], "(строка изменена)"),
        (lambda lines: lines[:4], "запечатала 5: запечатанные строки удалены"),
    ],
    ids=["a line moved to the end", "a line changed", "the last sealed line removed"],
)
def test_a_sealed_line_removed_or_changed_shows_in_the_proof(log, tsa, tamper, said):
    assert seal(log, tsa).returncode == 0
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(tamper(lines)))
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ" in section
    assert "ЖУРНАЛ ИЗМЕНЁН после начала печатей: " in section and said in section


def test_a_seal_removed_or_rewritten_shows_too(log, tsa):
    for n in range(5, 8):
        with log.open("a") as out:
            out.write(choice(n))
        assert seal(log, tsa).returncode == 0
    seals = log.parent / "alectro-consent-seals.jsonl"
    lines = seals.read_text().splitlines(keepends=True)
    seals.write_text(lines[0] + lines[2])
    section = seals_section(run_proof(ID, "--log", str(log)))
    assert "печать № 3 не продолжает предыдущую" in section
    # The last line changed and the last seal rewritten to cover it: its token no longer matches it.
    logged = log.read_bytes().splitlines(keepends=True)
    logged[-1] = logged[-1].replace(b'"all"', b'"necessary"')
    log.write_bytes(b"".join(logged))
    record = json.loads(lines[2])
    record["chain"] = json.loads(lines[1])["chain"]
    record["chain"] = consent_seal.step(record["chain"], logged[-1])
    seals.write_text(lines[0] + lines[1] + json.dumps(record) + "\n")
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "ЖУРНАЛ ИЗМЕНЁН" in section and "МЕТКА ВРЕМЕНИ НЕ ПРОШЛА ПРОВЕРКУ" in section


def test_when_the_tsa_is_down_the_seal_is_kept_without_a_token_and_the_next_stamped_one_binds_it(log, tsa):
    tsa.down = True
    down = seal(log, tsa)
    assert down.returncode == 1 and "записана без метки времени" in down.stderr
    tsa.down = False
    with log.open("a") as out:
        out.write(choice(5))
    assert seal(log, tsa).returncode == 0
    seals = [json.loads(line) for line in (log.parent / "alectro-consent-seals.jsonl").read_text().splitlines()]
    assert [bool(s["tsr"]) for s in seals] == [False, True] and seals[0]["tsa_error"]
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "печатей без метки времени (TSA был недоступен): 1" in section and "ИЗМЕНЁН" not in section


def test_a_rotation_ends_the_files_seals_and_a_copy_deleted_before_its_period_is_a_change(log, tsa):
    assert seal(log, tsa).returncode == 0
    with log.open("a") as out:
        out.write(choice(5))
    # As logrotate does: rename, a new live file, then its postrotate runs the sealer; then compression.
    log.rename(log.with_name("alectro-consent.jsonl.1"))
    log.write_text("")
    assert seal(log, tsa).returncode == 0
    rotated = log.with_name("alectro-consent.jsonl.1")
    log.with_name("alectro-consent.jsonl.1.gz").write_bytes(gzip.compress(rotated.read_bytes()))
    rotated.unlink()
    with log.open("a") as out:
        out.write(choice(6, "withdraw", ("necessary",)))
    assert seal(log, tsa).returncode == 0
    seals = [json.loads(line) for line in (log.parent / "alectro-consent-seals.jsonl").read_text().splitlines()]
    assert [(s["segment"], s["lines"], s["final"]) for s in seals] == [(1, 5, False), (1, 6, True), (2, 1, False)]

    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "ИЗМЕНЁН" not in section and "alectro-consent.jsonl.1.gz: строки 1–6 не изменены" in section
    # Deleted the day it was sealed, long before logrotate's maxage: by hand (a copy gone by age: the unit test).
    log.with_name("alectro-consent.jsonl.1.gz").unlink()
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "ЖУРНАЛ ИЗМЕНЁН: копий журнала с печатями № 1–2 нет, а последняя из них сделана " in section
    assert "раньше него копию удаляют только вручную" in section


def test_sealers_started_together_by_cron_and_logrotate_take_turns_and_their_seals_follow_one_another(log, tsa):
    command = [sys.executable, "-m", "alectro_deploy.consent_seal", "--log", str(log), "--tsa", tsa.url]
    env = {"PYTHONPATH": str(REPO / "deploy"), "PATH": "/usr/bin:/bin"}
    runs = []
    for n in range(4):
        with log.open("a") as out:
            out.write(choice(10 + n))
        runs.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    assert [run.wait() for run in runs] == [0, 0, 0, 0]
    seals = [json.loads(line) for line in (log.parent / "alectro-consent-seals.jsonl").read_text().splitlines()]
    assert [s["n"] for s in seals] == list(range(1, len(seals) + 1)) and seals[-1]["lines"] == 9
    section = seals_section(run_proof(ID, "--log", str(log)))
    assert "Запечатанные строки не изменены" in section and "ИЗМЕНЁН" not in section


def test_files_without_the_consents_records_are_counted_in_one_line_their_tokens_left_unchecked(log, tsa):
    assert seal(log, tsa).returncode == 0
    for day in (1, 2):
        # A day of other visitors' choices, rotated and sealed as logrotate does.
        log.rename(log.with_name(f"alectro-consent.jsonl-2026112{day}"))
        log.write_text(nginx_line(banner_fields(CONSENT_ID_B, v="3", t=str(START + day))))
        assert seal(log, tsa).returncode == 0
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "ИЗМЕНЁН" not in section
    assert "ещё файлов, чьи запечатанные строки не изменены: 1 (alectro-consent.jsonl-20261122 …" in section
    # The file holding this consent's records, and the live one, each with the TSA's time checked.
    assert "alectro-consent.jsonl-20261121: строки 1–5 не изменены" in section
    assert section.count(", проверена)") == 2


def restamped(seal: dict, tsa, **changes) -> str:
    """``seal`` made again with ``changes`` and stamped anew by the TSA (now), as its seals file line."""
    seal = {**seal, **changes}
    digest = hashlib.sha256(consent_seal.canonical(seal)).hexdigest()
    answer, url, error = consent_tsa.timestamp(digest, [tsa.url])
    assert answer, error
    seal.update(tsr=base64.b64encode(answer).decode(), tsa=url, tsa_error="")
    return json.dumps(seal, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_a_seal_made_again_later_with_a_genuine_token_or_another_seal_s_token_is_a_changed_log(log, tsa):
    # The operator removes the withdrawal, makes the seal over what is left again, and has the real TSA stamp it:
    # the seal keeps the time it claimed, the TSA's time is today's. Here the seal claims a day before.
    with log.open("a") as out:
        out.write(choice(5, "withdraw", ("necessary",)))
    assert seal(log, tsa).returncode == 0
    seals = log.parent / "alectro-consent-seals.jsonl"
    offsite = log.parent.parent / "offsite-seals.jsonl"
    offsite.write_bytes(seals.read_bytes())
    (made,) = [json.loads(line) for line in seals.read_text().splitlines()]
    lines = log.read_bytes().splitlines(keepends=True)[:-1]
    log.write_bytes(b"".join(lines))
    chain = consent_seal.START
    for line in lines:
        chain = consent_seal.step(chain, line)
    day_before = dt.datetime.fromisoformat(made["time"]) - dt.timedelta(days=1)
    seals.write_text(restamped(made, tsa, lines=len(lines), chain=chain, time=day_before.isoformat()))
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ" in section
    assert f"ЖУРНАЛ ИЗМЕНЁН: печать № 1 названа сделанной {day_before.isoformat()}, а TSA заверил её " in section
    assert "печать сделана заново позже, чем в ней написано" in section
    # Made again with the same (true) time: nothing to tell from the log alone; the copy off the server tells.
    seals.write_text(restamped(made, tsa, lines=len(lines), chain=chain))
    assert "ИЗМЕНЁН" not in seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    section = seals_section(run_proof(ID, "--log", str(log), "--seals-copy", str(offsite), "--tsa-ca", str(tsa.ca)))
    assert "ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ" in section
    assert (
        f"ЖУРНАЛ ИЗМЕНЁН: печать в строке 1 файла печатей не та, что в копии печатей вне сервера {offsite} "
        f"(печать № 1 от {made['time']}): печати переписаны после того, как сделана копия" in section
    )
    # Another seal's genuine token put on this one: said in words, not openssl's.
    other = json.loads(restamped(made, tsa, lines=1))
    seals.write_text(json.dumps({**json.loads(seals.read_text()), "tsr": other["tsr"]}) + "\n")
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "МЕТКА ВРЕМЕНИ НЕ ПРОШЛА ПРОВЕРКУ: метка выдана на другую печать" in section
    assert "ts_check_imprints" not in section and "ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ" in section
    # The seals and the sealer's state deleted and the log sealed afresh: only the copy tells.
    seals.unlink()
    (log.parent / consent_seal.STATE).unlink()
    assert seal(log, tsa).returncode == 0
    assert "ИЗМЕНЁН" not in seals_section(run_proof(ID, "--log", str(log)))
    assert "печать в строке 1 файла печатей не та" in seals_section(
        run_proof(ID, "--log", str(log), "--seals-copy", str(offsite))
    )
    seals.unlink()
    section = seals_section(run_proof(ID, "--log", str(log), "--seals-copy", str(offsite)))
    assert "ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ" in section
    assert "печатей 1, здесь 0: удалены печати начиная с № 1 от " in section


def test_every_seal_s_token_of_a_shown_file_is_checked_not_only_the_newest(log, tsa):
    # The morning's seal made again in the evening (its lines changed), with a real token of the evening, and the
    # seal after it made again to name it: the newest token is sound, the earlier one tells.
    assert seal(log, tsa).returncode == 0
    with log.open("a") as out:
        out.write(choice(5, "withdraw", ("necessary",)))
    assert seal(log, tsa).returncode == 0
    seals = log.parent / "alectro-consent-seals.jsonl"
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "ИЗМЕНЁН" not in section and "проверены и метки остальных печатей файла: 1" in section
    first, second = [json.loads(line) for line in seals.read_text().splitlines()]
    morning = (dt.datetime.fromisoformat(first["time"]) - dt.timedelta(hours=8)).isoformat()
    remade = restamped(first, tsa, time=morning)
    after = restamped(second, tsa, prev=hashlib.sha256(remade.rstrip("\n").encode()).hexdigest())
    seals.write_text(remade + after)
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ" in section
    assert f"ЖУРНАЛ ИЗМЕНЁН: печать № 1 названа сделанной {morning}, а TSA заверил её " in section
    assert f"(печать № 2 от {second['time']}, метка времени TSA" in section  # the newest, sound on its own
    # Another seal's genuine token on the earlier seal: refused too.
    other = json.loads(restamped(first, tsa, lines=1))
    forged = json.dumps({**first, "tsr": other["tsr"]}, ensure_ascii=False, separators=(",", ":")) + "\n"
    after = restamped(second, tsa, prev=hashlib.sha256(forged.rstrip("\n").encode()).hexdigest())
    seals.write_text(forged + after)
    section = seals_section(run_proof(ID, "--log", str(log), "--tsa-ca", str(tsa.ca)))
    assert "ЖУРНАЛ ИЗМЕНЁН: метка времени печати № 1 не прошла проверку" in section
