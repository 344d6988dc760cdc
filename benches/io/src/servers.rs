//! The three echo servers, each single-threaded, each with a 16 KiB buffer per connection,
//! `TCP_NODELAY`, and the same loop: read what is there, write it all back.

use std::io::{self, Read, Write};

pub fn serve(kind: &str, listener: std::net::TcpListener) {
    match kind {
        "ours" => ours::serve(listener),
        #[cfg(feature = "interop")]
        "ours-on-tokio" => ours::serve_on_tokio(listener),
        "tokio" => tokio_ct::serve(listener),
        "mio" => raw_mio::serve(listener),
        other => panic!("unknown server {other:?}: ours, tokio, mio (or ours-on-tokio, with --features interop)"),
    }
}

const BUF: usize = 16 << 10;

mod ours {
    use super::*;
    use resumable::net::{TcpListener, TcpStream};
    use resumable::reactor;
    use resumable::Task;

    #[resumable::coroutine]
    fn conn(stream: TcpStream) -> impl Task<Output = io::Result<()>> {
        let mut buf = vec![0u8; BUF];
        loop {
            let n = io!((&stream).read(&mut buf))?;
            if n == 0 {
                return Ok(());
            }
            let mut w = 0;
            while w < n {
                w += io!((&stream).write(&buf[w..n]))?;
            }
        }
    }

    #[resumable::coroutine]
    fn accept_loop(listener: TcpListener) -> impl Task<Output = io::Result<()>> {
        loop {
            let (s, _) = io!(listener.accept())?;
            s.set_nodelay(true)?;
            reactor::spawn(conn(s)).detach();
        }
    }

    pub fn serve(l: std::net::TcpListener) {
        let l = TcpListener::from_std(l).expect("register");
        reactor::block_on(accept_loop(l)).expect("accept");
    }

    /// The same tasks as tokio tasks (`reactor::tokio::TaskFuture`) on tokio current_thread,
    /// with IO only, as the tokio server (the echo tasks have no deadline).
    #[cfg(feature = "interop")]
    pub fn serve_on_tokio(l: std::net::TcpListener) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        let l = TcpListener::from_std(l).expect("register");
        let local = tokio::task::LocalSet::new();
        let serve = reactor::tokio::TaskFuture::new(accept_loop(l));
        local.block_on(&rt, serve).expect("accept");
    }
}

mod tokio_ct {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    pub fn serve(l: std::net::TcpListener) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        rt.block_on(async move {
            l.set_nonblocking(true).unwrap();
            let l = tokio::net::TcpListener::from_std(l).unwrap();
            loop {
                let (mut s, _) = l.accept().await.expect("accept");
                s.set_nodelay(true).unwrap();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; BUF];
                    loop {
                        let n = match s.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        if s.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                });
            }
        })
    }
}

mod raw_mio {
    use super::*;
    use mio::net::{TcpListener, TcpStream};
    use mio::{Events, Interest, Poll, Token};

    struct Conn {
        s: TcpStream,
        buf: Box<[u8]>,
        /// Bytes read but not yet written back: `buf[w..n]`.
        n: usize,
        w: usize,
    }

    const LISTENER: Token = Token(usize::MAX);

    pub fn serve(l: std::net::TcpListener) {
        l.set_nonblocking(true).unwrap();
        let mut l = TcpListener::from_std(l);
        let mut poll = Poll::new().unwrap();
        poll.registry()
            .register(&mut l, LISTENER, Interest::READABLE)
            .unwrap();
        let mut events = Events::with_capacity(1024);
        let mut conns: Vec<Option<Conn>> = Vec::new();
        let mut free: Vec<usize> = Vec::new();
        loop {
            poll.poll(&mut events, None).unwrap();
            for ev in events.iter() {
                if ev.token() == LISTENER {
                    loop {
                        match l.accept() {
                            Ok((mut s, _)) => {
                                s.set_nodelay(true).unwrap();
                                let i = free.pop().unwrap_or_else(|| {
                                    conns.push(None);
                                    conns.len() - 1
                                });
                                poll.registry()
                                    .register(
                                        &mut s,
                                        Token(i),
                                        Interest::READABLE | Interest::WRITABLE,
                                    )
                                    .unwrap();
                                conns[i] = Some(Conn {
                                    s,
                                    buf: vec![0; BUF].into(),
                                    n: 0,
                                    w: 0,
                                });
                            }
                            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                            Err(e) => panic!("accept: {e}"),
                        }
                    }
                    continue;
                }
                let i = ev.token().0;
                let Some(c) = conns[i].as_mut() else { continue };
                if !pump(c) {
                    let mut c = conns[i].take().unwrap();
                    let _ = poll.registry().deregister(&mut c.s);
                    free.push(i);
                }
            }
        }
    }

    /// Echoes until `WouldBlock` or a short read; false once the connection is done.
    fn pump(c: &mut Conn) -> bool {
        loop {
            while c.w < c.n {
                match c.s.write(&c.buf[c.w..c.n]) {
                    Ok(k) => c.w += k,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                    Err(_) => return false,
                }
            }
            match c.s.read(&mut c.buf) {
                Ok(0) => return false,
                Ok(k) => {
                    c.n = k;
                    c.w = 0;
                    let short = k < c.buf.len();
                    while c.w < c.n {
                        match c.s.write(&c.buf[c.w..c.n]) {
                            Ok(k) => c.w += k,
                            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                            Err(_) => return false,
                        }
                    }
                    if short {
                        return true; // drained: wait for the next event
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                Err(_) => return false,
            }
        }
    }
}
