use resumable::Coroutine;

#[resumable::coroutine]
fn echo() -> impl Coroutine<u32, Yield = u32, Return = ()> {
    println!("{}", yield_!(1));
}

fn main() {
    let _ = echo();
}
