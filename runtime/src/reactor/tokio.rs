//! Running reactor tasks inside a tokio runtime (feature `tokio`).
//!
//! [`run`] turns a task into a [`Future`]: awaited on tokio, it drives this thread's reactor,
//! and sleeps on tokio's own readiness and timers: the reactor's poller (an epoll descriptor)
//! is registered with tokio through `AsyncFd`, and its next
//! deadline becomes a tokio `sleep_until`. Everything a task does keeps working: its
//! sockets, sleeps, timeouts, `spawn`, join handles, channels.
//!
//! The future is not `Send`: reactor tasks hold `Rc`s and live on the thread that spawned them.
//! On the multi-thread runtime, await it in `Runtime::block_on` or in a `LocalSet`; tokio's
//! own `Send` tasks keep running on its worker threads meanwhile.
//!
//! # Examples
//!
//! ```
//! use resumable_runtime::reactor::{sleep, tokio::run};
//! use std::time::{Duration, Instant};
//!
//! let rt = ::tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
//! let start = Instant::now();
//! rt.block_on(run(sleep(Duration::from_millis(20)))); // a reactor task, on tokio
//! assert!(start.elapsed() >= Duration::from_millis(20));
//! ```

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::boxed::Box;
use std::os::fd::{AsFd, OwnedFd};
use std::panic;
use std::time::Duration;

use ::tokio::io::unix::AsyncFd;
use ::tokio::io::Interest;

use super::{spawn, with, JoinError, JoinHandle, Task};

/// How many rounds of runnable tasks one `poll` runs before giving tokio its turn.
const BUDGET: usize = 64;

/// A future that runs `task` on this thread's reactor, woken by tokio, and resolves to the
/// task's output. The other tasks of the reactor run meanwhile (as in
/// [`block_on`](super::block_on)).
///
/// # Panics
///
/// When polled outside a tokio runtime with IO and time enabled, from inside a reactor task,
/// or if `task` panics (the panic is resumed there).
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{spawn, tokio::run, yield_now};
/// let rt = ::tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// let h = spawn(yield_now()); // any reactor task, joined from a task run on tokio
/// assert!(rt.block_on(run(h)).is_ok());
/// ```
pub fn run<T>(task: T) -> Run<T::Output>
where
    T: Task + 'static,
    T::Output: 'static,
{
    Run {
        handle: spawn(task),
        poller: None,
        sleep: None,
    }
}

/// The future [`run`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{sleep, tokio::{run, Run}};
/// use std::time::Duration;
/// let rt = ::tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// let fut: Run<()> = run(sleep(Duration::from_millis(1)));
/// rt.block_on(fut);
/// ```
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Run<T> {
    handle: JoinHandle<T>,
    /// A duplicate of the reactor's epoll descriptor (same poller), registered with tokio.
    poller: Option<AsyncFd<OwnedFd>>,
    sleep: Option<Pin<Box<::tokio::time::Sleep>>>,
}

impl<T: 'static> Future for Run<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        with(|inner| {
            let _guard = inner.enter();
            if this.poller.is_none() {
                let fd = inner.poll.borrow().registry().as_fd().try_clone_to_owned();
                // Deprecated since tokio 1.5x in favour of an `unsafe` constructor whose
                // contract (the descriptor stays open while registered) an `OwnedFd` upholds.
                #[allow(deprecated)]
                match fd.and_then(|fd| AsyncFd::with_interest(fd, Interest::READABLE)) {
                    Ok(p) => this.poller = Some(p),
                    Err(e) => panic!("resumable reactor: cannot register with tokio: {e}"),
                }
            }
            let poller = this.poller.as_ref().expect("set above");
            for _ in 0..BUDGET {
                inner.run_ready();
                if let Some(result) = this.handle.try_take() {
                    return Poll::Ready(match result {
                        Ok(v) => v,
                        Err(JoinError::Panicked(p)) => panic::resume_unwind(p),
                        Err(e) => panic!("`run`: {e}"),
                    });
                }
                // Consume tokio's readiness before draining the poller: an event that comes
                // after the drain makes a new edge, so no wake-up is lost.
                if let Poll::Ready(Ok(mut ready)) = poller.poll_read_ready(cx) {
                    ready.clear_ready();
                }
                inner.poll_with(Some(Duration::ZERO));
                if !inner.queue.borrow().is_empty() {
                    continue;
                }
                match poller.poll_read_ready(cx) {
                    Poll::Ready(Ok(mut ready)) => {
                        ready.clear_ready();
                        continue;
                    }
                    Poll::Ready(Err(e)) => panic!("resumable reactor: tokio readiness failed: {e}"),
                    Poll::Pending => {}
                }
                if let Some(deadline) = inner.next_deadline() {
                    let deadline = ::tokio::time::Instant::from_std(deadline);
                    let sleep = this
                        .sleep
                        .get_or_insert_with(|| Box::pin(::tokio::time::sleep_until(deadline)));
                    if sleep.deadline() != deadline {
                        sleep.as_mut().reset(deadline);
                    }
                    if sleep.as_mut().poll(cx).is_ready() {
                        continue;
                    }
                }
                return Poll::Pending;
            }
            cx.waker().wake_by_ref(); // more to run: let tokio's other tasks have a turn first
            Poll::Pending
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io::{self, Read, Write};
    use std::vec::Vec;

    use crate::__private::io_step;
    use crate::net::{TcpListener, TcpStream};
    use crate::reactor::{spawn, JoinHandle, Wait, Wake};
    use crate::{Coroutine, CoroutineState};
    use core::ops::ControlFlow;

    /// Echoes until end of file.
    struct Echo {
        s: TcpStream,
        buf: [u8; 1024],
        n: usize,
        w: usize,
    }

    impl Coroutine<Wake> for Echo {
        type Yield = Wait;
        type Return = io::Result<()>;
        fn resume(&mut self, _: Wake) -> CoroutineState<Wait, io::Result<()>> {
            loop {
                let r = if self.w < self.n {
                    io_step((&self.s).write(&self.buf[self.w..self.n]))
                        .map_break(|r| r.map(|k| self.w += k))
                } else {
                    io_step((&self.s).read(&mut self.buf)).map_break(|r| {
                        r.map(|k| {
                            (self.n, self.w) = (k, 0);
                        })
                    })
                };
                match r {
                    ControlFlow::Continue(w) => return CoroutineState::Yielded(w),
                    ControlFlow::Break(Err(e)) => return CoroutineState::Complete(Err(e)),
                    ControlFlow::Break(Ok(())) if self.n == 0 => {
                        return CoroutineState::Complete(Ok(()))
                    }
                    ControlFlow::Break(Ok(())) => {}
                }
            }
        }
    }

    /// Accepts `left` connections, echoes on each, joins them all.
    struct Serve {
        l: TcpListener,
        left: usize,
        conns: Vec<JoinHandle<io::Result<()>>>,
        joined: usize,
    }

    impl Coroutine<Wake> for Serve {
        type Yield = Wait;
        type Return = io::Result<usize>;
        fn resume(&mut self, wake: Wake) -> CoroutineState<Wait, io::Result<usize>> {
            while self.left > 0 {
                match io_step(self.l.accept()) {
                    ControlFlow::Continue(w) => return CoroutineState::Yielded(w),
                    ControlFlow::Break(Ok((s, _))) => {
                        self.conns.push(spawn(Echo {
                            s,
                            buf: [0; 1024],
                            n: 0,
                            w: 0,
                        }));
                        self.left -= 1;
                    }
                    ControlFlow::Break(Err(e)) => return CoroutineState::Complete(Err(e)),
                }
            }
            while let Some(h) = self.conns.last_mut() {
                match h.resume(wake) {
                    CoroutineState::Yielded(w) => return CoroutineState::Yielded(w),
                    CoroutineState::Complete(r) => {
                        if let Err(e) = r.map_err(io::Error::from).and_then(|r| r) {
                            return CoroutineState::Complete(Err(e));
                        }
                        self.conns.pop();
                        self.joined += 1;
                    }
                }
            }
            CoroutineState::Complete(Ok(self.joined))
        }
    }

    #[test]
    fn echo_task_on_the_multi_thread_runtime_with_100_clients() {
        use ::tokio::io::{AsyncReadExt, AsyncWriteExt};
        let rt = ::tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        // Clients: tokio's own tasks on its worker threads.
        let clients: Vec<_> = (0..100usize)
            .map(|i| {
                rt.spawn(async move {
                    let msg: Vec<u8> = (0..(i * 131 % 5000) + 1).map(|b| (b ^ i) as u8).collect();
                    let mut s = ::tokio::net::TcpStream::connect(addr).await.unwrap();
                    // At most 5,000 bytes: they fit in the socket buffers, so write, then read.
                    s.write_all(&msg).await.unwrap();
                    let mut back = std::vec![0u8; msg.len()];
                    s.read_exact(&mut back).await.unwrap();
                    assert_eq!(back, msg);
                    s.shutdown().await.unwrap();
                    assert_eq!(s.read(&mut [0u8; 1]).await.unwrap(), 0);
                })
            })
            .collect();
        // The server: reactor tasks, driven from the runtime's `block_on` thread.
        let served = rt
            .block_on(super::run(Serve {
                l,
                left: 100,
                conns: Vec::new(),
                joined: 0,
            }))
            .unwrap();
        assert_eq!(served, 100);
        rt.block_on(async {
            for c in clients {
                c.await.unwrap();
            }
        });
    }
}
