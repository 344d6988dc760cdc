// Support code of a generated fuzz batch (copied from `fuzz/template/rt.rs`).
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use resumable::{Coroutine, CoroutineState};

/// One observable event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ev {
    /// a `D` was created: serial, site
    New(u32, u32),
    /// a `D` was dropped: serial, site
    Drop(u32, u32),
    /// a value was yielded
    Y(i64),
    /// the function returned
    Ret(i64),
    /// the run was cut here (early drop)
    Cut,
}

impl std::fmt::Display for Ev {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ev::New(s, site) => write!(f, "new#{s}@{site}"),
            Ev::Drop(s, site) => write!(f, "drop#{s}@{site}"),
            Ev::Y(v) => write!(f, "y({v})"),
            Ev::Ret(v) => write!(f, "ret({v})"),
            Ev::Cut => write!(f, "DROP-COROUTINE"),
        }
    }
}

pub struct LogInner {
    pub events: RefCell<Vec<Ev>>,
    serial: Cell<u32>,
    /// number of `ref_yield` calls so far (reference side)
    yields: Cell<usize>,
    /// unwind at this yield (reference side of an early drop)
    pub panic_at: Cell<Option<usize>>,
}

#[derive(Clone)]
pub struct Log(pub Rc<LogInner>);

/// Payload of the unwind that models dropping a suspended coroutine.
pub struct EarlyDrop;

impl Log {
    pub fn new() -> Log {
        Log(Rc::new(LogInner {
            events: RefCell::new(Vec::new()),
            serial: Cell::new(0),
            yields: Cell::new(0),
            panic_at: Cell::new(None),
        }))
    }
    pub fn push(&self, e: Ev) {
        self.0.events.borrow_mut().push(e);
    }
    pub fn events(&self) -> Vec<Ev> {
        self.0.events.borrow().clone()
    }
    pub fn first_arg(&self) -> i64 {
        arg(0)
    }
    /// What a yield used for its value reads in a coroutine resumed with `()`: the argument
    /// `ref_yield` returns there (the harness logs each yield before resuming again).
    pub fn resumed(&self) -> i64 {
        arg(self.0.events.borrow().iter().filter(|e| matches!(e, Ev::Y(_))).count())
    }
}

/// Drives a coroutine resumed with `()` as `check` drives the others.
pub struct Unit<C>(pub C);

impl<C: Coroutine<(), Yield = i64, Return = i64>> Coroutine<i64> for Unit<C> {
    type Yield = i64;
    type Return = i64;
    fn resume(&mut self, _arg: i64) -> CoroutineState<i64, i64> {
        self.0.resume(())
    }
}

/// The resume argument of resume number `i` (0-based); resume 0's is only seen with `arg = first`.
pub fn arg(i: usize) -> i64 {
    let i = i as i64;
    (i.wrapping_mul(7).wrapping_add(3)) % 11 - 4
}

/// The reference side of `yield_!(v)`.
pub fn ref_yield(log: &Log, v: i64) -> i64 {
    log.push(Ev::Y(v));
    let k = log.0.yields.get();
    log.0.yields.set(k + 1);
    if log.0.panic_at.get() == Some(k) {
        std::panic::resume_unwind(Box::new(EarlyDrop));
    }
    arg(k + 1)
}

/// A plain helper whose result depends on the order of its arguments.
pub fn mix(a: i64, b: i64) -> i64 {
    a.wrapping_mul(31).wrapping_add(b) ^ 5
}

/// A value that logs its creation and its drop.
pub struct D(u32, u32, Log);

impl D {
    pub fn new(site: u32, log: &Log) -> D {
        let s = log.0.serial.get();
        log.0.serial.set(s + 1);
        log.push(Ev::New(s, site));
        D(s, site, log.clone())
    }
    pub fn val(&self) -> i64 {
        self.1 as i64
    }
}

impl Drop for D {
    fn drop(&mut self) {
        self.2.push(Ev::Drop(self.0, self.1));
    }
}

thread_local! {
    static PANIC_MSG: RefCell<String> = const { RefCell::new(String::new()) };
}

pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
            s.to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "(non-string panic)".to_string()
        };
        let loc = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        PANIC_MSG.with(|m| *m.borrow_mut() = format!("{msg}{loc}"));
    }));
}

fn panic_msg() -> String {
    PANIC_MSG.with(|m| m.borrow().clone())
}

/// A failure: kind and details.
pub struct Fail(pub &'static str, pub Vec<String>);

fn show(evs: &[Ev]) -> String {
    evs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(" ")
}

fn diff(what: &str, expected: &[Ev], got: &[Ev]) -> Vec<String> {
    let i = expected.iter().zip(got).take_while(|(a, b)| a == b).count();
    vec![
        format!("{what}: first difference at event {i}"),
        format!("reference: {}", show(expected)),
        format!("coroutine: {}", show(got)),
    ]
}

/// Limits the resumes of a coroutine relative to the reference.
const SLACK: usize = 3;

/// Runs the reference, the coroutine to completion, and the coroutine dropped early after k
/// resumes for several k; compares the event logs.
pub fn check<C, FC, FR>(co: FC, rf: FR, p: i64, early_drop: bool, exact_order: bool) -> Result<(), Fail>
where
    C: Coroutine<i64, Yield = i64, Return = i64>,
    FC: Fn(Log, i64) -> C,
    FR: Fn(Log, i64) -> i64,
{
    // reference, to the end
    let log = Log::new();
    let r = catch_unwind(AssertUnwindSafe(|| rf(log.clone(), p)));
    let ret = match r {
        Ok(v) => v,
        Err(_) => return Err(Fail("reference-panic", vec![panic_msg()])),
    };
    log.push(Ev::Ret(ret));
    let expected = log.events();
    let nyields = expected.iter().filter(|e| matches!(e, Ev::Y(_))).count();

    // coroutine, to the end
    let log = Log::new();
    let mut c = co(log.clone(), p);
    let mut i = 0;
    loop {
        if i > nyields + SLACK {
            return Err(Fail("too-many-yields", diff("full run", &expected, &log.events())));
        }
        let a = arg(i);
        match catch_unwind(AssertUnwindSafe(|| c.resume(a))) {
            Ok(CoroutineState::Yielded(v)) => log.push(Ev::Y(v)),
            Ok(CoroutineState::Complete(v)) => {
                log.push(Ev::Ret(v));
                break;
            }
            Err(_) => {
                let mut d = diff("full run", &expected, &log.events());
                d.insert(0, format!("coroutine panicked in resume {i}: {}", panic_msg()));
                return Err(Fail("coroutine-panic", d));
            }
        }
        i += 1;
    }
    if catch_unwind(AssertUnwindSafe(|| drop(c))).is_err() {
        return Err(Fail("coroutine-panic", vec![format!("panicked on drop after completion: {}", panic_msg())]));
    }
    let got = log.events();
    if got != expected {
        return Err(Fail("mismatch", diff("full run", &expected, &got)));
    }

    if !early_drop {
        return Ok(());
    }
    // dropped while suspended after k resumes (k = 1..=nyields, sampled)
    let ks: Vec<usize> = if nyields <= 8 {
        (1..=nyields).collect()
    } else {
        vec![1, 2, nyields / 3, nyields / 2, nyields - 1, nyields]
    };
    for k in ks {
        let rlog = Log::new();
        rlog.0.panic_at.set(Some(k - 1));
        let r = catch_unwind(AssertUnwindSafe(|| rf(rlog.clone(), p)));
        if r.is_ok() {
            return Err(Fail("harness", vec![format!("reference did not reach yield {k}")]));
        }
        let mut expected = rlog.events();
        let cut = expected.iter().enumerate().filter(|(_, e)| matches!(e, Ev::Y(_))).nth(k - 1).map(|x| x.0).unwrap();
        expected.insert(cut + 1, Ev::Cut);

        let log = Log::new();
        let mut c = co(log.clone(), p);
        for i in 0..k {
            let a = arg(i);
            match catch_unwind(AssertUnwindSafe(|| c.resume(a))) {
                Ok(CoroutineState::Yielded(v)) => log.push(Ev::Y(v)),
                Ok(CoroutineState::Complete(v)) => {
                    log.push(Ev::Ret(v));
                    return Err(Fail("mismatch", diff(&format!("early drop after {k}"), &expected, &log.events())));
                }
                Err(_) => {
                    let mut d = diff(&format!("early drop after {k}"), &expected, &log.events());
                    d.insert(0, format!("coroutine panicked in resume {i}: {}", panic_msg()));
                    return Err(Fail("coroutine-panic", d));
                }
            }
        }
        log.push(Ev::Cut);
        if catch_unwind(AssertUnwindSafe(|| drop(c))).is_err() {
            let mut d = diff(&format!("early drop after {k}"), &expected, &log.events());
            d.insert(0, format!("coroutine panicked when dropped: {}", panic_msg()));
            return Err(Fail("coroutine-panic", d));
        }
        let got = log.events();
        if got == expected {
            continue;
        }
        // every value created is dropped exactly once
        let mut counts = std::collections::BTreeMap::new();
        for e in &got {
            match e {
                Ev::New(s, _) => *counts.entry(*s).or_insert(0i32) += 0,
                Ev::Drop(s, _) => *counts.entry(*s).or_insert(0i32) += 1,
                _ => {}
            }
        }
        let bad: Vec<String> = counts.iter().filter(|(_, n)| **n != 1).map(|(s, n)| format!("#{s} dropped {n} times")).collect();
        let what = format!("early drop after {k}");
        if !bad.is_empty() {
            let mut d = diff(&what, &expected, &got);
            d.insert(0, bad.join(", "));
            return Err(Fail("early-drop-count", d));
        }
        let split = |v: &[Ev]| {
            let i = v.iter().position(|e| *e == Ev::Cut).unwrap();
            let mut tail = v[i..].to_vec();
            tail.sort_by_key(|e| format!("{e}"));
            (v[..i].to_vec(), tail)
        };
        let (ep, et) = split(&expected);
        let (gp, gt) = split(&got);
        if ep != gp || et != gt {
            return Err(Fail("mismatch", diff(&what, &expected, &got)));
        }
        if exact_order {
            return Err(Fail("early-drop-order", diff(&what, &expected, &got)));
        }
    }
    Ok(())
}

/// Self-test stand-in for a coroutine: replays the reference function (run with a private log)
/// step by step; on drop while suspended, replays the unwinding the reference does.
pub struct Replay {
    log: Log,
    p: i64,
    f: fn(Log, i64) -> i64,
    segs: Option<(Vec<(Vec<Ev>, i64)>, Vec<Ev>, i64)>,
    resumed: usize,
    bug: bool,
}

impl Replay {
    pub fn new(log: Log, p: i64, f: fn(Log, i64) -> i64, bug: bool) -> Replay {
        Replay { log, p, f, segs: None, resumed: 0, bug }
    }
}

impl Coroutine<i64> for Replay {
    type Yield = i64;
    type Return = i64;
    fn resume(&mut self, _arg: i64) -> CoroutineState<i64, i64> {
        if self.segs.is_none() {
            let private = Log::new();
            let ret = (self.f)(private.clone(), self.p);
            let mut segs = Vec::new();
            let mut cur = Vec::new();
            for e in private.events() {
                match e {
                    Ev::Y(v) => segs.push((std::mem::take(&mut cur), v)),
                    e => cur.push(e),
                }
            }
            self.segs = Some((segs, cur, ret));
        }
        let (segs, last, ret) = self.segs.as_ref().unwrap();
        let i = self.resumed;
        self.resumed += 1;
        if i < segs.len() {
            for e in &segs[i].0 {
                self.log.push(e.clone());
            }
            let v = segs[i].1;
            // the injected bug: a yielded 3 comes out as 4
            CoroutineState::Yielded(if self.bug && v == 3 { 4 } else { v })
        } else if i == segs.len() {
            for e in last {
                self.log.push(e.clone());
            }
            CoroutineState::Complete(*ret)
        } else {
            panic!("resumed after completion")
        }
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        let n = match &self.segs {
            Some((segs, ..)) => segs.len(),
            None => return,
        };
        let k = self.resumed;
        if k == 0 || k > n {
            return;
        }
        let private = Log::new();
        private.0.panic_at.set(Some(k - 1));
        let f = self.f;
        let p = self.p;
        let _ = catch_unwind(AssertUnwindSafe(|| f(private.clone(), p)));
        let evs = private.events();
        let cut = evs.iter().enumerate().filter(|(_, e)| matches!(e, Ev::Y(_))).nth(k - 1).unwrap().0;
        for e in &evs[cut + 1..] {
            self.log.push(e.clone());
        }
    }
}

/// Runs the programs of the batch from the command line: `[from]`.
pub fn main_with(progs: &[(usize, fn() -> Result<(), Fail>)]) {
    use std::io::Write;
    install_hook();
    let from: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(0);
    let out = std::io::stdout();
    for (i, run) in progs {
        if *i < from {
            continue;
        }
        {
            let mut o = out.lock();
            let _ = writeln!(o, "BEGIN {i}");
            let _ = o.flush();
        }
        let r = run();
        let mut o = out.lock();
        match r {
            Ok(()) => {
                let _ = writeln!(o, "OK {i}");
            }
            Err(Fail(kind, lines)) => {
                let _ = writeln!(o, "FAIL {i} {kind}");
                for l in lines {
                    let _ = writeln!(o, "| {l}");
                }
            }
        }
        let _ = writeln!(o, "END {i}");
        let _ = o.flush();
    }
    let _ = writeln!(out.lock(), "DONE");
}
