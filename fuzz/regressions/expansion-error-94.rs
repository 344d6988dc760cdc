// minimised from seed 94; failed with expansion-error:
//   13:29: error[E0695]: unlabeled `continue` inside of a labeled block: `continue` statements that would diverge to or through a labeled block need to bear a label
// seed 94 features statements,-shadowing,-dead_code
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    { let mut c1 = 0u32; 'l1: loop { if c1 >= 4 { break; } c1 += 1; {
        yield_!(0i64);
        let mut v13 = ({
            let mut v11 = ({
                let mut v9 = ({
                    return ({
                        let v7 = vec![({
                            continue;
                            0i64
                        })];
                        0i64
                    });
                    0i64
                });
                p
            });
            p
        });
    } } }
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    { let mut c1 = 0u32; 'l1: loop { if c1 >= 4 { break; } c1 += 1; {
        ref_yield(&log, 0i64);
        let mut v13 = ({
            let mut v11 = ({
                let mut v9 = ({
                    return ({
                        let v7 = vec![({
                            continue;
                            0i64
                        })];
                        0i64
                    });
                    0i64
                });
                p
            });
            p
        });
    } } }
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 5i64, true, true) }
