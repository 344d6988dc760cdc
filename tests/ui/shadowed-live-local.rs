#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> {
    let x = 1;
    {
        let x = 2;
        yield_!(x);
    }
    yield_!(x);
}

fn main() {
    let _ = numbers();
}
