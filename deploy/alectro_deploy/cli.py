"""``python -m alectro_deploy publish|rollback|live-editions``: what ``make publish`` and ``make rollback`` run.

    python -m alectro_deploy publish --site site --target deploy@alectro.ru:/srv/alectro.ru/privacy
    python -m alectro_deploy rollback --target deploy@alectro.ru:/srv/alectro.ru/privacy

Exit codes: 0 done, 1 refused or failed (the message says why; a refused publish changed nothing at the
target), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from alectro_deploy.errors import PublishError
from alectro_deploy.publish import publish, rollback, save_live_editions
from alectro_deploy.targets import DEFAULT_SSH, open_target

PROG = "python -m alectro_deploy"
DEFAULT_KEEP = 5


def _head_commit() -> str | None:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Publish the built site as an atomic release, guarded against rewriting published editions; "
        "roll back.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    target_help = "a local directory or user@host:/path (rsync over ssh)"
    ssh_help = f"the ssh command for a remote target (default: $PUBLISH_SSH or '{DEFAULT_SSH}')"
    ssh_default = os.environ.get("PUBLISH_SSH", DEFAULT_SSH)

    publishing = commands.add_parser("publish", help="upload the built site as a new release and make it live")
    publishing.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    publishing.add_argument("--target", required=True, help=target_help)
    publishing.add_argument(
        "--keep", type=int, default=DEFAULT_KEEP, help=f"releases to keep (default: {DEFAULT_KEEP})"
    )
    publishing.add_argument(
        "--allow-history-rewrite",
        action="store_true",
        help="publish even if published editions would be dropped or changed (a deliberate correction)",
    )
    publishing.add_argument("--commit", help="the commit being published, for the release's name (default: git HEAD)")
    publishing.add_argument("--ssh", default=ssh_default, help=ssh_help)

    live = commands.add_parser(
        "live-editions",
        help="save the live editions.json, for a build that keeps every published edition (make publish)",
    )
    live.add_argument("--target", required=True, help=target_help)
    live.add_argument("--out", type=Path, required=True, help="where to write it (not written when none is live)")
    live.add_argument("--ssh", default=ssh_default, help=ssh_help)

    rolling = commands.add_parser("rollback", help="make the release before the live one live again")
    rolling.add_argument("--target", required=True, help=target_help)
    rolling.add_argument("--ssh", default=ssh_default, help=ssh_help)
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = parser()
    args = arguments.parse_args(argv)
    target = open_target(args.target, args.ssh)
    try:
        if args.command == "publish":
            if args.keep < 2:
                arguments.error("--keep must be at least 2, so that there is a release to roll back to")
            publish(
                args.site,
                target,
                keep=args.keep,
                allow_history_rewrite=args.allow_history_rewrite,
                commit=args.commit or _head_commit(),
                now=datetime.now(UTC),
            )
        elif args.command == "live-editions":
            save_live_editions(target, args.out)
        else:
            rollback(target)
    except (PublishError, OSError) as error:
        print(f"alectro_deploy {args.command}: {error}", file=sys.stderr)
        return 1
    return 0
