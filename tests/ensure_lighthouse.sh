#!/bin/sh
# The checkers npm brings, as tests/lighthouse/package.json pins them: Lighthouse, for the accessibility test of
# the policy page (tests/browser/test_consent_layout.py), and the Nu HTML validator (vnu-jar, run with Java:
# tests/build/test_checkers.py); every dependency as the lock file pins it, installed with npm into
# tests/lighthouse/node_modules/ (git-ignored). Lighthouse 12 runs on node 18.16+.
dir="$(dirname "$0")/lighthouse"
if ! command -v java >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Missing for the tests: java (for the Nu HTML validator); installing Debian's default-jre-headless" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
fi
if ! command -v java >/dev/null 2>&1; then
    echo "java is missing, so is the Nu HTML validator for the tests: 'sudo apt-get install default-jre-headless'." >&2
    [ "$CI" = "true" ] && exit 1
fi
bin="$dir/node_modules/.bin/lighthouse"
# Installed and no older than the lock file: nothing to do.
[ -x "$bin" ] && [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
    # A fresh Debian (CI's container) as root: Debian's node (18.19 in bookworm) is new enough.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Missing for the tests: npm; installing Debian's packages" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing, so is Lighthouse for the tests: install node and npm ('sudo apt-get install npm') and rerun 'make test'." >&2
    # Outside CI the Lighthouse test then fails with this same advice; under CI make test stops here.
    [ "$CI" = "true" ] && exit 1
    exit 0
fi
echo "Installing Lighthouse for the tests into tests/lighthouse/node_modules/" >&2
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
