// minimised from seed 353; failed with expansion-error:
//   19:16: error[E0277]: no implementation for `() & i32`: no implementation for `() & i32`
// seed 353 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    'l1: for m in 0i64..(0i64).rem_euclid(5) + 0i64 {
        let mut m = m.wrapping_shl((({ let mut c4 = 0u32; 'l4: loop { if c4 >= 4 { break 'l4 p; } c4 += 1; {
            if (p >= yield_!(m)) {
            }
            ({
                let x = ({
                    if (yield_!(m) >= 0i64) {
                        break m;
                    }
                    m
                });
                0i64
            });
        } } }) & 31) as u32);
    }
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    'l1: for m in 0i64..(0i64).rem_euclid(5) + 0i64 {
        let mut m = m.wrapping_shl((({ let mut c4 = 0u32; 'l4: loop { if c4 >= 4 { break 'l4 p; } c4 += 1; {
            if (p >= ref_yield(&log, m)) {
            }
            ({
                let x = ({
                    if (ref_yield(&log, m) >= 0i64) {
                        break m;
                    }
                    m
                });
                0i64
            });
        } } }) & 31) as u32);
    }
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, -2i64, true, true) }
