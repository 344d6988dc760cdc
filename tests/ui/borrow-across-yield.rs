use resumable::Coroutine;

#[resumable::coroutine]
fn borrowed() -> impl Coroutine<(), Yield = usize, Return = usize> {
    let v = vec![1, 2, 3];
    let first = &v[0];
    yield_!(v.len());
    *first
}

fn main() {
    let _ = borrowed();
}
