// KNOWN MACRO BUG, kept as a compile-fail case so the fix shows up here: `n` is used (by the
// `while` condition) but stays in scope across the last yield; the resumed state rebinds it
// with `let n = n;` and never reads it, so `unused_variables` fires on the user's parameter.
// Once fixed, this file compiles: move the function to `tests/lints.rs`.
#![deny(warnings)]

#[resumable::coroutine]
fn numbers(n: u32) -> impl Iterator<Item = u32> {
    let mut i = 0;
    while i < n {
        yield_!(i);
        i += 1;
    }
    yield_!(100);
    yield_!(200);
}

fn main() {
    let _ = numbers(2);
}
