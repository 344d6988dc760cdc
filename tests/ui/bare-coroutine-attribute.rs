// `#[coroutine]` is also the name of a built-in attribute of rustc, so importing the macro
// and writing the bare name is ambiguous: write `#[resumable::coroutine]`.
use resumable::coroutine;

#[coroutine]
fn numbers() -> impl Iterator<Item = u32> {
    yield_!(1);
}

fn main() {
    let _ = numbers();
}
