"""The proof of one consent among a million records: time and peak memory of ``make consent-proof``'s command.

    .venv/bin/python bench/consent_proof.py [RECORDS]

Writes a consent log of RECORDS lines (default 1,000,000) as nginx writes it, in a live file and a gzipped
rotated copy, with one visitor's chain of three choices spread through it, an ID flooded with a fifth of the
records (200,000 of a million, version 4, each with a key and a banner text of its own) and some garbage, then
runs the proof command (``python3 -m alectro_deploy.consent_proof``) for each of the two IDs and the summary, each
in its own process,
and prints wall time, records per second and the process's peak resident memory (ru_maxrss). The flooded ID's
proof is checked against an editions.json and banner-texts/index.txt beside it, as a release publishes them.
"""

from __future__ import annotations

import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = "3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b"
# An ID someone learned and floods with plausible records, every fifth line of the log: its proof reads them all.
FLOODED = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"


def line(
    consent_id: str, choice: str, categories: str, t: int, p: str, n: int, h: str = "0123456789abcdef", k: str = ""
) -> bytes:
    record = {
        "time": f"2026-11-{1 + n % 28:02d}T10:00:00+03:00",
        "addr": f"203.0.{n % 250}.{n % 200}",
        "ua": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "v": "3",
        "id": consent_id,
        "choice": choice,
        "c": categories,
        "doc": "docs%2Findex.md",
        "ed": "2",
        "sha": "b" * 64,
        "t": str(t),
        "h": h,
        "p": p,
    }
    if k:
        # Version 4: a key of the chain of the browser's secret (forged here: no browser's), and the cookie's edition.
        record.update(v="4", k=k, e="2")
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


def write_log(folder: Path, records: int) -> Path:
    chain = {
        records // 10: (TARGET, "all", "necessary%2Banalytics", 1795600000, ""),
        records // 2: (TARGET, "withdraw", "necessary", 1795600100, "1795600000"),
        records - 10: (TARGET, "all", "necessary%2Banalytics", 1795700000, "1795600100"),
    }
    half = records // 2
    with gzip.open(folder / "alectro-consent.jsonl.1.gz", "wb", compresslevel=1) as rotated:
        with open(folder / "alectro-consent.jsonl", "wb") as live:
            for n in range(records):
                out = rotated if n < half else live
                if n in chain:
                    out.write(line(*chain[n], n))
                elif n % 5 == 3:
                    forged_text = f"{n:016x}"
                    out.write(
                        line(
                            FLOODED,
                            "all",
                            "necessary%2Banalytics",
                            1795600000 + n,
                            str(1795600000 + n - 5),
                            n,
                            forged_text,
                            f"{n:032x}",
                        )
                    )
                elif n % 100_000 == 7:
                    out.write(b"\x00\xff garbage " + b"9" * 5000 + b"\n")
                else:
                    out.write(
                        line(
                            str(uuid.UUID(int=n | 0x4000_8000_0000_0000_0000, version=4)),
                            "all",
                            "necessary%2Banalytics",
                            1795600000 + n,
                            "",
                            n,
                        )
                    )
    site = folder / "site"
    (site / "banner-texts").mkdir(parents=True)
    (site / "banner-texts" / "index.txt").write_text("0123456789abcdef\n")
    (site / "editions.json").write_text(json.dumps({"timezone": "Europe/Moscow", "documents": []}))
    return folder / "alectro-consent.jsonl"


def run(*args: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, peak resident MB of the child and its result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "alectro_deploy.consent_proof", *args],
        env={"PYTHONPATH": str(REPO / "deploy"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far: each run is measured after the smaller ones (the
    # flooded ID's proof, which holds its records, last).
    return elapsed, max(peak, before) / 1024, result


def main() -> None:
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        log = write_log(Path(folder), records)
        print(
            f"log: {records:,} records written in {time.perf_counter() - start:.1f} s "
            f"({sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6:.0f} MB on disk, half gzipped)"
        )
        seconds, peak, result = run(TARGET, "--log", str(log))
        assert result.returncode == 0 and result.stdout.count("   Выбор: ") == 3, result.stderr
        print(f"proof of one ID: {seconds:.2f} s, {records / seconds:,.0f} records/s, peak memory {peak:.0f} MB")
        seconds, peak, result = run("--summary", "--log", str(log))
        assert result.returncode == 0, result.stderr
        print(f"summary of all:  {seconds:.2f} s, {records / seconds:,.0f} records/s, peak memory {peak:.0f} MB")
        seconds, peak, result = run(FLOODED, "--log", str(log), "--editions", str(Path(folder) / "site/editions.json"))
        # Keys continuing no chain, each naming a choice the log does not hold: each begins another chain of keys, and
        # the proof proves no choice in force (exit code 3).
        assert result.returncode == 3 and result.stdout.count("   Выбор: ") == records // 5, result.stderr
        print(
            f"proof of an ID flooded with {records // 5:,} records: {seconds:.2f} s, "
            f"{records / seconds:,.0f} records/s, peak memory {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
