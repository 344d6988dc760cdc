use resumable::Coroutine;

#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> + Coroutine<(), Yield = u32, Return = ()> {
    yield_!(1);
}

fn main() {
    let _ = numbers();
}
