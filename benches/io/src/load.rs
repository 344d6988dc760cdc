//! The load generator: `conns` connections on one mio loop, each sending a `size`-byte
//! message and reading the echo back before sending the next.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

pub enum Until {
    Elapsed(Duration),
    RoundTrips(u64),
}

#[derive(Clone, Debug)]
pub struct Report {
    pub round_trips: u64,
    pub elapsed: Duration,
    pub p50_us: f64,
    pub p99_us: f64,
}

impl Report {
    pub fn rate(&self) -> f64 {
        self.round_trips as f64 / self.elapsed.as_secs_f64()
    }
}

struct Conn {
    stream: TcpStream,
    sent: usize,
    received: usize,
    started: Instant,
}

pub fn run(addr: SocketAddr, conns: usize, size: usize, until: Until) -> Report {
    let mut poll = Poll::new().expect("poll");
    let mut events = Events::with_capacity(1024);
    let msg: Vec<u8> = (0..size).map(|i| i as u8).collect();
    let mut buf = vec![0u8; size.max(16 << 10)];
    let mut cs: Vec<Conn> = Vec::with_capacity(conns);
    for i in 0..conns {
        // Blocking connect, then non-blocking: the accept backlog absorbs the burst.
        let s = std::net::TcpStream::connect(addr).expect("connect");
        s.set_nodelay(true).unwrap();
        s.set_nonblocking(true).unwrap();
        let mut stream = TcpStream::from_std(s);
        poll.registry()
            .register(
                &mut stream,
                Token(i),
                Interest::READABLE | Interest::WRITABLE,
            )
            .unwrap();
        cs.push(Conn {
            stream,
            sent: 0,
            received: 0,
            started: Instant::now(),
        });
    }
    let mut latencies: Vec<u32> = Vec::with_capacity(1 << 20);
    let mut round_trips = 0u64;
    let start = Instant::now();
    let (deadline, limit) = match until {
        Until::Elapsed(d) => (Some(start + d), u64::MAX),
        Until::RoundTrips(n) => (None, n),
    };
    // Kick every connection off.
    for c in cs.iter_mut() {
        c.started = Instant::now();
        pump(c, &msg, &mut buf, &mut latencies, &mut round_trips).expect("io");
    }
    'outer: loop {
        poll.poll(&mut events, Some(Duration::from_millis(100)))
            .expect("poll");
        for ev in events.iter() {
            let c = &mut cs[ev.token().0];
            pump(c, &msg, &mut buf, &mut latencies, &mut round_trips).expect("io");
            if round_trips >= limit {
                break 'outer;
            }
        }
        if let Some(d) = deadline {
            if Instant::now() >= d {
                break;
            }
        }
    }
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    Report {
        round_trips,
        elapsed,
        p50_us: pct(0.5),
        p99_us: pct(0.99),
    }
}

/// Advances one connection as far as it goes without blocking.
fn pump(
    c: &mut Conn,
    msg: &[u8],
    buf: &mut [u8],
    lat: &mut Vec<u32>,
    rts: &mut u64,
) -> io::Result<()> {
    loop {
        if c.sent < msg.len() {
            match c.stream.write(&msg[c.sent..]) {
                Ok(n) => c.sent += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) => return Err(e),
            }
            continue;
        }
        match c.stream.read(&mut buf[..msg.len() - c.received]) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                c.received += n;
                if c.received == msg.len() {
                    lat.push(c.started.elapsed().as_nanos().min(u32::MAX as u128) as u32);
                    *rts += 1;
                    c.sent = 0;
                    c.received = 0;
                    c.started = Instant::now();
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}
