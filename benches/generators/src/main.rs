//! Issue 5 benchmark runner: every workload × every implementation, one table.
//!
//! ```text
//! gbench [--n N] [--repeats R] [--only W?[/impl]]   timing table + sizes
//! gbench --once W?/impl [--n N]                      one run (for callgrind.sh)
//! gbench --list                                      the case names
//! ```
mod peers;
mod shapes;
mod workloads;

#[cfg(feature = "ours")]
mod ours;

use std::hint::black_box;
use std::time::Instant;

use workloads::*;

/// One workload run by one implementation: builds the generator and folds it to a checksum.
pub struct Case {
    pub w: &'static str,
    pub imp: &'static str,
    pub run: fn(u64) -> u64,
}

/// Items a run of workload `w` folds for the size parameter `n`.
pub fn items(w: &str, n: u64) -> u64 {
    match w {
        "W1" | "W5" => n,
        "W2" => w2_items(w2_rows(n)),
        "W3" | "W6" => TREE_NODES as u64,
        "W4" => w4_rounds(n) * W4_BUF as u64,
        _ => unreachable!(),
    }
}

fn hand_cases() -> Vec<Case> {
    vec![
        Case { w: "W1", imp: "hand", run: |n| fold(w1_hand().take(n as usize)) },
        Case { w: "W1", imp: "from_fn", run: |n| fold(w1_from_fn().take(n as usize)) },
        Case { w: "W2", imp: "hand", run: |n| fold(w2_hand_nested(w2_rows(n))) },
        Case { w: "W2", imp: "hand-flat", run: |n| fold(w2_hand_flat(w2_rows(n))) },
        Case { w: "W2", imp: "from_fn", run: |n| fold(w2_from_fn(w2_rows(n))) },
        Case { w: "W3", imp: "hand", run: |_| fold(w3_hand(tree())) },
        Case { w: "W3", imp: "from_fn", run: |_| fold(w3_from_fn(tree())) },
        Case { w: "W4", imp: "hand", run: |n| fold_u8(w4_hand(w4_rounds(n))) },
        Case { w: "W4", imp: "from_fn", run: |n| fold_u8(w4_from_fn(w4_rounds(n))) },
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
            imp: "from_fn",
            run: |n| {
                let arg = std::cell::Cell::new(0);
                let mut it = w5_from_fn(&arg);
                let y0 = it.next().unwrap();
                drive_w5(n, y0, |a| {
                    arg.set(a);
                    it.next().unwrap()
                })
            },
        },
        // The W6 limit is the explicit-stack walk of W3 ("hand"); this is the by-hand
        // recursive version with a boxed iterator per subtree, for reference.
        Case { w: "W6", imp: "hand", run: |_| fold(w3_hand(tree())) },
        Case { w: "W6", imp: "hand-boxed-rec", run: |_| fold(w6_boxed_chain(tree(), tree().root)) },
    ]
}

fn all_cases() -> Vec<Case> {
    let mut v = hand_cases();
    #[cfg(feature = "ours")]
    v.extend(ours::cases());
    v.extend(shapes::cases());
    v.extend(peers::cases());
    let order = ["W1", "W2", "W3", "W4", "W5", "W6"];
    v.sort_by_key(|c| order.iter().position(|w| *w == c.w));
    v
}

/// The region callgrind.sh counts (`--toggle-collect`): one full run of a case.
#[inline(never)]
pub fn bench_region(run: fn(u64) -> u64, n: u64) -> u64 {
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
    let only: Option<String> = arg(&args, "--only");
    let cases = all_cases();

    if args.iter().any(|a| a == "--list") {
        for c in &cases {
            println!("{}/{}", c.w, c.imp);
        }
        return;
    }
    if let Some(name) = arg::<String>(&args, "--once") {
        let c = cases
            .iter()
            .find(|c| format!("{}/{}", c.w, c.imp) == name)
            .unwrap_or_else(|| panic!("no case {name}; see --list"));
        if c.w == "W3" || c.w == "W6" {
            tree();
        }
        let sum = bench_region(c.run, n);
        println!("{name} n={n} items={} checksum={sum:#x}", items(c.w, n));
        return;
    }

    let cases: Vec<&Case> = cases
        .iter()
        .filter(|c| match &only {
            None => true,
            Some(o) => format!("{}/{}", c.w, c.imp).starts_with(o.as_str()),
        })
        .collect();
    tree();

    // Checksums first: every implementation of a workload must agree.
    let mut sums = Vec::new();
    for c in &cases {
        let s = bench_region(c.run, n);
        if let Some((_, s0, imp0)) = sums.iter().find(|(w, _, _)| *w == c.w) {
            assert_eq!(
                *s0, s,
                "checksum of {}/{} differs from {}/{}",
                c.w, c.imp, c.w, imp0
            );
        } else {
            sums.push((c.w, s, c.imp));
        }
    }

    // Repeats interleaved round-robin, so drift on the shared machine hits all alike.
    let mut times = vec![Vec::new(); cases.len()];
    for _ in 0..repeats {
        for (i, c) in cases.iter().enumerate() {
            let t = Instant::now();
            black_box(bench_region(c.run, n));
            let ns = t.elapsed().as_nanos() as f64 / items(c.w, n) as f64;
            times[i].push(ns);
        }
    }

    println!("n={n} repeats={repeats} (ns/item; ratio = median / median of `hand`)");
    println!("| workload | impl | ns/item min | ns/item median | ratio |");
    println!("|---|---|---:|---:|---:|");
    let mut hand_median = 0.0;
    for (i, c) in cases.iter().enumerate() {
        let t = &mut times[i];
        t.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let med = t[t.len() / 2];
        if c.imp == "hand" {
            hand_median = med;
        }
        let ratio = if hand_median > 0.0 { format!("{:.2}x", med / hand_median) } else { "-".into() };
        println!("| {} | {} | {:.3} | {:.3} | {} |", c.w, c.imp, t[0], med, ratio);
    }

    println!();
    println!("| size_of generator object | W1 | W4 |");
    println!("|---|---:|---:|");
    let mut sizes = vec![
        ("hand", std::mem::size_of_val(&w1_hand()).to_string(), std::mem::size_of_val(&w4_hand(1)).to_string()),
        ("from_fn", std::mem::size_of_val(&w1_from_fn()).to_string(), std::mem::size_of_val(&w4_from_fn(1)).to_string()),
    ];
    #[cfg(feature = "ours")]
    sizes.extend(ours::sizes());
    sizes.extend(shapes::sizes());
    sizes.extend(peers::sizes());
    for (imp, s1, s4) in sizes {
        println!("| {imp} | {s1} | {s4} |");
    }
}
