#!/bin/sh
# docs.sh - docs/cli.md is what `motcua help-markdown` prints, and every
# listed command answers `motcua help COMMAND`.
set -u
M=${MOTCUA:?}
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
pass=0
fail=0
if "$M" help-markdown | cmp -s - "$ROOT/docs/cli.md"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: docs/cli.md is out of date: run 'make docs'"
fi
if "$M" permissions-markdown | cmp -s - "$ROOT/docs/permissions.md"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: docs/permissions.md is out of date: run 'make docs'"
fi
if "$ROOT/scripts/routes-doc" "$M" "$ROOT/docs/api.md" | cmp -s - "$ROOT/docs/api.md"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: the endpoint table of docs/api.md is out of date: run 'make docs'"
fi
for cmd in $("$M" help-markdown | sed -n 's/^## motcua //p' | tr ' ' '_'); do
	# shellcheck disable=SC2046
	if "$M" help $(echo "$cmd" | tr '_' ' ') >/dev/null 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: motcua help $cmd"
	fi
done
for f in README.md docs/events.md docs/catalog-format.md docs/permissions.md; do
	if [ -s "$ROOT/$f" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $f missing"; fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
