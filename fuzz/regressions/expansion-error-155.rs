// minimised from seed 155; failed with expansion-error:
//   5:16: error[E0282]: type annotations needed
// seed 155 features statements
use crate::rt::*;

#[resumable::coroutine(arg = first)]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    return 0i64;
    yield_!(0i64);
    first
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let first: i64 = log.first_arg();
    return 0i64;
    ref_yield(&log, 0i64);
    first
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 3i64, true, true) }
