//! Every minimised failure the fuzzer found, kept in `fuzz/regressions/*.rs` (the module source
//! of one program: coroutine and reference side), must now pass.

use resumable_fuzz::ast::Features;
use resumable_fuzz::harness::{run_modules, Config, Outcome, Target};

#[test]
fn regressions_pass() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        return;
    }
    let modules: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read regression"))
        .collect();
    let mut cfg = Config::new("test-regressions", Target::Macro, Features::all());
    cfg.target_group = Some("tests".into());
    let outs = run_modules(&cfg, &modules).expect("harness io");
    let mut failures = String::new();
    for (f, o) in files.iter().zip(&outs) {
        if let Outcome::Fail { kind, details } = o {
            failures.push_str(&format!(
                "\n=== {}: {kind}\n{}\n",
                f.display(),
                details.join("\n")
            ));
        }
    }
    let n = outs.iter().filter(|o| **o != Outcome::Pass).count();
    assert!(n == 0, "{n} of {} regressions fail:{failures}", files.len());
}
