// minimised from seed 5; failed with expansion-error:
//   14:36: error[E0308]: mismatched types: expected `CoroutineState<i64, i64>`, found `i64`
// seed 5 features statements
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    ({
        let mut x = vec![({ let mut c1 = 0u32; 'l1: loop { if c1 >= 3 { break 'l1 9i64; } c1 += 1; {
            let y = vec![p];
            let y = y.get((match 0i64 {
                u @ 2i64..=7i64 => {
                    ({
                        let y = 4i64;
                        ({
                            return 0i64;
                            y
                        });
                        u
                    })
                }
                x => {
                    x
                }
            }).rem_euclid(4) as usize).copied().unwrap_or(-1i64);
        } } })];
        2i64
    });
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    ({
        let mut x = vec![({ let mut c1 = 0u32; 'l1: loop { if c1 >= 3 { break 'l1 9i64; } c1 += 1; {
            let y = vec![p];
            let y = y.get((match 0i64 {
                u @ 2i64..=7i64 => {
                    ({
                        let y = 4i64;
                        ({
                            return 0i64;
                            y
                        });
                        u
                    })
                }
                x => {
                    x
                }
            }).rem_euclid(4) as usize).copied().unwrap_or(-1i64);
        } } })];
        2i64
    });
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 9i64, true, true) }
