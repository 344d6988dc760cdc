//! std's `gen` blocks and `#[coroutine]` closures on the workloads of `benches/generators`,
//! against the same hand-written limits (that crate's `workloads.rs`, included here so both
//! sides are compiled by the same nightly compiler). Same CLI as `gbench`.
#![feature(gen_blocks, coroutines, coroutine_trait)]

#[path = "../../generators/src/workloads.rs"]
mod workloads;

use std::hint::black_box;
use std::ops::{Coroutine, CoroutineState};
use std::pin::pin;
use std::time::Instant;

use workloads::*;

struct Case {
    w: &'static str,
    imp: &'static str,
    run: fn(u64) -> u64,
}

fn items(w: &str, n: u64) -> u64 {
    match w {
        "W1" | "W5" => n,
        "W2" => w2_items(w2_rows(n)),
        "W3" | "W6" => TREE_NODES as u64,
        "W4" => w4_rounds(n) * W4_BUF as u64,
        _ => unreachable!(),
    }
}

fn w1() -> impl Iterator<Item = u64> {
    gen {
        let (mut a, mut b) = (0u64, 1u64);
        loop {
            yield b;
            (a, b) = (b, a.wrapping_add(b));
        }
    }
}

fn w2(rows: u64) -> impl Iterator<Item = u64> {
    gen move {
        for i in 0..rows {
            for j in 0..W2_INNER {
                if w2_keep(i, j) {
                    yield w2_value(i, j);
                }
            }
        }
    }
}

fn w3(t: &'static Tree) -> impl Iterator<Item = u64> {
    gen move {
        let mut stack = Vec::new();
        let mut cur = t.root;
        loop {
            while cur != NIL {
                stack.push(cur);
                cur = t.nodes[cur as usize].left;
            }
            let Some(n) = stack.pop() else { break };
            yield t.nodes[n as usize].val;
            cur = t.nodes[n as usize].right;
        }
    }
}

fn w4(rounds: u64) -> impl Iterator<Item = u8> {
    gen move {
        let mut buf = [0u8; W4_BUF];
        let mut seed = W4_SEED;
        for _ in 0..rounds {
            refill(&mut buf, &mut seed);
            for i in 0..W4_BUF {
                yield buf[i];
            }
        }
    }
}

fn w5() -> impl Coroutine<u64, Yield = u64, Return = ()> {
    #[coroutine]
    |_first: u64| {
        let mut sum = 0u64;
        loop {
            let x = yield sum;
            sum = sum.wrapping_add(x);
        }
    }
}

fn w6(t: &'static Tree, n: u32) -> Box<dyn Iterator<Item = u64>> {
    Box::new(gen move {
        let node = t.nodes[n as usize];
        if node.left != NIL {
            for x in w6(t, node.left) {
                yield x;
            }
        }
        yield node.val;
        if node.right != NIL {
            for x in w6(t, node.right) {
                yield x;
            }
        }
    })
}

fn cases() -> Vec<Case> {
    vec![
        Case { w: "W1", imp: "hand", run: |n| fold(w1_hand().take(n as usize)) },
        Case { w: "W1", imp: "std-gen", run: |n| fold(w1().take(n as usize)) },
        Case { w: "W2", imp: "hand", run: |n| fold(w2_hand_nested(w2_rows(n))) },
        Case { w: "W2", imp: "hand-flat", run: |n| fold(w2_hand_flat(w2_rows(n))) },
        Case { w: "W2", imp: "std-gen", run: |n| fold(w2(w2_rows(n))) },
        Case { w: "W3", imp: "hand", run: |_| fold(w3_hand(tree())) },
        Case { w: "W3", imp: "std-gen", run: |_| fold(w3(tree())) },
        Case { w: "W4", imp: "hand", run: |n| fold_u8(w4_hand(w4_rounds(n))) },
        Case { w: "W4", imp: "std-gen", run: |n| fold_u8(w4(w4_rounds(n))) },
        Case {
            w: "W5",
            imp: "hand",
            run: |n| {
                let mut c = w5_hand();
                let y0 = c.resume(0);
                drive_w5(n, y0, |a| c.resume(a))
            },
        },
        Case {
            w: "W5",
            imp: "std-coroutine",
            run: |n| {
                let mut c = pin!(w5());
                let mut res = move |a| match c.as_mut().resume(a) {
                    CoroutineState::Yielded(y) => y,
                    CoroutineState::Complete(()) => unreachable!(),
                };
                let y0 = res(0);
                drive_w5(n, y0, res)
            },
        },
        Case { w: "W6", imp: "hand", run: |_| fold(w3_hand(tree())) },
        Case { w: "W6", imp: "std-gen-boxed-rec", run: |_| fold(w6(tree(), tree().root)) },
    ]
}

#[inline(never)]
fn bench_region(run: fn(u64) -> u64, n: u64) -> u64 {
    run(black_box(n))
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = arg(&args, "--n").unwrap_or(2_000_000);
    let repeats: usize = arg(&args, "--repeats").unwrap_or(7);
    let cases = cases();
    if args.iter().any(|a| a == "--list") {
        cases.iter().for_each(|c| println!("{}/{}", c.w, c.imp));
        return;
    }
    if let Some(name) = arg::<String>(&args, "--once") {
        let c = cases.iter().find(|c| format!("{}/{}", c.w, c.imp) == name).expect("no such case");
        tree();
        let sum = bench_region(c.run, n);
        println!("{name} n={n} items={} checksum={sum:#x}", items(c.w, n));
        return;
    }
    tree();
    let mut sums: Vec<(&str, u64)> = Vec::new();
    for c in &cases {
        let s = bench_region(c.run, n);
        match sums.iter().find(|(w, _)| *w == c.w) {
            Some((_, s0)) => assert_eq!(*s0, s, "checksum of {}/{}", c.w, c.imp),
            None => sums.push((c.w, s)),
        }
    }
    let mut times = vec![Vec::new(); cases.len()];
    for _ in 0..repeats {
        for (i, c) in cases.iter().enumerate() {
            let t = Instant::now();
            black_box(bench_region(c.run, n));
            times[i].push(t.elapsed().as_nanos() as f64 / items(c.w, n) as f64);
        }
    }
    println!("nightly: n={n} repeats={repeats} (ns/item; ratio = median / median of `hand`)");
    println!("| workload | impl | ns/item min | ns/item median | ratio |");
    println!("|---|---|---:|---:|---:|");
    let mut hand = 0.0;
    for (i, c) in cases.iter().enumerate() {
        let t = &mut times[i];
        t.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let med = t[t.len() / 2];
        if c.imp == "hand" {
            hand = med;
        }
        println!("| {} | {} | {:.3} | {:.3} | {:.2}x |", c.w, c.imp, t[0], med, med / hand);
    }
    println!();
    println!("| size_of generator object | W1 | W4 |");
    println!("|---|---:|---:|");
    println!("| hand | {} | {} |", size_of_val(&w1_hand()), size_of_val(&w4_hand(1)));
    println!("| std-gen | {} | {} |", size_of_val(&w1()), size_of_val(&w4(1)));
}
