"""Seals of the consent log: a hash chain over its lines, sealed every few minutes and at every rotation, each seal
timestamped by an RFC 3161 time-stamping authority (TSA), so that a line removed or changed after it was sealed
shows («журнал изменён после …») and the operator alone cannot quietly make new seals of an older time.

    python3 -m alectro_deploy.consent_seal --tsa https://freetsa.org/tsr [--log /var/log/nginx/alectro-consent.jsonl]

The chain: ``c = SHA-256(c + SHA-256(line))`` over each whole line (its line feed included), from a fixed start,
through the live file and on into the next one after a rotation. A *segment* is one file's life: the live file
from its creation until logrotate renames it. A seal says: after the first ``lines`` lines of segment ``segment``
the chain is ``chain`` (it started the segment at ``start``); ``final`` marks the segment's last seal, made after
the rotation (logrotate's postrotate runs this command). Seals are JSON lines in ``alectro-consent-seals.jsonl``
beside the log; each names the previous one by its hash (``prev``) and carries the TSA's answer (``tsr``, base64
DER) over the SHA-256 of its own fields. Where the sealer left off is kept beside them
(``alectro-consent-seals.state``). Seals hold hashes only, no personal data: copy them off the server freely.

When the TSA cannot be reached the seal is still written, without a token, and the command exits 1 (cron mails
it): the next seal names it by its hash, so the next token fixes it in time too (at that later time).
Standard library and the ``openssl`` command only (consent_tsa asks the TSA; the proof checks the seals with
consent_seal_check).
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from alectro_deploy.consent_files import DEFAULT_LOG, _open, rotation_order
from alectro_deploy.consent_log import ProofError
from alectro_deploy.consent_tsa import timestamp

SEALS = "alectro-consent-seals.jsonl"
STATE = "alectro-consent-seals.state"
LOCK = "alectro-consent-seals.lock"
START = hashlib.sha256(b"alectro-consent-log").hexdigest()
"""The chain's value before the first line the sealer ever read."""
SEAL_FIELDS = ("v", "n", "time", "segment", "lines", "start", "chain", "final", "prev")
"""The fields a seal's token covers (its SHA-256 is that of these, as :func:`canonical` writes them)."""


def step(chain: str, line: bytes) -> str:
    """The chain after ``line`` (whole, its line feed included)."""
    return hashlib.sha256(bytes.fromhex(chain) + hashlib.sha256(line).digest()).hexdigest()


def canonical(seal: dict) -> bytes:
    """The bytes a seal's token covers: its :data:`SEAL_FIELDS`, as compact sorted JSON."""
    return json.dumps({key: seal.get(key) for key in SEAL_FIELDS}, sort_keys=True, separators=(",", ":")).encode()


def seals_beside(log: Path) -> Path:
    return log.parent / SEALS


# -- sealing ---------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class State:
    """Where the sealer left off: the file it reads (by inode), how far, and the chain there."""

    inode: int = 0
    offset: int = 0
    segment: int = 1
    lines: int = 0
    start: str = START
    chain: str = START
    sealed: int = 0
    """The number of the last seal written."""
    prev: str = ""
    """The SHA-256 of the last seal's line."""

    @classmethod
    def load(cls, path: Path) -> State:
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})

    def save(self, path: Path) -> None:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(dataclasses.asdict(self)), encoding="utf-8")
        temporary.replace(path)


def _whole_lines(stream, skip_lines: int = 0, skip_bytes: int = 0, final: bool = False) -> Iterator[bytes]:
    """The lines of ``stream`` after the first ``skip_lines`` lines or ``skip_bytes`` bytes; unless ``final``, a
    last line without its line feed (nginx is writing it) is left for the next run."""
    if skip_bytes:
        stream.seek(skip_bytes)
    for number, line in enumerate(stream):
        if number < skip_lines:
            continue
        if not line.endswith(b"\n") and not final:
            return
        yield line


def _rotated_copy(log: Path, inode: int) -> Path | None:
    """The copy logrotate made of the file with ``inode``: the same inode (not yet compressed), or else the newest
    rotated copy."""
    copies = [p for p in rotation_order(p for p in log.parent.iterdir() if p.name.startswith(log.name)) if p != log]
    for copy in copies:
        if copy.stat().st_ino == inode:
            return copy
    return copies[-1] if copies else None


def seal(log: Path, tsa_urls: list[str], ca_file: str | None = None, now: dt.datetime | None = None) -> list[dict]:
    """Seal what the log gained since the last run (and the end of a file logrotate renamed since): write the
    seals beside it, return them. One run at a time: cron's and logrotate's may start together, and two seals
    numbered alike would read as a seal removed. Raises :class:`ProofError` when the log cannot be read."""
    try:
        lock = open(log.parent / LOCK, "a")
    except PermissionError as error:
        raise ProofError(f"нет прав писать {error.filename}: запустите от root") from error
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _seal(log, tsa_urls, ca_file, now)


def _seal(log: Path, tsa_urls: list[str], ca_file: str | None, now: dt.datetime | None) -> list[dict]:
    seals_path, state_path = seals_beside(log), log.parent / STATE
    state = State.load(state_path)
    try:
        inode = log.stat().st_ino if log.exists() else 0
        written = []
        if state.inode and inode != state.inode:
            # Rotated since the last run: finish the old file's segment from the copy logrotate made of it.
            copy = _rotated_copy(log, state.inode)
            if copy is not None:
                with _open(copy) as stream:
                    lines = _whole_lines(stream, skip_lines=state.lines, final=True)
                    written.append(_seal_lines(state, lines, True, tsa_urls, ca_file, seals_path, now))
            state = dataclasses.replace(state, inode=inode, offset=0, segment=state.segment + 1, lines=0)
            state.start = state.chain
        elif not state.inode:
            state.inode = inode
        if inode:
            with open(log, "rb") as stream:
                lines = _counting(_whole_lines(stream, skip_bytes=state.offset), state)
                written.append(_seal_lines(state, lines, False, tsa_urls, ca_file, seals_path, now))
    except PermissionError as error:
        raise ProofError(f"нет прав читать {error.filename} или писать печати: запустите от root") from error
    state.save(state_path)
    return [s for s in written if s]


def _counting(lines: Iterator[bytes], state: State) -> Iterator[bytes]:
    for line in lines:
        state.offset += len(line)
        yield line


def _seal_lines(
    state: State,
    lines: Iterable[bytes],
    final: bool,
    tsa_urls: list[str],
    ca_file: str | None,
    seals_path: Path,
    now: dt.datetime | None,
) -> dict:
    """Extend the chain over ``lines`` and write a seal if anything is new (or the segment ends); {} if not."""
    before = state.lines
    for line in lines:
        state.chain = step(state.chain, line)
        state.lines += 1
    if state.lines == before and not final:
        return {}
    state.sealed += 1
    record = {
        "v": 1,
        "n": state.sealed,
        "time": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "segment": state.segment,
        "lines": state.lines,
        "start": state.start,
        "chain": state.chain,
        "final": final,
        "prev": state.prev,
    }
    answer, url, error = timestamp(hashlib.sha256(canonical(record)).hexdigest(), tsa_urls, ca_file)
    record.update(tsr=base64.b64encode(answer).decode(), tsa=url, tsa_error=error)
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    with open(seals_path, "a", encoding="utf-8") as out:
        out.write(text + "\n")
    state.prev = hashlib.sha256(text.encode()).hexdigest()
    return record


# -- the command -----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m alectro_deploy.consent_seal",
        description="Запечатать журнал согласий: цепочка хешей строк и метка времени TSA (RFC 3161) "
        "(guides/operator.md, «Печати журнала»).",
    )
    parser.add_argument("--log", default=DEFAULT_LOG, help=f"живой журнал (по умолчанию {DEFAULT_LOG})")
    parser.add_argument(
        "--tsa",
        action="append",
        default=[],
        metavar="URL",
        help="адрес TSA; можно несколько — берётся первый ответивший",
    )
    parser.add_argument("--tsa-ca", metavar="FILE", help="сертификат УЦ TSA: проверить метку сразу")
    args = parser.parse_args(argv)
    try:
        written = seal(Path(args.log), args.tsa, args.tsa_ca)
    except ProofError as error:
        print(f"ошибка: {error}", file=sys.stderr)
        return 2
    unstamped = [s for s in written if not s["tsr"]]
    for record in unstamped:
        print(
            f"печать № {record['n']} записана без метки времени: {record['tsa_error']}; "
            "следующая печать с меткой закрепит и её (guides/operator.md, «Если TSA недоступен»)",
            file=sys.stderr,
        )
    return 1 if unstamped else 0


if __name__ == "__main__":
    sys.exit(main())
