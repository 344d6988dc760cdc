#[resumable::coroutine]
fn parse(items: Vec<&'static str>) -> impl Iterator<Item = u32> {
    for s in items {
        let n: u32 = s.parse()?;
        yield_!(n);
    }
}

fn main() {
    let _ = parse(vec!["1"]);
}
