//! Differential fuzzer for `#[resumable::coroutine]` (see `fuzz/README.md`).
//!
//! A seeded generator writes random, well-formed programs ([`gen`]); each is printed twice
//! ([`ast`]): as a `#[resumable::coroutine]` and as a plain reference function whose yields
//! append to a log and take resume values from a fixed sequence. The [`harness`] compiles a
//! batch of them into one crate, runs both sides, and compares yields, return values and the
//! log of drops, also for coroutines dropped while suspended. A failing program is shrunk by
//! the [`minimise`]r.

pub mod ast;
pub mod check;
pub mod gen;
pub mod harness;
pub mod minimise;
pub mod rng;
pub mod scope;
