"""Shared fixtures: building sites with MkDocs, and serving them under /privacy/."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from support import MINIMAL_CONFIG, REPO, GitRepo, build_site


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory) -> Path:
    """This repository's own site, built once per test session."""
    return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("repo-site") / "site")


@pytest.fixture
def git_repo(tmp_path) -> GitRepo:
    """An empty git repository with the project's theme overrides and a minimal ``mkdocs.yml``."""
    repo = GitRepo(tmp_path / "project")
    repo.root.mkdir()
    repo.git("init", "-q", "-b", "main")
    shutil.copytree(REPO / "overrides", repo.root / "overrides")
    repo.write("mkdocs.yml", MINIMAL_CONFIG.format(plugin_options=""))
    repo.write(".gitignore", "site/\n")
    return repo


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the stdlib's name)
        pass


@pytest.fixture(scope="session")
def serve_under_privacy(tmp_path_factory):
    """Return a function that serves a built site at ``http://127.0.0.1:PORT/privacy/``."""
    servers = []

    def serve(site_dir: Path) -> str:
        root = tmp_path_factory.mktemp("www")
        (root / "privacy").symlink_to(site_dir, target_is_directory=True)
        handler = functools.partial(_QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/privacy/"

    yield serve
    for server in servers:
        server.shutdown()
