//! The six workloads, their inputs, and the hand-written limits (plus `core::iter::from_fn`).
//!
//! This file has no dependencies: `benches/generators-nightly` includes it with `#[path]`
//! so std's `gen` blocks are measured against the same hand-written code, compiled by the
//! same compiler.
#![allow(dead_code)]

use std::sync::OnceLock;

/// The fold every workload ends in: cheap, order-dependent, not reducible to a closed form.
#[inline(always)]
pub fn mix(acc: u64, x: u64) -> u64 {
    acc.rotate_left(5) ^ x
}

/// Drains an iterator by `next()` calls (a `for` loop), as generator users consume them.
#[inline(always)]
pub fn fold<I: Iterator<Item = u64>>(it: I) -> u64 {
    let mut acc = 0;
    for x in it {
        acc = mix(acc, x);
    }
    acc
}

/// Same as [`fold`] for byte iterators (W4).
#[inline(always)]
pub fn fold_u8<I: Iterator<Item = u8>>(it: I) -> u64 {
    let mut acc = 0;
    for x in it {
        acc = mix(acc, x as u64);
    }
    acc
}

/// W5 driver: `y0` is what the first resume (whose argument is dropped) yielded; then `n`
/// resumes, each argument depending on the previous yield. `resume(arg)` returns the yield.
#[inline(always)]
pub fn drive_w5(n: u64, y0: u64, mut resume: impl FnMut(u64) -> u64) -> u64 {
    let mut acc = 0;
    let mut y = y0;
    for i in 0..n {
        y = resume(i ^ (y & 0xffff));
        acc = mix(acc, y);
    }
    acc
}

// ---------------------------------------------------------------- W1: Fibonacci

/// W1 hand-written limit.
#[derive(Clone)]
pub struct FibHand {
    a: u64,
    b: u64,
}

pub fn w1_hand() -> FibHand {
    FibHand { a: 0, b: 1 }
}

impl Iterator for FibHand {
    type Item = u64;
    #[inline]
    fn next(&mut self) -> Option<u64> {
        let r = self.b;
        (self.a, self.b) = (self.b, self.a.wrapping_add(self.b));
        Some(r)
    }
}

pub fn w1_from_fn() -> impl Iterator<Item = u64> {
    let (mut a, mut b) = (0u64, 1u64);
    core::iter::from_fn(move || {
        let r = b;
        (a, b) = (b, a.wrapping_add(b));
        Some(r)
    })
}

// ---------------------------------------------------------------- W2: nested loops + filter

/// Inner loop length of W2; the filter keeps exactly 3/4 of each row.
pub const W2_INNER: u64 = 1000;

#[inline(always)]
pub fn w2_keep(i: u64, j: u64) -> bool {
    (i ^ j) & 3 != 0
}

#[inline(always)]
pub fn w2_value(i: u64, j: u64) -> u64 {
    i * W2_INNER + j
}

/// Number of rows so that W2 yields about `n` items (exactly `w2_items(rows)`).
pub fn w2_rows(n: u64) -> u64 {
    (n / (W2_INNER / 4 * 3)).max(1)
}

pub fn w2_items(rows: u64) -> u64 {
    rows * (W2_INNER / 4 * 3)
}

/// W2 hand-written limit, nested form: a resume continues inside the inner loop.
pub struct W2Nested {
    i: u64,
    j: u64,
    rows: u64,
}

pub fn w2_hand_nested(rows: u64) -> W2Nested {
    W2Nested { i: 0, j: 0, rows }
}

impl Iterator for W2Nested {
    type Item = u64;
    #[inline]
    fn next(&mut self) -> Option<u64> {
        while self.i < self.rows {
            while self.j < W2_INNER {
                let j = self.j;
                self.j += 1;
                if w2_keep(self.i, j) {
                    return Some(w2_value(self.i, j));
                }
            }
            self.j = 0;
            self.i += 1;
        }
        None
    }
}

/// W2 hand-written, flat form: one loop around a single `match` on the state.
pub struct W2Flat {
    st: W2St,
    i: u64,
    j: u64,
    rows: u64,
}

#[derive(Clone, Copy)]
enum W2St {
    Outer,
    Inner,
    Done,
}

pub fn w2_hand_flat(rows: u64) -> W2Flat {
    W2Flat { st: W2St::Outer, i: 0, j: 0, rows }
}

impl Iterator for W2Flat {
    type Item = u64;
    #[inline]
    fn next(&mut self) -> Option<u64> {
        loop {
            match self.st {
                W2St::Outer => {
                    if self.i < self.rows {
                        self.j = 0;
                        self.st = W2St::Inner;
                    } else {
                        self.st = W2St::Done;
                    }
                }
                W2St::Inner => {
                    if self.j < W2_INNER {
                        let j = self.j;
                        self.j += 1;
                        if w2_keep(self.i, j) {
                            return Some(w2_value(self.i, j));
                        }
                    } else {
                        self.i += 1;
                        self.st = W2St::Outer;
                    }
                }
                W2St::Done => return None,
            }
        }
    }
}

pub fn w2_from_fn(rows: u64) -> impl Iterator<Item = u64> {
    let (mut i, mut j) = (0u64, 0u64);
    core::iter::from_fn(move || {
        while i < rows {
            while j < W2_INNER {
                let jj = j;
                j += 1;
                if w2_keep(i, jj) {
                    return Some(w2_value(i, jj));
                }
            }
            j = 0;
            i += 1;
        }
        None
    })
}

// ---------------------------------------------------------------- W3/W6: tree walks

pub const NIL: u32 = u32::MAX;

#[derive(Clone, Copy)]
pub struct Node {
    pub left: u32,
    pub right: u32,
    pub val: u64,
}

/// A balanced binary tree (depth 20 for 10^6 nodes), nodes stored in preorder.
pub struct Tree {
    pub nodes: Vec<Node>,
    pub root: u32,
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Tree {
    pub fn balanced(n: u32) -> Tree {
        fn build(nodes: &mut Vec<Node>, lo: u32, hi: u32) -> u32 {
            if lo >= hi {
                return NIL;
            }
            let mid = lo + (hi - lo) / 2;
            let id = nodes.len() as u32;
            nodes.push(Node { left: NIL, right: NIL, val: splitmix(mid as u64) });
            let l = build(nodes, lo, mid);
            let r = build(nodes, mid + 1, hi);
            nodes[id as usize].left = l;
            nodes[id as usize].right = r;
            id
        }
        let mut nodes = Vec::with_capacity(n as usize);
        let root = build(&mut nodes, 0, n);
        Tree { nodes, root }
    }
}

/// Number of nodes of the W3/W6 tree.
pub const TREE_NODES: u32 = 1_000_000;

/// The W3/W6 tree, built once and leaked (so `'static` peers such as corosensei can use it).
pub fn tree() -> &'static Tree {
    static T: OnceLock<Tree> = OnceLock::new();
    T.get_or_init(|| Tree::balanced(TREE_NODES))
}

/// W3 hand-written limit: in-order walk with an explicit stack.
pub struct W3Hand {
    t: &'static Tree,
    stack: Vec<u32>,
    cur: u32,
}

pub fn w3_hand(t: &'static Tree) -> W3Hand {
    W3Hand { t, stack: Vec::new(), cur: t.root }
}

impl Iterator for W3Hand {
    type Item = u64;
    #[inline]
    fn next(&mut self) -> Option<u64> {
        while self.cur != NIL {
            self.stack.push(self.cur);
            self.cur = self.t.nodes[self.cur as usize].left;
        }
        let n = self.stack.pop()?;
        let node = &self.t.nodes[n as usize];
        self.cur = node.right;
        Some(node.val)
    }
}

pub fn w3_from_fn(t: &'static Tree) -> impl Iterator<Item = u64> {
    let mut stack = Vec::new();
    let mut cur = t.root;
    core::iter::from_fn(move || {
        while cur != NIL {
            stack.push(cur);
            cur = t.nodes[cur as usize].left;
        }
        let n = stack.pop()?;
        let node = &t.nodes[n as usize];
        cur = node.right;
        Some(node.val)
    })
}

/// W6 reference: a recursive walk with a boxed iterator per subtree (no generator),
/// what delegation level by level costs when written by hand.
pub fn w6_boxed_chain(t: &'static Tree, n: u32) -> Box<dyn Iterator<Item = u64>> {
    let node = t.nodes[n as usize];
    let left: Box<dyn Iterator<Item = u64>> =
        if node.left != NIL { w6_boxed_chain(t, node.left) } else { Box::new(core::iter::empty()) };
    let right = node.right;
    Box::new(left.chain(core::iter::once(node.val)).chain(LazyRight { t, right, inner: None }))
}

struct LazyRight {
    t: &'static Tree,
    right: u32,
    inner: Option<Box<dyn Iterator<Item = u64>>>,
}

impl Iterator for LazyRight {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        if self.inner.is_none() {
            if self.right == NIL {
                return None;
            }
            self.inner = Some(w6_boxed_chain(self.t, self.right));
            self.right = NIL;
        }
        self.inner.as_mut()?.next()
    }
}

// ---------------------------------------------------------------- W4: 4 KiB buffer

pub const W4_BUF: usize = 4096;

/// Refills the buffer (not inlined, so every implementation pays exactly the same for it).
#[inline(never)]
pub fn refill(buf: &mut [u8; W4_BUF], seed: &mut u64) {
    let mut s = *seed;
    for chunk in buf.chunks_exact_mut(8) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        chunk.copy_from_slice(&s.to_le_bytes());
    }
    *seed = s;
}

pub const W4_SEED: u64 = 0x2545_f491_4f6c_dd1d;

pub fn w4_rounds(n: u64) -> u64 {
    (n / W4_BUF as u64).max(1)
}

/// W4 hand-written limit: the buffer stays in place; a resume touches only the index.
pub struct W4Hand {
    buf: [u8; W4_BUF],
    pos: usize,
    rounds_left: u64,
    seed: u64,
}

pub fn w4_hand(rounds: u64) -> W4Hand {
    W4Hand { buf: [0; W4_BUF], pos: W4_BUF, rounds_left: rounds, seed: W4_SEED }
}

impl Iterator for W4Hand {
    type Item = u8;
    #[inline]
    fn next(&mut self) -> Option<u8> {
        if self.pos == W4_BUF {
            if self.rounds_left == 0 {
                return None;
            }
            self.rounds_left -= 1;
            refill(&mut self.buf, &mut self.seed);
            self.pos = 0;
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Some(b)
    }
}

pub fn w4_from_fn(rounds: u64) -> impl Iterator<Item = u8> {
    let mut buf = [0u8; W4_BUF];
    let mut pos = W4_BUF;
    let mut rounds_left = rounds;
    let mut seed = W4_SEED;
    core::iter::from_fn(move || {
        if pos == W4_BUF {
            if rounds_left == 0 {
                return None;
            }
            rounds_left -= 1;
            refill(&mut buf, &mut seed);
            pos = 0;
        }
        let b = buf[pos];
        pos += 1;
        Some(b)
    })
}

// ---------------------------------------------------------------- W5: resume-argument ping-pong

/// W5 hand-written limit: a running sum of the resume arguments.
pub struct W5Hand {
    sum: u64,
    started: bool,
}

pub fn w5_hand() -> W5Hand {
    W5Hand { sum: 0, started: false }
}

impl W5Hand {
    #[inline]
    pub fn resume(&mut self, x: u64) -> u64 {
        if self.started {
            self.sum = self.sum.wrapping_add(x);
        }
        self.started = true;
        self.sum
    }
}

/// W5 with `from_fn`: an iterator has no resume argument, so it goes through a `Cell`.
pub fn w5_from_fn(arg: &std::cell::Cell<u64>) -> impl Iterator<Item = u64> + '_ {
    let mut sum = 0u64;
    let mut started = false;
    core::iter::from_fn(move || {
        if started {
            sum = sum.wrapping_add(arg.get());
        }
        started = true;
        Some(sum)
    })
}
