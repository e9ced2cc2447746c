#!/bin/sh
# sync.sh - the sync harness (docs/sync.md §10): a hub and commune nodes on
# loopback, a fault-injecting proxy (tests/tools/faultproxy) between each
# node and the hub, SIGKILL at random moments, and the end-state checks.
# SYNC_SOAK_SECONDS sets the length of the fault phase (make soak: 600);
# the short version in make test runs a few tens of seconds.
set -u
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT" || exit 1
if [ -z "${FAULTPROXY:-}" ]; then
	FAULTPROXY=$(dirname "${MOTCUA:-$ROOT/build/motcua}")/tests/tools/faultproxy
	[ -x "$FAULTPROXY" ] || FAULTPROXY=$ROOT/build/tests/tools/faultproxy
fi
if [ ! -x "$FAULTPROXY" ]; then
	echo "FAIL: no faultproxy at $FAULTPROXY (make faultproxy)"
	echo "0 passed, 1 failed"
	exit 1
fi
export FAULTPROXY
./scripts/npm-deps || { echo "0 passed, 1 failed"; exit 1; }
exec ./scripts/node-tests tests/sync/
