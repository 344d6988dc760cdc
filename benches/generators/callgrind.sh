#!/usr/bin/env bash
# Instructions per item for each workload/implementation, counted by callgrind (deterministic).
#
#   benches/generators/callgrind.sh [PREFIX] [N]     e.g. callgrind.sh W4   or   callgrind.sh W1/ours
#
# Each case runs alone (`gbench --once W?/impl`); only `bench_region` (build the generator and
# fold it, nothing else: not the tree construction of W3/W6) is counted, via --toggle-collect.
# Ratio = instructions per item / those of `hand` for the same workload.
# Extra cargo flags (e.g. --features ours-w6) go in $FEATURES.
set -euo pipefail
cd "$(dirname "$0")"
prefix="${1:-}"
n="${2:-1000000}"
cargo build --release -q ${FEATURES:-}
bin=target/release/gbench
echo "| workload | impl | instructions/item | ratio to hand |"
echo "|---|---|---:|---:|"
hand=""
for case in $($bin --list); do
    [[ "$case" == "$prefix"* ]] || continue
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*bench_region*' \
        "$bin" --once "$case" --n "$n" 2>&1)
    ir=$(grep -oP 'Collected : \K[0-9]+' <<<"$out")
    items=$(grep -oP 'items=\K[0-9]+' <<<"$out")
    per=$(awk -v a="$ir" -v b="$items" 'BEGIN { printf "%.2f", a / b }')
    w=${case%%/*}
    imp=${case#*/}
    if [[ "$imp" == hand ]]; then hand=$per; fi
    ratio=$(awk -v a="$per" -v h="${hand:-0}" 'BEGIN { if (h > 0) printf "%.2fx", a / h; else print "-" }')
    echo "| $w | $imp | $per | $ratio |"
done
