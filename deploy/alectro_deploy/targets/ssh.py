"""A target on another machine, ``[user@]host:path``: each operation is one short POSIX shell script run over
ssh, uploads go through rsync over the same ssh command."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path, PurePosixPath

from alectro_deploy.errors import PublishError
from alectro_deploy.layout import CURRENT, INCOMING, LOCK, RELEASES
from alectro_deploy.targets.base import rsync

DEFAULT_SSH = "ssh -o BatchMode=yes"


class SshTarget:
    _MISSING = 44  # the scripts' exit status for "no such file", told apart from ssh's own 255

    def __init__(self, host: str, path: str, ssh: str = DEFAULT_SSH):
        # ssh and rsync start in the home directory, so "~/x" is the relative "x" to both (quoted, "~" is not expanded).
        path = "." if path in ("~", "~/") else path[2:] if path.startswith("~/") else path
        self.host, self.path, self.ssh_command = host, path, ssh
        self.label = f"{host}:{path}"

    def _sh(
        self, script: str, *args: str, missing_ok: bool = False, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        # ssh hands the remote shell one string: quote every word so paths with spaces survive.
        remote = shlex.join(["sh", "-c", script, "sh", self.path, *args])
        result = subprocess.run([*shlex.split(self.ssh_command), self.host, remote], capture_output=True, input=stdin)
        if result.returncode != 0 and not (missing_ok and result.returncode == self._MISSING):
            raise PublishError(f"{self.label}: `{script}` failed: {result.stderr.decode(errors='replace').strip()}")
        return result

    def current(self) -> str | None:
        result = self._sh(
            f'if [ -L "$1/{CURRENT}" ]; then readlink "$1/{CURRENT}"; '
            f'elif [ -e "$1/{CURRENT}" ]; then echo "$1/{CURRENT} is not a symlink: move it away" >&2; exit 1; '
            f"else exit {self._MISSING}; fi",
            missing_ok=True,
        )
        return PurePosixPath(result.stdout.decode().strip()).name if result.returncode == 0 else None

    def read(self, relative: str) -> bytes | None:
        script = f'if [ -f "$1/$2" ]; then cat "$1/$2"; else exit {self._MISSING}; fi'
        result = self._sh(script, relative, missing_ok=True)
        return result.stdout if result.returncode == 0 else None

    def entries(self) -> list[str]:
        result = self._sh(f'if [ -d "$1/{RELEASES}" ]; then ls -1A "$1/{RELEASES}"; fi')
        return sorted(result.stdout.decode().split())

    def write(self, relative: str, data: bytes) -> None:
        self._sh('cat > "$1/.$2.$$" && mv -f "$1/.$2.$$" "$1/$2"', relative, stdin=data)

    def try_lock(self) -> bool:
        script = f'mkdir -p "$1" && {{ mkdir "$1/{LOCK}" 2>/dev/null || exit {self._MISSING}; }}'
        return self._sh(script, missing_ok=True).returncode == 0

    def unlock(self) -> None:
        self._sh(f'rmdir "$1/{LOCK}"')

    def upload(self, site: Path, name: str, link_dest: str | None) -> None:
        self._sh(f'mkdir -p "$1/{RELEASES}"')
        incoming = INCOMING + name
        destination = f"{self.host}:{self.path.rstrip('/')}/{RELEASES}/{incoming}/"
        rsync(site, destination, link_dest, ("--rsh", self.ssh_command), f"uploading to {self.label}")
        self._sh(f'mv -T "$1/{RELEASES}/$2" "$1/{RELEASES}/$3"', incoming, name)

    def switch(self, name: str) -> None:
        self._sh(f'cd "$1" && ln -sfn "{RELEASES}/$2" ".{CURRENT}.$$" && mv -T ".{CURRENT}.$$" {CURRENT}', name)

    def remove(self, names: list[str]) -> None:
        if names:
            self._sh(f'cd "$1/{RELEASES}" && shift && rm -rf -- "$@"', *names)
