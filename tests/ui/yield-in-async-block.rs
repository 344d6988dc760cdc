#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> {
    let _fut = async {
        yield_!(1);
    };
}

fn main() {
    let _ = numbers();
}
