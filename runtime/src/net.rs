//! Non-blocking TCP and UDP sockets registered with this thread's reactor, and the tasks
//! that compose IO calls (`read_exact`, `write_all`, `retry`).
//!
//! Every call here is non-blocking: it either completes or fails with
//! [`io::ErrorKind::WouldBlock`], having told the reactor what it waits for. Inside a
//! `#[resumable::coroutine]` task, wrap the call in `io!(..)` to wait and retry; in a
//! hand-written task, use [`retry`], or look at how [`ReadExact`] does it.
//!
//! A socket registers on creation and deregisters when dropped, which closes it. (An error
//! while deregistering in `drop` is ignored: there is no caller to give it to, and closing
//! the descriptor removes it from the poller anyway. Every other error is returned, with the
//! OS error in it.)
//!
//! # Examples
//!
//! An echo round trip on loopback, with hand-written tasks (with the macro, each of these
//! is a few lines of `io!` calls):
//!
//! ```
//! use resumable_runtime::net::{read_exact, retry, write_all, TcpListener, TcpStream};
//! use resumable_runtime::reactor::{block_on, spawn};
//! use std::io::{Read, Write};
//!
//! let listener = TcpListener::bind("127.0.0.1:0").unwrap();
//! let addr = listener.local_addr().unwrap();
//! let server = spawn(retry(move || listener.accept()));
//! let client = block_on(TcpStream::connect(addr)).unwrap();
//! let (conn, _) = block_on(server).unwrap().unwrap();
//!
//! let (client, _, r) = block_on(write_all(client, *b"ping"));
//! r.unwrap();
//! let (_conn, buf, r) = block_on(read_exact(conn, [0u8; 4]));
//! r.unwrap();
//! assert_eq!(&buf, b"ping");
//! # drop(client);
//! ```

use core::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};

use crate::__private::io_step;
use crate::reactor::{Direction, Source, Wait, Wake};
use crate::{Coroutine, CoroutineState};
use core::ops::ControlFlow;

/// Tries `f` on each address until one succeeds, returning the last error otherwise.
fn each_addr<T>(
    addr: impl ToSocketAddrs,
    mut f: impl FnMut(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let mut last = None;
    for a in addr.to_socket_addrs()? {
        match f(a) {
            Ok(t) => return Ok(t),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no address to use")))
}

/// A TCP socket listening for connections.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::TcpListener;
/// let listener = TcpListener::bind("127.0.0.1:0").unwrap();
/// assert!(listener.local_addr().unwrap().port() != 0);
/// // Nobody connected: accepting would block.
/// assert_eq!(listener.accept().unwrap_err().kind(), std::io::ErrorKind::WouldBlock);
/// ```
pub struct TcpListener {
    src: Source<mio::net::TcpListener>,
}

impl TcpListener {
    /// Binds to `addr` (the first of its addresses that works) and listens, with
    /// `SO_REUSEADDR` set and a backlog of 1024. Resolving a host name blocks.
    ///
    /// # Errors
    ///
    /// The OS error of the last address tried (address in use, permission denied, ...).
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpListener;
    /// let a = TcpListener::bind("127.0.0.1:0").unwrap();
    /// let taken = a.local_addr().unwrap();
    /// assert_eq!(
    ///     TcpListener::bind(taken).err().unwrap().kind(),
    ///     std::io::ErrorKind::AddrInUse
    /// );
    /// ```
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<TcpListener> {
        let l = each_addr(addr, |a| {
            use socket2::{Domain, Socket, Type};
            let s = Socket::new(Domain::for_address(a), Type::STREAM, None)?;
            s.set_reuse_address(true)?;
            s.set_nonblocking(true)?;
            s.bind(&a.into())?;
            s.listen(1024)?;
            Ok(mio::net::TcpListener::from_std(s.into()))
        })?;
        Ok(TcpListener {
            src: Source::new(l, mio::Interest::READABLE, false)?,
        })
    }

    /// Takes over a listener made with std (or any library that hands one out), switching
    /// it to non-blocking mode and registering it with this thread's reactor.
    ///
    /// # Errors
    ///
    /// The OS error of `fcntl` or of the registration.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpListener;
    /// let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// let addr = std_listener.local_addr().unwrap();
    /// let l = TcpListener::from_std(std_listener).unwrap();
    /// assert_eq!(l.local_addr().unwrap(), addr);
    /// ```
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        let l = mio::net::TcpListener::from_std(listener);
        Ok(TcpListener {
            src: Source::new(l, mio::Interest::READABLE, false)?,
        })
    }

    /// Accepts a pending connection, registering it with this thread's reactor.
    ///
    /// # Errors
    ///
    /// `WouldBlock` when no connection is pending (in a task: `io!(listener.accept())`),
    /// or the OS error, e.g. `EMFILE` when out of file descriptors: a server should then
    /// back off for a moment and accept again, as `examples/echo_server.rs` does.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::{retry, TcpListener, TcpStream};
    /// use resumable_runtime::reactor::block_on;
    /// let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    /// let client = block_on(TcpStream::connect(listener.local_addr().unwrap())).unwrap();
    /// let (conn, peer) = block_on(retry(move || listener.accept())).unwrap();
    /// assert_eq!(peer, client.local_addr().unwrap());
    /// # drop(conn);
    /// ```
    pub fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (s, peer) = self.src.do_io(Direction::Read, |l| l.accept())?;
        Ok((TcpStream::from_mio(s, true)?, peer))
    }

    /// The address this listener is bound to.
    ///
    /// # Errors
    ///
    /// The OS error of `getsockname`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpListener;
    /// let l = TcpListener::bind("127.0.0.1:0").unwrap();
    /// assert!(l.local_addr().unwrap().ip().is_loopback());
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.src.get().local_addr()
    }

    /// A wait request for a connection to accept: `yield_!(listener.readable())`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpListener;
    /// let l = TcpListener::bind("127.0.0.1:0").unwrap();
    /// assert!(format!("{:?}", l.readable()).contains("readable"));
    /// ```
    pub fn readable(&self) -> Wait {
        self.src.wait(Direction::Read)
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("local_addr", &self.local_addr().ok())
            .finish()
    }
}

/// A TCP connection. Read and write it through [`Read`]/[`Write`] on `TcpStream` or on
/// `&TcpStream` (so two tasks can share one through an `Rc`, one reading, one writing).
///
/// Reads follow the short-read rule: a read that fills less than the buffer has drained the
/// socket, so the next read waits for the OS to report new data instead of making a syscall
/// that would only say `WouldBlock`.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::{TcpListener, TcpStream};
/// use resumable_runtime::reactor::block_on;
/// use std::io::Read;
///
/// let listener = TcpListener::bind("127.0.0.1:0").unwrap();
/// let mut s = block_on(TcpStream::connect(listener.local_addr().unwrap())).unwrap();
/// let mut buf = [0u8; 8];
/// // Nothing was sent: the read would block.
/// assert_eq!(s.read(&mut buf).unwrap_err().kind(), std::io::ErrorKind::WouldBlock);
/// ```
pub struct TcpStream {
    src: Source<mio::net::TcpStream>,
}

impl TcpStream {
    /// Registers a stream; `connected` is false while a `connect` is in progress.
    fn from_mio(s: mio::net::TcpStream, connected: bool) -> io::Result<TcpStream> {
        let interest = mio::Interest::READABLE | mio::Interest::WRITABLE;
        Ok(TcpStream {
            src: Source::new(s, interest, connected)?,
        })
    }

    /// Takes over a connected stream made with std, switching it to non-blocking mode and
    /// registering it with this thread's reactor.
    ///
    /// # Errors
    ///
    /// The OS error of `fcntl` or of the registration.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpStream;
    /// let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// let s = std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap();
    /// let s = TcpStream::from_std(s).unwrap();
    /// assert_eq!(s.peer_addr().unwrap(), l.local_addr().unwrap());
    /// ```
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::from_mio(mio::net::TcpStream::from_std(stream), true)
    }

    /// A task that connects to `addr` and ends with the connected stream.
    ///
    /// # Errors
    ///
    /// The OS error of the connection attempt, e.g. `ConnectionRefused`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::{TcpListener, TcpStream};
    /// use resumable_runtime::reactor::block_on;
    /// let l = TcpListener::bind("127.0.0.1:0").unwrap();
    /// let addr = l.local_addr().unwrap();
    /// let s = block_on(TcpStream::connect(addr)).unwrap();
    /// assert_eq!(s.peer_addr().unwrap(), addr);
    /// drop(l);
    /// let refused = block_on(TcpStream::connect(addr)).unwrap_err();
    /// assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    /// ```
    pub fn connect(addr: SocketAddr) -> Connect {
        Connect { addr, stream: None }
    }

    /// The address of the peer.
    ///
    /// # Errors
    ///
    /// `NotConnected`, or another OS error of `getpeername`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpStream;
    /// let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// let s = TcpStream::from_std(std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap()).unwrap();
    /// assert_eq!(s.peer_addr().unwrap(), l.local_addr().unwrap());
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.src.get().peer_addr()
    }

    /// The local address of this end.
    ///
    /// # Errors
    ///
    /// The OS error of `getsockname`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpStream;
    /// let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// let s = TcpStream::from_std(std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap()).unwrap();
    /// assert!(s.local_addr().unwrap().ip().is_loopback());
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.src.get().local_addr()
    }

    /// Shuts down the reading half, the writing half (the peer reads end-of-file) or both.
    ///
    /// # Errors
    ///
    /// The OS error of `shutdown`, e.g. `NotConnected`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::{retry, TcpListener, TcpStream};
    /// use resumable_runtime::reactor::block_on;
    /// use std::io::Read;
    /// let l = TcpListener::bind("127.0.0.1:0").unwrap();
    /// let c = block_on(TcpStream::connect(l.local_addr().unwrap())).unwrap();
    /// let (s, _) = block_on(retry(move || l.accept())).unwrap();
    /// c.shutdown(std::net::Shutdown::Write).unwrap();
    /// let n = block_on(retry(move || (&s).read(&mut [0u8; 4]))).unwrap();
    /// assert_eq!(n, 0); // end of file
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.src.get().shutdown(how)
    }

    /// Sets `TCP_NODELAY` (no Nagle delay for small writes).
    ///
    /// # Errors
    ///
    /// The OS error of `setsockopt`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::{TcpListener, TcpStream};
    /// use resumable_runtime::reactor::block_on;
    /// let l = TcpListener::bind("127.0.0.1:0").unwrap();
    /// let s = block_on(TcpStream::connect(l.local_addr().unwrap())).unwrap();
    /// s.set_nodelay(true).unwrap();
    /// assert!(s.nodelay().unwrap());
    /// ```
    pub fn set_nodelay(&self, on: bool) -> io::Result<()> {
        self.src.get().set_nodelay(on)
    }

    /// Whether `TCP_NODELAY` is set.
    ///
    /// # Errors
    ///
    /// The OS error of `getsockopt`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpStream;
    /// let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// let s = TcpStream::from_std(std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap()).unwrap();
    /// s.set_nodelay(false).unwrap();
    /// assert!(!s.nodelay().unwrap());
    /// ```
    pub fn nodelay(&self) -> io::Result<bool> {
        self.src.get().nodelay()
    }

    /// Takes the pending socket error (`SO_ERROR`), if any.
    ///
    /// # Errors
    ///
    /// The OS error of `getsockopt`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::{TcpListener, TcpStream};
    /// use resumable_runtime::reactor::block_on;
    /// let l = TcpListener::bind("127.0.0.1:0").unwrap();
    /// let s = block_on(TcpStream::connect(l.local_addr().unwrap())).unwrap();
    /// assert!(s.take_error().unwrap().is_none());
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.src.get().take_error()
    }

    /// A wait request for data to read: `yield_!(stream.readable())`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpStream;
    /// let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// let s = TcpStream::from_std(std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap()).unwrap();
    /// assert!(format!("{:?}", s.readable()).contains("readable"));
    /// ```
    pub fn readable(&self) -> Wait {
        self.src.wait(Direction::Read)
    }

    /// A wait request for room to write: `yield_!(stream.writable())`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::TcpStream;
    /// let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// let s = TcpStream::from_std(std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap()).unwrap();
    /// assert!(format!("{:?}", s.writable()).contains("writable"));
    /// ```
    pub fn writable(&self) -> Wait {
        self.src.wait(Direction::Write)
    }
}

impl Read for &TcpStream {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let src = &self.src;
        if !src.is_ready(Direction::Read) {
            return Err(src.blocked(Direction::Read));
        }
        match (&mut src.get()).read(buf) {
            // Short read: the socket is drained; the next read waits for an event.
            Ok(n) if n > 0 && n < buf.len() => {
                src.clear(Direction::Read);
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                src.clear(Direction::Read);
                Err(src.blocked(Direction::Read))
            }
            r => r,
        }
    }
}

impl Write for &TcpStream {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.src.do_io(Direction::Write, |s| (&mut &*s).write(buf))
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.src
            .do_io(Direction::Write, |s| (&mut &*s).write_vectored(bufs))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for TcpStream {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buf)
    }
}

impl Write for TcpStream {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self).write(buf)
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        (&*self).write_vectored(bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("local_addr", &self.local_addr().ok())
            .field("peer_addr", &self.peer_addr().ok())
            .finish()
    }
}

/// The task [`TcpStream::connect`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::{Connect, TcpStream};
/// use resumable_runtime::reactor::block_on;
/// let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
/// let connect: Connect = TcpStream::connect(l.local_addr().unwrap());
/// assert!(block_on(connect).is_ok());
/// ```
#[derive(Debug)]
pub struct Connect {
    addr: SocketAddr,
    stream: Option<TcpStream>,
}

impl Coroutine<Wake> for Connect {
    type Yield = Wait;
    type Return = io::Result<TcpStream>;

    /// # Panics
    ///
    /// When resumed after it ended.
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, io::Result<TcpStream>> {
        let stream = match self.stream.take() {
            Some(s) => s,
            None => match mio::net::TcpStream::connect(self.addr)
                .and_then(|s| TcpStream::from_mio(s, false))
            {
                Ok(s) => s,
                Err(e) => return CoroutineState::Complete(Err(e)),
            },
        };
        // Connected (or failed) once the socket is writable: see connect(2), EINPROGRESS.
        if !stream.src.is_ready(Direction::Write) {
            let wait = stream.writable();
            self.stream = Some(stream);
            return CoroutineState::Yielded(wait);
        }
        match stream.take_error() {
            Ok(Some(e)) | Err(e) => return CoroutineState::Complete(Err(e)),
            Ok(None) => {}
        }
        match stream.peer_addr() {
            Ok(_) => CoroutineState::Complete(Ok(stream)),
            Err(e) if e.kind() == io::ErrorKind::NotConnected => {
                stream.src.clear(Direction::Write);
                let wait = stream.writable();
                self.stream = Some(stream);
                CoroutineState::Yielded(wait)
            }
            Err(e) => CoroutineState::Complete(Err(e)),
        }
    }
}

/// A UDP socket.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::{retry, UdpSocket};
/// use resumable_runtime::reactor::block_on;
///
/// let a = UdpSocket::bind("127.0.0.1:0").unwrap();
/// let b = UdpSocket::bind("127.0.0.1:0").unwrap();
/// let to = b.local_addr().unwrap();
/// block_on(retry(move || a.send_to(b"hi", to))).unwrap();
/// let mut buf = [0u8; 16];
/// let (n, _from) = block_on(retry(move || b.recv_from(&mut buf).map(|r| (r.0, r.1)))).unwrap();
/// assert_eq!(n, 2);
/// ```
pub struct UdpSocket {
    src: Source<mio::net::UdpSocket>,
}

impl UdpSocket {
    /// Binds a UDP socket to `addr` (the first of its addresses that works).
    ///
    /// # Errors
    ///
    /// The OS error of the last address tried.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::UdpSocket;
    /// let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// assert!(s.local_addr().unwrap().port() != 0);
    /// ```
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<UdpSocket> {
        let s = each_addr(addr, mio::net::UdpSocket::bind)?;
        Ok(UdpSocket {
            src: Source::new(s, mio::Interest::READABLE | mio::Interest::WRITABLE, true)?,
        })
    }

    /// Sends a datagram to `target`.
    ///
    /// # Errors
    ///
    /// `WouldBlock` (in a task: `io!(socket.send_to(..))`), or the OS error.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::UdpSocket;
    /// let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// // A new socket may send at once; no readiness event is needed first.
    /// assert_eq!(a.send_to(b"hi", b.local_addr().unwrap()).unwrap(), 2);
    /// ```
    pub fn send_to(&self, buf: &[u8], target: SocketAddr) -> io::Result<usize> {
        self.src.do_io(Direction::Write, |s| s.send_to(buf, target))
    }

    /// Receives a datagram, and the address it came from.
    ///
    /// # Errors
    ///
    /// `WouldBlock` (in a task: `io!(socket.recv_from(&mut buf))`), or the OS error.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::{retry, UdpSocket};
    /// use resumable_runtime::reactor::block_on;
    /// let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// let from = a.local_addr().unwrap();
    /// a.send_to(b"hi", b.local_addr().unwrap()).unwrap();
    /// let mut buf = [0u8; 8];
    /// assert_eq!(block_on(retry(move || b.recv_from(&mut buf))).unwrap(), (2, from));
    /// ```
    pub fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.src.do_io(Direction::Read, |s| s.recv_from(buf))
    }

    /// Sets the default peer for [`send`](UdpSocket::send) and filters what
    /// [`recv`](UdpSocket::recv) receives.
    ///
    /// # Errors
    ///
    /// The OS error of `connect`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::{retry, UdpSocket};
    /// use resumable_runtime::reactor::block_on;
    /// let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// a.connect(b.local_addr().unwrap()).unwrap();
    /// b.connect(a.local_addr().unwrap()).unwrap();
    /// block_on(retry(move || a.send(b"x"))).unwrap();
    /// assert_eq!(block_on(retry(move || b.recv(&mut [0u8; 4]))).unwrap(), 1);
    /// ```
    pub fn connect(&self, addr: SocketAddr) -> io::Result<()> {
        self.src.get().connect(addr)
    }

    /// Sends a datagram to the connected peer.
    ///
    /// # Errors
    ///
    /// `WouldBlock`, `NotConnected` or another OS error.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::UdpSocket;
    /// let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// a.connect(b.local_addr().unwrap()).unwrap();
    /// assert_eq!(a.send(b"x").unwrap(), 1);
    /// ```
    pub fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.src.do_io(Direction::Write, |s| s.send(buf))
    }

    /// Receives a datagram from the connected peer.
    ///
    /// # Errors
    ///
    /// `WouldBlock` or another OS error.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::{retry, UdpSocket};
    /// use resumable_runtime::reactor::block_on;
    /// let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// b.connect(a.local_addr().unwrap()).unwrap();
    /// a.send_to(b"xy", b.local_addr().unwrap()).unwrap();
    /// assert_eq!(block_on(retry(move || b.recv(&mut [0u8; 4]))).unwrap(), 2);
    /// ```
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.src.do_io(Direction::Read, |s| s.recv(buf))
    }

    /// The address this socket is bound to.
    ///
    /// # Errors
    ///
    /// The OS error of `getsockname`.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::UdpSocket;
    /// let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// assert!(s.local_addr().unwrap().ip().is_loopback());
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.src.get().local_addr()
    }

    /// A wait request for a datagram to read.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::UdpSocket;
    /// let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// assert!(format!("{:?}", s.readable()).contains("readable"));
    /// ```
    pub fn readable(&self) -> Wait {
        self.src.wait(Direction::Read)
    }

    /// A wait request for room to send.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::UdpSocket;
    /// let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    /// assert!(format!("{:?}", s.writable()).contains("writable"));
    /// ```
    pub fn writable(&self) -> Wait {
        self.src.wait(Direction::Write)
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket")
            .field("local_addr", &self.local_addr().ok())
            .finish()
    }
}

/// A task that runs the non-blocking call `f` until it does not fail with `WouldBlock`,
/// waiting between attempts for what blocked it; ends with that result. What `io!(call)`
/// does inside a `#[resumable::coroutine]` task, for hand-written code.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::{retry, TcpListener, TcpStream};
/// use resumable_runtime::reactor::{block_on, spawn};
/// let listener = TcpListener::bind("127.0.0.1:0").unwrap();
/// let addr = listener.local_addr().unwrap();
/// let accept = spawn(retry(move || listener.accept().map(|(_, peer)| peer)));
/// let client = block_on(TcpStream::connect(addr)).unwrap();
/// assert_eq!(block_on(accept).unwrap().unwrap(), client.local_addr().unwrap());
/// ```
pub fn retry<T, F: FnMut() -> io::Result<T>>(f: F) -> Retry<F> {
    Retry(f)
}

/// The task [`retry`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::{retry, Retry};
/// use resumable_runtime::reactor::block_on;
/// let r: Retry<_> = retry(|| Ok::<_, std::io::Error>(5));
/// assert_eq!(block_on(r).unwrap(), 5);
/// ```
#[derive(Clone, Debug)]
pub struct Retry<F>(F);

impl<T, F: FnMut() -> io::Result<T>> Coroutine<Wake> for Retry<F> {
    type Yield = Wait;
    type Return = io::Result<T>;

    #[inline]
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, io::Result<T>> {
        match io_step((self.0)()) {
            ControlFlow::Break(r) => CoroutineState::Complete(r),
            ControlFlow::Continue(wait) => CoroutineState::Yielded(wait),
        }
    }
}

/// A task that fills `buf` from `reader`, and ends with both and the result: `Ok(())`, or
/// the first error (`UnexpectedEof` if the stream ended first). They are owned, so the task
/// holds no borrow across its yields; `reader` may be a `TcpStream`, a `&TcpStream`, an
/// `Rc`-shared stream's `&*rc`...
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::read_exact;
/// use resumable_runtime::reactor::block_on;
/// // Any `Read` works; a byte slice never blocks.
/// let (rest, buf, r) = block_on(read_exact(&b"abcdef"[..], [0u8; 4]));
/// r.unwrap();
/// assert_eq!((&buf, rest), (b"abcd", &b"ef"[..]));
/// ```
pub fn read_exact<R: Read, B: AsMut<[u8]>>(reader: R, buf: B) -> ReadExact<R, B> {
    ReadExact {
        io: Some((reader, buf)),
        pos: 0,
    }
}

/// The task [`read_exact`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::{read_exact, ReadExact};
/// use resumable_runtime::reactor::block_on;
/// let task: ReadExact<&[u8], [u8; 4]> = read_exact(&b"ab"[..], [0u8; 4]);
/// let (_, _, r) = block_on(task);
/// assert_eq!(r.unwrap_err().kind(), std::io::ErrorKind::UnexpectedEof);
/// ```
#[derive(Debug)]
pub struct ReadExact<R, B> {
    io: Option<(R, B)>,
    pos: usize,
}

impl<R: Read, B: AsMut<[u8]>> Coroutine<Wake> for ReadExact<R, B> {
    type Yield = Wait;
    type Return = (R, B, io::Result<()>);

    /// # Panics
    ///
    /// When resumed after it ended.
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, (R, B, io::Result<()>)> {
        let (reader, buf) = self
            .io
            .as_mut()
            .expect("`ReadExact` resumed after it ended");
        let result = loop {
            let b = buf.as_mut();
            if self.pos == b.len() {
                break Ok(());
            }
            match io_step(reader.read(&mut b[self.pos..])) {
                ControlFlow::Continue(wait) => return CoroutineState::Yielded(wait),
                ControlFlow::Break(Ok(0)) => break Err(io::ErrorKind::UnexpectedEof.into()),
                ControlFlow::Break(Ok(n)) => self.pos += n,
                ControlFlow::Break(Err(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                ControlFlow::Break(Err(e)) => break Err(e),
            }
        };
        let (reader, buf) = self.io.take().expect("checked above");
        CoroutineState::Complete((reader, buf, result))
    }
}

/// A task that writes all of `buf` to `writer`, and ends with both and the result: `Ok(())`
/// or the first error (`WriteZero` if the writer stops taking bytes).
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::write_all;
/// use resumable_runtime::reactor::block_on;
/// let (out, _, r) = block_on(write_all(Vec::new(), *b"hello"));
/// r.unwrap();
/// assert_eq!(out, b"hello");
/// ```
pub fn write_all<W: Write, B: AsRef<[u8]>>(writer: W, buf: B) -> WriteAll<W, B> {
    WriteAll {
        io: Some((writer, buf)),
        pos: 0,
    }
}

/// The task [`write_all`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::{write_all, WriteAll};
/// use resumable_runtime::reactor::block_on;
/// let task: WriteAll<Vec<u8>, &str> = write_all(Vec::new(), "abc");
/// assert_eq!(block_on(task).0, b"abc");
/// ```
#[derive(Debug)]
pub struct WriteAll<W, B> {
    io: Option<(W, B)>,
    pos: usize,
}

impl<W: Write, B: AsRef<[u8]>> Coroutine<Wake> for WriteAll<W, B> {
    type Yield = Wait;
    type Return = (W, B, io::Result<()>);

    /// # Panics
    ///
    /// When resumed after it ended.
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, (W, B, io::Result<()>)> {
        let (writer, buf) = self.io.as_mut().expect("`WriteAll` resumed after it ended");
        let result = loop {
            let b = buf.as_ref();
            if self.pos == b.len() {
                break Ok(());
            }
            match io_step(writer.write(&b[self.pos..])) {
                ControlFlow::Continue(wait) => return CoroutineState::Yielded(wait),
                ControlFlow::Break(Ok(0)) => break Err(io::ErrorKind::WriteZero.into()),
                ControlFlow::Break(Ok(n)) => self.pos += n,
                ControlFlow::Break(Err(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                ControlFlow::Break(Err(e)) => break Err(e),
            }
        };
        let (writer, buf) = self.io.take().expect("checked above");
        CoroutineState::Complete((writer, buf, result))
    }
}

/// A buffer in front of a reader, for reading lines: [`BufReader::read_line`] is a task that
/// owns the reader while it runs and hands it back, with whatever it read past the line still
/// buffered inside.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::{write_all, BufReader, TcpStream};
/// use resumable_runtime::reactor::block_on;
///
/// let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
/// let client = TcpStream::from_std(std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap()).unwrap();
/// let server = TcpStream::from_std(l.accept().unwrap().0).unwrap();
/// let (client, _, r) = block_on(write_all(client, *b"one\ntwo\nthree"));
/// drop(client); // end of file after "three"
/// r.unwrap();
/// let lines = BufReader::new(server);
/// let (lines, first) = block_on(lines.read_line());
/// assert_eq!(first.unwrap().as_deref(), Some("one\n"));
/// let (lines, second) = block_on(lines.read_line());
/// assert_eq!(second.unwrap().as_deref(), Some("two\n"));
/// let (lines, last) = block_on(lines.read_line());
/// assert_eq!(last.unwrap().as_deref(), Some("three")); // end of file ends the last line
/// let (_, end) = block_on(lines.read_line());
/// assert_eq!(end.unwrap(), None);
/// ```
#[derive(Debug)]
pub struct BufReader<R> {
    inner: R,
    buf: std::boxed::Box<[u8]>,
    pos: usize,
    filled: usize,
}

impl<R: Read> BufReader<R> {
    /// A reader with an 8 KiB buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = resumable_runtime::net::BufReader::new(&b"abc"[..]);
    /// assert_eq!(r.buffer(), b"");
    /// ```
    pub fn new(inner: R) -> BufReader<R> {
        BufReader {
            inner,
            buf: std::vec![0u8; 8 << 10].into_boxed_slice(),
            pos: 0,
            filled: 0,
        }
    }

    /// The bytes read from the inner reader and not yet consumed.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::BufReader;
    /// use resumable_runtime::reactor::block_on;
    /// let (r, line) = block_on(BufReader::new(&b"a\nb"[..]).read_line());
    /// assert_eq!(line.unwrap().as_deref(), Some("a\n"));
    /// assert_eq!(r.buffer(), b"b");
    /// ```
    pub fn buffer(&self) -> &[u8] {
        &self.buf[self.pos..self.filled]
    }

    /// The inner reader; the buffered bytes are lost.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = resumable_runtime::net::BufReader::new(&b"abc"[..]);
    /// assert_eq!(r.into_inner(), b"abc");
    /// ```
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// A task that reads one line, `\n` included, and ends with the reader and
    /// `Ok(Some(line))`, or `Ok(None)` at end of file. A last line without `\n` is returned
    /// as it is.
    ///
    /// # Errors
    ///
    /// The reader's error, or `InvalidData` if the line is not UTF-8.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::net::BufReader;
    /// use resumable_runtime::reactor::block_on;
    /// let (_, line) = block_on(BufReader::new(&b"hi\n"[..]).read_line());
    /// assert_eq!(line.unwrap().as_deref(), Some("hi\n"));
    /// ```
    pub fn read_line(self) -> ReadLine<R> {
        ReadLine {
            reader: Some(self),
            line: std::vec::Vec::new(),
        }
    }
}

/// The task [`BufReader::read_line`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::net::{BufReader, ReadLine};
/// use resumable_runtime::reactor::block_on;
/// let task: ReadLine<&[u8]> = BufReader::new(&[0xff, b'\n'][..]).read_line();
/// let (_, line) = block_on(task);
/// assert_eq!(line.unwrap_err().kind(), std::io::ErrorKind::InvalidData);
/// ```
#[derive(Debug)]
pub struct ReadLine<R> {
    reader: Option<BufReader<R>>,
    line: std::vec::Vec<u8>,
}

impl<R: Read> Coroutine<Wake> for ReadLine<R> {
    type Yield = Wait;
    type Return = (BufReader<R>, io::Result<Option<std::string::String>>);

    /// # Panics
    ///
    /// When resumed after it ended.
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, Self::Return> {
        let r = self
            .reader
            .as_mut()
            .expect("`ReadLine` resumed after it ended");
        let result = loop {
            let avail = &r.buf[r.pos..r.filled];
            if let Some(i) = avail.iter().position(|&b| b == b'\n') {
                self.line.extend_from_slice(&avail[..=i]);
                r.pos += i + 1;
                break Ok(true);
            }
            self.line.extend_from_slice(avail);
            r.pos = 0;
            r.filled = 0;
            match io_step(r.inner.read(&mut r.buf)) {
                ControlFlow::Continue(wait) => return CoroutineState::Yielded(wait),
                ControlFlow::Break(Ok(0)) => break Ok(!self.line.is_empty()),
                ControlFlow::Break(Ok(n)) => r.filled = n,
                ControlFlow::Break(Err(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                ControlFlow::Break(Err(e)) => break Err(e),
            }
        };
        let reader = self.reader.take().expect("checked above");
        let line = core::mem::take(&mut self.line);
        let result = result.and_then(|some| {
            if !some {
                return Ok(None);
            }
            std::string::String::from_utf8(line)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        });
        CoroutineState::Complete((reader, result))
    }
}
