#!/usr/bin/env bash
# The whole generators table: ns/item (min/median), ratios, sizes; then std's `gen` blocks
# when a nightly toolchain exists (a "skipped" line otherwise). Arguments go to the runner
# (`--n N --repeats R --only W2`); cargo flags for the stable crate go in $FEATURES.
#   benches/generators/run.sh --n 2000000 --repeats 7
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release -q ${FEATURES:-}
"${CARGO_TARGET_DIR:-target}/release/gbench" "$@"
echo
if cargo +nightly --version >/dev/null 2>&1; then
    (cd ../generators-nightly && unset CARGO_TARGET_DIR && cargo +nightly build --release -q && target/release/gbench-nightly "$@")
else
    echo "std gen / nightly Coroutine: skipped (no nightly toolchain)"
fi
