//! Ten IOs of one second each take one second together, not ten: each is a task, and while
//! one waits the others run.
//!
//! A local "slow server" answers every request after a one-second delay; ten clients ask at
//! once. Run with `cargo run --example concurrent_io`.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use resumable::net::{TcpListener, TcpStream};
use resumable::reactor::{self, sleep};
use resumable::Task;

/// Answers each connection's request after `delay`.
#[resumable::coroutine]
fn slow_server(listener: TcpListener, delay: Duration) -> impl Task<Output = io::Result<()>> {
    loop {
        let (stream, _) = io!(listener.accept())?;
        reactor::spawn(answer_later(stream, delay)).detach();
    }
}

#[resumable::coroutine]
fn answer_later(stream: TcpStream, delay: Duration) -> impl Task<Output = io::Result<()>> {
    let mut req = [0u8; 64];
    let n = io!((&stream).read(&mut req))?;
    yield_from!(sleep(delay));
    let mut reply = b"done: ".to_vec();
    reply.extend_from_slice(&req[..n]);
    let mut written = 0;
    while written < reply.len() {
        written += io!((&stream).write(&reply[written..]))?;
    }
    Ok(())
}

/// One request: connect, ask, read the whole answer.
#[resumable::coroutine]
fn request(addr: std::net::SocketAddr, i: usize) -> impl Task<Output = io::Result<String>> {
    let stream = yield_from!(TcpStream::connect(addr))?;
    let msg = format!("request {i}");
    io!((&stream).write(msg.as_bytes()))?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 256];
    loop {
        let n = io!((&stream).read(&mut buf))?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = reactor::spawn(slow_server(listener, Duration::from_secs(1)));

    let start = Instant::now();
    let requests: Vec<_> = (0..10).map(|i| reactor::spawn(request(addr, i))).collect();
    for r in requests {
        let answer = reactor::block_on(r).map_err(io::Error::from)??;
        println!("{answer:<20} after {:.3} s", start.elapsed().as_secs_f64());
    }
    let elapsed = start.elapsed();
    println!(
        "10 requests of 1 s each took {:.3} s in total",
        elapsed.as_secs_f64()
    );
    server.abort();
    assert!(
        elapsed < Duration::from_secs(5),
        "the requests did not overlap"
    );
    Ok(())
}
