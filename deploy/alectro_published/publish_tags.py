"""The record of what went live, kept in git: one annotated tag per publish, ``published/1``, ``published/2``…

``make publish`` writes a tag after the site went live and pushes it: it points at the commit published and its
message holds the ``editions.json`` the live site was given, after a header naming the release and the tag before it
(its object id: the chain). Tags reach every clone with ``git fetch`` and CI's checkout (``fetch-depth: 0``), so the
build, ``make serve``, ``make changes``, CI's summary and the next publish all number from the same record.
guides/operator.md («Запись о публикации») says who may push them and how GitHub protects them.

Standard library only; git is run as a child process. A record that is not a chain (a tag missing, moved, rewritten
or unreadable, an edition dropped or changed from one publish to the next) is refused, never read past.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alectro_published import editions_file
from alectro_published.editions_file import EditionsFile, EditionsFileError

PREFIX = "published/"
"""Tag names: ``published/<n>``, the n-th publish. Protected by a ruleset on ``published/*`` (operator's guide)."""
REFS = "refs/tags/" + PREFIX
HEADER_END = "\n\n"
NONE = "none"
FIX = (
    "restore the tags from a clone that has them (git push origin 'refs/tags/published/*'), or from the live "
    "site's editions.json; guides/operator.md «Запись о публикации»"
)


def refetch(name: str) -> str:
    """How to mend a clone whose tag ``name`` is not the repository's (fetched from a fork, made by hand)."""
    return (
        f"the record must come from the repository's own tags, which only the publish job may create: delete the "
        f"local tag (git tag -d {name}) and fetch the tags again (git fetch origin 'refs/tags/{PREFIX}*:"
        f"refs/tags/{PREFIX}*')"
    )


class PublishRecordError(Exception):
    """The record in git cannot be trusted; the message names the tag and the fix."""


@dataclass(frozen=True)
class PublishTag:
    """One publish as its tag records it."""

    number: int
    """``published/<number>``: the number-th publish."""
    object_id: str
    """The tag object's id: what the next tag's ``Previous:`` names."""
    commit: str
    """The commit that was published."""
    release: str
    """The release it went live as (``alectro_deploy.layout``)."""
    previous: str | None
    """``published/<n-1> <object id>``, None for the first."""
    editions: EditionsFile
    """The editions.json the live site was given."""
    rewrite: str = ""
    """Why this publish changed published editions on purpose (``ALLOW_HISTORY_REWRITE``); empty: it kept them."""

    @property
    def name(self) -> str:
        return f"{PREFIX}{self.number}"


def _git(root: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
    result = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, env=env)
    if result.returncode:
        raise PublishRecordError(f"git {' '.join(args[:2])} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def message(release: str, previous: PublishTag | None, editions_json: str, rewrite: str = "") -> str:
    """The message of a publish's tag: the header, a blank line, then ``editions_json`` verbatim. ``rewrite``: why
    this publish deliberately changed published editions (``ALLOW_HISTORY_REWRITE``), said in the record."""
    chained = f"{previous.name} {previous.object_id}" if previous else NONE
    said = f"\nRewrite: {' '.join(rewrite.split())}" if rewrite else ""
    return f"Release: {release}\nPrevious: {chained}{said}{HEADER_END}{editions_json}"


def _rewrite_of(text: str) -> str:
    header = text.partition(HEADER_END)[0]
    return next((line.removeprefix("Rewrite: ") for line in header.splitlines() if line.startswith("Rewrite: ")), "")


def parse_message(name: str, text: str) -> tuple[str, str | None, EditionsFile]:
    """Return the release, the ``Previous:`` link and the editions of tag ``name``'s message ``text``.

    Raises ``PublishRecordError`` naming the tag when the message is not one ``make publish`` wrote.
    """
    header, found, body = text.partition(HEADER_END)
    fields = dict(line.partition(": ")[::2] for line in header.splitlines())
    if not found or "Release" not in fields or "Previous" not in fields:
        raise PublishRecordError(f"tag {name} is not a publish record (no 'Release:' and 'Previous:' header): {FIX}")
    try:
        editions = editions_file.parse(body, f"tag {name}")
    except EditionsFileError as error:
        raise PublishRecordError(f"{error}: {FIX}") from None
    previous = fields["Previous"].strip()
    return fields["Release"].strip(), None if previous == NONE else previous, editions


def read_tags(root: Path) -> tuple[PublishTag, ...]:
    """Return every publish recorded in the repository at ``root``, oldest first, checked as a chain. A tag under
    ``published/`` whose name is not ``published/<n>`` is no record: it is left aside.

    Raises ``PublishRecordError`` naming the tag and the fix when a tag is missing from the sequence, is not an
    annotated tag of a commit, names another previous tag than the one before it, or drops or changes an edition
    (number, date, commit, SHA-256, summary, mark, or the text readers were shown) that the one before it recorded.
    """
    listed = _git(
        root, "for-each-ref", "--format=%(refname:strip=2) %(objecttype) %(objectname) %(*objectname)", REFS
    ).decode()
    found: dict[int, tuple[str, str]] = {}
    for line in listed.splitlines():
        name, kind, oid, target = (line.split(" ") + ["", "", ""])[:4]
        number = name.removeprefix(PREFIX)
        if not re.fullmatch(r"[1-9][0-9]*", number):
            # Not a name make publish writes (published/latest, published/01, published/2/x): no record, and no
            # reason to stop every build of every clone that fetched it.
            continue
        if kind != "tag" or not target:
            raise PublishRecordError(f"tag {name} is not an annotated tag of a commit, as make publish writes: {FIX}")
        found[int(number)] = (oid, target)
    if sorted(found) != list(range(1, len(found) + 1)):
        missing = min(set(range(1, max(found, default=0) + 1)) - set(found))
        raise PublishRecordError(f"tag {PREFIX}{missing} is missing from the publish record: {FIX}")
    tags: list[PublishTag] = []
    objects = _tag_objects(root, [oid for oid, _ in found.values()])
    for position in sorted(found):
        oid, commit = found[position]
        name = f"{PREFIX}{position}"
        text = _tag_message(objects[oid])
        release, previous, editions = parse_message(name, text)
        expected = f"{tags[-1].name} {tags[-1].object_id}" if tags else None
        if previous != expected:
            raise PublishRecordError(
                f"tag {name} names {previous or NONE} as the publish before it, but that is "
                f"{expected or 'none (it is the first)'}: a tag was rewritten; {FIX}"
            )
        tag = PublishTag(position, oid, commit, release, previous, editions, _rewrite_of(text))
        if tags and not tag.rewrite:
            _check_kept(tags[-1], tag)
        tags.append(tag)
    return tuple(tags)


def _tag_objects(root: Path, ids: list[str]) -> dict[str, str]:
    """The tag objects ``ids`` as text, read by one ``git cat-file --batch`` (none without tags)."""
    if not ids:
        return {}
    raw = _git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in ids).encode())
    found: dict[str, str] = {}
    while raw:
        header, _, raw = raw.partition(b"\n")
        oid, _, size = header.decode().split(" ")
        found[oid], raw = raw[: int(size)].decode("utf-8", errors="replace"), raw[int(size) + 1 :]
    return found


def _tag_message(raw: str) -> str:
    """The message of a tag object (after its header and the blank line)."""
    return raw.partition("\n\n")[2]


def _check_kept(before: PublishTag, after: PublishTag) -> None:
    """Raise ``PublishRecordError`` when ``after`` drops or changes an edition ``before`` recorded."""
    for document in before.editions.documents:
        now = after.editions.document(document.source)
        for edition in document.editions:
            kept = now.edition(edition.number) if now else None
            where = f"{document.source}, edition {edition.number} of {edition.date.isoformat()}"
            if kept is None:
                raise PublishRecordError(
                    f"tag {after.name} drops {where}, which {before.name} recorded. If this clone alone has it, "
                    f"{refetch(after.name)}; if the repository has it too, {FIX}"
                )
            # The summary and the mark too: a build keeps a recorded edition's as recorded, so only a rewrite
            # (``Rewrite:``) or a tag not made by a publish changes them.
            fields = ("date", "commit", "sha256", "summary", "editorial")
            changed = [field for field in fields if getattr(kept, field) != getattr(edition, field)]
            if edition.text_sha256 and kept.text_sha256 != edition.text_sha256:
                changed.append("text_sha256")
            if changed:
                raise PublishRecordError(
                    f"tag {after.name} changes {', '.join(changed)} of {where}, which {before.name} recorded. If this "
                    f"clone alone has it, {refetch(after.name)}; if the repository has it too, {FIX}"
                )


def latest_at(
    root: Path, revision: str, tags: tuple[PublishTag, ...] | None = None, reachable: set[str] | None = None
) -> PublishTag | None:
    """Return the newest publish whose commit is ``revision`` or one of its ancestors (what was live when that
    history was built), or None when none is. ``reachable``: those commits, when the caller has read them (the
    plugin's graph), else one ``git rev-list``. Raises ``PublishRecordError`` as ``read_tags``."""
    tags = read_tags(root) if tags is None else tags
    if not tags:
        return None
    if reachable is None:
        reachable = set(_git(root, "rev-list", revision, "--").decode().split())
    return next((tag for tag in reversed(tags) if tag.commit in reachable), None)


def write_tag(root: Path, commit: str, release: str, editions_json: str, rewrite: str = "") -> PublishTag:
    """Record a publish of ``commit`` (as ``release``, the site given ``editions_json``) as the next tag, chained
    to the newest; return it. ``rewrite``: why it changes published editions on purpose (else it must keep them).
    Raises ``PublishRecordError`` when the record so far is broken, ``editions_json`` is not an editions.json or
    drops or changes a recorded edition without ``rewrite``, or git cannot write the tag."""
    tags = read_tags(root)
    previous = tags[-1] if tags else None
    text = message(release, previous, editions_json, rewrite)
    name = next_name(root, tags)
    number = previous.number + 1 if previous else 1
    _, _, editions = parse_message(name, text)
    target = _git(root, "rev-parse", "--verify", f"{commit}^{{commit}}").decode().strip()
    tag = PublishTag(
        number, "", target, release, f"{previous.name} {previous.object_id}" if previous else None, editions, rewrite
    )
    if previous is not None and not rewrite:
        _check_kept(previous, tag)
    # The tagger is who publishes; a CI runner has no git identity: it is then named as the publish itself.
    named = subprocess.run(["git", "-C", str(root), "config", "user.email"], capture_output=True).stdout.strip()
    tagger = {} if named else {"GIT_COMMITTER_NAME": "make publish", "GIT_COMMITTER_EMAIL": "publish@localhost"}
    arguments = ["-c", "tag.gpgSign=false", "tag", "--annotate", "--cleanup=verbatim", "--file=-", name, target]
    _git(root, *arguments, stdin=text.encode(), env={**os.environ, **tagger})
    oid = _git(root, "rev-parse", f"refs/tags/{name}").decode().strip()
    return PublishTag(number, oid, target, release, tag.previous, editions, _rewrite_of(text))


def next_name(root: Path, tags: tuple[PublishTag, ...]) -> str:
    """Return the name of the tag that records the next publish after ``tags`` (``read_tags``), once sure git can
    create it. Raises ``PublishRecordError`` naming the tag in its way and the fix: one named like a folder of it
    (``published``) or with it as a folder (``published/2/x``). git keeps a tag as a file named by its path, so
    neither can stand beside it and ``git tag`` would fail with «cannot lock ref», naming only its own command."""
    name = f"{PREFIX}{tags[-1].number + 1 if tags else 1}"
    listed = _git(root, "for-each-ref", "--format=%(refname:strip=2)", "refs/tags/" + PREFIX.rstrip("/")).decode()
    blocking = [tag for tag in listed.splitlines() if name.startswith(tag + "/") or tag.startswith(name + "/")]
    if blocking:
        shown = " ".join(blocking)
        raise PublishRecordError(
            f"tag {blocking[0]} stands where git must write {name}, the record of this publish: git cannot keep a "
            f"tag named like another tag's folder. make publish never writes such a name: delete it here (git tag -d "
            f"{shown}) and, if the repository has it too, there (git push origin "
            f"{' '.join(':refs/tags/' + tag for tag in blocking)}); guides/operator.md «Запись о публикации»"
        )
    return name


def push_tag(root: Path, remote: str, tag: PublishTag) -> None:
    """Push ``tag`` to ``remote``, never moving one there (no force). Raises ``PublishRecordError`` with git's
    words when the remote refuses (a tag of that name exists: another publish recorded first; or no right)."""
    _git(root, "push", "--quiet", remote, f"refs/tags/{tag.name}:refs/tags/{tag.name}")
