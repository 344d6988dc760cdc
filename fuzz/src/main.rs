//! Command-line driver of the differential fuzzer (see `fuzz/README.md`).
//!
//! ```text
//! cargo run -p resumable-fuzz --release -- --seeds 0..10000 --batch 500 [--features statements]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use resumable_fuzz::ast::{Features, Mode};
use resumable_fuzz::gen::generate;
use resumable_fuzz::harness::{module_source, run_batch, Config, Outcome, Target};
use resumable_fuzz::minimise::minimise;

const USAGE: &str = "\
usage: resumable-fuzz [options]
  --seeds A..B        seed range (default 0..200)
  --batch N           programs per compiled crate (default 200)
  --features SPEC     preset[,+name|-name]* ; presets: statements (default), all, none
  --target T          macro (default) | selftest | selftest-bug
  --minimise N        minimise at most N failures (default 5; 0 = off)
  --rounds N          minimiser rounds per failure (default 40)
  --save DIR          write each minimised failure to DIR/<kind>-<seed>.rs (e.g. fuzz/regressions)
  --print SEED        print the program of SEED in both forms and exit
  --tag NAME          name of the work crate under target/fuzz-work/ (default cli)
  --committed         build against a snapshot of HEAD (git archive), not the working tree
  -v                  show cargo's output
features: ";

struct Args {
    seeds: (u64, u64),
    batch: usize,
    features: Features,
    target: Target,
    minimise: usize,
    rounds: usize,
    save: Option<PathBuf>,
    print: Option<u64>,
    tag: String,
    verbose: bool,
    committed: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        seeds: (0, 200),
        batch: 200,
        features: Features::statements(),
        target: Target::Macro,
        minimise: 5,
        rounds: 40,
        save: None,
        print: None,
        tag: "cli".into(),
        verbose: false,
        committed: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut val = || it.next().ok_or(format!("`{arg}` needs a value"));
        match arg.as_str() {
            "--seeds" => {
                let v = val()?;
                let (lo, hi) = v.split_once("..").ok_or("--seeds takes A..B")?;
                a.seeds = (
                    lo.parse().map_err(|e| format!("{e}"))?,
                    hi.parse().map_err(|e| format!("{e}"))?,
                );
            }
            "--batch" => a.batch = val()?.parse().map_err(|e| format!("{e}"))?,
            "--features" => a.features = Features::parse(&val()?)?,
            "--target" => {
                a.target = match val()?.as_str() {
                    "macro" => Target::Macro,
                    "selftest" => Target::SelfTest,
                    "selftest-bug" => Target::SelfTestBug,
                    t => return Err(format!("unknown target `{t}`")),
                }
            }
            "--minimise" => a.minimise = val()?.parse().map_err(|e| format!("{e}"))?,
            "--rounds" => a.rounds = val()?.parse().map_err(|e| format!("{e}"))?,
            "--save" => a.save = Some(PathBuf::from(val()?)),
            "--print" => a.print = Some(val()?.parse().map_err(|e| format!("{e}"))?),
            "--tag" => a.tag = val()?,
            "-v" => a.verbose = true,
            "--committed" => a.committed = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}{}", Features::NAMES.join(", "));
            return ExitCode::from(2);
        }
    };
    if let Some(seed) = args.print {
        let p = generate(seed, &args.features);
        println!("// coroutine form\n{}", p.to_source(Mode::Coroutine));
        println!("// reference form\n{}", p.to_source(Mode::Reference));
        return ExitCode::SUCCESS;
    }
    let mut cfg = Config::new(&args.tag, args.target, args.features.clone());
    cfg.verbose = args.verbose;
    if args.committed {
        match cfg.use_committed() {
            Ok(rev) => println!("building against committed HEAD {rev}"),
            Err(e) => {
                eprintln!("cannot snapshot HEAD: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let min_cfg = Config {
        tag: format!("{}-min", args.tag),
        target_group: Some(args.tag.clone()),
        ..cfg.clone()
    };
    println!("features: {}", args.features.spec());
    let start = Instant::now();
    let (mut ran, mut failed) = (0usize, Vec::new());
    let mut seed = args.seeds.0;
    while seed < args.seeds.1 {
        let hi = (seed + args.batch as u64).min(args.seeds.1);
        let progs: Vec<_> = (seed..hi).map(|s| generate(s, &args.features)).collect();
        let t = Instant::now();
        let outs = match run_batch(&cfg, &progs) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("harness error: {e}");
                return ExitCode::from(2);
            }
        };
        ran += progs.len();
        let nfail = outs.iter().filter(|o| **o != Outcome::Pass).count();
        println!(
            "seeds {seed}..{hi}: {} passed, {nfail} failed ({:.1?})",
            progs.len() - nfail,
            t.elapsed()
        );
        for (p, o) in progs.into_iter().zip(outs) {
            if let Outcome::Fail { kind, details } = &o {
                println!(
                    "  seed {}: {kind}: {}",
                    p.seed,
                    details.first().map(String::as_str).unwrap_or("")
                );
                failed.push((p, o));
            }
        }
        seed = hi;
    }
    println!(
        "ran {ran} programs (seeds {}..{}) in {:.1?}: {} failed",
        args.seeds.0,
        args.seeds.1,
        start.elapsed(),
        failed.len()
    );

    // minimise the first failure of each distinct signature
    let mut seen = Vec::new();
    let mut minimised = 0;
    for (p, o) in &failed {
        if minimised >= args.minimise {
            break;
        }
        let sig = o.signature();
        if seen.contains(&sig) {
            continue;
        }
        seen.push(sig.clone());
        minimised += 1;
        println!(
            "\n=== seed {} fails: {} ===",
            p.seed,
            sig.unwrap_or_default()
        );
        if let Outcome::Fail { details, .. } = o {
            for d in details {
                println!("  {d}");
            }
        }
        println!("--- program ---\n{}", p.to_source(Mode::Coroutine));
        let (m, mo) = match minimise(&min_cfg, p, o, args.rounds, &mut |l| {
            println!("  minimiser {l}")
        }) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("harness error: {e}");
                return ExitCode::from(2);
            }
        };
        println!(
            "--- minimised (size {} from {}) ---\n{}",
            m.size(),
            p.size(),
            m.to_source(Mode::Coroutine)
        );
        if let Outcome::Fail { kind, details } = &mo {
            println!("--- which fails with {kind} ---");
            for d in details {
                println!("  {d}");
            }
            if let Some(dir) = &args.save {
                let file = dir.join(format!("{kind}-{}.rs", p.seed));
                let mut text = format!("// minimised from seed {}; failed with {kind}:\n", p.seed);
                for d in details.iter().take(6) {
                    text.push_str(&format!(
                        "//   {}\n",
                        d.chars().take(300).collect::<String>()
                    ));
                }
                text.push_str(&module_source(&m, Target::Macro, &args.features).0);
                if let Err(e) =
                    std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&file, text))
                {
                    eprintln!("cannot write {}: {e}", file.display());
                } else {
                    println!("saved {}", file.display());
                }
            }
        }
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
