//! A `#[coroutine]` generator as a `futures_core::Stream` (run with `--features futures-core`).
#![cfg(feature = "futures-core")]

use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use resumable::stream::{iter_stream, Stream};

#[resumable::coroutine]
fn squares(n: u32) -> impl Iterator<Item = u32> {
    for i in 1..=n {
        yield_!(i * i);
    }
}

#[test]
fn a_generator_streams_its_items() {
    let mut s = iter_stream(squares(3));
    let mut cx = Context::from_waker(Waker::noop());
    let mut got = Vec::new();
    while let Poll::Ready(Some(x)) = Pin::new(&mut s).poll_next(&mut cx) {
        got.push(x);
    }
    assert_eq!(got, [1, 4, 9]);
}
