// A `for` loop over an iterator adapter of a local, with a yield in its body: the iterator
// would hold a borrow of the state. (`for x in &v` and `v.iter()` keep a position instead.)
#[resumable::coroutine]
fn items() -> impl Iterator<Item = (usize, u32)> {
    let v = vec![1, 2, 3];
    for (i, x) in v.iter().enumerate() {
        yield_!((i, *x));
    }
}

fn main() {
    let _ = items();
}
