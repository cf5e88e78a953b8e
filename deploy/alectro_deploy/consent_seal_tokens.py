"""A consent log seal's RFC 3161 token judged for the proof (consent_seal_check): checked against the TSA's CA
certificate (consent_tsa), and its TSA time against the time the seal says it was made, so that a seal made again
later over changed lines shows, whether it is the newest of its file or an earlier one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re

from alectro_deploy.consent_seal import canonical
from alectro_deploy.consent_tsa import check_token, token_time


def _token_problem(seal: dict, ca_file: str) -> str:
    return check_token(base64.b64decode(seal["tsr"]), hashlib.sha256(canonical(seal)).hexdigest(), ca_file)


TOKEN_DELAY = 600
"""Seconds by which the TSA's time of a seal's token may differ from the time the seal says it was made: the
sealer asks at once (30 s a TSA at most), so more is a seal made again later (or a server clock that far off)."""
_OPENSSL_SAID = {
    "message imprint mismatch": "метка выдана на другую печать (хеш печати не тот, что в метке)",
    "certificate verify error": "подпись метки не от TSA с этим сертификатом УЦ",
    "signature failure": "подпись метки не сходится (метка изменена)",
}


def token_line(seal: dict, ca_file: str | None) -> tuple[str, str]:
    """What ``seal``'s token says, for the proof; and, when its check fails or its TSA time is not the seal's own,
    why the seal cannot be trusted (else "")."""
    if not seal.get("tsr"):
        return "без метки времени TSA", ""
    answer = base64.b64decode(seal["tsr"])
    when = token_time(answer) or "?"
    if not ca_file:
        return f"метка времени TSA {when}, подпись не проверена: укажите сертификат УЦ TSA (TSA_CA=)", ""
    problem = _token_problem(seal, ca_file)
    if problem:
        said = next((words for cause, words in _OPENSSL_SAID.items() if cause in problem), problem)
        return f"МЕТКА ВРЕМЕНИ НЕ ПРОШЛА ПРОВЕРКУ: {said}", f"метка времени печати № {seal['n']} не прошла проверку"
    stamped, made = _openssl_time(when), seal_time(seal["time"])
    if stamped is not None and made is not None and abs((stamped - made).total_seconds()) > TOKEN_DELAY:
        return f"метка времени TSA {when}, проверена", (
            f"печать № {seal['n']} названа сделанной {seal['time']}, а TSA заверил её {stamped.isoformat()}: "
            "печать сделана заново позже, чем в ней написано (или часы сервера ушли больше чем на "
            f"{TOKEN_DELAY // 60} минут); строки под ней могли быть изменены до того"
        )
    return f"метка времени TSA {when}, проверена", ""


def earlier_tokens(seals: list[dict], ca_file: str | None) -> tuple[list[str], int]:
    """Why the tokens of a file's ``seals`` before its newest cannot be trusted (as ``token_line`` says of the
    newest), and how many were checked: none without ``ca_file``. The newest token alone does not do: the seals name
    each other by hash, so it fixes when they all existed, but not when each was made; an operator who changed a
    morning's lines and made that morning's seals again in the evening, each with a real token, shows only in their
    own tokens' times."""
    if not ca_file:
        return [], 0
    stamped = [seal for seal in seals if seal.get("tsr")]
    problems = [problem for seal in stamped if (problem := token_line(seal, ca_file)[1])]
    if len(problems) > SHOWN_TOKENS:
        # A day's seals made again are a hundred and more lines alike: the first say how, the count says how many.
        more = f"и ещё печатей этого файла, чьи метки не сходятся: {len(problems) - SHOWN_TOKENS}"
        problems = [*problems[:SHOWN_TOKENS], more]
    return problems, len(stamped)


SHOWN_TOKENS = 3
"""How many of a file's earlier seals whose tokens fail are named one by one."""


def _openssl_time(text: str) -> dt.datetime | None:
    """openssl's «Dec  7 16:55:56 2026 GMT» (or with fractions of a second) as a time in UTC."""
    found = re.fullmatch(r"(\w{3}) +(\d{1,2}) (\d\d:\d\d:\d\d)(?:\.\d+)? (\d{4}) GMT", text)
    if not found:
        return None
    try:
        return dt.datetime.strptime(" ".join(found.groups()), "%b %d %H:%M:%S %Y").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def seal_time(text: str) -> dt.datetime | None:
    """The time a seal says it was made (``seal["time"]``), None when it is not an ISO time with its offset."""
    try:
        made = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return made if made.tzinfo is not None else None
