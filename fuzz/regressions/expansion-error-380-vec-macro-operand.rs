// minimised from seed 380; failed with expansion-error:
//   14:41: error[E0283]: type annotations needed: cannot infer type of the type parameter `A` declared on the method `into_vec`
// seed 380 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    'l2: for x in 0i64..(({
        ({
            let mut m = ({
                let y = 0i64;
                ({ let mut c3 = 0u32; 'l3: loop { if c3 >= 2 { break 'l3 1i64; } c3 += 1; {
                    let mut w = (({ let mut c4 = 0u32; 'l4: loop { if c4 >= 3 { break 'l4 0i64; } c4 += 1; {
                        let mut q = 0i64;
                        q = ({
                            let mut w = vec![({
                                if (p >= ({
                                    yield_!(q);
                                    continue 'l3;
                                    p
                                })) {
                                }
                                y
                            })];
                            y
                        });
                    } } }) as u64);
                } } })
            });
            0i64
        });
        (-3i64)
    })).rem_euclid(5) + 0i64 {
    }
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    'l2: for x in 0i64..(({
        ({
            let mut m = ({
                let y = 0i64;
                ({ let mut c3 = 0u32; 'l3: loop { if c3 >= 2 { break 'l3 1i64; } c3 += 1; {
                    let mut w = (({ let mut c4 = 0u32; 'l4: loop { if c4 >= 3 { break 'l4 0i64; } c4 += 1; {
                        let mut q = 0i64;
                        q = ({
                            let mut w = vec![({
                                if (p >= ({
                                    ref_yield(&log, q);
                                    continue 'l3;
                                    p
                                })) {
                                }
                                y
                            })];
                            y
                        });
                    } } }) as u64);
                } } })
            });
            0i64
        });
        (-3i64)
    })).rem_euclid(5) + 0i64 {
    }
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, -1i64, true, true) }
