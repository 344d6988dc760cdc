// minimised from seed 106; failed with expansion-error:
//   6:40: error[E0283]: type annotations needed: cannot infer type
// seed 106 features statements
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    { let mut c1 = 0u32; 'l1: while c1 < 4 { c1 += 1; {
        break;
        yield_!(p);
    } } }
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    { let mut c1 = 0u32; 'l1: while c1 < 4 { c1 += 1; {
        break;
        ref_yield(&log, p);
    } } }
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 4i64, true, true) }
