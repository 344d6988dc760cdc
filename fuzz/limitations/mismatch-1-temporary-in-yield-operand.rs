// minimised from seed 1; failed with mismatch:
//   full run: first difference at event 1
//   reference: new#0@104 y(104) drop#0@104 ret(0)
//   coroutine: new#0@104 drop#0@104 y(104) ret(0)
// seed 1 features statements,-shadowing,-dead_code,+drop_temps
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<i64, Yield = i64, Return = i64> {
    yield_!(D::new(104, &log).val());
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    ref_yield(&log, D::new(104, &log).val());
    0i64
}

pub fn run() -> Result<(), Fail> { check(co_main, ref_main, 1i64, true, true) }
