#!/bin/sh
# Lighthouse, for the accessibility test of the policy page (tests/browser/test_consent_layout.py):
# the version in tests/lighthouse/package.json, every dependency as its lock file pins it, installed
# with npm into tests/lighthouse/node_modules/ (git-ignored). Lighthouse 12 runs on node 18.16+.
dir="$(dirname "$0")/lighthouse"
bin="$dir/node_modules/.bin/lighthouse"
# Installed and no older than the lock file: nothing to do.
[ -x "$bin" ] && [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing, so is Lighthouse for the tests: install node and npm ('sudo apt-get install npm') and rerun 'make test'." >&2
    [ "$CI" = "true" ] && exit 1
    exit 0
fi
echo "Installing Lighthouse for the tests into tests/lighthouse/node_modules/" >&2
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
