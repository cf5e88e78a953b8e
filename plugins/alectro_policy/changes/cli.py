"""``make changes``: prints what would be published, compared with the editions in force.

An adapter like ``plugin.py``: it reads the plugin's options from ``mkdocs.yml`` through MkDocs' own schema,
then hands the work to ``history.site_editions`` and ``changes.report``, which know nothing of MkDocs. The history
is read through one ``Repository``: each revision's graph once, each (commit, path) asked of git once.

    python -m alectro_policy.changes.cli [--config mkdocs.yml] [--base REV]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from alectro_published.publish_tags import PublishTag

from ..history import branch, git
from ..history.editions import EditionError
from ..history.main_line import main_line
from ..history.published import PublishedEditions, last_publish, published_at
from ..history.repository import Repository
from ..history.site_editions import EditionsRequest, SiteEditions, read_editions
from ..urls import page_url
from . import rendered
from .report import NextEdition, cookie_clause_notice, next_edition, report


@dataclass(frozen=True)
class Comparison:
    """What ``make changes`` compared, and what it must tell the editor about that choice."""

    documents: list[NextEdition]
    base_name: str
    notices: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    """Documents published at the base that the work tree no longer has (paths relative to the repository)."""
    base_commit: str = ""
    """The base's commit: it holds the deleted documents (``git checkout COMMIT -- PATH`` restores one)."""


def _behind_notice(base: branch.Base, main_branch: str) -> str:
    return (
        f"**Ветка отстаёт от `{base.name}`** (там коммитов, которых нет здесь: {base.behind}). Номер редакции "
        f"ниже — по `{base.name}`, но правки, попавшие туда после ответвления ветки, ниже выглядят отменёнными. "
        f"Сначала обновите ветку: `git pull --rebase origin {main_branch}` "
        f"(или `git merge {base.name}`)."
    )


def _lagging_notice(live: PublishTag, main_branch: str) -> str:
    return (
        f"**Сайт ещё не получил всё, что есть в `{main_branch}`.** Последняя публикация — `{live.name}` (выпуск "
        f"{live.release}); ниже — что сайт получит при следующей публикации (`make publish`), одной редакцией."
    )


def _pending_notice(live: PublishTag, line: str) -> str:
    return (
        f"**В {line} есть изменения, которых ещё нет на сайте** (последняя публикация — `{live.name}`). Номер ниже "
        f"— если они будут опубликованы до слияния этой ветки; если ветку сольют раньше, всё выйдет одной редакцией "
        f"с номером на один меньше."
    )


def _uncommitted(repository: Repository, request: EditionsRequest) -> bool:
    prefix = repository.docs_prefix(request.docs_dir)
    return any(repository.has_uncommitted_changes(prefix + document) for document in request.documents)


def _before_last_edition(repository: Repository, at_head: SiteEditions, main_branch: str) -> tuple[str, str]:
    """On ``main`` with no upstream: the revision before its newest edition, and how to name it."""
    starts = {edition.commit for history in at_head.documents.values() if (edition := history.current)}
    head = repository.resolve("HEAD")
    order = [arrival.commit.sha for arrival in main_line(repository.graph(head), head, main_branch)]
    newest = max(starts, key=order.index, default=None)
    if newest is None or repository.try_resolve(f"{newest}^") is None:
        return "HEAD", f"`{main_branch}`"
    return f"{newest}^", f"`{main_branch}` до коммита {newest[:10]}, начавшего последнюю редакцию"


def _published_editions_changed(
    config_file: str, repository: Repository, base_commit: str, now: SiteEditions, present: list[str]
) -> list[str]:
    """A notice for each document whose editions at the base this mkdocs.yml numbers or dates otherwise than the
    base's own mkdocs.yml did (``first_published``, ``edition_dates``): a change of configuration alone that
    rewrites published editions. When the base's mkdocs.yml cannot be read or gives no editions, a notice that
    says so: the check could not be made."""
    path = Path(config_file).resolve()
    try:
        relative = path.relative_to(repository.root.resolve()).as_posix()
    except ValueError:
        return []  # mkdocs.yml outside the repository: git has no earlier one
    raw = repository.file_at(base_commit, relative)
    if raw is None or raw == path.read_bytes():
        return []
    try:
        request = _request_at_base(path, raw, base_commit, published_at(repository, base_commit))
        if request is None:
            return []  # the base's site had no alectro-policy plugin: no edition was published by it
        before = read_editions(request.only(present), repository)
    except (MkDocsException, git.GitError, EditionError) as error:
        return [
            f"**`mkdocs.yml` изменён, но его прежняя версия не читается** ({error}): не проверено, меняет ли он "
            f"опубликованные редакции (`first_published`, `edition_dates`)."
        ]
    notices = []
    for document in present:
        old = [(e.number, e.date, e.sha256) for e in before.documents[document].editions]
        new = [(e.number, e.date, e.sha256) for e in now.documents[document].editions]
        if old != new:
            source = now.documents[document].source_path
            notices.append(
                f"**`mkdocs.yml` меняет опубликованные редакции `{source}`** (`first_published`, `edition_dates`): "
                f"было {len(old)}, станет {len(new)}"
                + (f", первая — от {new[0][1].isoformat()}" if new else "")
                + ". Публикация откажется: если это не сознательная правка истории, отмените изменение "
                "`mkdocs.yml`; сознательную публикуют с `ALLOW_HISTORY_REWRITE=1`."
            )
    return notices


def _request_at_base(
    path: Path, raw: bytes, base_commit: str, published: PublishedEditions | None
) -> EditionsRequest | None:
    """The editions request of the base's own mkdocs.yml (``raw``, loaded beside ``path`` so that its folders
    are the same), or None when it has no alectro-policy plugin. Raises ``MkDocsException`` when it is invalid."""
    from mkdocs.config import load_config

    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".mkdocs-base-", suffix=".yml") as copy:
        copy.write(raw)
        copy.flush()
        config = load_config(copy.name)
    plugin = config.plugins.get("alectro-policy")
    if plugin is None:
        return None
    return plugin.config.editions_request(Path(config.docs_dir), base_commit, published)


def next_editions(config_file: str, base: str | None, title: str | None = None) -> Comparison:
    """Return each document's next edition against ``base`` (default: the published line, see ``history.branch``).

    ``title``: the message the merge will carry (a pull request's title, a squash commit's subject), which the
    history will show as the edition's summary; without it, the branch's newest message that changed the text.

    Raises ``git.GitError``, ``EditionError`` or MkDocs' ``MkDocsException`` (mkdocs.yml) with a message for the
    editor.
    """
    from mkdocs.config import load_config

    config = load_config(config_file)
    options = config.plugins["alectro-policy"].config
    request = options.editions_request(Path(config.docs_dir))
    repository = Repository.at(request.docs_dir)
    if repository is None:
        raise git.GitError(f"{request.docs_dir} is not in a git repository with commits: nothing is published yet")
    try:
        found = _compared(config_file, repository, request, base, title)
    finally:
        repository.close()
    # The banner links the policy's clause on cookies (the first of 'documents'): where does it go now?
    if options.enabled and options.consent.enabled and (request.docs_dir / options.documents[0]).is_file():
        notice = cookie_clause_notice(options.consent.cookie_clause, found.documents[0])
        return replace(found, notices=(*found.notices, notice)) if notice else found
    return found


def _compared(
    config_file: str, repository: Repository, request: EditionsRequest, base: str | None, title: str | None
) -> Comparison:
    main_branch = request.main_branch
    notices: list[str] = []
    base_name = f"`{base}`" if base else ""
    named_base = base is not None
    live = last_publish(repository, "HEAD")
    head = repository.resolve("HEAD")
    if base is None:
        found = branch.comparison_base(repository, main_branch)
        on_line = found is None or git.is_ancestor(repository.root, "HEAD", found.commit)
        if live is not None and on_line and (live.commit != head or found is None):
            # The site lags (a publish refused or not run yet): what it will receive is everything since the record.
            base, base_name = live.commit, f"последней публикации (`{live.name}`)"
            if live.commit != head:
                notices.append(_lagging_notice(live, main_branch))
        elif found is None and _uncommitted(repository, request):
            # On main with edits not yet committed: they are what the editor is about to publish.
            base, base_name = "HEAD", f"`{main_branch}`"
        elif found is None:
            at_head = read_editions(replace(request, published=published_at(repository, "HEAD")), repository)
            base, base_name = _before_last_edition(repository, at_head, main_branch)
            notices.append(
                f"У `{main_branch}` нет upstream (`origin/{main_branch}`), так что не известно, что "
                f"опубликовано: последняя редакция на `{main_branch}` сравнивается с предыдущей."
            )
        else:
            base, base_name = found.commit, f"`{found.name}`"
            notices += [found.note] if found.note else []
            notices += [_behind_notice(found, main_branch)] if found.behind else []
    base_commit = repository.resolve(base)
    pending = last_publish(repository, base_commit)
    if named_base:
        # A base named by the editor: its commits this branch lacks would read as undone too.
        named = branch.Base(base, base_commit, git.count_commits(repository.root, "HEAD", base_commit))
        notices += [_behind_notice(named, main_branch)] if named.behind else []
    docs_dir = request.docs_dir
    present = [document for document in request.documents if (docs_dir / document).is_file()]
    prefix = repository.docs_prefix(docs_dir)
    deleted = tuple(
        prefix + document
        for document in request.documents
        if document not in present and repository.object_ids([(base_commit, prefix + document)]) != [None]
    )
    # A document moved since the base (a branch's git mv, a new docs_dir) is read where it was there.
    moved = git.renames_since(repository.root, base_commit)
    at = {prefix + d: moved[prefix + d] for d in present if prefix + d in moved}
    published = published_at(repository, base_commit)
    at_base = replace(request, revision=base, published=published, paths_at_revision=at).only(present)
    site_editions = read_editions(at_base, repository)
    notices += _published_editions_changed(config_file, repository, base_commit, site_editions, present)
    recorded = sum(len(document.editions) for document in pending.editions.documents) if pending else 0
    if pending and sum(len(history.editions) for history in site_editions.documents.values()) > recorded:
        notices.append(_pending_notice(pending, base_name))
    # What a merge of this branch into the base would bring: read_editions' draft (editor's guide «Редакции»).
    results = [next_edition(site_editions.documents[document], page_url(document), title) for document in present]
    # A configuration, theme or include change that rewrites what readers see with the documents' files unchanged.
    sources = {history.source_path for history in site_editions.documents.values()} | set(deleted)
    said = rendered.notice(*rendered.rerendered(repository.root, Path(config_file).resolve(), base_commit, sources))
    notices += [said] if said else []
    return Comparison(results, base_name, tuple(notices), deleted, base_commit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make changes",
        description="Print, as Markdown, the edition each policy document would get if published now "
        "(uncommitted edits and the branch's commits), compared with the editions in force.",
    )
    parser.add_argument("--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)")
    parser.add_argument(
        "--base", help="the revision holding the editions in force (default: the freshest of main and origin/main)"
    )
    parser.add_argument(
        "--title",
        help="the merge's message: a pull request's title or a squash commit's subject, shown as the summary",
    )
    args = parser.parse_args(argv)
    try:
        found = next_editions(args.config, args.base, args.title)
    except (git.GitError, EditionError) as error:
        print(f"make changes: {error}", file=sys.stderr)
        return 2
    except MkDocsException as error:
        # MkDocs has logged each invalid option already; a YAML error is in the exception's message.
        print(f"make changes: {args.config}: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"make changes: {error.filename} does not exist: run it at the top of the repository", file=sys.stderr)
        return 2
    restore = found.base_commit[:12] or "main"
    sys.stdout.write(report(found.documents, found.base_name, found.notices, found.deleted, restore))
    return 0


if __name__ == "__main__":
    sys.exit(main())
