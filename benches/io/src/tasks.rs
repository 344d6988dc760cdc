//! Many tasks: 100,000 timers (wall time, peak RSS) and the heap cost of a parked task.

use std::time::{Duration, Instant};

/// Peak resident set size of this process so far (`VmHWM`), in KiB.
pub fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn delay(i: usize) -> Duration {
    Duration::from_micros((i as u64 * 7919) % 100_000)
}

pub fn timers(kind: &str, n: usize) -> Duration {
    let start = Instant::now();
    match kind {
        "ours" => {
            use resumable::reactor::{run, sleep, spawn};
            for i in 0..n {
                spawn(sleep(delay(i))).detach();
            }
            run();
        }
        "tokio" => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            rt.block_on(async {
                let hs: Vec<_> = (0..n)
                    .map(|i| tokio::spawn(tokio::time::sleep(delay(i))))
                    .collect();
                for h in hs {
                    h.await.unwrap();
                }
            });
        }
        other => panic!("unknown kind {other:?}"),
    }
    start.elapsed()
}

/// Heap bytes held by `n` tasks parked on a timer or on a TCP read, divided by nothing:
/// the caller divides. `allocated` reads the counting allocator.
pub fn idle(kind: &str, what: &str, n: usize, allocated: impl Fn() -> usize) -> usize {
    match (kind, what) {
        ("ours", "timer") => {
            use resumable::reactor::{block_on, sleep, spawn};
            block_on(sleep(Duration::from_millis(1))); // the reactor itself exists before
            let before = allocated();
            let hs: Vec<_> = (0..n)
                .map(|_| spawn(sleep(Duration::from_secs(3600))))
                .collect();
            block_on(sleep(Duration::from_millis(20))); // every task ran once and parked
            let after = allocated();
            std::mem::forget(hs);
            after - before - n * std::mem::size_of::<resumable::JoinHandle<()>>()
        }
        ("tokio", "timer") => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            rt.block_on(async {
                tokio::time::sleep(Duration::from_millis(1)).await;
                let before = allocated();
                let hs: Vec<_> = (0..n)
                    .map(|_| tokio::spawn(tokio::time::sleep(Duration::from_secs(3600))))
                    .collect();
                tokio::time::sleep(Duration::from_millis(20)).await;
                let after = allocated();
                let handles = n * std::mem::size_of::<tokio::task::JoinHandle<()>>();
                std::mem::forget(hs);
                after - before - handles
            })
        }
        ("ours", "tcp") => ours_tcp(n, allocated),
        ("tokio", "tcp") => tokio_tcp(n, allocated),
        other => panic!("unknown {other:?}"),
    }
}

/// Client ends: plain blocking std sockets (no heap), connected in batches the backlog holds.
fn connect_clients(
    addr: std::net::SocketAddr,
    n: usize,
    mut accept_some: impl FnMut(usize),
) -> Vec<std::net::TcpStream> {
    let mut clients = Vec::with_capacity(n);
    while clients.len() < n {
        let batch = (n - clients.len()).min(100);
        for _ in 0..batch {
            clients.push(std::net::TcpStream::connect(addr).expect("connect"));
        }
        accept_some(batch);
    }
    clients
}

fn ours_tcp(n: usize, allocated: impl Fn() -> usize) -> usize {
    use resumable::net::{TcpListener, TcpStream};
    use resumable::reactor::{block_on, sleep, spawn};
    use resumable::Task;
    use std::io::{self, Read};

    #[resumable::coroutine]
    fn parked(stream: TcpStream) -> impl Task<Output = io::Result<usize>> {
        io!((&stream).read(&mut [0u8; 16]))
    }

    #[resumable::coroutine]
    fn accept_n(
        listener: std::rc::Rc<TcpListener>,
        n: usize,
    ) -> impl Task<Output = io::Result<()>> {
        for _ in 0..n {
            let (s, _) = io!(listener.accept())?;
            spawn(parked(s)).detach();
        }
        Ok(())
    }

    let l = std::rc::Rc::new(TcpListener::bind("127.0.0.1:0").unwrap());
    let addr = l.local_addr().unwrap();
    block_on(sleep(Duration::from_millis(1)));
    // Reserve the reactor's tables up front so their growth is not counted against tasks;
    // what remains is the tasks' own heap.
    let warm = connect_clients(addr, 100, |k| block_on(accept_n(l.clone(), k)).unwrap());
    drop(warm);
    block_on(sleep(Duration::from_millis(50)));
    let before = allocated();
    let clients = connect_clients(addr, n, |k| block_on(accept_n(l.clone(), k)).unwrap());
    block_on(sleep(Duration::from_millis(20)));
    let after = allocated();
    std::mem::forget(clients);
    after - before
}

fn tokio_tcp(n: usize, allocated: impl Fn() -> usize) -> usize {
    use tokio::io::AsyncReadExt;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        let accept_n = |k: usize| {
            let l = &l;
            async move {
                for _ in 0..k {
                    let (mut s, _) = l.accept().await.unwrap();
                    tokio::spawn(async move {
                        let _ = s.read(&mut [0u8; 16]).await;
                    });
                }
            }
        };
        // Warm-up as for ours.
        let mut warm = Vec::new();
        for _ in 0..100 {
            warm.push(std::net::TcpStream::connect(addr).unwrap());
        }
        accept_n(100).await;
        drop(warm);
        tokio::time::sleep(Duration::from_millis(50)).await;
        let before = allocated();
        let mut clients = Vec::with_capacity(n);
        while clients.len() < n {
            let batch = (n - clients.len()).min(100);
            for _ in 0..batch {
                clients.push(std::net::TcpStream::connect(addr).unwrap());
            }
            accept_n(batch).await;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        let after = allocated();
        std::mem::forget(clients);
        after - before
    })
}
