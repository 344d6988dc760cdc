// minimised from seed 1857; failed with expansion-error:
//   4:1: error[E0499]: cannot borrow value as mutable more than once at a time
// (`yield_!(w)` of a range loop's item kept in the state, yielded after the store that moves it)
// seed 1857 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    'l1: for w in 3i64..(p).rem_euclid(5) + 3i64 {
        let mut k = ({
            return (yield_!(10i64) & yield_!(w));
            (-3i64)
        });
    }
    10i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    'l1: for w in 3i64..(p).rem_euclid(5) + 3i64 {
        let mut k = ({
            return (ref_yield(&log, 10i64) & ref_yield(&log, w));
            (-3i64)
        });
    }
    10i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 3i64, true, true) }
