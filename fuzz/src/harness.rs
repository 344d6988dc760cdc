//! Writes a batch of programs into one generated crate, builds it once with its own target
//! directory, runs it and turns its output (or the compiler's) into one outcome per program.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::ast::{Features, Mode, Program, Spans};

/// What stands in for the coroutine side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `#[resumable::coroutine]`: the real thing
    Macro,
    /// the reference replayed step by step: proves the pipeline without the macro
    SelfTest,
    /// like `SelfTest` with an injected bug (a yielded 3 comes out as 4): proves that
    /// mismatches are caught and minimised
    SelfTestBug,
}

/// Where and how to build.
#[derive(Clone, Debug)]
pub struct Config {
    /// root of the `resumable` repository (the generated crate depends on it by path)
    pub repo: PathBuf,
    /// name of this work crate (a directory under `target/fuzz-work/`)
    pub tag: String,
    /// coroutine side
    pub target: Target,
    /// constructs; `early_drop` and `early_drop_order` also steer the checks
    pub features: Features,
    /// print cargo's progress
    pub verbose: bool,
    /// what the generated crates depend on instead of `repo` (see [`Config::use_committed`])
    pub dep: Option<PathBuf>,
    /// share the target dir `target-<group>` instead of `target-<tag>` (builds in one group
    /// wait on each other but build the dependencies once)
    pub target_group: Option<String>,
}

impl Config {
    /// A config for the repository this crate lives in.
    pub fn new(tag: &str, target: Target, features: Features) -> Config {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("fuzz/ has a parent")
            .to_path_buf();
        Config {
            repo,
            tag: tag.to_string(),
            target,
            features,
            verbose: false,
            dep: None,
            target_group: None,
        }
    }

    fn work_root(&self) -> PathBuf {
        self.repo.join("target").join("fuzz-work")
    }

    /// The path the generated crates depend on: the working tree, or with `committed` a
    /// snapshot of `HEAD` (`git archive`, refreshed on each call), so that uncommitted work
    /// of others sharing the tree cannot break a run.
    ///
    /// # Errors
    ///
    /// When `git archive` fails.
    pub fn use_committed(&mut self) -> std::io::Result<String> {
        let snap = self.work_root().join("committed");
        let rev = Command::new("git")
            .arg("-C")
            .arg(&self.repo)
            .args(["rev-parse", "--short", "HEAD"])
            .output()?;
        let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();
        let _ = std::fs::remove_dir_all(&snap);
        std::fs::create_dir_all(&snap)?;
        let archive = Command::new("git")
            .arg("-C")
            .arg(&self.repo)
            .args(["archive", "--format=tar", "HEAD"])
            .stdout(Stdio::piped())
            .spawn()?;
        let tar = Command::new("tar")
            .arg("-x")
            .arg("-C")
            .arg(&snap)
            .stdin(archive.stdout.expect("piped"))
            .status()?;
        if !tar.success() {
            return Err(std::io::Error::other("git archive | tar failed"));
        }
        self.dep = Some(snap);
        Ok(rev)
    }

    /// Target directory of the generated crate: one per tag, so that concurrent runs (other
    /// people's too) never wait on each other's cargo lock; each builds `resumable` and its
    /// proc-macro dependencies once.
    pub fn target_dir(&self) -> PathBuf {
        self.work_root().join(format!(
            "target-{}",
            self.target_group.as_deref().unwrap_or(&self.tag)
        ))
    }

    /// Directory of the generated crate.
    pub fn crate_dir(&self) -> PathBuf {
        self.work_root().join(&self.tag)
    }
}

/// What happened to one program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// coroutine and reference agree
    Pass,
    /// they do not, or something broke; `kind` is one of `mismatch`, `early-drop-count`,
    /// `early-drop-order`, `too-many-yields`, `coroutine-panic`, `macro-rejected` (the macro
    /// reported an error), `expansion-error` (its output does not compile), `crash`, `timeout`,
    /// and for our own bugs `reference-compile-error`, `reference-panic`, `harness`
    Fail {
        /// class of failure
        kind: String,
        /// evidence: compiler messages or event logs
        details: Vec<String>,
    },
}

impl Outcome {
    fn fail(kind: &str, details: Vec<String>) -> Outcome {
        Outcome::Fail {
            kind: kind.to_string(),
            details,
        }
    }

    /// The failure class, or `None` for a pass.
    pub fn kind(&self) -> Option<&str> {
        match self {
            Outcome::Pass => None,
            Outcome::Fail { kind, .. } => Some(kind),
        }
    }

    /// A key that says whether two failures are "the same" for the minimiser: the kind, and
    /// for compile errors the first message, normalised (see [`normalise`]).
    pub fn signature(&self) -> Option<String> {
        match self {
            Outcome::Pass => None,
            Outcome::Fail { kind, details } => {
                if is_compile_error(kind) {
                    let first = details.first().map(String::as_str).unwrap_or("");
                    Some(format!("{kind}: {}", normalise(first)))
                } else if kind == "mismatch" {
                    Some(format!("{kind}: {}", mismatch_class(details)))
                } else {
                    Some(kind.clone())
                }
            }
        }
    }

    /// `self` fails the way `original` did: same kind, and for compile errors the original's
    /// first message is among this one's.
    pub fn same_failure_as(&self, original: &Outcome) -> bool {
        match (self, original) {
            (
                Outcome::Fail { kind, details },
                Outcome::Fail {
                    kind: k0,
                    details: d0,
                },
            ) if kind == k0 => {
                if !is_compile_error(kind) {
                    return true;
                }
                let want = normalise(d0.first().map(String::as_str).unwrap_or(""));
                details.iter().any(|d| normalise(d) == want)
            }
            _ => false,
        }
    }
}

/// `full run, reference drop# where coroutine y(` and the like: which run, and the kinds of
/// the first events that differ.
fn mismatch_class(details: &[String]) -> String {
    let run = details
        .first()
        .and_then(|d| d.split(':').next())
        .unwrap_or("");
    let run = if run.starts_with("early") {
        "early drop"
    } else {
        run
    };
    let at: Option<usize> = details
        .first()
        .and_then(|d| d.rsplit(' ').next())
        .and_then(|n| n.parse().ok());
    let event = |prefix: &str| -> String {
        let line = details
            .iter()
            .find_map(|d| d.strip_prefix(prefix))
            .unwrap_or("");
        let ev = at.and_then(|i| line.split(' ').nth(i)).unwrap_or("end");
        ev.split(['#', '(']).next().unwrap_or("").to_string()
    };
    format!(
        "{run}, reference {} where coroutine {}",
        event("reference: "),
        event("coroutine: ")
    )
}

fn is_compile_error(kind: &str) -> bool {
    kind == "macro-rejected" || kind == "expansion-error"
}

/// A compiler message without its position, and with names and labels in backticks replaced
/// by `_` (types like `()` or `Option<_>` stay).
pub fn normalise(msg: &str) -> String {
    let msg = msg.split_once(": error").map_or(msg, |(_, m)| m);
    let mut out = String::new();
    for (i, part) in msg.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let ident = !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '\'');
        if i % 2 == 1 && ident {
            out.push('_');
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Source of one program's module in the generated crate, and its function line ranges.
pub fn module_source(p: &Program, target: Target, features: &Features) -> (String, Spans) {
    let mut s = String::new();
    let _ = writeln!(s, "// seed {} features {}", p.seed, features.spec());
    s.push_str("use crate::rt::*;\n\n");
    let mut spans = Spans::default();
    match target {
        Target::Macro => p.print_funcs(Mode::Coroutine, &mut s, &mut spans),
        Target::SelfTest | Target::SelfTestBug => {
            let _ = writeln!(
                s,
                "pub fn co_main(log: Log, p: i64) -> Replay {{ Replay::new(log, p, ref_main, {}) }}",
                target == Target::SelfTestBug
            );
        }
    }
    s.push('\n');
    p.print_funcs(Mode::Reference, &mut s, &mut spans);
    // A coroutine resumed with `()` is driven through `Unit`, which drops the harness's argument.
    let co = if p.unit && target == Target::Macro {
        "|log, p| Unit(co_main(log, p))"
    } else {
        "co_main"
    };
    let _ = writeln!(
        s,
        "\npub fn run() -> Result<(), Fail> {{ check({co}, ref_main, {}i64, {}, {}) }}",
        p.p, features.early_drop, features.early_drop_order
    );
    (s, spans)
}

fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text)?;
    }
    Ok(())
}

/// Builds and runs `programs` as one crate; one outcome per program, in order.
///
/// # Errors
///
/// IO errors writing the crate or starting cargo.
pub fn run_batch(cfg: &Config, programs: &[Program]) -> std::io::Result<Vec<Outcome>> {
    let modules: Vec<String> = programs
        .iter()
        .map(|p| module_source(p, cfg.target, &cfg.features).0)
        .collect();
    run_modules(cfg, &modules)
}

/// Line ranges of the functions of a module's source (as printed by [`module_source`]).
pub fn spans_of(text: &str) -> Spans {
    let mut spans = Spans::default();
    let mut open: Option<(bool, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.starts_with("pub fn ref_") {
            open = Some((true, n));
        } else if line.starts_with("pub fn co_") || line.starts_with("#[resumable::coroutine") {
            if open.is_none() {
                open = Some((false, n));
            }
        } else if line == "}" {
            match open.take() {
                Some((true, a)) => spans.reference.push((a, n)),
                Some((false, a)) => spans.coroutine.push((a, n)),
                None => {}
            }
        }
    }
    spans
}

/// Builds and runs module sources (each defines `pub fn run() -> Result<(), Fail>`) as one
/// crate; one outcome per module, in order.
///
/// # Errors
///
/// IO errors writing the crate or starting cargo.
pub fn run_modules(cfg: &Config, modules: &[String]) -> std::io::Result<Vec<Outcome>> {
    let programs = modules;
    let dir = cfg.crate_dir();
    let src = dir.join("src");
    std::fs::create_dir_all(&src)?;
    let name = format!("fuzz-{}", cfg.tag);
    let cargo_toml = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nresumable = {{ path = {:?} }}\n\n\
         [profile.dev]\ndebug = false\nincremental = false\n\n\
         # not part of the repository's workspace\n[workspace]\n",
        cfg.dep.as_ref().unwrap_or(&cfg.repo).display().to_string()
    );
    write_if_changed(&dir.join("Cargo.toml"), &cargo_toml)?;
    if !dir.join("Cargo.lock").exists() {
        // the repository's lock file pins the same versions of syn & co, offline-friendly
        let _ = std::fs::copy(
            cfg.dep.as_ref().unwrap_or(&cfg.repo).join("Cargo.lock"),
            dir.join("Cargo.lock"),
        );
    }
    write_if_changed(&src.join("rt.rs"), include_str!("../template/rt.rs"))?;

    let mut outcomes: Vec<Option<Outcome>> = vec![None; programs.len()];
    let mut spans = Vec::new();
    for (i, text) in modules.iter().enumerate() {
        write_if_changed(&src.join(format!("p{i}.rs")), text)?;
        spans.push(spans_of(text));
    }
    // remove modules of an earlier, larger batch
    for entry in std::fs::read_dir(&src)? {
        let path = entry?.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if let Some(n) = stem.strip_prefix('p').and_then(|n| n.parse::<usize>().ok()) {
            if n >= programs.len() {
                std::fs::remove_file(&path)?;
            }
        }
    }

    // build, dropping the programs that do not compile, until the rest does
    let bin = loop {
        let live: Vec<usize> = (0..programs.len())
            .filter(|&i| outcomes[i].is_none())
            .collect();
        let mut main = String::from("#![allow(warnings)]\nmod rt;\n");
        for &i in &live {
            let _ = writeln!(main, "mod p{i};");
        }
        main.push_str("fn main() {\n    rt::main_with(&[\n");
        for &i in &live {
            let _ = writeln!(
                main,
                "        ({i}, p{i}::run as fn() -> Result<(), rt::Fail>),"
            );
        }
        main.push_str("    ]);\n}\n");
        write_if_changed(&src.join("main.rs"), &main)?;
        if live.is_empty() {
            return Ok(outcomes
                .into_iter()
                .map(|o| o.expect("all decided"))
                .collect());
        }
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .arg("build")
            .arg("--quiet")
            .arg("--message-format=short")
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", cfg.target_dir())
            .env_remove("RUSTFLAGS")
            .stdin(Stdio::null())
            .output()?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if cfg.verbose {
            eprint!("{stderr}");
        }
        if out.status.success() {
            break cfg.target_dir().join("debug").join(&name);
        }
        let errors = attribute_errors(&stderr);
        if errors.is_empty() {
            let tail: Vec<String> = stderr.lines().rev().take(40).map(String::from).collect();
            for &i in &live {
                outcomes[i] = Some(Outcome::fail(
                    "harness",
                    tail.iter().rev().cloned().collect(),
                ));
            }
            return Ok(outcomes
                .into_iter()
                .map(|o| o.expect("all decided"))
                .collect());
        }
        for (i, msgs) in errors {
            if i >= programs.len() || outcomes[i].is_some() {
                continue;
            }
            let in_ref = msgs.iter().any(|(line, _)| {
                spans[i]
                    .reference
                    .iter()
                    .any(|&(a, b)| a <= *line && *line <= b)
            });
            // the macro's own errors carry no code; rustc's errors on its output do
            let uncoded = msgs.iter().any(|(_, m)| !m.contains("error["));
            let kind = if in_ref {
                "reference-compile-error"
            } else if uncoded {
                "macro-rejected"
            } else {
                "expansion-error"
            };
            outcomes[i] = Some(Outcome::fail(
                kind,
                msgs.into_iter().map(|(_, m)| m).collect(),
            ));
        }
    };

    // run, restarting after a crash or a hang
    let mut from = 0;
    loop {
        let live = (from..programs.len())
            .filter(|&i| outcomes[i].is_none())
            .count();
        if live == 0 {
            break;
        }
        let out_path = dir.join("run.out");
        let file = std::fs::File::create(&out_path)?;
        let mut child = Command::new(&bin)
            .arg(from.to_string())
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(Stdio::null())
            .spawn()?;
        let limit = Duration::from_secs(30) + Duration::from_millis(200) * live as u32;
        let start = Instant::now();
        let status = loop {
            if let Some(st) = child.try_wait()? {
                break Some(st);
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let text = std::fs::read_to_string(&out_path)?;
        let mut current: Option<usize> = None;
        let mut fail: Option<(usize, String, Vec<String>)> = None;
        let mut done = false;
        for line in text.lines() {
            if let Some(i) = line.strip_prefix("BEGIN ") {
                current = i.parse().ok();
            } else if let Some(i) = line.strip_prefix("OK ") {
                if let Ok(i) = i.parse::<usize>() {
                    outcomes[i] = Some(Outcome::Pass);
                }
                current = None;
            } else if let Some(rest) = line.strip_prefix("FAIL ") {
                let mut it = rest.splitn(2, ' ');
                let i = it.next().and_then(|i| i.parse().ok()).unwrap_or(0);
                fail = Some((i, it.next().unwrap_or("").to_string(), Vec::new()));
            } else if let Some(d) = line.strip_prefix("| ") {
                if let Some(f) = fail.as_mut() {
                    f.2.push(d.to_string());
                }
            } else if line.starts_with("END ") {
                if let Some((i, kind, details)) = fail.take() {
                    outcomes[i] = Some(Outcome::Fail { kind, details });
                }
                current = None;
            } else if line == "DONE" {
                done = true;
            }
        }
        if done {
            break;
        }
        match current {
            Some(i) => {
                let kind = if status.is_none() { "timeout" } else { "crash" };
                let detail = match status {
                    Some(st) => format!("the batch process died: {st}"),
                    None => format!("no result after {limit:?}"),
                };
                outcomes[i] = Some(Outcome::fail(kind, vec![detail]));
                from = i + 1;
            }
            None => {
                for o in outcomes.iter_mut().skip(from).filter(|o| o.is_none()) {
                    *o = Some(Outcome::fail(
                        "harness",
                        vec![format!("batch process stopped early: {status:?}")],
                    ));
                }
                break;
            }
        }
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::fail("harness", vec!["no result".into()])))
        .collect())
}

/// Compiler errors (short format) by program index: `(line, message)`.
fn attribute_errors(stderr: &str) -> BTreeMap<usize, Vec<(usize, String)>> {
    let mut map: BTreeMap<usize, Vec<(usize, String)>> = BTreeMap::new();
    for line in stderr.lines() {
        if !line.contains(": error") {
            continue;
        }
        // `src/p12.rs:34:5: error[E0308]: mismatched types`
        let Some(pos) = line.find("src/p") else {
            continue;
        };
        let rest = &line[pos + 5..];
        let Some(dot) = rest.find(".rs:") else {
            continue;
        };
        let Ok(i) = rest[..dot].parse::<usize>() else {
            continue;
        };
        let lineno = rest[dot + 4..]
            .split(':')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let msgs = map.entry(i).or_default();
        if msgs.len() < 8 {
            msgs.push((lineno, rest[dot + 4..].to_string()));
        }
    }
    map
}
