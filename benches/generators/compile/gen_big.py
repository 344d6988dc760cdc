#!/usr/bin/env python3
"""Writes a ~300-line `#[resumable::coroutine]` with 50 yield points (deterministic).

    gen_big.py coroutine > lib.rs   # the coroutine, as the macro sees it
    gen_big.py plain > lib.rs       # the same body with no attribute: `yield_!(e)` -> `sink(e)`

The body mixes what real coroutines contain: straight-line arithmetic, `if`/`else`,
`match`, `while` and `for` loops with yields inside, locals live across many yields.
"""
import sys

mode = sys.argv[1] if len(sys.argv) > 1 else "coroutine"
Y = (lambda e: f"yield_!({e})") if mode == "coroutine" else (lambda e: f"sink({e})")

out = []
w = out.append
w("#![allow(unused_assignments)]")
if mode == "coroutine":
    w("#[resumable::coroutine]")
    w("pub fn big(n: u64) -> impl Iterator<Item = u64> {")
else:
    w("#[inline(never)]")
    w("pub fn sink(x: u64) { std::hint::black_box(x); }")
    w("")
    w("pub fn big(n: u64) {")
w("    let mut acc = n;")
w("    let mut v: Vec<u64> = Vec::new();")
yields = 0
k = 0
while yields < 49:
    k += 1
    shape = k % 5
    if yields == 48 and shape in (1, 3):
        shape = 0
    # straight-line code between the yields, pasted verbatim by the macro
    w(f"    let p{k} = (acc >> {k % 13}) | 1;")
    w(f"    acc = acc.wrapping_add(p{k}).wrapping_mul({2 * k + 1});")
    w(f"    v.retain(|x| x % {k + 2} != p{k} % {k + 2});")
    if shape == 0:
        w(f"    let x{k} = acc.wrapping_mul({k * 7 + 3}).rotate_left({k % 31 + 1});")
        w(f"    acc ^= x{k};")
        w(f"    {Y(f'x{k}')};")
        w(f"    v.push(x{k} & 0xff);")
        yields += 1
    elif shape == 1:
        w(f"    if acc % {k + 2} == 0 {{")
        w(f"        {Y(f'acc + {k}')};")
        w(f"        acc = acc.wrapping_add({k});")
        w("    } else {")
        w(f"        {Y(f'acc ^ {k}')};")
        w(f"        acc = acc.wrapping_sub({k});")
        w("    }")
        yields += 2
    elif shape == 2:
        w(f"    for i{k} in 0..(n % {k + 3}) {{")
        w(f"        let t{k} = acc.wrapping_add(i{k});")
        w(f"        {Y(f't{k}')};")
        w(f"        acc ^= t{k}.rotate_right(3);")
        w("    }")
        yields += 1
    elif shape == 3:
        w(f"    match acc % 4 {{")
        w(f"        0 => {{ {Y(f'{k}')}; }}")
        w(f"        1 => {{ acc += 1; {Y('acc')}; }}")
        w(f"        _ => acc = acc.wrapping_mul(3),")
        w("    }")
        yields += 2
    else:
        w(f"    let mut c{k} = 0u64;")
        w(f"    while c{k} < (acc % 3) {{")
        w(f"        c{k} += 1;")
        w(f"        {Y(f'c{k} + acc')};")
        w(f"        if c{k} == 2 {{ v.push(c{k}); }}")
        w("    }")
        w(f"    acc = acc.wrapping_add(c{k}).wrapping_add(v.len() as u64);")
        yields += 1
w(f"    {Y('v.iter().sum::<u64>()')};")
w("}")
print("\n".join(out))
print(f"// {len(out)} lines, {yields + 1} yield points", file=sys.stderr)
