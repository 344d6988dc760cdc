// minimised from seed 39; failed with macro-rejected:
//   6:13: error: `m` is needed after a yield point where another binding shadows it
//   10:9: error: the coroutine suspends here
// seed 39 features statements
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let mut m = String::from("");
    'l3: for u in 2i64..(p).rem_euclid(5) + 2i64 {
        let mut z = p;
        let mut m = D::new(103, &log);
        yield_!(z);
    }
    let mut w = (m.len() as i64);
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut m = String::from("");
    'l3: for u in 2i64..(p).rem_euclid(5) + 2i64 {
        let mut z = p;
        let mut m = D::new(103, &log);
        ref_yield(&log, z);
    }
    let mut w = (m.len() as i64);
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 2i64, true, true) }
