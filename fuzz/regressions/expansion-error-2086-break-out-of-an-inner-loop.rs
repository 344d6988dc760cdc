// minimised from seed 2086; failed with expansion-error:
//   22:16: error[E0277]: no implementation for `() & i32`
// (a loop resumed inside an inner loop whose rest breaks out of it was taken to run the inner
// loop again, so a `break` to the outer one seemed to run: its `let` got a diverging block)
// seed 2086 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let q = 0i64;
    ({
        let mut x = 0i64;
        q.wrapping_rem((({ let mut c3 = 0u32; 'l3: loop { if c3 >= 1 { break 'l3 x; } c3 += 1; {
            if (({
                yield_!(({ let mut c4 = 0u32; 'l4: loop { if c4 >= 2 { break 'l4 0i64; } c4 += 1; {
                    if (({ let mut c5 = 0u32; 'l5: loop { if c5 >= 4 { break 'l5 p; } c5 += 1; {
                        let mut k = yield_!(q).to_string();
                        break 'l4 6i64;
                    } } }) >= p) {
                        break 'l3 q;
                    }
                } } }));
                0i64
            }) == 0i64) {
            }
        } } }) & 7) + 1);
        p
    });
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let q = 0i64;
    ({
        let mut x = 0i64;
        q.wrapping_rem((({ let mut c3 = 0u32; 'l3: loop { if c3 >= 1 { break 'l3 x; } c3 += 1; {
            if (({
                ref_yield(&log, ({ let mut c4 = 0u32; 'l4: loop { if c4 >= 2 { break 'l4 0i64; } c4 += 1; {
                    if (({ let mut c5 = 0u32; 'l5: loop { if c5 >= 4 { break 'l5 p; } c5 += 1; {
                        let mut k = ref_yield(&log, q).to_string();
                        break 'l4 6i64;
                    } } }) >= p) {
                        break 'l3 q;
                    }
                } } }));
                0i64
            }) == 0i64) {
            }
        } } }) & 7) + 1);
        p
    });
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 5i64, true, true) }
