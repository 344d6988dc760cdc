// minimised from seed 4; failed with expansion-error:
//   6:53: error[E0425]: cannot find value `c3` in this scope: not found in this scope
//   6:78: error[E0425]: cannot find value `c3` in this scope: not found in this scope
// seed 4 features statements,-shadowing,-dead_code,+expr_yield
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    if (1i64 < ({ let mut c3 = 0u32; 'l3: loop { if c3 >= 3 { break 'l3 p; } c3 += 1; {
        break yield_!(0i64);
    } } })) {
    }
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    if (1i64 < ({ let mut c3 = 0u32; 'l3: loop { if c3 >= 3 { break 'l3 p; } c3 += 1; {
        break ref_yield(&log, 0i64);
    } } })) {
    }
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 8i64, true, true) }
