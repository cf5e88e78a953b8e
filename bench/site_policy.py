"""Build a real history no one here wrote: GitHub's public site-policy repository, its Terms of Service as a site.

    .venv/bin/python bench/site_policy.py [PATH OR URL OF A CLONE OF github/site-policy]

Cloned into a temporary folder (nothing of it is kept or committed), built with the plugin listing
``Policies/github-terms/github-terms-of-service.md`` (moved there from ``Policies/`` in 2022), declared without
numbered clauses, no banner. Prints the build's time and peak memory and what editions.json says: how many
editions, from when, and how many were committed before the move (a build that did not follow moves showed
only those after it: 14 from 2022-09-01).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = "/work/.mirror/github+site-policy/repo"
DOCUMENT = "github-terms/github-terms-of-service.md"
CONFIG = f"""\
site_name: site-policy
site_url: https://example.org/
docs_dir: Policies
theme:
  name: material
  font: false
plugins:
  - alectro-policy:
      documents: [{DOCUMENT}]
      without_clauses: [{DOCUMENT}]
      consent:
        enabled: false
"""


def main() -> int:
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site-policy"
        subprocess.run(["git", "clone", "-q", source, str(root)], check=True)
        commits = subprocess.run(
            ["git", "rev-list", "--count", "--first-parent", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        (root / "bench.yml").write_text(CONFIG, encoding="utf-8")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        started = time.monotonic()
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-f", "bench.yml", "-d", "out"],
            cwd=root,
            env=env,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        if status:
            print("the build failed (see above)", file=sys.stderr)
            return 1
        (document,) = json.loads((root / "out" / "editions.json").read_text(encoding="utf-8"))["documents"]
    editions = document["editions"]
    before = [edition for edition in editions if edition.get("source")]
    peak = usage.ru_maxrss // 1024
    print(f"github/site-policy: {commits} first-parent commits; built in {seconds:.1f} s, peak {peak} MiB")
    span = f"{editions[0]['date']} … {editions[-1]['date']}"
    print(f"{document['source']} «{document['title']}»: {len(editions)} editions, {span}")
    print(f"  former paths: {', '.join(document.get('former_sources', [])) or 'none'}")
    print(f"  {len(before)} editions committed before the move, {len(editions) - len(before)} after it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
