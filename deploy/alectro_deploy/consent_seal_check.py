"""The proof's check of a consent log against its seals (consent_seal writes them): whether a sealed line was
removed or changed («ЖУРНАЛ ИЗМЕНЁН после …»), whether the seals follow one another, copies deleted before their
time, lines left unsealed, the RFC 3161 token of every seal of the files shown (consent_seal_tokens), and the seals
against their copy kept off the server.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Collection
from pathlib import Path

from alectro_deploy.consent_files import _open
from alectro_deploy.consent_seal import SEAL_FIELDS, step
from alectro_deploy.consent_seal_tokens import earlier_tokens, seal_time, token_line

_SHA256 = re.compile(r"[0-9a-f]{64}")


def check(
    files: list[Path],
    seals_path: Path,
    ca_file: str | None,
    shown: Collection[str] = frozenset(),
    copy: Path | None = None,
) -> list[str]:
    """What the seals at ``seals_path`` say of one log's ``files`` (oldest first, the live one last, as
    consent_files.rotation_order gives them): whether a sealed line was removed or changed («ЖУРНАЛ ИЗМЕНЁН после
    …»), whether the seals themselves follow one another, and, for the live file and the files ``shown`` names
    (those holding the records of a proof), the TSA's time of the newest seal, every seal's token of those files
    checked against ``ca_file`` (the TSA's CA certificate) when given. The other files whose lines are as sealed
    are counted in one line: a log kept three years has a file a day, and each token is two runs of openssl. With
    ``copy``, the seals kept off the server, the seals here must begin with every seal of it, byte for byte: what
    the operator of this server rewrote, re-stamped or deleted since the copy was made shows."""
    lines = [f"Печати журнала: {seals_path}"]
    try:
        raw = seals_path.read_bytes().splitlines()
    except OSError as error:
        if copy is None or not isinstance(error, FileNotFoundError):
            return lines + [f"  НЕ ПРОВЕРЕНО: не удалось прочитать печати ({error.strerror or error})"]
        raw = []
    compared, copy_differs = _against_copy(raw, copy) if copy is not None else ([], False)
    seals, problems = _read_seals(raw)
    if not seals:
        heading = ["  ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ (см. ниже)"] if copy_differs else []
        return lines + heading + ["  печатей нет", *compared, *problems]
    by_segment: dict[int, list[dict]] = {}
    for seal in seals:
        by_segment.setdefault(seal["segment"], []).append(seal)
    last = seals[-1]
    live_segment = last["segment"] + 1 if last["final"] else last["segment"]
    changed = copy_differs or bool(problems)
    last_good = ""
    report: list[str] = []
    quiet: list[Path] = []
    unsealed: list[str] = []
    pairs = list(zip(range(live_segment - len(files) + 1, live_segment + 1), files, strict=True))
    for segment, path in pairs:
        sealed = by_segment.get(segment, [])
        if not sealed:
            if segment < seals[0]["segment"]:
                report.append(f"  {path}: записан до первой печати, не запечатан")
                if str(path) in shown:
                    unsealed.append(path.name)
            elif segment == live_segment:
                report.append(f"  {path}: ещё не запечатан (печать — при следующем запуске consent_seal)")
            continue
        tail: list[bytes] = []
        problem, have, good = _check_file(path, sealed, tail)
        last_good = good or last_good
        if problem:
            changed = True
            report.append(f"  ЖУРНАЛ ИЗМЕНЁН после {last_good or 'начала печатей'}: {problem}")
            continue
        newest = sealed[-1]
        if path != files[-1] and str(path) not in shown:
            quiet.append(path)
            continue
        token, remade = token_line(newest, ca_file)
        earlier, checked = earlier_tokens(sealed[:-1], ca_file)
        report.append(
            f"  {path}: строки 1–{newest['lines']} не изменены (печать № {newest['n']} от {newest['time']}, "
            + token
            + ")"
            + (f"; проверены и метки остальных печатей файла: {checked}" if checked and not earlier else "")
            + (f"; ещё не запечатано строк: {have - newest['lines']}" if have > newest["lines"] else "")
        )
        for problem in [*earlier, *([remade] if remade else [])]:
            changed = True
            report.append(f"  ЖУРНАЛ ИЗМЕНЁН: {problem}")
        if path == files[-1] and have > newest["lines"] and tail:
            report += _unsealed_tail(newest, have - newest["lines"], tail[0])
    oldest = pairs[0][0] if pairs else live_segment
    early = _deleted_early(by_segment, oldest, last)
    changed = changed or bool(early)
    report = early + _gone_and_quiet(by_segment, oldest, quiet, bool(early)) + report + _unstamped(seals)
    verdict = _verdict(changed, seals, unsealed)
    return lines + [verdict, *compared, *problems, *report]


SEALED_WITHIN = 3600
"""Seconds after the last seal within which the live file's newest line may still be unsealed: cron seals every 10
minutes, so a line older than this unsealed is one the sealer never saw (cron not running, the sealer failing)."""


def _unsealed_tail(newest: dict, unsealed: int, last: bytes) -> list[str]:
    """ВНИМАНИЕ when the live file's lines after its last seal go back further than the sealer's runs allow: they
    can be changed or removed without a trace."""
    try:
        written = dt.datetime.fromisoformat(json.loads(last)["time"])
    except (ValueError, TypeError, KeyError, RecursionError):
        return []
    sealed = seal_time(newest["time"])
    if sealed is None or written.tzinfo is None or (written - sealed).total_seconds() <= SEALED_WITHIN:
        return []
    hours = int((written - sealed).total_seconds() // 3600)
    return [
        f"  ВНИМАНИЕ: после печати № {newest['n']} от {newest['time']} не запечатано строк: {unsealed}, последняя "
        f"записана {written.isoformat()} — через {hours} ч: печать делается каждые 10 минут, значит, она не "
        "запускалась (cron, права, ошибка скрипта — guides/operator.md, «Печати журнала», шаг 5), и эти строки "
        "можно было изменить или удалить бесследно"
    ]


RETENTION_DAYS = 1130
"""How long deploy/logrotate.conf keeps a rotated copy (its ``maxage``; tests/unit/deploy/test_consent_seal.py holds
the two equal): a copy gone younger than this was deleted by hand."""


def _deleted_early(by_segment: dict[int, list[dict]], oldest: int, last: dict) -> list[str]:
    """ЖУРНАЛ ИЗМЕНЁН when the newest copy that is gone was sealed less than :data:`RETENTION_DAYS` before the
    newest seal: logrotate had not yet deleted it."""
    gone = [s for s in by_segment if s < oldest]
    if not gone:
        return []
    newest_gone = by_segment[max(gone)][-1]
    sealed, now = seal_time(newest_gone["time"]), seal_time(last["time"])
    if sealed is None or now is None or (now - sealed).days >= RETENTION_DAYS:
        return []
    return [
        f"  ЖУРНАЛ ИЗМЕНЁН: копий журнала с печатями № {by_segment[min(gone)][0]['n']}–{newest_gone['n']} нет, а "
        f"последняя из них сделана {newest_gone['time']}, за {(now - sealed).days} дн. до последней печати: срок "
        f"хранения — {RETENTION_DAYS} дней (maxage в /etc/logrotate.d/alectro-consent), раньше него копию удаляют "
        "только вручную"
    ]


def _gone_and_quiet(by_segment: dict[int, list[dict]], oldest: int, quiet: list[Path], early: bool) -> list[str]:
    """The lines that open the report: the copies deleted by age, and the files sealed sound but not shown."""
    said = []
    gone = [s for s in by_segment if s < oldest]
    if gone and not early:
        said.append(
            f"  копий журнала с печатями № {by_segment[min(gone)][0]['n']}–{by_segment[max(gone)][-1]['n']}"
            " нет (удалены по сроку хранения)"
        )
    if quiet:
        said.append(
            f"  ещё файлов, чьи запечатанные строки не изменены: {len(quiet)} ({quiet[0].name} … {quiet[-1].name}; "
            "метки времени их печатей не проверялись — записей этого согласия в них нет)"
        )
    return said


def _unstamped(seals: list[dict]) -> list[str]:
    unstamped = sum(1 for s in seals if not s.get("tsr"))
    if not unstamped:
        return []
    # The next token fixes them as of its own time: one made again later over changed lines looks like a TSA down.
    first = next(seal for seal in seals if not seal.get("tsr"))
    anchor = next((seal for seal in seals[seals.index(first) :] if seal.get("tsr")), None)
    until = (
        f"; их закрепляет следующая печать с меткой, но лишь временем этой метки: строки под печатью № {first['n']}"
        f" от {first['time']} могли быть изменены до печати № {anchor['n']} от {anchor['time']}"
        if anchor
        else ""
    )
    said = [f"  печатей без метки времени (TSA был недоступен): {unstamped}{until}"]
    trailing = len(seals) - next((n for n in range(len(seals), 0, -1) if seals[n - 1].get("tsr")), 0)
    if trailing:
        # No token after them: nothing but this server vouches for them yet.
        since = seals[-trailing]
        said.append(
            f"  ВНИМАНИЕ: последние печати без метки ({trailing}, с № {since['n']} от {since['time']}) не закреплены "
            "ни одной печатью с меткой: строки под ними (и сами печати) оператор сервера мог переписать; их "
            "подтверждает только копия печатей вне сервера (SEALS_COPY_FILE=) — или следующая печать с меткой"
        )
    return said


def _verdict(changed: bool, seals: list[dict], unsealed: list[str]) -> str:
    """The seals' verdict in one line; ``unsealed`` names the files holding the proof's records written before the
    first seal."""
    first, last = seals[0], seals[-1]
    verdict = (
        "  ЖУРНАЛ ИЗМЕНЁН ПОСЛЕ ЗАПЕЧАТЫВАНИЯ (см. ниже)"
        if changed
        else f"  Запечатанные строки не изменены: печатей {len(seals)}, последняя № {last['n']} от {last['time']}"
    )
    if unsealed:
        # True of the lines sealed, and misleading if left at that: this consent's records are not among them.
        verdict += (
            f"; НО ЗАПИСИ ЭТОГО СОГЛАСИЯ В ФАЙЛАХ ДО ПЕРВОЙ ПЕЧАТИ (№ {first['n']} от {first['time']}) ПЕЧАТЯМИ "
            f"НЕ ЗАЩИЩЕНЫ: {', '.join(unsealed)} — журнал писался до печатей, или печати удалены и начаты заново "
            "(сверьте с копией печатей вне сервера: SEALS_COPY_FILE=)"
        )
    return verdict


def _against_copy(raw: list[bytes], copy: Path) -> tuple[list[str], bool]:
    """What ``copy`` (the seals kept off the server) says of the seals ``raw`` here, and whether they differ: a
    copy is an earlier state of the same file, so every line of it must be here, in its place."""
    try:
        kept = copy.read_bytes().splitlines()
    except OSError as error:
        return [f"  копия печатей вне сервера {copy}: НЕ ПРОВЕРЕНО, не прочитана ({error.strerror or error})"], False
    for number, (here, there) in enumerate(zip(raw, kept, strict=False), start=1):
        if here != there:
            return [
                f"  ЖУРНАЛ ИЗМЕНЁН: печать в строке {number} файла печатей не та, что в копии печатей вне сервера "
                f"{copy} (печать {_seal_named(there, number)}): печати переписаны после того, как сделана копия"
            ], True
    if len(raw) < len(kept):
        return [
            f"  ЖУРНАЛ ИЗМЕНЁН: в копии печатей вне сервера {copy} печатей {len(kept)}, здесь {len(raw)}: удалены "
            f"печати начиная с {_seal_named(kept[len(raw)], len(raw) + 1)}"
        ], True
    newer = f"; здесь новее ещё {len(raw) - len(kept)}" if len(raw) > len(kept) else ""
    return [f"  копия печатей вне сервера {copy}: все её печати ({len(kept)}) здесь те же{newer}"], False


def _seal_named(line: bytes, number: int) -> str:
    """«№ N от …» of the seal on ``line`` (line ``number`` of its file)."""
    try:
        seal = json.loads(line)
        return f"№ {int(seal['n'])} от {str(seal['time'])[:40]}"
    except (ValueError, TypeError, KeyError):
        return f"в строке {number} копии"


def _read_seals(raw: list[bytes]) -> tuple[list[dict], list[str]]:
    """The seals in order and what is wrong with their sequence (a seal missing, changed or out of place)."""
    seals: list[dict] = []
    problems: list[str] = []
    previous = ""
    for number, line in enumerate(raw, start=1):
        try:
            seal = json.loads(line)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's stack
            seal = None
        if not _well_formed(seal):
            problems.append(f"  ЖУРНАЛ ИЗМЕНЁН: строка {number} файла печатей — не печать (испорчена)")
            continue
        if seal["prev"] != previous or seal["n"] != len(seals) + 1:
            problems.append(
                f"  ЖУРНАЛ ИЗМЕНЁН после {seals[-1]['time'] if seals else 'начала печатей'}: печать № {seal['n']} "
                f"не продолжает предыдущую (печать удалена, изменена или вставлена)"
            )
        if seals and seal["segment"] == seals[-1]["segment"] + 1 and seal["start"] != seals[-1]["chain"]:
            problems.append(f"  ЖУРНАЛ ИЗМЕНЁН: печать № {seal['n']} начинает файл не с конца предыдущего")
        previous = hashlib.sha256(line).hexdigest()
        seals.append(seal)
    return seals, problems


def _well_formed(seal: object) -> bool:
    """Whether ``seal`` has every field of a seal, each of the type the sealer writes: a seal changed by hand into
    another shape is a changed seal, never a crash of the proof."""
    if not isinstance(seal, dict) or not all(key in seal for key in SEAL_FIELDS):
        return False
    counts = {"v": 1, "n": 1, "segment": 1, "lines": 0}
    if any(type(seal[key]) is not int or seal[key] < least for key, least in counts.items()):
        return False
    hashes = [seal["start"], seal["chain"], *([seal["prev"]] if seal["prev"] != "" else [])]
    if not all(isinstance(value, str) and _SHA256.fullmatch(value) for value in hashes):
        return False
    texts = [seal["time"], seal.get("tsr", ""), seal.get("tsa", ""), seal.get("tsa_error", "")]
    return type(seal["final"]) is bool and all(isinstance(value, str) for value in texts) and _base64(seal)


def _base64(seal: dict) -> bool:
    try:
        base64.b64decode(seal.get("tsr", ""), validate=True)
    except ValueError:
        return False
    return True


def _check_file(path: Path, sealed: list[dict], tail: list[bytes] | None = None) -> tuple[str, int, str]:
    """(the first sealed line of ``path`` removed or changed, "" if none; its number of lines; the time of the
    last of ``sealed`` it still matches). ``tail``, if given, receives the file's last line."""
    chain, count, good = sealed[0]["start"], 0, ""
    pending = list(reversed(sealed))

    def matches() -> dict | None:
        """The seal at this line the chain does not match; the ones it matches are done."""
        nonlocal good
        while pending and pending[-1]["lines"] == count:
            seal = pending.pop()
            if seal["chain"] != chain:
                return seal
            good = seal["time"]
        return None

    try:
        with _open(path) as stream:
            for line in stream:
                if (wrong := matches()) is not None:
                    return _changed(path, wrong, count), count, good
                chain = step(chain, line)
                count += 1
                if tail is not None:
                    tail[:] = [line]
    except (OSError, EOFError, ValueError) as error:
        return f"{path}: файл не прочитан до конца ({error})", count, good
    if (wrong := matches()) is not None:
        return _changed(path, wrong, count), count, good
    if pending:
        seal = pending[-1]
        return (
            f"{path}: строк {count}, а печать № {seal['n']} от {seal['time']} запечатала {seal['lines']}: "
            "запечатанные строки удалены",
            count,
            good,
        )
    if sealed[-1]["final"] and count > sealed[-1]["lines"]:
        return f"{path}: после последней печати этого файла дописано строк: {count - sealed[-1]['lines']}", count, good
    return "", count, good


def _changed(path: Path, seal: dict, count: int) -> str:
    return f"{path}: строки 1–{count} не те, что запечатаны печатью № {seal['n']} от {seal['time']} (строка изменена)"
