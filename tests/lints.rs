//! Expansions compiled under `deny(warnings)` and `forbid(unsafe_code)`: a warning from
//! generated code fails this file. Coroutines of many shapes, each also run to check it
//! yields what it says.
//!
//! Shapes that still draw a warning from the expansion are kept as compile-fail cases in
//! `tests/ui/` (`unused-label-after-yield.rs`, `unused-variable-kept-for-drop.rs`); once
//! fixed, they belong here.
#![deny(warnings)]
#![forbid(unsafe_code)]
#![deny(clippy::all, rust_2018_idioms)]

use resumable::{Coroutine, CoroutineState};
use std::fmt::Debug;

#[resumable::coroutine]
fn counted_loop(n: u32) -> impl Iterator<Item = u32> + Clone + Debug {
    let mut i = 0;
    loop {
        if i == n {
            break;
        }
        yield_!(i);
        i += 1;
    }
}

#[resumable::coroutine]
fn while_and_for(words: Vec<&'static str>) -> impl Iterator<Item = usize> {
    let mut stack = vec![3, 2, 1];
    while let Some(top) = stack.pop() {
        yield_!(top);
    }
    for w in words {
        yield_!(w.len());
    }
    let mut k = 0;
    while k < 2 {
        k += 1;
        yield_!(100 + k);
    }
}

enum Op {
    Push(i64),
    Add,
    Print,
    Stop,
}

#[resumable::coroutine]
fn matches(ops: Vec<Op>) -> impl Iterator<Item = i64> {
    let mut acc = Vec::new();
    for op in ops {
        match op {
            Op::Push(v) if v < 0 => {
                yield_!(v);
            }
            Op::Push(v) => acc.push(v),
            Op::Add => {
                let s: i64 = acc.iter().sum();
                acc.clear();
                acc.push(s);
            }
            Op::Print | Op::Stop => {
                // A borrow of `acc` cannot live across a yield: iterate over a copy.
                for v in acc.clone() {
                    yield_!(v);
                }
                if matches!(op, Op::Stop) {
                    return;
                }
            }
        }
    }
    yield_!(-100);
}

#[resumable::coroutine]
fn early_return(limit: u32) -> impl Coroutine<u32, Yield = u32, Return = &'static str> {
    let mut total = 0;
    loop {
        let x = yield_!(total);
        if x == 0 {
            return "zero";
        }
        total += x;
        if total > limit {
            break "over";
        }
    }
}

#[resumable::coroutine(arg = first)]
fn question_mark(
) -> impl Coroutine<String, Yield = i32, Return = Result<i32, std::num::ParseIntError>> {
    let mut sum: i32 = first.parse()?;
    loop {
        let next: String = yield_!(sum);
        if next.is_empty() {
            return Ok(sum);
        }
        sum += next.parse::<i32>()?;
    }
}

#[resumable::coroutine]
fn let_else(items: Vec<Option<u8>>) -> impl Iterator<Item = u8> {
    for item in items {
        let Some(v) = item else {
            yield_!(0);
            continue;
        };
        yield_!(v);
    }
}

#[resumable::coroutine]
fn labeled() -> impl Iterator<Item = (u8, u8)> {
    let mut i = 0;
    'outer: loop {
        if i >= 3 {
            break 'outer;
        }
        i += 1;
        let mut j = 0;
        'inner: loop {
            j += 1;
            if j > i {
                continue 'outer;
            }
            if j == 2 {
                break 'inner;
            }
            yield_!((i, j));
        }
        yield_!((i, 0));
    }
}

#[resumable::coroutine]
fn break_with_value() -> impl Iterator<Item = u32> {
    let mut n = 1;
    let found = loop {
        n *= 3;
        if n > 20 {
            break n;
        }
        yield_!(n);
    };
    yield_!(found);
}

#[resumable::coroutine]
fn delegate() -> impl Iterator<Item = u32> {
    yield_from!(counted_loop(2));
    yield_from!([7, 8]);
}

#[resumable::coroutine]
fn child(base: u32) -> impl Coroutine<u32, Yield = u32, Return = u32> {
    let a = yield_!(base);
    let b = yield_!(base + a);
    a + b
}

#[resumable::coroutine]
fn parent() -> impl Coroutine<u32, Yield = u32, Return = u32> + Send {
    let r = yield_from!(child(10));
    r * 2
}

// Recursive delegation, on a trampoline: frames resumed with `()` here, with `Resume<A, R>`
// in `depth_sum`.
#[resumable::coroutine]
fn halves(lo: u32, hi: u32) -> impl Iterator<Item = u32> + Clone + Debug + Send {
    if hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        yield_from!(Box::new(halves(lo, mid)));
        yield_from!(halves(mid, hi));
    } else {
        yield_!(lo);
    }
}

#[resumable::coroutine(arg = first)]
fn depth_sum(depth: u32) -> impl Coroutine<u32, Yield = u32, Return = u32> + Debug {
    let mut total = first;
    if depth > 0 {
        total += yield_from!(Box::new(depth_sum(depth - 1)), first + 1);
    }
    let x = yield_!(total);
    total + x
}

struct Walker {
    items: Vec<u32>,
}

impl Walker {
    #[resumable::coroutine]
    fn walk(&self) -> impl Iterator<Item = u32> + '_ {
        for x in &self.items {
            yield_!(*x);
        }
    }

    #[resumable::coroutine]
    fn drain(mut self) -> impl Iterator<Item = u32> {
        while let Some(x) = self.items.pop() {
            yield_!(x);
        }
    }
}

#[resumable::coroutine]
fn generic<T, const N: usize>(value: T) -> impl Iterator<Item = T>
where
    T: Clone + Debug + PartialEq,
{
    for _ in 0..N {
        yield_!(value.clone());
    }
}

#[resumable::coroutine]
fn shadowing() -> impl Iterator<Item = String> {
    let x = 1;
    yield_!(x.to_string());
    let x = format!("{x}!");
    yield_!(x.clone());
    let x = x.len();
    yield_!(x.to_string());
}

#[resumable::coroutine]
fn after_inner_loop() -> impl Iterator<Item = u32> {
    loop {
        yield_!(1);
        break;
    }
    yield_!(2);
}

fn generator_shapes(n: u32) -> impl Iterator<Item = u32> {
    resumable::generator! {
        let mut i = 0;
        while i < n {
            if i % 2 == 0 {
                yield!(i);
            } else {
                yield!(i * 10);
            }
            i += 1;
        }
    }
}

#[resumable::coroutine]
fn borrows_across_yields(mut v: Vec<u32>) -> impl Iterator<Item = u32> + Clone + Debug {
    let r = &v;
    yield_!(r[0]);
    let n = r.len() as u32;
    for x in &mut v {
        *x += n;
        yield_!(*x);
    }
    for x in v.iter() {
        yield_!(*x);
    }
}

#[test]
fn recursive_delegation() {
    assert_eq!(halves(0, 5).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    let mut c = depth_sum(2);
    assert_eq!(c.resume(1), CoroutineState::Yielded(3));
    assert_eq!(c.resume(10), CoroutineState::Yielded(15));
    assert_eq!(c.resume(100), CoroutineState::Yielded(116));
    assert_eq!(c.resume(1000), CoroutineState::Complete(1116));
}

#[test]
fn loops() {
    let it = counted_loop(3);
    assert_eq!(format!("{it:?}").split(' ').next(), Some("counted_loop"));
    assert_eq!(it.clone().collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(
        while_and_for(vec!["a", "bcd"]).collect::<Vec<_>>(),
        [1, 2, 3, 1, 3, 101, 102]
    );
    assert_eq!(
        borrows_across_yields(vec![1, 2]).collect::<Vec<_>>(),
        [1, 3, 4, 3, 4]
    );
}

#[test]
fn match_arms() {
    let ops = vec![
        Op::Push(1),
        Op::Push(-5),
        Op::Push(2),
        Op::Add,
        Op::Print,
        Op::Push(4),
        Op::Stop,
        Op::Push(9),
    ];
    assert_eq!(matches(ops).collect::<Vec<_>>(), [-5, 3, 3, 4]);
    assert_eq!(
        matches(vec![Op::Push(1), Op::Print]).collect::<Vec<_>>(),
        [1, -100]
    );
}

#[test]
fn returns() {
    let mut c = early_return(10);
    assert_eq!(c.resume(0), CoroutineState::Yielded(0));
    assert_eq!(c.resume(4), CoroutineState::Yielded(4));
    assert_eq!(c.resume(7), CoroutineState::Complete("over"));
    let mut c = early_return(10);
    assert_eq!(c.resume(0), CoroutineState::Yielded(0));
    assert_eq!(c.resume(0), CoroutineState::Complete("zero"));

    let mut q = question_mark();
    assert_eq!(q.resume("2".into()), CoroutineState::Yielded(2));
    assert_eq!(q.resume("3".into()), CoroutineState::Yielded(5));
    assert_eq!(q.resume(String::new()), CoroutineState::Complete(Ok(5)));
    let mut q = question_mark();
    assert_eq!(q.resume("2".into()), CoroutineState::Yielded(2));
    assert!(matches!(
        q.resume("x".into()),
        CoroutineState::Complete(Err(_))
    ));
}

#[test]
fn control_flow() {
    assert_eq!(
        let_else(vec![Some(1), None, Some(3)]).collect::<Vec<_>>(),
        [1, 0, 3]
    );
    assert_eq!(
        labeled().collect::<Vec<_>>(),
        [(1, 1), (2, 1), (2, 0), (3, 1), (3, 0)]
    );
    assert_eq!(break_with_value().collect::<Vec<_>>(), [3, 9, 27]);
}

#[test]
fn delegation() {
    assert_eq!(delegate().collect::<Vec<_>>(), [0, 1, 7, 8]);
    let mut p = parent();
    assert_eq!(p.resume(0), CoroutineState::Yielded(10));
    assert_eq!(p.resume(1), CoroutineState::Yielded(11));
    assert_eq!(p.resume(2), CoroutineState::Complete(6));
}

#[test]
fn methods_generics_shadowing() {
    let w = Walker {
        items: vec![1, 2, 3],
    };
    assert_eq!(w.walk().collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(w.drain().collect::<Vec<_>>(), [3, 2, 1]);
    assert_eq!(generic::<_, 2>('z').collect::<String>(), "zz");
    assert_eq!(shadowing().collect::<Vec<_>>(), ["1", "1!", "2"]);
    assert_eq!(generator_shapes(4).collect::<Vec<_>>(), [0, 10, 2, 30]);
}

/// The statements after a loop that suspends must run when the loop is left after a resume.
#[test]
fn code_after_a_loop_that_yields() {
    assert_eq!(after_inner_loop().collect::<Vec<_>>(), [1, 2]);
}
