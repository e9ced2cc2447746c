#!/bin/sh
# api.sh - runs the HTTP API tests (tests/api/*.test.mjs, Node's test runner)
# against $MOTCUA; scripts/node-tests prints "N passed, N failed". Installs
# the npm packages from the lockfile first when node_modules lacks them (the
# harness validates every answer with ajv: scripts/npm-deps).
set -u
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT" || exit 1
./scripts/npm-deps || { echo "0 passed, 1 failed"; exit 1; }
exec ./scripts/node-tests tests/api/
