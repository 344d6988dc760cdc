#!/usr/bin/env bash
# Deterministic figures per echo round trip (1 connection, 64 B), for each server:
#   syscalls (strace -c -f on the server) and user-space instructions (callgrind on the
#   server, the difference between runs of N1 and N2 round trips divided by N2 - N1, so
#   start-up and shutdown cancel out).
# Usage: benches/io/measure.sh [N=20000] [N1=2000] [N2=6000]
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release -q
BIN=target/release/resumable-bench-io
N=${1:-20000}; N1=${2:-2000}; N2=${3:-6000}
OUT=$(mktemp -d)
port=$((20000 + RANDOM % 20000))

wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }

echo "| server | syscalls / round trip | of which | instructions / round trip |"
echo "|---|---:|---|---:|"
for kind in ours tokio mio; do
    # --- syscalls
    port=$((port + 1))
    strace -f -c -o "$OUT/strace.$kind" "$BIN" server "$kind" "$port" & spid=$!
    wait_port "$port"
    "$BIN" load "$port" 1 64 "$N" >/dev/null
    # Stop the traced server (not strace): strace then prints its summary and exits.
    kill -TERM "$(pgrep -P "$spid")"; wait "$spid" 2>/dev/null || true
    total=$(awk '$NF=="total"{print $4}' "$OUT/strace.$kind")
    # The probe connection of wait_port and start-up add a few calls: negligible at N.
    per=$(awk -v t="$total" -v n="$N" 'BEGIN{printf "%.2f", t / n}')
    top=$(awk 'NR>2 && $1 ~ /^[0-9.]+$/ && $NF!="total" {printf "%s %s\n", $4, $NF}' "$OUT/strace.$kind" | sort -rn | head -3 | awk -v n="$N" '{printf "%s %.2f, ", $2, $1/n}')
    # --- instructions
    irs=()
    for n in "$N1" "$N2"; do
        port=$((port + 1))
        valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$kind.$n" "$BIN" server "$kind" "$port" 2>/dev/null & vpid=$!
        wait_port "$port"
        "$BIN" load "$port" 1 64 "$n" >/dev/null
        kill -TERM "$vpid"; wait "$vpid" 2>/dev/null || true
        irs+=("$(awk '/^summary:/{print $2}' "$OUT/cg.$kind.$n")")
    done
    ipr=$(( (irs[1] - irs[0]) / (N2 - N1) ))
    echo "| $kind | $per | ${top%, } | $ipr |"
done
rm -rf "$OUT"
