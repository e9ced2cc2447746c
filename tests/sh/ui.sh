#!/bin/sh
# ui.sh - runs the browser tests (tests/ui/*.test.mjs: Node's test runner,
# playwright-core driving Debian's chromium headless) against $MOTCUA and
# turns the runner's totals into "N passed, N failed". Installs the npm
# packages from the lockfile first when node_modules is missing.
set -u
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cd "$ROOT" || exit 1
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund >"$out" 2>&1 || { tail -n 20 "$out"; echo "0 passed, 1 failed"; exit 1; }
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "chromium is not installed (apt-get install chromium)"
  echo "0 passed, 1 failed"
  exit 1
fi
mkdir -p build/screenshots
exec ./scripts/node-tests tests/ui/
