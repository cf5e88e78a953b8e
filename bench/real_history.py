"""A real public history of large documents built with the plugin, beside plain Material rendering as many pages.

    .venv/bin/python bench/real_history.py [CLONE]

``CLONE``: a clone of Automattic's legal documents (github.com/Automattic/legalmattic; by default
``/work/.mirror/Automattic+legalmattic/repo``, as the ``fetch`` tool leaves it). It is cloned again into a temporary
folder; nothing of it is kept or committed. Three documents are tracked: the WordPress.com Terms of Service (moved
twice), the Privacy Policy and the Cookie Policy, declared without numbered clauses, no banner.

Two builds of the same commit, each ``mkdocs build`` in a process of its own, timed from start to exit (best of two,
in ABBA order, so that neither always runs first):

- ours: the plugin, reading the whole history and writing every edition's text and changes page;
- plain Material: the plugin left out, and every page ours renders from Markdown written as Markdown (each
  edition's text at its text and its changes address, the history page a list of the editions), so MkDocs renders
  as many pages of the same texts.

Printed, not asserted (issue 26: ours within 1.2× of plain Material).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT = "/work/.mirror/Automattic+legalmattic/repo"
DOCUMENTS = ("Terms of Service/WordPress.com/EN-Terms-of-Service.md", "Privacy-Policy.md", "Cookie-Policy.md")
MKDOCS = Path(sys.executable).with_name("mkdocs")
THEME = "theme:\n  name: material\n  font: false\n"


def ours_config(clone: Path) -> str:
    """The plugin over the clone's own folder (the config sits outside it: MkDocs refuses docs in its folder)."""
    listed = ", ".join(json.dumps(path) for path in DOCUMENTS)
    kept = "".join(f"  !/{path}\n" for path in DOCUMENTS)
    return (
        f"site_name: legalmattic\nsite_url: https://example.org/\ndocs_dir: {json.dumps(str(clone))}\n"
        f"exclude_docs: |\n  /*\n{kept}{THEME}plugins:\n  - alectro-policy:\n      documents: [{listed}]\n"
        f"      without_clauses: [{listed}]\n      main_branch: master\n      consent:\n        enabled: false\n"
    )


def plain_config(docs: Path) -> str:
    # Out of the navigation, as ours' generated pages are: else each page would list all of them.
    return (
        f"site_name: legalmattic\nsite_url: https://example.org/\ndocs_dir: {json.dumps(str(docs))}\n"
        f"not_in_nav: |\n  editions/\n{THEME}plugins: []\n"
    )


def timed_build(config: Path, site: Path) -> tuple[float, float]:
    """Build with ``config`` in a process of its own; return the seconds from start to exit and the processor
    seconds it used (user and system, git's processes included): on a machine shared with other work the second
    varies less."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.monotonic()
    process = subprocess.Popen([str(MKDOCS), "build", "-q", "-f", str(config), "-d", str(site)], env=env)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"the build with {config.name} failed (see above)")
    return time.monotonic() - started, usage.ru_utime + usage.ru_stime


def show(clone: Path, commit: str, path: str) -> bytes:
    return subprocess.run(["git", "show", f"{commit}:{path}"], cwd=clone, capture_output=True, check=True).stdout


def same_pages(clone: Path, site: Path, docs: Path) -> int:
    """Write, under ``docs``, a Markdown page for every page ours rendered from Markdown; return how many."""
    published = json.loads((site / "editions.json").read_text(encoding="utf-8"))
    pages = 0

    def write(url: str, text: bytes) -> None:
        nonlocal pages
        folder = docs / unquote(urlsplit(url).path).strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_bytes(text)
        pages += 1

    for document in published["documents"]:
        write(document["url"], (clone / document["source"]).read_bytes())
        listing = [f"- [{e['number']}]({e['number']}/): {e['date']} {e['summary']}" for e in document["editions"]]
        write(document["url"] + "editions/", ("# History\n\n" + "\n".join(listing) + "\n").encode())
        for edition in document["editions"]:
            text = show(clone, edition["commit"], edition.get("source", document["source"]))
            write(edition["text_url"], text)
            if edition["changes_url"]:
                write(edition["changes_url"], text)
    return pages


def main() -> int:
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    with tempfile.TemporaryDirectory() as folder:
        temporary = Path(folder)
        clone = temporary / "legalmattic"
        subprocess.run(["git", "clone", "-q", source, str(clone)], check=True)
        ours, plain = temporary / "ours.yml", temporary / "plain.yml"
        ours.write_text(ours_config(clone), encoding="utf-8")
        plain.write_text(plain_config(temporary / "plain-docs"), encoding="utf-8")
        ours_runs = [timed_build(ours, temporary / "ours-site")]
        pages = same_pages(clone, temporary / "ours-site", temporary / "plain-docs")
        plain_runs = [timed_build(plain, temporary / "plain-site")]
        plain_runs.append(timed_build(plain, temporary / "plain-site"))
        ours_runs.append(timed_build(ours, temporary / "ours-site"))
        editions = json.loads((temporary / "ours-site" / "editions.json").read_text(encoding="utf-8"))["documents"]
    counts = ", ".join(f"{document['source']} {len(document['editions'])}" for document in editions)
    print(f"editions: {counts}; {pages} pages from Markdown")
    print(f"{'':>16}{'ours':>8}{'plain Material':>16}{'ratio':>7}")
    for name, index in (("wall, s", 0), ("processor, s", 1)):
        best_ours, best_plain = min(run[index] for run in ours_runs), min(run[index] for run in plain_runs)
        print(f"{name:>16}{best_ours:>8.2f}{best_plain:>16.2f}{best_ours / best_plain:>7.2f}")
    runs = [
        f"{name} {', '.join(f'{wall:.2f}' for wall, _ in found)}"
        for name, found in (("ours", ours_runs), ("plain", plain_runs))
    ]
    print(f"(best of two, ABBA; wall seconds of each run: {'; '.join(runs)}; load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
