#[resumable::coroutine]
fn numbers(xs: Vec<u32>) -> impl Iterator<Item = u32> {
    for x in xs {
        match x {
            n if n > yield_!(0) => yield_!(n),
            _ => {}
        }
    }
}

fn main() {
    let _ = numbers(vec![1]);
}
