// minimised from seed 11693; failed with expansion-error:
//   13:5: error[E0425]: cannot find value `w` in this scope
// seed 11693 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<(), Yield = i64, Return = i64> {
    let mut w = Vec::<i64>::new();
    if true {
        w = vec![{ yield_!(p); log.resumed() }];
    } else {
        let mut w = 0i64;
        yield_!(p);
    }
    w = vec![p];
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut w = Vec::<i64>::new();
    if true {
        w = vec![ref_yield(&log, p)];
    } else {
        let mut w = 0i64;
        ref_yield(&log, p);
    }
    w = vec![p];
    0i64
}

pub fn run() -> Result<(), Fail> { check(|log, p| Unit(co_main(log, p)), ref_main, -3i64, true, true) }
