"""Two builds of one commit on different days are byte-identical: the Makefile's build, under a faked clock."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, require

FAKETIME_HINT = (
    "No faketime found: run 'make test' (it installs Debian's faketime as root) or 'apt-get install faketime'."
)
# Two days, months apart, in time zones on either side of midnight UTC.
CLOCKS = (("2027-01-10 09:00:00", "Europe/Moscow"), ("2027-03-05 23:30:00", "Asia/Vladivostok"))


@pytest.fixture
def faketime():
    return require(shutil.which("faketime"), FAKETIME_HINT)


@pytest.fixture
def project(git_repo):
    """A policy (dated by its edition) and a plain page (dated by whatever MkDocs is told), committed."""
    git_repo.write("docs/index.md", "# Политика\n\n1.1. Первый пункт.\n\n2.2. Сайт использует cookies.\n")
    git_repo.write("docs/contacts.md", "# Контакты\n\nАдрес магазина.\n")
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    return git_repo


def tree(site: Path) -> dict[str, str]:
    files = (path for path in sorted(site.rglob("*")) if path.is_file())
    return {str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def build_at(faketime, project, clock: str, zone: str, command: list[str], copy_to: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["TZ"] = zone
    result = subprocess.run([faketime, clock, *command], cwd=project.root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return tree(shutil.copytree(project.root / "site", copy_to))


def make_build(venv: Path) -> list[str]:
    # The Makefile's own build recipe, run in the test project with this test run's virtual environment
    # (-o: the environment is installed already; do not reinstall it).
    return [
        "make",
        "--no-print-directory",
        "-f",
        str(REPO / "Makefile"),
        f"VENV={venv}",
        "-o",
        f"{venv}/.installed",
        "build",
    ]


def test_the_makefile_builds_one_commit_byte_identically_on_different_days(faketime, project, tmp_path):
    venv = Path(sys.prefix)
    first, second = (
        build_at(faketime, project, clock, zone, make_build(venv), tmp_path / f"site-{index}")
        for index, (clock, zone) in enumerate(CLOCKS)
    )
    assert "sitemap.xml" in first and "sitemap.xml.gz" in first and "contacts/index.html" in first
    differing = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
    assert differing == []


def test_without_the_commit_time_the_clock_leaks_into_the_sitemap(faketime, project, tmp_path):
    """The control: the same two clocks, plain ``mkdocs build``, and the build does tell the days apart."""
    command = [str(Path(sys.prefix) / "bin" / "mkdocs"), "build", "--strict"]
    first, second = (
        build_at(faketime, project, clock, zone, command, tmp_path / f"site-{index}")
        for index, (clock, zone) in enumerate(CLOCKS)
    )
    differing = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
    assert differing == ["sitemap.xml", "sitemap.xml.gz"]
    assert "<lastmod>2027-01-10</lastmod>" in (tmp_path / "site-0" / "sitemap.xml").read_text()
