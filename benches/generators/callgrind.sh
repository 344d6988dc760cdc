#!/usr/bin/env bash
# Instructions per item for each workload/implementation, counted by callgrind (deterministic).
#
#   benches/generators/callgrind.sh [PREFIX] [N]     e.g. callgrind.sh W4   or   callgrind.sh W1/ours
#
# Each case runs alone (`gbench --once W?/impl`); only `bench_region` (build the generator and
# fold it, nothing else: not the tree construction of W3/W6) is counted, via --toggle-collect.
# Ratio = instructions per item / those of `hand` for the same workload.
# Extra cargo flags (e.g. --features ours-w6) go in $FEATURES. NIGHTLY=1 counts the std
# `gen`/`Coroutine` cases of ../generators-nightly instead (skipped without `cargo +nightly`).
set -euo pipefail
cd "$(dirname "$0")"
prefix="${1:-}"
n="${2:-1000000}"
if [[ -n "${NIGHTLY:-}" ]]; then
    if ! cargo +nightly --version >/dev/null 2>&1; then
        echo "std gen / nightly Coroutine: skipped (no nightly toolchain)"
        exit 0
    fi
    (cd ../generators-nightly && unset CARGO_TARGET_DIR && cargo +nightly build --release -q)
    bin=../generators-nightly/target/release/gbench-nightly
else
    cargo build --release -q ${FEATURES:-}
    bin="${CARGO_TARGET_DIR:-target}/release/gbench"
fi
echo "| workload | impl | instructions/item | ratio to hand |"
echo "|---|---|---:|---:|"
hand=""
while IFS= read -r case; do
    [[ "$case" == "$prefix"* ]] || continue
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*bench_region*' \
        "$bin" --once "$case" --n "$n" 2>&1 </dev/null)
    ir=$(grep -oP 'Collected : \K[0-9]+' <<<"$out")
    items=$(grep -oP 'items=\K[0-9]+' <<<"$out")
    per=$(awk -v a="$ir" -v b="$items" 'BEGIN { printf "%.2f", a / b }')
    w=${case%%/*}
    imp=${case#*/}
    if [[ "$imp" == hand ]]; then hand=$per; fi
    ratio=$(awk -v a="$per" -v h="${hand:-0}" 'BEGIN { if (h > 0) printf "%.2fx", a / h; else print "-" }')
    echo "| $w | $imp | $per | $ratio |"
done < <("$bin" --list)
