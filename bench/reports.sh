#!/bin/sh
# bench/reports.sh - make bench section 9: the supervision reports (issue
# 13) over BENCH_REPORTS_N (default 1,000,000) made-up dossiers with their
# events, across BENCH_REPORTS_AGENCIES (default 100) communes received
# over two years: Biểu II.06a and the Decision 766 scorecard of the year
# ending today, commune by commune, each next to an indexed count(*) of the
# same rows in the same run (aim: each under 0.5 s); memory; database size.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${MOTCUA:-$root/motcua}"
n=${BENCH_REPORTS_N:-1000000}
agencies=${BENCH_REPORTS_AGENCIES:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" init --dir "$tmp/node" --agency 000.31.45.H45 --name "Xã Bench" >/dev/null
"$bin" catalog import "$root/data/catalog/commune.jsonl" --dir "$tmp/node" >/dev/null
echo "== supervision reports over $n dossiers of $agencies communes =="
"$bin" test-bench-reports --n "$n" --agencies "$agencies" --dir "$tmp/node"
printf 'database size: %s MB\n' "$(du -m "$tmp/node/motcua.db" | cut -f1)"
