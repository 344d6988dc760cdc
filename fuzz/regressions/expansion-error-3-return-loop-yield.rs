// minimised from seed 3; failed with expansion-error:
//   6:41: error[E0425]: cannot find value `c2` in this scope: not found in this scope
//   6:60: error[E0425]: cannot find value `c2` in this scope: not found in this scope
// seed 3 features statements,-shadowing,-dead_code,+value_block_yields
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    { let mut c2 = 0u32; 'l2: loop { if c2 >= 2 { break; } c2 += 1; {
        ({
            return ({ let mut c4 = 0u32; 'l4: loop { if c4 >= 4 { break 'l4 p; } c4 += 1; {
                let v2 = yield_!(12i64);
            } } });
            p
        });
    } } }
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    { let mut c2 = 0u32; 'l2: loop { if c2 >= 2 { break; } c2 += 1; {
        ({
            return ({ let mut c4 = 0u32; 'l4: loop { if c4 >= 4 { break 'l4 p; } c4 += 1; {
                let v2 = ref_yield(&log, 12i64);
            } } });
            p
        });
    } } }
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 2i64, true, true) }
