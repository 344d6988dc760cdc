#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> {
    let xs = [1, 2, 3];
    xs.iter().for_each(|x| {
        yield_!(*x);
    });
}

fn main() {
    let _ = numbers();
}
