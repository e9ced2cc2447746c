#!/bin/sh
# api.sh - runs the HTTP API tests (tests/api/*.test.mjs, Node's test runner)
# against $MOTCUA and turns the runner's totals into "N passed, N failed".
set -u
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cd "$ROOT" || exit 1
node --test --test-concurrency=1 tests/api/ >"$out" 2>&1
rc=$?
grep -E '^not ok|^# (pass|fail)|Error|error:' "$out" | head -n 60
pass=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$out" | tail -n 1)
fail=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$out" | tail -n 1)
[ -n "$pass" ] || { tail -n 40 "$out"; pass=0; fail=1; }
[ "$rc" -ne 0 ] && [ "${fail:-0}" -eq 0 ] && fail=1
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
