//! Every peer crate on the same workloads, written the way each crate's docs suggest.
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::workloads::*;
use crate::Case;

type Sizes = Vec<(&'static str, String, String)>;

pub fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    v.extend(dia::cases());
    v.extend(gena_stack::cases());
    v.extend(gena_rc::cases());
    v.extend(nextgen::cases());
    v.extend(stackful_generator::cases());
    v.extend(coro::cases());
    v.extend(astream::cases());
    v
}

pub fn sizes() -> Sizes {
    let mut v = Vec::new();
    v.extend(dia::sizes());
    v.extend(gena_stack::sizes());
    v.extend(gena_rc::sizes());
    v.extend(nextgen::sizes());
    v.extend(stackful_generator::sizes());
    v.extend(coro::sizes());
    v.extend(astream::sizes());
    v
}

// ---------------------------------------------------------------- diapause
mod dia {
    use super::*;
    use diapause::{Coroutine, CoroutineState};

    #[diapause::coroutine(yield = u64)]
    fn w1() {
        let mut a: u64 = 0;
        let mut b: u64 = 1;
        loop {
            yield_!(b);
            (a, b) = (b, a.wrapping_add(b));
        }
    }

    #[diapause::coroutine(yield = u64)]
    fn w2(rows: u64) {
        for i in 0u64..rows {
            for j in 0u64..W2_INNER {
                if w2_keep(i, j) {
                    yield_!(w2_value(i, j));
                }
            }
        }
    }

    #[diapause::coroutine(yield = u64)]
    fn w3(t: &'static Tree) {
        let mut stack: Vec<u32> = Vec::new();
        let mut cur: u32 = t.root;
        loop {
            while cur != NIL {
                stack.push(cur);
                cur = t.nodes[cur as usize].left;
            }
            let n: u32 = match stack.pop() {
                Some(n) => n,
                None => break,
            };
            yield_!(t.nodes[n as usize].val);
            cur = t.nodes[n as usize].right;
        }
    }

    #[diapause::coroutine(yield = u8)]
    fn w4(rounds: u64) {
        let mut buf: [u8; W4_BUF] = [0; W4_BUF];
        let mut seed: u64 = W4_SEED;
        for _r in 0u64..rounds {
            refill(&mut buf, &mut seed);
            for i in 0usize..W4_BUF {
                yield_!(buf[i]);
            }
        }
    }

    #[diapause::coroutine(yield = u64, resume = u64)]
    fn w5() {
        let mut sum: u64 = 0;
        loop {
            let x = yield_!(sum);
            sum = sum.wrapping_add(x);
        }
    }

    #[diapause::coroutine(yield = u64)]
    fn w6(t: &'static Tree, n: u32) {
        let left: u32 = t.nodes[n as usize].left;
        let right: u32 = t.nodes[n as usize].right;
        if left != NIL {
            let sub: w6::State = w6(t, left);
            yield_all!(box sub);
        }
        yield_!(t.nodes[n as usize].val);
        if right != NIL {
            let sub: w6::State = w6(t, right);
            yield_all!(box sub);
        }
    }

    pub fn cases() -> Vec<Case> {
        vec![
            Case { w: "W1", imp: "diapause", run: |n| fold(diapause::Iter::new(w1()).take(n as usize)) },
            Case { w: "W2", imp: "diapause", run: |n| fold(diapause::Iter::new(w2(w2_rows(n)))) },
            Case { w: "W3", imp: "diapause", run: |_| fold(diapause::Iter::new(w3(tree()))) },
            Case { w: "W4", imp: "diapause", run: |n| fold_u8(diapause::Iter::new(w4(w4_rounds(n)))) },
            Case {
                w: "W5",
                imp: "diapause",
                run: |n| {
                    let mut c = w5();
                    let CoroutineState::Yielded(y0) = c.start() else { unreachable!() };
                    drive_w5(n, y0, |a| match c.resume(a) {
                        CoroutineState::Yielded(y) => y,
                        CoroutineState::Complete(()) => unreachable!(),
                    })
                },
            },
            Case { w: "W6", imp: "diapause", run: |_| fold(diapause::Iter::new(w6(tree(), tree().root))) },
        ]
    }

    pub fn sizes() -> Sizes {
        vec![("diapause", size_of_val(&w1()).to_string(), size_of_val(&w4(1)).to_string())]
    }
}

// ---------------------------------------------------------------- genawaiter (stack)
mod gena_stack {
    use super::*;
    use genawaiter::stack::{let_gen_using, Co};
    use genawaiter::GeneratorState;

    pub fn cases() -> Vec<Case> {
        vec![
            Case {
                w: "W1",
                imp: "genawaiter-stack",
                run: |n| {
                    let_gen_using!(g, |co: Co<'_, u64>| async move {
                        let (mut a, mut b) = (0u64, 1u64);
                        loop {
                            co.yield_(b).await;
                            (a, b) = (b, a.wrapping_add(b));
                        }
                    });
                    fold(g.into_iter().take(n as usize))
                },
            },
            Case {
                w: "W2",
                imp: "genawaiter-stack",
                run: |n| {
                    let rows = w2_rows(n);
                    let_gen_using!(g, |co: Co<'_, u64>| async move {
                        for i in 0..rows {
                            for j in 0..W2_INNER {
                                if w2_keep(i, j) {
                                    co.yield_(w2_value(i, j)).await;
                                }
                            }
                        }
                    });
                    fold(g.into_iter())
                },
            },
            Case {
                w: "W3",
                imp: "genawaiter-stack",
                run: |_| {
                    let t = tree();
                    let_gen_using!(g, |co: Co<'_, u64>| async move {
                        let mut stack = Vec::new();
                        let mut cur = t.root;
                        loop {
                            while cur != NIL {
                                stack.push(cur);
                                cur = t.nodes[cur as usize].left;
                            }
                            let Some(n) = stack.pop() else { break };
                            co.yield_(t.nodes[n as usize].val).await;
                            cur = t.nodes[n as usize].right;
                        }
                    });
                    fold(g.into_iter())
                },
            },
            Case {
                w: "W4",
                imp: "genawaiter-stack",
                run: |n| {
                    let rounds = w4_rounds(n);
                    let_gen_using!(g, |co: Co<'_, u8>| async move {
                        let mut buf = [0u8; W4_BUF];
                        let mut seed = W4_SEED;
                        for _ in 0..rounds {
                            refill(&mut buf, &mut seed);
                            for i in 0..W4_BUF {
                                co.yield_(buf[i]).await;
                            }
                        }
                    });
                    fold_u8(g.into_iter())
                },
            },
            Case {
                w: "W5",
                imp: "genawaiter-stack",
                run: |n| {
                    let_gen_using!(g, |co: Co<'_, u64, u64>| async move {
                        let mut sum = 0u64;
                        loop {
                            let x = co.yield_(sum).await;
                            sum = sum.wrapping_add(x);
                        }
                    });
                    let GeneratorState::Yielded(y0) = g.resume_with(0) else { unreachable!() };
                    drive_w5(n, y0, |a| match g.resume_with(a) {
                        GeneratorState::Yielded(y) => y,
                        GeneratorState::Complete(()) => unreachable!(),
                    })
                },
            },
        ]
    }

    pub fn sizes() -> Sizes {
        // The stack generator lives in a `Shelf` in the caller's frame; it cannot be
        // returned, so its size is not a property of a value you hold.
        vec![("genawaiter-stack", "n/a (pinned in caller frame)".into(), "n/a".into())]
    }
}

// ---------------------------------------------------------------- genawaiter (rc)
mod gena_rc {
    use super::*;
    use genawaiter::rc::{Co, Gen};
    use genawaiter::GeneratorState;
    use std::future::Future;

    fn w1() -> Gen<u64, (), impl Future<Output = ()>> {
        Gen::new(|co| async move {
            let (mut a, mut b) = (0u64, 1u64);
            loop {
                co.yield_(b).await;
                (a, b) = (b, a.wrapping_add(b));
            }
        })
    }

    fn w2(rows: u64) -> Gen<u64, (), impl Future<Output = ()>> {
        Gen::new(move |co| async move {
            for i in 0..rows {
                for j in 0..W2_INNER {
                    if w2_keep(i, j) {
                        co.yield_(w2_value(i, j)).await;
                    }
                }
            }
        })
    }

    fn w3(t: &'static Tree) -> Gen<u64, (), impl Future<Output = ()>> {
        Gen::new(move |co| async move {
            let mut stack = Vec::new();
            let mut cur = t.root;
            loop {
                while cur != NIL {
                    stack.push(cur);
                    cur = t.nodes[cur as usize].left;
                }
                let Some(n) = stack.pop() else { break };
                co.yield_(t.nodes[n as usize].val).await;
                cur = t.nodes[n as usize].right;
            }
        })
    }

    fn w4(rounds: u64) -> Gen<u8, (), impl Future<Output = ()>> {
        Gen::new(move |co| async move {
            let mut buf = [0u8; W4_BUF];
            let mut seed = W4_SEED;
            for _ in 0..rounds {
                refill(&mut buf, &mut seed);
                for i in 0..W4_BUF {
                    co.yield_(buf[i]).await;
                }
            }
        })
    }

    fn w5() -> Gen<u64, u64, impl Future<Output = ()>> {
        Gen::new(|co| async move {
            let mut sum = 0u64;
            loop {
                let x = co.yield_(sum).await;
                sum = sum.wrapping_add(x);
            }
        })
    }

    /// Recursion by awaiting a boxed future per subtree (genawaiter has no sub-generator
    /// delegation; this is the idiomatic recursive form).
    fn w6_walk<'a>(co: &'a Co<u64>, t: &'static Tree, n: u32) -> std::pin::Pin<Box<dyn Future<Output = ()> + 'a>> {
        Box::pin(async move {
            let node = t.nodes[n as usize];
            if node.left != NIL {
                w6_walk(co, t, node.left).await;
            }
            co.yield_(node.val).await;
            if node.right != NIL {
                w6_walk(co, t, node.right).await;
            }
        })
    }

    pub fn cases() -> Vec<Case> {
        vec![
            Case { w: "W1", imp: "genawaiter-rc", run: |n| fold(w1().into_iter().take(n as usize)) },
            Case { w: "W2", imp: "genawaiter-rc", run: |n| fold(w2(w2_rows(n)).into_iter()) },
            Case { w: "W3", imp: "genawaiter-rc", run: |_| fold(w3(tree()).into_iter()) },
            Case { w: "W4", imp: "genawaiter-rc", run: |n| fold_u8(w4(w4_rounds(n)).into_iter()) },
            Case {
                w: "W5",
                imp: "genawaiter-rc",
                run: |n| {
                    let mut g = w5();
                    let GeneratorState::Yielded(y0) = g.resume_with(0) else { unreachable!() };
                    drive_w5(n, y0, |a| match g.resume_with(a) {
                        GeneratorState::Yielded(y) => y,
                        GeneratorState::Complete(()) => unreachable!(),
                    })
                },
            },
            Case {
                w: "W6",
                imp: "genawaiter-rc",
                run: |_| {
                    let t = tree();
                    fold(Gen::new(move |co| async move { w6_walk(&co, t, t.root).await }).into_iter())
                },
            },
        ]
    }

    pub fn sizes() -> Sizes {
        vec![(
            "genawaiter-rc (+ boxed future on heap)",
            size_of_val(&w1()).to_string(),
            size_of_val(&w4(1)).to_string(),
        )]
    }
}

// ---------------------------------------------------------------- next-gen
mod nextgen {
    use super::*;
    use next_gen::prelude::*;

    #[generator(yield(u64))]
    fn w1() {
        let (mut a, mut b) = (0u64, 1u64);
        loop {
            yield_!(b);
            (a, b) = (b, a.wrapping_add(b));
        }
    }

    #[generator(yield(u64))]
    fn w2(rows: u64) {
        for i in 0..rows {
            for j in 0..W2_INNER {
                if w2_keep(i, j) {
                    yield_!(w2_value(i, j));
                }
            }
        }
    }

    #[generator(yield(u64))]
    fn w3(t: &'static Tree) {
        let mut stack = Vec::new();
        let mut cur = t.root;
        loop {
            while cur != NIL {
                stack.push(cur);
                cur = t.nodes[cur as usize].left;
            }
            let Some(n) = stack.pop() else { break };
            yield_!(t.nodes[n as usize].val);
            cur = t.nodes[n as usize].right;
        }
    }

    #[generator(yield(u8))]
    fn w4(rounds: u64) {
        let mut buf = [0u8; W4_BUF];
        let mut seed = W4_SEED;
        for _ in 0..rounds {
            refill(&mut buf, &mut seed);
            for i in 0..W4_BUF {
                yield_!(buf[i]);
            }
        }
    }

    #[generator(yield(u64), resume(u64))]
    fn w5() {
        let mut sum = 0u64;
        loop {
            let x = yield_!(sum);
            sum = sum.wrapping_add(x);
        }
    }

    pub fn cases() -> Vec<Case> {
        vec![
            Case {
                w: "W1",
                imp: "next-gen",
                run: |n| {
                    mk_gen!(let g = w1());
                    fold(g.take(n as usize))
                },
            },
            Case {
                w: "W2",
                imp: "next-gen",
                run: |n| {
                    mk_gen!(let g = w2(w2_rows(n)));
                    fold(g)
                },
            },
            Case {
                w: "W3",
                imp: "next-gen",
                run: |_| {
                    mk_gen!(let g = w3(tree()));
                    fold(g)
                },
            },
            Case {
                w: "W4",
                imp: "next-gen",
                run: |n| {
                    mk_gen!(let g = w4(w4_rounds(n)));
                    fold_u8(g)
                },
            },
            Case {
                w: "W5",
                imp: "next-gen",
                run: |n| {
                    mk_gen!(let mut g = w5());
                    let GeneratorState::Yielded(y0) = g.as_mut().resume(0) else { unreachable!() };
                    drive_w5(n, y0, |a| match g.as_mut().resume(a) {
                        GeneratorState::Yielded(y) => y,
                        GeneratorState::Returned(()) => unreachable!(),
                    })
                },
            },
        ]
    }

    pub fn sizes() -> Sizes {
        mk_gen!(let g1 = w1());
        mk_gen!(let g4 = w4(1));
        vec![("next-gen (pinned in caller frame)", size_of_val(&*g1).to_string(), size_of_val(&*g4).to_string())]
    }
}

// ---------------------------------------------------------------- generator (stackful)
mod stackful_generator {
    use super::*;
    use generator::{done, Gn, Scope};

    fn w1() -> generator::Generator<'static, (), u64> {
        Gn::<()>::new_scoped(|mut s| {
            let (mut a, mut b) = (0u64, 1u64);
            loop {
                s.yield_(b);
                (a, b) = (b, a.wrapping_add(b));
            }
        })
    }

    fn w4(rounds: u64) -> generator::Generator<'static, (), u8> {
        Gn::<()>::new_scoped(move |mut s| {
            let mut buf = [0u8; W4_BUF];
            let mut seed = W4_SEED;
            for _ in 0..rounds {
                refill(&mut buf, &mut seed);
                for i in 0..W4_BUF {
                    s.yield_(buf[i]);
                }
            }
            done!()
        })
    }

    fn walk(s: &mut Scope<'_, 'static, (), u64>, t: &'static Tree, n: u32) {
        let node = t.nodes[n as usize];
        if node.left != NIL {
            walk(s, t, node.left);
        }
        s.yield_(node.val);
        if node.right != NIL {
            walk(s, t, node.right);
        }
    }

    pub fn cases() -> Vec<Case> {
        vec![
            Case { w: "W1", imp: "generator", run: |n| fold(w1().take(n as usize)) },
            Case {
                w: "W2",
                imp: "generator",
                run: |n| {
                    let rows = w2_rows(n);
                    fold(Gn::<()>::new_scoped(move |mut s| {
                        for i in 0..rows {
                            for j in 0..W2_INNER {
                                if w2_keep(i, j) {
                                    s.yield_(w2_value(i, j));
                                }
                            }
                        }
                        done!()
                    }))
                },
            },
            Case {
                w: "W3",
                imp: "generator",
                run: |_| {
                    let t = tree();
                    fold(Gn::<()>::new_scoped(move |mut s| {
                        let mut stack = Vec::new();
                        let mut cur = t.root;
                        loop {
                            while cur != NIL {
                                stack.push(cur);
                                cur = t.nodes[cur as usize].left;
                            }
                            let Some(n) = stack.pop() else { break };
                            s.yield_(t.nodes[n as usize].val);
                            cur = t.nodes[n as usize].right;
                        }
                        done!()
                    }))
                },
            },
            Case { w: "W4", imp: "generator", run: |n| fold_u8(w4(w4_rounds(n))) },
            Case {
                w: "W5",
                imp: "generator",
                run: |n| {
                    let mut g = Gn::<u64>::new_scoped(|mut s| {
                        let mut sum = 0u64;
                        loop {
                            let x = s.yield_(sum).unwrap_or(0);
                            sum = sum.wrapping_add(x);
                        }
                    });
                    let y0 = g.send(0);
                    drive_w5(n, y0, |a| g.send(a))
                },
            },
            Case {
                w: "W6",
                imp: "generator-stack-rec",
                run: |_| {
                    let t = tree();
                    fold(Gn::<()>::new_scoped(move |mut s| {
                        walk(&mut s, t, t.root);
                        done!()
                    }))
                },
            },
        ]
    }

    pub fn sizes() -> Sizes {
        vec![(
            "generator (+ own stack)",
            size_of_val(&w1()).to_string(),
            size_of_val(&w4(1)).to_string(),
        )]
    }
}

// ---------------------------------------------------------------- corosensei (stackful)
mod coro {
    use super::*;
    use corosensei::{Coroutine, CoroutineResult, Yielder};

    /// Iterator over a corosensei coroutine that returns `()`.
    struct Iter<T>(Coroutine<(), T, ()>);

    impl<T> Iterator for Iter<T> {
        type Item = T;
        #[inline]
        fn next(&mut self) -> Option<T> {
            match self.0.resume(()) {
                CoroutineResult::Yield(x) => Some(x),
                CoroutineResult::Return(()) => None,
            }
        }
    }

    fn w1() -> Coroutine<(), u64, ()> {
        Coroutine::new(|y: &Yielder<(), u64>, ()| {
            let (mut a, mut b) = (0u64, 1u64);
            loop {
                y.suspend(b);
                (a, b) = (b, a.wrapping_add(b));
            }
        })
    }

    fn w4(rounds: u64) -> Coroutine<(), u8, ()> {
        Coroutine::new(move |y: &Yielder<(), u8>, ()| {
            let mut buf = [0u8; W4_BUF];
            let mut seed = W4_SEED;
            for _ in 0..rounds {
                refill(&mut buf, &mut seed);
                for i in 0..W4_BUF {
                    y.suspend(buf[i]);
                }
            }
        })
    }

    fn walk(y: &Yielder<(), u64>, t: &'static Tree, n: u32) {
        let node = t.nodes[n as usize];
        if node.left != NIL {
            walk(y, t, node.left);
        }
        y.suspend(node.val);
        if node.right != NIL {
            walk(y, t, node.right);
        }
    }

    pub fn cases() -> Vec<Case> {
        vec![
            Case { w: "W1", imp: "corosensei", run: |n| fold(Iter(w1()).take(n as usize)) },
            Case {
                w: "W2",
                imp: "corosensei",
                run: |n| {
                    let rows = w2_rows(n);
                    fold(Iter(Coroutine::new(move |y: &Yielder<(), u64>, ()| {
                        for i in 0..rows {
                            for j in 0..W2_INNER {
                                if w2_keep(i, j) {
                                    y.suspend(w2_value(i, j));
                                }
                            }
                        }
                    })))
                },
            },
            Case {
                w: "W3",
                imp: "corosensei",
                run: |_| {
                    let t = tree();
                    fold(Iter(Coroutine::new(move |y: &Yielder<(), u64>, ()| {
                        let mut stack = Vec::new();
                        let mut cur = t.root;
                        loop {
                            while cur != NIL {
                                stack.push(cur);
                                cur = t.nodes[cur as usize].left;
                            }
                            let Some(n) = stack.pop() else { break };
                            y.suspend(t.nodes[n as usize].val);
                            cur = t.nodes[n as usize].right;
                        }
                    })))
                },
            },
            Case { w: "W4", imp: "corosensei", run: |n| fold_u8(Iter(w4(w4_rounds(n)))) },
            Case {
                w: "W5",
                imp: "corosensei",
                run: |n| {
                    let mut c = Coroutine::new(|y: &Yielder<u64, u64>, _first: u64| {
                        let mut sum = 0u64;
                        loop {
                            let x = y.suspend(sum);
                            sum = sum.wrapping_add(x);
                        }
                    });
                    let mut res = move |a| match c.resume(a) {
                        CoroutineResult::Yield(y) => y,
                        CoroutineResult::Return(()) => unreachable!(),
                    };
                    let y0 = res(0);
                    drive_w5(n, y0, res)
                },
            },
            Case {
                w: "W6",
                imp: "corosensei-stack-rec",
                run: |_| {
                    let t = tree();
                    fold(Iter(Coroutine::new(move |y: &Yielder<(), u64>, ()| walk(y, t, t.root))))
                },
            },
        ]
    }

    pub fn sizes() -> Sizes {
        vec![("corosensei (+ own stack)", size_of_val(&w1()).to_string(), size_of_val(&w4(1)).to_string())]
    }
}

// ---------------------------------------------------------------- async-stream
mod astream {
    use super::*;
    use async_stream::stream;
    use futures_core::Stream;
    use std::pin::Pin;

    /// The minimal executor: poll with a no-op waker; these streams never return `Pending`.
    #[inline]
    fn drain<S: Stream>(s: S, mut f: impl FnMut(S::Item)) {
        let mut s = pin!(s);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            match s.as_mut().poll_next(&mut cx) {
                Poll::Ready(Some(x)) => f(x),
                Poll::Ready(None) => return,
                Poll::Pending => unreachable!("no IO in these streams"),
            }
        }
    }

    #[inline]
    fn fold_s(s: impl Stream<Item = u64>) -> u64 {
        let mut acc = 0;
        drain(s, |x| acc = mix(acc, x));
        acc
    }

    fn w1() -> impl Stream<Item = u64> {
        stream! {
            let (mut a, mut b) = (0u64, 1u64);
            loop {
                yield b;
                (a, b) = (b, a.wrapping_add(b));
            }
        }
    }

    fn w4(rounds: u64) -> impl Stream<Item = u8> {
        stream! {
            let mut buf = [0u8; W4_BUF];
            let mut seed = W4_SEED;
            for _ in 0..rounds {
                refill(&mut buf, &mut seed);
                for i in 0..W4_BUF {
                    yield buf[i];
                }
            }
        }
    }

    fn w6(t: &'static Tree, n: u32) -> Pin<Box<dyn Stream<Item = u64>>> {
        Box::pin(stream! {
            let node = t.nodes[n as usize];
            if node.left != NIL {
                for await x in w6(t, node.left) {
                    yield x;
                }
            }
            yield node.val;
            if node.right != NIL {
                for await x in w6(t, node.right) {
                    yield x;
                }
            }
        })
    }

    pub fn cases() -> Vec<Case> {
        vec![
            Case {
                w: "W1",
                imp: "async-stream",
                run: |n| {
                    let mut acc = 0;
                    let mut left = n;
                    let s = w1();
                    let mut s = pin!(s);
                    let mut cx = Context::from_waker(Waker::noop());
                    while left > 0 {
                        let Poll::Ready(Some(x)) = s.as_mut().poll_next(&mut cx) else { unreachable!() };
                        acc = mix(acc, x);
                        left -= 1;
                    }
                    acc
                },
            },
            Case {
                w: "W2",
                imp: "async-stream",
                run: |n| {
                    let rows = w2_rows(n);
                    fold_s(stream! {
                        for i in 0..rows {
                            for j in 0..W2_INNER {
                                if w2_keep(i, j) {
                                    yield w2_value(i, j);
                                }
                            }
                        }
                    })
                },
            },
            Case {
                w: "W3",
                imp: "async-stream",
                run: |_| {
                    let t = tree();
                    fold_s(stream! {
                        let mut stack = Vec::new();
                        let mut cur = t.root;
                        loop {
                            while cur != NIL {
                                stack.push(cur);
                                cur = t.nodes[cur as usize].left;
                            }
                            let Some(n) = stack.pop() else { break };
                            yield t.nodes[n as usize].val;
                            cur = t.nodes[n as usize].right;
                        }
                    })
                },
            },
            Case {
                w: "W4",
                imp: "async-stream",
                run: |n| {
                    let mut acc = 0;
                    drain(w4(w4_rounds(n)), |x| acc = mix(acc, x as u64));
                    acc
                },
            },
            Case {
                w: "W5",
                imp: "async-stream-cell-arg",
                run: |n| {
                    let arg = std::cell::Cell::new(0u64);
                    let argr = &arg;
                    let s = stream! {
                        let mut sum = 0u64;
                        yield sum;
                        loop {
                            sum = sum.wrapping_add(argr.get());
                            yield sum;
                        }
                    };
                    let mut s = pin!(s);
                    let mut cx = Context::from_waker(Waker::noop());
                    let mut next = || match s.as_mut().poll_next(&mut cx) {
                        Poll::Ready(Some(y)) => y,
                        _ => unreachable!(),
                    };
                    let y0 = next();
                    drive_w5(n, y0, |a| {
                        arg.set(a);
                        next()
                    })
                },
            },
            Case { w: "W6", imp: "async-stream", run: |_| fold_s(w6(tree(), tree().root)) },
        ]
    }

    pub fn sizes() -> Sizes {
        vec![("async-stream", size_of_val(&w1()).to_string(), size_of_val(&w4(1)).to_string())]
    }
}
