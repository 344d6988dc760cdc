use std::rc::Rc;

#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> + Send {
    let shared = Rc::new(1);
    yield_!(*shared);
    yield_!(*shared + 1);
}

fn main() {
    let _ = numbers();
}
