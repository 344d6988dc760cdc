// minimised from seed 7166; failed with expansion-error:
//   12:5: error[E0425]: cannot find value `q` in this scope
// (a local shadowed at a yield and overwritten after it was not renamed to stay nameable)
// seed 7166 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    let mut q = vec![yield_!(p)];
    { let mut c2 = 0u32; 'l2: while c2 < 3 { c2 += 1; {
        let mut q = D::new(101, &log);
        let mut u = p;
        u = yield_!(u);
    } } }
    q = Vec::<i64>::new();
    p
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut q = vec![ref_yield(&log, p)];
    { let mut c2 = 0u32; 'l2: while c2 < 3 { c2 += 1; {
        let mut q = D::new(101, &log);
        let mut u = p;
        u = ref_yield(&log, u);
    } } }
    q = Vec::<i64>::new();
    p
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 4i64, true, true) }
