"""How long `make serve` takes to show a saved edit on a real history, beside plain Material serving the documents.

    .venv/bin/python bench/serve_save.py [CLONE] [SAVES]

``CLONE``: a clone of Automattic's legal documents, as for ``bench/real_history.py`` (cloned again into a temporary
folder, nothing kept). Two ``mkdocs serve`` run one after the other over the same three documents: ours (the plugin:
163 editions, each with its pages) and plain Material (the plugin left out: the three documents' pages alone). For
each, the time until the first build is served, then ``SAVES`` (default 3) saves of the Terms of Service, each
adding a sentence: the time from the save until the document's page, asked every 50 ms, shows it. Printed, not
asserted (issue 26: a save shows within 2 s).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from real_history import DEFAULT, DOCUMENTS, THEME, ours_config  # noqa: E402

from servers import free_port  # noqa: E402

SAVED = DOCUMENTS[0]


def plain_config(clone: Path) -> str:
    """The same documents of the clone, without the plugin."""
    kept = "".join(f"  !/{path}\n" for path in DOCUMENTS)
    return (
        f"site_name: legalmattic\nsite_url: https://example.org/\ndocs_dir: {json.dumps(str(clone))}\n"
        f"exclude_docs: |\n  /*\n{kept}{THEME}plugins: []\n"
    )


def serve(config: Path) -> tuple[subprocess.Popen, str, float]:
    """Start ``mkdocs serve`` with ``config``; return it, its address and the seconds until it served its first
    build."""
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("mkdocs")), "serve", "-f", str(config), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    ready, log = threading.Event(), []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            if "Serving on" in line:
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(600) or process.poll() is not None:
        process.kill()
        raise SystemExit("mkdocs serve did not start:\n" + "".join(log))
    return process, f"http://127.0.0.1:{port}/", time.monotonic() - started


def shown_after_save(page: str, document: Path, marker: str) -> float:
    """Add a sentence holding ``marker`` to ``document``; return the seconds until ``page`` shows it."""
    text = document.read_text(encoding="utf-8")
    started = time.monotonic()
    document.write_text(text + f"\n\nBench sentence {marker}.\n", encoding="utf-8")
    while time.monotonic() - started < 300:
        try:
            if marker in urllib.request.urlopen(page, timeout=30).read().decode("utf-8"):
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.05)  # a polling interval: how often the page is asked
    raise SystemExit(f"{page} did not show the saved edit within 300 s")


def measure(config: Path, clone: Path, saves: int, name: str) -> tuple[float, list[float]]:
    process, url, first = serve(config)
    try:
        page = url + quote(SAVED.removesuffix(".md")) + "/"
        return first, [shown_after_save(page, clone / SAVED, f"{name}-{n}-{time.time_ns()}") for n in range(saves)]
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> int:
    source = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else DEFAULT
    saves = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "legalmattic"
        subprocess.run(["git", "clone", "-q", source, str(clone)], check=True)
        original = (clone / SAVED).read_bytes()
        ours, plain = Path(folder) / "ours.yml", Path(folder) / "plain.yml"
        ours.write_text(ours_config(clone), encoding="utf-8")
        plain.write_text(plain_config(clone), encoding="utf-8")
        found = {}
        for name, config in (("ours", ours), ("plain", plain)):
            (clone / SAVED).write_bytes(original)
            found[name] = measure(config, clone, saves, name)
    print(f"{'':>16}{'first build, s':>16}{'save shown, s (median)':>24}  each save")
    for name, (first, shown) in found.items():
        label = "ours" if name == "ours" else "plain Material"
        each = ", ".join(f"{s:.2f}" for s in shown)
        print(f"{label:>16}{first:>16.2f}{statistics.median(shown):>24.2f}  {each}")
    print(f"(load average {os.getloadavg()[0]:.1f}; ours: 3 documents, 163 editions; plain: the 3 documents alone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
