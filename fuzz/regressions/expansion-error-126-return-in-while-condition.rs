// minimised from seed 126; failed with expansion-error:
//   14:5: error[E0425]: cannot find value `first` in this scope: not found in this scope
// seed 126 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine(arg = first)]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    { let mut c1 = 0u32; 'l1: while c1 < 3 && (p >= ({
        return ({
            let mut x = yield_!(0i64);
            x
        });
        p
    })) { c1 += 1; {
    } } }
    first
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let first: i64 = log.first_arg();
    { let mut c1 = 0u32; 'l1: while c1 < 3 && (p >= ({
        return ({
            let mut x = ref_yield(&log, 0i64);
            x
        });
        p
    })) { c1 += 1; {
    } } }
    first
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, -2i64, true, true) }
