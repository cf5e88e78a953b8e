"""What readers would be shown otherwise without the document changing: a configuration, theme or include change.

``make changes`` compares documents' files; an extension, include or template override in the same change can rewrite
the text readers see on every edition's page while every file stays the same. When the change touches anything but
the documents, the site is built as it is now and as it was at the base (``mkdocs build`` run as a command, into
temporary folders; the base from a temporary ``git worktree``) and each edition's page text compared
(``output.reader_text``). The words are shown; the publish refuses such a change (a published edition never changes).
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..output.reader_text import reader_text


@dataclass(frozen=True)
class Rerendered:
    """One edition whose page would read otherwise, its file unchanged."""

    source: str
    number: int
    removed: tuple[str, ...]
    added: tuple[str, ...]
    """Runs of words the page would lose and gain."""


def changed_besides(root: Path, base: str, documents: set[str]) -> list[str]:
    """The files (relative to the repository) that differ between ``base`` and the work tree, the documents aside."""
    result = subprocess.run(
        ["git", "-C", str(root), "diff", "--name-only", "-z", base, "--"], capture_output=True, check=False
    )
    untracked = subprocess.run(
        ["git", "-C", str(root), "ls-files", "--others", "--exclude-standard", "-z"], capture_output=True, check=False
    )
    names = (result.stdout + untracked.stdout).decode(errors="surrogateescape").split("\0")
    return sorted({name for name in names if name and name not in documents})


def _build(config: Path, site: Path) -> dict | None:
    """Build the site of ``config`` into ``site`` (not strict: a refused rendering is what is being looked for);
    its editions.json, or None when the build fails."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    if subprocess.run(command, capture_output=True, env=environment, check=False).returncode:
        return None
    try:
        return json.loads((site / "editions.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _pages(site: Path, data: dict) -> dict[tuple[str, int, str], Path]:
    """Each edition's page in the built ``site``, by (document, number, SHA-256 of its file)."""
    base = str(data.get("site_url", ""))
    return {
        (document["source"], edition["number"], edition["sha256"]): _page(site, edition["text_url"][len(base) :])
        for document in data.get("documents", [])
        for edition in document.get("editions", [])
        if str(edition.get("text_url", "")).startswith(base)
    }


def _page(site: Path, url: str) -> Path:
    return site / unquote(url) / "index.html"


def rerendered(root: Path, config: Path, base: str, documents: set[str]) -> tuple[list[str], list[Rerendered]]:
    """Return the files changed besides the documents and the editions whose pages would read otherwise than at
    ``base`` (nothing is built when only documents changed, or when ``config`` lies outside the repository)."""
    changed = changed_besides(root, base, documents)
    if not changed or not config.is_relative_to(root.resolve()):
        return changed, []  # a mkdocs.yml outside the repository: the base's site cannot be built as it was
    with tempfile.TemporaryDirectory(prefix="alectro-rendered-") as folder:
        work = Path(folder)
        now = _build(config, work / "now")
        added = subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "-q", "--detach", str(work / "base"), base],
            capture_output=True,
            check=False,
        )
        try:
            then = _build(work / "base" / config.relative_to(root), work / "then") if not added.returncode else None
        finally:
            subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(work / "base")], check=False)
        if now is None or then is None:
            return changed, []
        pages_now, pages_then = _pages(work / "now", now), _pages(work / "then", then)
        found = []
        for key, page in sorted(pages_then.items()):
            if key in pages_now and page.is_file() and pages_now[key].is_file():
                before = reader_text(page.read_text(encoding="utf-8")).split()
                after = reader_text(pages_now[key].read_text(encoding="utf-8")).split()
                if before != after:
                    found.append(Rerendered(key[0], key[1], *_word_runs(before, after)))
    return changed, found


def _word_runs(before: list[str], after: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            removed.append(" ".join(before[i1:i2]))
        if tag in ("insert", "replace"):
            added.append(" ".join(after[j1:j2]))
    return tuple(removed), tuple(added)


def notice(changed: list[str], editions: list[Rerendered]) -> str | None:
    """The report's Markdown for ``editions`` whose pages ``changed`` files would rewrite; None when none would."""
    if not editions:
        return None
    files = ", ".join(f"`{name}`" for name in changed[:8]) + (" …" if len(changed) > 8 else "")
    lines = [
        f"**Изменится текст, который видят читатели, хотя файлы документов те же** (изменены {files}):",
        "",
    ]
    for edition in editions:
        words = [f"+ «{run}»" for run in edition.added] + [f"− «{run}»" for run in edition.removed]
        lines.append(f"- `{edition.source}`, редакция № {edition.number}: " + "; ".join(words))
    lines += [
        "",
        "Опубликованная редакция не меняется: сборка и публикация с этой правкой откажутся. Чтобы читатели увидели "
        "другой текст, измените сам документ — это будет новая редакция (существенная, если коммит не помечен "
        "`Edition: editorial`); правку настроек или шаблона, меняющую текст, отмените.",
    ]
    return "\n".join(lines)
