// minimised from seed 37; failed with expansion-error:
//   7:9: error[E0282]: type annotations needed for `Option<_>`
// seed 37 features statements
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    'l1: for y in 3i64..(p).rem_euclid(5) + 3i64 {
        'l2: for q in 2i64..(0i64).rem_euclid(5) + 2i64 {
            if (q.wrapping_neg() < 7i64) {
            }
            continue 'l1;
            yield_!(q);
        }
    }
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    'l1: for y in 3i64..(p).rem_euclid(5) + 3i64 {
        'l2: for q in 2i64..(0i64).rem_euclid(5) + 2i64 {
            if (q.wrapping_neg() < 7i64) {
            }
            continue 'l1;
            ref_yield(&log, q);
        }
    }
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 4i64, true, true) }
