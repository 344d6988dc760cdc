//! Iterator-form coroutines as [`futures_core::Stream`]s (feature `futures-core`).
//!
//! A generator never waits, so the stream it makes is always ready: each `poll_next` runs
//! the coroutine to its next yield. Use it to feed a generator into async code.
//!
//! # Examples
//!
//! ```
//! use core::pin::Pin;
//! use core::task::{Context, Poll, Waker};
//! use futures_core::Stream;
//! use resumable_runtime::stream::iter_stream;
//!
//! let mut s = iter_stream([1, 2].into_iter());
//! let mut cx = Context::from_waker(Waker::noop());
//! assert_eq!(Pin::new(&mut s).poll_next(&mut cx), Poll::Ready(Some(1)));
//! assert_eq!(Pin::new(&mut s).poll_next(&mut cx), Poll::Ready(Some(2)));
//! assert_eq!(Pin::new(&mut s).poll_next(&mut cx), Poll::Ready(None));
//! ```

use core::pin::Pin;
use core::task::{Context, Poll};

/// The `futures_core` trait, re-exported so that users need no dependency of their own.
pub use futures_core::Stream;

/// Wraps an iterator (for instance a `#[resumable::coroutine] fn .. -> impl Iterator<..>`)
/// in a [`Stream`] that yields the same items and is always ready.
///
/// # Examples
///
/// ```
/// use futures_core::Stream;
/// use resumable_runtime::stream::iter_stream;
///
/// let s = iter_stream((0..3).map(|i| i * 10));
/// assert_eq!(s.size_hint(), (3, Some(3)));
/// ```
pub fn iter_stream<I: Iterator + Unpin>(iter: I) -> IterStream<I> {
    IterStream(iter)
}

/// The stream [`iter_stream`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::stream::{iter_stream, IterStream};
///
/// let s: IterStream<_> = iter_stream(core::iter::once('x'));
/// assert_eq!(s.into_inner().next(), Some('x'));
/// ```
#[derive(Clone, Debug)]
pub struct IterStream<I>(I);

impl<I> IterStream<I> {
    /// The wrapped iterator.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::stream::iter_stream;
    /// assert_eq!(iter_stream(1..3).into_inner(), 1..3);
    /// ```
    pub fn into_inner(self) -> I {
        self.0
    }
}

impl<I: Iterator + Unpin> Stream for IterStream<I> {
    type Item = I::Item;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.get_mut().0.next())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}
