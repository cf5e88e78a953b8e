"""Peak memory of a build against the length of its history (issue 16, item 6), beside plain Material.

    .venv/bin/python bench/history_memory.py                     # 500 and 5,000 commits × 100 KB, 51 editions
    .venv/bin/python bench/history_memory.py 2500,5000 100 51    # commit counts, KB, editions

For each commit count, a generated repository (``git fast-import``, in a temporary folder): one policy of the
given size; every commit changes its text, and most of them only as a reader cannot see (a line broken
elsewhere in a paragraph: a distinct file for git, a distinct text to compare, the same page), so the history
holds as many distinct texts as commits; evenly spaced commits change a clause (the editions). Each build runs
in a process of its own, measured by the kernel (``ru_maxrss`` of that child). Three builds of the same commit:

- ours: the plugin, reading the whole history;
- plain Material, docs only: the plugin left out of mkdocs.yml (one page);
- plain Material, same pages: the plugin left out, and every page ours publishes written as Markdown beside
  it (each edition's text at ``editions/N/``, its changes page likewise), so MkDocs holds as much text as ours.

Printed, not asserted. What the issue asks: ours does not grow with the number of commits (same editions,
10× the commits), and stays within 2× of plain Material.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support import MINIMAL_CONFIG  # noqa: E402  (the build tests' mkdocs.yml: the same site, measured)

MKDOCS = Path(sys.executable).with_name("mkdocs")
OURS = MINIMAL_CONFIG.format(plugin_options="")
PLAIN = OURS.replace("  - alectro-policy\n", "")
assert PLAIN != OURS, "MINIMAL_CONFIG no longer lists the plugin as this bench expects"
WORDS = "обработка персональных данных покупателя интернет-магазина"


def clauses(size_kb: int) -> list[str]:
    """Numbered clauses of about ``size_kb`` KB in all, clause 2.2 on cookies among them."""
    found = ["2.2. Сайт использует cookies."]
    size = 0
    while size < size_kb * 1024:
        found.append(f"3.{len(found)}. Пункт {len(found)}: {WORDS} {WORDS} {WORDS}.")
        size += len(found[-1].encode()) + 2
    return found


def policy(body: list[str], edition: int, wrapped: int) -> bytes:
    """The policy: clause 1.1 naming ``edition``, then ``body``, clause ``wrapped`` broken over two lines (the same
    paragraph to a reader)."""
    at = wrapped % len(body)
    rewrapped = body[at].replace(" ", "\n", 1)
    lines = [f"1.1. Редакция {edition}: общие положения.", *body[:at], rewrapped, *body[at + 1 :]]
    return ("# Политика\n\n" + "\n\n".join(lines) + "\n").encode()


def make_history(root: Path, commits: int, size_kb: int, editions: int) -> list[bytes]:
    """Make the repository; return each edition's text (the last commit's first)."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    start, end = 1_600_000_000, 1_760_000_000  # 2020-09-13 … 2025-10-09
    step = max(1, (end - start) // commits)
    every = max(1, commits // editions)
    process = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=root, stdin=subprocess.PIPE)
    assert process.stdin is not None
    config = OURS.encode()
    body = clauses(size_kb)
    texts: dict[int, bytes] = {}
    for n in range(commits):
        edition = min(n // every + 1, editions)
        text = policy(body, edition, n)
        texts[edition] = text
        message = f"Правка {n}".encode()
        out = [b"commit refs/heads/main\n", f"committer Bench <b@b> {start + n * step} +0300\n".encode()]
        out += [f"data {len(message)}\n".encode(), message, b"\n"]
        if n == 0:
            out += [f"M 644 inline mkdocs.yml\ndata {len(config)}\n".encode(), config, b"\n"]
        out += [f"M 644 inline docs/index.md\ndata {len(text)}\n".encode(), text, b"\n\n"]
        process.stdin.write(b"".join(out))
    process.stdin.close()
    if process.wait():
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
    return [texts[number] for number in sorted(texts)]


def peak_build(root: Path, config: str, site: Path) -> tuple[float, float]:
    """Build ``root`` with ``config`` as its mkdocs.yml, in a process of its own; return (peak MiB, seconds)."""
    (root / "bench.yml").write_text(config, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1760000000", "ALECTRO_TODAY": "2025-10-10"}
    started = time.monotonic()
    process = subprocess.Popen(
        [str(MKDOCS), "build", "-q", "-f", "bench.yml", "-d", str(site)], cwd=root, env=env, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if status:
        raise SystemExit(f"the build failed: {process.stderr.read().decode() if process.stderr else ''}")
    return usage.ru_maxrss / 1024, seconds


def same_pages(root: Path, texts: list[bytes]) -> Path:
    """A copy of the site's docs with every page ours publishes as plain Markdown: plain Material's fair match."""
    copy = root.parent / "same-pages"
    (copy / "docs").mkdir(parents=True)
    (copy / "docs" / "index.md").write_bytes((root / "docs" / "index.md").read_bytes())
    for number, text in enumerate(texts, start=1):
        for page in (f"editions/{number}", f"editions/{number}/changes"):
            (copy / "docs" / page).mkdir(parents=True, exist_ok=True)
            (copy / "docs" / page / "index.md").write_bytes(text)
    return copy


def main() -> int:
    counts = [int(n) for n in (sys.argv[1] if len(sys.argv) > 1 else "500,5000").split(",")]
    size_kb = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    editions = int(sys.argv[3]) if len(sys.argv) > 3 else 51
    header = f"{'commits':>8}{'editions':>10}{'ours MiB':>10}{'s':>7}{'plain, docs':>13}{'plain, same pages':>19}"
    print(header + f"{'ratios':>16}")
    for commits in counts:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "repo"
            texts = make_history(root, commits, size_kb, editions)
            ours, seconds = peak_build(root, OURS, Path(folder) / "ours")
            made = (Path(folder) / "ours" / "editions.json").read_text(encoding="utf-8").count('"number"')
            plain, _ = peak_build(root, PLAIN, Path(folder) / "plain")
            copy = same_pages(root, texts)
            matched, _ = peak_build(copy, PLAIN, Path(folder) / "matched")
        print(
            f"{commits:>8,}{made:>10}{ours:>10.0f}{seconds:>7.1f}{plain:>13.0f}{matched:>19.0f}"
            f"{ours / plain:>8.2f}×{ours / matched:>7.2f}×"
        )
    print(f"({size_kb} KB policy; ratios: ours against plain Material with docs only, and with the same pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
