//! The first 20 Fibonacci numbers from a `#[resumable::coroutine]` iterator, then the
//! suspended generator printed with `Debug`, and a `Clone` of it running on its own.

use std::fmt::Debug;

#[resumable::coroutine]
fn fib() -> impl Iterator<Item = u64> + Clone + Debug {
    let (mut a, mut b) = (0u64, 1u64);
    loop {
        yield_!(b);
        (a, b) = (b, a.wrapping_add(b));
    }
}

fn main() {
    let mut numbers = fib();
    let first: Vec<u64> = numbers.by_ref().take(20).collect();
    println!("first 20: {first:?}");
    println!("suspended: {numbers:?}");
    let mut fork = numbers.clone();
    println!(
        "fork continues: {:?}",
        fork.by_ref().take(3).collect::<Vec<_>>()
    );
    println!(
        "original continues: {:?}",
        numbers.by_ref().take(3).collect::<Vec<_>>()
    );
    println!("fork now: {fork:?}");
}
