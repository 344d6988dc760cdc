//! Runtime semantics of `#[resumable::coroutine]` and `generator!` (issue 2, points 7 and 8):
//! fusing, the panics after completion and after a panic, drop order and exactly-once drops,
//! `Clone` forks, `Debug`, `Inspect`, auto traits and the size of the state.
//!
//! The drop tests compare each coroutine with a plain-function twin written from the same
//! tokens: in the twin, `yield_!` logs the yield point and, at the chosen point, panics, so
//! the unwinding drops what ordinary Rust holds there. Dropping a coroutine suspended at that
//! point must drop the same values in the same order.

mod common;

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{run, run_with};
use resumable::{generator, Coroutine, CoroutineState, Inspect, Status};

// ---------------------------------------------------------------- helpers

thread_local! {
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static POINT: Cell<u32> = const { Cell::new(0) };
    static STOP_AT: Cell<u32> = const { Cell::new(0) };
}

fn log(s: impl Into<String>) {
    LOG.with(|l| l.borrow_mut().push(s.into()));
}

fn take_log() -> Vec<String> {
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

/// A value that logs its name when dropped.
#[derive(Debug, Clone, PartialEq)]
struct D(&'static str);

impl Drop for D {
    fn drop(&mut self) {
        log(self.0);
    }
}

/// The message of a caught panic.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        panic!("panic payload is neither &str nor String")
    }
}

/// Runs `f`, expecting it to panic; returns the message.
fn expect_panic<R>(f: impl FnOnce() -> R) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic"),
        Err(payload) => panic_message(payload),
    }
}

// The plain twin's yield: logs the yield point, and unwinds at the chosen one.
macro_rules! yield_ {
    ($v:expr) => {{
        let v: u32 = $v;
        log(format!("@{v}"));
        let n = POINT.with(|p| {
            p.set(p.get() + 1);
            p.get()
        });
        if STOP_AT.with(|s| s.get()) == n {
            std::panic::resume_unwind(Box::new("stop"));
        }
    }};
}

/// Defines a `#[resumable::coroutine]` iterator and its plain twin from one body.
macro_rules! twin {
    ($co:ident, $plain:ident, { $($body:tt)* }) => {
        #[resumable::coroutine]
        fn $co() -> impl Iterator<Item = u32> {
            $($body)*
        }

        fn $plain() {
            $($body)*
        }
    };
}

/// The log of the plain twin run to its end, and of the coroutine collected to its end.
fn completed(co: impl Iterator<Item = u32>, plain: fn()) -> (Vec<String>, Vec<String>) {
    take_log();
    POINT.with(|p| p.set(0));
    STOP_AT.with(|s| s.set(0));
    plain();
    let want = take_log();
    for v in co {
        log(format!("@{v}"));
    }
    (take_log(), want)
}

/// The log of the plain twin unwinding at its `k`-th yield, and of the coroutine dropped
/// while suspended at its `k`-th yield (`k == 0`: dropped before the first resume).
fn dropped_at<I: Iterator<Item = u32>>(
    co: impl Fn() -> I,
    plain: fn(),
    k: u32,
) -> (Vec<String>, Vec<String>) {
    take_log();
    POINT.with(|p| p.set(0));
    STOP_AT.with(|s| s.set(k));
    if k > 0 {
        let r = catch_unwind(plain);
        assert!(r.is_err(), "the twin has fewer than {k} yield points");
    }
    let want = take_log();
    let mut c = co();
    for _ in 0..k {
        let v = c
            .next()
            .expect("the coroutine has fewer yield points than its twin");
        log(format!("@{v}"));
    }
    drop(c);
    (take_log(), want)
}

/// Checks `co` against its twin: completed, and dropped at each of its `n` yield points.
fn check_twin<I: Iterator<Item = u32>>(co: impl Fn() -> I, plain: fn(), n: u32) {
    let (got, want) = completed(co(), plain);
    assert_eq!(got, want, "run to completion");
    let points = want.iter().filter(|e| e.starts_with('@')).count();
    assert_eq!(points, n as usize, "the twin has {points} yield points");
    for k in 0..=n {
        let (got, want) = dropped_at(&co, plain, k);
        assert_eq!(got, want, "dropped while suspended at yield #{k}");
    }
}

// ---------------------------------------------------------------- fused, completion, poison

#[resumable::coroutine]
fn two() -> impl Iterator<Item = u8> + Inspect {
    yield_!(1);
    yield_!(2);
}

#[test]
fn iterator_form_is_fused() {
    let mut it = two();
    assert_eq!(it.by_ref().collect::<Vec<_>>(), [1, 2]);
    for _ in 0..5 {
        assert_eq!(it.next(), None);
    }
    assert!(it.is_done());
}

#[test]
fn iterator_form_implements_fused_iterator() {
    // The macro accepts only `impl Iterator<Item = Y> + ..`, so the supertrait is spelled out.
    #[allow(clippy::implied_bounds_in_impls)]
    #[resumable::coroutine]
    fn two_fused() -> impl Iterator<Item = u8> + std::iter::FusedIterator {
        yield_!(1);
    }
    fn fused<I: std::iter::FusedIterator>(_: &I) {}
    let mut it = two_fused();
    fused(&it);
    assert_eq!(it.next(), Some(1));
    assert_eq!(it.next(), None);
    assert_eq!(it.next(), None);
    fused(&generator! { yield!(1u8) });
}

#[resumable::coroutine]
fn early_exit(stop: bool) -> impl Iterator<Item = u8> {
    yield_!(1);
    if stop {
        return;
    }
    yield_!(2);
}

#[test]
fn iterator_form_is_fused_after_an_early_return() {
    let mut it = early_exit(true);
    assert_eq!(it.next(), Some(1));
    assert_eq!(it.next(), None);
    assert_eq!(it.next(), None);
    assert_eq!(early_exit(false).collect::<Vec<_>>(), [1, 2]);
}

#[resumable::coroutine]
fn one_then_done() -> impl Coroutine<Yield = u8, Return = &'static str> + Inspect {
    yield_!(1);
    "done"
}

#[test]
fn coroutine_form_panics_when_resumed_after_completion() {
    let mut c = one_then_done();
    assert_eq!(c.resume(()), CoroutineState::Yielded(1));
    assert_eq!(c.resume(()), CoroutineState::Complete("done"));
    assert!(c.is_done());
    let msg = expect_panic(|| c.resume(()));
    assert_eq!(msg, "coroutine resumed after completion");
}

#[test]
fn resuming_a_completed_coroutine_again_still_says_completion() {
    // As std's coroutines do: the state stays `Returned`, every later resume says so.
    let mut c = one_then_done();
    c.resume(());
    assert_eq!(c.resume(()), CoroutineState::Complete("done"));
    assert_eq!(
        expect_panic(|| c.resume(())),
        "coroutine resumed after completion"
    );
    assert_eq!(c.status(), Status::Complete);
    assert_eq!(
        expect_panic(|| c.resume(())),
        "coroutine resumed after completion"
    );
}

#[test]
fn coroutine_form_without_yields_panics_after_completion() {
    #[resumable::coroutine]
    fn immediate() -> impl Coroutine<Yield = (), Return = u8> {
        7
    }
    let mut c = immediate();
    assert_eq!(c.resume(()), CoroutineState::Complete(7));
    assert_eq!(
        expect_panic(|| c.resume(())),
        "coroutine resumed after completion"
    );
}

#[resumable::coroutine]
fn fragile() -> impl Coroutine<u8, Yield = u8, Return = u8> + Inspect {
    let mut sum = 0;
    loop {
        let x = yield_!(sum);
        if x == 0 {
            panic!("boom at {sum}");
        }
        sum += x;
        if sum > 100 {
            return sum;
        }
    }
}

#[test]
fn a_panic_inside_poisons_the_coroutine() {
    let mut c = fragile();
    assert_eq!(c.resume(0), CoroutineState::Yielded(0));
    assert_eq!(c.resume(5), CoroutineState::Yielded(5));
    assert_eq!(expect_panic(|| c.resume(0)), "boom at 5");
    assert_eq!(c.status(), Status::Poisoned);
    assert!(!c.is_done());
    assert_eq!(
        expect_panic(|| c.resume(1)),
        "coroutine resumed after panicking"
    );
    assert_eq!(
        expect_panic(|| c.resume(1)),
        "coroutine resumed after panicking"
    );
}

#[test]
fn a_panic_on_the_first_resume_poisons_too() {
    #[resumable::coroutine]
    fn at_once() -> impl Iterator<Item = u8> + Inspect {
        let v: Vec<u8> = Vec::new();
        yield_!(v[3]);
    }
    let mut it = at_once();
    let msg = expect_panic(|| it.next());
    assert!(msg.contains("index out of bounds"), "{msg}");
    assert_eq!(it.status(), Status::Poisoned);
    assert_eq!(
        expect_panic(|| it.next()),
        "coroutine resumed after panicking"
    );
}

#[test]
fn iterator_form_panics_after_a_panic_inside() {
    let mut g = generator! {
        yield!(1);
        let v: Option<u8> = "x".parse().ok();
        yield!(v.expect("no value"));
    };
    assert_eq!(g.next(), Some(1));
    assert_eq!(expect_panic(|| g.next()), "no value");
    assert_eq!(
        expect_panic(|| g.next()),
        "coroutine resumed after panicking"
    );
}

#[test]
fn a_panic_drops_the_live_locals_exactly_once() {
    #[resumable::coroutine]
    fn holds() -> impl Coroutine<bool, Yield = u8, Return = ()> {
        let _a = D("a");
        let b = D("b");
        let fail = yield_!(1);
        if fail {
            panic!("fail");
        }
        drop(b);
    }
    take_log();
    let mut c = holds();
    assert_eq!(c.resume(false), CoroutineState::Yielded(1));
    assert_eq!(take_log(), Vec::<String>::new());
    assert_eq!(expect_panic(|| c.resume(true)), "fail");
    assert_eq!(take_log(), ["b", "a"]);
    drop(c);
    assert_eq!(take_log(), Vec::<String>::new());
}

// ---------------------------------------------------------------- drop order against twins

twin!(co_straight, plain_straight, {
    let _a = D("a");
    yield_!(1);
    let _b = D("b");
    yield_!(2);
    {
        let _c = D("c");
        yield_!(3);
        let _d = D("d");
    }
    yield_!(4);
    let _e = D("e");
});

#[test]
fn drops_straight_line_like_ordinary_rust() {
    check_twin(co_straight, plain_straight, 4);
    let (got, _) = completed(co_straight(), plain_straight);
    assert_eq!(got, ["@1", "@2", "@3", "d", "c", "@4", "e", "b", "a"]);
}

twin!(co_loop_break, plain_loop_break, {
    let _a = D("a");
    for i in 0..3 {
        let _b = D("b");
        yield_!(10 + i);
        if i == 1 {
            break;
        }
        let _c = D("c");
        yield_!(20 + i);
    }
    yield_!(99);
});

#[test]
fn drops_in_a_loop_with_break_like_ordinary_rust() {
    check_twin(co_loop_break, plain_loop_break, 4);
    let (got, _) = completed(co_loop_break(), plain_loop_break);
    assert_eq!(got, ["@10", "@20", "c", "b", "@11", "b", "@99", "a"]);
}

twin!(co_early_return, plain_early_return, {
    let _a = D("a");
    yield_!(1);
    if POINT.with(|p| p.get()) < 100 {
        let _b = D("b");
        yield_!(2);
        return;
    }
    let _c = D("c");
    yield_!(3);
});

#[test]
fn drops_on_early_return_like_ordinary_rust() {
    check_twin(co_early_return, plain_early_return, 2);
}

twin!(co_shadow, plain_shadow, {
    let x = D("x1");
    yield_!(1);
    let x = D(if x.0.is_empty() { "never" } else { "x2" });
    yield_!(2);
    let _y = x;
    yield_!(3);
});

#[test]
fn shadowed_locals_live_to_the_end_of_their_scope() {
    check_twin(co_shadow, plain_shadow, 3);
    let (got, _) = completed(co_shadow(), plain_shadow);
    assert_eq!(got, ["@1", "@2", "@3", "x2", "x1"]);
}

twin!(co_guard, plain_guard, {
    let _guard = D("guard");
    let _ = D("wildcard");
    yield_!(1);
    {
        let _inner = D("inner");
        yield_!(2);
    }
    yield_!(3);
});

#[test]
fn guard_held_across_yields_drops_at_scope_end() {
    check_twin(co_guard, plain_guard, 3);
    let (got, _) = completed(co_guard(), plain_guard);
    assert_eq!(got, ["wildcard", "@1", "@2", "inner", "@3", "guard"]);
}

twin!(co_moves, plain_moves, {
    let a = D("a");
    let b = D("b");
    yield_!(1);
    drop(a);
    yield_!(2);
    let c = b;
    yield_!(3);
    let v = vec![c, D("d")];
    yield_!(4);
    drop(v);
    yield_!(5);
});

#[test]
fn moved_values_drop_once_where_they_went() {
    check_twin(co_moves, plain_moves, 5);
    let (got, _) = completed(co_moves(), plain_moves);
    assert_eq!(got, ["@1", "a", "@2", "@3", "@4", "b", "d", "@5"]);
}

twin!(co_branches, plain_branches, {
    let o = Some(D("some"));
    if let Some(d) = o {
        yield_!(1);
        let _e = D("e");
        yield_!(2);
        drop(d);
    }
    let mut v = vec![D("v1"), D("v2")];
    while let Some(x) = v.pop() {
        yield_!(3);
        match x {
            D("v2") => {
                let _m = D("m");
                yield_!(4);
            }
            other => {
                yield_!(5);
                drop(other);
            }
        }
    }
    yield_!(6);
});

#[test]
#[ignore = "macro bug B12c: `match x { D(\"v2\") => { yield } other => drop(other) }` drops x before the yield, not at scope end"]
fn drops_in_if_let_while_let_and_match_like_ordinary_rust() {
    check_twin(co_branches, plain_branches, 7);
}

twin!(co_labeled, plain_labeled, {
    let _a = D("a");
    'outer: for i in 0..3u32 {
        let _o = D("o");
        for j in 0..3u32 {
            let _i = D("i");
            yield_!(i * 10 + j);
            if j == 1 {
                continue 'outer;
            }
            if i == 2 {
                break 'outer;
            }
        }
    }
    yield_!(100);
});

#[test]
fn drops_on_labeled_break_and_continue_like_ordinary_rust() {
    check_twin(co_labeled, plain_labeled, 6);
}

#[test]
fn generator_drops_moved_in_values_when_dropped_unstarted_or_suspended() {
    take_log();
    let a = D("a");
    let g = generator! {
        yield!(a.0.len());
        yield!(2);
    };
    drop(g);
    assert_eq!(take_log(), ["a"]);

    let b = D("b");
    let mut g = generator! {
        let _b = b;
        let _c = D("c");
        yield!(1);
        yield!(2);
    };
    assert_eq!(g.next(), Some(1));
    assert_eq!(take_log(), Vec::<String>::new());
    drop(g);
    assert_eq!(take_log(), ["c", "b"]);
}

#[resumable::coroutine]
fn with_args(a: D, b: D) -> impl Coroutine<Yield = u8, Return = ()> {
    let _c = D("c");
    yield_!(1);
    let _keep = (&a, &b);
}

#[test]
fn arguments_drop_after_locals_in_reverse_order() {
    // Ordinary Rust drops the locals, then the arguments in reverse order.
    fn plain(_a: D, _b: D) {
        let _c = D("c");
    }
    take_log();
    plain(D("a"), D("b"));
    assert_eq!(take_log(), ["c", "b", "a"]);

    assert_eq!(run(with_args(D("a"), D("b"))), (vec![1], ()));
    assert_eq!(take_log(), ["c", "b", "a"]);

    let mut c = with_args(D("a"), D("b"));
    c.resume(());
    drop(c);
    assert_eq!(take_log(), ["c", "b", "a"]);
}

#[test]
fn unstarted_coroutine_drops_its_arguments_exactly_once() {
    take_log();
    drop(with_args(D("a"), D("b")));
    let mut got = take_log();
    got.sort();
    assert_eq!(got, ["a", "b"]);
}

#[test]
fn unstarted_coroutine_drops_its_arguments_in_declaration_order_like_async_fn() {
    // rustc drops an unpolled `async fn f(a: D, b: D)` future's arguments as a, b.
    take_log();
    drop(with_args(D("a"), D("b")));
    assert_eq!(take_log(), ["a", "b"]);
}

#[resumable::coroutine]
fn gives_away() -> impl Iterator<Item = D> {
    let a = D("a");
    let b = D("b");
    yield_!(a);
    yield_!(D("tmp"));
    let _keep = &b;
}

#[test]
fn yielded_values_belong_to_the_caller() {
    take_log();
    let mut it = gives_away();
    let a = it.next().unwrap();
    assert_eq!(a.0, "a");
    assert_eq!(take_log(), Vec::<String>::new());
    drop(a);
    assert_eq!(take_log(), ["a"]);
    let tmp = it.next().unwrap();
    assert_eq!(tmp.0, "tmp");
    drop(it);
    assert_eq!(take_log(), ["b"]);
    drop(tmp);
    assert_eq!(take_log(), ["tmp"]);
}

#[resumable::coroutine]
fn takes_resume_values() -> impl Coroutine<D, Yield = u8, Return = &'static str> {
    let x = yield_!(1);
    yield_!(2);
    x.0
}

#[test]
fn first_resume_argument_is_dropped_by_that_resume() {
    take_log();
    let mut c = takes_resume_values();
    assert_eq!(c.resume(D("first")), CoroutineState::Yielded(1));
    assert_eq!(take_log(), ["first"]);
    assert_eq!(c.resume(D("second")), CoroutineState::Yielded(2));
    assert_eq!(take_log(), Vec::<String>::new());
    assert_eq!(c.resume(D("third")), CoroutineState::Complete("second"));
    // `third` is the value of the unused `yield_!(2)`: dropped at once; then `x`.
    assert_eq!(take_log(), ["third", "second"]);
}

#[resumable::coroutine(arg = first)]
fn binds_first() -> impl Coroutine<D, Yield = u8, Return = ()> {
    let _second = yield_!(1);
    let _keep = &first;
}

#[test]
fn arg_attribute_binding_drops_at_scope_end() {
    take_log();
    let mut c = binds_first();
    assert_eq!(c.resume(D("first")), CoroutineState::Yielded(1));
    assert_eq!(take_log(), Vec::<String>::new());
    assert_eq!(c.resume(D("second")), CoroutineState::Complete(()));
    assert_eq!(take_log(), ["second", "first"]);

    let mut c = binds_first();
    c.resume(D("first"));
    drop(c);
    assert_eq!(take_log(), ["first"]);
}

#[resumable::coroutine]
fn sub_holding() -> impl Coroutine<Yield = u8, Return = u8> {
    let _s = D("sub");
    yield_!(1);
    yield_!(2);
    3
}

#[resumable::coroutine]
fn outer_holding() -> impl Coroutine<Yield = u8, Return = u8> {
    let _o = D("outer");
    let r = yield_from!(sub_holding());
    let _after = D("after");
    yield_!(r);
    r + 1
}

#[test]
fn dropping_while_delegating_drops_the_sub_coroutine_then_the_outer_locals() {
    take_log();
    let mut c = outer_holding();
    assert_eq!(c.resume(()), CoroutineState::Yielded(1));
    drop(c);
    assert_eq!(take_log(), ["sub", "outer"]);

    assert_eq!(run(outer_holding()), (vec![1, 2, 3], 4));
    assert_eq!(take_log(), ["sub", "after", "outer"]);
}

#[resumable::coroutine]
fn shadow_then_move() -> impl Iterator<Item = u8> {
    let x = D("x1");
    yield_!(1);
    let x = D("x2");
    yield_!(2);
    let _y = &x;
}

#[test]
fn shadowed_local_drops_after_its_shadow() {
    take_log();
    assert_eq!(shadow_then_move().collect::<Vec<_>>(), [1, 2]);
    assert_eq!(take_log(), ["x2", "x1"]);
}

#[resumable::coroutine]
fn read_field_then_yield() -> impl Iterator<Item = u8> {
    let x = D("x");
    let _n = x.0;
    yield_!(1);
    let _y = D("y");
    yield_!(2);
}

#[test]
#[ignore = "macro bug B12b: `let x = D(x); let _n = x.0; yield_!(1); let _y = D(y); yield_!(2);` drops x on the 2nd resume"]
fn local_read_before_a_yield_drops_at_scope_end() {
    take_log();
    let mut it = read_field_then_yield();
    assert_eq!(it.next(), Some(1));
    assert_eq!(it.next(), Some(2));
    assert_eq!(take_log(), Vec::<String>::new());
    assert_eq!(it.next(), None);
    assert_eq!(take_log(), ["y", "x"]);
}

#[resumable::coroutine]
fn maybe_moved() -> impl Iterator<Item = u8> {
    let x = D("x");
    match x {
        D("x") => {
            yield_!(1);
        }
        other => drop(other),
    }
    yield_!(2);
}

#[test]
#[ignore = "macro bug B12c: a local moved in one match arm only is dropped at the end of the other arm, not at scope end"]
fn maybe_moved_local_drops_at_scope_end() {
    // Ordinary Rust keeps `x` (with a drop flag) to the end of the function.
    take_log();
    let mut it = maybe_moved();
    assert_eq!(it.next(), Some(1));
    assert_eq!(it.next(), Some(2));
    assert_eq!(take_log(), Vec::<String>::new());
    assert_eq!(it.next(), None);
    assert_eq!(take_log(), ["x"]);
}

#[test]
#[ignore = "macro bug B12c: `let x = D(..); if mv { drop(x); } yield_!(1);` drops x before the yield when mv is false"]
fn conditionally_moved_local_drops_once() {
    #[resumable::coroutine]
    fn cond(mv: bool) -> impl Iterator<Item = u8> {
        let x = D("x");
        if mv {
            drop(x);
        }
        yield_!(1);
    }
    take_log();
    assert_eq!(cond(true).collect::<Vec<_>>(), [1]);
    assert_eq!(take_log(), ["x"]);
    let mut it = cond(false);
    assert_eq!(it.next(), Some(1));
    assert_eq!(take_log(), Vec::<String>::new());
    drop(it);
    assert_eq!(take_log(), ["x"]);
}

// ---------------------------------------------------------------- Clone

#[resumable::coroutine]
fn words() -> impl Iterator<Item = String> + Clone {
    let mut acc = String::new();
    for w in ["a", "b", "c", "d"] {
        acc.push_str(w);
        yield_!(acc.clone());
    }
}

#[test]
fn clone_forks_a_suspended_coroutine() {
    let mut it = words();
    assert_eq!(it.next().as_deref(), Some("a"));
    assert_eq!(it.next().as_deref(), Some("ab"));
    let mut fork = it.clone();
    assert_eq!(it.next().as_deref(), Some("abc"));
    assert_eq!(it.collect::<Vec<_>>(), ["abcd"]);
    assert_eq!(fork.next().as_deref(), Some("abc"));
    assert_eq!(fork.collect::<Vec<_>>(), ["abcd"]);
}

#[test]
fn clone_of_an_unstarted_and_of_a_finished_coroutine() {
    let fresh = words();
    let copy = fresh.clone();
    assert_eq!(fresh.collect::<Vec<_>>(), ["a", "ab", "abc", "abcd"]);
    assert_eq!(copy.collect::<Vec<_>>(), ["a", "ab", "abc", "abcd"]);
    let mut done = words();
    done.by_ref().for_each(drop);
    let mut done2 = done.clone();
    assert_eq!(done2.next(), None);
}

#[test]
fn clone_duplicates_the_live_locals() {
    #[resumable::coroutine]
    fn hold() -> impl Coroutine<Yield = u8, Return = &'static str> + Clone {
        let d = D("held");
        yield_!(1);
        d.0
    }
    take_log();
    let mut a = hold();
    a.resume(());
    let mut b = a.clone();
    assert_eq!(a.resume(()), CoroutineState::Complete("held"));
    assert_eq!(take_log(), ["held"]);
    assert_eq!(b.resume(()), CoroutineState::Complete("held"));
    assert_eq!(take_log(), ["held"]);
}

#[test]
fn generator_clone_forks() {
    let mut g = generator! {
        let mut n = 0u32;
        loop {
            n += 1;
            yield!(n * n);
        }
    };
    assert_eq!(g.by_ref().take(2).collect::<Vec<_>>(), [1, 4]);
    let fork = g.clone();
    assert_eq!(g.take(2).collect::<Vec<_>>(), [9, 16]);
    assert_eq!(fork.take(3).collect::<Vec<_>>(), [9, 16, 25]);
}

#[test]
fn coroutine_form_clone_keeps_resume_state() {
    #[resumable::coroutine]
    fn acc() -> impl Coroutine<i32, Yield = i32, Return = i32> + Clone {
        let mut total = 0;
        loop {
            let x = yield_!(total);
            if x == 0 {
                return total;
            }
            total += x;
        }
    }
    let mut a = acc();
    a.resume(0);
    a.resume(5);
    let b = a.clone();
    assert_eq!(run_with(a, [1, 0]), (vec![6], 6));
    assert_eq!(run_with(b, [10, 0]), (vec![15], 15));
}

// ---------------------------------------------------------------- Debug and Inspect

/// The 1-based line of this file holding `marker` (once).
fn line_of(marker: &str) -> u32 {
    let src = include_str!("semantics.rs");
    let hits: Vec<usize> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(marker) && !l.contains("line_of("))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(hits.len(), 1, "marker {marker} must occur once");
    hits[0] as u32
}

#[resumable::coroutine]
fn inspected(n: u32) -> impl Iterator<Item = u32> + std::fmt::Debug + Inspect {
    let label = String::from("sq");
    for i in 0..n {
        yield_!(i * i); // @inspect-a
    }
    let _keep = &label;
    yield_!(1000); // @inspect-b
}

#[test]
fn debug_shows_where_it_is_suspended_and_the_live_locals() {
    let mut it = inspected(3);
    assert!(format!("{it:?}").starts_with("inspected (not started)"));
    assert_eq!(it.next(), Some(0));
    assert_eq!(it.next(), Some(1));
    let s = format!("{it:?}");
    let at = format!("{}:{}:", file!(), line_of("// @inspect-a"));
    assert!(s.starts_with("inspected suspended at "), "{s}");
    assert!(s.contains(&at), "{s} does not contain {at}");
    assert!(s.contains("label: \"sq\""), "{s}");
    // The loop's iterator is live too: `0..3` after two steps.
    assert!(s.contains("2..3"), "{s}");
    assert_eq!(it.by_ref().collect::<Vec<_>>(), [4, 1000]);
    assert_eq!(format!("{it:?}"), "inspected (complete)");
}

#[test]
fn debug_of_an_unstarted_coroutine_names_the_arguments_as_written() {
    let it = inspected(3);
    assert_eq!(format!("{it:?}"), "inspected (not started) { n: 3 }");
}

#[test]
fn debug_pretty_prints_the_locals() {
    let mut it = inspected(1);
    it.next();
    let s = format!("{it:#?}");
    assert!(s.contains("suspended at"), "{s}");
    assert!(s.contains("label: \"sq\","), "{s}");
}

#[test]
fn inspect_status_follows_the_coroutine() {
    let mut it = inspected(2);
    assert_eq!(it.status(), Status::NotStarted);
    assert!(!it.is_done());
    assert_eq!(it.next(), Some(0));
    let Status::Suspended(at) = it.status() else {
        panic!("expected suspended, got {:?}", it.status());
    };
    assert_eq!(at.function, "inspected");
    assert_eq!(at.file, file!());
    assert_eq!(at.line, line_of("// @inspect-a"));
    assert_eq!(at.column, 9);
    assert_eq!(
        at.to_string(),
        format!("{}:{}:9", file!(), line_of("// @inspect-a"))
    );
    assert_eq!(it.next(), Some(1));
    assert_eq!(it.status(), Status::Suspended(at));
    assert_eq!(it.next(), Some(1000));
    let Status::Suspended(at_b) = it.status() else {
        panic!("expected suspended");
    };
    assert_eq!(at_b.line, line_of("// @inspect-b"));
    assert_eq!(it.next(), None);
    assert_eq!(it.status(), Status::Complete);
    assert!(it.is_done());
}

#[test]
fn debug_of_a_poisoned_coroutine() {
    #[resumable::coroutine]
    fn bad() -> impl Iterator<Item = u8> + std::fmt::Debug + Inspect {
        yield_!(1);
        panic!("bad");
    }
    let mut it = bad();
    it.next();
    expect_panic(|| it.next());
    assert_eq!(format!("{it:?}"), "bad (poisoned)");
    assert_eq!(it.status(), Status::Poisoned);
}

#[test]
fn generator_debug_and_status() {
    let x = 41u8;
    let mut g = generator! {
        let y = x + 1;
        yield!(y); // @generator-yield
        yield!(y);
    };
    assert_eq!(g.status(), Status::NotStarted);
    assert_eq!(g.next(), Some(42));
    let Status::Suspended(at) = g.status() else {
        panic!("expected suspended");
    };
    assert_eq!(at.function, "generator");
    assert_eq!(at.line, line_of("// @generator-yield"));
    let s = format!("{g:?}");
    assert!(s.starts_with("generator suspended at "), "{s}");
    assert!(s.contains("y: 42"), "{s}");
}

#[test]
fn method_debug_names_the_method() {
    #[derive(Debug)]
    struct S;
    impl S {
        #[resumable::coroutine]
        fn walk(&self) -> impl Iterator<Item = u8> + std::fmt::Debug + '_ {
            yield_!(1); // @method-yield
        }
    }
    let s = S;
    let mut it = s.walk();
    it.next();
    let d = format!("{it:?}");
    assert!(
        d.starts_with(&format!(
            "walk suspended at {}:{}:",
            file!(),
            line_of("// @method-yield")
        )),
        "{d}"
    );
}

// ---------------------------------------------------------------- auto traits and size

fn assert_send<T: Send>(_: &T) {}
fn assert_sync<T: Sync>(_: &T) {}
fn assert_unpin<T: Unpin>(_: &T) {}

#[test]
fn machines_are_send_sync_unpin_when_their_locals_are() {
    let it = words();
    assert_send(&it);
    assert_sync(&it);
    assert_unpin(&it);
    let c = fragile();
    assert_send(&c);
    assert_sync(&c);
    assert_unpin(&c);
    let g = generator! { yield!(String::new()) };
    assert_send(&g);
    assert_sync(&g);
    assert_unpin(&g);
}

#[resumable::coroutine]
fn sendable() -> impl Iterator<Item = u8> + Send + Sync {
    let v = vec![1u8, 2];
    for x in v {
        yield_!(x);
    }
}

#[test]
fn send_bound_passes_through_and_moves_to_another_thread() {
    let mut it = sendable();
    assert_eq!(it.next(), Some(1));
    let rest = std::thread::spawn(move || it.collect::<Vec<_>>())
        .join()
        .unwrap();
    assert_eq!(rest, [2]);
}

#[resumable::coroutine]
fn fib() -> impl Iterator<Item = u64> + Clone + std::fmt::Debug {
    let (mut a, mut b) = (0u64, 1u64);
    loop {
        yield_!(b); // @fib-yield
        (a, b) = (b, a.wrapping_add(b));
    }
}

#[test]
fn fib_sequence() {
    assert_eq!(
        fib().take(10).collect::<Vec<_>>(),
        [1, 1, 2, 3, 5, 8, 13, 21, 34, 55]
    );
}

#[test]
fn fib_machine_is_as_small_as_the_hand_written_enum() {
    #[allow(dead_code)] // only its size matters
    enum H {
        S,
        A { a: u64, b: u64 },
        D,
        P,
    }
    assert_eq!(std::mem::size_of_val(&fib()), std::mem::size_of::<H>());
    assert_eq!(std::mem::size_of::<H>(), 24);
}

#[test]
fn state_size_follows_the_live_set_not_every_local() {
    #[resumable::coroutine]
    fn scratch() -> impl Iterator<Item = u64> {
        let big = [7u64; 64]; // dead before the first yield
        let sum: u64 = big.iter().sum();
        yield_!(sum);
        yield_!(sum + 1);
    }
    #[allow(dead_code)] // only its size matters
    enum H {
        S,
        A { sum: u64 },
        B,
        D,
        P,
    }
    assert_eq!(scratch().collect::<Vec<_>>(), [448, 449]);
    assert_eq!(std::mem::size_of_val(&scratch()), std::mem::size_of::<H>());
}

#[test]
fn a_machine_that_lends_a_local_out_keeps_its_done_flag_apart() {
    fn refill(buf: &mut [u8; 4], round: u8) {
        for (i, b) in buf.iter_mut().enumerate() {
            *b = round * 10 + i as u8;
        }
    }
    #[resumable::coroutine]
    fn bytes(rounds: u8) -> impl Iterator<Item = u8> + Clone + Inspect + std::fmt::Debug {
        let mut buf = [0u8; 4];
        for r in 0..rounds {
            refill(&mut buf, r); // `buf` is lent out: the flag lives beside the state
            for i in 0..4 {
                yield_!(buf[i]);
            }
        }
    }
    #[allow(dead_code)] // only its size matters
    enum H {
        S {
            rounds: u8,
        },
        A {
            buf: [u8; 4],
            r: std::ops::Range<u8>,
            i: std::ops::Range<usize>,
        },
        D,
        P,
    }
    let mut g = bytes(2);
    assert_eq!(std::mem::size_of_val(&g), std::mem::size_of::<(H, bool)>());
    assert_eq!(g.by_ref().take(5).collect::<Vec<_>>(), [0, 1, 2, 3, 10]);
    let fork = g.clone();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [11, 12, 13]);
    assert!(g.is_done());
    assert_eq!(format!("{g:?}"), "bytes (complete)");
    assert_eq!((g.next(), g.next()), (None, None));
    assert_eq!(g.clone().next(), None);
    assert_eq!(fork.collect::<Vec<_>>(), [11, 12, 13]);
    assert_eq!(bytes(0).next(), None);
}

// ---------------------------------------------------------------- driving through adapters

#[test]
fn coroutine_through_mut_ref_and_box() {
    let mut c = one_then_done();
    {
        let r = &mut c;
        assert_eq!(r.resume(()), CoroutineState::Yielded(1));
    }
    let mut b: Box<dyn Coroutine<Yield = u8, Return = &'static str>> = Box::new(c);
    assert_eq!(b.resume(()), CoroutineState::Complete("done"));
    assert_eq!(
        expect_panic(|| b.resume(())),
        "coroutine resumed after completion"
    );
}

#[test]
fn iterator_adapters_stop_early_and_drop_the_rest() {
    take_log();
    let it = generator! {
        let _g = D("g");
        for i in 0..100u32 {
            yield!(i);
        }
    };
    assert_eq!(
        it.filter(|i| i % 2 == 1).take(3).collect::<Vec<_>>(),
        [1, 3, 5]
    );
    assert_eq!(take_log(), ["g"]);
}

// ---------------------------------------------------------------- more drop twins

twin!(co_vec_iter, plain_vec_iter, {
    let _a = D("a");
    for d in vec![D("v1"), D("v2"), D("v3")] {
        yield_!(1);
        let _e = D("e");
        yield_!(2);
        drop(d);
    }
    yield_!(3);
});

#[test]
fn for_over_a_vec_of_droppers_like_ordinary_rust() {
    // Dropped mid-loop: the current element, then the iterator's remaining elements.
    check_twin(co_vec_iter, plain_vec_iter, 7);
}

twin!(co_while, plain_while, {
    let mut n = 0;
    let _a = D("a");
    while n < 3 {
        let _w = D("w");
        n += 1;
        if n == 2 {
            continue;
        }
        yield_!(n);
    }
    let _z = D("z");
    yield_!(10);
});

#[test]
fn while_with_continue_like_ordinary_rust() {
    check_twin(co_while, plain_while, 3);
}

twin!(co_block_value, plain_block_value, {
    let outer = {
        let _t = D("t");
        yield_!(1);
        D("outer")
    };
    yield_!(2);
    let inner = {
        let _u = D("u");
        let k = D("k");
        yield_!(3);
        k
    };
    yield_!(4);
    drop(outer);
    yield_!(5);
    let _keep = &inner;
});

#[test]
fn block_values_and_their_temporaries_like_ordinary_rust() {
    check_twin(co_block_value, plain_block_value, 5);
}

#[test]
fn a_panic_in_a_delegate_poisons_the_outer_and_drops_both_once() {
    #[resumable::coroutine]
    fn sub() -> impl Coroutine<bool, Yield = u8, Return = u8> {
        let _s = D("s");
        let fail = yield_!(1);
        if fail {
            panic!("sub failed");
        }
        2
    }
    #[resumable::coroutine]
    fn outer() -> impl Coroutine<bool, Yield = u8, Return = u8> + Inspect {
        let _o = D("o");
        let r = yield_from!(sub());
        r
    }
    take_log();
    let mut c = outer();
    assert_eq!(c.resume(false), CoroutineState::Yielded(1));
    assert_eq!(expect_panic(|| c.resume(true)), "sub failed");
    assert_eq!(take_log(), ["s", "o"]);
    assert_eq!(c.status(), Status::Poisoned);
    assert_eq!(
        expect_panic(|| c.resume(false)),
        "coroutine resumed after panicking"
    );
    drop(c);
    assert_eq!(take_log(), Vec::<String>::new());
}

#[test]
fn every_clone_drops_its_own_copy_once() {
    let d = D("d");
    let g = generator! {
        let held = d;
        yield!(1);
        yield!(held.0.len());
    };
    take_log();
    let forks: Vec<_> = (0..3).map(|_| g.clone()).collect();
    drop(g);
    assert_eq!(take_log(), ["d"]);
    for (i, mut f) in forks.into_iter().enumerate() {
        if i == 0 {
            assert_eq!(f.by_ref().collect::<Vec<_>>(), [1, 1]);
        } else {
            assert_eq!(f.next(), Some(1));
        }
        drop(f);
        assert_eq!(take_log(), ["d"]);
    }
}

#[test]
fn generator_drops_its_locals_on_completion() {
    let a = D("a");
    let g = generator! {
        let _b = D("b");
        yield!(1);
        let _keep = &a;
    };
    take_log();
    assert_eq!(g.collect::<Vec<_>>(), [1]);
    assert_eq!(take_log(), ["b", "a"]);
}

twin!(co_patterns, plain_patterns, {
    let (a, b) = (D("a"), D("b"));
    yield_!(1);
    let [c, d] = [D("c"), D("d")];
    yield_!(2);
    let (e, (f, _)) = (D("e"), (D("f"), 0u8));
    yield_!(3);
    drop(b);
    yield_!(4);
    let _keep = (&a, &c, &d, &e, &f);
});

#[test]
fn tuple_and_array_pattern_bindings_drop_like_ordinary_rust() {
    check_twin(co_patterns, plain_patterns, 4);
}

twin!(co_nested_return, plain_nested_return, {
    let _a = D("a");
    for i in 0..3u32 {
        let _l = D("l");
        match i {
            1 => {
                let _m = D("m");
                yield_!(i);
                return;
            }
            _ => yield_!(i + 10),
        }
    }
    yield_!(99);
});

#[test]
fn return_from_a_match_in_a_loop_drops_like_ordinary_rust() {
    check_twin(co_nested_return, plain_nested_return, 2);
    let (got, _) = completed(co_nested_return(), plain_nested_return);
    assert_eq!(got, ["@10", "l", "@1", "m", "l", "a"]);
}

#[test]
fn arguments_of_late_resumes_are_dropped_once() {
    #[resumable::coroutine]
    fn once() -> impl Coroutine<D, Yield = u8, Return = ()> + Inspect {
        let _x = yield_!(1);
    }
    take_log();
    let mut c = once();
    c.resume(D("first"));
    c.resume(D("second"));
    assert_eq!(take_log(), ["first", "second"]);
    assert!(c.is_done());
    assert_eq!(
        expect_panic(|| c.resume(D("late"))),
        "coroutine resumed after completion"
    );
    assert_eq!(take_log(), ["late"]);
}

// ---------------------------------------------------------------- more Debug, Inspect and size

#[test]
fn debug_of_fib_is_exact() {
    let mut f = fib();
    assert_eq!(f.by_ref().take(4).collect::<Vec<_>>(), [1, 1, 2, 3]);
    assert_eq!(
        format!("{f:?}"),
        format!(
            "fib suspended at {}:{}:9 {{ a: 2, b: 3 }}",
            file!(),
            line_of("// @fib-yield")
        )
    );
    let mut fork = f.clone();
    assert_eq!(fork.next(), Some(5));
    assert!(format!("{fork:?}").ends_with("{ a: 3, b: 5 }"));
    assert!(format!("{f:?}").ends_with("{ a: 2, b: 3 }"));
}

#[test]
fn coroutine_form_debug_and_complete() {
    #[resumable::coroutine]
    fn pair() -> impl Coroutine<i32, Yield = i32, Return = i32> + std::fmt::Debug + Inspect {
        let base = 7;
        let got = yield_!(base); // @pair-yield
        base + got
    }
    let mut c = pair();
    assert_eq!(c.resume(0), CoroutineState::Yielded(7));
    assert_eq!(
        format!("{c:?}"),
        format!(
            "pair suspended at {}:{}:19 {{ base: 7 }}",
            file!(),
            line_of("// @pair-yield")
        )
    );
    assert_eq!(c.resume(5), CoroutineState::Complete(12));
    assert_eq!(format!("{c:?}"), "pair (complete)");
    assert!(c.is_done());
}

#[test]
fn two_yields_on_one_line_have_distinct_columns() {
    #[resumable::coroutine]
    #[rustfmt::skip]
    fn same_line() -> impl Iterator<Item = u8> + Inspect {
        yield_!(1); yield_!(2); // @same-line
    }
    let mut it = same_line();
    it.next();
    let Status::Suspended(first) = it.status() else {
        panic!("expected suspended");
    };
    it.next();
    let Status::Suspended(second) = it.status() else {
        panic!("expected suspended");
    };
    assert_eq!(first.line, line_of("// @same-line"));
    assert_eq!(second.line, first.line);
    assert_eq!((first.column, second.column), (9, 21));
}

#[test]
fn status_while_delegating_points_into_the_outer_function() {
    #[resumable::coroutine]
    fn sub() -> impl Iterator<Item = u8> {
        yield_!(1);
    }
    #[resumable::coroutine]
    fn outer() -> impl Iterator<Item = u8> + Inspect {
        yield_from!(sub()); // @delegate
    }
    let mut it = outer();
    assert_eq!(it.next(), Some(1));
    let Status::Suspended(at) = it.status() else {
        panic!("expected suspended");
    };
    assert_eq!((at.function, at.line), ("outer", line_of("// @delegate")));
    assert_eq!(it.next(), None);
    assert!(it.is_done());
}

#[test]
fn size_is_the_largest_live_set() {
    #[resumable::coroutine]
    fn phases() -> impl Iterator<Item = u8> {
        let a = [1u8; 100];
        yield_!(a[0]);
        let b = [2u8; 50];
        yield_!(b[0] + a[99]);
    }
    #[allow(dead_code)] // only its size matters
    enum H {
        S,
        A { a: [u8; 100] },
        B, // `a` and `b` are read by the yield's own expression, then dead
        D,
        P,
    }
    assert_eq!(phases().collect::<Vec<_>>(), [1, 3]);
    assert_eq!(std::mem::size_of_val(&phases()), std::mem::size_of::<H>());
}

#[test]
fn size_of_an_unstarted_coroutine_holds_the_arguments() {
    #[resumable::coroutine]
    fn with_arg(x: u64, y: u32) -> impl Iterator<Item = u64> {
        yield_!(x + u64::from(y));
    }
    #[allow(dead_code)] // only its size matters
    enum H {
        S { x: u64, y: u32 },
        A { x: u64, y: u32 },
        D,
        P,
    }
    assert_eq!(with_arg(1, 2).collect::<Vec<_>>(), [3]);
    assert!(std::mem::size_of_val(&with_arg(1, 2)) <= std::mem::size_of::<H>());
    assert!(std::mem::size_of_val(&with_arg(1, 2)) >= 12);
}

// ---------------------------------------------------------------- assignment after a yield

mod reassignment {
    use super::*;

    // A local assigned after a yield before any read: the old value drops at the assignment.
    #[resumable::coroutine]
    fn reassign() -> impl Coroutine<Yield = u8, Return = &'static str> {
        let mut x = D("x1");
        yield_!(1);
        x = D("x2");
        yield_!(2);
        x.0.trim()
    }

    #[test]
    fn assignment_after_a_yield_drops_the_old_value_at_the_assignment() {
        take_log();
        let mut c = reassign();
        assert_eq!(c.resume(()), CoroutineState::Yielded(1));
        assert_eq!(take_log(), Vec::<String>::new());
        assert_eq!(c.resume(()), CoroutineState::Yielded(2));
        assert_eq!(take_log(), ["x1"]);
        assert_eq!(c.resume(()), CoroutineState::Complete("x2"));
        assert_eq!(take_log(), ["x2"]);
    }
}

// ---------------------------------------------------------------- locals kept in the state

// Only borrowed, declared at the top or a range's iterator: the arms resuming here work on
// the locals inside the state (no move per resume); moving to another yield moves them once.
twin!(co_in_place, plain_in_place, {
    let mut v = Vec::new();
    let d = D("d");
    for i in 0..3 {
        v.push(i);
        yield_!(v.len() as u32);
    }
    let e = D("e");
    yield_!(10);
    for _ in 0..2 {
        v.pop();
        yield_!(20 + v.len() as u32);
    }
    log(format!("{} {} {}", v.len(), d.0, e.0));
});

#[test]
fn locals_kept_in_the_state_drop_like_ordinary_rust() {
    check_twin(co_in_place, plain_in_place, 6);
    let (got, _) = completed(co_in_place(), plain_in_place);
    assert_eq!(
        got,
        ["@1", "@2", "@3", "@10", "@22", "@21", "1 d e", "e", "d"]
    );
}

#[test]
fn a_panic_while_locals_are_in_the_state_drops_them_once_and_poisons() {
    #[resumable::coroutine]
    fn boom() -> impl Iterator<Item = u32> + Inspect {
        let a = D("a");
        let mut n = Vec::new();
        loop {
            n.push(a.0.len());
            yield_!(n.len() as u32);
            let _t = D("t");
            if n.len() == 2 {
                panic!("boom");
            }
        }
    }
    take_log();
    let mut g = boom();
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), Some(2));
    assert_eq!(take_log(), ["t"]);
    assert_eq!(expect_panic(|| g.next()), "boom");
    // The arm's own local first, then the ones in the state, as plain Rust unwinds.
    assert_eq!(take_log(), ["t", "a"]);
    assert_eq!(g.status(), Status::Poisoned);
    assert_eq!(
        expect_panic(|| g.next()),
        "coroutine resumed after panicking"
    );
    drop(g);
    assert_eq!(take_log(), Vec::<String>::new());
}

#[test]
fn a_clone_of_a_machine_with_locals_in_the_state_goes_its_own_way() {
    #[resumable::coroutine]
    fn counter() -> impl Iterator<Item = usize> + Clone {
        let mut seen = Vec::new();
        for i in 0..4 {
            seen.push(i);
            yield_!(seen.len());
        }
    }
    let mut a = counter();
    assert_eq!(a.next(), Some(1));
    let mut b = a.clone();
    assert_eq!(a.by_ref().collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!(b.next(), Some(2));
    assert_eq!(b.collect::<Vec<_>>(), [3, 4]);
}

#[test]
fn range_loops_keep_their_iterators_and_items_in_the_state() {
    #[resumable::coroutine]
    fn pairs(rows: u32) -> impl Iterator<Item = (u32, u32)> {
        for i in 0..rows {
            for mut j in 0..=2 {
                j *= 10;
                if (i + j) % 3 != 0 {
                    yield_!((i, j));
                }
            }
        }
    }
    let want: Vec<(u32, u32)> = (0..3)
        .flat_map(|i| (0..=2).map(move |j| (i, j * 10)))
        .filter(|(i, j)| (i + j) % 3 != 0)
        .collect();
    assert_eq!(pairs(3).collect::<Vec<_>>(), want);
}

#[test]
fn a_move_closure_over_a_range_item_still_copies_it() {
    #[resumable::coroutine]
    fn doubled() -> impl Iterator<Item = String> {
        for i in 0..3 {
            let twice = move || i * 2;
            let show = move || format!("{i}");
            yield_!(format!("{}={}", show(), twice()));
        }
    }
    assert_eq!(doubled().collect::<Vec<_>>(), ["0=0", "1=2", "2=4"]);
}

fn triple(x: u32) -> u32 {
    x * 3
}

fn tripled_and_offset(offset: u32) -> impl Iterator<Item = u32> + std::fmt::Debug {
    let add = move |x: u32| x + offset;
    generator! {
        let mut buf = [0u32; 4];
        for i in 0..4 {
            buf[i] = add(triple(i as u32));
            yield!(buf[i]);
        }
    }
}

#[test]
fn a_generator_calls_functions_and_closures_without_carrying_them() {
    let mut g = tripled_and_offset(1);
    assert_eq!(g.next(), Some(1));
    // `triple` and `add` are not locals of the generator: `Debug` shows only `buf`.
    let shown = format!("{g:?}");
    assert!(shown.contains("buf: [1, 0, 0, 0]"), "{shown}");
    assert!(
        !shown.contains("triple") && !shown.contains("add"),
        "{shown}"
    );
    assert_eq!(g.collect::<Vec<_>>(), [4, 7, 10]);
}

#[test]
fn an_assert_in_an_arm_shows_the_code_as_written() {
    #[resumable::coroutine]
    fn checked() -> impl Iterator<Item = usize> {
        let mut v = Vec::new();
        for i in 0..3 {
            v.push(i);
            yield_!(v.len());
            assert!(v.len() < 2);
        }
    }
    let mut g = checked();
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), Some(2));
    assert_eq!(expect_panic(|| g.next()), "assertion failed: v.len() < 2");
}

// ---------------------------------------------------------------- recursion on a trampoline

/// `yield_from!` of a recursive call runs on a trampoline: the frames of the function on one
/// stack, the innermost resumed directly.
mod recursion {
    use super::*;

    #[resumable::coroutine]
    fn count_down(n: u32) -> impl Iterator<Item = u32> + Inspect {
        if n > 0 {
            yield_from!(Box::new(count_down(n - 1)));
        }
        yield_!(n);
    }

    #[test]
    fn deep_recursion_does_not_grow_the_stack() {
        // 100 000 nested resumes of ~100 bytes each would need ~10 MB of stack; 256 KiB here.
        let t = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                let mut c = count_down(100_000);
                assert_eq!(c.next(), Some(0));
                for (expect, v) in (1..).zip(c.by_ref().take(49_999)) {
                    assert_eq!(v, expect);
                }
                drop(c); // 50 000 frames still on it: dropped one by one, not recursively
                let (n, last) = count_down(20_000).fold((0, 0), |(n, _), v| (n + 1, v));
                (n, last)
            })
            .expect("spawn");
        assert_eq!(t.join().expect("no stack overflow"), (20_001, 20_000));
    }

    // Three levels: each takes the resume arguments, passes its first to the level below and
    // returns a value built from what the level below returned.
    #[resumable::coroutine(arg = first)]
    fn levels(depth: u32) -> impl Coroutine<i64, Yield = i64, Return = i64> {
        let x = yield_!(first * 100 + i64::from(depth));
        let below = if depth > 0 {
            yield_from!(Box::new(levels(depth - 1)), x * 10)
        } else {
            -1
        };
        let y = yield_!(below);
        let z = if depth == 1 {
            // Without a first argument the level below starts with `Default::default()`.
            yield_from!(levels(0))
        } else {
            0
        };
        x + y + below + z
    }

    // The same levels, nested the way `yield_from!` nests any sub-coroutine: the trampoline
    // must be indistinguishable from it.
    #[resumable::coroutine(arg = first)]
    fn level0() -> impl Coroutine<i64, Yield = i64, Return = i64> {
        let x = yield_!(first * 100);
        let y = yield_!(-1);
        x + y - 1
    }

    #[resumable::coroutine(arg = first)]
    fn level1() -> impl Coroutine<i64, Yield = i64, Return = i64> {
        let x = yield_!(first * 100 + 1);
        let below = yield_from!(level0(), x * 10);
        let y = yield_!(below);
        let z = yield_from!(level0());
        x + y + below + z
    }

    #[resumable::coroutine(arg = first)]
    fn level2() -> impl Coroutine<i64, Yield = i64, Return = i64> {
        let x = yield_!(first * 100 + 2);
        let below = yield_from!(level1(), x * 10);
        let y = yield_!(below);
        x + y + below
    }

    #[test]
    fn resume_arguments_and_return_values_go_through_three_levels() {
        let args: Vec<i64> = (1..=12).collect();
        let got = run_with(levels(2), args.iter().copied());
        assert_eq!(got, run_with(level2(), args.iter().copied()));
        assert_eq!(
            got,
            (
                vec![102, 2001, 3000, -1, 8, 0, -1, 31],
                // level 0: 4 + 5 - 1 = 8; the second level 0 (started with 0): 7 + 8 - 1;
                // level 1: 3 + 6 + 8 + 14 = 31; level 2: 2 + 9 + 31
                42
            )
        );
    }

    const ENTER: [&str; 4] = ["enter0", "enter1", "enter2", "enter3"];
    const LEAVE: [&str; 4] = ["leave0", "leave1", "leave2", "leave3"];

    #[resumable::coroutine]
    fn logged(depth: u32) -> impl Iterator<Item = u32> {
        let _enter = D(ENTER[depth as usize]);
        yield_!(depth);
        if depth > 0 {
            yield_from!(Box::new(logged(depth - 1)));
        }
        let _leave = D(LEAVE[depth as usize]);
        yield_!(10 + depth);
    }

    // The plain twin: `yield_!` is the logging, unwinding macro of the helpers above.
    fn logged_plain(depth: u32) {
        let _enter = D(ENTER[depth as usize]);
        yield_!(depth);
        if depth > 0 {
            logged_plain(depth - 1);
        }
        let _leave = D(LEAVE[depth as usize]);
        yield_!(10 + depth);
    }

    #[test]
    fn dropping_mid_recursion_drops_every_frame_innermost_first() {
        fn plain() {
            logged_plain(3);
        }
        check_twin(|| logged(3), plain, 8);
        // Spelled out once: suspended at the innermost `yield_!(0)`.
        let (got, _) = dropped_at(|| logged(3), plain, 4);
        assert_eq!(
            got,
            ["@3", "@2", "@1", "@0", "enter0", "enter1", "enter2", "enter3"]
        );
    }

    #[resumable::coroutine]
    fn fragile(depth: u32) -> impl Coroutine<u8, Yield = u32, Return = u32> + Inspect {
        let _held = D(ENTER[depth as usize]);
        let x = if depth > 0 {
            yield_from!(Box::new(fragile(depth - 1)), 1)
        } else {
            u32::from(yield_!(0))
        };
        if x == 0 {
            panic!("boom at depth {depth}");
        }
        yield_!(x);
        x + 1
    }

    #[test]
    fn a_panic_in_a_deep_frame_poisons_the_trampoline() {
        take_log();
        let mut c = fragile(3);
        assert_eq!(c.resume(0), CoroutineState::Yielded(0));
        assert_eq!(expect_panic(|| c.resume(0)), "boom at depth 0");
        // The panic unwinds every frame, innermost first, as in a plain recursive function.
        assert_eq!(take_log(), ["enter0", "enter1", "enter2", "enter3"]);
        assert_eq!(c.status(), Status::Poisoned);
        assert_eq!(
            expect_panic(|| c.resume(1)),
            "coroutine resumed after panicking"
        );
        drop(c);
        assert_eq!(take_log(), Vec::<String>::new());

        let mut c = fragile(3);
        assert_eq!(c.resume(0), CoroutineState::Yielded(0));
        assert_eq!(c.resume(5), CoroutineState::Yielded(5));
        assert_eq!(c.resume(0), CoroutineState::Yielded(6));
        assert_eq!(c.resume(0), CoroutineState::Yielded(7));
        assert_eq!(c.resume(0), CoroutineState::Yielded(8));
        assert_eq!(c.resume(0), CoroutineState::Complete(9));
        assert!(c.is_done());
        assert_eq!(
            expect_panic(|| c.resume(0)),
            "coroutine resumed after completion"
        );
        assert_eq!(take_log(), ["enter0", "enter1", "enter2", "enter3"]);
    }

    #[test]
    fn a_panic_in_a_deep_frame_poisons_the_iterator_form() {
        #[resumable::coroutine]
        fn fails_deep(depth: u32) -> impl Iterator<Item = u32> + Inspect {
            yield_!(depth);
            if depth == 0 {
                let v: Vec<u32> = Vec::new();
                yield_!(v[1]);
            } else {
                yield_from!(Box::new(fails_deep(depth - 1)));
            }
        }
        let mut it = fails_deep(2);
        assert_eq!(it.by_ref().take(3).collect::<Vec<_>>(), [2, 1, 0]);
        let msg = expect_panic(|| it.next());
        assert!(msg.contains("index out of bounds"), "{msg}");
        assert_eq!(it.status(), Status::Poisoned);
        assert_eq!(
            expect_panic(|| it.next()),
            "coroutine resumed after panicking"
        );
    }

    #[resumable::coroutine]
    fn forkable(depth: u32) -> impl Iterator<Item = u32> + Clone + std::fmt::Debug + Inspect {
        let mut i = 0;
        while i < 2 {
            yield_!(depth * 10 + i);
            i += 1;
        }
        if depth > 0 {
            yield_from!(Box::new(forkable(depth - 1)));
        }
        yield_!(depth * 10 + 9);
    }

    #[test]
    fn a_recursive_coroutine_forks_shows_and_reports_its_innermost_frame() {
        let mut a = forkable(2);
        assert_eq!(format!("{a:?}"), "forkable (not started) { depth: 2 }");
        assert_eq!(a.by_ref().take(4).collect::<Vec<_>>(), [20, 21, 10, 11]);
        let text = format!("{a:?}");
        assert!(text.starts_with("forkable suspended at "), "{text}");
        assert!(text.ends_with("{ depth: 1, i: 1 } (in 1 caller)"), "{text}");
        let Status::Suspended(at) = a.status() else {
            panic!("{:?}", a.status())
        };
        assert_eq!(at.function, "forkable");
        let b = a.clone();
        assert_eq!(a.collect::<Vec<_>>(), [0, 1, 9, 19, 29]);
        assert_eq!(b.collect::<Vec<_>>(), [0, 1, 9, 19, 29]);
    }

    // The call is the last thing the function does and nothing is held there: the new frame
    // replaces the caller's (`Step::TailCall`).
    #[resumable::coroutine]
    fn tail(n: u32, held: D) -> impl Iterator<Item = u32> + std::fmt::Debug {
        yield_!(n);
        if n > 0 {
            drop(held);
            yield_from!(Box::new(tail(n - 1, D("held"))));
        }
    }

    #[test]
    fn a_tail_call_replaces_the_frame() {
        take_log();
        let mut t = tail(100_000, D("held"));
        assert_eq!(t.by_ref().take(50_001).last(), Some(50_000));
        // No "(in N callers)": one frame, however deep the recursion.
        let text = format!("{t:?}");
        assert!(text.ends_with(r#"{ n: 50000, held: D("held") }"#), "{text}");
        // Each caller dropped its `held` before the call.
        assert_eq!(take_log().len(), 50_000);
        assert_eq!(t.last(), Some(0));
        assert_eq!(take_log().len(), 50_001);
    }

    // Something held across the call, or code after it: no tail call, the caller stays.
    #[resumable::coroutine]
    fn not_tail(n: u32, held: D) -> impl Iterator<Item = u32> + std::fmt::Debug {
        yield_!(n);
        if n > 0 {
            yield_from!(Box::new(not_tail(n - 1, D("inner"))));
        }
        drop(held);
    }

    #[test]
    fn a_call_with_a_local_held_across_it_is_not_a_tail_call() {
        take_log();
        let mut t = not_tail(2, D("outer"));
        assert_eq!(t.by_ref().take(3).collect::<Vec<_>>(), [2, 1, 0]);
        assert!(format!("{t:?}").ends_with("(in 2 callers)"));
        drop(t);
        assert_eq!(take_log(), ["inner", "inner", "outer"]);
    }
}

// ---------------------------------------------------------------- borrows across yields

#[resumable::coroutine]
fn pushes() -> impl Coroutine<u32, Yield = Vec<u32>, Return = Vec<u32>> + Clone + std::fmt::Debug {
    let mut v = vec![0];
    let m = &mut v;
    loop {
        let x = yield_!(m.clone());
        if x == 0 {
            break;
        }
        m.push(x);
    }
    v
}

#[test]
fn clone_of_a_suspended_reborrow_points_at_its_own_copy() {
    let mut a = pushes();
    assert_eq!(a.resume(0), CoroutineState::Yielded(vec![0]));
    assert_eq!(a.resume(1), CoroutineState::Yielded(vec![0, 1]));
    let mut b = a.clone();
    assert_eq!(a.resume(2), CoroutineState::Yielded(vec![0, 1, 2]));
    assert_eq!(b.resume(3), CoroutineState::Yielded(vec![0, 1, 3]));
    assert_eq!(a.resume(0), CoroutineState::Complete(vec![0, 1, 2]));
    assert_eq!(b.resume(4), CoroutineState::Yielded(vec![0, 1, 3, 4]));
    assert_eq!(b.resume(0), CoroutineState::Complete(vec![0, 1, 3, 4]));
}

#[test]
fn debug_shows_the_borrowed_local_not_the_borrow() {
    let mut a = pushes();
    a.resume(0);
    a.resume(5);
    let shown = format!("{a:?}");
    assert!(shown.contains("v: [0, 5]"), "{shown}");
    assert!(!shown.contains("m:"), "{shown}");
}

#[resumable::coroutine]
fn positions() -> impl Iterator<Item = u32> + Clone {
    let mut v = vec![1, 2, 3];
    for x in v.iter_mut() {
        *x += 10;
        yield_!(*x);
    }
    yield_!(v.iter().sum());
}

#[test]
fn clone_of_a_suspended_position_loop_walks_its_own_copy() {
    let mut a = positions();
    assert_eq!(a.next(), Some(11));
    let b = a.clone();
    assert_eq!(a.collect::<Vec<_>>(), [12, 13, 36]);
    assert_eq!(b.collect::<Vec<_>>(), [12, 13, 36]);
}

twin!(co_reborrow, plain_reborrow, {
    let a = D("a");
    let v = vec![D("v0"), D("v1")];
    let r = &v;
    yield_!(1);
    let b = D("b");
    let f = &r[1];
    yield_!(f.0.len() as u32);
    drop(b);
    yield_!(a.0.len() as u32);
});

#[test]
fn reborrows_drop_like_ordinary_rust() {
    check_twin(co_reborrow, plain_reborrow, 3);
    let (got, _) = completed(co_reborrow(), plain_reborrow);
    assert_eq!(got, ["@1", "@2", "b", "@1", "v0", "v1", "a"]);
}

twin!(co_position_loop, plain_position_loop, {
    let _a = D("a");
    let mut v = vec![D("x"), D("y"), D("z")];
    for d in &mut v {
        let _t = D("t");
        yield_!(d.0.len() as u32);
        if d.0 == "y" {
            break;
        }
        d.0 = "w";
        yield_!(2);
    }
    let _c = D("c");
    for d in &v {
        yield_!(d.0.len() as u32 + 10);
    }
    yield_!(99);
});

#[test]
fn position_loops_drop_like_ordinary_rust() {
    check_twin(co_position_loop, plain_position_loop, 7);
    let (got, _) = completed(co_position_loop(), plain_position_loop);
    assert_eq!(
        got,
        ["@1", "@2", "t", "@1", "t", "@11", "@11", "@11", "@99", "c", "w", "y", "z", "a"]
    );
}

// A resume inside the inner of two range loops re-enters the nest once (the outer loop is
// entered at the inner one's head): same sequence, same drops.
twin!(co_rotated, plain_rotated, {
    let _a = D("a");
    let mut seen = Vec::new();
    'rows: for i in 0..4u32 {
        seen.push(i);
        for j in 0..3u32 {
            if j == 1 {
                continue;
            }
            if i == 2 && j == 2 {
                break 'rows;
            }
            yield_!(i * 10 + j);
        }
        yield_!(100 + i);
    }
    log(format!("{seen:?}"));
});

#[test]
fn a_resume_inside_nested_range_loops_runs_like_ordinary_rust() {
    check_twin(co_rotated, plain_rotated, 7);
    let (got, _) = completed(co_rotated(), plain_rotated);
    assert_eq!(
        got,
        [
            "@0",
            "@2",
            "@100",
            "@10",
            "@12",
            "@101",
            "@20",
            "[0, 1, 2]",
            "a"
        ]
    );
}

// A loop whose one yield ends its pass is entered by handing over to that yield's arm
// (`*state = SuspendK { .. }; continue 'dispatch`): from the start, from another arm, and
// again from the outer loop of a nest; the locals are in place when it takes over.
twin!(co_handoff, plain_handoff, {
    let a = D("a");
    let mut total = 0u32;
    yield_!(1);
    for i in 0..3u32 {
        let row = D("row");
        for j in 0..4u32 {
            if (i + j) % 2 == 0 {
                total += j;
                yield_!(10 * i + j);
            }
        }
        for j in [5u32, 6] {
            if j == 6 {
                yield_!(j);
            } else {
                yield_!(j + 1);
            }
        }
        drop(row);
        let mut n = i;
        while n > 0 {
            n -= 1;
            yield_!(200 + n);
        }
    }
    let mut ns = vec![400u32, 401];
    while let Some(n) = ns.pop() {
        yield_!(n);
    }
    let mut ds = vec![D("d1"), D("d2")];
    while let Some(d) = ds.pop() {
        // A plain `let` keeps it to the end of the pass (a pattern's binding would drop here).
        let d = d;
        log(d.0.to_string());
        yield_!(300);
    }
    let found = loop {
        total += 1;
        if total > 9 {
            break total;
        }
        yield_!(total);
    };
    log(format!("{found} {}", a.0));
});

#[test]
fn a_loop_entered_by_handing_over_to_its_tail_yield_runs_like_ordinary_rust() {
    check_twin(co_handoff, plain_handoff, 21);
    let (got, _) = completed(co_handoff(), plain_handoff);
    assert_eq!(
        got,
        [
            "@1", "@0", "@2", "@6", "@6", "row", "@11", "@13", "@6", "@6", "row", "@200", "@20",
            "@22", "@6", "@6", "row", "@201", "@200", "@401", "@400", "d2", "@300", "d2", "d1",
            "@300", "d1", "@9", "10 a", "a"
        ]
    );
}
