use resumable::Coroutine;

#[resumable::coroutine]
fn inner() -> impl Coroutine<u32, Yield = u32, Return = ()> {
    yield_!(1);
}

#[resumable::coroutine]
fn outer() -> impl Coroutine<u32, Yield = u32, Return = ()> {
    yield_from!(inner(), 0, 1);
}

fn main() {
    let _ = outer();
}
