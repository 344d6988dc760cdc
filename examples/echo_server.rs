//! An echo server on 127.0.0.1: every connection is a task that writes back what it reads.
//!
//! ```text
//! cargo run --example echo_server -- 7000     # port from the command line (default 7000)
//! ```
//!
//! The accept loop survives accept errors: when the process is out of file descriptors
//! (`EMFILE`), it backs off for a moment, lets connections close, and accepts again.

use std::io::{self, Read, Write};
use std::time::Duration;

use resumable::net::{TcpListener, TcpStream};
use resumable::reactor::{self, Wait};
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

/// Accepts forever. An accept error concerns one connection (`ECONNABORTED`) or the
/// process (`EMFILE`/`ENFILE`: out of descriptors); neither is a reason to stop serving.
#[resumable::coroutine]
fn serve(listener: TcpListener) -> impl Task<Output = ()> {
    loop {
        match io!(listener.accept()) {
            Ok((stream, _peer)) => reactor::spawn(echo(stream)).detach(),
            Err(e) => {
                eprintln!("accept: {e}");
                if matches!(e.raw_os_error(), Some(EMFILE | ENFILE)) {
                    // The pending connection stays queued: back off while others close.
                    yield_!(Wait::sleep(Duration::from_millis(100)));
                }
            }
        }
    }
}

/// Linux `errno` values: the process / the system is out of file descriptors.
const EMFILE: i32 = 24;
const ENFILE: i32 = 23;

fn main() -> io::Result<()> {
    let port: u16 = match std::env::args().nth(1) {
        Some(p) => p
            .parse()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("port {p:?}: {e}")))?,
        None => 7000,
    };
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    println!("echo server listening on {}", listener.local_addr()?);
    reactor::block_on(serve(listener));
    Ok(())
}
