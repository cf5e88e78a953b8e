"""``make changes``: prints what would be published, compared with the editions in force.

An adapter like ``plugin.py``: it reads the plugin's options from ``mkdocs.yml`` through MkDocs' own schema,
then hands the work to ``history.repository`` and ``changes.report``, which know nothing of MkDocs.

    python -m alectro_policy.changes.cli [--config mkdocs.yml] [--base REV]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs.exceptions import MkDocsException

from alectro_published.publish_tags import PublishTag

from ..history import branch, git
from ..history.editions import EditionError
from ..history.main_line import main_line
from ..history.record import last_publish, published_at
from ..history.repository import SiteEditions, read_editions
from ..plugin import page_url
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


def _uncommitted(root: Path, docs_dir: Path, documents: list[str]) -> bool:
    return any(git.has_uncommitted_changes(root, str((docs_dir / d).resolve().relative_to(root))) for d in documents)


def _before_last_edition(root: Path, at_head: SiteEditions, main_branch: str) -> tuple[str, str]:
    """On ``main`` with no upstream: the revision before its newest edition, and how to name it."""
    starts = {edition.commit for history in at_head.documents.values() if (edition := history.current)}
    order = [
        arrival.commit.sha for arrival in main_line(git.history_graph(root), git.resolve(root, "HEAD"), main_branch)
    ]
    newest = max(starts, key=order.index, default=None)
    if newest is None or git.try_resolve(root, f"{newest}^") is None:
        return "HEAD", f"`{main_branch}`"
    return f"{newest}^", f"`{main_branch}` до коммита {newest[:10]}, начавшего последнюю редакцию"


def _published_editions_changed(
    config_file: str, root: Path, base_commit: str, now: SiteEditions, present: list[str]
) -> list[str]:
    """A notice for each document whose editions at the base this mkdocs.yml numbers or dates otherwise than the
    base's own mkdocs.yml did (``first_published``, ``edition_dates``): a change of configuration alone that
    rewrites published editions."""
    from mkdocs.config import load_config

    path = Path(config_file).resolve()
    try:
        relative = path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return []
    raw = git.files_at_commits(root, [(base_commit, relative)])[0]
    if raw is None or raw == path.read_bytes():
        return []
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".mkdocs-base-", suffix=".yml") as copy:
        copy.write(raw)
        copy.flush()
        try:
            config = load_config(copy.name)
            options = config.plugins["alectro-policy"].config
            before = read_editions(
                Path(config.docs_dir),
                present,
                {d: rev for d, rev in options.first_published.items() if d in present},
                ZoneInfo(options.timezone),
                revision=base_commit,
                corrected_dates={d: dates for d, dates in options.corrected_dates().items() if d in present},
                main_branch=options.main_branch,
                published=published_at(Path(config.docs_dir), base_commit),
            )
        except (git.GitError, EditionError, MkDocsException, KeyError, ValueError):
            return []  # the base's own configuration cannot be read: nothing to compare with
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
    docs_dir = Path(config.docs_dir)
    zone = ZoneInfo(options.timezone)
    root = git.repository_root(docs_dir)
    notices: list[str] = []
    base_name = f"`{base}`" if base else ""
    named_base = base is not None
    live = last_publish(root, "HEAD")
    if base is None:
        found = branch.comparison_base(root, options.main_branch)
        on_line = found is None or git.is_ancestor(root, "HEAD", found.commit)
        if live is not None and on_line and (live.commit != git.resolve(root, "HEAD") or found is None):
            # The site lags (a publish refused or not run yet): what it will receive is everything since the record.
            base, base_name = live.commit, f"опубликованного (`{live.name}`)"
            if live.commit != git.resolve(root, "HEAD"):
                notices.append(_lagging_notice(live, options.main_branch))
        elif found is None and _uncommitted(root, docs_dir, options.documents):
            # On main with edits not yet committed: they are what the editor is about to publish.
            base, base_name = "HEAD", f"`{options.main_branch}`"
        elif found is None:
            at_head = read_editions(
                docs_dir,
                options.documents,
                options.first_published,
                zone,
                corrected_dates=options.corrected_dates(),
                main_branch=options.main_branch,
                published=published_at(docs_dir, "HEAD"),
            )
            base, base_name = _before_last_edition(root, at_head, options.main_branch)
            notices.append(
                f"У `{options.main_branch}` нет upstream (`origin/{options.main_branch}`), так что не известно, что "
                f"опубликовано: последняя редакция на `{options.main_branch}` сравнивается с предыдущей."
            )
        else:
            base, base_name = found.commit, f"`{found.name}`"
            notices += [found.note] if found.note else []
            notices += [_behind_notice(found, options.main_branch)] if found.behind else []
    base_commit = git.resolve(root, base)
    pending = last_publish(root, base_commit)
    if named_base:
        # A base named by the editor: its commits this branch lacks would read as undone too.
        named = branch.Base(base, base_commit, git.count_commits(root, "HEAD", base_commit))
        notices += [_behind_notice(named, options.main_branch)] if named.behind else []
    present = [document for document in options.documents if (docs_dir / document).is_file()]
    relative_docs = docs_dir.resolve().relative_to(root.resolve()).as_posix()
    deleted = tuple(
        path
        for document in options.documents
        if document not in present
        for path in [document if relative_docs == "." else f"{relative_docs}/{document}"]
        if git.files_at_commits(root, [(base_commit, path)])[0] is not None
    )
    site_editions = read_editions(
        docs_dir,
        present,
        {document: rev for document, rev in options.first_published.items() if document in present},
        zone,
        revision=base,
        corrected_dates={d: dates for d, dates in options.corrected_dates().items() if d in present},
        main_branch=options.main_branch,
        published=published_at(docs_dir, base_commit),
    )
    notices += _published_editions_changed(config_file, root, base_commit, site_editions, present)
    recorded = sum(len(document.editions) for document in pending.editions.documents) if pending else 0
    if pending and sum(len(history.editions) for history in site_editions.documents.values()) > recorded:
        notices.append(_pending_notice(pending, base_name))
    # What a merge of this branch into the base would bring: read_editions' draft (editor's guide «Редакции»).
    results = [next_edition(site_editions.documents[document], page_url(document), title) for document in present]
    # The banner links the policy's clause on cookies (the first of 'documents'): where does it go now?
    if options.enabled and options.consent.enabled and present and present[0] == options.documents[0]:
        notice = cookie_clause_notice(options.consent.cookie_clause, results[0])
        notices += [notice] if notice else []
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
