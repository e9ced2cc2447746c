#!/bin/sh
# bench/forms.sh - make bench section 6: printed forms per second over HTTP
# (wrk, loopback, a bearer token) for the receipt (form 1, A5 with its QR
# code), the process-control sheet (form 6) and a month's register (form 7,
# A4, many pages), next to GET of the same dossier as JSON in the same run
# (the baseline: what the request costs without the PDF).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${MOTCUA:-$root/motcua}"
dur=${BENCH_SECONDS:-5}
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is not installed: skipping the forms figures"; exit 0; }

"$bin" init --dir "$tmp/node" --demo >/dev/null
token=$("$bin" token create tiepnhan --dir "$tmp/node" 2>/dev/null)
code=$(sqlite3 "$tmp/node/motcua.db" "SELECT code FROM dossier WHERE status = 'returned' ORDER BY code LIMIT 1")
month=$(sqlite3 "$tmp/node/motcua.db" "SELECT count(*) FROM dossier WHERE received_at >= strftime('%s', 'now', 'start of month', '-7 hours')")
port=$(( 20000 + ($$ + 7) % 20000 ))
"$bin" serve --dir "$tmp/node" --listen "127.0.0.1:$port" 2>"$tmp/access.log" &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
base="http://127.0.0.1:$port"
cat > "$tmp/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
run() { # name path -> rps
  out=$(wrk -t2 -c4 -d"${dur}s" --latency -s "$tmp/auth.lua" "$base$2")
  rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  errs=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
  printf '%-40s %8.1f req/s   p50 %-9s p99 %-9s%s\n' "$1" "$rps" "$p50" "$p99" "${errs:+  non-2xx: $errs}"
}
enc=$(printf '%s' "$code" | sed 's/ /%20/g')
echo "== printed forms over HTTP (wrk -t2 -c4, ${dur}s each; demo commune) =="
run "GET dossier JSON (baseline)" "/api/v1/dossiers/$enc"; json=$rps
run "GET form 1 receipt PDF" "/api/v1/dossiers/$enc/forms/1.pdf"; f1=$rps
run "GET form 6 control sheet PDF" "/api/v1/dossiers/$enc/forms/6.pdf"; f6=$rps
run "GET register PDF (this month: $month rows)" "/api/v1/register.pdf"; f7=$rps
size1=$(curl -fs -H "Authorization: Bearer $token" "$base/api/v1/dossiers/$enc/forms/1.pdf" | wc -c)
rss=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
awk -v j="$json" -v a="$f1" -v b="$f6" -v r="$rss" -v s="$size1" 'BEGIN {
  printf "ratio receipt PDF / dossier JSON:     %.2f\n", a / j
  printf "ratio control sheet / dossier JSON:   %.2f\n", b / j
  printf "receipt PDF size:                     %.1f KB\n", s / 1024
  printf "server peak RSS:                      %.1f MB\n", r / 1024
}'
