//! Hand-expanded candidates for the code `#[resumable::coroutine]` emits, measured beside the
//! real macro so the lead can see what each generated shape costs:
//!
//! - `shape-replace-blocks`: DESIGN.md's prototype shape (`match mem::replace(state, Poisoned)`)
//!   with loop heads as their own variants (`*state = Head{..}; continue` is the goto), what
//!   a lowering to basic blocks gives when every block boundary becomes a state;
//! - `shape-replace`: the same move-out/move-in, but after a resume the arm continues in
//!   structured code (the loops re-entered in place) up to the next yield;
//! - `shape-inplace`: structured re-entry and `match state { V { a, b } => .. }` on
//!   `&mut` fields: a resume that suspends again at the same point writes only what changed;
//!   only a change of variant moves locals;
//! - `shape-frames` (W6): direct self-recursion kept as a `Vec` of the function's own small
//!   state enum (no box per level, resume goes to the innermost frame directly).
use std::mem;

use resumable::__private::resumed_after_panicking;
use resumable::CoroutineState::{self, Complete, Yielded};

use crate::workloads::*;
use crate::Case;

/// The shapes' driver: `resumable::Machine` without its unwind guard (these hand-written
/// states have no `State` impl; none of them panics).
pub struct M<S, F> {
    state: S,
    step: F,
}

fn machine<A, Y, R, S, F>(state: S, step: F) -> M<S, F>
where
    F: FnMut(&mut S, A) -> CoroutineState<Y, R>,
{
    M { state, step }
}

impl<Y, S, F: FnMut(&mut S, ()) -> CoroutineState<Y, ()>> Iterator for M<S, F> {
    type Item = Y;
    #[inline]
    fn next(&mut self) -> Option<Y> {
        match (self.step)(&mut self.state, ()) {
            Yielded(y) => Some(y),
            Complete(()) => None,
        }
    }
}

impl<A, Y, R, S, F: FnMut(&mut S, A) -> CoroutineState<Y, R>> resumable::Coroutine<A> for M<S, F> {
    type Yield = Y;
    type Return = R;
    #[inline]
    fn resume(&mut self, arg: A) -> CoroutineState<Y, R> {
        (self.step)(&mut self.state, arg)
    }
}

// ---------------------------------------------------------------- W1
pub fn w1_replace() -> impl Iterator<Item = u64> {
    enum Fib<T0, T1> {
        Start,
        Suspend0 { a: T0, b: T1 },
        #[allow(dead_code)]
        Done,
        Poisoned,
    }
    machine(Fib::Start, |state, (): ()| match mem::replace(state, Fib::Poisoned) {
        Fib::Start => {
            let (a, b) = (0u64, 1u64);
            *state = Fib::Suspend0 { a, b };
            Yielded(b)
        }
        Fib::Suspend0 { mut a, mut b } => {
            (a, b) = (b, a.wrapping_add(b));
            *state = Fib::Suspend0 { a, b };
            Yielded(b)
        }
        Fib::Done => {
            *state = Fib::Done;
            Complete(())
        }
        Fib::Poisoned => resumed_after_panicking(),
    })
}

pub fn w1_inplace() -> impl Iterator<Item = u64> {
    enum Fib<T0, T1> {
        Start,
        Suspend0 { a: T0, b: T1 },
        #[allow(dead_code)]
        Done,
    }
    machine(Fib::Start, |state, (): ()| match state {
        Fib::Start => {
            let (a, b) = (0u64, 1u64);
            *state = Fib::Suspend0 { a, b };
            Yielded(b)
        }
        Fib::Suspend0 { a, b } => {
            (*a, *b) = (*b, a.wrapping_add(*b));
            Yielded(*b)
        }
        Fib::Done => Complete(()),
    })
}

// ---------------------------------------------------------------- W2
pub fn w2_replace_blocks(rows: u64) -> impl Iterator<Item = u64> {
    enum S<O, I, J> {
        Start { rows: u64 },
        OuterHead { outer: O },
        InnerHead { outer: O, i: I, inner: J },
        Suspend0 { outer: O, i: I, inner: J },
        Done,
        Poisoned,
    }
    machine(S::Start { rows }, |state, (): ()| loop {
        match mem::replace(state, S::Poisoned) {
            S::Start { rows } => *state = S::OuterHead { outer: 0..rows },
            S::OuterHead { mut outer } => match outer.next() {
                Some(i) => *state = S::InnerHead { outer, i, inner: 0..W2_INNER },
                None => {
                    *state = S::Done;
                    return Complete(());
                }
            },
            S::InnerHead { outer, i, mut inner } => match inner.next() {
                Some(j) => {
                    if w2_keep(i, j) {
                        let y = w2_value(i, j);
                        *state = S::Suspend0 { outer, i, inner };
                        return Yielded(y);
                    }
                    *state = S::InnerHead { outer, i, inner };
                }
                None => *state = S::OuterHead { outer },
            },
            S::Suspend0 { outer, i, inner } => *state = S::InnerHead { outer, i, inner },
            S::Done => {
                *state = S::Done;
                return Complete(());
            }
            S::Poisoned => resumed_after_panicking(),
        }
    })
}

pub fn w2_replace(rows: u64) -> impl Iterator<Item = u64> {
    enum S<O, I, J> {
        Start { rows: u64 },
        Suspend0 { outer: O, i: I, inner: J },
        Done,
        Poisoned,
    }
    machine(S::Start { rows }, |state, (): ()| {
        let (mut outer, mut i, mut inner) = match mem::replace(state, S::Poisoned) {
            S::Start { rows } => (0..rows, 0, 0..0),
            S::Suspend0 { outer, i, inner } => (outer, i, inner),
            S::Done => {
                *state = S::Done;
                return Complete(());
            }
            S::Poisoned => resumed_after_panicking(),
        };
        loop {
            for j in inner.by_ref() {
                if w2_keep(i, j) {
                    let y = w2_value(i, j);
                    *state = S::Suspend0 { outer, i, inner };
                    return Yielded(y);
                }
            }
            match outer.next() {
                Some(ii) => {
                    i = ii;
                    inner = 0..W2_INNER;
                }
                None => {
                    *state = S::Done;
                    return Complete(());
                }
            }
        }
    })
}

/// What the macro emits for W2 (at c2af758), by hand: the resume arm finishes the
/// interrupted inner loop in one copy, then runs the outer loop with a second copy of it.
pub fn w2_replace_dup(rows: u64) -> impl Iterator<Item = u64> {
    enum S<O, I, J> {
        Start { rows: u64 },
        Suspend0 { inner: J, i: I, outer: O },
        Done,
        Poisoned,
    }
    machine(S::Start { rows }, |state, (): ()| {
        match mem::replace(state, S::Poisoned) {
            S::Start { rows } => {
                let mut outer = 0..rows;
                while let Some(i) = outer.next() {
                    let mut inner = 0..W2_INNER;
                    while let Some(j) = inner.next() {
                        if w2_keep(i, j) {
                            let y = w2_value(i, j);
                            *state = S::Suspend0 { inner, i, outer };
                            return Yielded(y);
                        }
                    }
                }
            }
            S::Suspend0 { inner, i, outer } => {
                let mut outer = outer;
                {
                    let mut inner = inner;
                    while let Some(j) = inner.next() {
                        if w2_keep(i, j) {
                            let y = w2_value(i, j);
                            *state = S::Suspend0 { inner, i, outer };
                            return Yielded(y);
                        }
                    }
                }
                while let Some(i) = outer.next() {
                    let mut inner = 0..W2_INNER;
                    while let Some(j) = inner.next() {
                        if w2_keep(i, j) {
                            let y = w2_value(i, j);
                            *state = S::Suspend0 { inner, i, outer };
                            return Yielded(y);
                        }
                    }
                }
            }
            S::Done => {}
            S::Poisoned => resumed_after_panicking(),
        }
        *state = S::Done;
        Complete(())
    })
}

pub fn w2_inplace(rows: u64) -> impl Iterator<Item = u64> {
    enum S<O, I, J> {
        Start { rows: u64 },
        Suspend0 { outer: O, i: I, inner: J },
        Done,
    }
    machine(S::Start { rows }, |state, (): ()| loop {
        match state {
            S::Start { rows } => *state = S::Suspend0 { outer: 0..*rows, i: 0, inner: 0..0 },
            S::Suspend0 { outer, i, inner } => loop {
                for j in inner.by_ref() {
                    if w2_keep(*i, j) {
                        return Yielded(w2_value(*i, j));
                    }
                }
                match outer.next() {
                    Some(ii) => {
                        *i = ii;
                        *inner = 0..W2_INNER;
                    }
                    None => {
                        *state = S::Done;
                        return Complete(());
                    }
                }
            },
            S::Done => return Complete(()),
        }
    })
}

// ---------------------------------------------------------------- W3
pub fn w3_replace(t: &'static Tree) -> impl Iterator<Item = u64> {
    enum S<T, V, C> {
        Start { t: T },
        Suspend0 { t: T, stack: V, cur: C },
        Done,
        Poisoned,
    }
    machine(S::Start { t }, |state, (): ()| {
        let (t, mut stack, mut cur): (&'static Tree, Vec<u32>, u32) = match mem::replace(state, S::Poisoned) {
            S::Start { t } => (t, Vec::new(), t.root),
            S::Suspend0 { t, stack, cur } => (t, stack, cur),
            S::Done => {
                *state = S::Done;
                return Complete(());
            }
            S::Poisoned => resumed_after_panicking(),
        };
        while cur != NIL {
            stack.push(cur);
            cur = t.nodes[cur as usize].left;
        }
        let Some(n) = stack.pop() else {
            *state = S::Done;
            return Complete(());
        };
        cur = t.nodes[n as usize].right;
        let y = t.nodes[n as usize].val;
        *state = S::Suspend0 { t, stack, cur };
        Yielded(y)
    })
}

pub fn w3_inplace(t: &'static Tree) -> impl Iterator<Item = u64> {
    // An explicit tag: with the niche in `Vec`'s capacity, `match state` decodes it on every
    // resume (11 instructions per item measured); a `u8` tag is one load and compare.
    #[repr(u8)]
    enum S<T, V, C> {
        Start { t: T },
        Suspend0 { t: T, stack: V, cur: C },
        Done,
    }
    machine(S::Start { t }, |state, (): ()| loop {
        match state {
            S::Start { t } => {
                let t: &'static Tree = t;
                *state = S::Suspend0 { t, stack: Vec::new(), cur: t.root };
            }
            S::Suspend0 { t, stack, cur } => {
                // Small `Copy` locals are loaded once and stored once; big ones stay put.
                let (t, mut c): (&'static Tree, u32) = (*t, *cur);
                while c != NIL {
                    stack.push(c);
                    c = t.nodes[c as usize].left;
                }
                let Some(n) = stack.pop() else {
                    *state = S::Done;
                    return Complete(());
                };
                *cur = t.nodes[n as usize].right;
                return Yielded(t.nodes[n as usize].val);
            }
            S::Done => return Complete(()),
        }
    })
}

// ---------------------------------------------------------------- W4
pub fn w4_replace_blocks(rounds: u64) -> impl Iterator<Item = u8> {
    enum S<B, D, O, I> {
        Start { rounds: u64 },
        OuterHead { buf: B, seed: D, outer: O },
        InnerHead { buf: B, seed: D, outer: O, inner: I },
        Suspend0 { buf: B, seed: D, outer: O, inner: I },
        Done,
        Poisoned,
    }
    machine(S::Start { rounds }, |state, (): ()| loop {
        match mem::replace(state, S::Poisoned) {
            S::Start { rounds } => {
                *state = S::OuterHead { buf: [0u8; W4_BUF], seed: W4_SEED, outer: 0..rounds }
            }
            S::OuterHead { mut buf, mut seed, mut outer } => match outer.next() {
                Some(_) => {
                    refill(&mut buf, &mut seed);
                    *state = S::InnerHead { buf, seed, outer, inner: 0..W4_BUF };
                }
                None => {
                    *state = S::Done;
                    return Complete(());
                }
            },
            S::InnerHead { buf, seed, outer, mut inner } => match inner.next() {
                Some(i) => {
                    let y = buf[i];
                    *state = S::Suspend0 { buf, seed, outer, inner };
                    return Yielded(y);
                }
                None => *state = S::OuterHead { buf, seed, outer },
            },
            S::Suspend0 { buf, seed, outer, inner } => {
                *state = S::InnerHead { buf, seed, outer, inner }
            }
            S::Done => {
                *state = S::Done;
                return Complete(());
            }
            S::Poisoned => resumed_after_panicking(),
        }
    })
}

pub fn w4_replace(rounds: u64) -> impl Iterator<Item = u8> {
    enum S<B, D, O, I> {
        Start { rounds: u64 },
        Suspend0 { buf: B, seed: D, outer: O, inner: I },
        Done,
        Poisoned,
    }
    machine(S::Start { rounds }, |state, (): ()| {
        let (mut buf, mut seed, mut outer, mut inner) = match mem::replace(state, S::Poisoned) {
            S::Start { rounds } => ([0u8; W4_BUF], W4_SEED, 0..rounds, 0..0),
            S::Suspend0 { buf, seed, outer, inner } => (buf, seed, outer, inner),
            S::Done => {
                *state = S::Done;
                return Complete(());
            }
            S::Poisoned => resumed_after_panicking(),
        };
        loop {
            if let Some(i) = inner.next() {
                let y = buf[i];
                *state = S::Suspend0 { buf, seed, outer, inner };
                return Yielded(y);
            }
            match outer.next() {
                Some(_) => {
                    refill(&mut buf, &mut seed);
                    inner = 0..W4_BUF;
                }
                None => {
                    *state = S::Done;
                    return Complete(());
                }
            }
        }
    })
}

pub fn w4_inplace(rounds: u64) -> impl Iterator<Item = u8> {
    enum S<B, D, O, I> {
        Start { rounds: u64 },
        Suspend0 { buf: B, seed: D, outer: O, inner: I },
        Done,
    }
    machine(S::Start { rounds }, |state, (): ()| loop {
        match state {
            S::Start { rounds } => {
                *state = S::Suspend0 { buf: [0u8; W4_BUF], seed: W4_SEED, outer: 0..*rounds, inner: 0..0 }
            }
            S::Suspend0 { buf, seed, outer, inner } => loop {
                if let Some(i) = inner.next() {
                    return Yielded(buf[i]);
                }
                match outer.next() {
                    Some(_) => {
                        refill(buf, seed);
                        *inner = 0..W4_BUF;
                    }
                    None => {
                        *state = S::Done;
                        return Complete(());
                    }
                }
            },
            S::Done => return Complete(()),
        }
    })
}

/// `shape-inplace` with the resume variant tested first (`if let`), the rest in a cold `match`.
pub fn w4_inplace_hot(rounds: u64) -> impl Iterator<Item = u8> {
    // Concrete field types: with the hot arm first, inference by program order (DESIGN.md)
    // no longer sees the Start arm's assignments before the hot arm uses the fields.
    enum S {
        Start { rounds: u64 },
        Suspend0 { buf: [u8; W4_BUF], seed: u64, outer: std::ops::Range<u64>, inner: std::ops::Range<usize> },
        Done,
    }
    machine(S::Start { rounds }, |state, (): ()| loop {
        if let S::Suspend0 { buf, seed, outer, inner } = state {
            loop {
                if let Some(i) = inner.next() {
                    return Yielded(buf[i]);
                }
                match outer.next() {
                    Some(_) => {
                        refill(buf, seed);
                        *inner = 0..W4_BUF;
                    }
                    None => {
                        *state = S::Done;
                        return Complete(());
                    }
                }
            }
        }
        match state {
            S::Start { rounds } => {
                *state = S::Suspend0 { buf: [0u8; W4_BUF], seed: W4_SEED, outer: 0..*rounds, inner: 0..0 }
            }
            S::Done => return Complete(()),
            S::Suspend0 { .. } => unreachable!(),
        }
    })
}

// ---------------------------------------------------------------- W5
pub fn w5_replace() -> impl resumable::Coroutine<u64, Yield = u64, Return = ()> {
    enum S<T> {
        Start,
        Suspend0 { sum: T },
        Poisoned,
    }
    machine(S::Start, |state, arg: u64| -> CoroutineState<u64, ()> {
        match mem::replace(state, S::Poisoned) {
            S::Start => {
                let _ = arg;
                let sum = 0u64;
                *state = S::Suspend0 { sum };
                Yielded(sum)
            }
            S::Suspend0 { mut sum } => {
                let x = arg;
                sum = sum.wrapping_add(x);
                *state = S::Suspend0 { sum };
                Yielded(sum)
            }
            S::Poisoned => resumed_after_panicking(),
        }
    })
}

pub fn w5_inplace() -> impl resumable::Coroutine<u64, Yield = u64, Return = ()> {
    enum S<T> {
        Start,
        Suspend0 { sum: T },
    }
    machine(S::Start, |state, arg: u64| -> CoroutineState<u64, ()> {
        match state {
            S::Start => {
                *state = S::Suspend0 { sum: 0u64 };
                Yielded(0)
            }
            S::Suspend0 { sum } => {
                *sum = sum.wrapping_add(arg);
                Yielded(*sum)
            }
        }
    })
}

// ---------------------------------------------------------------- W6
/// The recursive walk's own state enum, one per active call; the driver resumes the top.
#[derive(Clone, Copy)]
enum W6Frame {
    Start { n: u32 },
    AfterLeft { n: u32 },
    AfterVal { n: u32 },
    AfterRight,
}

pub struct W6Frames {
    t: &'static Tree,
    frames: Vec<W6Frame>,
    /// Tail delegation (`yield_from!` as the last statement) replaces the frame.
    tail: bool,
}

pub fn w6_frames(t: &'static Tree, tail: bool) -> W6Frames {
    W6Frames { t, frames: vec![W6Frame::Start { n: t.root }], tail }
}

impl Iterator for W6Frames {
    type Item = u64;
    #[inline]
    fn next(&mut self) -> Option<u64> {
        loop {
            let top = self.frames.last_mut()?;
            match *top {
                W6Frame::Start { n } => {
                    let left = self.t.nodes[n as usize].left;
                    *top = W6Frame::AfterLeft { n };
                    if left != NIL {
                        self.frames.push(W6Frame::Start { n: left });
                    }
                }
                W6Frame::AfterLeft { n } => {
                    *top = W6Frame::AfterVal { n };
                    return Some(self.t.nodes[n as usize].val);
                }
                W6Frame::AfterVal { n } => {
                    let right = self.t.nodes[n as usize].right;
                    if right == NIL {
                        self.frames.pop();
                    } else if self.tail {
                        *top = W6Frame::Start { n: right };
                    } else {
                        *top = W6Frame::AfterRight;
                        self.frames.push(W6Frame::Start { n: right });
                    }
                }
                W6Frame::AfterRight => {
                    self.frames.pop();
                }
            }
        }
    }
}

pub fn cases() -> Vec<Case> {
    vec![
        Case { w: "W1", imp: "shape-replace", run: |n| fold(w1_replace().take(n as usize)) },
        Case { w: "W1", imp: "shape-inplace", run: |n| fold(w1_inplace().take(n as usize)) },
        Case { w: "W2", imp: "shape-replace-blocks", run: |n| fold(w2_replace_blocks(w2_rows(n))) },
        Case { w: "W2", imp: "shape-replace", run: |n| fold(w2_replace(w2_rows(n))) },
        Case { w: "W2", imp: "shape-replace-dup", run: |n| fold(w2_replace_dup(w2_rows(n))) },
        Case { w: "W2", imp: "shape-inplace", run: |n| fold(w2_inplace(w2_rows(n))) },
        Case { w: "W3", imp: "shape-replace", run: |_| fold(w3_replace(tree())) },
        Case { w: "W3", imp: "shape-inplace", run: |_| fold(w3_inplace(tree())) },
        Case { w: "W4", imp: "shape-replace-blocks", run: |n| fold_u8(w4_replace_blocks(w4_rounds(n))) },
        Case { w: "W4", imp: "shape-replace", run: |n| fold_u8(w4_replace(w4_rounds(n))) },
        Case { w: "W4", imp: "shape-inplace", run: |n| fold_u8(w4_inplace(w4_rounds(n))) },
        Case { w: "W4", imp: "shape-inplace-hot", run: |n| fold_u8(w4_inplace_hot(w4_rounds(n))) },
        Case { w: "W5", imp: "shape-replace", run: |n| ours_drive(n, w5_replace()) },
        Case { w: "W5", imp: "shape-inplace", run: |n| ours_drive(n, w5_inplace()) },
        Case { w: "W6", imp: "shape-frames", run: |_| fold(w6_frames(tree(), false)) },
        Case { w: "W6", imp: "shape-frames-tail", run: |_| fold(w6_frames(tree(), true)) },
    ]
}

#[inline(always)]
fn ours_drive(n: u64, mut c: impl resumable::Coroutine<u64, Yield = u64, Return = ()>) -> u64 {
    let Yielded(y0) = c.resume(0) else { unreachable!() };
    drive_w5(n, y0, |a| match c.resume(a) {
        Yielded(y) => y,
        Complete(()) => unreachable!(),
    })
}

pub fn sizes() -> Vec<(&'static str, String, String)> {
    vec![
        ("shape-replace", size_of_val(&w1_replace()).to_string(), size_of_val(&w4_replace(1)).to_string()),
        ("shape-inplace", size_of_val(&w1_inplace()).to_string(), size_of_val(&w4_inplace(1)).to_string()),
    ]
}
