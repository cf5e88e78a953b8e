#!/bin/sh
# Make sure the programs the tests drive are there: a Chromium or Chrome for the browser tests, and
# nginx, rsync, faketime, logrotate and openssl (a local time-stamping authority, `openssl ts`) for the publishing
# and consent-log tests (tests/deploy/).
# Installs the missing Debian packages when we are root; otherwise says how.
missing=""
found_chromium=""
for candidate in "$CHROMIUM" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
        found_chromium=yes
        break
    fi
done
[ -n "$found_chromium" ] || missing="chromium"
{ [ -n "$NGINX" ] && [ -x "$NGINX" ]; } || [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing="$missing nginx"
command -v rsync >/dev/null 2>&1 || missing="$missing rsync"
command -v faketime >/dev/null 2>&1 || missing="$missing faketime"
[ -x /usr/sbin/logrotate ] || command -v logrotate >/dev/null 2>&1 || missing="$missing logrotate"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Missing for the tests:$missing; installing Debian's packages" >&2
    # shellcheck disable=SC2086 (one word per package)
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
fi
echo "Missing for the tests:$missing. Install them ('sudo apt-get install$missing'), or set CHROMIUM=/path/to/chrome." >&2
# Outside CI the tests that need them skip with this same advice; under CI they fail.
[ "$CI" = "true" ] && exit 1
exit 0
