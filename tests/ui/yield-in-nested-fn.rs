#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> {
    fn helper() {
        yield_!(1);
    }
    helper();
}

fn main() {
    let _ = numbers();
}
