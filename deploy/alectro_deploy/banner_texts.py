"""The banner texts a release carries: every text visitors were shown, by hash, so that the proof of an old choice
finds the text it names (``banner-texts/<hash>.txt`` beside editions.json, listed in ``banner-texts/index.txt``).

A build publishes its own text only; before a new release is uploaded, the texts of the live release that it lacks
are copied into it. A text is kept only under the name its SHA-256 gives it: a file whose bytes do not match its
name, or a name that is not 16 hex digits, is never carried (it could not prove anything, and a name is a path).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

FOLDER = "banner-texts"
INDEX = f"{FOLDER}/index.txt"
_HASH = re.compile(r"[0-9a-f]{16}")

Read = Callable[[str], bytes | None]


def listed(index: bytes | None) -> list[str]:
    """The hashes an ``index.txt`` lists, in order, without repeats; a line that is no hash is ignored."""
    lines = (index or b"").decode("ascii", errors="replace").splitlines()
    return list(dict.fromkeys(line.strip() for line in lines if _HASH.fullmatch(line.strip())))


def matches(text_hash: str, body: bytes) -> bool:
    return hashlib.sha256(body).hexdigest()[: len(text_hash)] == text_hash


def carry_forward(site: Path, read_live: Read) -> list[str]:
    """Copy into ``site`` each banner text the live release lists and ``site`` lacks (``read_live`` reads a file of
    the live release by its path there, None when it is missing), and list them all in the site's index. Return
    the hashes copied."""
    folder = site / FOLDER
    own = listed((site / INDEX).read_bytes() if (site / INDEX).is_file() else None)
    copied = []
    for text_hash in listed(read_live(INDEX)):
        if (folder / f"{text_hash}.txt").is_file():
            continue
        body = read_live(f"{FOLDER}/{text_hash}.txt")
        if body is None or not matches(text_hash, body):
            continue
        folder.mkdir(exist_ok=True)
        (folder / f"{text_hash}.txt").write_bytes(body)
        copied.append(text_hash)
    if copied:
        (site / INDEX).write_text("".join(f"{h}\n" for h in dict.fromkeys([*copied, *own])), encoding="ascii")
    return copied
