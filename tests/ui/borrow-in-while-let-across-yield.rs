// A pattern binding of `while let` / `if let` / `match` that borrows a local, held across a yield.
#[resumable::coroutine]
fn tops() -> impl Iterator<Item = u32> {
    let mut stack = vec![1, 2, 3];
    while let Some(top) = stack.last() {
        yield_!(0);
        yield_!(*top);
        stack.pop();
    }
}

fn main() {
    let _ = tops();
}
