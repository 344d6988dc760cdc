// minimised from seed 7595; failed with expansion-error:
//   4:1: error[E0277]: the size for values of type `[_]` cannot be known at compilation time: doesn't have a size known at compile-time
//   (a loop handed over to inside a value: the code cut after it gave the value its type)
// seed 7595 features statements,+value_block_yields,+expr_yield,-moves
use crate::rt::*;

#[resumable::coroutine]
pub fn co_main(log: Log, p: i64) -> impl resumable::Coroutine<(), Yield = i64, Return = i64> {
    let mut y = vec![({
        if (({
            let x = 0i64;
            ({
                (match x {
                    y @ -2i64..=-1i64 => {
                        ({
                            let mut q = vec![{ yield_!(p); log.resumed() }, ({ let mut c1 = 0u32; 'l1: loop { if c1 >= 4 { break 'l1 x; } c1 += 1; {
                                yield_!(y);
                            } } })];
                            0i64
                        });
                        x
                    }
                    _ => {
                        p
                    }
                });
                2i64
            })
        }) == 7i64) {
        }
        p
    })];
    0i64
}

pub fn ref_main(log: Log, p: i64) -> i64 {
    let mut y = vec![({
        if (({
            let x = 0i64;
            ({
                (match x {
                    y @ -2i64..=-1i64 => {
                        ({
                            let mut q = vec![ref_yield(&log, p), ({ let mut c1 = 0u32; 'l1: loop { if c1 >= 4 { break 'l1 x; } c1 += 1; {
                                ref_yield(&log, y);
                            } } })];
                            0i64
                        });
                        x
                    }
                    _ => {
                        p
                    }
                });
                2i64
            })
        }) == 7i64) {
        }
        p
    })];
    0i64
}

pub fn run() -> Result<(), Fail> { check(|log, p| Unit(co_main(log, p)), ref_main, 1i64, true, true) }
