"""A synthetic repository whose policy has N editions, made in one ``git fast-import``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
START = 1_700_000_000  # 2023-11-14, one edition a day from there


def policy_text(edition: int) -> str:
    """The shop's policy with clause 6.3 and 4.3 varied, so each edition changes a few words."""
    text = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
    text = text.replace("6.3. Пользователю рекомендуется", f"6.3. Пользователю (редакция {edition}) рекомендуется")
    if edition % 2:
        text = text.replace("- с согласия пользователя.", f"- с согласия пользователя;\n- в случае {edition}.")
    return text


def make_repository(root: Path, editions: int, mkdocs_yml: str) -> Path:
    """Create ``root`` as a git repository with ``editions`` commits of docs/index.md and return it."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    stream = []
    for number in range(1, editions + 1):
        data = policy_text(number).encode()
        message = f"Редакция {number}: уточнены пп. 4.3 и 6.3".encode()
        when = START + number * 86_400
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@alectro.ru> {when} +0300\n".encode())
        stream.append(b"data %d\n%s\n" % (len(message), message))
        if number == 1:
            config = mkdocs_yml.encode()
            stream.append(b"M 100644 inline mkdocs.yml\ndata %d\n%s\n" % (len(config), config))
        stream.append(b"M 100644 inline docs/index.md\ndata %d\n%s\n" % (len(data), data))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
    shutil.copytree(REPO / "overrides", root / "overrides")
    return root
