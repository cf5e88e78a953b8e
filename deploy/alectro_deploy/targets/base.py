"""What publish and rollback need of a target, and the rsync upload both kinds of target share."""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from alectro_deploy.errors import PublishError


class Target(Protocol):
    """Where releases live (:mod:`alectro_deploy.layout`): the few operations publish and rollback use.

    Paths are relative to the target's root. Each operation raises PublishError (or OSError) when it fails.
    """

    label: str
    """The target as people name it: a directory or ``host:path``."""

    def current(self) -> str | None:
        """The name of the release ``current`` points to; None before the first publish."""
        ...

    def read(self, relative: str) -> bytes | None:
        """The bytes of the file at ``relative`` (``current/editions.json``); None when it does not exist."""
        ...

    def entries(self) -> list[str]:
        """The names in ``releases/`` (releases and unfinished uploads); empty when it does not exist."""
        ...

    def write(self, relative: str, data: bytes) -> None:
        """Replace the file at ``relative`` with ``data`` in one rename."""
        ...

    def try_lock(self) -> bool:
        """Create the lock directory (and the target); False when it exists already (another publish runs)."""
        ...

    def unlock(self) -> None: ...

    def upload(self, site: Path, name: str, link_dest: str | None) -> None:
        """Copy ``site`` into ``releases/name``, first as an unfinished upload that nothing serves; files equal
        to those of release ``link_dest`` become hard links to them."""
        ...

    def switch(self, name: str) -> None:
        """Point ``current`` at ``releases/name`` in one atomic rename."""
        ...

    def remove(self, names: list[str]) -> None:
        """Delete these entries of ``releases/``."""
        ...


def rsync(site: Path, destination: str, link_dest: str | None, options: Sequence[str], doing: str) -> None:
    """Copy the contents of ``site`` to the directory ``destination`` (an rsync path, ending in '/')."""
    command = [
        "rsync", "--recursive", "--links", "--perms", "--devices", "--specials", "--delete",
        # By content, not time: every build writes fresh files, and identical ones should be hard links.
        "--checksum", "--chmod=D755,F644", *options,
    ]  # fmt: skip
    if link_dest:
        # Relative to the destination: the upload lands beside the release it links to.
        command.append(f"--link-dest=../{link_dest}")
    command += [f"{site}/", destination]
    run(command, doing)


def run(command: list[str], doing: str) -> None:
    """Run ``command``; raise PublishError with its error output if it fails or is not installed."""
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:
        raise PublishError(
            f"{command[0]} is not installed: it is needed for {doing} (apt-get install {command[0]})"
        ) from None
    if result.returncode != 0:
        raise PublishError(f"{doing} failed ({shlex.join(command)}):\n{result.stderr.strip()}")
