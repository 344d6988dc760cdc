// A borrow made by a method (`iter`, `as_slice`, `chars`, ...) held across a yield.
#[resumable::coroutine]
fn evens() -> impl Iterator<Item = usize> {
    let v = vec![1, 2, 3, 4];
    let evens = v.iter().filter(|x| *x % 2 == 0);
    yield_!(v.len());
    yield_!(evens.count());
}

fn main() {
    let _ = evens();
}
