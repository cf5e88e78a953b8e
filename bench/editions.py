"""How long the plugin's own work on editions takes, beside a build without the plugin.

Run: .venv/bin/python bench/editions.py [250 500 1000]
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from synthetic_history import make_repository  # noqa: E402

from alectro_policy.history.site_editions import EditionsRequest, read_editions  # noqa: E402
from alectro_policy.text.reading import clear_cache  # noqa: E402

CONFIG = """\
site_name: Bench
site_url: https://alectro.ru/privacy/
theme: {name: material, language: ru, custom_dir: overrides, font: false}
plugins:
  - search
  - alectro-policy:
      enabled: !ENV [POLICY_PLUGIN, true]
"""


def best_of(runs: int, work) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def build_seconds(root: Path, plugin: bool) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ["POLICY_PLUGIN"] = "true" if plugin else "false"

    def work():
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()

    return best_of(3, work)


def main(sizes: list[int]) -> None:
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    print("editions: the synthetic policy's number of editions; plugin work: reading the history into editions")
    print(
        f"{'editions':>8}  {'plugin work, s':>14}  {'per edition, ms':>15}  "
        f"{'build without plugin, s':>23}  {'build with plugin, s':>20}"
    )
    with tempfile.TemporaryDirectory() as temporary:
        for size in sizes:
            root = make_repository(Path(temporary) / f"repo-{size}", size, CONFIG)
            # Each run from a cold cache of rendered texts, as a build starts.
            history_seconds = best_of(
                5,
                lambda root=root: (
                    clear_cache(),
                    read_editions(EditionsRequest(root / "docs", ["index.md"], ZoneInfo("Europe/Moscow"))),
                ),
            )
            histories = read_editions(EditionsRequest(root / "docs", ["index.md"], ZoneInfo("Europe/Moscow")))
            assert histories.documents["index.md"].current.number == size, "every synthetic commit is an edition"
            plain = build_seconds(root, plugin=False)
            full = build_seconds(root, plugin=True)
            print(
                f"{size:>8}  {history_seconds:>14.3f}  {history_seconds / size * 1000:>15.3f}  "
                f"{plain:>23.3f}  {full:>20.3f}"
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [250, 500, 1000])
