// On a trampoline the frame yields `Step::Yield(v)`: a mismatch is still reported on `v`.
#[resumable::coroutine]
fn countdown(n: u32) -> impl Iterator<Item = u32> {
    yield_!("n");
    if n > 0 {
        yield_from!(Box::new(countdown(n - 1)));
    }
}

fn main() {
    let _ = countdown(3);
}
