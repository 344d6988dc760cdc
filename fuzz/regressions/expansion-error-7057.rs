// minimised from seed 7057; failed with expansion-error:
//   7:13: error[E0282]: type annotations needed
//   (a loop handed over to inside a value: the code cut after it gave the value its type)
// seed 7057 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<(), Yield = i64, Return = i64> {
    ({
        let mut y = ({
            yield_from!(co_sub1(log.clone(), p));
            ({
                'l3: for q in 3i64..((-2i64)).rem_euclid(5) + 3i64 {
                    yield_!(q);
                }
                p
            })
        });
        y.wrapping_neg()
    });
    p
}
#[resumable::coroutine]
pub fn co_sub1(log: Log, p: i64) -> impl resumable::Coroutine<(), Yield = i64, Return = i64> {
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    ({
        let mut y = ({
            ref_sub1(log.clone(), p);
            ({
                'l3: for q in 3i64..((-2i64)).rem_euclid(5) + 3i64 {
                    ref_yield(&log, q);
                }
                p
            })
        });
        y.wrapping_neg()
    });
    p
}
pub fn ref_sub1(log: Log, p: i64) -> i64 {
    0i64
}

pub fn run() -> Result<(), Fail> { check(|log, p| Unit(co_main(log, p)), ref_main, 6i64, true, true) }
