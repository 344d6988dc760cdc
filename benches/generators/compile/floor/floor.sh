#!/usr/bin/env bash
# Floors for the expansion figure of compile.sh (nightly only: uses -Z time-passes).
# `idm::identity` parses the 300-line function with syn and prints it back; `idm::big_output`
# prints it 18 times (the size of our expansion of it). Input: gen_big.py's plain body.
#   benches/generators/compile/floor/floor.sh [REPEATS]
set -euo pipefail
unset CARGO_TARGET_DIR
here="$(cd "$(dirname "$0")" && pwd)"
repeats="${1:-5}"
scratch="$here/../../target/compile-floor"
rm -rf "$scratch"
mkdir -p "$scratch/use/src"
cp -r "$here/idm" "$scratch/idm"
printf '[workspace]\nmembers = ["idm", "use"]\nresolver = "2"\n' > "$scratch/Cargo.toml"
printf '[package]\nname = "use"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nidm = { path = "../idm" }\n' \
    > "$scratch/use/Cargo.toml"
cd "$scratch"
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for attr in identity big_output; do
    python3 "$here/../gen_big.py" plain 2>/dev/null \
        | sed "s/^pub fn big(n: u64) {/#[idm::$attr]\npub fn big(n: u64) {/" > use/src/lib.rs
    for _ in $(seq "$repeats"); do
        touch use/src/lib.rs
        cargo +nightly rustc -q -p use -- -Z time-passes 2>&1 \
            | awk '/\texpand_crate/ { for (i = 1; i <= NF; i++) if ($i == "time:") { sub(";", "", $(i+1)); print $(i+1) } }'
    done | median | awk -v a="$attr" '{ printf "| expand_crate, syn parse + quote of the same function, %s | %.1f ms |\n", a, $1 * 1000 }'
done
