#!/usr/bin/env python3
"""Publish the built site as an atomic release, guarded against rewriting published editions; roll back.

    python deploy/publish.py publish --site site --target deploy@alectro.ru:/srv/alectro.ru/privacy
    python deploy/publish.py rollback --target deploy@alectro.ru:/srv/alectro.ru/privacy

``--target`` is a local directory or an rsync-over-SSH destination ``user@host:/path``. Layout there:

    releases/0007-20261124T150000Z-1a2b3c4d5e6f/   one complete site per release
    current -> releases/0007-…                     the live one; the web server serves TARGET/current
    live-history                                   the releases that went live, oldest first: rollback's way back
    .publish.lock/                                 while a publish or rollback runs: one at a time

A release is uploaded beside the live one (rsync with ``--link-dest``, so unchanged files are hard links
to the live release) and goes live when a new symlink is renamed over ``current``: one atomic step, so a
visitor sees either the old site or the new one, never half of each. The newest ``--keep`` releases stay.

Before anything at the target changes, the ``editions.json`` of the live release (and, after a rollback, of
the newest release) is compared with the new build's: a build that would drop a published edition or change its number, date, checksum or permanent URL
is refused (:func:`check_history`) unless ``--allow-history-rewrite`` is given for a deliberate correction.
So is a new edition not dated by the day it goes live in the site's time zone (:func:`check_new_dates`).

Plain Python on purpose (no MkDocs, nothing beyond the standard library): it needs only rsync, and ssh
for a remote target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EDITIONS_FILE = "editions.json"
KNOWN_FORMATS = (1,)
CURRENT = "current"
RELEASES = "releases"
LIVE_HISTORY = "live-history"
LOCK = ".publish.lock"
INCOMING = ".incoming-"
# 0007-20261124T150000Z-1a2b3c4d5e6f: the sequence number orders releases, the rest is for people.
RELEASE_NAME = re.compile(r"^(?P<seq>\d{4,})-\d{8}T\d{6}Z(-[0-9a-f]{4,40})?$")
DEFAULT_KEEP = 5
DEFAULT_SSH = "ssh -o BatchMode=yes"
TODAY_ENV = "ALECTRO_TODAY"
"""For tests only: the date (YYYY-MM-DD) taken as today in the site's time zone instead of the clock's."""
OVERRIDE_HINT = (
    "If git history was rewritten by mistake, restore it (the published commits are listed in the live "
    "editions.json). For a deliberate correction, publish again with --allow-history-rewrite "
    "(make publish TARGET=... ALLOW_HISTORY_REWRITE=1) and say why in the commit message."
)


class PublishError(Exception):
    """Publishing or rolling back stopped; the message says why and what to do."""


# -- the guard: published editions are never dropped or changed -----------------------------------


@dataclass(frozen=True)
class HistoryCheck:
    problems: tuple[str, ...]
    """Each way the new build would rewrite what is published; publishing is refused while there are any."""
    notes: tuple[str, ...]
    """Differences that rewrite nothing a visitor relies on (an edition's commit after a rebase)."""


def check_history(published: dict | None, new: dict | None) -> HistoryCheck:
    """Compare the published ``editions.json`` with a new build's, both parsed.

    ``published`` is None when nothing was published yet; ``new`` is None when the build has no
    ``editions.json``. Documents are matched by ``source``, editions by ``number``. Returns the problems
    (a dropped document or edition, a renumbered one, a changed date, checksum or text URL) and notes.
    Never raises: malformed input is reported as a problem.
    """
    if published is None:
        return HistoryCheck((), ())
    problems: list[str] = []
    notes: list[str] = []
    for label, data in (("published", published), ("new", new)):
        if data is not None and (not isinstance(data, dict) or data.get("format") not in KNOWN_FORMATS):
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            problems.append(
                f"the {label} editions.json has format {found!r}, and this script knows format "
                f"{', '.join(map(str, KNOWN_FORMATS))} only: update deploy/publish.py to compare them"
            )
    if problems:
        return HistoryCheck(tuple(problems), ())
    try:
        _compare(published, new, problems, notes)
    except (KeyError, TypeError, AttributeError) as error:
        problems.append(f"an editions.json lacks a field or has one of the wrong type ({error!r}): cannot compare")
    return HistoryCheck(tuple(problems), tuple(notes))


def _compare(published: dict, new: dict | None, problems: list[str], notes: list[str]) -> None:
    if new is None:
        count = sum(len(document["editions"]) for document in published["documents"])
        problems.append(f"the new build has no {EDITIONS_FILE}: all {count} published editions would disappear")
        return
    new_documents = {document["source"]: document for document in new["documents"]}
    for document in published["documents"]:
        source = document["source"]
        new_document = new_documents.get(source)
        if new_document is None:
            numbers = ", ".join(str(edition["number"]) for edition in document["editions"])
            problems.append(f"{source}: the document is missing from the new build; its editions {numbers} would disappear")
            continue
        by_number = {edition["number"]: edition for edition in new_document["editions"]}
        by_checksum = {edition["sha256"]: edition for edition in new_document["editions"]}
        for old in document["editions"]:
            _compare_edition(source, old, by_number.get(old["number"]), by_checksum.get(old["sha256"]), problems, notes)


def _compare_edition(
    source: str, old: dict, new: dict | None, same_text: dict | None, problems: list[str], notes: list[str]
) -> None:
    number, date = old["number"], old["date"]
    if new is None or (new["sha256"] != old["sha256"] and same_text is not None):
        if same_text is not None and same_text["number"] != number:
            problems.append(f"{source}: edition {number} of {date} would be renumbered {same_text['number']}")
        else:
            problems.append(f"{source}: edition {number} of {date} would disappear")
        return
    before = len(problems)
    if new["date"] != date:
        problems.append(f"{source}: edition {number} would change its date from {date} to {new['date']}")
    if new["sha256"] != old["sha256"]:
        problems.append(
            f"{source}: edition {number} of {date} would change its text "
            f"(SHA-256 {old['sha256'][:12]}… becomes {new['sha256'][:12]}…)"
        )
    if new.get("text_url") != old.get("text_url"):
        problems.append(f"{source}: edition {number} would move from {old.get('text_url')} to {new.get('text_url')}")
    if len(problems) == before and new.get("commit") != old.get("commit"):
        notes.append(
            f"{source}: edition {number} now comes from commit {str(new.get('commit'))[:12]} instead of "
            f"{str(old.get('commit'))[:12]}, with the same text and date"
        )


# -- the date of a new edition is the day it goes live ------------------------------------------------


def site_today(zone: ZoneInfo) -> date:
    """Today in the site's time zone by the clock, or ``$ALECTRO_TODAY`` (tests only)."""
    injected = os.environ.get(TODAY_ENV)
    return date.fromisoformat(injected) if injected else datetime.now(zone).date()


def check_new_dates(published: dict | None, new: dict | None, today: date | None = None) -> tuple[str, ...]:
    """Return a problem for each document whose newest new edition is not dated today in the site's time zone.

    A new edition is one the ``published`` (live) editions.json does not list, numbered after its current
    edition. An edition takes effect on the day it is placed on the site, so it must be dated by the day
    it goes live: ``today`` (by default the clock's, in the ``timezone`` that the ``new`` editions.json
    names). Only the newest is checked: editions committed since the last publication that never went
    live on their own cannot be re-dated any more (``edition_date`` committed alone dates the newest).
    Nothing is checked on a first publication (no ``published``) or for a document published for the
    first time. Never raises: malformed input is reported as a problem.
    """
    if published is None or new is None:
        return ()
    problems = []
    try:
        live_documents = {document["source"]: document for document in published["documents"]}
        for document in new["documents"]:
            live = live_documents.get(document["source"])
            if live is None:
                continue
            numbers = {edition["number"] for edition in live["editions"]}
            live_current = live.get("current_edition") or max(numbers, default=0)
            fresh = [e for e in document["editions"] if e["number"] not in numbers and e["number"] > live_current]
            if fresh:
                problem = _dated_today(document["source"], max(fresh, key=lambda edition: edition["number"]), new, today)
                problems += [problem] if problem else []
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        problems.append(f"an editions.json lacks a field or has one of the wrong type ({error!r}): cannot check new editions' dates")
    return tuple(problems)


def _dated_today(source: str, edition: dict, new: dict, today: date | None) -> str | None:
    zone_name = new.get("timezone")
    try:
        zone = ZoneInfo(zone_name)
    except (TypeError, ValueError, ZoneInfoNotFoundError):
        return (
            f"the new {EDITIONS_FILE} names no time zone ('timezone': {zone_name!r}), so the day its new edition "
            f"of {source} goes live cannot be told: build it with this repository's plugin, which writes it"
        )
    today = today or site_today(zone)
    if edition["date"] == today.isoformat():
        return None
    return (
        f"{source}: new edition {edition['number']} is dated {edition['date']}, but it goes live today, "
        f"{today.isoformat()} ({zone_name}), and an edition takes effect on the day it is placed on the site. "
        f"Put 'edition_date: {today.isoformat()}' in the front matter of {source}, commit that alone (no other "
        f"change) to main and publish again: it dates the edition by today"
    )


def parse_editions(raw: bytes | None, where: str) -> dict | None:
    """Parse an ``editions.json`` read from ``where``; None when ``raw`` is None. Raises PublishError if invalid."""
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError as error:
        raise PublishError(f"{where} is not valid JSON ({error}): cannot check the published editions") from None


# -- targets: a local directory or user@host:/path --------------------------------------------------


class Target:
    """Where releases live. Subclasses implement the few file operations; uploads go through rsync."""

    label: str

    def current(self) -> str | None:
        """The name of the release ``current`` points to; None before the first publish."""
        raise NotImplementedError

    def read(self, relative: str) -> bytes | None:
        """The bytes of the file at ``relative`` (``current/editions.json``); None when it does not exist."""
        raise NotImplementedError

    def entries(self) -> list[str]:
        """The names in ``releases/`` (releases and unfinished uploads); empty when it does not exist."""
        raise NotImplementedError

    def make_releases_dir(self) -> None:
        raise NotImplementedError

    def write(self, relative: str, data: bytes) -> None:
        """Replace the file at ``relative`` with ``data`` in one rename."""
        raise NotImplementedError

    def try_lock(self) -> bool:
        """Create the lock directory; False when it exists already (another publish runs)."""
        raise NotImplementedError

    def unlock(self) -> None:
        raise NotImplementedError

    def rename(self, old: str, new: str) -> None:
        """Rename ``releases/old`` to ``releases/new``."""
        raise NotImplementedError

    def switch(self, name: str) -> None:
        """Point ``current`` at ``releases/name`` in one atomic rename."""
        raise NotImplementedError

    def remove(self, names: list[str]) -> None:
        """Delete these entries of ``releases/``."""
        raise NotImplementedError

    def rsync_path(self, relative: str) -> str:
        raise NotImplementedError

    rsync_options: tuple[str, ...] = ()

    def upload(self, site: Path, name: str, link_dest: str | None) -> None:
        """Copy ``site`` into ``releases/name``, first as an unfinished upload that nothing serves."""
        self.make_releases_dir()
        incoming = INCOMING + name
        command = [
            "rsync", "--recursive", "--links", "--perms", "--devices", "--specials", "--delete",
            # By content, not time: every build writes fresh files, and identical ones should be hard links.
            "--checksum", "--chmod=D755,F644", *self.rsync_options,
        ]
        if link_dest:
            command.append(f"--link-dest=../{link_dest}")
        command += [f"{site}/", self.rsync_path(f"{RELEASES}/{incoming}/")]
        _run(command, f"uploading to {self.label}")
        self.rename(incoming, name)


class LocalTarget(Target):
    def __init__(self, path: Path):
        self.path = path
        self.label = str(path)

    def current(self) -> str | None:
        link = self.path / CURRENT
        if not link.is_symlink():
            if link.exists():
                raise PublishError(f"{link} exists but is not a symlink: move it away, then publish again")
            return None
        return PurePosixPath(os.readlink(link)).name

    def read(self, relative: str) -> bytes | None:
        try:
            return (self.path / relative).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def entries(self) -> list[str]:
        try:
            return sorted(entry.name for entry in (self.path / RELEASES).iterdir())
        except FileNotFoundError:
            return []

    def make_releases_dir(self) -> None:
        (self.path / RELEASES).mkdir(parents=True, exist_ok=True)

    def write(self, relative: str, data: bytes) -> None:
        temporary = self.path / f".{relative}.{os.getpid()}"
        temporary.write_bytes(data)
        os.replace(temporary, self.path / relative)

    def try_lock(self) -> bool:
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            (self.path / LOCK).mkdir()
        except FileExistsError:
            return False
        return True

    def unlock(self) -> None:
        (self.path / LOCK).rmdir()

    def rename(self, old: str, new: str) -> None:
        os.rename(self.path / RELEASES / old, self.path / RELEASES / new)

    def switch(self, name: str) -> None:
        temporary = self.path / f".{CURRENT}.{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(f"{RELEASES}/{name}", target_is_directory=True)
        os.replace(temporary, self.path / CURRENT)

    def remove(self, names: list[str]) -> None:
        for name in names:
            shutil.rmtree(self.path / RELEASES / name)

    def rsync_path(self, relative: str) -> str:
        return str(self.path / relative) + ("/" if relative.endswith("/") else "")


class SshTarget(Target):
    """``user@host:/path``: each operation is one short POSIX shell script run over ssh."""

    _MISSING = 44  # the scripts' exit status for "no such file", told apart from ssh's own 255

    def __init__(self, host: str, path: str, ssh: str):
        # ssh and rsync start in the home directory, so "~/x" is the relative "x" to both (quoted, "~" is not expanded).
        path = "." if path in ("~", "~/") else path[2:] if path.startswith("~/") else path
        self.host, self.path, self.ssh = host, path, shlex.split(ssh)
        self.label = f"{host}:{path}"
        self.rsync_options = ("--rsh", ssh)

    def _sh(self, script: str, *args: str, missing_ok: bool = False, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        # ssh hands the remote shell one string: quote every word so paths with spaces survive.
        remote = shlex.join(["sh", "-c", script, "sh", self.path, *args])
        result = subprocess.run([*self.ssh, self.host, remote], capture_output=True, input=stdin)
        if result.returncode != 0 and not (missing_ok and result.returncode == self._MISSING):
            raise PublishError(f"{self.label}: `{script}` failed: {result.stderr.decode(errors='replace').strip()}")
        return result

    def current(self) -> str | None:
        result = self._sh(
            f'if [ -L "$1/{CURRENT}" ]; then readlink "$1/{CURRENT}"; '
            f'elif [ -e "$1/{CURRENT}" ]; then echo "$1/{CURRENT} is not a symlink: move it away" >&2; exit 1; '
            f"else exit {self._MISSING}; fi",
            missing_ok=True,
        )
        return PurePosixPath(result.stdout.decode().strip()).name if result.returncode == 0 else None

    def read(self, relative: str) -> bytes | None:
        result = self._sh(f'if [ -f "$1/$2" ]; then cat "$1/$2"; else exit {self._MISSING}; fi', relative, missing_ok=True)
        return result.stdout if result.returncode == 0 else None

    def entries(self) -> list[str]:
        result = self._sh(f'if [ -d "$1/{RELEASES}" ]; then ls -1A "$1/{RELEASES}"; fi')
        return sorted(result.stdout.decode().split())

    def make_releases_dir(self) -> None:
        self._sh(f'mkdir -p "$1/{RELEASES}"')

    def write(self, relative: str, data: bytes) -> None:
        self._sh('cat > "$1/.$2.$$" && mv -f "$1/.$2.$$" "$1/$2"', relative, stdin=data)

    def try_lock(self) -> bool:
        result = self._sh(f'mkdir -p "$1" && {{ mkdir "$1/{LOCK}" 2>/dev/null || exit {self._MISSING}; }}', missing_ok=True)
        return result.returncode == 0

    def unlock(self) -> None:
        self._sh(f'rmdir "$1/{LOCK}"')

    def rename(self, old: str, new: str) -> None:
        self._sh(f'mv -T "$1/{RELEASES}/$2" "$1/{RELEASES}/$3"', old, new)

    def switch(self, name: str) -> None:
        self._sh(f'cd "$1" && ln -sfn "{RELEASES}/$2" ".{CURRENT}.$$" && mv -T ".{CURRENT}.$$" {CURRENT}', name)

    def remove(self, names: list[str]) -> None:
        if names:
            self._sh(f'cd "$1/{RELEASES}" && shift && rm -rf -- "$@"', *names)

    def rsync_path(self, relative: str) -> str:
        return f"{self.host}:{self.path.rstrip('/')}/{relative}"


def open_target(spec: str, ssh: str = DEFAULT_SSH) -> Target:
    """A LocalTarget, or an SshTarget when ``spec`` reads ``[user@]host:path`` (no slash before the colon, as rsync reads it)."""
    match = re.match(r"^(?P<host>[^/:]+):(?P<path>.+)$", spec)
    if match:
        return SshTarget(match["host"], match["path"], ssh)
    return LocalTarget(Path(spec))


# -- publish and roll back ----------------------------------------------------------------------------


def releases_of(entries: list[str]) -> list[str]:
    """The finished releases among the ``entries`` of ``releases/`` (``Target.entries()``), oldest first."""
    return sorted((name for name in entries if RELEASE_NAME.match(name)), key=_sequence)


def _sequence(name: str) -> int:
    return int(RELEASE_NAME.match(name)["seq"])


def release_name(sequence: int, now: datetime, commit: str | None) -> str:
    """``0007-20261124T150000Z-1a2b3c4d5e6f``: sequence number, UTC time and (when known) the commit."""
    name = f"{sequence:04d}-{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    if commit and re.fullmatch(r"[0-9a-f]{4,40}", commit):
        name += f"-{commit[:12]}"
    return name


@contextmanager
def locked(target: Target):
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


def publish(
    site: Path, target: Target, *, keep: int, allow_history_rewrite: bool, commit: str | None, now: datetime, say=print
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
        problems = _history_problems(target, live, existing, new, say)
        listed = "\n".join(f"  - {problem}" for problem in problems)
        misdated = _date_problems(target, live, existing, new)
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
        name = release_name(max(map(_sequence, existing), default=0) + 1, now, commit)
        say(f"uploading {site} to {target.label}/{RELEASES}/{name}" + (f" (unchanged files linked to {live})" if live else ""))
        target.upload(site, name, link_dest=live)
        went_live = [*_live_history(target, live), name]
        target.switch(name)
        _write_live_history(target, went_live)
        say(f"live: {target.label}/{CURRENT} -> {RELEASES}/{name}")
        # Uploads that a killed publish left; one of the same name was just reused (rsync resumed it) and renamed.
        unfinished = [entry for entry in entries if entry.startswith(INCOMING) and entry != INCOMING + name]
        _prune(target, [*existing, name], went_live, unfinished, keep, say)
    return name


def _history_problems(target: Target, live: str | None, existing: list[str], new: dict | None, say) -> list[str]:
    """check_history against the live release and, after a rollback, the newest one too.

    An unreadable published editions.json is a problem too (it can be overridden like the others).
    """
    problems: list[str] = []
    if live:
        where = f"{CURRENT}/{EDITIONS_FILE}"
        try:
            published = parse_editions(target.read(where), f"{target.label}/{where}")
        except PublishError as error:
            return [str(error)]
        if published is None:
            say(f"note: the live release {live} has no {EDITIONS_FILE} (published before editions were tracked)")
        check = check_history(published, new)
        problems += check.problems
        for note in check.notes:
            say(f"note: {note}")
    if existing and existing[-1] != live:
        # After a rollback the newest release is not live, but its editions were published all the same.
        newest = existing[-1]
        try:
            check = check_history(_published_editions(target, newest), new)
        except PublishError as error:
            check = HistoryCheck((str(error),), ())
        problems += (f"(as published by {newest}, since rolled back) {problem}" for problem in check.problems)
    return problems


def _date_problems(target: Target, live: str | None, existing: list[str], new: dict | None) -> tuple[str, ...]:
    """check_new_dates against the live release and, after a rollback, the newest one: an edition that one
    published went live then, with its date, and is not new (unreadable files are _history_problems' to report)."""
    if not live:
        return ()
    try:
        published = parse_editions(target.read(f"{CURRENT}/{EDITIONS_FILE}"), f"{target.label}/{CURRENT}/{EDITIONS_FILE}")
        problems = check_new_dates(published, new)
        if problems and existing and existing[-1] != live:
            also = set(check_new_dates(_published_editions(target, existing[-1]), new))
            problems = tuple(problem for problem in problems if problem in also)
    except PublishError:
        return ()
    return problems


def rollback(target: Target, *, say=print) -> str:
    """Make the release that was live before the live one live again; return its name.

    Each rollback goes one step further back along ``live-history``, the releases in the order they went
    live (a target published before it existed goes back by release number). Raises PublishError if
    there is nothing to go back to, or the target is locked.
    """
    if target.current() is None:  # before locking, which would create the target
        raise PublishError(f"{target.label} has no {CURRENT} release: nothing to roll back")
    with locked(target):
        live = target.current()
        if not RELEASE_NAME.match(live):
            raise PublishError(f"{target.label}/{CURRENT} points to {live}, which publish.py did not make: switch it by hand")
        existing = set(releases_of(target.entries()))
        went_live = [name for name in _live_history(target, live) if name in existing]
        if went_live[-1:] != [live]:
            # No record of how the live release came to be live: go back by number.
            went_live = sorted((name for name in existing if _sequence(name) <= _sequence(live)), key=_sequence)
        if len(went_live) < 2:
            raise PublishError(f"{target.label}: no release was live before {live} and is still kept; nothing to roll back to")
        previous = went_live[-2]
        target.switch(previous)
        _write_live_history(target, went_live[:-1])
        say(f"live: {target.label}/{CURRENT} -> {RELEASES}/{previous} (was {live})")
        # A rollback is deliberate, so it is not refused; but say which published editions visitors lose.
        try:
            check = check_history(_published_editions(target, live), _published_editions(target, previous))
        except PublishError as error:
            check = HistoryCheck((str(error),), ())
        for problem in check.problems:
            say(f"warning: compared with {live}, {problem}")
    return previous


def _live_history(target: Target, live: str | None) -> list[str]:
    """The releases in the order they went live, oldest first, ending with ``live`` (as far as is known)."""
    raw = target.read(LIVE_HISTORY)
    names = [line for line in (raw or b"").decode("utf-8", "replace").splitlines() if RELEASE_NAME.match(line)]
    if live and names[-1:] != [live]:
        names.append(live)
    return names


def _write_live_history(target: Target, names: list[str]) -> None:
    target.write(LIVE_HISTORY, "".join(f"{name}\n" for name in names[-100:]).encode())


def _published_editions(target: Target, release: str) -> dict | None:
    where = f"{RELEASES}/{release}/{EDITIONS_FILE}"
    return parse_editions(target.read(where), f"{target.label}/{where}")


def _prune(target: Target, releases: list[str], went_live: list[str], unfinished: list[str], keep: int, say) -> None:
    """Remove all but the newest ``keep`` of ``releases`` (oldest first), never the live one (the last of
    ``went_live``) nor the ones rollback goes back to, and the ``unfinished`` uploads of killed publishes."""
    way_back = set(went_live[-keep:])
    old = [name for name in releases[:-keep] if name not in way_back]
    if old or unfinished:
        target.remove(old + unfinished)
        say(f"removed {len(old)} old release(s)" + (f" and {len(unfinished)} unfinished upload(s)" if unfinished else ""))


def _read_optional(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _run(command: list[str], doing: str) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:
        raise PublishError(f"{command[0]} is not installed: it is needed for {doing} (apt-get install {command[0]})") from None
    if result.returncode != 0:
        raise PublishError(f"{doing} failed ({shlex.join(command)}):\n{result.stderr.strip()}")


def _head_commit() -> str | None:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="publish.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    target_help = "a local directory or user@host:/path (rsync over ssh)"
    ssh_help = f"the ssh command for a remote target (default: $PUBLISH_SSH or '{DEFAULT_SSH}')"

    publishing = commands.add_parser("publish", help="upload the built site as a new release and make it live")
    publishing.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    publishing.add_argument("--target", required=True, help=target_help)
    publishing.add_argument("--keep", type=int, default=DEFAULT_KEEP, help=f"releases to keep (default: {DEFAULT_KEEP})")
    publishing.add_argument(
        "--allow-history-rewrite", action="store_true",
        help="publish even if published editions would be dropped or changed (a deliberate correction)",
    )
    publishing.add_argument("--commit", help="the commit being published, for the release's name (default: git HEAD)")
    publishing.add_argument("--ssh", default=os.environ.get("PUBLISH_SSH", DEFAULT_SSH), help=ssh_help)

    rolling = commands.add_parser("rollback", help="make the release before the live one live again")
    rolling.add_argument("--target", required=True, help=target_help)
    rolling.add_argument("--ssh", default=os.environ.get("PUBLISH_SSH", DEFAULT_SSH), help=ssh_help)

    args = parser.parse_args(argv)
    target = open_target(args.target, args.ssh)
    try:
        if args.command == "publish":
            if args.keep < 2:
                parser.error("--keep must be at least 2, so that there is a release to roll back to")
            publish(
                args.site, target, keep=args.keep, allow_history_rewrite=args.allow_history_rewrite,
                commit=args.commit or _head_commit(), now=datetime.now(timezone.utc),
            )
        else:
            rollback(target)
    except (PublishError, OSError) as error:
        print(f"publish.py {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
