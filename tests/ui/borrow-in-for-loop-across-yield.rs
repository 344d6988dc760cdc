// The most common way to hold a borrow across a yield: iterating over a local by reference.
#[resumable::coroutine]
fn items() -> impl Iterator<Item = u32> {
    let v = vec![1, 2, 3];
    for x in &v {
        yield_!(*x);
    }
}

fn main() {
    let _ = items();
}
