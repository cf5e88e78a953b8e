"""A target in a local directory (or a mounted one): plain file operations, uploads through rsync."""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from alectro_deploy.errors import PublishError
from alectro_deploy.layout import CURRENT, INCOMING, LOCK, RELEASES
from alectro_deploy.targets.base import rsync


class LocalTarget:
    def __init__(self, path: Path):
        self.path = path
        self.label = str(path)

    def current(self) -> str | None:
        link = self.path / CURRENT
        if not link.is_symlink():
            if link.exists():
                raise PublishError(f"{link} exists but is not a symlink: move it away, then publish again")
            return None
        return PurePosixPath(os.readlink(link)).name

    def read(self, relative: str) -> bytes | None:
        try:
            return (self.path / relative).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def entries(self) -> list[str]:
        try:
            return sorted(entry.name for entry in (self.path / RELEASES).iterdir())
        except FileNotFoundError:
            return []

    def write(self, relative: str, data: bytes) -> None:
        temporary = self.path / f".{relative}.{os.getpid()}"
        temporary.write_bytes(data)
        os.replace(temporary, self.path / relative)

    def try_lock(self) -> bool:
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            (self.path / LOCK).mkdir()
        except FileExistsError:
            return False
        return True

    def unlock(self) -> None:
        (self.path / LOCK).rmdir()

    def upload(self, site: Path, name: str, link_dest: str | None) -> None:
        releases = self.path / RELEASES
        releases.mkdir(parents=True, exist_ok=True)
        incoming = releases / (INCOMING + name)
        rsync(site, f"{incoming}/", link_dest, (), f"uploading to {self.label}")
        os.rename(incoming, releases / name)

    def switch(self, name: str) -> None:
        temporary = self.path / f".{CURRENT}.{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(f"{RELEASES}/{name}", target_is_directory=True)
        os.replace(temporary, self.path / CURRENT)

    def remove(self, names: list[str]) -> None:
        for name in names:
            shutil.rmtree(self.path / RELEASES / name)
