// A yield two closures deep is reported once, at the yield.
#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> {
    let f = || {
        let g = || r#yield!(1);
        g();
    };
    f();
}

fn main() {
    let _ = numbers();
}
