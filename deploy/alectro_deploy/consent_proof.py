"""``python3 -m alectro_deploy.consent_proof``: the proof of a visitor's consent from the consent log, or counts of
all choices; what ``make consent-proof`` runs.

    python3 -m alectro_deploy.consent_proof 3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b --editions https://alectro.ru/privacy/editions.json
    python3 -m alectro_deploy.consent_proof --summary --log /var/log/nginx/
    python3 -m alectro_deploy.consent_proof --receipt cookies-9c0d7e1f.txt --log /var/log/nginx/

``--log`` takes the live log (its rotated copies ``.1``, ``.2.gz``, ``-20261125.gz`` … beside it are read too),
a folder holding them, or a glob (:mod:`alectro_deploy.consent_files`, which also says in which order records
are read). Any line of the log that is not a record is counted and reported on stderr, never fatal. Exit codes:
0 the consent ID was found (or the summary printed; with ``--receipt``, the record the visitor's receipt names
found, the browser's and saying the same), 1 it was not found (or the receipt's record is missing, someone else's
or says otherwise), 2 a usage or read error, 3 found, but its records make two or more chains of keys and no
receipt tells which is the browser's (:data:`UNTOLD`); a hostile line changes none of them but 3, which a forger
who learned the ID can cause (the receipt then decides).
Plain Python on purpose (the standard library only): it runs on the server as it is, with
``deploy/`` on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import io
import itertools
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path

from alectro_deploy.consent_files import (
    DEFAULT_LOG,
    LogReader,
    live_name,
    log_files,
    skipped_report,
    wanted_skipped_report,
)
from alectro_deploy.consent_log import UUID4, ProofError, shown
from alectro_deploy.consent_published import load_editions
from alectro_deploy.consent_receipt import ReceiptCheck, read_receipt
from alectro_deploy.consent_report import Verdict, proof_lines
from alectro_deploy.consent_seal import SEALS, seals_beside
from alectro_deploy.consent_seal_check import check
from alectro_deploy.consent_store import ChainStore
from alectro_deploy.consent_summary import summary

UNTOLD = 3
"""The exit code of a proof whose records make two or more chains of keys, when no receipt tells which is the
browser's: the consent is found, but no choice of it is proven in force."""


def consent_id(value: str) -> str:
    """``value`` as a consent ID (lowercase UUID v4); argparse reports the ValueError's message."""
    normal = value.strip().lower()
    if not UUID4.fullmatch(normal):
        raise argparse.ArgumentTypeError(
            f"«{value}» — не идентификатор согласия: нужен UUID версии 4 из 36 знаков, "
            "например 3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b (его показывает посетителю панель настроек cookie)"
        )
    return normal


def main(argv: list[str] | None = None) -> int:
    # A terminal that cannot show Cyrillic still gets every record, escaped.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(
        prog="python3 -m alectro_deploy.consent_proof",
        description="Доказательство согласия по журналу согласий nginx (guides/operator.md: «Журнал согласий»).",
    )
    parser.add_argument("id", nargs="?", type=consent_id, help="идентификатор согласия (UUID v4)")
    parser.add_argument("--summary", action="store_true", help="счётчики выборов по дням, редакциям и категориям")
    parser.add_argument(
        "--log",
        action="append",
        metavar="PATH",
        help="журнал (с его ротированными копиями), папка или шаблон; можно несколько раз — журналы нескольких "
        f"серверов сводятся по времени (по умолчанию {DEFAULT_LOG})",
    )
    parser.add_argument("--editions", metavar="PATH|URL", help="опубликованный editions.json для проверки SHA-256")
    parser.add_argument(
        "--tsa-ca",
        metavar="FILE",
        help=f"сертификат УЦ службы времени (TSA), чтобы проверить метки времени печатей журнала ({SEALS} рядом с ним)",
    )
    parser.add_argument(
        "--seals-copy",
        action="append",
        metavar="FILE",
        help=f"копия файла печатей ({SEALS}), хранимая вне сервера: печати журнала должны начинаться с неё; по одной "
        "на журнал (--log), в том же порядке",
    )
    parser.add_argument(
        "--receipt",
        metavar="FILE",
        help="квитанция посетителя (файл, который сохранил баннер): найти и сверить её запись; идентификатор — из неё",
    )
    args = parser.parse_args(argv)
    if (args.id is None and args.receipt is None) == (not args.summary):
        parser.error("укажите идентификатор согласия, квитанцию (--receipt) или --summary")
    try:
        receipt = ReceiptCheck(read_receipt(args.receipt)) if args.receipt and not args.summary else None
        if receipt is not None:
            if args.id is not None and args.id != receipt.receipt.consent_id:
                raise ProofError(
                    f"в квитанции {args.receipt} идентификатор {receipt.receipt.consent_id}, а указан {args.id}: "
                    "укажите один из них"
                )
            args.id = receipt.receipt.consent_id
        reader = LogReader(args.log or [DEFAULT_LOG])
        copies = _seal_copies(args.log or [DEFAULT_LOG], args.seals_copy)
        published = load_editions(args.editions) if args.editions and not args.summary else None
        if args.summary:
            return _print_summary(reader, args.tsa_ca, copies)
        with ChainStore() as store:
            records = reader.records(wanted=args.id.encode())
            verdict = Verdict()
            lines = proof_lines(store, records, args.id, published, len(reader.logs), receipt, verdict)
            _report_reading(reader)
            # A line of the ID cut short or damaged is part of the proof: a gap in the chain, or all that is left.
            gaps = wanted_skipped_report(reader)
            if lines is None:
                print(
                    shown(f"Согласие {args.id} не найдено в журнале ({', '.join(map(str, reader.files))})"),
                    file=sys.stderr,
                )
                for line in gaps + (receipt.lines(None) if receipt else []):
                    print(shown(line), file=sys.stderr)
                return 1
            # Printed as the chain is judged: the proof of a flooded ID is never held whole.
            _write(itertools.chain(lines, [""] + gaps if gaps else []))
            _write(_seal_lines(reader, args.tsa_ca, store.files, copies))
    except ProofError as error:
        print(shown(f"ошибка: {error}"), file=sys.stderr)
        return 2
    # A receipt whose record is missing, someone else's or says otherwise: the check failed.
    if receipt is not None:
        return 0 if receipt.matched else 1
    return UNTOLD if verdict.untold else 0


def _write(lines: Iterable[str]) -> None:
    """Print ``lines`` escaped for the terminal, a thousand at a time (one write each: a flooded ID's proof has
    millions)."""
    for chunk in _batched(lines):
        sys.stdout.write("".join(shown(line) + "\n" for line in chunk))


def _batched(lines: Iterable[str]) -> Iterator[list[str]]:
    # As itertools.batched (Python 3.12+; Debian bookworm has 3.11).
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == 1000:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _seal_copies(specs: list[str], copies: list[str] | None) -> dict[Path, Path]:
    """The off-server copy of the seals of each log, by its live file (--seals-copy, one a --log, in order)."""
    if not copies:
        return {}
    if len(copies) != len(specs):
        raise ProofError(
            f"копий печатей (--seals-copy, SEALS_COPY_FILE=) {len(copies)}, а журналов (--log, LOG=) {len(specs)}: "
            "укажите по одной на журнал, в том же порядке"
        )
    return {live_name(log_files(spec)[0]): Path(copy) for spec, copy in zip(specs, copies, strict=True)}


def _seal_lines(
    reader: LogReader,
    ca_file: str | None,
    shown: Collection[str] = frozenset(),
    copies: Mapping[Path, Path] | None = None,
) -> list[str]:
    """What the seals beside each log say of it (none: the log is not sealed, said once), the files ``shown``
    names in detail, checked against the seals' copy off the server when given."""
    lines: list[str] = []
    for live, files in reader.logs.items():
        seals = seals_beside(live)
        copy = (copies or {}).get(live)
        if seals.exists() or copy is not None:
            lines += ["", *check(files, seals, ca_file, shown, copy)]
        else:
            lines += ["", f"Журнал {live} не запечатан ({seals.name} рядом с ним нет): изменения в нём не видны"]
    return lines


def _print_summary(reader: LogReader, ca_file: str | None, copies: Mapping[Path, Path]) -> int:
    lines = summary(reader)
    _report_reading(reader)
    _write(lines)
    # The summary is what an operator runs to see the log is sound: its seals too.
    _write(_seal_lines(reader, ca_file, copies=copies))
    return 0


def _report_reading(reader: LogReader) -> None:
    """What was wrong with the files and lines read (stderr)."""
    for line in reader.warnings + skipped_report(reader):
        print(shown(line), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
