// minimised from seed 312; failed with expansion-error:
//   9:19: error[E0426]: use of undeclared label `'l1`: undeclared label `'l1`
//   9:13: error[E0267]: `break` inside of a closure: cannot `break` inside of a closure
// seed 312 features statements
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    'l1: for q in 0i64..(p).rem_euclid(5) + 0i64 {
        let mut w = yield_!(0i64);
        let k = vec![({
            break 'l1;
            w
        })];
    }
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    'l1: for q in 0i64..(p).rem_euclid(5) + 0i64 {
        let mut w = ref_yield(&log, 0i64);
        let k = vec![({
            break 'l1;
            w
        })];
    }
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, -1i64, true, true) }
