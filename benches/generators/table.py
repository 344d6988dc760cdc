#!/usr/bin/env python3
"""Merges the runner's timing table and callgrind.sh's table into the one in BENCHMARKS.md.

    benches/generators/table.py TIMES.md CALLGRIND.md
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
print("| workload | impl | ns/item min | ns/item median | time ratio | instructions/item | instr. ratio |")
print("|---|---|---:|---:|---:|---:|---:|")
for key in times:
    t = times[key]
    i = instr.get(key, ["-", "-"])
    print(f"| {key[0]} | {key[1]} | {t[0]} | {t[1]} | {t[2]} | {i[0]} | {i[1]} |")
for key in instr:
    if key not in times:
        print(f"| {key[0]} | {key[1]} | - | - | - | {instr[key][0]} | {instr[key][1]} |")
