// KNOWN MACRO BUG, kept as a compile-fail case so the fix shows up here: the user's label is
// used (`break 'outer`), but only after a yield, and the copy of the loop that the expansion
// emits for the first pass keeps the label without the break, so `unused_labels` fires on
// the user's code. Once fixed, this file compiles: move the function to `tests/lints.rs`.
#![deny(warnings)]

#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> {
    let mut n = 0;
    'outer: loop {
        n += 1;
        yield_!(n);
        if n == 3 {
            break 'outer;
        }
    }
}

fn main() {
    let _ = numbers();
}
