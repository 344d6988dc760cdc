#[resumable::coroutine]
fn bytes() -> Vec<u8> {
    yield_!(1);
}

fn main() {
    let _ = bytes();
}
