"""The RFC 3161 time-stamping of the consent log's seals (consent_seal), with the ``openssl ts`` command: asking a
time-stamping authority (TSA) for a token over a seal's SHA-256, checking a token (against the TSA's CA certificate
when given), and reading the time the TSA put in it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path


def openssl() -> str:
    return os.environ.get("OPENSSL", "openssl")


def _openssl_ts(*arguments: str) -> subprocess.CompletedProcess:
    """``openssl ts`` with ``arguments``; an openssl that cannot be run is a failed run saying so, never a crash."""
    try:
        return subprocess.run([openssl(), "ts", *arguments], capture_output=True, text=True)
    except OSError as error:
        said = f"openssl не запускается ({error.strerror or error}): apt-get install openssl"
        return subprocess.CompletedProcess([openssl(), "ts", *arguments], 127, "", said)


def timestamp(digest: str, tsa_urls: Iterable[str], ca_file: str | None = None) -> tuple[bytes, str, str]:
    """An RFC 3161 answer over SHA-256 ``digest`` from the first of ``tsa_urls`` that gives one: (its DER, the
    URL, ""), or (b"", "", why none did)."""
    errors = []
    with tempfile.TemporaryDirectory() as folder:
        query = Path(folder) / "seal.tsq"
        made = _openssl_ts("-query", "-digest", digest, "-sha256", "-cert", "-out", str(query))
        if made.returncode != 0:
            return b"", "", f"openssl ts -query: {made.stderr.strip()}"
        for url in tsa_urls:
            request = urllib.request.Request(
                url, data=query.read_bytes(), headers={"Content-Type": "application/timestamp-query"}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    answer = response.read()
            except (OSError, urllib.error.URLError) as error:
                errors.append(f"{url}: {getattr(error, 'reason', None) or error}")
                continue
            problem = check_token(answer, digest, ca_file)
            if problem:
                errors.append(f"{url}: {problem}")
                continue
            return answer, url, ""
    return b"", "", "; ".join(errors) or "не указан ни один TSA (--tsa)"


def check_token(answer: bytes, digest: str, ca_file: str | None) -> str:
    """Why ``answer`` (a TSA's DER reply) is not a valid timestamp of ``digest``; "" if it is. Without
    ``ca_file`` only its status is read (the proof checks the rest, given the TSA's CA certificate)."""
    with tempfile.TemporaryDirectory() as folder:
        reply = Path(folder) / "seal.tsr"
        reply.write_bytes(answer)
        if ca_file:
            result = _openssl_ts("-verify", "-digest", digest, "-in", str(reply), "-CAfile", ca_file)
        else:
            result = _openssl_ts("-reply", "-in", str(reply), "-text")
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        return f"ответ TSA не проверен: {said[-1] if said else 'openssl ts ничего не сказал'}"
    if not ca_file and "Status: Granted." not in result.stdout:
        return "TSA не выдал метку времени"
    return ""


def token_time(answer: bytes) -> str:
    """The time the TSA put in ``answer``, as it prints it ("" if it cannot be read)."""
    with tempfile.TemporaryDirectory() as folder:
        reply = Path(folder) / "seal.tsr"
        reply.write_bytes(answer)
        result = _openssl_ts("-reply", "-in", str(reply), "-text")
    for line in result.stdout.splitlines():
        if line.startswith("Time stamp:"):
            return line.split(":", 1)[1].strip()
    return ""
