//! Command-line driver of the differential fuzzer (see `fuzz/README.md`).
fn main() {}
