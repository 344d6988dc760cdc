//! Yield points inside expressions: operands are evaluated in Rust's order, the ones
//! before a suspending operand are kept across it.

use resumable::{Coroutine, CoroutineState};

fn drive<C: Coroutine<i64, Yield = i64>>(mut c: C, args: &[i64]) -> (Vec<i64>, C::Return) {
    let mut out = Vec::new();
    let mut args = args.iter().copied();
    let mut next = 0;
    loop {
        match c.resume(next) {
            CoroutineState::Yielded(y) => {
                out.push(y);
                next = args.next().unwrap_or(0);
            }
            CoroutineState::Complete(r) => return (out, r),
        }
    }
}

#[resumable::coroutine]
fn call_args(log: Vec<i64>) -> impl Coroutine<i64, Yield = i64, Return = Vec<i64>> {
    let mut log = log;
    fn add3(a: i64, b: i64, c: i64) -> i64 {
        a * 100 + b * 10 + c
    }
    let mut push = |v: i64| v;
    let r = add3(push(1), yield_!(7), yield_!(8));
    log.push(r);
    log
}

#[test]
fn yields_in_call_arguments_keep_order() {
    let (ys, r) = drive(call_args(vec![]), &[2, 3]);
    assert_eq!(ys, [7, 8]);
    assert_eq!(r, [123]);
}

#[resumable::coroutine]
fn operators() -> impl Coroutine<i64, Yield = i64, Return = i64> {
    let a = 10;
    let sum = a + yield_!(1) * yield_!(2);
    let nested = yield_!(yield_!(sum) + 1);
    let short = false && yield_!(99) > 0;
    let cmp = if yield_!(3) > a { 1 } else { 0 };
    sum + nested + short as i64 + cmp
}

#[test]
fn yields_in_operators_nested_and_short_circuit() {
    // resumes: 1→4, 2→5 => sum = 10 + 4*5 = 30; yield 30 -> 6; yield 7 -> 100 => nested = 100
    let (ys, r) = drive(operators(), &[4, 5, 6, 100, 11]);
    assert_eq!(ys, [1, 2, 30, 7, 3]);
    assert_eq!(r, 30 + 100 + 1);
}

#[resumable::coroutine]
fn methods_and_literals(
) -> impl Coroutine<i64, Yield = i64, Return = (Vec<i64>, [i64; 2], (i64, i64))> {
    let mut v = Vec::new();
    v.push(yield_!(1));
    v.push(yield_!(2) * 2);
    let arr = [yield_!(3), 4];
    let pair = (5, yield_!(6));
    (v, arr, pair)
}

#[test]
fn yields_in_method_arguments_arrays_tuples() {
    let (ys, r) = drive(methods_and_literals(), &[10, 20, 30, 60]);
    assert_eq!(ys, [1, 2, 3, 6]);
    assert_eq!(r, (vec![10, 40], [30, 4], (5, 60)));
}

#[resumable::coroutine]
fn scrutinee() -> impl Coroutine<i64, Yield = i64, Return = &'static str> {
    match yield_!(0) {
        0 => "zero",
        n if n > 0 => {
            let again = yield_!(n);
            if again == n {
                "same"
            } else {
                "different"
            }
        }
        _ => "negative",
    }
}

#[test]
fn yields_in_match_scrutinee_and_arms() {
    assert_eq!(drive(scrutinee(), &[0]), (vec![0], "zero"));
    assert_eq!(drive(scrutinee(), &[5, 5]), (vec![0, 5], "same"));
    assert_eq!(drive(scrutinee(), &[5, 6]), (vec![0, 5], "different"));
    assert_eq!(drive(scrutinee(), &[-1]), (vec![0], "negative"));
}

#[resumable::coroutine]
fn early_exit(limit: i64) -> impl Coroutine<i64, Yield = i64, Return = Result<i64, String>> {
    let mut total = 0;
    loop {
        let x = yield_!(total);
        if x < 0 {
            return Err(format!("negative: {x}"));
        }
        let checked: Result<i64, String> = if x > limit {
            Err("too big".into())
        } else {
            Ok(x)
        };
        total += checked?;
        if total > 100 {
            break Ok(total);
        }
    }
}

#[test]
fn return_try_and_break_value() {
    assert_eq!(
        drive(early_exit(50), &[10, -3]),
        (vec![0, 10], Err("negative: -3".to_string()))
    );
    assert_eq!(
        drive(early_exit(50), &[60]),
        (vec![0], Err("too big".to_string()))
    );
    assert_eq!(
        drive(early_exit(50), &[50, 50, 50]),
        (vec![0, 50, 100], Ok(150))
    );
}

#[test]
fn generator_moves_captures() {
    let words = vec!["a".to_string(), "b".to_string()];
    let n = 2;
    let g = resumable::generator! {
        for w in words {
            for i in 0..n {
                yield!(format!("{w}{i}"));
            }
        }
    };
    assert_eq!(g.collect::<Vec<_>>(), ["a0", "a1", "b0", "b1"]);
}

struct Counter {
    step: u32,
}

impl Counter {
    #[resumable::coroutine]
    fn up_to(&self, n: u32) -> impl Iterator<Item = u32> + '_ {
        let mut i = 0;
        while i < n {
            yield_!(i * self.step);
            i += 1;
        }
    }

    #[resumable::coroutine]
    fn into_steps(self) -> impl Iterator<Item = u32> {
        for k in 1..=3 {
            yield_!(k * self.step);
        }
    }
}

#[test]
fn methods_with_self() {
    let c = Counter { step: 3 };
    assert_eq!(c.up_to(4).collect::<Vec<_>>(), [0, 3, 6, 9]);
    assert_eq!(c.into_steps().collect::<Vec<_>>(), [3, 6, 9]);
}

#[resumable::coroutine]
fn value_loop_with_two_yields() -> impl Coroutine<i64, Yield = i64, Return = i64> {
    let mut n = 0;
    let total = loop {
        let a = yield_!(n);
        let b = yield_!(a);
        n += a + b;
        if n > 10 {
            break n * 2;
        }
    };
    total + 1
}

#[test]
fn a_value_loop_whose_body_yields_twice() {
    // n: 0 -> (1+2)=3 -> 3+(4+5)=12 > 10: break 24
    assert_eq!(
        drive(value_loop_with_two_yields(), &[1, 2, 4, 5]),
        (vec![0, 1, 3, 4], 25)
    );
}

#[test]
fn an_operand_a_later_operand_assigns_is_read_first() {
    #[resumable::coroutine]
    fn f() -> impl Coroutine<i64, Yield = i64, Return = i64> {
        let mut k = 10i64;
        let r = k.wrapping_sub({
            k = yield_!(k);
            1
        });
        let s = k + {
            k += yield_!(k);
            0
        };
        r * 1000 + s * 10 + k
    }
    fn plain(args: [i64; 2]) -> i64 {
        let mut k = 10i64;
        let r = k.wrapping_sub({
            k = args[0];
            1
        });
        let s = k + {
            k += args[1];
            0
        };
        r * 1000 + s * 10 + k
    }
    assert_eq!(drive(f(), &[5, 7]), (vec![10, 5], plain([5, 7])));
}
