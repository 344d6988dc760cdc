// minimised from seed 185; failed with expansion-error:
//   4:1: error[E0282]: type annotations needed: cannot infer type
//   (the `while` hands over to its arm, so both branches of the `if` leave: `.wrapping_neg()` had no type)
// seed 185 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<(), Yield = i64, Return = i64> {
    let first: i64 = log.first_arg();
    { let mut c1 = 0u32; 'l1: while c1 < 3 && (0i64 >= ({
        ({
            let mut x = (if true {
                { yield_!(6i64); log.resumed() }
            } else {
                { let mut c2 = 0u32; 'l2: while c2 < 2 { c2 += 1; {
                    yield_!(0i64);
                } } }
                first
            }).wrapping_neg();
            p
        });
        p
    })) { c1 += 1; {
    } } }
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let first: i64 = log.first_arg();
    { let mut c1 = 0u32; 'l1: while c1 < 3 && (0i64 >= ({
        ({
            let mut x = (if true {
                ref_yield(&log, 6i64)
            } else {
                { let mut c2 = 0u32; 'l2: while c2 < 2 { c2 += 1; {
                    ref_yield(&log, 0i64);
                } } }
                first
            }).wrapping_neg();
            p
        });
        p
    })) { c1 += 1; {
    } } }
    p
}

pub fn run() -> Result<(), Fail> { check(|log, p| Unit(co_main(log, p)), ref_main, 4i64, true, true) }
