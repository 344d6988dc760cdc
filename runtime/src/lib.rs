//! Runtime of [`resumable`](https://docs.rs/resumable): the [`Coroutine`] trait, the
//! [`CoroutineState`] it returns, and [`Machine`], the driver every `#[coroutine]` expands to.
//!
//! Use it through the `resumable` crate, which re-exports everything here together with
//! the macros. The core (trait, driver, adapters) is `no_std`; the `std` feature (on by
//! default) adds what needs the operating system.
//!
//! # Examples
//!
//! A coroutine written by hand; `#[resumable::coroutine]` writes this kind of code for you.
//!
//! ```
//! use resumable_runtime::{Coroutine, CoroutineState};
//!
//! struct Countdown(u32);
//!
//! impl Coroutine for Countdown {
//!     type Yield = u32;
//!     type Return = &'static str;
//!     fn resume(&mut self, (): ()) -> CoroutineState<u32, &'static str> {
//!         if self.0 == 0 {
//!             return CoroutineState::Complete("liftoff");
//!         }
//!         self.0 -= 1;
//!         CoroutineState::Yielded(self.0 + 1)
//!     }
//! }
//!
//! let mut c = Countdown(2);
//! assert_eq!(c.resume(()), CoroutineState::Yielded(2));
//! assert_eq!(c.resume(()), CoroutineState::Yielded(1));
//! assert_eq!(c.resume(()), CoroutineState::Complete("liftoff"));
//! ```
#![no_std]

#[cfg(feature = "std")]
extern crate std;

extern crate alloc;

mod coroutine;
mod machine;
mod macros;
mod trampoline;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

#[cfg(feature = "std")]
pub mod net;
#[cfg(feature = "std")]
pub mod reactor;
#[cfg(feature = "futures-core")]
pub mod stream;

pub use coroutine::{Coroutine, CoroutineState};
pub use machine::{Inspect, Location, Machine, Status};
#[cfg(feature = "std")]
pub use reactor::{block_on, run, spawn, JoinHandle, Reactor, Task};
pub use trampoline::Trampoline;
