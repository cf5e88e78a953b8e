"""Publish a built site as a new release and make it live; roll back to the release live before.

A release is uploaded beside the live one and goes live when ``current`` is switched to it in one atomic rename:
a visitor sees either the old site or the new one, never half of each. Before anything at the target changes,
the new build's ``editions.json`` is checked by :mod:`alectro_deploy.guard` against the live release's and,
after a rollback, the newest release's: their editions were published all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alectro_deploy.banner_texts import carry_forward
from alectro_deploy.errors import PublishError
from alectro_deploy.guard import EDITIONS_FILE, Editions, HistoryCheck, check_history, check_new_dates, parse_editions
from alectro_deploy.layout import (
    CURRENT,
    INCOMING,
    LIVE_HISTORY,
    RELEASES,
    format_live_history,
    is_release,
    locked,
    next_release_name,
    parse_live_history,
    releases_of,
    to_prune,
    way_back,
)
from alectro_deploy.targets import Target

OVERRIDE_HINT = (
    "'make publish' builds with the live editions.json, which keeps every published edition through any merge, "
    "and fails naming the commit if one was lost from git history; so what changes them here is mkdocs.yml "
    "(first_published, edition_dates, documents) or a site built without it. Undo that change, or build with "
    "'make publish'. For a deliberate correction, publish again with --allow-history-rewrite "
    "(make publish TARGET=... ALLOW_HISTORY_REWRITE=1) and say why in the commit message."
)

Say = Callable[[str], None]


def publish(
    site: Path,
    target: Target,
    *,
    keep: int,
    allow_history_rewrite: bool,
    commit: str | None,
    now: datetime,
    say: Say = print,
) -> str:
    """Publish ``site`` to ``target`` as a new release and make it live; return the release's name.

    Raises PublishError, with nothing at the target changed, when the site is not built, the target is
    locked by another publish, or the guard refuses.
    """
    if not (site / "index.html").is_file():
        raise PublishError(f"{site / 'index.html'} does not exist: build the site first (make build)")
    new = parse_editions(_read_optional(site / EDITIONS_FILE), str(site / EDITIONS_FILE))
    with locked(target):
        live = target.current()
        entries = target.entries()
        existing = releases_of(entries)
        published = _read_published(target, live, existing)
        problems = _history_problems(published, live, new, say)
        listed = "\n".join(f"  - {problem}" for problem in problems)
        misdated = _date_problems(published, live, new)
        if misdated:
            # First: its fix (edition_date committed alone) also undoes what a misdated commit did to older dates.
            raise PublishError(
                f"Refusing to publish to {target.label}: a new edition is not dated by the day it goes live:\n"
                + "\n".join(f"  - {problem}" for problem in misdated)
                + (f"\nThe new build would also rewrite published editions:\n{listed}" if problems else "")
                + "\nNothing at the target was changed."
            )
        if problems:
            if not allow_history_rewrite:
                raise PublishError(
                    f"Refusing to publish to {target.label}: the new build would rewrite published editions:\n"
                    f"{listed}\nNothing at the target was changed. {OVERRIDE_HINT}"
                )
            say(f"warning: publishing anyway (--allow-history-rewrite), although:\n{listed}")
        if live:
            carried = carry_forward(site, lambda path: target.read(f"{CURRENT}/{path}"))
            if carried:
                say(f"banner texts of {live} carried into the new release: {', '.join(carried)}")
        name = next_release_name(existing, now, commit)
        linked = f" (unchanged files linked to {live})" if live else ""
        say(f"uploading {site} to {target.label}/{RELEASES}/{name}{linked}")
        target.upload(site, name, link_dest=live)
        recorded = parse_live_history(target.read(LIVE_HISTORY))
        went_live = [*recorded, *([live] if live and recorded[-1:] != [live] else []), name]
        target.switch(name)
        target.write(LIVE_HISTORY, format_live_history(went_live))
        say(f"live: {target.label}/{CURRENT} -> {RELEASES}/{name}")
        # Uploads that a killed publish left; one of the same name was just reused (rsync resumed it) and renamed.
        unfinished = [entry for entry in entries if entry.startswith(INCOMING) and entry != INCOMING + name]
        old = to_prune([*existing, name], went_live, keep)
        if old or unfinished:
            target.remove(old + unfinished)
            more = f" and {len(unfinished)} unfinished upload(s)" if unfinished else ""
            say(f"removed {len(old)} old release(s){more}")
    return name


def save_live_editions(target: Target, out: Path, *, say: Say = print) -> bool:
    """Write the live release's ``editions.json`` to ``out``; return whether there was one.

    ``make publish`` builds with it (``ALECTRO_PUBLISHED_EDITIONS``), so that the build keeps every published
    edition whatever merges came since. Nothing is written, and ``out`` is removed, when nothing is live yet.
    """
    out.unlink(missing_ok=True)
    raw = target.read(f"{CURRENT}/{EDITIONS_FILE}") if target.current() else None
    if raw is None:
        say(f"note: {target.label} has no live {EDITIONS_FILE}: the build goes by git history alone")
        return False
    parse_editions(raw, f"{target.label}/{CURRENT}/{EDITIONS_FILE}")
    out.write_bytes(raw)
    return True


def rollback(target: Target, *, say: Say = print) -> str:
    """Make the release that was live before the live one live again; return its name.

    Each rollback goes one step further back along ``live-history``, the releases in the order they went
    live; a target without that record goes back by release order, to the newest release older than the live
    one. Raises PublishError if there is nothing to go back to, or the target is locked.
    """
    if target.current() is None:  # before locking, which would create the target
        raise PublishError(f"{target.label} has no {CURRENT} release: nothing to roll back")
    with locked(target):
        live = target.current()
        if live is None or not is_release(live):
            raise PublishError(
                f"{target.label}/{CURRENT} points to {live}, which publish did not make: switch it by hand"
            )
        went_live, recorded = way_back(
            parse_live_history(target.read(LIVE_HISTORY)), live, releases_of(target.entries())
        )
        if len(went_live) < 2:
            raise PublishError(
                f"{target.label}: no release was live before {live} and is still kept; nothing to roll back to"
            )
        previous = went_live[-2]
        target.switch(previous)
        target.write(LIVE_HISTORY, format_live_history(went_live[:-1]))
        if not recorded:
            say(
                f"note: {target.label} has no {LIVE_HISTORY} record of the order releases went live in, so the way "
                f"back is by release order: {previous} is the newest release older than {live}"
            )
        say(f"live: {target.label}/{CURRENT} -> {RELEASES}/{previous} (was {live})")
        # A rollback is deliberate, so it is not refused; but say which published editions visitors lose.
        try:
            check = check_history(_published_editions(target, live), _published_editions(target, previous))
        except PublishError as error:
            check = HistoryCheck((str(error),), ())
        for problem in check.problems:
            say(f"warning: compared with {live}, {problem}")
    return previous


@dataclass(frozen=True)
class _Published:
    """What the target has published, each editions.json read once: the live release's and, after a rollback,
    the newest release's. A PublishError in place of editions: that file could not be read."""

    live: Editions | None | PublishError
    rolled_back: str | None
    """The newest release when it is not the live one (after a rollback)."""
    rolled_back_editions: Editions | None | PublishError = None


def _read_published(target: Target, live: str | None, existing: list[str]) -> _Published:
    def read(where: str) -> Editions | None | PublishError:
        try:
            return parse_editions(target.read(where), f"{target.label}/{where}")
        except PublishError as error:
            return error

    current = read(f"{CURRENT}/{EDITIONS_FILE}") if live else None
    if existing and existing[-1] != live:
        newest = existing[-1]
        return _Published(current, newest, read(f"{RELEASES}/{newest}/{EDITIONS_FILE}"))
    return _Published(current, None)


def _history_problems(published: _Published, live: str | None, new: Editions | None, say: Say) -> list[str]:
    """check_history against the live release and, after a rollback, the newest one too.

    An unreadable published editions.json is a problem too (it can be overridden like the others).
    """
    problems: list[str] = []
    if live:
        if isinstance(published.live, PublishError):
            return [str(published.live)]
        if published.live is None:
            say(f"note: the live release {live} has no {EDITIONS_FILE} (published before editions were tracked)")
        check = check_history(published.live, new)
        problems += check.problems
        for note in check.notes:
            say(f"note: {note}")
    if published.rolled_back is not None:
        # After a rollback the newest release is not live, but its editions were published all the same.
        rolled_back = published.rolled_back_editions
        if isinstance(rolled_back, PublishError):
            check = HistoryCheck((str(rolled_back),), ())
        else:
            check = check_history(rolled_back, new)
        problems += (f"(as published by {published.rolled_back}, since rolled back) {p}" for p in check.problems)
    return problems


def _date_problems(published: _Published, live: str | None, new: Editions | None) -> tuple[str, ...]:
    """check_new_dates against the live release and, after a rollback, the newest one: an edition that one
    published went live then, with its date, and is not new (unreadable files are _history_problems' to report)."""
    if not live or isinstance(published.live, PublishError):
        return ()
    problems = check_new_dates(published.live, new)
    if problems and published.rolled_back is not None:
        if isinstance(published.rolled_back_editions, PublishError):
            return ()
        also = set(check_new_dates(published.rolled_back_editions, new))
        problems = tuple(problem for problem in problems if problem in also)
    return problems


def _published_editions(target: Target, release: str) -> Editions | None:
    where = f"{RELEASES}/{release}/{EDITIONS_FILE}"
    return parse_editions(target.read(where), f"{target.label}/{where}")


def _read_optional(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
