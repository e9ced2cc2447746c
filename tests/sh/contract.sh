#!/bin/sh
# contract.sh - the API contract of issue 16 outside the API tests, against
# $MOTCUA: every route has its contract (`motcua openapi --check`), the
# document the binary prints passes `redocly lint` (redocly.yaml) with 0
# errors and 0 warnings, docs/api-reference.md is what
# scripts/api-reference.mjs makes of it (and the README links it), and the
# client generated from it works (tests/client: openapi-typescript, tsc,
# openapi-fetch against a fresh demo node). Prints "N passed, N failed".
# Installs the npm packages from the lockfile first when they are missing.
set -u
M=${MOTCUA:?}
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./scripts/npm-deps || { echo "0 passed, 1 failed"; exit 1; }

# Every route of the route table has its contract.
if "$M" openapi --check >"$tmp/check" 2>&1; then ok; else ko "motcua openapi --check:"; head -n 40 "$tmp/check"; fi

# redocly lint: 0 errors, 0 warnings. No telemetry, no update check.
if ! "$M" openapi >"$tmp/openapi.json"; then ko "motcua openapi failed"; fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
./node_modules/.bin/redocly lint "$tmp/openapi.json" --config redocly.yaml --format=json >"$tmp/lint.json" 2>"$tmp/lint.err"
if node -e '
const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).totals;
process.exit(t.errors === 0 && t.warnings === 0 ? 0 : 1);' "$tmp/lint.json" 2>/dev/null; then
  ok
else
  ko "redocly lint of \`motcua openapi\` (redocly.yaml):"
  ./node_modules/.bin/redocly lint "$tmp/openapi.json" --config redocly.yaml --format=stylish 2>&1 | grep -v '^ *$' | grep -v '║\|╔\|╚' | head -n 60
fi

# The reference a person reads is fresh, and linked from the README.
if node scripts/api-reference.mjs "$tmp/openapi.json" >"$tmp/ref.md" && cmp -s "$tmp/ref.md" docs/api-reference.md; then
  ok
else
  ko "docs/api-reference.md is out of date: run 'make docs'"
  diff -u docs/api-reference.md "$tmp/ref.md" | head -n 20
fi
if grep -q '(docs/api-reference.md)' README.md; then ok; else ko "README.md does not link docs/api-reference.md"; fi
if grep -Eq 'https?://' docs/api-reference.md; then ko "docs/api-reference.md names an outside host"; else ok; fi

# The generated client (node --test; its totals join ours).
node --test --test-concurrency=1 tests/client/ >"$tmp/client" 2>&1
rc=$?
p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$tmp/client" | tail -n 1)
f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$tmp/client" | tail -n 1)
if [ -z "$p" ]; then
  ko "tests/client: no totals"; tail -n 30 "$tmp/client"
else
  [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
  pass=$((pass + p)); fail=$((fail + f))
  [ "$f" -ne 0 ] && grep -E '^not ok|error:|TS[0-9]+' "$tmp/client" | head -n 40
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
