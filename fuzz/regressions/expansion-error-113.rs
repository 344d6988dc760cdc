// minimised from seed 113; failed with expansion-error:
//   11:30: error[E0426]: use of undeclared label `'l2`: undeclared label `'l2`, help: try using similarly named label: `'l3`
// seed 113 features statements
use crate::rt::*;

#[resumable::coroutine(arg = first)]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    { let mut c2 = 0u32; 'l2: loop { if c2 >= 2 { break; } c2 += 1; {
        yield_!(first);
        if (({
            let mut k = vec![({
                { let mut c3 = 0u32; 'l3: loop { if c3 >= 3 { break; } c3 += 1; {
                    continue 'l2;
                } } }
                p
            })];
            p
        }) >= 0i64) {
        }
    } } }
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let first: i64 = log.first_arg();
    { let mut c2 = 0u32; 'l2: loop { if c2 >= 2 { break; } c2 += 1; {
        ref_yield(&log, first);
        if (({
            let mut k = vec![({
                { let mut c3 = 0u32; 'l3: loop { if c3 >= 3 { break; } c3 += 1; {
                    continue 'l2;
                } } }
                p
            })];
            p
        }) >= 0i64) {
        }
    } } }
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 7i64, true, true) }
