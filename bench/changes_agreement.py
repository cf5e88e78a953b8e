"""`make changes` at past commits of a public history no one here wrote, against the build of the same commits.

    .venv/bin/python bench/changes_agreement.py [CLONE] [SAMPLES]

``CLONE``: Automattic's legal documents (as ``bench/real_history.py`` takes them; three documents, the Terms of
Service moved twice). It is cloned into a temporary folder. For ``SAMPLES`` (default 6) commits of ``master``'s first-
parent line that changed a document, spread over the history (the moves among them): the clone is checked out at the
commit, ``make changes`` is asked against the commit before it (``next_editions(config, base=COMMIT^)``, as CI's
summary asks against the target branch), and the site is built at the commit. Printed per commit and document: the
number make changes promised (or none), the build's edition in force, and whether they agree (the same number, the
edition starting at that commit; make changes dates a draft by the day it would go live, so dates are not compared).
Printed, not asserted; the process exits 1 when any disagrees.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import real_history  # noqa: E402
from real_history import DEFAULT, DOCUMENTS, MKDOCS  # noqa: E402

from alectro_policy.changes.cli import next_editions  # noqa: E402


def git(clone: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=clone, capture_output=True, text=True, check=True).stdout.strip()


def samples(clone: Path, count: int) -> list[str]:
    """Commits of master's first-parent line that changed a document, ``count`` of them spread evenly, and every one
    that moved a document (the Terms of Service moved twice: the hard cases), oldest first."""
    line = git(clone, "log", "--first-parent", "--format=%H", "--reverse", "master").split()
    changed = git(clone, "log", "--first-parent", "--format=%H", "--reverse", "master", "--", *DOCUMENTS).split()
    changed = [commit for commit in changed if commit != line[0]]
    step = max(1, len(changed) // count)
    chosen = set(changed[step - 1 :: step][:count])
    for commit in line[1:]:
        moved = git(clone, "diff", "-M", "--diff-filter=R", "--name-only", f"{commit}^", commit).splitlines()
        chosen |= {commit} if set(DOCUMENTS) & set(moved) else set()
    return [commit for commit in line if commit in chosen]


def main() -> int:
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    disagreements = 0
    with tempfile.TemporaryDirectory(prefix="changes-agreement-") as folder:
        temporary = Path(folder)
        clone = temporary / "legalmattic"
        subprocess.run(["git", "clone", "-q", source, str(clone)], check=True)
        config = temporary / "mkdocs.yml"
        for commit in samples(clone, count):
            git(clone, "checkout", "-q", "--detach", commit)
            # The documents the commit has (the Cookie Policy came later), as bench/real_history.py lists them.
            real_history.DOCUMENTS = tuple(d for d in DOCUMENTS if (clone / d).is_file())
            config.write_text(real_history.ours_config(clone), encoding="utf-8")
            promised = {
                found.editions_of.source_path: found.record
                for found in next_editions(str(config), f"{commit}^").documents
            }
            site = temporary / "site"
            built = subprocess.run(
                [str(MKDOCS), "build", "-q", "-f", str(config), "-d", str(site)],
                capture_output=True,
                text=True,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
            if built.returncode:
                print(f"{commit[:10]}: the build failed: {built.stderr.strip()[-300:]}")
                disagreements += 1
                continue
            documents = json.loads((site / "editions.json").read_text(encoding="utf-8"))["documents"]
            for document in documents:
                record = promised.get(document["source"])
                current = document["editions"][-1]
                if record is None:
                    agree = current["commit"] != commit
                    said = "no new edition"
                else:
                    # Numbers only: make changes dates a draft by the day it would go live (today).
                    agree = record.number == current["number"] and current["commit"] == commit
                    said = f"№ {record.number}"
                disagreements += not agree
                print(
                    f"{commit[:10]} {document['source']}: make changes {said}; build № {current['number']} of "
                    f"{current['date']} ({'agrees' if agree else 'DISAGREES'})"
                )
    print(f"{disagreements} disagreement(s)")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
