#!/bin/sh
# bench/search.sh - make bench section 7: full-text search p50/p99 over
# BENCH_SEARCH_N (default 100,000) made-up dossiers, each with a page of
# scanned text in the index, next to the dossier list's own filter (a
# folded substring scan of name, code, ID, summary) on the same words in
# the same run.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${MOTCUA:-$root/motcua}"
n=${BENCH_SEARCH_N:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" init --dir "$tmp/node" --agency 000.31.45.H45 --name "Xã Bench" >/dev/null
"$bin" catalog import "$root/data/catalog/commune.jsonl" --dir "$tmp/node" >/dev/null
echo "== full-text search over $n dossiers with scanned text =="
"$bin" test-bench-search --n "$n" --dir "$tmp/node"
printf 'database size: %s MB\n' "$(du -m "$tmp/node/motcua.db" | cut -f1)"
