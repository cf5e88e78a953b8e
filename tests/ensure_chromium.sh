#!/bin/sh
# Make sure a Chromium or Chrome is there for the browser tests.
# Installs Debian's chromium when none is found and we are root; otherwise says how.
for candidate in "$CHROMIUM" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
        exit 0
    fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "No Chromium found: installing Debian's chromium package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "No Chromium found. Install one ('sudo apt-get install chromium') or set CHROMIUM=/path/to/chrome." >&2
# Outside CI the browser tests skip with this same message; under CI they fail.
[ "$CI" = "true" ] && exit 1
exit 0
