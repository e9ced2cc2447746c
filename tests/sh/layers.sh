#!/bin/sh
# layers.sh - layers depend downward only (DESIGN.md §3): http and cli reach
# the node through app.h alone, never the store. Every file of src/http and
# src/cli is checked, and the app headers they may include, so that a store
# header cannot come in through them either.
set -u
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }

# What a file above the store must not include: store headers (by path or
# bare name), the app's private header, SQLite itself.
FORBIDDEN='^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]((store/)?(st|ev|st_int)\.h|store/[^">]*|(app/)?[a-z_]*_int\.h|sqlite3\.h)[">]'
# app/*_int.h is the app's own business; http/http_int.h is http's.
own_int() { case "$1" in */http/*) grep -E "$FORBIDDEN" "$1" | grep -v 'http/http_int\.h' ;; *) grep -E "$FORBIDDEN" "$1" ;; esac; }

# check FILE: one test
check() {
	bad=$(own_int "$1")
	if [ -n "$bad" ]; then no "${1#"$ROOT"/} includes $(echo "$bad" | head -n 1 | sed 's/^[[:space:]]*//')"; else ok; fi
}

# The check itself must catch a planted include (else it passes vacuously).
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/http"
for line in '#include "store/st.h"' '#  include "st.h"' '#include "app/app_int.h"' '#include <sqlite3.h>' '#include "store/ev.h"'; do
	printf '%s\n' "$line" >"$T/http/x.c"
	if [ -n "$(own_int "$T/http/x.c")" ]; then ok; else no "the check misses: $line"; fi
done
for line in '#include "app/app.h"' '#include "http/http_int.h"' '#include "core/txt.h"'; do
	printf '%s\n' "$line" >"$T/http/x.c"
	if [ -z "$(own_int "$T/http/x.c")" ]; then ok; else no "the check refuses: $line"; fi
done

n=0
for f in "$ROOT"/src/http/*.c "$ROOT"/src/http/*.h "$ROOT"/src/cli/*.c "$ROOT"/src/cli/*.h; do
	[ -f "$f" ] || continue
	check "$f"
	n=$((n + 1))
done
[ "$n" -ge 10 ] && ok || no "only $n files found under src/http and src/cli"
# The doc layer knows neither SQL nor HTTP (DESIGN.md §3): no store, app
# or http header, no SQLite, no libmicrohttpd.
DOC_FORBIDDEN='^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]((store|app|http)/[^">]*|sqlite3\.h|microhttpd\.h)[">]'
printf '%s\n' '#include "http/http.h"' >"$T/x.c"
if grep -qE "$DOC_FORBIDDEN" "$T/x.c"; then ok; else no "the doc check misses an http include"; fi
nd=0
for f in "$ROOT"/src/doc/*.c "$ROOT"/src/doc/*.h; do
	[ -f "$f" ] || continue
	bad=$(grep -E "$DOC_FORBIDDEN" "$f")
	if [ -n "$bad" ]; then no "${f#"$ROOT"/} includes $(echo "$bad" | head -n 1)"; else ok; fi
	nd=$((nd + 1))
done
[ "$nd" -ge 3 ] && ok || no "only $nd files found under src/doc"
# The app headers http and cli include: the public ones.
for f in "$ROOT"/src/app/*.h; do
	case "$f" in *_int.h) continue ;; esac
	check "$f"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
