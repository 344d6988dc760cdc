// minimised from seed 40; failed with mismatch:
//   full run: first difference at event 1
//   reference: new#0@101 y(6) drop#0@101 ret(0)
//   coroutine: new#0@101 drop#0@101 y(6) ret(0)
// seed 40 features statements,-shadowing,-dead_code,+expr_yield
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let v1 = D::new(101, &log);
    let mut v2 = (if true {
        p
    } else {
        drop(v1);
        p
    });
    yield_!(v2);
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let v1 = D::new(101, &log);
    let mut v2 = (if true {
        p
    } else {
        drop(v1);
        p
    });
    ref_yield(&log, v2);
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 6i64, true, true) }
