//! Echo benchmark: our reactor, tokio current_thread and a hand-written mio loop serve the
//! same echo protocol; a mio load generator on another thread drives each in turn.
//!
//! ```text
//! io-bench compare [secs=1] [repeats=3] [conns=1,10,100,1000] [sizes=64,4096]
//! io-bench server <ours|tokio|mio> <port>            # serve until killed (ours-on-tokio: --features interop)
//! io-bench load <port> <conns> <size> <round_trips>  # a fixed amount of work, then exit
//! io-bench timers <ours|tokio> [n=100000]            # n tasks sleeping 0..100 ms: wall, peak RSS
//! io-bench idle <ours|tokio> <timer|tcp> [n]         # heap bytes per parked task
//! ```
//! See BENCHMARKS.md, section "IO", for the commands that produced the figures.

mod load;
mod servers;
mod tasks;

#[global_allocator]
static ALLOC: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

use std::net::SocketAddr;
use std::time::Duration;

fn usage() -> ! {
    eprintln!(
        "usage: io-bench compare [secs] [repeats] [conns,..] [sizes,..]\n       io-bench server <ours|tokio|mio> <port>\n       io-bench load <port> <conns> <size> <round_trips>"
    );
    std::process::exit(2)
}

fn list(arg: Option<&String>, default: &[usize]) -> Vec<usize> {
    match arg {
        Some(s) => s
            .split(',')
            .map(|x| x.parse().unwrap_or_else(|_| usage()))
            .collect(),
        None => default.to_vec(),
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("server") => {
            let kind = args.get(2).unwrap_or_else(|| usage());
            let port: u16 = args
                .get(3)
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| usage());
            let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind");
            servers::serve(kind, listener);
        }
        Some("load") => {
            let p = |i: usize| -> usize {
                args.get(i)
                    .and_then(|x| x.parse().ok())
                    .unwrap_or_else(|| usage())
            };
            let addr: SocketAddr = ([127, 0, 0, 1], p(2) as u16).into();
            let r = load::run(addr, p(3), p(4), load::Until::RoundTrips(p(5) as u64));
            println!(
                "{} round trips in {:.3} s",
                r.round_trips,
                r.elapsed.as_secs_f64()
            );
        }
        Some("timers") => {
            let kind = args.get(2).unwrap_or_else(|| usage());
            let n = args.get(3).and_then(|x| x.parse().ok()).unwrap_or(100_000);
            let wall = tasks::timers(kind, n);
            println!(
                "{kind}: {n} timers of 0-100 ms: wall {:.1} ms, peak RSS {:.1} MiB",
                wall.as_secs_f64() * 1e3,
                tasks::peak_rss_kib() as f64 / 1024.0
            );
        }
        Some("idle") => {
            let kind = args.get(2).unwrap_or_else(|| usage());
            let what = args.get(3).unwrap_or_else(|| usage());
            let n = args
                .get(4)
                .and_then(|x| x.parse().ok())
                .unwrap_or(if what == "tcp" { 5_000 } else { 100_000 });
            let bytes = tasks::idle(kind, what, n, || ALLOC.allocated());
            println!(
                "{kind}: {n} tasks parked on a {what}: {:.0} heap bytes per task",
                bytes as f64 / n as f64
            );
        }
        Some("compare") => {
            let secs: f64 = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(1.0);
            let repeats: usize = args.get(3).and_then(|x| x.parse().ok()).unwrap_or(3);
            let conns = list(args.get(4), &[1, 10, 100, 1000]);
            let sizes = list(args.get(5), &[64, 4096]);
            compare(Duration::from_secs_f64(secs), repeats, &conns, &sizes);
        }
        _ => usage(),
    }
}

const KINDS: [&str; 3] = ["ours", "tokio", "mio"];

fn compare(secs: Duration, repeats: usize, conns: &[usize], sizes: &[usize]) {
    println!("| conns | size | server | round trips/s min | median | p50 µs | p99 µs | median vs tokio | median vs mio |");
    println!("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
    for &size in sizes {
        for &n in conns {
            // Rounds interleave the servers, so drift on a shared machine hits all alike.
            let mut results: Vec<Vec<load::Report>> = vec![Vec::new(); KINDS.len()];
            for _ in 0..repeats {
                for (k, kind) in KINDS.iter().enumerate() {
                    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
                    let addr = listener.local_addr().unwrap();
                    let kind = kind.to_string();
                    std::thread::spawn(move || servers::serve(&kind, listener));
                    results[k].push(load::run(addr, n, size, load::Until::Elapsed(secs)));
                }
            }
            let medians: Vec<f64> = results
                .iter()
                .map(|rs| median(&mut rs.iter().map(|r| r.rate()).collect::<Vec<_>>()))
                .collect();
            for (k, kind) in KINDS.iter().enumerate() {
                let rates: Vec<f64> = results[k].iter().map(|r| r.rate()).collect();
                let min = rates.iter().cloned().fold(f64::INFINITY, f64::min);
                let mut by_rate = results[k].clone();
                by_rate.sort_by(|a, b| a.rate().partial_cmp(&b.rate()).unwrap());
                let mid = &by_rate[by_rate.len() / 2];
                println!(
                    "| {n} | {size} | {kind} | {min:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {:.2} |",
                    medians[k],
                    mid.p50_us,
                    mid.p99_us,
                    medians[k] / medians[1],
                    medians[k] / medians[2]
                );
            }
        }
    }
}
