"""Print Lighthouse's (mobile) scores and first paint of the policy page beside plain Material's with the same text.

    .venv/bin/python bench/first_paint.py [--runs 5]

Builds this repository's site (the plugin, its banner and stylesheets) and a plain Material site from the same
docs/index.md with the same theme options and no plugin, serves each through a real nginx with deploy/nginx.conf
(as tests/deploy does: the same generated server block, so the same CSP, gzip and caching headers), and runs
Lighthouse (mobile, default simulated throttling) on each page, alternating ours and plain so that the machine's
load falls on both alike. Prints each run, then the median of every figure and ours minus plain. Needs nginx,
/usr/bin/chromium (or $CHROME_PATH) and the Lighthouse of tests/lighthouse (sh tests/ensure_lighthouse.sh).
Figures, not assertions: the machine's speed moves them, the difference between the two much less.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The tests' own servers (tests/servers.py): the same generated nginx server block as tests/deploy.
sys.path.insert(0, str(REPO / "tests"))

from servers import NGINX_HINT, Nginx, find_nginx, start_nginx  # noqa: E402

LIGHTHOUSE = REPO / "tests" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint"}

# The theme options of mkdocs.yml that change how the page looks, without the plugin: what a shop would get
# from Material alone.
PLAIN_MKDOCS_YML = """\
site_name: alectro.ru
site_url: https://alectro.ru/privacy/
site_description: Политика конфиденциальности персональной информации интернет-магазина alectro.ru
copyright: © Интернет-магазин alectro.ru
theme:
  name: material
  language: ru
  font: false
  features:
    - content.code.copy
    - navigation.top
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      toggle:
        icon: material/weather-night
        name: Тёмная тема
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      toggle:
        icon: material/weather-sunny
        name: Светлая тема
markdown_extensions:
  - toc:
      permalink: "#"
      permalink_title: Ссылка на раздел
  - attr_list
plugins:
  - search:
      lang: ru
extra:
  generator: false
"""


def build(project: Path, site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if "SOURCE_DATE_EPOCH" not in env:
        stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=REPO, capture_output=True, text=True)
        env["SOURCE_DATE_EPOCH"] = stamp.stdout.strip() or "0"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--strict", "--quiet", "-d", str(site)], cwd=project, env=env, check=True)


def lighthouse(url: str, report: Path) -> dict[str, float]:
    """One Lighthouse run (mobile, simulated throttling): the four scores ×100 and FCP/LCP in seconds."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox",
        ],
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        check=True,
        timeout=180,
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    if "runtimeError" in result:
        sys.exit(f"Lighthouse failed on {url}: {result['runtimeError']}")
    figures = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    figures.update({name: result["audits"][audit]["numericValue"] / 1000 for name, audit in METRICS.items()})
    return figures


def line(label: str, figures: dict[str, float]) -> str:
    scores = " ".join(f"{figures[name]:>5.0f}" for name in CATEGORIES)
    return f"{label:<12}{scores} {figures['FCP']:>7.2f} {figures['LCP']:>7.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="Lighthouse runs per site (default 5)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run 'sh tests/ensure_lighthouse.sh'")
    nginx = find_nginx()
    if nginx is None:
        sys.exit(NGINX_HINT)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        plain_project = tmp / "plain"
        (plain_project / "docs").mkdir(parents=True)
        (plain_project / "mkdocs.yml").write_text(PLAIN_MKDOCS_YML, encoding="utf-8")
        shutil.copy(REPO / "docs" / "index.md", plain_project / "docs" / "index.md")
        build(REPO, tmp / "site-ours")
        build(plain_project, tmp / "site-plain")
        started: list[Nginx] = []
        try:
            urls = {}
            for name in ("ours", "plain"):
                (tmp / f"nginx-{name}").mkdir()
                started.append(start_nginx(nginx, tmp / f"site-{name}", tmp / f"nginx-{name}"))
                urls[name] = started[-1].url
            runs: dict[str, list[dict[str, float]]] = {"ours": [], "plain": []}
            print(f"{'run':<12}" + " ".join(f"{n[:5]:>5}" for n in CATEGORIES) + f" {'FCP s':>7} {'LCP s':>7}")
            for index in range(args.runs):
                # Alternating, and each round in the other order: neither site always runs on a warmer machine.
                for name in ("ours", "plain") if index % 2 == 0 else ("plain", "ours"):
                    runs[name].append(lighthouse(urls[name], tmp / "report.json"))
                    print(line(f"{name} {index + 1}", runs[name][-1]), flush=True)
        finally:
            for server in started:
                server.stop()
    medians = {
        name: {key: statistics.median(r[key] for r in found) for key in found[0]} for name, found in runs.items()
    }
    print(f"\nmedian of {args.runs} runs")
    for name in ("ours", "plain"):
        print(line(name, medians[name]))
    difference = {key: medians["ours"][key] - medians["plain"][key] for key in medians["ours"]}
    print(f"{'ours-plain':<12}" + " ".join(f"{difference[n]:>+5.0f}" for n in CATEGORIES), end="")
    print(f" {difference['FCP']:>+7.2f} {difference['LCP']:>+7.2f}")
    # To the hundredth of a second printed: Lighthouse's fractions of a millisecond are no difference.
    fcp = "no later than" if round(difference["FCP"], 2) <= 0 else "LATER than"
    ours, plain = medians["ours"]["FCP"], medians["plain"]["FCP"]
    print(f"ours paints {fcp} plain Material (median FCP {ours:.2f} s vs {plain:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
