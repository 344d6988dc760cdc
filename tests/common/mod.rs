//! Helpers shared by the runtime tests.
#![allow(dead_code)] // each test crate uses its own subset of the helpers

use resumable::{Coroutine, CoroutineState};

/// Resumes `c` with `()` until it completes: every yielded value, then the return value.
pub fn run<C: Coroutine<()>>(mut c: C) -> (Vec<C::Yield>, C::Return) {
    let mut ys = Vec::new();
    loop {
        match c.resume(()) {
            CoroutineState::Yielded(y) => ys.push(y),
            CoroutineState::Complete(r) => return (ys, r),
        }
    }
}

/// Resumes `c` with each of `args` in turn (the first starts it), then with `A::default()`
/// until it completes: every yielded value, then the return value.
pub fn run_with<A: Default, C: Coroutine<A>>(
    mut c: C,
    args: impl IntoIterator<Item = A>,
) -> (Vec<C::Yield>, C::Return) {
    let mut ys = Vec::new();
    let mut args = args.into_iter();
    loop {
        match c.resume(args.next().unwrap_or_default()) {
            CoroutineState::Yielded(y) => ys.push(y),
            CoroutineState::Complete(r) => return (ys, r),
        }
    }
}
