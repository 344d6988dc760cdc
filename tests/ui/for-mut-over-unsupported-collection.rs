// `for x in v.iter_mut()` across a yield needs a collection with mutable positions.
use std::collections::BTreeMap;

#[resumable::coroutine]
fn bump() -> impl Iterator<Item = u32> {
    let mut map = BTreeMap::from([(1, 10), (2, 20)]);
    for v in map.iter_mut() {
        *v.1 += 1;
        yield_!(*v.1);
    }
}

fn main() {
    let _ = bump();
}
