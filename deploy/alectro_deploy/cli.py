"""``python -m alectro_deploy publish|rollback|record-live``: what ``make publish`` and ``make rollback`` run.

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
from alectro_deploy.publish import publish, record_live, rollback
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

    record_help = "where to push the record of the publish, the tag published/N (default: $RECORD_REMOTE, else none)"
    publishing.add_argument(
        "--repository", type=Path, help="the git clone built: checked against and recorded in (make publish: .)"
    )
    publishing.add_argument("--record-remote", default=os.environ.get("RECORD_REMOTE"), help=record_help)

    live = commands.add_parser(
        "record-live",
        help="record the live release's editions.json as the next tag published/N (a site published before the "
        "record was kept, or a publish whose tag was not pushed)",
    )
    live.add_argument("--target", required=True, help=target_help)
    live.add_argument("--repository", type=Path, required=True, help="the git clone to record in (make: .)")
    live.add_argument("--record-remote", default=os.environ.get("RECORD_REMOTE"), help=record_help)
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
                repository=args.repository,
                record_remote=args.record_remote or None,
            )
        elif args.command == "record-live":
            record_live(target, args.repository, args.record_remote or None)
        else:
            rollback(target)
    except (PublishError, OSError) as error:
        print(f"alectro_deploy {args.command}: {error}", file=sys.stderr)
        return 1
    return 0
