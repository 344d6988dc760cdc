//! Generated code must not depend on what the user's module names: here `core`, the prelude's
//! `Option`/`Some`/`Result`/`Ok`/`Iterator`/`drop` are all shadowed, the user's locals take
//! the names the expansion uses for its own (`state`, `arg`, `step`, `ret`, `yielded`, `body`,
//! `iter`, `sub`) and the user's labels take its label names (`'body`, `'end`, `'next`).
//! Every coroutine here still compiles and yields exactly what it says.

// The shadowing items are the point of this file; they are never used as values.
#![allow(dead_code, non_camel_case_types, non_snake_case, clippy::all)]

mod shadowed {
    use resumable::{Coroutine, CoroutineState};

    // A local `core` module: generated code must say `::core::…`.
    mod core {}

    // Prelude names, shadowed in both the type and the value namespace.
    struct Option;
    struct Some;
    struct None;
    struct Result;
    struct Ok;
    struct Err;
    struct Iterator;
    struct Clone;
    struct Debug;
    struct Default;
    struct Box;
    struct Vec;
    fn drop() {}
    fn panic() {}
    fn unreachable() {}

    /// The user's own type named like the state enum the macro would pick (`Counter`).
    struct Counter {
        start: u32,
    }

    #[resumable::coroutine]
    pub fn locals_named_like_ours(
        n: u32,
    ) -> impl ::core::iter::Iterator<Item = u32> + ::core::clone::Clone + ::core::fmt::Debug {
        let state = 100;
        let arg = 200;
        let step = 1;
        let ret = 300;
        let yielded = 0;
        let body = 400;
        let sub = 500;
        let mut i = 0;
        while i < n {
            yield_!(state + arg + i * step);
            i += 1;
        }
        yield_!(ret + yielded);
        yield_!(body + sub + n);
    }

    #[resumable::coroutine]
    pub fn for_over_iter() -> impl ::core::iter::Iterator<Item = u32> {
        let iter = [1u32, 2, 3];
        let item = 10;
        for x in iter {
            yield_!(x + item);
        }
        let value = 7;
        let residual = 8;
        yield_!(value + residual + iter.len() as u32);
    }

    /// Each user label is also used before the first yield inside its loop: a label whose
    /// only use comes after a yield draws a spurious `unused_labels` warning (see
    /// `tests/ui/unused-label-after-yield.rs`).
    #[resumable::coroutine]
    pub fn labels_named_like_ours() -> impl ::core::iter::Iterator<Item = u32> {
        let mut n = 0;
        'body: loop {
            if n >= 5 {
                break 'body;
            }
            'end: loop {
                if n % 2 == 0 && n > 3 {
                    n += 1;
                    break 'end;
                }
                'next: loop {
                    if n > 3 {
                        break 'next;
                    }
                    n += 1;
                    yield_!(n);
                    if n == 2 {
                        continue 'body;
                    }
                }
                yield_!(100 + n);
                break 'end;
            }
            yield_!(200 + n);
        }
    }

    #[resumable::coroutine]
    pub fn counter(start: u32) -> impl ::core::iter::Iterator<Item = u32> {
        let c = Counter { start };
        yield_!(c.start);
        yield_!(c.start + 1);
    }

    /// The early return, `?` and resume arguments go through `CoroutineState`,
    /// `ControlFlow` and `Result`, all of which the expansion must spell in full.
    #[resumable::coroutine(arg = first)]
    pub fn parse_all(
        limit: usize,
    ) -> impl Coroutine<
        &'static str,
        Yield = u32,
        Return = ::core::result::Result<u32, ::std::num::ParseIntError>,
    > {
        let mut sum: u32 = first.parse()?;
        let mut state = 0;
        loop {
            state += 1;
            if state > limit {
                return ::core::result::Result::Ok(sum);
            }
            let next: &str = yield_!(sum);
            let step: u32 = next.parse()?;
            sum += step;
        }
    }

    #[resumable::coroutine]
    pub fn inner(base: u32) -> impl Coroutine<u32, Yield = u32, Return = u32> {
        let arg = yield_!(base);
        let yielded = yield_!(base + arg);
        arg + yielded
    }

    #[resumable::coroutine]
    pub fn delegating() -> impl Coroutine<u32, Yield = u32, Return = u32> {
        let sub = 1000;
        let sub_arg = 10;
        let returned = 5;
        let yielded = yield_from!(inner(sub_arg));
        let state = yield_!(returned);
        sub + yielded + state
    }

    #[resumable::coroutine]
    pub fn optional(
        xs: ::std::vec::Vec<::core::option::Option<u32>>,
    ) -> impl Coroutine<(), Yield = u32, Return = ::core::option::Option<u32>> {
        let mut ret = 0;
        for x in xs {
            let v = x?;
            ret += v;
            yield_!(v);
        }
        ::core::option::Option::Some(ret)
    }

    pub fn generated(n: u32) -> impl ::core::iter::Iterator<Item = u32> {
        resumable::generator! {
            let state = 1;
            let mut i = 0;
            'next: while i < n {
                i += 1;
                if i == 2 {
                    continue 'next;
                }
                yield!(i * state);
            }
        }
    }

    /// A generic function whose parameters take the names of the state enum's own
    /// (`T`, `T0`, `A0`).
    #[resumable::coroutine]
    pub fn generic<T, T0: ::core::marker::Copy, A0>(
        t: T,
        t0: T0,
        a0: A0,
    ) -> impl ::core::iter::Iterator<Item = (T0, usize)> {
        let kept = (t, a0);
        yield_!((t0, 1));
        yield_!((t0, ::core::mem::size_of_val(&kept)));
        ::core::mem::drop(kept);
    }

    // On a trampoline, with arguments and locals named like what its expansion uses
    // (`Box` is shadowed here, so the recursive call goes unboxed).
    #[resumable::coroutine(arg = arg)]
    pub fn recursive(
        state: u32,
        resumed: u32,
    ) -> impl Coroutine<u32, Yield = u32, Return = u32> + ::core::fmt::Debug {
        let machine = yield_!(state + resumed + arg);
        let make = if state > 0 {
            yield_from!(recursive(state - 1, machine), machine + 1)
        } else {
            0
        };
        make + machine
    }

    pub fn check_coroutine_state<Y, R>(
        s: CoroutineState<Y, R>,
    ) -> (::core::option::Option<Y>, ::core::option::Option<R>) {
        match s {
            CoroutineState::Yielded(y) => (
                ::core::option::Option::Some(y),
                ::core::option::Option::None,
            ),
            CoroutineState::Complete(r) => (
                ::core::option::Option::None,
                ::core::option::Option::Some(r),
            ),
        }
    }
}

/// A local module named `resumable`: the expansion must say `::resumable::__private`.
mod shadowed_crate_name {
    mod resumable {}

    #[::resumable::coroutine]
    pub fn numbers(xs: ::std::vec::Vec<u32>) -> impl Iterator<Item = u32> {
        let machine = 1;
        let x_iter = 2;
        let first = 3;
        for x in xs {
            yield_!(x + machine + x_iter + first);
        }
    }
}

use resumable::{Coroutine, CoroutineState};

#[test]
fn local_module_named_resumable() {
    assert_eq!(
        shadowed_crate_name::numbers(vec![0, 10]).collect::<Vec<_>>(),
        [6, 16]
    );
}

#[test]
fn locals_named_like_generated_ones() {
    let it = shadowed::locals_named_like_ours(2);
    let fork = it.clone();
    assert!(format!("{fork:?}").starts_with("locals_named_like_ours"));
    assert_eq!(it.collect::<Vec<_>>(), [300, 301, 300, 902]);
    assert_eq!(fork.count(), 4);
}

#[test]
fn for_loop_over_a_local_named_iter() {
    assert_eq!(
        shadowed::for_over_iter().collect::<Vec<_>>(),
        [11, 12, 13, 18]
    );
}

// Compiling `labels_named_like_ours` is the hygiene check; running it also hits the
// dropped-tail miscompile that `lints.rs::code_after_a_loop_that_yields` pins down.
#[test]
fn user_labels_named_like_generated_ones() {
    assert_eq!(
        shadowed::labels_named_like_ours().collect::<Vec<_>>(),
        [1, 2, 3, 4, 104, 204, 205]
    );
}

#[test]
fn user_type_named_like_the_state_enum() {
    assert_eq!(shadowed::counter(4).collect::<Vec<_>>(), [4, 5]);
}

#[test]
fn question_mark_and_early_return_with_shadowed_result() {
    let mut p = shadowed::parse_all(2);
    assert_eq!(p.resume("1"), CoroutineState::Yielded(1));
    assert_eq!(p.resume("2"), CoroutineState::Yielded(3));
    assert_eq!(p.resume("3"), CoroutineState::Complete(Ok(6)));

    let mut p = shadowed::parse_all(5);
    assert_eq!(p.resume("1"), CoroutineState::Yielded(1));
    assert!(matches!(p.resume("x"), CoroutineState::Complete(Err(_))));

    let mut p = shadowed::parse_all(5);
    assert!(matches!(p.resume("y"), CoroutineState::Complete(Err(_))));
}

#[test]
fn yield_from_with_locals_named_like_its_desugaring() {
    let mut d = shadowed::delegating();
    assert_eq!(
        shadowed::check_coroutine_state(d.resume(0)),
        (Some(10), None)
    );
    assert_eq!(d.resume(1), CoroutineState::Yielded(11));
    assert_eq!(d.resume(2), CoroutineState::Yielded(5));
    // inner returns 1 + 2 = 3; then `state` = 4.
    assert_eq!(d.resume(4), CoroutineState::Complete(1000 + 3 + 4));
}

#[test]
fn option_question_mark_with_shadowed_option() {
    let mut o = shadowed::optional(vec![Some(1), Some(2)]);
    assert_eq!(o.resume(()), CoroutineState::Yielded(1));
    assert_eq!(o.resume(()), CoroutineState::Yielded(2));
    assert_eq!(o.resume(()), CoroutineState::Complete(Some(3)));

    let mut o = shadowed::optional(vec![Some(1), None, Some(2)]);
    assert_eq!(o.resume(()), CoroutineState::Yielded(1));
    assert_eq!(o.resume(()), CoroutineState::Complete(None));
}

#[test]
fn generator_in_a_shadowing_module() {
    assert_eq!(shadowed::generated(4).collect::<Vec<_>>(), [1, 3, 4]);
}

#[test]
fn generic_parameters_named_like_the_enums() {
    let v: Vec<(u8, usize)> = shadowed::generic("s", 7u8, 0u64).collect();
    assert_eq!(v, [(7, 1), (7, std::mem::size_of::<(&str, u64)>())]);
}

#[test]
fn recursion_with_names_like_the_trampolines() {
    let mut c = shadowed::recursive(1, 10);
    assert_eq!(c.resume(1), CoroutineState::Yielded(12));
    assert_eq!(c.resume(2), CoroutineState::Yielded(5));
    assert_eq!(c.resume(3), CoroutineState::Complete(5));
}
