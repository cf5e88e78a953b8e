"""``make changes``: prints what would be published, compared with the editions in force.

An adapter like ``plugin.py``: it reads the plugin's options from ``mkdocs.yml`` through MkDocs' own schema,
then hands the work to ``history.repository`` and ``changes.report``, which know nothing of MkDocs.

    python -m alectro_policy.changes.cli [--config mkdocs.yml] [--base REV]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from ..history import git
from ..history.editions import EditionError
from ..history.repository import read_editions, site_today
from .report import NextEdition, next_edition, report

DEFAULT_BASES = ("main", "origin/main")
"""Where the editions in force are when no base is named: the main branch, or its copy from the remote."""


def _default_base(root: Path) -> str:
    for name in DEFAULT_BASES:
        try:
            git.resolve(root, name)
        except git.GitError:
            continue
        return name
    raise git.GitError(
        "neither 'main' nor 'origin/main' exists here: name the revision holding the editions in force, "
        "e.g. 'make changes BASE=origin/master'"
    )


def next_editions(config_file: str, base: str | None) -> tuple[list[NextEdition], str]:
    """Return each document's next edition against ``base`` (default: main), and the base's name.

    Raises ``git.GitError`` or ``EditionError`` with a message for the editor.
    """
    from mkdocs.config import load_config

    config = load_config(config_file)
    options = config.plugins["alectro-policy"].config
    docs_dir = Path(config.docs_dir)
    zone = ZoneInfo(options.timezone)
    root = git.repository_root(docs_dir)
    base = base or _default_base(root)
    site_editions = read_editions(
        docs_dir,
        options.documents,
        options.first_published,
        zone,
        revision=base,
        corrected_dates=options.corrected_dates(),
    )
    today = site_today(zone)
    # The branch's last commit may mark a change editorial, if it holds all of it.
    last_message = git.last_message(root) if not git.same_commit(root, base, "HEAD") else None
    results = []
    for document in options.documents:
        history = site_editions.documents[document]
        uncommitted = git.has_uncommitted_changes(root, history.source_path)
        message = last_message if not uncommitted else None
        results.append(next_edition(history, (docs_dir / document).read_bytes(), today, message))
    return results, base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make changes",
        description="Print, as Markdown, the edition each policy document would get if published now "
        "(uncommitted edits and the branch's commits), compared with the editions in force.",
    )
    parser.add_argument("--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)")
    parser.add_argument("--base", help="the revision holding the editions in force (default: main, else origin/main)")
    args = parser.parse_args(argv)
    try:
        documents, base = next_editions(args.config, args.base)
    except (git.GitError, EditionError) as error:
        print(f"make changes: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(report(documents, base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
