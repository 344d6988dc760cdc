#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> {
    yield_from!([1, 2], ());
}

fn main() {
    let _ = numbers();
}
