#!/usr/bin/env bash
# Compile-side figures of issue 5 (scratch crates under benches/generators/target/compile-bench).
#
#   benches/generators/compile/compile.sh [REPEATS]
#
# 1. Expansion of a generated 308-line coroutine with 50 yield points (gen_big.py):
#    a. incremental `cargo build` of a crate holding only that function, dependencies warm,
#       median of REPEATS, against the same body with no attribute (`yield_!(e)` -> `sink(e)`);
#       the difference is what the macro adds: its run plus compiling the larger expansion;
#    b. with a nightly toolchain, rustc's own `-Z time-passes` figure for `expand_crate`
#       (all macro expansion of the crate: our proc macro's run, nothing else of note),
#       for both crates.
# 2. Cold `cargo build` (fresh target dir, debug and release) of the fib example with
#    `#[resumable::coroutine]` against the same fib written by hand with no dependencies.
set -euo pipefail
unset CARGO_TARGET_DIR   # the scratch crates need their own, cold, target dirs
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
repeats="${1:-5}"
scratch="$here/../target/compile-bench"
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch"

now() { date +%s.%N; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# ------------------------------------------------------------------ 1. the 300-line coroutine
cat > Cargo.toml <<TOML
[workspace]
members = ["big", "big-plain"]
resolver = "2"
TOML
mkdir -p big/src big-plain/src
cat > big/Cargo.toml <<TOML
[package]
name = "big"
version = "0.0.0"
edition = "2021"
[dependencies]
resumable = { path = "$root" }
TOML
sed 's/name = "big"/name = "big-plain"/' big/Cargo.toml > big-plain/Cargo.toml
python3 "$here/gen_big.py" coroutine > big/src/lib.rs
python3 "$here/gen_big.py" plain > big-plain/src/lib.rs
cargo build -q -p big -p big-plain 2>&1 | tail -20   # warm the dependencies

for krate in big big-plain; do
    for _ in $(seq "$repeats"); do
        touch "$krate/src/lib.rs"
        t0=$(now)
        cargo build -q -p "$krate" 2>/dev/null
        t1=$(now)
        echo "$t1 - $t0" | bc
    done | median > "time-$krate"
done
a=$(cat time-big)
b=$(cat time-big-plain)
echo "| 308-line coroutine, 50 yields | incremental cargo build (median of $repeats) |"
echo "|---|---:|"
printf "| with #[resumable::coroutine] | %.3f s |\n" "$a"
printf "| same body, no attribute | %.3f s |\n" "$b"
printf "| difference (macro run + larger expansion) | %.0f ms |\n" "$(echo "($a - $b) * 1000" | bc -l)"

if cargo +nightly --version >/dev/null 2>&1; then
    # Cargo builds proc macros at opt-level 0 unless told otherwise (build-override), so
    # the first pair is what users get by default; the second, the macro compiled at -O3.
    for opt in 0 3; do
        for krate in big big-plain; do
            for _ in $(seq "$repeats"); do
                touch "$krate/src/lib.rs"
                CARGO_PROFILE_DEV_BUILD_OVERRIDE_OPT_LEVEL=$opt CARGO_TARGET_DIR=target-nightly-o$opt \
                    cargo +nightly rustc -q -p "$krate" -- -Z time-passes 2>&1 \
                    | awk '/expand_crate/ { for (i = 1; i <= NF; i++) if ($i == "time:") { sub(";", "", $(i+1)); print $(i+1) } }'
            done | median > "expand-$krate-o$opt"
            printf "| rustc -Z time-passes expand_crate, %s, macro built at opt-level %s (nightly, median) | %.1f ms |\n" \
                "$krate" "$opt" "$(echo "$(cat "expand-$krate-o$opt") * 1000" | bc -l)"
        done
    done
else
    echo "expand_crate via -Z time-passes: skipped (no nightly toolchain)"
fi

# ------------------------------------------------------------------ 2. cold build of fib
mkdir -p fib-ours/src fib-hand/src
cat > fib-ours/Cargo.toml <<TOML
[package]
name = "fib-ours"
version = "0.0.0"
edition = "2021"
[dependencies]
resumable = { path = "$root" }
[workspace]
TOML
cat > fib-ours/src/main.rs <<'RS'
#[resumable::coroutine]
fn fib() -> impl Iterator<Item = u64> {
    let (mut a, mut b) = (0u64, 1u64);
    loop {
        yield_!(b);
        (a, b) = (b, a.wrapping_add(b));
    }
}

fn main() {
    println!("{:?}", fib().take(10).collect::<Vec<_>>());
}
RS
cat > fib-hand/Cargo.toml <<TOML
[package]
name = "fib-hand"
version = "0.0.0"
edition = "2021"
[workspace]
TOML
cat > fib-hand/src/main.rs <<'RS'
struct Fib {
    a: u64,
    b: u64,
}

impl Iterator for Fib {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        let r = self.b;
        (self.a, self.b) = (self.b, self.a.wrapping_add(self.b));
        Some(r)
    }
}

fn fib() -> impl Iterator<Item = u64> {
    Fib { a: 0, b: 1 }
}

fn main() {
    println!("{:?}", fib().take(10).collect::<Vec<_>>());
}
RS
echo
echo "| cold cargo build of the fib example | debug | release |"
echo "|---|---:|---:|"
for krate in fib-ours fib-hand; do
    row="| $krate |"
    for profile in dev release; do
        rm -rf "$krate/target"
        t0=$(now)
        (cd "$krate" && cargo build -q --profile "$profile")
        t1=$(now)
        row="$row $(printf "%.2f s" "$(echo "$t1 - $t0" | bc)") |"
    done
    echo "$row"
done
