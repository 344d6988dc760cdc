//! A chat server: every line a client sends goes to all the other clients.
//!
//! ```text
//! cargo run --example chat -- 7001        # serve on 127.0.0.1:7001 (then: nc 127.0.0.1 7001)
//! cargo run --example chat -- demo        # serve on a free port, run three clients, exit
//! ```
//!
//! Tasks: one accept loop; per client a reader (socket → hub) and a writer (its own
//! channel → socket) sharing the stream through an `Rc`; one hub that owns the list of
//! clients and broadcasts. When a client leaves, its reader ends, and dropping the writer's
//! handle cancels the writer, which closes the socket.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use resumable::net::{TcpListener, TcpStream};
use resumable::reactor::{self, channel, Receiver, Sender, Wait, Wake};
use resumable::Task;

enum Event {
    Join(usize, Sender<Rc<str>>),
    Line(usize, String),
    Leave(usize),
}

/// Owns the clients' outboxes; sends each line to every client but its author.
#[resumable::coroutine]
fn hub(events: Receiver<Event>) -> impl Task<Output = ()> {
    let mut clients: BTreeMap<usize, Sender<Rc<str>>> = BTreeMap::new();
    loop {
        // (`let Some(event) = yield_from!(..) else { .. }` in one statement is not
        // accepted by the macro yet.)
        let next = yield_from!(events.recv());
        let Some(event) = next else { break };
        let (from, text): (usize, Rc<str>) = match event {
            Event::Join(id, outbox) => {
                clients.insert(id, outbox);
                (id, format!("* client {id} joined\n").into())
            }
            Event::Leave(id) => {
                clients.remove(&id);
                (id, format!("* client {id} left\n").into())
            }
            Event::Line(id, line) => (id, format!("{id}: {line}\n").into()),
        };
        for (&id, outbox) in &clients {
            if id != from {
                let _ = outbox.send(text.clone()); // a closed outbox: that client is leaving
            }
        }
    }
}

/// Socket → hub, one line at a time.
#[resumable::coroutine]
fn reader(
    id: usize,
    stream: Rc<TcpStream>,
    hub: Sender<Event>,
) -> impl Task<Output = io::Result<()>> {
    let mut buf = [0u8; 1024];
    let mut line = Vec::new();
    loop {
        let n = io!((&*stream).read(&mut buf))?;
        if n == 0 {
            return Ok(());
        }
        for &b in &buf[..n] {
            if b == b'\n' {
                let text = String::from_utf8_lossy(&line).trim_end().to_owned();
                let _ = hub.send(Event::Line(id, text));
                line.clear();
            } else {
                line.push(b);
            }
        }
    }
}

/// Outbox → socket.
#[resumable::coroutine]
fn writer(stream: Rc<TcpStream>, outbox: Receiver<Rc<str>>) -> impl Task<Output = io::Result<()>> {
    while let Some(text) = yield_from!(outbox.recv()) {
        let mut written = 0;
        while written < text.len() {
            written += io!((&*stream).write(&text.as_bytes()[written..]))?;
        }
    }
    Ok(())
}

#[resumable::coroutine]
fn client(id: usize, stream: TcpStream, hub: Sender<Event>) -> impl Task<Output = ()> {
    let stream = Rc::new(stream);
    let (outbox_tx, outbox_rx) = channel();
    let _ = hub.send(Event::Join(id, outbox_tx));
    let writing = reactor::spawn(writer(stream.clone(), outbox_rx));
    if let Err(e) = yield_from!(reader(id, stream, hub.clone())) {
        eprintln!("client {id}: {e}");
    }
    let _ = hub.send(Event::Leave(id));
    drop(writing); // cancels the writer: the last `Rc` of the stream goes, the socket closes
}

#[resumable::coroutine]
fn serve(listener: TcpListener) -> impl Task<Output = io::Result<()>> {
    let (events_tx, events_rx) = channel();
    reactor::spawn(hub(events_rx)).detach();
    let mut next_id = 0;
    loop {
        match io!(listener.accept()) {
            Ok((stream, _)) => {
                next_id += 1;
                reactor::spawn(client(next_id, stream, events_tx.clone())).detach();
            }
            Err(e) => {
                eprintln!("accept: {e}");
                yield_!(Wait::sleep(Duration::from_millis(100)));
            }
        }
    }
}

/// Demo client `name`: says hello after `delay`, prints what it hears for a while.
#[resumable::coroutine]
fn demo_client(
    addr: SocketAddr,
    name: &'static str,
    delay: Duration,
) -> impl Task<Output = io::Result<String>> {
    let stream = yield_from!(TcpStream::connect(addr))?;
    yield_!(Wait::sleep(delay));
    let hello = format!("hello from {name}\n");
    io!((&stream).write(hello.as_bytes()))?;
    let mut heard = Vec::new();
    let mut buf = [0u8; 1024];
    let until = std::time::Instant::now() + Duration::from_millis(300);
    loop {
        match (&stream).read(&mut buf) {
            Ok(0) => break,
            Ok(n) => heard.extend_from_slice(&buf[..n]),
            // By hand what `io!` does, plus a deadline: wait for data, or for `until`.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                let wake = yield_!(stream.readable().with_deadline(until));
                if wake == Wake::Deadline {
                    break;
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(format!(
        "{name} heard:\n{}",
        String::from_utf8_lossy(&heard)
    ))
}

fn main() -> io::Result<()> {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "7001".into());
    if arg == "demo" {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let server = reactor::spawn(serve(listener));
        let names = ["ann", "bob", "cy"];
        let clients: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(i, &name)| {
                reactor::spawn(demo_client(
                    addr,
                    name,
                    Duration::from_millis(50 + 20 * i as u64),
                ))
            })
            .collect();
        for c in clients {
            print!("{}", reactor::block_on(c).map_err(io::Error::from)??);
        }
        server.abort();
        return Ok(());
    }
    let port: u16 = arg
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("port {arg:?}: {e}")))?;
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    println!("chat server on {}", listener.local_addr()?);
    reactor::block_on(serve(listener))
}
