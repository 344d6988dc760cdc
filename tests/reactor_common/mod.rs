//! Helpers shared by the `reactor_*` tests: hand-written tasks (until `#[coroutine]` tasks
//! are used here) and small combinators to chain them.
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::rc::Rc;

use resumable::__private::io_step;
use resumable::net::{TcpListener, TcpStream};
use resumable::reactor::{Wait, Wake};
use resumable::{Coroutine, CoroutineState, Task};
use std::ops::ControlFlow;

/// Runs `first`, then the task `next` makes from its output.
pub fn then<A: Task, B: Task, F: FnOnce(A::Output) -> B>(first: A, next: F) -> Then<A, B, F> {
    Then::First(first, Some(next))
}

pub enum Then<A, B, F> {
    First(A, Option<F>),
    Second(B),
}

impl<A: Task, B: Task, F: FnOnce(A::Output) -> B> Coroutine<Wake> for Then<A, B, F> {
    type Yield = Wait;
    type Return = B::Output;
    fn resume(&mut self, mut wake: Wake) -> CoroutineState<Wait, B::Output> {
        loop {
            match self {
                Then::First(a, f) => match a.resume(wake) {
                    CoroutineState::Yielded(w) => return CoroutineState::Yielded(w),
                    CoroutineState::Complete(out) => {
                        let b = f.take().expect("not resumed after completion")(out);
                        *self = Then::Second(b);
                        wake = Wake::Ready;
                    }
                },
                Then::Second(b) => return b.resume(wake),
            }
        }
    }
}

/// A task that ends at once with `value`.
pub fn ready<T>(value: T) -> Ready<T> {
    Ready(Some(value))
}

pub struct Ready<T>(Option<T>);

impl<T> Coroutine<Wake> for Ready<T> {
    type Yield = Wait;
    type Return = T;
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, T> {
        CoroutineState::Complete(self.0.take().expect("not resumed after completion"))
    }
}

/// A stream shared by two tasks (one reads, one writes).
#[derive(Clone)]
pub struct Shared(pub Rc<TcpStream>);

impl Read for Shared {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self.0).read(buf)
    }
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.0).write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Echoes everything it reads until end of file.
pub struct EchoConn {
    pub stream: TcpStream,
    buf: Box<[u8; 4096]>,
    filled: usize,
    written: usize,
}

impl EchoConn {
    pub fn new(stream: TcpStream) -> Self {
        EchoConn {
            stream,
            buf: Box::new([0; 4096]),
            filled: 0,
            written: 0,
        }
    }
}

impl Coroutine<Wake> for EchoConn {
    type Yield = Wait;
    type Return = io::Result<u64>;
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, io::Result<u64>> {
        let mut total = 0;
        loop {
            if self.written < self.filled {
                match io_step((&self.stream).write(&self.buf[self.written..self.filled])) {
                    ControlFlow::Continue(w) => return CoroutineState::Yielded(w),
                    ControlFlow::Break(Ok(n)) => self.written += n,
                    ControlFlow::Break(Err(e)) => return CoroutineState::Complete(Err(e)),
                }
            } else {
                match io_step((&self.stream).read(&mut self.buf[..])) {
                    ControlFlow::Continue(w) => return CoroutineState::Yielded(w),
                    ControlFlow::Break(Ok(0)) => return CoroutineState::Complete(Ok(total)),
                    ControlFlow::Break(Ok(n)) => {
                        total += n as u64;
                        self.filled = n;
                        self.written = 0;
                    }
                    ControlFlow::Break(Err(e)) => return CoroutineState::Complete(Err(e)),
                }
            }
        }
    }
}

/// Accepts `limit` connections (or forever) and spawns an [`EchoConn`] for each (detached).
pub struct EchoServer {
    pub listener: TcpListener,
    pub limit: Option<usize>,
}

impl Coroutine<Wake> for EchoServer {
    type Yield = Wait;
    type Return = io::Result<()>;
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, io::Result<()>> {
        loop {
            if self.limit == Some(0) {
                return CoroutineState::Complete(Ok(()));
            }
            match io_step(self.listener.accept()) {
                ControlFlow::Continue(w) => return CoroutineState::Yielded(w),
                ControlFlow::Break(Ok((stream, _))) => {
                    resumable::spawn(then(EchoConn::new(stream), |r| {
                        if let Err(e) = &r {
                            eprintln!("echo connection: {e}");
                        }
                        ready(())
                    }))
                    .detach();
                    if let Some(n) = &mut self.limit {
                        *n -= 1;
                    }
                }
                ControlFlow::Break(Err(e)) => return CoroutineState::Complete(Err(e)),
            }
        }
    }
}

/// Bytes that differ by client and position, so a byte in the wrong place shows.
pub fn pattern(client: usize, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(31) ^ client.wrapping_mul(7)) as u8)
        .collect()
}

/// Connects, writes `msg` (from a second task) while reading it back, checks it byte for byte.
pub fn echo_client(addr: SocketAddr, msg: Vec<u8>) -> impl Task<Output = io::Result<()>> {
    then(TcpStream::connect(addr), move |s| {
        let s = Shared(Rc::new(s.expect("connect")));
        let len = msg.len();
        let writer = resumable::spawn(then(
            resumable::net::write_all(s.clone(), msg.clone()),
            |(s, _, r)| {
                r.expect("write_all");
                s.0.shutdown(std::net::Shutdown::Write).expect("shutdown");
                ready(())
            },
        ));
        then(
            resumable::net::read_exact(s, vec![0u8; len]),
            move |(_, buf, r)| {
                let r = r.and_then(|()| {
                    if buf == msg {
                        Ok(())
                    } else {
                        Err(io::Error::other("echo differs"))
                    }
                });
                then(writer, move |w| {
                    w.expect("writer task");
                    ready(r)
                })
            },
        )
    })
}

/// A listener on 127.0.0.1 with an OS-chosen port.
pub fn listener() -> (TcpListener, SocketAddr) {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let a = l.local_addr().expect("local_addr");
    (l, a)
}

/// Open file descriptors of this process.
pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

/// A task that yields `wait` once, then ends with what it was resumed with.
pub fn wait_once(wait: Wait) -> WaitOnce {
    WaitOnce(Some(wait))
}

pub struct WaitOnce(Option<Wait>);

impl Coroutine<Wake> for WaitOnce {
    type Yield = Wait;
    type Return = Wake;
    fn resume(&mut self, wake: Wake) -> CoroutineState<Wait, Wake> {
        match self.0.take() {
            Some(w) => CoroutineState::Yielded(w),
            None => CoroutineState::Complete(wake),
        }
    }
}

/// Reads until end of file; ends with the reader, the bytes and the result.
pub fn read_to_end<R: Read>(reader: R) -> ReadToEnd<R> {
    ReadToEnd(Some((reader, Vec::new())))
}

pub struct ReadToEnd<R>(Option<(R, Vec<u8>)>);

impl<R: Read> Coroutine<Wake> for ReadToEnd<R> {
    type Yield = Wait;
    type Return = (R, Vec<u8>, io::Result<()>);
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, Self::Return> {
        let (r, buf) = self.0.as_mut().expect("not resumed after completion");
        let result = loop {
            let mut chunk = [0u8; 1024];
            match io_step(r.read(&mut chunk)) {
                ControlFlow::Continue(w) => return CoroutineState::Yielded(w),
                ControlFlow::Break(Ok(0)) => break Ok(()),
                ControlFlow::Break(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
                ControlFlow::Break(Err(e)) => break Err(e),
            }
        };
        let (r, buf) = self.0.take().expect("checked above");
        CoroutineState::Complete((r, buf, result))
    }
}

/// A connected pair: (client side, server side).
pub fn tcp_pair() -> (TcpStream, TcpStream) {
    let (l, addr) = listener();
    let accept = resumable::spawn(resumable::net::retry(move || l.accept()));
    let client = resumable::block_on(TcpStream::connect(addr)).expect("connect");
    let (server, _) = resumable::block_on(accept)
        .expect("accept task")
        .expect("accept");
    (client, server)
}
