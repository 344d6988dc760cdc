// minimised from seed 6369; failed with expansion-error:
//   4:1: error[E0282]: type annotations needed: cannot infer type
//   (a loop handed over to inside a value: the code cut after it gave the value its type)
// seed 6369 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<(), Yield = i64, Return = i64> {
    'l1: for w in 0i64..(({
        'l2: for z in 0i64..(({
            let m = { yield_!(11i64); log.resumed() };
            { let mut c3 = 0u32; 'l3: while c3 < 2 { c3 += 1; {
                yield_!(m);
            } } }
            0i64
        })).rem_euclid(5) + 0i64 {
        }
        p
    })).rem_euclid(5) + 0i64 {
    }
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    'l1: for w in 0i64..(({
        'l2: for z in 0i64..(({
            let m = ref_yield(&log, 11i64);
            { let mut c3 = 0u32; 'l3: while c3 < 2 { c3 += 1; {
                ref_yield(&log, m);
            } } }
            0i64
        })).rem_euclid(5) + 0i64 {
        }
        p
    })).rem_euclid(5) + 0i64 {
    }
    0i64
}

pub fn run() -> Result<(), Fail> { check(|log, p| Unit(co_main(log, p)), ref_main, 3i64, true, true) }
