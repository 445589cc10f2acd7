#!/bin/sh
# Real-browser tests of the web interface: tests/browser/run.sh ISNAD_BINARY
# Needs node (>= 18), npm and Chromium (/usr/bin/chromium, or ISNAD_CHROMIUM=path).
# Installs playwright-core from package-lock.json on first use (npm's cache makes later
# installs offline); the tests start `ISNAD_BINARY serve` on a temporary store.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: $0 ISNAD_BINARY" >&2
  exit 2
fi
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$binary" ] || { echo "$0: $1 is not an executable" >&2; exit 2; }
# Exit 77 (ctest's SKIP_RETURN_CODE) when the browser stack is not installed.
chromium=${ISNAD_CHROMIUM:-/usr/bin/chromium}
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool not found; skipping the browser tests" >&2; exit 77; }
done
[ -x "$chromium" ] || { echo "$0: $chromium not found; skipping the browser tests" >&2; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
if [ ! -f node_modules/playwright-core/package.json ]; then
  npm ci --prefer-offline --no-audit --no-fund
fi
ISNAD_BINARY="$binary" exec node --test ui.test.mjs
