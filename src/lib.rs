//! Generator syntax compiled into explicit, resumable enum state machines, on stable Rust.
//!
//! `#[resumable::coroutine]` rewrites a function with yield points into an enum with one
//! variant per yield point, holding just the locals live there, and a step function that runs
//! from one yield to the next. No heap, no `Pin`, no threads: the result is the state machine
//! you would write by hand, and it can be cloned mid-way and printed with `{:?}`.
//!
//! # Examples
//!
//! ```
//! use resumable::{Coroutine, CoroutineState};
//!
//! #[resumable::coroutine]
//! fn fib() -> impl Iterator<Item = u64> + Clone + std::fmt::Debug {
//!     let (mut a, mut b) = (0u64, 1u64);
//!     loop {
//!         yield_!(b);
//!         (a, b) = (b, a.wrapping_add(b));
//!     }
//! }
//!
//! let mut f = fib();
//! assert_eq!(f.by_ref().take(5).collect::<Vec<_>>(), [1, 1, 2, 3, 5]);
//! let fork = f.clone();
//! assert_eq!(f.next(), Some(8));
//! assert!(format!("{fork:?}").starts_with("fib suspended at "));
//!
//! #[resumable::coroutine]
//! fn averager() -> impl Coroutine<f64, Yield = f64, Return = usize> {
//!     let (mut sum, mut n) = (0.0, 0usize);
//!     let mut x = yield_!(0.0);
//!     while !x.is_nan() {
//!         sum += x;
//!         n += 1;
//!         x = yield_!(sum / n as f64);
//!     }
//!     n
//! }
//!
//! let mut avg = averager();
//! avg.resume(0.0); // runs to the first yield; this argument has no yield to go to
//! assert_eq!(avg.resume(2.0), CoroutineState::Yielded(2.0));
//! assert_eq!(avg.resume(4.0), CoroutineState::Yielded(3.0));
//! assert_eq!(avg.resume(f64::NAN), CoroutineState::Complete(2));
//! ```
//!
//! Read `#[resumable::coroutine]` with its path: a bare `#[coroutine]` collides with a
//! built-in attribute of rustc. Inside the function, write `yield_!(v)` (`yield!` is
//! reserved syntax that stable rustc rejects before any macro runs).
#![no_std]

pub use resumable_macros::{coroutine, generator};
pub use resumable_runtime::*;

#[doc(hidden)]
pub use resumable_runtime::__private;
