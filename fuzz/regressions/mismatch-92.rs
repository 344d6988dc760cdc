// minimised from seed 92; failed with mismatch:
//   full run: first difference at event 1
//   reference: new#0@101 y(101) drop#0@101 ret(1)
//   coroutine: new#0@101 drop#0@101 y(101) ret(1)
// seed 92 features statements
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let mut m = D::new(101, &log);
    yield_!(m.val());
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut m = D::new(101, &log);
    ref_yield(&log, m.val());
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 1i64, true, true) }
