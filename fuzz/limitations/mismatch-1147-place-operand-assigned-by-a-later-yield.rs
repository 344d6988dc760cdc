// minimised from seed 1147; failed with mismatch:
//   full run: first difference at event 2
//   reference: y(7) y(7) y(0) ret(7)
//   coroutine: y(7) y(7) y(-5) ret(7)
// seed 1147 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let mut k = p;
    k = yield_!(k.wrapping_sub((match k {
        q => {
            let w = p;
            ({ let mut c1 = 0u32; 'l1: loop { if c1 >= 2 { break 'l1 w; } c1 += 1; {
                k = yield_!(q);
            } } })
        }
    })));
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut k = p;
    k = ref_yield(&log, k.wrapping_sub((match k {
        q => {
            let w = p;
            ({ let mut c1 = 0u32; 'l1: loop { if c1 >= 2 { break 'l1 w; } c1 += 1; {
                k = ref_yield(&log, q);
            } } })
        }
    })));
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 7i64, true, true) }
