"""`make serve` shows the new edition as soon as it is committed, not only after some file is touched, and a save
as soon as its draft is made: the history is read once per commit."""

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from servers import start_mkdocs_serve
from support import GitRepo, read_html

POLICY = "# Политика\n\n1.1. Первый пункт.\n\n2.2. Сайт использует cookies.\n"


class RecordingServer:
    """Stands in for MkDocs' LiveReloadServer: records what the plugin asks it to watch."""

    def __init__(self):
        self.watched: list[str] = []

    def watch(self, path, func=None, *, recursive=True):
        self.watched.append(path)


def watched_by_plugin(repo: GitRepo) -> list[str]:
    from mkdocs.config import load_config

    config = load_config(str(repo.root / "mkdocs.yml"))
    server = RecordingServer()
    config.plugins.on_serve(server, config=config, builder=lambda: None)
    return server.watched


def files_under(paths: list[str]) -> dict[str, tuple[int, int]]:
    return {
        str(file): (file.stat().st_mtime_ns, file.stat().st_size)
        for path in paths
        for file in Path(path).rglob("*")
        if file.is_file()
    }


@pytest.mark.parametrize("worktree", [False, True])
def test_the_plugin_watches_what_a_commit_changes_also_in_a_git_worktree(git_repo, worktree):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    repo = git_repo
    if worktree:
        repo = GitRepo(git_repo.root.parent / "worktree")
        git_repo.git("worktree", "add", "-q", "-b", "edit", str(repo.root))
    watched = watched_by_plugin(repo)
    assert watched and all(Path(path).is_dir() for path in watched)
    before = files_under(watched)
    repo.write("docs/index.md", POLICY + "\n1.2. Новый пункт.\n")
    repo.commit("Добавлен п. 1.2", "2026-03-11T12:00:00+03:00")
    assert files_under(watched) != before


def test_outside_git_nothing_more_is_watched(tmp_path):
    repo = GitRepo.new(tmp_path / "project")
    repo.write("docs/index.md", POLICY)
    export = shutil.copytree(repo.root, tmp_path / "export", ignore=shutil.ignore_patterns(".git"))
    assert watched_by_plugin(GitRepo(export)) == []


def _stamp(url: str) -> str | None:
    try:
        html = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
    except OSError:
        return None
    # The stamp element itself: the class name is in every page's inline styles too.
    stamp = BeautifulSoup(html, "html.parser").select_one("article p.policy-stamp[data-edition]")
    if stamp is None:
        return None
    return ("draft " if "policy-stamp--draft" in stamp["class"] else "") + stamp["data-edition"]


def poll(url: str, expected: str, timeout: float = 30) -> str | None:
    """Ask the server until the stamp reads ``expected`` or ``timeout`` seconds pass; return the last stamp seen."""
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        seen = _stamp(url)
        if seen == expected:
            return seen
        time.sleep(0.2)  # a polling interval, not a wait for something to happen
    return seen


def test_mkdocs_serve_turns_the_draft_into_the_edition_when_it_is_committed(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    git_repo.write("docs/index.md", POLICY + "\n1.2. Новый пункт.\n")
    server = start_mkdocs_serve(git_repo.root)
    try:
        assert poll(server.url, "draft 2") == "draft 2"
        git_repo.commit("Добавлен п. 1.2", "2026-03-11T12:00:00+03:00")
        # No file of docs/ or mkdocs.yml changed: only the commit.
        assert poll(server.url, "2") == "2", "".join(server.log)
    finally:
        server.stop()


def test_under_mkdocs_serve_a_save_reads_no_history_and_shows_its_draft_at_once(git_repo, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    git_repo.write("docs/index.md", POLICY + "\n1.2. Второй пункт.\n")
    git_repo.commit("Добавлен п. 1.2", "2026-03-11T12:00:00+03:00")
    site = git_repo.root / "site"
    started: list[list[str]] = []
    real = subprocess.Popen

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, args, *rest, **options):
            started.append(list(args))
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", Counted)

    def rebuild():
        # As mkdocs serve rebuilds: the config loaded again, the plugin's instance kept (MkDocs keeps it).
        config = load_config(str(git_repo.root / "mkdocs.yml"), site_dir=str(site))
        started.clear()
        build(config, serve_url="http://127.0.0.1:8000/privacy/")
        return config

    config = load_config(str(git_repo.root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        rebuild()
        assert started, "the first build reads the history"
        first_edition = (site / "editions/1/index.html").read_bytes()
        git_repo.write("docs/index.md", POLICY + "\n1.2. Второй пункт.\n\n1.3. Третий пункт.\n")
        rebuild()
        assert started == []
        stamp = read_html(site / "index.html").select_one("article p.policy-stamp[data-edition]")
        assert stamp is not None and stamp["data-edition"] == "3" and "policy-stamp--draft" in stamp["class"]
        assert "Третий пункт" in (site / "editions/draft/index.html").read_text(encoding="utf-8")
        assert (site / "editions/1/index.html").read_bytes() == first_edition
        assert (site / "editions/2/changes/index.html").is_file() and (site / "editions/index.html").is_file()
        git_repo.commit("Добавлен п. 1.3", "2026-03-12T12:00:00+03:00")
        rebuild()
        assert any("log" in args for args in started), "a commit reads the history again"
        stamp = read_html(site / "index.html").select_one("article p.policy-stamp[data-edition]")
        assert stamp is not None and stamp["data-edition"] == "3" and "policy-stamp--draft" not in stamp["class"]
        assert (site / "editions/3/index.html").is_file()
    finally:
        config.plugins.on_shutdown()
