"""The proof's check of the log's seals (alectro_deploy.consent_seal_check.check) on seals files changed by hand:
whatever a seal is changed into, the proof says the log was changed, and never stops. No TSA: the seals carry no
token."""

from __future__ import annotations

import hashlib
import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from alectro_deploy import consent_seal, consent_seal_check
from support import REPO

LINES = [f'{{"time":"2026-11-25T12:46:4{n}+03:00","id":"{n}"}}\n'.encode() for n in range(4)]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=70),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def sealed_log(folder) -> tuple[list, list[str]]:
    """A log of four lines and the seals the sealer writes for it after two lines and after four, as text."""
    log = folder / "alectro-consent.jsonl"
    log.write_bytes(b"".join(LINES))
    seals, chain, prev = [], consent_seal.START, ""
    for n, lines in ((1, 2), (2, 4)):
        for line in LINES[len(seals) * 2 : lines]:
            chain = consent_seal.step(chain, line)
        seal = {"v": 1, "n": n, "time": f"2026-11-25T13:0{n}:00+00:00", "segment": 1, "lines": lines}
        seal.update(start=consent_seal.START, chain=chain, final=False, prev=prev, tsr="", tsa="", tsa_error="x")
        text = json.dumps(seal, ensure_ascii=False, separators=(",", ":"))
        prev = hashlib.sha256(text.encode()).hexdigest()
        seals.append(seal)
    return [log], seals


def checked(folder, seals: list, write_log: bool = True) -> str:
    path = folder / consent_seal.SEALS
    path.write_text("".join(json.dumps(s, ensure_ascii=False, separators=(",", ":")) + "\n" for s in seals))
    files = sealed_log(folder)[0] if write_log else [folder / "alectro-consent.jsonl"]
    return "\n".join(consent_seal_check.check(files, path, None))


def test_seals_as_the_sealer_writes_them_say_the_log_is_unchanged(tmp_path):
    _, seals = sealed_log(tmp_path)
    assert "Запечатанные строки не изменены: печатей 2" in checked(tmp_path, seals)


# Each example writes the same files anew: tmp_path shared by the examples is fine.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from([*consent_seal.SEAL_FIELDS, "tsr", "tsa", "tsa_error"]),
    value=JSON | st.just(KeyError),
    data=st.data(),
)
def test_a_seal_changed_by_hand_into_any_shape_is_reported_as_a_changed_log_never_a_crash(tmp_path, key, value, data):
    _, seals = sealed_log(tmp_path)
    original = seals[0][key]
    assume(value is KeyError or json.dumps(value, separators=(",", ":")) != json.dumps(original, separators=(",", ":")))
    if value is KeyError:
        del seals[0][key]
    else:
        seals[0][key] = value
    if data.draw(st.booleans(), label="the last seal changed too"):
        seals[1][key] = value if value is not KeyError else None
    # The first seal is bound by the second's `prev`: any change to it shows.
    assert "ЖУРНАЛ ИЗМЕНЁН" in checked(tmp_path, seals)


def test_without_openssl_the_sealer_still_writes_the_seal_and_the_proof_still_checks_the_lines(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENSSL", str(tmp_path / "no-openssl"))
    (log,), _ = sealed_log(tmp_path)
    (written,) = consent_seal.seal(log, ["http://127.0.0.1:9/tsr"])
    assert (written["n"], written["lines"], written["tsr"]) == (1, 4, "")
    assert "openssl не запускается" in written["tsa_error"] and "apt-get install openssl" in written["tsa_error"]
    _, seals = sealed_log(tmp_path)
    seals[1]["tsr"] = "MAo="  # a token the proof cannot read without openssl
    said = checked(tmp_path, seals)
    assert "Запечатанные строки не изменены" in said and "метка времени TSA ?" in said


def test_a_seals_file_line_nested_deeper_than_the_stack_is_a_changed_seal_not_a_crash(tmp_path):
    (log,), seals = sealed_log(tmp_path)
    path = tmp_path / consent_seal.SEALS
    lines = [json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in seals]
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + lines[1] + "\n")
    said = "\n".join(consent_seal_check.check([log], path, None))
    assert "строка 1 файла печатей — не печать" in said and "ЖУРНАЛ ИЗМЕНЁН" in said


def copy_checked(folder, seals: list[bytes], copy: list[bytes]) -> str:
    (folder / "copy.jsonl").write_bytes(b"".join(copy))
    (folder / consent_seal.SEALS).write_bytes(b"".join(seals))
    return "\n".join(
        consent_seal_check.check(sealed_log(folder)[0], folder / consent_seal.SEALS, None, copy=folder / "copy.jsonl")
    )


def seal_lines(seals: list) -> list[bytes]:
    return [json.dumps(s, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" for s in seals]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_seals_that_do_not_begin_with_their_copy_off_the_server_are_a_changed_log(tmp_path, data):
    _, seals = sealed_log(tmp_path)
    copy = seal_lines(seals)
    whole = b"".join(copy)
    # The seals here rewritten by the server's operator: cut anywhere, a byte changed, or a line gone.
    how = data.draw(st.sampled_from(["cut", "byte", "line"]), label="how")
    if how == "cut":
        here = whole[: data.draw(st.integers(0, len(whole) - 2), label="kept bytes")]
        here = here + (b"\n" if here and not here.endswith(b"\n") else b"")
    elif how == "byte":
        at = data.draw(st.integers(0, len(whole) - 2), label="at")
        value = data.draw(st.integers(0, 255).filter(lambda b: b != whole[at] and b != 10), label="byte")
        here = whole[:at] + bytes([value]) + whole[at + 1 :]
    else:
        gone = data.draw(st.integers(0, len(copy) - 1), label="line gone")
        here = b"".join(copy[:gone] + copy[gone + 1 :])
    said = copy_checked(tmp_path, [here], copy)
    assert "ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ" in said
    assert f"копии печатей вне сервера {tmp_path / 'copy.jsonl'}" in said


def test_seals_that_begin_with_their_copy_and_have_more_since_are_sound(tmp_path):
    _, seals = sealed_log(tmp_path)
    lines = seal_lines(seals)
    said = copy_checked(tmp_path, lines, lines[:1])
    assert "Запечатанные строки не изменены: печатей 2" in said
    assert (
        f"копия печатей вне сервера {tmp_path / 'copy.jsonl'}: все её печати (1) здесь те же; здесь новее ещё 1" in said
    )


def test_a_consent_s_records_in_a_file_written_before_the_first_seal_are_said_to_be_unprotected(tmp_path):
    # Seals deleted with the sealer's state and begun again on the live file: the rotated copy that held the
    # withdrawal is «записан до первой печати», and the verdict must not read as if it were sealed.
    (live,), seals = sealed_log(tmp_path)
    rotated = tmp_path / "alectro-consent.jsonl.1"
    rotated.write_bytes(LINES[0])
    path = tmp_path / consent_seal.SEALS
    path.write_bytes(b"".join(seal_lines(seals)))
    said = "\n".join(consent_seal_check.check([rotated, live], path, None, shown={str(rotated)}))
    assert "Запечатанные строки не изменены: печатей 2" in said
    assert (
        "НО ЗАПИСИ ЭТОГО СОГЛАСИЯ В ФАЙЛАХ ДО ПЕРВОЙ ПЕЧАТИ (№ 1 от 2026-11-25T13:01:00+00:00) ПЕЧАТЯМИ НЕ ЗАЩИЩЕНЫ: "
        "alectro-consent.jsonl.1" in said
    )
    # A file before the first seal without this consent's records: said for the file, not in the verdict.
    assert "НЕ ЗАЩИЩЕНЫ" not in "\n".join(consent_seal_check.check([rotated, live], path, None))


def test_lines_left_unsealed_longer_than_the_sealer_s_runs_allow_are_flagged_as_unprotected(tmp_path):
    (live,), seals = sealed_log(tmp_path)
    path = tmp_path / consent_seal.SEALS
    path.write_bytes(b"".join(seal_lines(seals)))
    # The last seal (№ 2) is of 13:02 UTC: a line written 13:07 is waiting for the next run of cron.
    with live.open("ab") as out:
        out.write(b'{"time":"2026-11-25T16:07:00+03:00","id":"4"}\n')
    said = "\n".join(consent_seal_check.check([live], path, None))
    assert "ещё не запечатано строк: 1" in said and "ВНИМАНИЕ: после печати" not in said
    # A withdrawal logged two days later and never sealed: the sealer has not run since, and the line is unprotected.
    with live.open("ab") as out:
        out.write(b'{"time":"2026-11-27T16:07:00+03:00","id":"5"}\n')
    said = "\n".join(consent_seal_check.check([live], path, None))
    assert (
        "ВНИМАНИЕ: после печати № 2 от 2026-11-25T13:02:00+00:00 не запечатано строк: 2, последняя записана "
        "2026-11-27T16:07:00+03:00 — через 48 ч: печать делается каждые 10 минут, значит, она не запускалась" in said
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_change_to_sealed_lines_is_a_changed_log_and_lines_appended_after_them_are_not(tmp_path, data):
    (live,), seals = sealed_log(tmp_path)
    path = tmp_path / consent_seal.SEALS
    path.write_bytes(b"".join(seal_lines(seals)))
    lines = list(LINES)
    how = data.draw(st.sampled_from(["remove", "byte", "swap", "cut", "insert", "append"]), label="how")
    if how == "remove":
        del lines[data.draw(st.integers(0, 3), label="line")]
    elif how == "byte":
        whole = b"".join(lines)
        at = data.draw(st.integers(0, len(whole) - 1), label="at")
        value = data.draw(st.integers(0, 255).filter(lambda b: b != whole[at]), label="byte")
        lines = [whole[:at] + bytes([value]) + whole[at + 1 :]]
    elif how == "swap":
        a, b = data.draw(st.lists(st.integers(0, 3), min_size=2, max_size=2, unique=True), label="swapped")
        lines[a], lines[b] = lines[b], lines[a]
    elif how == "cut":
        whole = b"".join(lines)
        lines = [whole[: data.draw(st.integers(0, len(whole) - 1), label="kept")]]
    elif how == "insert":
        lines.insert(data.draw(st.integers(0, 3), label="at"), data.draw(st.binary(max_size=40), label="bytes") + b"\n")
    else:
        lines.append(b'{"time":"2026-11-25T16:03:00+03:00","id":"9"}\n')
    live.write_bytes(b"".join(lines))
    said = "\n".join(consent_seal_check.check([live], path, None))
    if how == "append":
        assert "Запечатанные строки не изменены" in said and "ещё не запечатано строк: 1" in said
    else:
        assert "ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ" in said and "ЖУРНАЛ ИЗМЕНЁН после " in said


def test_seals_without_a_token_and_none_with_one_after_them_are_said_to_be_vouched_for_by_nothing_yet(tmp_path):
    # The sealed_log seals carry no token (as when the TSA is down): nothing after them fixes them in time.
    _, seals = sealed_log(tmp_path)
    said = checked(tmp_path, seals)
    assert "Запечатанные строки не изменены" in said
    assert (
        "ВНИМАНИЕ: последние печати без метки (2, с № 1 от 2026-11-25T13:01:00+00:00) не закреплены ни одной "
        "печатью с меткой" in said
    )
    # A token on the last seal binds the ones before it, but only as of its own time: a seal without a token may have
    # been made again later with the lines under it changed (as a TSA outage looks), so the proof says until when.
    seals[1]["tsr"] = "MAo="
    said = checked(tmp_path, seals)
    assert "печатей без метки времени (TSA был недоступен): 1" in said and "не закреплены" not in said
    assert (
        "их закрепляет следующая печать с меткой, но лишь временем этой метки: строки под печатью № 1 от "
        "2026-11-25T13:01:00+00:00 могли быть изменены до печати № 2 от 2026-11-25T13:02:00+00:00" in said
    )


def test_a_rotated_copy_gone_before_its_retention_period_is_a_changed_log_and_one_gone_after_it_is_not(tmp_path):
    shipped = (REPO / "deploy" / "logrotate.conf").read_text(encoding="utf-8")
    assert f"maxage {consent_seal_check.RETENTION_DAYS}\n" in shipped, "the proof's period is the shipped logrotate's"
    (live,), seals = sealed_log(tmp_path)
    # Seal № 1 ends a day's file (its copy now gone), the next day's live file sealed by № 2.
    seals[0]["final"] = True
    seals[1].update(segment=2, start=seals[0]["chain"], lines=2)
    live.write_bytes(b"".join(LINES[2:]))
    prev = ""
    for seal in seals:
        seal["prev"] = prev
        prev = hashlib.sha256(seal_lines([seal])[0].rstrip(b"\n")).hexdigest()
    said = checked(tmp_path, seals, write_log=False)
    assert "ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ" in said
    assert "ЖУРНАЛ ИЗМЕНЁН: копий журнала с печатями № 1–1 нет, а последняя из них сделана" in said
    assert "удалены по сроку хранения" not in said
    seals[1]["time"] = "2029-12-31T13:02:00+00:00"  # 1,132 days on
    prev = ""
    for seal in seals:
        seal["prev"] = prev
        prev = hashlib.sha256(seal_lines([seal])[0].rstrip(b"\n")).hexdigest()
    said = checked(tmp_path, seals, write_log=False)
    assert "Запечатанные строки не изменены" in said and "копий журнала с печатями № 1–1 нет (удалены по сроку" in said
