//! Compile-fail tests: every user mistake the macro diagnoses, one per file in `tests/ui/`,
//! with the expected compiler output checked in beside it as `.stderr`.
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test compiletest`
//! and read the diff. Set `RESUMABLE_SKIP_UI` to skip them (the exact text of rustc's own
//! errors changes between compiler versions).

#[test]
fn ui() {
    if std::env::var_os("RESUMABLE_SKIP_UI").is_some() {
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
