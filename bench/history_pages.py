"""A 1,000-edition history built completely, beside Material rendering as many plain pages.

Run: .venv/bin/python bench/history_pages.py [editions ...]   (default: 250 500 1000)
Prints the build times (best of two, in ABBA order), their ratio (target: at most 1.3) and the site's
bytes per edition.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from synthetic_history import REPO, make_repository, policy_text  # noqa: E402

CONFIG = """\
site_name: Bench
site_url: https://alectro.ru/privacy/
theme: {name: material, language: ru, custom_dir: overrides, font: false}
plugins:
  - search
  - alectro-policy
"""
PLAIN_CONFIG = CONFIG.replace("  - alectro-policy\n", "")


def build_seconds(root: Path) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    started = time.perf_counter()
    build(config)
    elapsed = time.perf_counter() - started
    config.plugins.on_shutdown()
    return elapsed


def tree_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())


def make_plain_project(root: Path, pages: int) -> Path:
    """A Material project with ``pages`` pages of policy text, none of them in the navigation's way."""
    root.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(PLAIN_CONFIG + "not_in_nav: |\n  /p/\n", encoding="utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "docs" / "p").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(policy_text(1), encoding="utf-8")
    for number in range(1, pages + 1):
        (root / "docs" / "p" / f"{number}.md").write_text(
            "---\nsearch:\n  exclude: true\n---\n" + policy_text(number), encoding="utf-8"
        )
    return root


def main(sizes: list[int]) -> None:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    print(
        f"{'editions':>8}  {'pages':>6}  {'plain Material, s':>17}  {'with editions, s':>16}  {'ratio':>5}  "
        f"{'site bytes/edition':>18}"
    )
    with tempfile.TemporaryDirectory() as temporary:
        for size in sizes:
            repo = make_repository(Path(temporary) / f"repo-{size}", size, CONFIG)
            generated_pages = 2 * size  # one text page per edition, a changes page for all but the first, the history
            plain = make_plain_project(Path(temporary) / f"plain-{size}", generated_pages)
            # ABBA order, best of two each: neither build always runs first (warm caches, a busy neighbour).
            plain_runs, full_runs = [build_seconds(plain)], [build_seconds(repo)]
            full_runs.append(build_seconds(repo))
            plain_runs.append(build_seconds(plain))
            plain_seconds, full_seconds = min(plain_runs), min(full_runs)
            assert (repo / "site" / "editions" / str(size) / "changes" / "index.html").is_file()
            site_bytes = tree_bytes(repo / "site") - tree_bytes(repo / "site" / "assets")
            print(
                f"{size:>8}  {generated_pages:>6}  {plain_seconds:>17.2f}  {full_seconds:>16.2f}  "
                f"{full_seconds / plain_seconds:>5.2f}  {site_bytes / size:>18,.0f}"
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [250, 500, 1000])
