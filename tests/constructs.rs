//! Runtime tests of `#[resumable::coroutine]` and `generator!` over the constructs a yield
//! may sit in (issue 2, point 5 and 6): each asserts the exact yielded sequence and the
//! return value.

mod common;

use common::{run, run_with};
use resumable::{generator, Coroutine, CoroutineState};

// ---------------------------------------------------------------- straight line, blocks

#[resumable::coroutine]
fn straight() -> impl Iterator<Item = i32> {
    yield_!(1);
    yield_!(2);
    yield_!(3);
}

#[test]
fn straight_line_yields() {
    assert_eq!(straight().collect::<Vec<_>>(), [1, 2, 3]);
}

#[resumable::coroutine]
fn empty_body() -> impl Iterator<Item = i32> {}

#[test]
fn no_yield_at_all() {
    assert_eq!(empty_body().collect::<Vec<_>>(), Vec::<i32>::new());
}

#[resumable::coroutine]
fn raw_yield() -> impl Iterator<Item = &'static str> {
    r#yield!("raw");
    yield_!("plain");
}

#[test]
fn raw_identifier_yield() {
    assert_eq!(raw_yield().collect::<Vec<_>>(), ["raw", "plain"]);
}

#[resumable::coroutine]
fn nested_blocks() -> impl Coroutine<Yield = i32, Return = i32> {
    let a = 1;
    let b = {
        let c = a + 1;
        yield_!(c);
        {
            let d = c * 10;
            yield_!(d);
            d + a
        }
    };
    yield_!(b);
    b * 2
}

#[test]
fn blocks_with_values() {
    assert_eq!(run(nested_blocks()), (vec![2, 20, 21], 42));
}

// ---------------------------------------------------------------- if / if let / let-else

#[resumable::coroutine]
fn if_chain(n: i32) -> impl Coroutine<Yield = &'static str, Return = i32> {
    if n < 0 {
        yield_!("negative");
        -1
    } else if n == 0 {
        yield_!("zero");
        yield_!("still zero");
        0
    } else {
        yield_!("positive");
        1
    }
}

#[test]
fn if_else_if_else() {
    assert_eq!(run(if_chain(-3)), (vec!["negative"], -1));
    assert_eq!(run(if_chain(0)), (vec!["zero", "still zero"], 0));
    assert_eq!(run(if_chain(9)), (vec!["positive"], 1));
}

#[resumable::coroutine]
fn if_without_else(flag: bool) -> impl Iterator<Item = u8> {
    yield_!(0);
    if flag {
        yield_!(1);
    }
    yield_!(2);
}

#[test]
fn if_without_else_branch() {
    assert_eq!(if_without_else(true).collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(if_without_else(false).collect::<Vec<_>>(), [0, 2]);
}

#[resumable::coroutine]
fn if_condition_yields() -> impl Coroutine<bool, Yield = u8, Return = u8> {
    if yield_!(1) {
        yield_!(2);
        10
    } else {
        20
    }
}

#[test]
fn yield_in_if_condition() {
    assert_eq!(
        run_with(if_condition_yields(), [false, true]),
        (vec![1, 2], 10)
    );
    assert_eq!(
        run_with(if_condition_yields(), [false, false]),
        (vec![1], 20)
    );
}

#[resumable::coroutine]
fn if_let(o: Option<String>) -> impl Coroutine<Yield = String, Return = usize> {
    if let Some(s) = o {
        yield_!(s.clone());
        yield_!(s.to_uppercase());
        s.len()
    } else {
        yield_!(String::from("none"));
        0
    }
}

#[test]
fn if_let_binding_lives_across_yield() {
    assert_eq!(
        run(if_let(Some("ab".into()))),
        (vec!["ab".to_string(), "AB".to_string()], 2)
    );
    assert_eq!(run(if_let(None)), (vec!["none".to_string()], 0));
}

#[resumable::coroutine]
fn let_else(input: &'static str) -> impl Coroutine<Yield = u32, Return = Option<u32>> {
    yield_!(0);
    let Ok(n) = input.parse::<u32>() else {
        yield_!(99);
        return None;
    };
    yield_!(n);
    Some(n + 1)
}

#[test]
fn let_else_both_paths() {
    assert_eq!(run(let_else("41")), (vec![0, 41], Some(42)));
    assert_eq!(run(let_else("x")), (vec![0, 99], None));
}

// ---------------------------------------------------------------- match

#[derive(Clone, Debug, PartialEq)]
enum Shape {
    Circle(u32),
    Rect { w: u32, h: u32 },
    Dot,
    Line(u32, u32),
}

#[resumable::coroutine]
fn describe(shapes: Vec<Shape>) -> impl Coroutine<Yield = String, Return = u32> {
    let mut total = 0;
    for s in shapes {
        match s {
            Shape::Circle(r) if r > 10 => {
                yield_!(format!("big circle {r}"));
                total += r;
            }
            Shape::Circle(r) => {
                yield_!(format!("circle {r}"));
                total += r;
            }
            Shape::Rect { w, h } if w == h => {
                yield_!(format!("square {w}"));
                total += w * h;
            }
            Shape::Rect { w, h: height } => {
                yield_!(format!("rect {w}x{height}"));
                yield_!(String::from("second"));
                total += w * height;
            }
            Shape::Dot | Shape::Line(0, _) => yield_!(String::from("tiny")),
            Shape::Line(a, b) => {
                total += a + b;
            }
        }
    }
    total
}

#[test]
fn match_guards_bindings_or_patterns() {
    let shapes = vec![
        Shape::Circle(11),
        Shape::Circle(2),
        Shape::Rect { w: 3, h: 3 },
        Shape::Rect { w: 2, h: 5 },
        Shape::Dot,
        Shape::Line(0, 7),
        Shape::Line(1, 2),
    ];
    let (ys, r) = run(describe(shapes));
    assert_eq!(
        ys,
        [
            "big circle 11",
            "circle 2",
            "square 3",
            "rect 2x5",
            "second",
            "tiny",
            "tiny"
        ]
    );
    assert_eq!(r, 11 + 2 + 9 + 10 + 3);
}

#[resumable::coroutine]
fn match_value(x: u8) -> impl Coroutine<Yield = u8, Return = &'static str> {
    let name = match x {
        0 => {
            yield_!(0);
            "zero"
        }
        1 | 2 => {
            yield_!(x);
            yield_!(x);
            "small"
        }
        n @ 3..=9 => {
            yield_!(n * 10);
            "digit"
        }
        _ => "big",
    };
    yield_!(255);
    name
}

#[test]
fn match_as_value_with_at_bindings() {
    assert_eq!(run(match_value(0)), (vec![0, 255], "zero"));
    assert_eq!(run(match_value(2)), (vec![2, 2, 255], "small"));
    assert_eq!(run(match_value(4)), (vec![40, 255], "digit"));
    assert_eq!(run(match_value(200)), (vec![255], "big"));
}

// ---------------------------------------------------------------- loops

#[resumable::coroutine]
fn two_yields_in_an_arm(v: Vec<u32>) -> impl Coroutine<Yield = u32, Return = u32> {
    let mut total = 0;
    for s in v {
        match s {
            0 => {
                yield_!(0);
                yield_!(1);
            }
            r => total += r,
        }
    }
    total
}

#[test]
fn two_yields_in_a_match_arm_in_a_loop() {
    assert_eq!(run(two_yields_in_an_arm(vec![3, 0, 4])), (vec![0, 1], 7));
}

#[resumable::coroutine]
fn plain_loop() -> impl Coroutine<Yield = u32, Return = u32> {
    let mut i = 0;
    loop {
        i += 1;
        if i > 4 {
            break;
        }
        yield_!(i);
    }
    i
}

#[test]
fn loop_with_break() {
    assert_eq!(run(plain_loop()), (vec![1, 2, 3, 4], 5));
}

#[resumable::coroutine]
fn loop_break_value() -> impl Coroutine<Yield = u32, Return = u32> {
    let mut i = 1;
    let found = loop {
        yield_!(i);
        if i % 7 == 0 {
            break i * 100;
        }
        i += 3;
    };
    yield_!(found);
    found + 1
}

#[test]
fn break_with_value() {
    assert_eq!(run(loop_break_value()), (vec![1, 4, 7, 700], 701));
}

#[resumable::coroutine]
fn while_loop(n: u32) -> impl Coroutine<Yield = u32, Return = u32> {
    let mut i = 0;
    while i < n {
        yield_!(i);
        i += 1;
    }
    i * 10
}

#[test]
fn while_loop_counts() {
    assert_eq!(run(while_loop(3)), (vec![0, 1, 2], 30));
    assert_eq!(run(while_loop(0)), (vec![], 0));
}

#[resumable::coroutine]
fn while_let(mut v: Vec<i32>) -> impl Coroutine<Yield = i32, Return = usize> {
    let mut popped = 0;
    while let Some(x) = v.pop() {
        yield_!(x);
        popped += 1;
    }
    popped
}

#[test]
fn while_let_pops() {
    assert_eq!(run(while_let(vec![1, 2, 3])), (vec![3, 2, 1], 3));
}

#[resumable::coroutine]
fn while_let_on_iterator() -> impl Iterator<Item = (usize, &'static str)> {
    let words = vec!["a", "b", "c", "d", "e"];
    let mut it = words.into_iter().enumerate();
    while let Some((i, w)) = it.next() {
        if i % 2 == 1 {
            continue;
        }
        yield_!((i, w));
    }
}

#[test]
fn while_let_with_tuple_pattern_and_continue() {
    assert_eq!(
        while_let_on_iterator().collect::<Vec<_>>(),
        [(0, "a"), (2, "c"), (4, "e")]
    );
}

#[resumable::coroutine]
fn for_range(n: u64) -> impl Coroutine<Yield = u64, Return = u64> {
    let mut sum = 0;
    for i in 0..n {
        yield_!(i * i);
        sum += i;
    }
    for j in (1..=3).rev() {
        yield_!(j);
    }
    sum
}

#[test]
fn for_over_ranges() {
    assert_eq!(run(for_range(4)), (vec![0, 1, 4, 9, 3, 2, 1], 6));
}

#[resumable::coroutine]
fn for_vec(v: Vec<String>) -> impl Coroutine<Yield = String, Return = usize> {
    let mut n = 0;
    for s in v {
        yield_!(s);
        n += 1;
    }
    n
}

#[test]
fn for_over_vec_by_value() {
    let v = vec!["x".to_string(), "y".to_string()];
    assert_eq!(run(for_vec(v.clone())), (v, 2));
}

#[resumable::coroutine]
fn for_iterator_chain() -> impl Iterator<Item = (usize, char)> {
    for (i, c) in "abc".chars().enumerate().filter(|&(i, _)| i != 1) {
        yield_!((i, c));
    }
}

#[test]
fn for_over_iterator_adapters() {
    assert_eq!(
        for_iterator_chain().collect::<Vec<_>>(),
        [(0, 'a'), (2, 'c')]
    );
}

#[resumable::coroutine]
fn for_slice_copies(xs: &'static [u32]) -> impl Iterator<Item = u32> {
    for &x in xs {
        yield_!(x + 1);
    }
    for x in xs.iter().copied() {
        yield_!(x * 2);
    }
}

#[test]
fn for_over_slice_by_value_copies() {
    static XS: [u32; 3] = [1, 2, 3];
    assert_eq!(
        for_slice_copies(&XS).collect::<Vec<_>>(),
        [2, 3, 4, 2, 4, 6]
    );
}

#[resumable::coroutine]
fn nested_for() -> impl Iterator<Item = (u8, u8)> {
    for i in 0..3 {
        for j in 0..i {
            yield_!((i, j));
        }
    }
}

#[test]
fn nested_for_loops() {
    assert_eq!(nested_for().collect::<Vec<_>>(), [(1, 0), (2, 0), (2, 1)]);
}

#[resumable::coroutine]
fn labeled() -> impl Coroutine<Yield = (u8, u8), Return = u8> {
    let mut last = 0;
    'outer: for i in 0..5u8 {
        'inner: for j in 0..5u8 {
            if j > i {
                continue 'outer;
            }
            if i == 3 && j == 1 {
                continue 'inner;
            }
            if i == 4 {
                break 'outer;
            }
            yield_!((i, j));
            last += i * 10 + j;
        }
    }
    last
}

#[test]
fn labeled_break_and_continue() {
    assert_eq!(
        run(labeled()),
        (
            vec![
                (0, 0),
                (1, 0),
                (1, 1),
                (2, 0),
                (2, 1),
                (2, 2),
                (3, 0),
                (3, 2),
                (3, 3)
            ],
            179
        )
    );
}

#[resumable::coroutine]
fn labeled_loop_break_value() -> impl Coroutine<Yield = u32, Return = u32> {
    let r = 'search: loop {
        let mut i = 0;
        while i < 10 {
            yield_!(i);
            if i == 2 {
                break 'search i * 7;
            }
            i += 1;
        }
    };
    r
}

#[test]
fn labeled_break_with_value_from_inner_loop() {
    assert_eq!(run(labeled_loop_break_value()), (vec![0, 1, 2], 14));
}

#[resumable::coroutine]
fn early_return(limit: u32) -> impl Coroutine<Yield = u32, Return = &'static str> {
    for i in 0.. {
        if i == limit {
            return "limit";
        }
        yield_!(i);
    }
    "unreachable"
}

#[test]
fn early_return_from_loop() {
    assert_eq!(run(early_return(3)), (vec![0, 1, 2], "limit"));
    assert_eq!(run(early_return(0)), (vec![], "limit"));
}

#[resumable::coroutine]
fn early_return_iterator(stop: bool) -> impl Iterator<Item = u8> {
    yield_!(1);
    if stop {
        return;
    }
    yield_!(2);
}

#[test]
fn early_return_in_iterator_form() {
    assert_eq!(early_return_iterator(true).collect::<Vec<_>>(), [1]);
    assert_eq!(early_return_iterator(false).collect::<Vec<_>>(), [1, 2]);
}

// ---------------------------------------------------------------- ?

#[resumable::coroutine]
fn question_result(
    inputs: Vec<&'static str>,
) -> impl Coroutine<Yield = i64, Return = Result<i64, std::num::ParseIntError>> {
    let mut sum = 0;
    for s in inputs {
        let n: i64 = s.parse()?;
        yield_!(n);
        sum += n;
    }
    Ok(sum)
}

#[test]
fn question_mark_on_result() {
    assert_eq!(run(question_result(vec!["1", "2"])), (vec![1, 2], Ok(3)));
    let (ys, r) = run(question_result(vec!["1", "x", "3"]));
    assert_eq!(ys, [1]);
    assert_eq!(r, Err("x".parse::<i64>().unwrap_err()));
}

#[derive(Debug, PartialEq)]
struct MyErr(String);

impl From<std::num::ParseIntError> for MyErr {
    fn from(e: std::num::ParseIntError) -> Self {
        MyErr(e.to_string())
    }
}

#[resumable::coroutine]
fn question_converts() -> impl Coroutine<String, Yield = (), Return = Result<u8, MyErr>> {
    let s = yield_!(());
    let n: u8 = s.parse()?;
    Ok(n)
}

#[test]
fn question_mark_converts_the_error_with_from() {
    assert_eq!(
        run_with(question_converts(), ["".into(), "7".into()]),
        (vec![()], Ok(7))
    );
    let (_, r) = run_with(question_converts(), ["".into(), "-".into()]);
    assert_eq!(r, Err(MyErr("-".parse::<u8>().unwrap_err().to_string())));
}

#[resumable::coroutine]
fn question_option(v: Vec<Option<u8>>) -> impl Coroutine<Yield = u8, Return = Option<u8>> {
    let mut last = 0;
    for o in v {
        last = o?;
        yield_!(last);
    }
    Some(last)
}

#[test]
fn question_mark_on_option() {
    assert_eq!(
        run(question_option(vec![Some(1), Some(2)])),
        (vec![1, 2], Some(2))
    );
    assert_eq!(
        run(question_option(vec![Some(1), None, Some(3)])),
        (vec![1], None)
    );
}

// ---------------------------------------------------------------- resume arguments

#[resumable::coroutine]
fn let_from_yield() -> impl Coroutine<String, Yield = usize, Return = String> {
    let a = yield_!(1);
    let b = yield_!(a.len());
    format!("{a}+{b}")
}

#[test]
fn let_x_equals_yield() {
    assert_eq!(
        run_with(
            let_from_yield(),
            ["ignored".into(), "abc".into(), "de".into()]
        ),
        (vec![1, 3], "abc+de".to_string())
    );
}

#[resumable::coroutine]
fn assign_from_yield() -> impl Coroutine<i32, Yield = i32, Return = i32> {
    let mut x = 0;
    let mut total = 0;
    while x >= 0 {
        total += x;
        x = yield_!(total);
    }
    total
}

#[test]
fn x_assign_yield() {
    assert_eq!(
        run_with(assign_from_yield(), [100, 1, 2, 3, -1]),
        (vec![0, 1, 3, 6], 6)
    );
}

#[test]
fn x_assign_yield_does_not_store_the_old_x() {
    #[allow(dead_code)] // only its size matters
    enum H {
        S,
        A { total: i32 },
        D,
        P,
    }
    assert_eq!(
        std::mem::size_of_val(&assign_from_yield()),
        std::mem::size_of::<H>()
    );
}

#[resumable::coroutine]
fn ref_resume() -> impl Coroutine<&'static str, Yield = usize, Return = String> {
    let mut out = String::new();
    loop {
        let s = yield_!(out.len());
        if s.is_empty() {
            return out;
        }
        out.push_str(s);
    }
}

#[test]
fn resume_argument_of_reference_type() {
    assert_eq!(
        run_with(ref_resume(), ["", "ab", "cde", ""]),
        (vec![0, 2, 5], "abcde".to_string())
    );
}

#[resumable::coroutine]
fn question_on_yield() -> impl Coroutine<Option<u8>, Yield = u8, Return = Option<u8>> {
    let a = yield_!(1)?;
    let b = yield_!(2)?;
    Some(a + b)
}

#[test]
fn question_mark_on_a_yield_value() {
    assert_eq!(
        run_with(question_on_yield(), [None, Some(3), Some(4)]),
        (vec![1, 2], Some(7))
    );
    assert_eq!(
        run_with(question_on_yield(), [None, Some(3), None]),
        (vec![1, 2], None)
    );
    assert_eq!(run_with(question_on_yield(), [None, None]), (vec![1], None));
}

#[resumable::coroutine]
fn yield_operands() -> impl Coroutine<i32, Yield = i32, Return = i32> {
    let mut x = yield_!(1) + yield_!(2);
    x *= yield_!(x);
    x -= yield_!(x) * 2;
    x
}

#[test]
fn yields_as_operands_evaluate_left_to_right() {
    assert_eq!(
        run_with(yield_operands(), [0, 5, 6, 2, 1]),
        (vec![1, 2, 11, 22], 20)
    );
}

#[resumable::coroutine]
fn yields_in_call_arguments() -> impl Coroutine<i32, Yield = i32, Return = Vec<i32>> {
    let v = vec![yield_!(1), yield_!(2)];
    let m = i32::max(yield_!(3), yield_!(4));
    let mut out = v;
    out.push(m);
    out
}

#[test]
fn yields_in_call_and_vec_arguments() {
    assert_eq!(
        run_with(yields_in_call_arguments(), [0, 10, 20, 7, 5]),
        (vec![1, 2, 3, 4], vec![10, 20, 7])
    );
}

#[resumable::coroutine]
fn first_arg_dropped() -> impl Coroutine<u32, Yield = u32, Return = u32> {
    let x = yield_!(0);
    x
}

#[test]
fn first_resume_argument_is_dropped_without_arg_attribute() {
    let mut c = first_arg_dropped();
    assert_eq!(c.resume(111), CoroutineState::Yielded(0));
    assert_eq!(c.resume(7), CoroutineState::Complete(7));
}

#[resumable::coroutine(arg = first)]
fn first_arg_bound() -> impl Coroutine<u32, Yield = u32, Return = u32> {
    let second = yield_!(first * 2);
    first + second
}

#[test]
fn arg_attribute_binds_first_resume_argument() {
    let mut c = first_arg_bound();
    assert_eq!(c.resume(21), CoroutineState::Yielded(42));
    assert_eq!(c.resume(1), CoroutineState::Complete(22));
}

#[resumable::coroutine(arg = (a, b))]
fn first_arg_pattern() -> impl Coroutine<(i32, i32), Yield = i32, Return = i32> {
    let (c, d) = yield_!(a - b);
    a * b + c * d
}

#[test]
fn arg_attribute_with_a_tuple_pattern() {
    assert_eq!(
        run_with(first_arg_pattern(), [(5, 2), (3, 4)]),
        (vec![3], 22)
    );
}

#[resumable::coroutine(arg = mut acc)]
fn first_arg_mut() -> impl Coroutine<u64, Yield = u64, Return = u64> {
    loop {
        let x = yield_!(acc);
        if x == 0 {
            break acc;
        }
        acc += x;
    }
}

#[test]
fn arg_attribute_with_mut_binding() {
    assert_eq!(
        run_with(first_arg_mut(), [10, 1, 2, 0]),
        (vec![10, 11, 13], 13)
    );
}

// ---------------------------------------------------------------- locals

#[resumable::coroutine]
fn shadowing() -> impl Coroutine<Yield = String, Return = usize> {
    let x = 5u32;
    yield_!(x.to_string());
    let x = format!("{x}{x}");
    yield_!(x.clone());
    let x = x.len();
    yield_!(x.to_string());
    x
}

#[test]
fn shadowing_across_yields() {
    assert_eq!(
        run(shadowing()),
        (vec!["5".to_string(), "55".to_string(), "2".to_string(),], 2)
    );
}

#[resumable::coroutine]
fn mut_args(mut n: u32, mut acc: Vec<u32>) -> impl Coroutine<Yield = u32, Return = Vec<u32>> {
    while n > 0 {
        acc.push(n);
        yield_!(n);
        n -= 1;
    }
    acc
}

#[test]
fn mut_arguments() {
    assert_eq!(run(mut_args(3, vec![9])), (vec![3, 2, 1], vec![9, 3, 2, 1]));
}

struct Pair {
    left: u8,
    right: u8,
}

#[resumable::coroutine]
fn pattern_args(
    (a, b): (u8, u8),
    Pair { left, right: r }: Pair,
    [x, y]: [u8; 2],
    _: u8,
) -> impl Coroutine<Yield = u8, Return = u8> {
    yield_!(a);
    yield_!(b);
    yield_!(left);
    yield_!(r);
    yield_!(x);
    y
}

#[test]
fn patterns_in_arguments() {
    assert_eq!(
        run(pattern_args((1, 2), Pair { left: 3, right: 4 }, [5, 6], 0)),
        (vec![1, 2, 3, 4, 5], 6)
    );
}

#[resumable::coroutine]
fn not_live_across() -> impl Iterator<Item = u32> {
    let tmp = 10;
    let a = tmp + 1; // `tmp` is dead after this line
    yield_!(a);
    let b = a * 2;
    yield_!(b);
    yield_!(a + b);
}

#[test]
fn locals_defined_before_and_used_after_yields() {
    assert_eq!(not_live_across().collect::<Vec<_>>(), [11, 22, 33]);
}

#[resumable::coroutine]
fn moved_value_across_yield() -> impl Coroutine<Yield = usize, Return = String> {
    let s = String::from("hello");
    let t = s; // moved
    yield_!(t.len());
    let mut u = t;
    u.push('!');
    yield_!(u.len());
    u
}

#[test]
fn moves_between_locals_across_yields() {
    assert_eq!(
        run(moved_value_across_yield()),
        (vec![5, 6], "hello!".to_string())
    );
}

#[resumable::coroutine]
fn closures_inside() -> impl Iterator<Item = i32> {
    let k = 3;
    let mul = move |x: i32| x * k;
    for i in 1..=3 {
        yield_!(mul(i));
    }
    let v: Vec<i32> = (0..3).map(|x| x + k).collect();
    yield_!(v.iter().sum());
}

#[test]
fn closures_without_yields_live_across_yields() {
    assert_eq!(closures_inside().collect::<Vec<_>>(), [3, 6, 9, 12]);
}

// ---------------------------------------------------------------- methods

#[derive(Clone)]
struct Counter {
    start: u32,
    step: u32,
}

impl Counter {
    #[resumable::coroutine]
    fn by_value(self) -> impl Iterator<Item = u32> {
        let Counter { start, step } = self;
        let mut x = start;
        for _ in 0..3 {
            yield_!(x);
            x += step;
        }
    }

    #[resumable::coroutine]
    fn by_value_fields(self) -> impl Iterator<Item = u32> {
        yield_!(self.start);
        yield_!(self.start + self.step);
    }

    #[resumable::coroutine]
    fn by_ref(&self, n: u32) -> impl Iterator<Item = u32> + '_ {
        for i in 0..n {
            yield_!(self.start + i * self.step);
        }
    }

    #[resumable::coroutine]
    fn by_mut(&mut self) -> impl Coroutine<u32, Yield = u32, Return = u32> + '_ {
        loop {
            let add = yield_!(self.start);
            if add == 0 {
                break self.start;
            }
            self.start += add;
        }
    }

    #[resumable::coroutine]
    fn assoc_no_self(n: u32) -> impl Iterator<Item = u32> {
        yield_!(n);
        yield_!(n + 1);
    }

    #[resumable::coroutine]
    fn mut_self(mut self) -> impl Coroutine<Yield = u32, Return = u32> {
        let Counter { start, step } = self;
        self = Counter {
            start: start * 2,
            step: step + 1,
        };
        yield_!(start);
        yield_!(0);
        let Counter { start, step } = self;
        start + step
    }
}

#[test]
fn method_taking_self() {
    let c = Counter { start: 1, step: 5 };
    assert_eq!(c.by_value().collect::<Vec<_>>(), [1, 6, 11]);
}

#[test]
fn method_taking_self_reading_fields() {
    let c = Counter { start: 1, step: 2 };
    assert_eq!(c.by_value_fields().collect::<Vec<_>>(), [1, 3]);
}

#[test]
fn method_taking_ref_self() {
    let c = Counter { start: 2, step: 3 };
    assert_eq!(c.by_ref(4).collect::<Vec<_>>(), [2, 5, 8, 11]);
    assert_eq!(c.start, 2);
}

#[test]
fn method_taking_mut_ref_self() {
    let mut c = Counter { start: 1, step: 0 };
    assert_eq!(run_with(c.by_mut(), [0, 2, 3, 0]), (vec![1, 3, 6], 6));
    assert_eq!(c.start, 6);
}

#[test]
fn associated_function_without_self() {
    assert_eq!(Counter::assoc_no_self(4).collect::<Vec<_>>(), [4, 5]);
}

#[test]
fn method_taking_mut_self_by_value() {
    let c = Counter { start: 3, step: 1 };
    assert_eq!(run(c.mut_self()), (vec![3, 0], 8));
}

trait Producer {
    fn letters(&self) -> impl Iterator<Item = char> + '_;
    fn produce(self) -> impl Iterator<Item = String>;
    fn consume(self) -> impl Coroutine<Yield = char, Return = usize>;
}

#[derive(Clone)]
struct Word(String);

impl Producer for Word {
    #[resumable::coroutine]
    fn letters(&self) -> impl Iterator<Item = char> + '_ {
        for c in self.0.chars() {
            yield_!(c);
        }
    }

    #[resumable::coroutine]
    fn produce(self) -> impl Iterator<Item = String> {
        let Word(w) = self;
        let chars: Vec<char> = w.chars().collect();
        for c in chars {
            yield_!(c.to_string().repeat(2));
        }
    }

    #[resumable::coroutine]
    fn consume(self) -> impl Coroutine<Yield = char, Return = usize> {
        let Word(w) = self;
        let n = w.len();
        let chars: Vec<char> = w.chars().rev().collect();
        for c in chars {
            yield_!(c);
        }
        n
    }
}

#[test]
fn trait_impl_methods() {
    let w = Word("ab".into());
    assert_eq!(w.letters().collect::<Vec<_>>(), ['a', 'b']);
    assert_eq!(w.clone().produce().collect::<Vec<_>>(), ["aa", "bb"]);
    assert_eq!(run(w.consume()), (vec!['b', 'a'], 2));
}

// ---------------------------------------------------------------- generics

#[resumable::coroutine]
fn generic_pair<T: Clone>(x: T, n: usize) -> impl Iterator<Item = (T, usize)> {
    for i in 0..n {
        yield_!((x.clone(), i));
    }
}

#[test]
fn generic_type_parameter() {
    assert_eq!(
        generic_pair("a", 2).collect::<Vec<_>>(),
        [("a", 0), ("a", 1)]
    );
    assert_eq!(generic_pair(7u8, 1).collect::<Vec<_>>(), [(7, 0)]);
}

#[resumable::coroutine]
fn with_lifetime<'a>(words: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
    for &w in words {
        if !w.is_empty() {
            yield_!(w);
        }
    }
}

#[test]
fn lifetime_parameter() {
    let words = ["x", "", "yz"];
    assert_eq!(with_lifetime(&words).collect::<Vec<_>>(), ["x", "yz"]);
}

#[resumable::coroutine]
fn borrowed_str(s: &str) -> impl Iterator<Item = &str> + '_ {
    for part in s.split(',') {
        yield_!(part.trim());
    }
}

#[test]
fn elided_lifetime_argument() {
    assert_eq!(borrowed_str("a, b ,c").collect::<Vec<_>>(), ["a", "b", "c"]);
}

#[resumable::coroutine]
fn const_generic<const N: usize>(arr: [u16; N]) -> impl Coroutine<Yield = u16, Return = usize> {
    for x in arr {
        yield_!(x);
    }
    N
}

#[test]
fn const_generic_parameter() {
    assert_eq!(run(const_generic([4, 5, 6])), (vec![4, 5, 6], 3));
    assert_eq!(run(const_generic::<0>([])), (vec![], 0));
}

#[resumable::coroutine]
fn where_clause<I, T>(it: I) -> impl Coroutine<Yield = String, Return = usize>
where
    I: IntoIterator<Item = T>,
    T: std::fmt::Display,
{
    let mut n = 0;
    for x in it {
        yield_!(format!("<{x}>"));
        n += 1;
    }
    n
}

#[test]
fn where_clauses() {
    assert_eq!(
        run(where_clause(vec![1, 2])),
        (vec!["<1>".to_string(), "<2>".to_string()], 2)
    );
}

#[resumable::coroutine]
fn impl_trait_arg(it: impl Iterator<Item = u8>, f: impl Fn(u8) -> u8) -> impl Iterator<Item = u8> {
    for x in it {
        yield_!(f(x));
    }
}

#[test]
fn impl_trait_arguments() {
    assert_eq!(
        impl_trait_arg([1, 2, 3].into_iter(), |x| x * 3).collect::<Vec<_>>(),
        [3, 6, 9]
    );
}

#[resumable::coroutine]
fn generic_resume<T: Default + std::ops::Add<Output = T> + Copy>(
) -> impl Coroutine<T, Yield = T, Return = T> {
    let mut acc = T::default();
    for _ in 0..3 {
        let x = yield_!(acc);
        acc = acc + x;
    }
    acc
}

#[test]
fn generic_resume_type() {
    assert_eq!(
        run_with(generic_resume::<i32>(), [0, 1, 2, 3]),
        (vec![0, 1, 3], 6)
    );
    assert_eq!(
        run_with(generic_resume::<f64>(), [0.0, 0.5, 0.5, 1.0]),
        (vec![0.0, 0.5, 1.0], 2.0)
    );
}

// ---------------------------------------------------------------- yield_from!

#[resumable::coroutine]
fn inner_sum() -> impl Coroutine<i32, Yield = i32, Return = i32> {
    let a = yield_!(-1);
    let b = yield_!(-2);
    a + b
}

#[resumable::coroutine]
fn outer_delegates() -> impl Coroutine<i32, Yield = i32, Return = i32> {
    let x = yield_!(0);
    let s = yield_from!(inner_sum());
    let y = yield_!(s);
    x + s + y
}

#[test]
fn yield_from_coroutine_forwards_resume_args_and_returns() {
    // resume #1 starts outer (0 dropped); #2 = 10 -> x, and starts inner with
    // Default (0, dropped); #3 = 3 -> a; #4 = 4 -> b, inner returns 7; #5 = 100 -> y.
    assert_eq!(
        run_with(outer_delegates(), [0, 10, 3, 4, 100]),
        (vec![0, -1, -2, 7], 10 + 7 + 100)
    );
}

#[resumable::coroutine(arg = first)]
fn inner_echo_first() -> impl Coroutine<i32, Yield = i32, Return = i32> {
    let second = yield_!(first);
    second
}

#[resumable::coroutine]
fn outer_explicit_first() -> impl Coroutine<i32, Yield = i32, Return = i32> {
    let r = yield_from!(inner_echo_first(), 42);
    let d = yield_from!(inner_echo_first());
    r * 1000 + d
}

#[test]
fn yield_from_with_explicit_and_default_first_argument() {
    assert_eq!(
        run_with(outer_explicit_first(), [0, 5, 6]),
        (vec![42, 0], 5 * 1000 + 6)
    );
}

#[resumable::coroutine]
fn yield_from_iters() -> impl Iterator<Item = u32> {
    yield_!(0);
    yield_from!([1, 2]);
    yield_from!(vec![3]);
    yield_from!(4..6);
    yield_from!(Vec::<u32>::new());
    yield_from!(straight_u32());
}

#[resumable::coroutine]
fn straight_u32() -> impl Iterator<Item = u32> {
    yield_!(10);
    yield_!(11);
}

#[test]
fn yield_from_any_into_iterator() {
    assert_eq!(
        yield_from_iters().collect::<Vec<_>>(),
        [0, 1, 2, 3, 4, 5, 10, 11]
    );
}

#[resumable::coroutine]
fn yield_from_in_loop(n: u32) -> impl Iterator<Item = u32> {
    for i in 0..n {
        yield_from!(0..i);
    }
}

#[test]
fn yield_from_inside_a_loop() {
    assert_eq!(
        yield_from_in_loop(4).collect::<Vec<_>>(),
        [0, 0, 1, 0, 1, 2]
    );
}

#[resumable::coroutine]
fn inner_unit_coroutine(n: u8) -> impl Coroutine<Yield = u8, Return = String> {
    for i in 0..n {
        yield_!(i);
    }
    format!("done {n}")
}

#[resumable::coroutine]
fn outer_unit() -> impl Coroutine<Yield = u8, Return = Vec<String>> {
    let a = yield_from!(inner_unit_coroutine(2));
    let b = yield_from!(inner_unit_coroutine(0));
    let c = yield_from!(inner_unit_coroutine(1));
    vec![a, b, c]
}

#[test]
fn yield_from_sequence_of_subcoroutines_with_return_values() {
    assert_eq!(
        run(outer_unit()),
        (
            vec![0, 1, 0],
            vec![
                "done 2".to_string(),
                "done 0".to_string(),
                "done 1".to_string()
            ]
        )
    );
}

// ---------------------------------------------------------------- generator!

#[test]
fn generator_basic() {
    let g = generator! {
        yield!(1);
        yield!(2);
    };
    assert_eq!(g.collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn generator_moves_outer_locals() {
    let v = vec![String::from("a"), String::from("b")];
    let prefix = String::from(">");
    let g = generator! {
        for s in v {
            yield!(format!("{prefix}{s}"));
        }
    };
    assert_eq!(g.collect::<Vec<_>>(), [">a", ">b"]);
}

#[test]
fn generator_with_borrow_bound_before() {
    let data = vec![3, 1, 2];
    let r = &data;
    let g = generator! {
        for &x in r {
            yield!(x * 2);
        }
    };
    assert_eq!(g.collect::<Vec<_>>(), [6, 2, 4]);
    assert_eq!(data.len(), 3);
}

#[test]
fn generator_is_a_coroutine_of_unit() {
    let mut g = generator! {
        let mut i = 0;
        while i < 2 {
            yield!(i);
            i += 1;
        }
    };
    assert_eq!(g.resume(()), CoroutineState::Yielded(0));
    assert_eq!(g.resume(()), CoroutineState::Yielded(1));
    assert_eq!(g.resume(()), CoroutineState::Complete(()));
}

#[test]
fn generator_with_control_flow() {
    let n = 10;
    let g = generator! {
        'outer: for i in 0..n {
            match i % 3 {
                0 => yield!(i),
                1 if i > 5 => break 'outer,
                _ => continue,
            }
        }
        yield!(100);
    };
    assert_eq!(g.collect::<Vec<_>>(), [0, 3, 6, 100]);
}

#[test]
fn generator_yield_from() {
    let g = generator! {
        yield_from!(1..3);
        yield!(9);
    };
    assert_eq!(g.collect::<Vec<_>>(), [1, 2, 9]);
}

#[test]
fn generator_returning_from_within() {
    let limit = 2;
    let g = generator! {
        for i in 0.. {
            if i == limit {
                return;
            }
            yield!(i);
        }
    };
    assert_eq!(g.collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn generator_used_as_an_iterator_adapter_source() {
    let g = generator! {
        let mut a = 0u32;
        loop {
            yield!(a);
            a += 2;
        }
    };
    assert_eq!(g.skip(1).step_by(2).take(3).collect::<Vec<_>>(), [2, 6, 10]);
}

// ---------------------------------------------------------------- more expression positions

#[resumable::coroutine]
fn if_as_value(c: bool) -> impl Coroutine<Yield = u8, Return = u8> {
    let v = if c {
        yield_!(1);
        10
    } else {
        yield_!(2);
        yield_!(3);
        20
    };
    yield_!(v);
    v + 1
}

#[test]
fn if_else_as_a_value_with_yields_in_both_branches() {
    assert_eq!(run(if_as_value(true)), (vec![1, 10], 11));
    assert_eq!(run(if_as_value(false)), (vec![2, 3, 20], 21));
}

#[derive(Debug, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

#[resumable::coroutine]
fn aggregates() -> impl Coroutine<i32, Yield = &'static str, Return = (Point, [i32; 2], (i32, i32))>
{
    let p = Point {
        x: yield_!("x"),
        y: yield_!("y"),
    };
    let a = [yield_!("a0"), yield_!("a1")];
    let t = (yield_!("t0"), yield_!("t1"));
    (p, a, t)
}

#[test]
fn yields_in_struct_array_and_tuple_literals() {
    assert_eq!(
        run_with(aggregates(), [0, 1, 2, 3, 4, 5, 6]),
        (
            vec!["x", "y", "a0", "a1", "t0", "t1"],
            (Point { x: 1, y: 2 }, [3, 4], (5, 6))
        )
    );
}

#[resumable::coroutine]
fn method_on_yield() -> impl Coroutine<String, Yield = usize, Return = String> {
    let upper = yield_!(0).to_uppercase();
    let n = yield_!(upper.len()).len();
    format!("{upper}{n}")
}

#[test]
fn method_call_on_a_yield_value() {
    assert_eq!(
        run_with(method_on_yield(), ["".into(), "ab".into(), "xyz".into()]),
        (vec![0, 2], "AB3".to_string())
    );
}

#[resumable::coroutine]
fn index_by_yield() -> impl Coroutine<usize, Yield = (), Return = char> {
    let v = ['a', 'b', 'c'];
    v[yield_!(())]
}

#[test]
fn yield_as_an_index() {
    assert_eq!(run_with(index_by_yield(), [0, 2]), (vec![()], 'c'));
}

#[resumable::coroutine]
fn nested_yield() -> impl Coroutine<u32, Yield = u32, Return = u32> {
    let x = yield_!(yield_!(1) * 10);
    x + 1
}

#[test]
fn yield_of_a_yield() {
    // The second yield passes out what the first resume after it brought in.
    assert_eq!(run_with(nested_yield(), [0, 4, 7]), (vec![1, 40], 8));
}

#[resumable::coroutine]
fn return_a_yield() -> impl Coroutine<u8, Yield = u8, Return = u8> {
    yield_!(1);
    return yield_!(2);
}

#[test]
fn return_of_a_yield_value() {
    assert_eq!(run_with(return_a_yield(), [0, 0, 9]), (vec![1, 2], 9));
}

#[resumable::coroutine]
fn control_flow_question(
    v: Vec<i32>,
) -> impl Coroutine<Yield = i32, Return = std::ops::ControlFlow<&'static str, i32>> {
    let check = |x: i32| {
        if x < 0 {
            std::ops::ControlFlow::Break("negative")
        } else {
            std::ops::ControlFlow::Continue(x)
        }
    };
    let mut sum = 0;
    for x in v {
        let x = check(x)?;
        yield_!(x);
        sum += x;
    }
    std::ops::ControlFlow::Continue(sum)
}

#[test]
fn question_mark_on_control_flow() {
    use std::ops::ControlFlow;
    assert_eq!(
        run(control_flow_question(vec![1, 2])),
        (vec![1, 2], ControlFlow::Continue(3))
    );
    assert_eq!(
        run(control_flow_question(vec![1, -2, 3])),
        (vec![1], ControlFlow::Break("negative"))
    );
}

// ---------------------------------------------------------------- deeper nesting

#[resumable::coroutine]
fn deep() -> impl Coroutine<Yield = (u8, u8, u8), Return = u32> {
    let mut count = 0;
    for a in 0..3u8 {
        let mut b = 0u8;
        while b < 3 {
            b += 1;
            if b == 2 {
                continue;
            }
            loop {
                match (a, b) {
                    (1, _) => break,
                    (_, 3) => {
                        for c in 0..2u8 {
                            yield_!((a, b, c));
                            count += 1;
                        }
                        break;
                    }
                    _ => {
                        yield_!((a, b, 9));
                        count += 10;
                        break;
                    }
                }
            }
        }
    }
    count
}

#[test]
fn four_levels_of_nesting() {
    assert_eq!(
        run(deep()),
        (
            vec![
                (0, 1, 9),
                (0, 3, 0),
                (0, 3, 1),
                (2, 1, 9),
                (2, 3, 0),
                (2, 3, 1)
            ],
            24
        )
    );
}

#[resumable::coroutine]
fn many_yields() -> impl Iterator<Item = u32> {
    yield_!(1);
    yield_!(2);
    yield_!(3);
    yield_!(4);
    yield_!(5);
    yield_!(6);
    yield_!(7);
    yield_!(8);
    yield_!(9);
    yield_!(10);
    yield_!(11);
    yield_!(12);
    yield_!(13);
    yield_!(14);
    yield_!(15);
    yield_!(16);
    yield_!(17);
    yield_!(18);
    yield_!(19);
    yield_!(20);
}

#[test]
fn twenty_sequential_yields() {
    assert_eq!(
        many_yields().collect::<Vec<_>>(),
        (1..=20).collect::<Vec<_>>()
    );
}

#[resumable::coroutine]
fn big_local() -> impl Coroutine<Yield = u64, Return = u64> {
    let mut buf = [0u64; 512];
    for (i, slot) in buf.iter_mut().enumerate() {
        *slot = i as u64;
    }
    let mut sum = 0;
    for k in 0..4 {
        buf[k] += 1000;
        sum += buf[k];
        yield_!(buf[k]);
    }
    sum + buf.iter().sum::<u64>()
}

#[test]
fn a_4k_buffer_lives_across_yields() {
    let total: u64 = (0..512).sum::<u64>() + 4000;
    assert_eq!(
        run(big_local()),
        (vec![1000, 1001, 1002, 1003], 4006 + total)
    );
}

#[resumable::coroutine]
fn items_inside() -> impl Iterator<Item = u32> {
    use std::collections::BTreeSet;
    const K: u32 = 3;
    fn helper(x: u32) -> u32 {
        x * K
    }
    let set: BTreeSet<u32> = [3, 1, 2].into_iter().collect();
    for x in set {
        yield_!(helper(x));
    }
    let msg = format!("{K}");
    assert_eq!(msg, "3");
    yield_!(msg.len() as u32);
}

#[test]
fn items_use_and_macros_inside_the_body() {
    assert_eq!(items_inside().collect::<Vec<_>>(), [3, 6, 9, 1]);
}

#[resumable::coroutine]
fn unit_and_struct_yields() -> impl Iterator<Item = Option<Point>> {
    yield_!(None);
    yield_!(Some(Point { x: 1, y: -1 }));
}

#[test]
fn yields_of_compound_values() {
    assert_eq!(
        unit_and_struct_yields().collect::<Vec<_>>(),
        [None, Some(Point { x: 1, y: -1 })]
    );
}

// ---------------------------------------------------------------- more signatures

struct Wrapper<T> {
    items: Vec<T>,
}

impl<T: Clone> Wrapper<T> {
    #[resumable::coroutine]
    fn twice(&self) -> impl Iterator<Item = T> + '_ {
        for x in &self.items {
            yield_!(x.clone());
            yield_!(x.clone());
        }
    }

    #[resumable::coroutine]
    fn pairs<U>(self, other: U) -> impl Iterator<Item = (T, U)>
    where
        U: Clone,
    {
        for x in self.items {
            yield_!((x, other.clone()));
        }
    }
}

#[test]
fn methods_of_a_generic_impl_block() {
    let w = Wrapper {
        items: vec!['a', 'b'],
    };
    assert_eq!(w.twice().collect::<Vec<_>>(), ['a', 'a', 'b', 'b']);
    assert_eq!(w.pairs(0u8).collect::<Vec<_>>(), [('a', 0), ('b', 0)]);
}

#[resumable::coroutine]
fn borrow_resume<'a>(
    words: &'a [String],
) -> impl Coroutine<usize, Yield = &'a str, Return = &'a str> + 'a {
    let mut i = 0;
    loop {
        let step = yield_!(words[i].as_str());
        i += step;
        if i >= words.len() {
            return words[words.len() - 1].as_str();
        }
    }
}

#[test]
fn coroutine_form_yielding_borrowed_data() {
    let words: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    assert_eq!(
        run_with(borrow_resume(&words), [0, 2, 1, 5]),
        (vec!["a", "c", "d"], "d")
    );
}

#[resumable::coroutine]
fn raw_yield_coroutine() -> impl Coroutine<u8, Yield = u8, Return = u8> {
    let a = r#yield!(1);
    let b = yield_!(a + 1);
    a * b
}

#[test]
fn raw_identifier_yield_in_the_coroutine_form() {
    assert_eq!(run_with(raw_yield_coroutine(), [0, 3, 5]), (vec![1, 4], 15));
}

// ---------------------------------------------------------------- more delegation

#[resumable::coroutine]
fn counter_sub(start: u32) -> impl Coroutine<u32, Yield = u32, Return = u32> {
    let mut n = start;
    loop {
        let add = yield_!(n);
        if add == 0 {
            return n;
        }
        n += add;
    }
}

#[resumable::coroutine]
fn delegate_in_loop() -> impl Coroutine<u32, Yield = u32, Return = Vec<u32>> {
    let mut results = Vec::new();
    for start in [10, 20] {
        let r = yield_from!(counter_sub(start));
        results.push(r);
    }
    results
}

#[test]
fn yield_from_coroutines_in_a_loop_forwarding_resume_arguments() {
    // start (0), sub(10) starts with Default (0): yields 10; +1 -> 11; 0 -> returns 11;
    // sub(20) yields 20; +5 -> 25; 0 -> returns 25.
    assert_eq!(
        run_with(delegate_in_loop(), [0, 1, 0, 5, 0]),
        (vec![10, 11, 20, 25], vec![11, 25])
    );
}

#[test]
fn generator_with_raw_yield_and_yield_() {
    let g = generator! {
        r#yield!(1);
        yield!(2);
    };
    assert_eq!(g.collect::<Vec<_>>(), [1, 2]);
}

// ---------------------------------------------------------------- deferred initialisation, pushes

#[allow(clippy::needless_late_init)] // deferred initialisation is what this tests
#[resumable::coroutine]
fn deferred_init(c: bool) -> impl Coroutine<Yield = u8, Return = u8> {
    let x;
    if c {
        x = 1;
    } else {
        x = 2;
    }
    yield_!(x);
    x * 10
}

#[test]
fn deferred_initialisation_before_a_yield() {
    assert_eq!(run(deferred_init(true)), (vec![1], 10));
    assert_eq!(run(deferred_init(false)), (vec![2], 20));
}

#[resumable::coroutine]
fn push_yields() -> impl Coroutine<u8, Yield = u8, Return = Vec<u8>> {
    let mut v = Vec::new();
    v.push(yield_!(1));
    v.push(yield_!(2));
    v
}

#[test]
fn yield_as_a_method_argument() {
    assert_eq!(run_with(push_yields(), [0, 7, 8]), (vec![1, 2], vec![7, 8]));
}

#[resumable::coroutine]
fn ignored_resume_values() -> impl Coroutine<u8, Yield = u8, Return = u8> {
    let _ = yield_!(1);
    let _unused = yield_!(2);
    3
}

#[test]
fn resume_values_bound_to_wildcards() {
    assert_eq!(
        run_with(ignored_resume_values(), [0, 7, 8]),
        (vec![1, 2], 3)
    );
}

// ---------------------------------------------------------------- yields in loop headers and tails

#[resumable::coroutine]
fn for_over_a_yield() -> impl Coroutine<Vec<u8>, Yield = u8, Return = u8> {
    let mut n = 0;
    for x in yield_!(0) {
        yield_!(x);
        n += x;
    }
    n
}

#[test]
fn yield_as_the_iterable_of_a_for() {
    assert_eq!(
        run_with(for_over_a_yield(), [vec![], vec![2, 3]]),
        (vec![0, 2, 3], 5)
    );
}

#[resumable::coroutine]
fn else_if_yield(n: u8) -> impl Coroutine<bool, Yield = u8, Return = u8> {
    let mut i = 0;
    let mut hits = 0;
    while i < n {
        i += 1;
        if i == 1 {
            continue;
        } else if yield_!(i) {
            hits += 1;
        }
    }
    hits
}

#[test]
fn yield_in_an_else_if_condition() {
    assert_eq!(
        run_with(else_if_yield(4), [false, true, false, true]),
        (vec![2, 3, 4], 2)
    );
}

#[resumable::coroutine]
fn break_with_a_yield() -> impl Coroutine<u8, Yield = u8, Return = u8> {
    let w = loop {
        break yield_!(3);
    };
    w
}

#[test]
fn break_value_is_a_yield() {
    assert_eq!(run_with(break_with_a_yield(), [0, 4]), (vec![3], 4));
}

/// A documented, `#[inline]`, `pub(crate)` coroutine with every pass-through bound.
#[inline]
#[resumable::coroutine]
pub(crate) fn attributes_and_bounds(
) -> impl Iterator<Item = Result<Vec<u8>, String>> + Clone + std::fmt::Debug + Send + Sync + 'static
{
    yield_!(Ok(vec![1]));
    yield_!(Err("e".to_string()));
}

#[test]
fn attributes_visibility_and_extra_bounds_pass_through() {
    let it = attributes_and_bounds();
    let fork = it.clone();
    assert_eq!(it.collect::<Vec<_>>(), [Ok(vec![1]), Err("e".to_string())]);
    assert_eq!(fork.count(), 2);
}

#[resumable::coroutine]
fn projection<T: Iterator>(it: T) -> impl Iterator<Item = T::Item> {
    for x in it {
        yield_!(x);
    }
}

#[test]
fn item_type_is_an_associated_type_projection() {
    assert_eq!(projection([1, 2].into_iter()).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(projection("ab".chars()).collect::<String>(), "ab");
}

// ---------------------------------------------------------------- yields in every position

mod positions {
    use super::*;

    // a labeled block with a value, broken out of after a yield (E0308; the `break 'blk 5`
    // arm loses its continuation). Compiled and passed before c5b6951.
    #[resumable::coroutine]
    fn labeled_block() -> impl Coroutine<Yield = u8, Return = u8> {
        let v = 'blk: {
            yield_!(1);
            if true {
                break 'blk 5;
            }
            yield_!(2);
            6
        };
        v
    }

    #[test]
    fn labeled_block_break() {
        assert_eq!(run(labeled_block()), (vec![1], 5));
    }

    // a yield as an `if let` scrutinee (E0283 on `n += x`).
    #[resumable::coroutine]
    fn if_let_on_yield() -> impl Coroutine<Option<u8>, Yield = u8, Return = u8> {
        let mut n = 0;
        for _ in 0..3 {
            if let Some(x) = yield_!(n) {
                n += x;
            } else {
                n += 100;
            }
        }
        n
    }

    #[test]
    fn yield_as_an_if_let_scrutinee() {
        assert_eq!(
            run_with(if_let_on_yield(), [None, Some(1), None, Some(2)]),
            (vec![0, 1, 101], 103)
        );
    }

    // a yield as a `let .. else` initializer: "right curly brace `}` before `else` in a
    // `let...else` statement not allowed" (and E0282).
    #[resumable::coroutine]
    fn let_else_on_yield() -> impl Coroutine<Option<u8>, Yield = u8, Return = Result<u8, u8>> {
        let mut total = 0;
        loop {
            let Some(x) = yield_!(total) else {
                return Err(total);
            };
            if x == 0 {
                return Ok(total);
            }
            total += x;
        }
    }

    #[test]
    fn yield_as_a_let_else_initializer() {
        assert_eq!(
            run_with(let_else_on_yield(), [None, Some(2), Some(3), Some(0)]),
            (vec![0, 2, 5], Ok(5))
        );
        assert_eq!(
            run_with(let_else_on_yield(), [None, Some(2), None]),
            (vec![0, 2], Err(2))
        );
    }

    // recursion through `yield_from!(Box::new(walk(l)))`: E0720 cannot resolve opaque type.
    enum Tree {
        Leaf(u32),
        Node(Box<Tree>, Box<Tree>),
    }

    #[resumable::coroutine]
    fn walk(t: &Tree) -> impl Iterator<Item = u32> + '_ {
        match t {
            Tree::Leaf(v) => yield_!(*v),
            Tree::Node(l, r) => {
                yield_from!(Box::new(walk(l)));
                yield_from!(Box::new(walk(r)));
            }
        }
    }

    #[test]
    fn recursive_tree_walk_through_boxed_yield_from() {
        let t = Tree::Node(
            Box::new(Tree::Node(Box::new(Tree::Leaf(1)), Box::new(Tree::Leaf(2)))),
            Box::new(Tree::Leaf(3)),
        );
        assert_eq!(walk(&t).collect::<Vec<_>>(), [1, 2, 3]);
    }

    // a `generator!` inside a coroutine or another `generator!`: its `yield!` is taken as
    // "a yield point inside another macro's arguments".
    #[resumable::coroutine]
    fn delegate_generator(n: u32) -> impl Iterator<Item = u32> {
        let g = generator! {
            for i in 0..n {
                yield!(i * 100);
            }
        };
        yield_from!(g);
        yield_!(n);
    }

    #[test]
    fn yield_from_a_generator_block() {
        assert_eq!(delegate_generator(3).collect::<Vec<_>>(), [0, 100, 200, 3]);
    }

    // a yield as a `while let` scrutinee (E0308 `match` arms have incompatible types).
    #[resumable::coroutine]
    fn while_let_on_yield() -> impl Coroutine<Option<u8>, Yield = u8, Return = u8> {
        let mut n = 0;
        while let Some(x) = yield_!(n) {
            n += x;
        }
        n
    }

    #[test]
    fn yield_as_a_while_let_scrutinee() {
        assert_eq!(
            run_with(while_let_on_yield(), [None, Some(1), Some(2), None]),
            (vec![0, 1, 3], 3)
        );
    }

    // a block whose tail expression is a yield (E0308 expected `u8`, found `()`).
    #[resumable::coroutine]
    fn block_tail_yield() -> impl Coroutine<u8, Yield = u8, Return = u8> {
        let v = { yield_!(1) };
        v
    }

    #[test]
    fn yield_as_a_block_tail() {
        assert_eq!(run_with(block_tail_yield(), [0, 4]), (vec![1], 4));
    }

    // a yield in a `while` condition (E0308, the first arm is typed `()`).
    #[resumable::coroutine]
    fn while_condition_yields() -> impl Coroutine<bool, Yield = u32, Return = u32> {
        let mut n = 0;
        while yield_!(n) {
            n += 1;
        }
        n
    }

    #[test]
    fn yield_in_while_condition() {
        assert_eq!(
            run_with(while_condition_yields(), [false, true, true, false]),
            (vec![0, 1, 2], 2)
        );
    }

    // a yield as a `match` scrutinee (E0282 on a binding of the pattern).
    #[resumable::coroutine]
    fn match_on_yield() -> impl Coroutine<Option<i32>, Yield = i32, Return = i32> {
        let mut acc = 0;
        loop {
            match yield_!(acc) {
                Some(v) if v < 0 => break -v,
                Some(v) => acc += v,
                None => return acc,
            }
        }
    }

    #[test]
    fn match_scrutinee_is_a_yield() {
        assert_eq!(
            run_with(match_on_yield(), [None, Some(1), Some(2), None]),
            (vec![0, 1, 3], 3)
        );
        assert_eq!(
            run_with(match_on_yield(), [None, Some(5), Some(-8)]),
            (vec![0, 5], 8)
        );
    }

    // also a deferred `let x;` initialised after a yield, and a local moved out then
    // assigned again after a yield.
    #[resumable::coroutine]
    fn deferred_after_yield() -> impl Coroutine<Yield = u8, Return = u8> {
        let x;
        yield_!(0);
        x = 5;
        yield_!(x);
        x + 1
    }

    #[resumable::coroutine]
    fn moved_then_reassigned() -> impl Coroutine<Yield = String, Return = String> {
        let mut s = String::from("a");
        yield_!(s);
        s = String::from("b");
        yield_!(s.clone());
        s
    }

    #[test]
    fn deferred_and_reassigned_after_a_yield() {
        assert_eq!(run(deferred_after_yield()), (vec![0, 5], 6));
        assert_eq!(
            run(moved_then_reassigned()),
            (vec!["a".to_string(), "b".to_string()], "b".to_string())
        );
    }

    // a local assigned (not read) after a yield and read later (E0425).
    #[resumable::coroutine]
    fn assigned_after_yield() -> impl Coroutine<Yield = u8, Return = u8> {
        let mut last = 0;
        for i in 0..3u8 {
            yield_!(i);
            last = i;
        }
        last
    }

    #[test]
    fn local_assigned_after_a_yield() {
        assert_eq!(run(assigned_after_yield()), (vec![0, 1, 2], 2));
    }

    // an inner binding shadows a local that is live across a yield.
    #[resumable::coroutine]
    fn shadow_in_inner_scope() -> impl Coroutine<Yield = i32, Return = i32> {
        let x = 1;
        {
            let x = 2;
            yield_!(x);
        }
        for i in 0..2 {
            let x = x + i;
            yield_!(x);
        }
        x
    }

    #[test]
    fn shadowing_in_an_inner_scope_across_yields() {
        assert_eq!(run(shadow_in_inner_scope()), (vec![2, 1, 2], 1));
    }
}

// ---------------------------------------------------------------- recursive yield_from!

/// The recursive calls the trampoline serves (`f(..)`, `Self::f(..)`, boxed or not), and those
/// that keep nested delegation (method syntax).
mod recursion {
    use super::*;

    // Generic, with a borrowed argument: each call's arguments coerce as in a call.
    #[resumable::coroutine]
    fn in_order<T: Copy>(v: &[T]) -> impl Iterator<Item = T> + '_ {
        if let Some((mid, rest)) = v.split_first() {
            let (left, right) = rest.split_at(rest.len() / 2);
            yield_from!(Box::new(in_order(left)));
            yield_!(*mid);
            yield_from!(in_order(right)); // no box needed on a trampoline
        }
    }

    #[test]
    fn generic_recursion_with_and_without_a_box() {
        assert_eq!(
            in_order(&[4, 2, 1, 3, 6, 5, 7]).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7]
        );
        assert_eq!(in_order::<u8>(&[]).count(), 0);
        assert!(on_trampoline(&in_order(&[1])));
    }

    fn on_trampoline<T>(c: &T) -> bool {
        std::any::type_name_of_val(c).starts_with("resumable_runtime::trampoline::Trampoline<")
    }

    struct Node {
        val: u32,
        kids: Vec<Node>,
    }

    impl Node {
        // `Self::f(..)`: on a trampoline; its receiver is an argument like any other.
        #[resumable::coroutine]
        fn pre_order(&self) -> impl Iterator<Item = u32> + '_ {
            yield_!(self.val);
            for k in &self.kids {
                yield_from!(Box::new(Self::pre_order(k)));
            }
        }

        // Method syntax: nested delegation through `Box<dyn ..>`, as before.
        #[resumable::coroutine]
        fn post_order(&self) -> impl Iterator<Item = u32> + '_ {
            let mut i = 0;
            while i < self.kids.len() {
                yield_from!(Box::new(self.kids[i].post_order()));
                i += 1;
            }
            yield_!(self.val);
        }

        // Both in one body: `Self::f` on the trampoline, method syntax nested inside a frame.
        #[resumable::coroutine]
        fn alternate(&self, flip: bool) -> impl Iterator<Item = u32> + '_ {
            yield_!(self.val);
            for k in &self.kids {
                if flip {
                    yield_from!(Box::new(Self::alternate(k, false)));
                } else {
                    yield_from!(Box::new(k.alternate(true)));
                }
            }
        }

        // An associated function: a bare `sum(..)` here would be a free function.
        #[resumable::coroutine]
        fn sum(n: &Node) -> impl Coroutine<Yield = u32, Return = u32> + '_ {
            let mut total = n.val;
            yield_!(n.val);
            for k in &n.kids {
                total += yield_from!(Box::new(Self::sum(k)));
            }
            total
        }
    }

    fn tree() -> Node {
        let leaf = |val| Node { val, kids: vec![] };
        Node {
            val: 1,
            kids: vec![
                Node {
                    val: 2,
                    kids: vec![leaf(3), leaf(4)],
                },
                leaf(5),
            ],
        }
    }

    #[test]
    fn recursion_through_self_and_method_syntax() {
        let t = tree();
        assert_eq!(t.pre_order().collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        assert_eq!(t.post_order().collect::<Vec<_>>(), [3, 4, 2, 5, 1]);
        assert_eq!(run(Node::sum(&t)), (vec![1, 2, 3, 4, 5], 15));
        assert_eq!(t.alternate(true).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        assert!(on_trampoline(&t.alternate(true)));
        assert!(on_trampoline(&t.pre_order()));
        assert!(on_trampoline(&Node::sum(&t)));
        assert!(!on_trampoline(&t.post_order()));
    }

    // A `&mut` argument, reborrowed for each child.
    #[resumable::coroutine]
    fn bump_all(n: &mut Node) -> impl Iterator<Item = u32> + '_ {
        n.val += 10;
        yield_!(n.val);
        for k in n.kids.iter_mut() {
            yield_from!(Box::new(bump_all(k)));
        }
    }

    #[test]
    fn recursion_through_mutable_borrows() {
        let mut t = tree();
        assert_eq!(bump_all(&mut t).collect::<Vec<_>>(), [11, 12, 13, 14, 15]);
        assert_eq!(t.pre_order().collect::<Vec<_>>(), [11, 12, 13, 14, 15]);
        assert!(on_trampoline(&bump_all(&mut t)));
    }

    // A local named like the function: a bare call names the local, not the function.
    #[resumable::coroutine]
    fn shadowed(n: u32) -> impl Iterator<Item = u32> {
        let shadowed = |k: u32| 0..k;
        yield_from!(shadowed(n));
        yield_!(99);
    }

    #[test]
    fn a_local_named_like_the_function_is_not_a_recursive_call() {
        assert_eq!(shadowed(3).collect::<Vec<_>>(), [0, 1, 2, 99]);
        assert!(!on_trampoline(&shadowed(3)));
    }

    // Several recursive calls and ordinary delegation in one body, inside a loop.
    #[resumable::coroutine]
    fn mixed(n: u32) -> impl Iterator<Item = u32> {
        for i in 0..n {
            yield_from!([100 * n + i]);
            yield_from!(Box::new(mixed(i)));
        }
    }

    #[test]
    fn recursive_and_ordinary_delegation_together() {
        assert_eq!(
            mixed(3).collect::<Vec<_>>(),
            [300, 301, 100, 302, 200, 201, 100]
        );
    }
}

// ---------------------------------------------------------------- borrows across yields
// (issue 3, point 4): a plain borrow of a local is taken again after each resume; a `for`
// loop by reference over a local keeps a position.
mod borrows_across_yields {
    use super::*;
    use std::collections::VecDeque;

    struct Pair {
        inner: (Vec<u32>, u32),
        name: String,
    }

    #[resumable::coroutine]
    fn shared() -> impl Coroutine<Yield = usize, Return = u32> {
        let v = vec![1, 2, 3];
        let p = Pair {
            inner: (vec![7, 8], 5),
            name: "pair".to_string(),
        };
        let r = &v;
        let f = &p.inner.0;
        let n = &p.name;
        yield_!(r.len());
        yield_!(f.len() + n.len());
        let s: &[u32] = &v;
        yield_!(s.len());
        r[2] + f[1] + p.inner.1
    }

    // The second `v` shadows the first, which `a` still borrows at the yields.
    #[resumable::coroutine]
    fn shadowed() -> impl Iterator<Item = usize> {
        let v = vec![1];
        let a = &v;
        let v = vec![2, 3];
        let r = &v;
        yield_!(a.len());
        yield_!(r.len());
        yield_!(a.len() + r[1]);
    }

    #[test]
    fn borrows_of_a_shadowed_local() {
        assert_eq!(shadowed().collect::<Vec<_>>(), [1, 2, 4]);
    }

    #[test]
    fn shared_borrows_and_field_paths() {
        assert_eq!(run(shared()), (vec![3, 6, 3], 16));
    }

    #[resumable::coroutine]
    fn exclusive() -> impl Coroutine<u32, Yield = usize, Return = Vec<u32>> {
        let mut v = vec![1];
        let mut t = (0u32, vec![10u32]);
        let m = &mut v;
        let e = &mut t.1;
        loop {
            let x = yield_!(m.len());
            if x == 0 {
                break;
            }
            m.push(x);
            e.push(x * 10);
        }
        v.extend(t.1);
        v
    }

    #[test]
    fn mutable_borrows_across_yields_in_a_loop() {
        assert_eq!(
            run_with(exclusive(), [0, 2, 3, 0]),
            (vec![1, 2, 3], vec![1, 2, 3, 10, 20, 30])
        );
    }

    #[resumable::coroutine]
    fn walk(extra: Vec<u32>) -> impl Iterator<Item = u32> {
        let mut v = vec![1, 2, 3];
        for x in &v {
            yield_!(*x);
        }
        for x in &mut v {
            *x *= 10;
            yield_!(*x);
            *x += 1;
        }
        for x in v.iter() {
            yield_!(*x);
        }
        for x in v.iter_mut() {
            yield_!(*x);
            *x = 0;
        }
        yield_!(v.iter().sum());
        for x in extra.iter() {
            yield_!(*x);
        }
    }

    #[test]
    fn for_loops_by_reference_keep_a_position() {
        assert_eq!(
            walk(vec![7, 8]).collect::<Vec<_>>(),
            [1, 2, 3, 10, 20, 30, 11, 21, 31, 11, 21, 31, 0, 7, 8]
        );
    }

    #[resumable::coroutine]
    fn collections() -> impl Iterator<Item = u32> {
        let arr = [1, 2];
        let mut deque: VecDeque<u32> = VecDeque::new();
        deque.push_back(4);
        deque.push_front(3);
        let v = vec![5, 6, 7];
        let slice: &[u32] = &v;
        for &x in &arr {
            yield_!(x);
        }
        for x in &deque {
            yield_!(*x);
        }
        for x in deque.iter_mut() {
            *x += 100;
            yield_!(*x);
        }
        for x in slice.iter() {
            yield_!(*x);
        }
    }

    #[test]
    fn arrays_deques_and_slices() {
        assert_eq!(
            collections().collect::<Vec<_>>(),
            [1, 2, 3, 4, 103, 104, 5, 6, 7]
        );
    }

    #[resumable::coroutine]
    fn labeled(grid: Vec<Vec<u32>>) -> impl Iterator<Item = u32> {
        'rows: for row in &grid {
            for x in row.iter() {
                if *x == 0 {
                    continue 'rows;
                }
                if *x == 9 {
                    break 'rows;
                }
                yield_!(*x);
            }
            yield_!(100);
        }
        yield_!(grid.len() as u32);
    }

    #[test]
    fn nested_position_loops_with_labels() {
        let grid = vec![vec![1, 2], vec![3, 0, 4], vec![5], vec![9, 6], vec![7]];
        assert_eq!(labeled(grid).collect::<Vec<_>>(), [1, 2, 100, 3, 5, 100, 5]);
    }

    struct Bag {
        items: Vec<u32>,
    }

    impl Bag {
        #[resumable::coroutine]
        fn doubled(&self) -> impl Iterator<Item = u32> + '_ {
            let items = &self.items;
            for x in items {
                yield_!(x * 2);
            }
            for x in self.items.iter() {
                yield_!(*x);
            }
        }
    }

    #[test]
    fn borrows_through_self_and_reference_locals() {
        let bag = Bag { items: vec![1, 2] };
        assert_eq!(bag.doubled().collect::<Vec<_>>(), [2, 4, 1, 2]);
    }

    // No yield in the body: the loop stays the user's `for`, over any collection.
    #[resumable::coroutine]
    fn plain_for() -> impl Iterator<Item = u32> {
        let map = std::collections::BTreeMap::from([(1u32, 10u32), (2, 20)]);
        let mut sum = 0;
        for (k, v) in &map {
            sum += k + v;
        }
        yield_!(sum);
        yield_!(map.len() as u32);
    }

    #[test]
    fn a_for_loop_without_a_yield_is_kept() {
        assert_eq!(plain_for().collect::<Vec<_>>(), [33, 2]);
    }
}

// What looks like a borrow of a local but is not one: these compiled before the borrow
// checks of issue 3, item 4, and still do.
mod borrows_that_are_not {
    use std::cell::Cell;

    static TABLE: [u32; 3] = [4, 5, 6];

    #[resumable::coroutine]
    fn copies(names: &'static [&'static str]) -> impl Iterator<Item = u32> {
        let cell = Cell::new(3);
        let c = cell.get();
        let v = [1, 2, 3];
        let first = v.first().copied();
        let n = v.len();
        let total: u32 = v.iter().sum();
        let t = &TABLE[1];
        let name = names[0];
        let trimmed = name.trim();
        let word = String::from(" w ");
        let owned = word.trim().to_string();
        for x in TABLE.iter() {
            yield_!(*x);
        }
        for s in names.iter() {
            yield_!(s.len() as u32);
        }
        yield_!(c + first.unwrap_or(0) + n as u32 + total + *t);
        yield_!(trimmed.len() as u32 + owned.len() as u32);
    }

    #[resumable::coroutine]
    fn patterns() -> impl Iterator<Item = u32> {
        let mut stack = vec![1, 2, 3];
        while let Some(&top) = stack.last() {
            yield_!(0);
            yield_!(top);
            stack.pop();
        }
        let v = vec![4, 5];
        if let [a, ..] = v.as_slice() {
            let a = *a;
            yield_!(a);
        }
        match v.first() {
            Some(&x) => yield_!(x),
            None => yield_!(0),
        }
    }

    #[test]
    fn pattern_bindings_copied_out_of_a_borrow_cross_yields() {
        assert_eq!(patterns().collect::<Vec<_>>(), [0, 3, 0, 2, 0, 1, 4, 4]);
    }

    #[resumable::coroutine]
    fn tuples(pair: (&'static str, u32)) -> impl Iterator<Item = usize> {
        let local = (pair.0, 1);
        let a = pair.0.trim();
        let b = local.0.trim();
        yield_!(a.len());
        yield_!(b.len() + pair.1 as usize + local.1);
    }

    #[test]
    fn borrows_through_references_held_in_tuples() {
        assert_eq!(tuples((" x ", 2)).collect::<Vec<_>>(), [1, 4]);
    }

    #[test]
    fn copies_statics_and_outside_references_cross_yields() {
        assert_eq!(
            copies(&[" ab ", "c"]).collect::<Vec<_>>(),
            [4, 5, 6, 4, 1, 18, 3]
        );
    }
}
