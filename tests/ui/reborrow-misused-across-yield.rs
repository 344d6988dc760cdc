// `let r = &v;` may live across a yield (it is borrowed again after the resume), but the
// borrow checker still sees `v` borrowed for as long as `r` is in use.
#[resumable::coroutine]
fn lengths() -> impl Iterator<Item = usize> {
    let mut v = vec![1, 2, 3];
    let r = &v;
    v.push(4);
    yield_!(v.len());
    yield_!(r.len());
}

fn main() {
    let _ = lengths();
}
