"""The release layout at a target, and the lock that lets one publish or rollback change it at a time.

    releases/0007-20261124T150000Z-1a2b3c4d5e6f/   one complete site per release
    releases/.incoming-0008-…/                     an upload not finished yet, which nothing serves
    current -> releases/0007-…                     the live one; the web server serves TARGET/current
    live-history                                   the releases that went live, oldest first: rollback's way back
    .publish.lock/                                 while a publish or rollback runs: one at a time

Names, their order and what to keep are decided here, from plain lists of names; the file operations are the
target's (:mod:`alectro_deploy.targets`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from alectro_deploy.errors import PublishError

if TYPE_CHECKING:  # the targets import this module's names
    from alectro_deploy.targets.base import Target

CURRENT = "current"
RELEASES = "releases"
LIVE_HISTORY = "live-history"
LOCK = ".publish.lock"
INCOMING = ".incoming-"
# 0007-20261124T150000Z-1a2b3c4d5e6f: the sequence number orders releases, the rest is for people.
RELEASE_NAME = re.compile(r"^(?P<seq>\d{4,})-\d{8}T\d{6}Z(-[0-9a-f]{4,40})?$")
LIVE_HISTORY_KEPT = 100


def is_release(name: str) -> bool:
    """Whether ``name`` is a finished release that publish made (not an upload, not something else)."""
    return RELEASE_NAME.match(name) is not None


def sequence(name: str) -> int:
    """The sequence number of release ``name``, which orders releases; -1 for any other name."""
    match = RELEASE_NAME.match(name)
    return int(match["seq"]) if match else -1


def releases_of(entries: list[str]) -> list[str]:
    """The finished releases among the ``entries`` of ``releases/`` (``Target.entries()``), oldest first."""
    return sorted((name for name in entries if is_release(name)), key=sequence)


def release_name(number: int, now: datetime, commit: str | None) -> str:
    """``0007-20261124T150000Z-1a2b3c4d5e6f``: sequence number, UTC time and (when known) the commit."""
    name = f"{number:04d}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    if commit and re.fullmatch(r"[0-9a-f]{4,40}", commit):
        name += f"-{commit[:12]}"
    return name


def next_release_name(existing: list[str], now: datetime, commit: str | None) -> str:
    """The name of a release numbered after every one of ``existing``."""
    return release_name(max(map(sequence, existing), default=0) + 1, now, commit)


def parse_live_history(raw: bytes | None) -> list[str]:
    """The releases a ``live-history`` file lists, oldest first; empty when there is none. Other lines are dropped."""
    return [line for line in (raw or b"").decode("utf-8", "replace").splitlines() if is_release(line)]


def format_live_history(names: list[str]) -> bytes:
    """A ``live-history`` file listing ``names`` (the newest ones, if they are many)."""
    return "".join(f"{name}\n" for name in names[-LIVE_HISTORY_KEPT:]).encode()


def way_back(recorded: list[str], live: str, existing: list[str]) -> tuple[list[str], bool]:
    """The kept releases in the order they went live, oldest first, ending with ``live``; and whether a record
    told that order.

    ``recorded`` is what ``live-history`` lists, ``existing`` the releases still kept (oldest first). A record
    that does not end with ``live`` (a publish killed between going live and writing it) gets ``live`` added.
    Without a record (a target published before ``live-history`` existed, or the file lost), the way back is by
    release order: every kept release older than ``live``.
    """
    if not recorded:
        return [name for name in existing if sequence(name) < sequence(live)] + [live], False
    kept = set(existing)
    return [name for name in recorded if name in kept] + ([] if recorded[-1] == live else [live]), True


def to_prune(releases: list[str], went_live: list[str], keep: int) -> list[str]:
    """The ``releases`` (oldest first) to remove: all but the newest ``keep``, except the live one (the last of
    ``went_live``) and the ones rollback goes back to."""
    kept = set(went_live[-keep:])
    return [name for name in releases[:-keep] if name not in kept]


@contextmanager
def locked(target: Target) -> Iterator[None]:
    """Hold the target's lock while publishing or rolling back: two at once could both go live, or prune each other."""
    if not target.try_lock():
        raise PublishError(
            f"{target.label} is locked ({LOCK} exists): another publish or rollback is running. If none is "
            f"(one was killed), remove {target.label}/{LOCK} and try again"
        )
    try:
        yield
    finally:
        target.unlock()
