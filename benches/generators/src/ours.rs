//! Ours: `#[resumable::coroutine]` and `generator!` on every workload.
use resumable::{generator, Coroutine, CoroutineState};

use crate::workloads::*;
use crate::Case;

#[resumable::coroutine]
fn w1() -> impl Iterator<Item = u64> {
    let (mut a, mut b) = (0u64, 1u64);
    loop {
        yield_!(b);
        (a, b) = (b, a.wrapping_add(b));
    }
}

#[resumable::coroutine]
fn w2(rows: u64) -> impl Iterator<Item = u64> {
    for i in 0..rows {
        for j in 0..W2_INNER {
            if w2_keep(i, j) {
                yield_!(w2_value(i, j));
            }
        }
    }
}

#[resumable::coroutine]
fn w3(t: &'static Tree) -> impl Iterator<Item = u64> {
    let mut stack = Vec::new();
    let mut cur = t.root;
    loop {
        while cur != NIL {
            stack.push(cur);
            cur = t.nodes[cur as usize].left;
        }
        let Some(n) = stack.pop() else { break };
        yield_!(t.nodes[n as usize].val);
        cur = t.nodes[n as usize].right;
    }
}

#[resumable::coroutine]
fn w4(rounds: u64) -> impl Iterator<Item = u8> {
    let mut buf = [0u8; W4_BUF];
    let mut seed = W4_SEED;
    for _ in 0..rounds {
        refill(&mut buf, &mut seed);
        for i in 0..W4_BUF {
            yield_!(buf[i]);
        }
    }
}

#[resumable::coroutine]
fn w5() -> impl Coroutine<u64, Yield = u64, Return = ()> {
    let mut sum = 0u64;
    loop {
        let x = yield_!(sum);
        sum = sum.wrapping_add(x);
    }
}

#[cfg(feature = "ours-w6")]
#[resumable::coroutine]
fn w6(t: &'static Tree, n: u32) -> impl Iterator<Item = u64> {
    let node = t.nodes[n as usize];
    if node.left != NIL {
        yield_from!(Box::new(w6(t, node.left)));
    }
    yield_!(node.val);
    if node.right != NIL {
        yield_from!(Box::new(w6(t, node.right)));
    }
}

fn g1() -> impl Iterator<Item = u64> {
    generator! {
        let (mut a, mut b) = (0u64, 1u64);
        loop {
            yield!(b);
            (a, b) = (b, a.wrapping_add(b));
        }
    }
}

fn g4(rounds: u64) -> impl Iterator<Item = u8> {
    generator! {
        let mut buf = [0u8; W4_BUF];
        let mut seed = W4_SEED;
        for _ in 0..rounds {
            refill(&mut buf, &mut seed);
            for i in 0..W4_BUF {
                yield!(buf[i]);
            }
        }
    }
}

#[inline(always)]
fn drive(n: u64, mut c: impl Coroutine<u64, Yield = u64, Return = ()>) -> u64 {
    let CoroutineState::Yielded(y0) = c.resume(0) else { unreachable!() };
    drive_w5(n, y0, |a| match c.resume(a) {
        CoroutineState::Yielded(y) => y,
        CoroutineState::Complete(()) => unreachable!(),
    })
}

pub fn cases() -> Vec<Case> {
    #[allow(unused_mut)]
    let mut v = vec![
        Case { w: "W1", imp: "ours", run: |n| fold(w1().take(n as usize)) },
        Case { w: "W1", imp: "ours-generator!", run: |n| fold(g1().take(n as usize)) },
        Case { w: "W2", imp: "ours", run: |n| fold(w2(w2_rows(n))) },
        Case {
            w: "W2",
            imp: "ours-generator!",
            run: |n| {
                let rows = w2_rows(n);
                fold(generator! {
                    for i in 0..rows {
                        for j in 0..W2_INNER {
                            if w2_keep(i, j) {
                                yield!(w2_value(i, j));
                            }
                        }
                    }
                })
            },
        },
        Case { w: "W3", imp: "ours", run: |_| fold(w3(tree())) },
        Case {
            w: "W3",
            imp: "ours-generator!",
            run: |_| {
                let t = tree();
                fold(generator! {
                    let mut stack = Vec::new();
                    let mut cur = t.root;
                    loop {
                        while cur != NIL {
                            stack.push(cur);
                            cur = t.nodes[cur as usize].left;
                        }
                        let Some(n) = stack.pop() else { break };
                        yield!(t.nodes[n as usize].val);
                        cur = t.nodes[n as usize].right;
                    }
                })
            },
        },
        Case { w: "W4", imp: "ours", run: |n| fold_u8(w4(w4_rounds(n))) },
        Case { w: "W4", imp: "ours-generator!", run: |n| fold_u8(g4(w4_rounds(n))) },
        Case { w: "W5", imp: "ours", run: |n| drive(n, w5()) },
    ];
    #[cfg(feature = "ours-w6")]
    v.push(Case { w: "W6", imp: "ours", run: |_| fold(w6(tree(), tree().root)) });
    v
}

pub fn sizes() -> Vec<(&'static str, String, String)> {
    vec![
        ("ours", size_of_val(&w1()).to_string(), size_of_val(&w4(1)).to_string()),
        ("ours-generator!", size_of_val(&g1()).to_string(), size_of_val(&g4(1)).to_string()),
    ]
}
