#!/bin/sh
# fuzz.sh - replays each committed fuzz corpus fuzz/corpus/<target>/ through
# the gcc build of its target, <build>/fuzz/<target> (fuzz/replay.c), next to
# $MOTCUA. Every input counts as one test; a target that crashes counts one
# failure and names the input (replay names each input before running it).
set -u
M=${MOTCUA:?}
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=$(cd "$(dirname "$M")" && pwd)
cd "$ROOT" || exit 1
pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for dir in fuzz/corpus/*/; do
	[ -d "$dir" ] || continue
	dir=${dir%/}
	name=$(basename "$dir")
	bin=$BUILD/fuzz/$name
	if [ ! -x "$bin" ]; then
		fail=$((fail + 1))
		echo "FAIL: $bin missing: run make test"
		continue
	fi
	"$bin" "$dir" > "$out" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$line" ]; then
		pass=$((pass + $(echo "$line" | cut -d' ' -f1)))
	else
		[ -n "$line" ] && pass=$((pass + $(echo "$line" | cut -d' ' -f1)))
		fail=$((fail + 1))
		echo "FAIL: fuzz/$name (exit $rc) on $(grep '^replay: ' "$out" | tail -n 1 | cut -c9-)"
		grep -E 'invariant failed|ERROR|runtime error' "$out" | head -n 5
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
