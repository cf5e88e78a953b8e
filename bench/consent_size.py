"""Print the gzipped size of the consent banner's JavaScript + CSS beside vanilla-cookieconsent's and Klaro's.

    .venv/bin/python bench/consent_size.py

Ours is measured as shipped (minified by consent.assets.load_assets). The others are installed with npm into a
temporary folder on every run (their newest versions) and measured from their own minified builds; without
npm or network access only ours is printed. Figures, not assertions: the budget is tested in
tests/unit/consent/test_assets.py.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from alectro_policy.consent.assets import load_assets

BUDGET = 4096
# What a site would load: each package's browser build with its CSS (Klaro bundles its CSS into the script).
COMPETITORS = [
    ("vanilla-cookieconsent", "vanilla-cookieconsent", ["dist/cookieconsent.umd.js", "dist/cookieconsent.css"]),
    ("klaro", "klaro", ["dist/klaro.js"]),
]


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def row(name: str, version: str, js_css: bytes) -> str:
    return f"{name:<24}{version:<10}{len(js_css):>10,}{gzipped(js_css):>10,}"


def main() -> int:
    assets = load_assets()
    ours = (assets.js + assets.css).encode()
    print(f"{'banner':<24}{'version':<10}{'raw B':>10}{'gzip B':>10}")
    print(
        row("alectro-policy", "-", ours)
        + f"   (budget {BUDGET:,}; js {gzipped(assets.js.encode()):,} + css {gzipped(assets.css.encode()):,})"
    )

    npm = shutil.which("npm")
    if not npm:
        print("npm not found: vanilla-cookieconsent and Klaro not measured", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                folder,
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                *{p for _, p, _ in COMPETITORS},
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            print(f"npm install failed, others not measured:\n{result.stderr.strip()}", file=sys.stderr)
            return 0
        for label, package, files in COMPETITORS:
            root = Path(folder) / "node_modules" / package
            version = json.loads((root / "package.json").read_text())["version"]
            print(row(label, version, b"".join((root / file).read_bytes() for file in files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
