//! Differential fuzzer for `#[resumable::coroutine]` (see `fuzz/README.md`).
