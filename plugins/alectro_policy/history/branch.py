"""Where the checked-out commit stands against the main branch: what is published, and what is not yet.

What is published is the freshest of the main branch and its upstream (``origin/main``): a local ``main``
that was not pulled is not what the site shows. A commit that this main line does not reach is a draft,
whatever branch holds it: only a merge into ``main`` publishes it. Nothing here reads editions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from . import git
from .repository import Repository

MAIN_BRANCH = "main"
"""The branch the site is published from."""
PUBLISHING_ENV = "ALECTRO_PUBLISHING"
"""Set by ``make publish`` for its build: only what is on the main branch may go live."""


@dataclass(frozen=True)
class Base:
    """The revision holding the editions in force, as ``make changes`` and the preview compare with it."""

    name: str
    """What to call it: ``main``, ``origin/main``, or a revision given by the editor."""
    commit: str
    behind: int = 0
    """How many commits of ``name`` the checked-out commit lacks: their editions would read as undone."""
    note: str = ""
    """A sentence for the editor about the choice (Russian), or empty."""


def published_line(repository: Repository, branch: str = MAIN_BRANCH) -> Base | None:
    """Return the freshest of ``branch`` and its upstream (``origin/<branch>`` when none is set), or None when
    neither exists. When they have diverged, the upstream: it is what was pushed, so what gets published."""
    root = repository.root
    upstream = git.upstream_of(root, branch) or f"origin/{branch}"
    local_commit, upstream_commit = repository.try_resolve(branch), repository.try_resolve(upstream)
    if upstream_commit is None or upstream_commit == local_commit:
        return Base(branch, local_commit) if local_commit else None
    if local_commit is None or git.is_ancestor(root, local_commit, upstream_commit):
        note = f"Локальная ветка `{branch}` отстаёт от `{upstream}`: сравнение с `{upstream}`." if local_commit else ""
        return Base(upstream, upstream_commit, note=note)
    if git.is_ancestor(root, upstream_commit, local_commit):
        return Base(branch, local_commit)
    return Base(
        upstream,
        upstream_commit,
        note=f"Ветки `{branch}` и `{upstream}` разошлись: сравнение с `{upstream}`, опубликованной версией.",
    )


def comparison_base(repository: Repository, branch: str = MAIN_BRANCH) -> Base | None:
    """Return what the checked-out work is compared with: the published line, with how many of its commits
    ``HEAD`` lacks. On ``branch`` itself, ahead of its upstream: the upstream, what CI published. None on
    ``branch`` when it has no upstream at all: what is published is then unknown (the caller compares with
    the edition before the last).

    Raises ``git.GitError`` when neither ``branch`` nor its upstream exists.
    """
    root = repository.root
    line = published_line(repository, branch)
    if line is None:
        raise git.GitError(
            f"neither '{branch}' nor 'origin/{branch}' exists here: name the revision holding the editions in "
            f"force, e.g. 'make changes BASE=origin/master'"
        )
    head = repository.resolve("HEAD")
    if head == line.commit and git.current_branch(root) == branch:
        upstream = git.upstream_of(root, branch) or f"origin/{branch}"
        upstream_commit = repository.try_resolve(upstream)
        if upstream_commit is None:
            return None
        if upstream_commit != head and git.is_ancestor(root, upstream_commit, head):
            note = f"Вы на `{branch}`, впереди `{upstream}`: сравнение с опубликованной `{upstream}`."
            return Base(upstream, upstream_commit, note=note)
        return line
    behind = 0 if head == line.commit else git.count_commits(root, "HEAD", line.commit)
    return Base(line.name, line.commit, behind, line.note)


def draft_base(repository: Repository | None, branch: str = MAIN_BRANCH) -> Base | None:
    """Return the published line when the checked-out commit of ``repository`` is not on it (a branch's commits,
    or a ``main`` that diverged from its upstream): a preview then shows those commits as a draft of the next
    edition, numbered against that line as ``make changes`` numbers it. None when ``HEAD`` is on the line,
    or there is no git history (``repository`` None) or no main branch to compare with: its editions are then
    ``HEAD``'s own.
    """
    if repository is None:
        return None
    line = published_line(repository, branch)
    if line is None or git.is_ancestor(repository.root, "HEAD", line.commit):
        return None
    return line


def line_to_number_against(
    repository: Repository | None, branch: str = MAIN_BRANCH, command: str = "build"
) -> Base | None:
    """Return the published line that the checked-out commit's editions are numbered against, or None for
    ``HEAD``'s own history.

    ``mkdocs serve`` (``command``): ``draft_base``, so that a branch's commits are previewed as a draft. A plain
    build: None, whatever is checked out (a pull request's CI builds its merge commit). A publish build
    (``$ALECTRO_PUBLISHING`` set by ``make publish``): None on the line; off it, raises ``git.GitError``, for a
    branch's commits would go live as editions before any review merged them.
    """
    if command == "serve":
        return draft_base(repository, branch)
    line = draft_base(repository, branch) if os.environ.get(PUBLISHING_ENV) else None
    if line is not None:
        raise git.GitError(
            f"'make publish' publishes what is on {line.name}, and the checked-out commit is not there: its "
            f"commits would go live as editions that no one merged. Merge the pull request, then publish from "
            f"{branch}: git checkout {branch} && git pull && make publish TARGET=…"
        )
    return None
