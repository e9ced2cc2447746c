#!/bin/sh
# faultproxy.sh - the fault-injecting TCP proxy of the sync tests
# (tests/tools/faultproxy.h), driven by tests/tools/faultproxy.test.mjs
# against tiny loopback servers; scripts/node-tests prints "N passed, N
# failed". The proxy is taken from beside $MOTCUA (build/ or build/asan/,
# where `make test` builds it), or from $FAULTPROXY.
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
exec ./scripts/node-tests tests/tools/faultproxy.test.mjs
