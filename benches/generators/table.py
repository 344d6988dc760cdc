#!/usr/bin/env python3
"""Merges the runner's timing table and callgrind.sh's table into the one in BENCHMARKS.md.

    benches/generators/table.py TIMES.md CALLGRIND.md [W6TIMES.md]

Time ratios are given on the min and on the median (each against `hand` of the workload);
on a loaded machine the min is the steadier of the two. Rows of an optional third table
(e.g. a quieter `--only W6` run) replace those of the first.
"""
import sys


def rows(path):
    out = {}
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].startswith("W") and cells[0][1:].isdigit():
            out[(cells[0], cells[1])] = cells[2:]
    return out


times, instr = rows(sys.argv[1]), rows(sys.argv[2])
if len(sys.argv) > 3:
    times.update(rows(sys.argv[3]))
print("| workload | impl | ns/item min | ns/item median | time ratio (min) | time ratio (median) | instructions/item | instr. ratio |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
hand = {}
keys = list(times) + [k for k in instr if k not in times]
keys.sort(key=lambda k: int(k[0][1:]))  # stable: keeps each workload's order
for key in keys:
    t = times.get(key, ["-", "-", "-"])
    i = instr.get(key, ["-", "-"])
    if key[1] == "hand":
        hand[key[0]] = (float(t[0]), float(t[1]))
    try:
        h = hand[key[0]]
        rmin = f"{float(t[0]) / h[0]:.2f}x"
        rmed = f"{float(t[1]) / h[1]:.2f}x"
    except (KeyError, ValueError):
        rmin = rmed = "-"
    print(f"| {key[0]} | {key[1]} | {t[0]} | {t[1]} | {rmin} | {rmed} | {i[0]} | {i[1]} |")
