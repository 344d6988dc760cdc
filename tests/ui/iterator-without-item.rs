#[resumable::coroutine]
fn numbers() -> impl Iterator {
    yield_!(1);
}

fn main() {
    let _ = numbers();
}
