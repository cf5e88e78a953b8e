"""Targets of a publish: a local directory or ``[user@]host:path``, both a :class:`Target`."""

from __future__ import annotations

import re
from pathlib import Path

from alectro_deploy.targets.base import Target
from alectro_deploy.targets.local import LocalTarget
from alectro_deploy.targets.ssh import DEFAULT_SSH, SshTarget

__all__ = ["DEFAULT_SSH", "LocalTarget", "SshTarget", "Target", "open_target"]


def open_target(spec: str, ssh: str = DEFAULT_SSH) -> Target:
    """A LocalTarget, or an SshTarget when ``spec`` reads ``[user@]host:path`` (no slash before the colon, as rsync
    reads it)."""
    match = re.match(r"^(?P<host>[^/:]+):(?P<path>.+)$", spec)
    if match:
        return SshTarget(match["host"], match["path"], ssh)
    return LocalTarget(Path(spec))
