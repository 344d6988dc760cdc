// minimised from seed 71; failed with expansion-error:
//   4:1: error[E0282]: type annotations needed: cannot infer type
// seed 71 features statements,-shadowing,-dead_code,+expr_yield
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let mut v2 = 0i64;
    let v3 = p;
    let mut v4 = yield_!(v2);
    yield_!(0i64);
    v2 = v3;
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut v2 = 0i64;
    let v3 = p;
    let mut v4 = ref_yield(&log, v2);
    ref_yield(&log, 0i64);
    v2 = v3;
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 1i64, true, true) }
