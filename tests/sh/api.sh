#!/bin/sh
# api.sh - runs the HTTP API tests (tests/api/*.test.mjs, Node's test runner)
# against $MOTCUA; scripts/node-tests prints "N passed, N failed".
set -u
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT" || exit 1
exec ./scripts/node-tests tests/api/
