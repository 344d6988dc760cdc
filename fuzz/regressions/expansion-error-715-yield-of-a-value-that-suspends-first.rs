// minimised from seed 715; failed with expansion-error:
//   6:33: error[E0425]: cannot find value `c3` in this scope: not found in this scope
// seed 715 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let mut w = vec![({ let mut c3 = 0u32; 'l3: loop { if c3 >= 1 { break 'l3 8i64; } c3 += 1; {
        let mut y = yield_!(0i64);
        let mut k = yield_!(({
            break yield_!(p);
            y
        }));
    } } })];
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut w = vec![({ let mut c3 = 0u32; 'l3: loop { if c3 >= 1 { break 'l3 8i64; } c3 += 1; {
        let mut y = ref_yield(&log, 0i64);
        let mut k = ref_yield(&log, ({
            break ref_yield(&log, p);
            y
        }));
    } } })];
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 4i64, true, true) }
