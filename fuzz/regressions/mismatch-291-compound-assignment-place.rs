// minimised from seed 291; failed with mismatch:
//   reference: y(0) y(6) ret(2)
//   coroutine: y(0) y(0) ret(2)
// (the assigned place of `z |= e` was copied into a local when `e` assigns `z`)
// seed 291 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let mut z = p;
    z = yield_!(({ let mut c1 = 0u32; 'l1: loop { if c1 >= 1 { break 'l1 z; } c1 += 1; {
        z |= ({
            let mut k = z;
            k = ({
                ({
                    z = 0i64;
                    z
                });
                k
            });
            yield_!(z)
        });
    } } }));
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut z = p;
    z = ref_yield(&log, ({ let mut c1 = 0u32; 'l1: loop { if c1 >= 1 { break 'l1 z; } c1 += 1; {
        z |= ({
            let mut k = z;
            k = ({
                ({
                    z = 0i64;
                    z
                });
                k
            });
            ref_yield(&log, z)
        });
    } } }));
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 2i64, true, true) }
