// minimised from seed 54; failed with expansion-error:
//   9:5: error[E0425]: cannot find value `v1` in this scope
// seed 54 features statements,-shadowing,-dead_code
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let mut v1 = vec![p];
    let v4 = v1.get(p.rem_euclid(4) as usize).copied().unwrap_or(-1i64);
    yield_!(8i64);
    v1 = vec![v4];
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut v1 = vec![p];
    let v4 = v1.get(p.rem_euclid(4) as usize).copied().unwrap_or(-1i64);
    ref_yield(&log, 8i64);
    v1 = vec![v4];
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 6i64, true, true) }
