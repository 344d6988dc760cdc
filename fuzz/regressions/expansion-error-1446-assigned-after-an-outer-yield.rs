// minimised from seed 1446; failed with expansion-error:
//   6:13: error[E0425]: cannot find value `x` in this scope
// seed 1446 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let mut x = vec![({
        let mut m = yield_!(0i64);
        p
    })];
    let u = yield_!(({
        let y = yield_!(6i64);
        8i64
    }));
    x = Vec::<i64>::new();
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut x = vec![({
        let mut m = ref_yield(&log, 0i64);
        p
    })];
    let u = ref_yield(&log, ({
        let y = ref_yield(&log, 6i64);
        8i64
    }));
    x = Vec::<i64>::new();
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 9i64, true, true) }
