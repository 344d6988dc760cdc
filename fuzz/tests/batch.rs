//! `cargo test -p resumable-fuzz`: one batch of 200 generated programs against the macro, and
//! the self-tests that prove the pipeline (the coroutine side replaced by a replay of the
//! reference, correct and with an injected bug).
//!
//! `RESUMABLE_FUZZ_FEATURES` (default `statements`) and `RESUMABLE_FUZZ_SEED` (default 0)
//! choose the macro batch; see `fuzz/README.md` for longer runs.

use resumable_fuzz::ast::{Features, Mode};
use resumable_fuzz::gen::generate;
use resumable_fuzz::harness::{run_batch, Config, Outcome, Target};

fn batch(
    tag: &str,
    target: Target,
    features: Features,
    seeds: std::ops::Range<u64>,
) -> Vec<(u64, Outcome, String)> {
    let programs: Vec<_> = seeds.map(|s| generate(s, &features)).collect();
    let mut cfg = Config::new(tag, target, features);
    cfg.target_group = Some("tests".into());
    let outs = run_batch(&cfg, &programs).expect("harness io");
    programs
        .iter()
        .zip(outs)
        .map(|(p, o)| (p.seed, o, p.to_source(Mode::Coroutine)))
        .collect()
}

fn report(results: &[(u64, Outcome, String)]) -> String {
    let mut s = String::new();
    for (seed, o, src) in results {
        if let Outcome::Fail { kind, details } = o {
            s.push_str(&format!(
                "\n=== seed {seed}: {kind}\n{}\n{src}",
                details.join("\n")
            ));
        }
    }
    s
}

#[test]
fn macro_batch_of_200() {
    let features = Features::parse(
        &std::env::var("RESUMABLE_FUZZ_FEATURES").unwrap_or_else(|_| "statements,-moves".into()),
    )
    .expect("RESUMABLE_FUZZ_FEATURES");
    let seed: u64 = std::env::var("RESUMABLE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let results = batch(
        "test-macro",
        Target::Macro,
        features.clone(),
        seed..seed + 200,
    );
    let failed = results.iter().filter(|r| r.1 != Outcome::Pass).count();
    assert!(
        failed == 0,
        "{failed} of 200 programs failed (features {}, seeds {seed}..{}); minimise one with\n  \
         cargo run -p resumable-fuzz --release -- --seeds {seed}..{} --features {}\n{}",
        features.spec(),
        seed + 200,
        seed + 200,
        features.spec(),
        report(&results)
    );
}

#[test]
fn selftest_pipeline_agrees_with_itself() {
    let results = batch("test-self", Target::SelfTest, Features::all(), 0..100);
    assert!(
        results.iter().all(|r| r.1 == Outcome::Pass),
        "{}",
        report(&results)
    );
}

#[test]
fn selftest_injected_bug_is_caught() {
    let results = batch("test-bug", Target::SelfTestBug, Features::all(), 0..30);
    let caught = results
        .iter()
        .filter(|r| r.1.kind() == Some("mismatch"))
        .count();
    let other = results
        .iter()
        .filter(|r| !matches!(r.1.kind(), None | Some("mismatch")))
        .count();
    assert!(
        caught > 0 && other == 0,
        "caught {caught}, other failures {other}{}",
        report(&results)
    );
}
