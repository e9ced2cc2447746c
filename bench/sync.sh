#!/bin/sh
# bench/sync.sh: section 5 of make bench, sync to the provincial hub
# (docs/sync.md §10). Figures and ratios, no assertions.
# a. A 30-day catch-up: one node makes BENCH_SYNC_EVENTS (10,000) receptions
#    before it is enrolled, then one `sync now` on loopback: batches, bytes
#    on the wire against `zstd -3` of the same canonical event lines, time
#    and events/s next to the hub's own share of it (the push requests'
#    times in the hub's access log: decompress, verify, apply, commit).
# b. Hub ingest: BENCH_SYNC_NODES (20) nodes of BENCH_SYNC_PER (1000)
#    events each push at once to one hub; events/s against one node's
#    engine receptions/s measured here; the hub's peak RSS.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${MOTCUA:-$root/motcua}"
tmp=$(mktemp -d)
hubpid=""
cleanup() { [ -n "$hubpid" ] && kill "$hubpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
nev=${BENCH_SYNC_EVENTS:-10000}
nodes=${BENCH_SYNC_NODES:-20}
per=${BENCH_SYNC_PER:-1000}
port=$(( 20000 + ($$ + 7) % 20000 ))
catalog="$root/data/catalog/commune.jsonl"

now() { date +%s.%N; }
# mknode DIR AGENCY N: a commune node with N receptions made while not enrolled
mknode() {
  "$bin" init --dir "$1" --agency "$2" --name "Xã $2" >/dev/null
  "$bin" catalog import "$catalog" --dir "$1" >/dev/null
  "$bin" test-bench --n "$3" --dir "$1" >/dev/null
}
# hub DIR: a fresh hub served on loopback; sets hubpid
hub() {
  "$bin" init --hub --dir "$1" --agency 000.00.00.H45 --name "Tỉnh Bench" >/dev/null
  "$bin" serve --dir "$1" --listen "127.0.0.1:$port" 2>"$1.log" &
  hubpid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
}
stophub() { kill "$hubpid"; wait "$hubpid" 2>/dev/null || true; hubpid=""; }
# enrol DIR HUBDIR: enrolled and approved
enrol() {
  "$bin" enrol --hub "http://127.0.0.1:$port" --dir "$1" >/dev/null
  key=$(sqlite3 "$1/motcua.db" "select value from setting where key='public_key'")
  "$bin" hub approve "$key" --dir "$2" >/dev/null
}
# field OUTPUT WORDS: the number before WORDS in a `sync now` line
field() { echo "$1" | sed -n "s/.*[^0-9]\([0-9][0-9]*\) $2.*/\1/p; s/^\([0-9][0-9]*\) $2.*/\1/p" | head -n1; }
rss() { awk '/VmHWM/{print $2}' "/proc/$1/status"; }

echo "== sync: a 30-day catch-up (one node, $nev receptions made offline) =="
mknode "$tmp/n0" 000.31.45.H45 "$nev"
hub "$tmp/hub"
enrol "$tmp/n0" "$tmp/hub"
t0=$(now)
out=$("$bin" sync now --dir "$tmp/n0")
t1=$(now)
echo "sync now: $out"
hubrss_a=$(rss "$hubpid")
stophub
events=$(field "$out" "new events")
batches=$(field "$out" "batches")
wire=$(field "$out" "bytes sent")
# The hub's share: the push requests' own times in its access log.
hub_ms=$(awk '$4 == "/api/v1/sync/push" && $5 == 200 { sub(/ms$/, "", $6); s += $6 } END { printf "%.1f", s }' "$tmp/hub.log")
# The same events' canonical lines (sync/evenc.c), checked against their
# stored hashes, then zstd -3 as one stream.
sqlite3 -json "$tmp/n0/motcua.db" \
  "select seq, at, actor, kind, dossier, payload, prev_hash, hash from event order by seq" |
  node -e '
    const crypto = require("crypto"), fs = require("fs");
    const rows = JSON.parse(fs.readFileSync(0, "utf8") || "[]"), s = JSON.stringify;
    let out = "", bad = 0;
    for (const e of rows) {
      const line = `[${e.seq},${s(e.at)},${s(e.actor)},${s(e.kind)},${e.dossier == null ? "null" : s(e.dossier)},${e.payload},${s(e.prev_hash)}]`;
      if (crypto.createHash("sha256").update(line).digest("hex") !== e.hash) bad++;
      out += line + "\n";
    }
    fs.writeFileSync(process.argv[1], out);
    if (bad) console.log(`warning: ${bad} of ${rows.length} lines do not hash to their stored hash`);
  ' "$tmp/lines"
logged=$(wc -l <"$tmp/lines")
raw=$(wc -c <"$tmp/lines")
zst=$(zstd -3 -q -c "$tmp/lines" | wc -c)
awk -v ev="$events" -v lg="$logged" -v b="$batches" -v w="$wire" -v r="$raw" -v z="$zst" \
    -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v h="$hub_ms" -v rss="$hubrss_a" 'BEGIN {
  printf "events acknowledged:                %d (the node log holds %d)\n", ev, lg
  printf "batches:                            %d\n", b
  printf "bytes on the wire (pushed):         %d   (%.1f per event)\n", w, w / ev
  printf "canonical lines, plain / zstd -3:   %d / %d bytes\n", r, z
  printf "ratio wire / zstd -3:               %.2f   (aim <= 1.2)\n", w / z
  printf "catch-up time:                      %.2f s   (%.0f events/s)\n", t, ev / t
  printf "hub time in the push requests:      %.2f s   (%.0f events/s, aim >= 20000)\n", h / 1000, ev / (h / 1000)
  printf "ratio catch-up / hub apply rate:    %.2f\n", (ev / t) / (ev / (h / 1000))
  printf "hub peak RSS:                       %.1f MB\n", rss / 1024
}'

echo
echo "== sync: hub ingest from $nodes nodes at once ($per receptions each) =="
eng_out=$("$bin" test-bench --n "$per" --dir "$tmp/n0")
engine=$(echo "$eng_out" | sed -n 's/^engine receptions\/s: *\([0-9]*\).*/\1/p')
echo "one node's engine receptions/s:     $engine"
i=1
while [ "$i" -le "$nodes" ]; do
  mknode "$tmp/m$i" "$(printf '000.31.%02d.H45' "$i")" "$per"
  i=$((i + 1))
done
hub "$tmp/hub2"
i=1
while [ "$i" -le "$nodes" ]; do enrol "$tmp/m$i" "$tmp/hub2"; i=$((i + 1)); done
t0=$(now)
i=1
while [ "$i" -le "$nodes" ]; do
  "$bin" sync now --dir "$tmp/m$i" >"$tmp/m$i.out" 2>&1 &
  pids="${pids:-} $!"
  i=$((i + 1))
done
wait_fail=0
for p in $pids; do wait "$p" || wait_fail=$((wait_fail + 1)); done
t1=$(now)
hubrss_b=$(rss "$hubpid")
total=0 left=0
i=1
while [ "$i" -le "$nodes" ]; do
  o=$(cat "$tmp/m$i.out")
  total=$((total + $(field "$o" "new events")))
  left=$((left + $(field "$o" "waiting")))
  i=$((i + 1))
done
stophub
[ "$wait_fail" -eq 0 ] || echo "warning: $wait_fail of $nodes sync runs failed: $(cat "$tmp"/m*.out | grep -v batches | head -n3)"
[ "$left" -eq 0 ] || echo "warning: $left events still waiting after the round"
awk -v n="$total" -v e="$engine" -v rss="$hubrss_b" \
    -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" 'BEGIN {
  printf "events acknowledged:                %d in %.2f s\n", n, t
  printf "hub ingest:                         %.0f events/s\n", n / t
  printf "ratio hub ingest / engine:          %.1f   (aim >= 10)\n", (n / t) / e
  printf "hub peak RSS:                       %.1f MB\n", rss / 1024
}'
