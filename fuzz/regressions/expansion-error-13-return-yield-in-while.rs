// minimised from seed 13; failed with expansion-error:
//   9:5: error[E0597]: `p` does not live long enough: borrowed value does not live long enough
// seed 13 features statements,+value_block_yields,+expr_yield
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    { let mut c1 = 0u32; 'l1: while c1 < 4 { c1 += 1; {
        return yield_!(p);
    } } }
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    { let mut c1 = 0u32; 'l1: while c1 < 4 { c1 += 1; {
        return ref_yield(&log, p);
    } } }
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 3i64, true, true) }
