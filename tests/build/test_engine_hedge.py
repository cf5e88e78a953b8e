"""The engine hedge: ProperDocs, the maintained fork of MkDocs 1.6, builds this site byte for byte as MkDocs does
(but for the generator tag), running the plugin unchanged. If MkDocs disappears, the site moves without a change."""

import os
import re
import subprocess
import sys
from pathlib import Path

from support import REPO

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def build_with(engine: str, site_dir: Path) -> Path:
    epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=REPO, capture_output=True, text=True, check=True)
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": epoch.stdout.strip(),
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    result = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{engine} build failed: {result.stderr}"
    return site_dir


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_properdocs_builds_the_same_site_as_mkdocs_but_for_the_generator_tag(tmp_path):
    mkdocs = files_of(build_with("mkdocs", tmp_path / "mkdocs"))
    properdocs = files_of(build_with("properdocs", tmp_path / "properdocs"))
    assert sorted(properdocs) == sorted(mkdocs)
    generators = {
        GENERATOR.search(content).group(0) for name, content in properdocs.items() if name.endswith("index.html")
    }
    assert all(b"ProperDocs" in tag for tag in generators), generators
    differing = [name for name in mkdocs if GENERATOR.sub(b"", mkdocs[name]) != GENERATOR.sub(b"", properdocs[name])]
    assert differing == []
    assert b'class="policy-stamp' in properdocs["index.html"] and "editions.json" in properdocs
