// minimised from seed 18; failed with expansion-error:
//   18:5: error[E0308]: `match` arms have incompatible types: expected `()`, found `i64`
// seed 18 features statements,-shadowing,-dead_code,+value_block_yields
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    yield_from!(co_sub1(log.clone(), p));
    p
}
#[resumable::coroutine]
pub fn co_sub1(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    match ({
        let v2 = yield_!(p);
        p
    }) {
        _ => {
        }
    }
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    ref_sub1(log.clone(), p);
    p
}
pub fn ref_sub1(log: Log, p: i64) -> i64 {
    match ({
        let v2 = ref_yield(&log, p);
        p
    }) {
        _ => {
        }
    }
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 4i64, true, true) }
