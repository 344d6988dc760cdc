//! Echo over loopback with 1, 100 and 1000 concurrent clients, byte-exact; a slow reader.

mod reactor_common;

use std::time::{Duration, Instant};

use reactor_common::*;
use resumable::reactor::{block_on, spawn, timeout};

fn echo_with_clients(clients: usize, len: impl Fn(usize) -> usize) {
    let (listener, addr) = listener();
    let server = spawn(EchoServer {
        listener,
        limit: Some(clients),
    });
    let handles: Vec<_> = (0..clients)
        .map(|i| spawn(echo_client(addr, pattern(i, len(i)))))
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let r = block_on(timeout(Duration::from_secs(30), h))
            .expect("in time")
            .expect("client task");
        r.unwrap_or_else(|e| panic!("client {i}: {e}"));
    }
    block_on(server).unwrap().unwrap();
}

#[test]
fn echo_one_client_one_mebibyte() {
    echo_with_clients(1, |_| 1 << 20);
}

#[test]
fn echo_100_clients() {
    echo_with_clients(100, |i| 1 + i * 997 % 20_000);
}

#[test]
fn echo_1000_clients() {
    // 2,000 sockets at once: needs a descriptor limit above the common default of 1,024.
    let limit = open_files_limit();
    if limit < 2_200 {
        eprintln!("skipped: the open-files limit is {limit}, 2,200 needed (ulimit -n)");
        return;
    }
    echo_with_clients(1000, |i| 64 + i % 4096);
}

/// The soft limit on open files, from /proc/self/limits.
fn open_files_limit() -> u64 {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The server writes 4 MiB to a client that reads 16 KiB every millisecond: its writes must
/// wait (`WouldBlock`, then writable), and every byte arrive in order.
#[test]
fn slow_reader_backpressure() {
    use resumable::net::{read_exact, retry, write_all, TcpStream};
    use resumable::reactor::sleep;

    const LEN: usize = 4 << 20;
    let (listener, addr) = listener();
    let data = pattern(3, LEN);
    let expected = data.clone();
    let server = spawn(then(retry(move || listener.accept()), move |r| {
        let (s, _) = r.expect("accept");
        write_all(s, data)
    }));
    let start = Instant::now();
    let client = then(TcpStream::connect(addr), move |s| SlowRead {
        stream: Some(s.expect("connect")),
        got: Vec::new(),
        sleep: None,
        chunk: None,
    });
    let got: Vec<u8> = block_on(client);
    let (_, _, r) = block_on(server).unwrap();
    r.unwrap();
    assert_eq!(got.len(), expected.len());
    assert!(got == expected, "bytes differ");
    // 256 reads with a 1 ms pause each: the reader really was slow.
    assert!(start.elapsed() >= Duration::from_millis(200));

    /// Reads 16 KiB chunks with a 1 ms sleep in between, until end of file.
    struct SlowRead {
        stream: Option<TcpStream>,
        got: Vec<u8>,
        sleep: Option<resumable::reactor::Sleep>,
        chunk: Option<resumable::net::ReadExact<TcpStream, Vec<u8>>>,
    }
    impl resumable::Coroutine<resumable::reactor::Wake> for SlowRead {
        type Yield = resumable::reactor::Wait;
        type Return = Vec<u8>;
        fn resume(
            &mut self,
            wake: resumable::reactor::Wake,
        ) -> resumable::CoroutineState<resumable::reactor::Wait, Vec<u8>> {
            use resumable::CoroutineState::*;
            loop {
                if let Some(s) = &mut self.sleep {
                    match s.resume(wake) {
                        Yielded(w) => return Yielded(w),
                        Complete(()) => self.sleep = None,
                    }
                }
                if self.chunk.is_none() {
                    let stream = self.stream.take().unwrap();
                    let want = (LEN - self.got.len()).min(16 << 10);
                    if want == 0 {
                        return Complete(std::mem::take(&mut self.got));
                    }
                    self.chunk = Some(read_exact(stream, vec![0; want]));
                }
                match self.chunk.as_mut().unwrap().resume(wake) {
                    Yielded(w) => return Yielded(w),
                    Complete((stream, buf, r)) => {
                        r.expect("read");
                        self.got.extend_from_slice(&buf);
                        self.stream = Some(stream);
                        self.chunk = None;
                        self.sleep = Some(sleep(Duration::from_millis(1)));
                    }
                }
            }
        }
    }
}
