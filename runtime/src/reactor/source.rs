//! OS handles registered with the reactor, and their cached readiness.

use std::cell::Cell;
use std::io;
use std::rc::Rc;

use super::{set_blocked, try_with, with, Inner, Wait, WaitList};

/// Which readiness an IO call needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Read,
    Write,
}

/// The reactor's view of one registered handle: the readiness the OS reported and that no
/// call has used up yet, and the tasks waiting for more.
///
/// mio is edge-triggered: an event comes once per change, so the flag stays set until a call
/// comes back `WouldBlock` (or short, for stream reads), which is when the task must wait.
pub(crate) struct ScheduledIo {
    token: usize,
    readable: Cell<bool>,
    writable: Cell<bool>,
    /// Final states (peer closed its half, socket error): never cleared, since the OS
    /// reports them once and every later call completes at once (EOF, EPIPE, the error).
    read_closed: Cell<bool>,
    write_closed: Cell<bool>,
    readers: WaitList,
    writers: WaitList,
    /// The handle's registration with tokio, for the tasks tokio drives.
    #[cfg(feature = "tokio")]
    pub(crate) tokio: super::tokio::TokioIo,
}

impl ScheduledIo {
    pub(crate) fn token(&self) -> usize {
        self.token
    }

    pub(crate) fn is_ready(&self, dir: Direction) -> bool {
        match dir {
            Direction::Read => self.readable.get() || self.read_closed.get(),
            Direction::Write => self.writable.get() || self.write_closed.get(),
        }
    }

    pub(crate) fn clear(&self, dir: Direction) {
        match dir {
            Direction::Read => self.readable.set(false),
            Direction::Write => self.writable.set(false),
        }
    }

    /// Records readiness that tokio reported (for the tasks tokio drives).
    #[cfg(feature = "tokio")]
    pub(crate) fn set_ready(&self, dir: Direction) {
        match dir {
            Direction::Read => self.readable.set(true),
            Direction::Write => self.writable.set(true),
        }
    }

    pub(crate) fn waiters(&self, dir: Direction) -> &WaitList {
        match dir {
            Direction::Read => &self.readers,
            Direction::Write => &self.writers,
        }
    }

    pub(crate) fn on_event(&self, event: &mio::event::Event, inner: &Inner) {
        let error = event.is_error();
        if event.is_read_closed() || error {
            self.read_closed.set(true);
        }
        if event.is_write_closed() || error {
            self.write_closed.set(true);
        }
        if event.is_readable() || event.is_read_closed() || error {
            self.readable.set(true);
            self.readers.wake_all(inner);
        }
        if event.is_writable() || event.is_write_closed() || error {
            self.writable.set(true);
            self.writers.wake_all(inner);
        }
    }
}

/// What a [`Source`] can hold: a mio handle (with its descriptor, for tokio).
#[cfg(not(feature = "tokio"))]
pub(crate) trait Handle: mio::event::Source {}
#[cfg(not(feature = "tokio"))]
impl<T: mio::event::Source> Handle for T {}
/// What a [`Source`] can hold: a mio handle, with its descriptor (for tokio).
#[cfg(feature = "tokio")]
pub(crate) trait Handle: mio::event::Source + std::os::fd::AsFd {}
#[cfg(feature = "tokio")]
impl<T: mio::event::Source + std::os::fd::AsFd> Handle for T {}

/// A mio handle registered with this thread's reactor for as long as it lives.
///
/// Registration happens in [`Source::new`]; `Drop` deregisters and closes. Errors while
/// deregistering in `Drop` are ignored: there is no one to report them to, and closing the
/// descriptor right after removes it from the poller anyway.
pub(crate) struct Source<T: Handle> {
    io: T,
    sched: Rc<ScheduledIo>,
}

impl<T: Handle> Source<T> {
    /// Registers `io` for `interest` with this thread's reactor. `writable` is the assumed
    /// initial write readiness (true for a connected socket: a first write needs no event;
    /// if it is wrong, the write says `WouldBlock` and the task waits for the event).
    pub(crate) fn new(mut io: T, interest: mio::Interest, writable: bool) -> io::Result<Self> {
        with(|inner| {
            let mut sources = inner.sources.borrow_mut();
            let entry = sources.insert_with(|token| {
                Rc::new(ScheduledIo {
                    token,
                    readable: Cell::new(false),
                    writable: Cell::new(writable),
                    read_closed: Cell::new(false),
                    write_closed: Cell::new(false),
                    readers: WaitList::default(),
                    writers: WaitList::default(),
                    #[cfg(feature = "tokio")]
                    tokio: Default::default(),
                })
            });
            let sched = sources.get(entry).expect("just inserted").clone();
            drop(sources);
            let registered =
                inner
                    .poll
                    .borrow()
                    .registry()
                    .register(&mut io, mio::Token(entry), interest);
            match registered {
                Ok(()) => Ok(Source { io, sched }),
                Err(e) => {
                    inner.sources.borrow_mut().remove(entry);
                    Err(e)
                }
            }
        })
    }

    pub(crate) fn get(&self) -> &T {
        &self.io
    }

    pub(crate) fn is_ready(&self, dir: Direction) -> bool {
        self.sched.is_ready(dir)
    }

    pub(crate) fn clear(&self, dir: Direction) {
        self.sched.clear(dir)
    }

    /// The wait request for `dir` on this source.
    pub(crate) fn wait(&self, dir: Direction) -> Wait {
        // A failure shows in the IO call the task retries after the spurious wake-up that
        // an unregistered source gets (see `blocked`).
        #[cfg(feature = "tokio")]
        let _ = self.sched.tokio.register_if_driven(&self.io);
        Wait::io(self.sched.clone(), dir)
    }

    /// Records that a call on this source would block for `dir`, and returns the
    /// `WouldBlock` error to hand back (`io!` turns it into a wait for `dir`).
    pub(crate) fn blocked(&self, dir: Direction) -> io::Error {
        #[cfg(feature = "tokio")]
        if let Err(e) = self.sched.tokio.register_if_driven(&self.io) {
            return e; // tokio cannot wait for this handle: the call fails with the OS error
        }
        set_blocked(Wait::io(self.sched.clone(), dir)); // (`self.wait` would register again)
        io::ErrorKind::WouldBlock.into()
    }

    /// Runs the non-blocking call `f` if the source may be ready for `dir`; when it is not,
    /// or `f` says `WouldBlock`, returns `WouldBlock` without (another) syscall.
    #[inline]
    pub(crate) fn do_io<R>(
        &self,
        dir: Direction,
        f: impl FnOnce(&T) -> io::Result<R>,
    ) -> io::Result<R> {
        if !self.sched.is_ready(dir) {
            return Err(self.blocked(dir));
        }
        match f(&self.io) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                self.sched.clear(dir);
                Err(self.blocked(dir))
            }
            r => r,
        }
    }
}

impl<T: Handle> Drop for Source<T> {
    fn drop(&mut self) {
        // Leaves tokio's poller (and closes tokio's duplicate of the descriptor) first.
        #[cfg(feature = "tokio")]
        self.sched.tokio.deregister();
        // Ignored on purpose (see the type's docs); during thread teardown the reactor may
        // already be gone, and its poller with it.
        let _ = try_with(|inner| {
            let _ = inner.poll.borrow().registry().deregister(&mut self.io);
            inner.sources.borrow_mut().remove(self.sched.token);
        });
    }
}
