"""Publish a built site as a new release and make it live; roll back to the release live before.

A release is uploaded beside the live one and goes live when ``current`` is switched to it in one atomic rename:
a visitor sees either the old site or the new one, never half of each. Before anything at the target changes,
the new build's ``editions.json`` is checked by :mod:`alectro_deploy.guard` against the live release's and,
after a rollback, the newest release's: their editions were published all the same.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
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
from alectro_deploy.live_record import live_against_record, recorded_pages
from alectro_deploy.targets import Target
from alectro_published import editions_file, publish_tags
from alectro_published.publish_tags import PublishRecordError, PublishTag

OVERRIDE_HINT = (
    "'make publish' builds with the record of what went live (the tags published/N), which keeps every published "
    "edition through any merge, and fails naming the commit if one was lost from git history; so what changes them "
    "here is mkdocs.yml (first_published, edition_dates, documents; or an extension, include or theme override "
    "that changes the text readers are shown) or a site built without it. Undo that change, or build with "
    "'make publish'. For a deliberate correction, publish again with --allow-history-rewrite "
    "(make publish TARGET=... ALLOW_HISTORY_REWRITE=1) and say why in the commit message."
)

Say = Callable[[str], None]
FIRST_PAGE = "editions/1/index.html"
"""The policy's first edition's page: live, it says editions were published."""


# The command line's options, keyword-only: each is named where it is given (cli.py).
def publish(  # noqa: PLR0913
    site: Path,
    target: Target,
    *,
    keep: int,
    allow_history_rewrite: bool,
    commit: str | None,
    now: datetime,
    say: Say = print,
    repository: Path | None = None,
    record_remote: str | None = None,
) -> str:
    """Publish ``site`` to ``target`` as a new release and make it live; return the release's name.

    With ``repository`` (the git clone ``commit`` was built from), the live site is checked against the record of
    what went live (``alectro_published.publish_tags``) and, once live, the publish is recorded as the next tag,
    pushed to ``record_remote`` when one is named.

    Raises PublishError, with nothing at the target changed, when the site is not built, the target is
    locked by another publish, or the guard refuses; after the site went live, when its record cannot be written
    or pushed (the message says what to run).
    """
    if not (site / "index.html").is_file():
        raise PublishError(f"{site / 'index.html'} does not exist: build the site first (make build)")
    new_raw = _read_optional(site / EDITIONS_FILE)
    new = parse_editions(new_raw, str(site / EDITIONS_FILE))
    if repository is not None and not _is_clone(repository):
        say(f"note: {repository} is not a git clone: the live site is not checked against the record, nor recorded")
        repository = None
    tags = _read_tags(repository, commit)
    with locked(target):
        live = target.current()
        entries = target.entries()
        existing = releases_of(entries)
        published = _read_published(target, live, existing)
        problems = _record_problems(target, live, published, tags, repository, commit)
        pages_live = bool(live) and published.live is None and target.read(f"{CURRENT}/{FIRST_PAGE}") is not None
        problems += _history_problems(published, live, new, say, pages_live)
        if tags:
            # The record is what went live: its editions are kept whatever the live file says.
            check = check_history(json.loads(editions_file.dumps(tags[-1].editions)), new)
            problems += [f"(as {tags[-1].name} records) {p}" for p in check.problems if p not in problems]
            problems += _what_changed_rendering(repository, tags[-1], problems)
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
    if repository is not None and commit and new_raw is not None:
        rewrite = "ALLOW_HISTORY_REWRITE=1: " + "; ".join(problems) if problems else ""
        _record(repository, commit, name, new_raw.decode("utf-8"), rewrite, record_remote, say)
    return name


def _record(
    repository: Path, commit: str, release: str, editions_json: str, rewrite: str, remote: str | None, say: Say
) -> PublishTag:
    """Write the record of the publish just made live as the next tag and push it to ``remote``."""
    try:
        tag = publish_tags.write_tag(repository, commit, release, editions_json, rewrite)
    except PublishRecordError as error:
        raise PublishError(
            f"the site is live as release {release}, but its record could not be written: {error}. Until it is, "
            f"every clone numbers from the record before it, and the next publish refuses: fix the cause, then "
            f"record the live site with 'make record-live TARGET=…'"
        ) from None
    say(f"recorded: tag {tag.name} -> {commit[:12]} (the editions that went live)")
    if not remote:
        say(f"note: no remote named for the record: push it yourself (git push origin refs/tags/{tag.name})")
        return tag
    try:
        publish_tags.push_tag(repository, remote, tag)
    except PublishRecordError as error:
        raise PublishError(
            f"the site is live as release {release} and recorded here as tag {tag.name}, but the tag could not be "
            f"pushed to {remote}: {error}. Push it: git push {remote} refs/tags/{tag.name} (from a CI run, whose "
            f"clone is gone: make record-live TARGET=… from a clone of main)"
        ) from None
    say(f"pushed: {tag.name} to {remote}")
    return tag


def _is_clone(path: Path) -> bool:
    result = subprocess.run(["git", "-C", str(path), "rev-parse", "--is-inside-work-tree"], capture_output=True)
    return result.returncode == 0 and result.stdout.strip() == b"true"


def _read_tags(repository: Path | None, commit: str | None) -> tuple[PublishTag, ...]:
    """The record in git, checked as a chain; refused when the commit published does not hold its newest publish,
    or a tag stands where the next must be written."""
    if repository is None:
        return ()
    try:
        tags = publish_tags.read_tags(repository)
        publish_tags.next_name(repository, tags)  # a tag in its way refused before the site goes live, not after
        if tags and commit and publish_tags.latest_at(repository, commit, tags) != tags[-1]:
            raise PublishError(
                f"the newest publish, {tags[-1].name} (commit {tags[-1].commit[:12]}, release {tags[-1].release}), "
                f"is not in the history of {commit[:12]}, which this publish would make live: its editions would "
                f"disappear. Publish from an up-to-date main: git checkout main && git pull && make publish TARGET=…"
            )
    except PublishRecordError as error:
        raise PublishError(f"the record of what went live is broken: {error}") from None
    return tags


def _record_problems(
    target: Target,
    live: str | None,
    published: _Published,
    tags: tuple[PublishTag, ...],
    repository: Path | None,
    commit: str | None,
) -> list[str]:
    """Where the live site and the record in git disagree (nothing without a repository)."""
    if repository is None or isinstance(published.live, PublishError):
        return []
    where = f"{target.label}/{CURRENT}/{EDITIONS_FILE}"
    live_file: editions_file.EditionsFile | None = None
    if live and published.live is not None:
        try:
            live_file = editions_file.from_data(published.live, where)
        except editions_file.EditionsFileError as error:
            return [f"{error}: the live file is not one make publish wrote"]
    newest = tags[-1].editions if tags else None
    pages = recorded_pages(newest) if newest and live else []
    missing = [page for page in pages if target.read(f"{CURRENT}/{page}") is None] if live_file else []
    return live_against_record(live_file if live else None, live, tags if live else (), missing, where)


def _what_changed_rendering(repository: Path | None, tag: PublishTag, problems: list[str]) -> list[str]:
    """When a published edition's text as readers see it would change: what changed since it was published, other
    than the documents themselves (mkdocs.yml, the theme's overrides, an included file)."""
    if repository is None or not any("the text readers are shown" in problem for problem in problems):
        return []
    documents = {d.source for d in tag.editions.documents} | {
        d.committed_at(e) for d in tag.editions.documents for e in d.editions
    }
    result = subprocess.run(
        ["git", "-C", str(repository), "diff", "--name-only", "-z", tag.commit, "HEAD", "--"],
        capture_output=True,
    )
    changed = [path for path in result.stdout.decode(errors="replace").split("\0") if path and path not in documents]
    if not changed:
        return []
    return [
        f"what changed since {tag.name} (commit {tag.commit[:12]}) besides the documents: {', '.join(changed[:20])}"
        + (f" and {len(changed) - 20} more" if len(changed) > 20 else "")
        + ": undo the change that renders published editions otherwise (a published edition's text never changes)"
    ]


def record_live(target: Target, repository: Path, remote: str | None, *, say: Say = print) -> PublishTag:
    """Record the live release's ``editions.json`` as the next publish tag and push it to ``remote``: for a site
    published before the record was kept, or a publish whose tag was never pushed. Return the tag.

    Raises PublishError when nothing is live, the live file is not one make publish wrote, one of its editions is
    not in git as listed (commit, file, SHA-256), or it drops or changes an edition the record holds.
    """
    live = target.current()
    raw = target.read(f"{CURRENT}/{EDITIONS_FILE}") if live else None
    where = f"{target.label}/{CURRENT}/{EDITIONS_FILE}"
    if live is None or raw is None:
        raise PublishError(f"{where} does not exist: there is no live release whose editions could be recorded")
    try:
        listed = editions_file.parse(raw, where)
    except editions_file.EditionsFileError as error:
        raise PublishError(f"{error}: it is not a file make publish wrote; nothing was recorded") from None
    for document in listed.documents:
        for edition in document.editions:
            path = document.committed_at(edition)
            shown = subprocess.run(
                ["git", "-C", str(repository), "show", f"{edition.commit}:{path}"], capture_output=True
            )
            if shown.returncode or hashlib.sha256(shown.stdout).hexdigest() != edition.sha256:
                raise PublishError(
                    f"{where}: edition {edition.number} of {path} is not in git as listed (commit "
                    f"{edition.commit[:12]}, SHA-256 {edition.sha256[:12]}…): the live file was changed; nothing "
                    f"was recorded. Restore the live release (make rollback TARGET=…)"
                )
    match = re.search(r"-([0-9a-f]{4,40})$", live)
    commit = match[1] if match else max((e.commit for d in listed.documents for e in d.editions), default="HEAD")
    return _record(repository, commit, live, raw.decode("utf-8"), "", remote, say)


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


def _history_problems(
    published: _Published, live: str | None, new: Editions | None, say: Say, pages_live: bool = False
) -> list[str]:
    """check_history against the live release and, after a rollback, the newest one too.

    An unreadable published editions.json is a problem too (it can be overridden like the others).
    """
    problems: list[str] = []
    if live:
        if isinstance(published.live, PublishError):
            return [str(published.live)]
        if published.live is None and pages_live:
            # Its editions were published all the same: not a site from before editions were tracked.
            return [
                f"the live release {live} has no {EDITIONS_FILE}, yet its edition pages ({FIRST_PAGE}…) are live: "
                f"restore the live {EDITIONS_FILE} (make rollback TARGET=…, or from a backup)"
            ]
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
