//! The user's view: reactor tasks written with `#[resumable::coroutine]` and `io!`.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use resumable::net::{read_exact, write_all, TcpListener, TcpStream};
use resumable::reactor::{self, block_on, sleep, spawn, timeout, Wait, Wake};
use resumable::Task;

#[resumable::coroutine]
fn echo(stream: TcpStream) -> impl Task<Output = io::Result<u64>> {
    let mut buf = [0u8; 4096];
    let mut total = 0u64;
    loop {
        let n = io!((&stream).read(&mut buf))?;
        if n == 0 {
            return Ok(total);
        }
        let mut written = 0;
        while written < n {
            written += io!((&stream).write(&buf[written..n]))?;
        }
        total += n as u64;
    }
}

#[resumable::coroutine]
fn serve(listener: TcpListener, conns: usize) -> impl Task<Output = io::Result<u64>> {
    let mut handles = Vec::new();
    for _ in 0..conns {
        let (stream, _) = io!(listener.accept())?;
        handles.push(spawn(echo(stream)));
    }
    let mut total = 0;
    for h in handles {
        total += yield_from!(h).map_err(io::Error::from)??;
    }
    Ok(total)
}

/// Writes `msg` with `write_all`, half-closes, reads it back with `read_exact`.
#[resumable::coroutine]
fn client(addr: SocketAddr, msg: Vec<u8>) -> impl Task<Output = io::Result<()>> {
    let stream = yield_from!(TcpStream::connect(addr))?;
    stream.set_nodelay(true)?;
    let len = msg.len();
    // Small messages fit in the socket buffers, so writing all before reading cannot stall.
    let (stream, msg, r) = yield_from!(write_all(stream, msg));
    r?;
    stream.shutdown(std::net::Shutdown::Write)?;
    let (stream, back, r) = yield_from!(read_exact(stream, vec![0u8; len]));
    r?;
    assert_eq!(back, msg);
    let mut rest = [0u8; 1];
    let n = io!((&stream).read(&mut rest))?; // (`io!` is not seen inside other macros' input)
    assert_eq!(n, 0, "nothing after the echo");
    Ok(())
}

#[test]
fn echo_100_clients_written_as_coroutines() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = spawn(serve(listener, 100));
    let clients: Vec<_> = (0..100)
        .map(|i| {
            spawn(client(
                addr,
                (0..(i * 97 % 3000) + 1).map(|b| (b * i) as u8).collect(),
            ))
        })
        .collect();
    for c in clients {
        block_on(timeout(Duration::from_secs(30), c))
            .unwrap()
            .unwrap()
            .unwrap();
    }
    let expected: usize = (0..100).map(|i| i * 97 % 3000 + 1).sum();
    assert_eq!(block_on(server).unwrap().unwrap(), expected as u64);
}

#[resumable::coroutine]
fn sleepy(ms: u64) -> impl Task<Output = Duration> {
    let start = Instant::now();
    yield_from!(sleep(Duration::from_millis(ms)));
    start.elapsed()
}

#[test]
fn ten_coroutine_sleeps_overlap() {
    let start = Instant::now();
    let hs: Vec<_> = (0..10).map(|_| spawn(sleepy(100))).collect();
    for h in hs {
        assert!(block_on(h).unwrap() >= Duration::from_millis(100));
    }
    assert!(start.elapsed() < Duration::from_millis(900));
}

#[resumable::coroutine]
fn wait_with_deadline(stream: TcpStream, ms: u64) -> impl Task<Output = io::Result<Option<usize>>> {
    let until = Instant::now() + Duration::from_millis(ms);
    let mut buf = [0u8; 16];
    loop {
        match (&stream).read(&mut buf) {
            Ok(n) => return Ok(Some(n)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                let wake = yield_!(stream.readable().with_deadline(until));
                if wake == Wake::Deadline {
                    return Ok(None);
                }
            }
            Err(e) => return Err(e),
        }
    }
}

#[test]
fn a_wait_with_a_deadline_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let s = block_on(TcpStream::connect(listener.local_addr().unwrap())).unwrap();
    let start = Instant::now();
    assert_eq!(block_on(wait_with_deadline(s, 20)).unwrap(), None);
    assert!(start.elapsed() >= Duration::from_millis(20));
    drop(listener);
}

#[resumable::coroutine]
fn slow_then_fail() -> impl Task<Output = u32> {
    yield_!(Wait::yield_now());
    panic!("task failed on purpose")
}

#[test]
fn coroutine_panic_reaches_join_and_timeout_cancels() {
    let err = block_on(spawn(slow_then_fail())).unwrap_err();
    assert!(err.is_panic());
    let r = block_on(timeout(Duration::from_millis(5), sleepy(10_000)));
    assert!(r.is_err());
    assert_eq!(reactor::task_count(), 0);
}

/// Answers each line with its length, using `BufReader::read_line` through `yield_from!`.
#[resumable::coroutine]
fn line_lengths(stream: TcpStream) -> impl Task<Output = io::Result<usize>> {
    let stream = std::rc::Rc::new(stream);
    // (An `Option` because the macro keeps a moved-then-reassigned local live across the
    // yield: `let (back, line) = yield_from!(lines.read_line()); lines = back;` is E0382.)
    let mut lines = Some(resumable::net::BufReader::new(SharedStream(stream.clone())));
    let mut count = 0;
    loop {
        let (back, line) = yield_from!(lines.take().unwrap().read_line());
        lines = Some(back);
        let line = line?; // (`let Some(l) = line? else ..` is not accepted by the macro yet)
        let Some(line) = line else { return Ok(count) };
        count += 1;
        let reply = format!("{}\n", line.trim_end().len());
        let (_, _, r) = yield_from!(write_all(SharedStream(stream.clone()), reply));
        r?;
    }
}

struct SharedStream(std::rc::Rc<TcpStream>);

impl Read for SharedStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self.0).read(buf)
    }
}

impl Write for SharedStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.0).write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn read_line_through_yield_from() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let client = block_on(TcpStream::connect(addr)).unwrap();
    let (server, _) = block_on(resumable::net::retry(move || listener.accept())).unwrap();
    let server = spawn(line_lengths(server));
    let (client, _, r) = block_on(write_all(client, *b"a\nbcd\n\nlast line without newline"));
    r.unwrap();
    client.shutdown(std::net::Shutdown::Write).unwrap();
    let lines = resumable::net::BufReader::new(client);
    let mut got = Vec::new();
    let mut lines = Some(lines);
    loop {
        let (back, line) = block_on(lines.take().unwrap().read_line());
        lines = Some(back);
        match line.unwrap() {
            Some(l) => got.push(l),
            None => break,
        }
    }
    assert_eq!(got, ["1\n", "3\n", "0\n", "25\n"]);
    assert_eq!(block_on(server).unwrap().unwrap(), 4);
}

// A recursive task runs on a trampoline too: waits and wake-ups go to the innermost frame.
#[resumable::coroutine]
fn nested_sleeps(depth: u32) -> impl Task<Output = u32> {
    if depth == 0 {
        return 0;
    }
    let below = yield_from!(Box::new(nested_sleeps(depth - 1)));
    yield_from!(sleep(Duration::from_millis(1)));
    below + depth
}

#[test]
fn a_recursive_task_sleeps_at_every_level() {
    let start = Instant::now();
    assert_eq!(block_on(nested_sleeps(5)), 15);
    assert!(start.elapsed() >= Duration::from_millis(5));
}
