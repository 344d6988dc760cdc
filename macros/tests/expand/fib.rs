#[resumable::coroutine]
fn fib() -> impl Iterator<Item = u64> + Clone + Debug {
    let (mut a, mut b) = (0u64, 1u64);
    loop {
        yield_!(b);
        (a, b) = (b, a.wrapping_add(b));
    }
}
