// A `for` loop by reference over a local, with a yield in its body, walks the collection by
// position: only `Vec`, `VecDeque`, arrays and slices have positions.
use std::collections::BTreeMap;

#[resumable::coroutine]
fn entries() -> impl Iterator<Item = u32> {
    let map = BTreeMap::from([(1, 10), (2, 20)]);
    for (k, v) in &map {
        yield_!(k + v);
    }
}

fn main() {
    let _ = entries();
}
