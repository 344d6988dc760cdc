#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = ()> {
    yield_!();
}

fn main() {
    let _ = numbers();
}
