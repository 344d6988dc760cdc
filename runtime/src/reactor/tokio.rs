//! Running reactor tasks inside a tokio runtime (feature `tokio`).
//!
//! Two ways, for two needs:
//!
//! - [`TaskFuture`]: each task is a tokio task. Its wait requests are served by tokio itself:
//!   a socket it waits on is registered with tokio's poller (an `AsyncFd` on a duplicate of
//!   its descriptor), its deadlines are tokio `sleep`s, and the tasks it spawns become tokio
//!   tasks too (`spawn_local`), so tokio schedules them all, side by side with its own.
//!   Join handles, channels, `sleep`, `timeout` and the sockets keep working unchanged.
//! - [`run`]: the whole reactor of this thread inside one future: its poller (an epoll
//!   descriptor) is registered with tokio and its next deadline becomes a tokio sleep; the
//!   tasks run on the reactor's own queue, with its cost per round trip.
//!
//! Neither future is `Send`: reactor tasks hold `Rc`s, and their sockets are registered with
//! the reactor of the thread that made them. On the multi-thread runtime, run them in a
//! [`LocalSet`](::tokio::task::LocalSet) (a task that spawns needs one, for `spawn_local`)
//! or in `Runtime::block_on`; tokio's own `Send` tasks keep running on its worker threads
//! meanwhile.
//!
//! # Examples
//!
//! ```
//! use resumable_runtime::reactor::{sleep, tokio::TaskFuture};
//! use std::time::{Duration, Instant};
//!
//! let rt = ::tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
//! let start = Instant::now();
//! rt.block_on(TaskFuture::new(sleep(Duration::from_millis(20)))); // a tokio timer
//! assert!(start.elapsed() >= Duration::from_millis(20));
//! ```

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::boxed::Box;
use std::cell::{Cell, RefCell};
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::panic;
use std::rc::Rc;
use std::time::{Duration, Instant};
use std::vec::Vec;

use ::tokio::io::unix::AsyncFd;
use ::tokio::io::Interest;

use super::task::{Runnable, TaskCell};
use super::{
    spawn, try_with, with, Direction, Inner, JoinError, JoinHandle, ScheduledIo, Task, TaskId,
    Wait, WaitKind, Wake, DONE, DRIVEN, SCHEDULED,
};

/// How many rounds (of the reactor's runnable tasks in [`Run`], of one task's steps in a
/// [`TaskFuture`]) one `poll` runs before giving tokio's other tasks their turn.
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

/// A task tokio drives, as a [`Future`] that resolves to its output.
///
/// Each poll runs the task's steps while it can run, then leaves its wait request to tokio:
/// readiness of a socket through an `AsyncFd` (registered the first time the task waits on
/// that socket, dropped with the socket), a deadline through `tokio::time::sleep_until`, a
/// channel or a join through a waker that the reactor's wake-up calls. Tasks it spawns with
/// [`spawn`] become tokio tasks of the same kind (`tokio::task::spawn_local`),
/// so their join handles, cancellation and panics behave as on the reactor.
///
/// Dropping the future cancels the task, as dropping its [`JoinHandle`] does.
///
/// Tokio's readiness of a socket is cleared before the task is resumed to try its call
/// again, never after the call, so an edge that comes in between is not lost (a readiness
/// older than the task's last `WouldBlock` costs one call that blocks again). An echo
/// round trip makes 3 syscalls, as on the reactor, but costs about 2,650 user-space
/// instructions against the reactor's ~860 and a native tokio task's ~1,700
/// (`benches/io`, server `ours-on-tokio`): the price of the interop, not of the tasks.
///
/// # Panics
///
/// When polled outside a tokio runtime with IO enabled (and time, once the task waits with
/// a deadline), or from inside a reactor task. If the task panics, the panic is resumed
/// where the future is polled; so is the panic of a task that spawns while the future is
/// not polled inside a [`LocalSet`](::tokio::task::LocalSet) (from `spawn_local`).
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{channel, spawn, tokio::TaskFuture};
///
/// let rt = ::tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
/// let (tx, rx) = channel();
/// let consumer = TaskFuture::new(rx.recv()); // waits for a message: a tokio waker
/// let local = ::tokio::task::LocalSet::new();
/// let got = local.block_on(&rt, async move {
///     let consumer = ::tokio::task::spawn_local(consumer);
///     tx.send(7).unwrap();
///     consumer.await.unwrap()
/// });
/// assert_eq!(got, Some(7));
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct TaskFuture<T> {
    handle: JoinHandle<T>,
    driver: Driver,
}

impl<T: 'static> TaskFuture<T> {
    /// Adds `task` to this thread's reactor as a task tokio drives; it starts when the future
    /// is first polled.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{tokio::TaskFuture, yield_now};
    /// let rt = ::tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// rt.block_on(TaskFuture::new(yield_now()));
    /// ```
    pub fn new<K>(task: K) -> TaskFuture<T>
    where
        K: Task<Output = T> + 'static,
    {
        let handle = with(|inner| inner.spawn_driven(task));
        TaskFuture {
            driver: Driver::new(handle.id()),
            handle,
        }
    }
}

impl<T: 'static> Future for TaskFuture<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        if Pin::new(&mut this.driver).poll(cx).is_pending() {
            return Poll::Pending;
        }
        match this.handle.try_take() {
            Some(Ok(v)) => Poll::Ready(v),
            Some(Err(JoinError::Panicked(p))) => panic::resume_unwind(p),
            Some(Err(e)) => panic!("`TaskFuture`: {e}"),
            None => panic!("`TaskFuture` polled after it returned the task's output"),
        }
    }
}

impl<T> core::fmt::Debug for TaskFuture<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TaskFuture")
            .field("handle", &self.handle)
            .finish_non_exhaustive()
    }
}

/// Drives one task of the reactor's slab on tokio: resolves when the task has ended.
struct Driver {
    id: TaskId,
    /// What the task waits for that tokio serves: readiness of a socket, a deadline.
    io: Option<(Rc<ScheduledIo>, Direction)>,
    deadline: Option<Instant>,
    sleep: Option<Pin<Box<::tokio::time::Sleep>>>,
}

impl Driver {
    fn new(id: TaskId) -> Driver {
        Driver {
            id,
            io: None,
            deadline: None,
            sleep: None,
        }
    }

    fn poll_task(&mut self, inner: &Inner, cx: &mut Context<'_>) -> Poll<()> {
        let mut stepped = false;
        for _ in 0..BUDGET {
            let wake = match inner.driven_state(self.id) {
                None => return Poll::Ready(()),
                // Woken during its own step (or it yielded to the others): tokio's other
                // tasks go first.
                Some(Some(_)) if stepped => break,
                Some(Some(wake)) => wake,
                Some(None) => match self.ready(cx) {
                    Some(wake) => wake,
                    None => {
                        inner.driven.set_waker(self.id, cx.waker());
                        return Poll::Pending;
                    }
                },
            };
            (self.io, self.deadline) = (None, None);
            stepped = true;
            inner.driven.stepping.set(true);
            inner.step(self.id, Some(wake), |inner, id, wait| {
                (self.io, self.deadline) = inner.park_driven(id, wait);
            });
            inner.driven.stepping.set(false);
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// What lets a parked task run again, if it came: its readiness, else its deadline.
    fn ready(&mut self, cx: &mut Context<'_>) -> Option<Wake> {
        if let Some((io, dir)) = &self.io {
            if io.tokio.poll_ready(*dir, cx).is_ready() {
                io.set_ready(*dir);
                return Some(Wake::Ready);
            }
        }
        let deadline = ::tokio::time::Instant::from_std(self.deadline?);
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(::tokio::time::sleep_until(deadline)));
        if sleep.deadline() != deadline {
            sleep.as_mut().reset(deadline);
        }
        sleep.as_mut().poll(cx).is_ready().then_some(Wake::Deadline)
    }
}

impl Future for Driver {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        with(|inner| {
            let _guard = inner.enter();
            this.poll_task(inner, cx)
        })
    }
}

impl Drop for Driver {
    /// Tokio dropped the future (or its `LocalSet`) before the task ended: no one can run it
    /// any more, so it is cancelled (its state dropped, its sockets closed).
    fn drop(&mut self) {
        let _ = try_with(|inner| inner.abort(self.id));
    }
}

/// The reactor's record of the tasks tokio drives.
#[derive(Default)]
pub(crate) struct Driven {
    /// The waker of each driven task's future, by slot index.
    wakers: RefCell<Vec<Option<Waker>>>,
    /// A driven task is running a step: what it spawns is driven too.
    stepping: Cell<bool>,
    live: Cell<usize>,
}

impl Driven {
    pub(crate) fn is_stepping(&self) -> bool {
        self.stepping.get()
    }

    pub(crate) fn live(&self) -> usize {
        self.live.get()
    }

    /// Wakes the future of driven task `id` (it was scheduled, or it ended).
    pub(crate) fn wake(&self, id: TaskId) {
        let waker = self
            .wakers
            .borrow_mut()
            .get_mut(id.index as usize)
            .and_then(Option::take);
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Driven task `id` has ended: its future resolves at its next poll.
    pub(crate) fn ended(&self, id: TaskId) {
        self.live.set(self.live.get() - 1);
        self.wake(id);
    }

    fn set_waker(&self, id: TaskId, waker: &Waker) {
        let mut wakers = self.wakers.borrow_mut();
        let i = id.index as usize;
        if wakers.len() <= i {
            wakers.resize(i + 1, None);
        }
        match &wakers[i] {
            Some(w) if w.will_wake(waker) => {}
            _ => wakers[i] = Some(waker.clone()),
        }
    }
}

impl Inner {
    /// Adds `task` as a task tokio drives: not in the run queue; runnable at its first poll.
    fn spawn_driven<T>(&self, task: T) -> JoinHandle<T::Output>
    where
        T: Task + 'static,
        T::Output: 'static,
    {
        let cell: Box<dyn Runnable> = Box::new(TaskCell::new(task));
        let mut tasks = self.tasks.borrow_mut();
        let id = tasks.insert(cell);
        tasks.get_mut(id).expect("just inserted").set(DRIVEN, true);
        drop(tasks);
        self.driven.live.set(self.driven.live.get() + 1);
        JoinHandle::new(id)
    }

    /// [`spawn`](super::spawn) from a step of a task tokio drives: a tokio task drives this
    /// one too.
    pub(crate) fn spawn_driven_child<T>(&self, task: T) -> JoinHandle<T::Output>
    where
        T: Task + 'static,
        T::Output: 'static,
    {
        let handle = self.spawn_driven(task);
        // Detached: the reactor's `JoinHandle` is the handle; the future ends with the task.
        drop(::tokio::task::spawn_local(Driver::new(handle.id())));
        handle
    }

    /// `None` once driven task `id` has ended; else whether it is runnable, and what to
    /// resume it with.
    fn driven_state(&self, id: TaskId) -> Option<Option<Wake>> {
        let mut tasks = self.tasks.borrow_mut();
        let e = tasks.get_mut(id)?;
        if e.has(DONE) {
            return None;
        }
        Some(e.has(SCHEDULED).then(|| e.wake()))
    }

    /// Records what a driven task that just yielded `wait` waits for, and returns the parts
    /// tokio serves: the readiness of a socket, the deadline.
    fn park_driven(
        &self,
        id: TaskId,
        wait: Wait,
    ) -> (Option<(Rc<ScheduledIo>, Direction)>, Option<Instant>) {
        let deadline = wait.deadline;
        match wait.kind {
            WaitKind::Now => {
                self.schedule(id, Wake::Ready);
                return (None, None);
            }
            WaitKind::Never => {}
            WaitKind::Io(io, dir) => {
                if io.is_ready(dir) {
                    self.schedule(id, Wake::Ready);
                    return (None, None);
                }
                return (Some((io, dir)), deadline);
            }
            WaitKind::List(list) => list.add_waiter(id),
            WaitKind::Join(target) => {
                if !self.add_joiner(target, id) {
                    self.schedule(id, Wake::Ready);
                    return (None, None);
                }
            }
        }
        (None, deadline)
    }
}

/// A source's registration with tokio: a duplicate of its descriptor in an `AsyncFd`, made
/// the first time a task tokio drives waits on it, dropped when the source is.
#[derive(Default)]
pub(crate) struct TokioIo {
    fd: RefCell<Option<AsyncFd<OwnedFd>>>,
}

impl TokioIo {
    /// Registers `io` with tokio if a task tokio drives is running and it is not registered.
    ///
    /// # Errors
    ///
    /// The OS error of `dup` or of the registration (`epoll_ctl`).
    pub(crate) fn register_if_driven(&self, io: &impl AsFd) -> io::Result<()> {
        if self.fd.borrow().is_some() || !try_with(|i| i.driven.is_stepping()).unwrap_or(false) {
            return Ok(());
        }
        // A duplicate, owned by the `AsyncFd`, so tokio's registration never outlives the
        // descriptor it names (the "I/O safety" of `AsyncFd::register`, without `unsafe`).
        let dup = io.as_fd().try_clone_to_owned()?;
        #[allow(deprecated)] // see `Run::poll`: an `OwnedFd` upholds the contract
        let fd = AsyncFd::with_interest(dup, Interest::READABLE | Interest::WRITABLE)?;
        *self.fd.borrow_mut() = Some(fd);
        Ok(())
    }

    /// Leaves tokio's poller (the source is being dropped).
    pub(crate) fn deregister(&self) {
        let fd = self.fd.borrow_mut().take();
        drop(fd);
    }

    /// Ready once tokio has seen `dir` readiness; the readiness is then cleared in tokio
    /// (the task tries its call again, and waits again on `WouldBlock`). Ready at once if
    /// the source is not registered: the task's retried call registers it, or fails.
    fn poll_ready(&self, dir: Direction, cx: &mut Context<'_>) -> Poll<()> {
        let fd = self.fd.borrow();
        let Some(fd) = fd.as_ref() else {
            return Poll::Ready(());
        };
        let ready = match dir {
            Direction::Read => fd
                .poll_read_ready(cx)
                .map(|r| r.map(|mut g| g.clear_ready())),
            Direction::Write => fd
                .poll_write_ready(cx)
                .map(|r| r.map(|mut g| g.clear_ready())),
        };
        match ready {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(())) => Poll::Ready(()),
            Poll::Ready(Err(e)) => panic!("resumable reactor: tokio readiness failed: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::io::{self, Read, Write};
    use std::rc::Rc;
    use std::time::{Duration, Instant};
    use std::vec::Vec;

    use super::TaskFuture;
    use crate::reactor::{sleep, task_count, timeout};

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

    fn multi_thread() -> ::tokio::runtime::Runtime {
        ::tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    /// `n` clients, tokio's own tasks on its worker threads: each sends a message of its own
    /// length and pattern (at most 5,000 bytes, which fit in the socket buffers, so: write,
    /// then read), checks the echo byte for byte, then closes its half and waits for EOF.
    fn spawn_clients(
        rt: &::tokio::runtime::Runtime,
        addr: std::net::SocketAddr,
        n: usize,
    ) -> Vec<::tokio::task::JoinHandle<()>> {
        use ::tokio::io::{AsyncReadExt, AsyncWriteExt};
        (0..n)
            .map(|i| {
                rt.spawn(async move {
                    let msg: Vec<u8> = (0..(i * 131 % 5000) + 1).map(|b| (b ^ i) as u8).collect();
                    let mut s = ::tokio::net::TcpStream::connect(addr).await.unwrap();
                    s.write_all(&msg).await.unwrap();
                    let mut back = std::vec![0u8; msg.len()];
                    s.read_exact(&mut back).await.unwrap();
                    assert_eq!(back, msg);
                    s.shutdown().await.unwrap();
                    assert_eq!(s.read(&mut [0u8; 1]).await.unwrap(), 0);
                })
            })
            .collect()
    }

    #[test]
    fn echo_server_task_as_tokio_tasks_on_the_multi_thread_runtime_with_100_clients() {
        let rt = multi_thread();
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let clients = spawn_clients(&rt, addr, 100);
        let before = task_count();
        // The server: a `TaskFuture`; the connection tasks it spawns are tokio tasks too, in
        // the `LocalSet`. Nothing runs this thread's reactor loop: waits are tokio's.
        let local = ::tokio::task::LocalSet::new();
        let serve = TaskFuture::new(Serve {
            l,
            left: 100,
            conns: Vec::new(),
            joined: 0,
        });
        let served = local
            .block_on(&rt, async {
                ::tokio::time::timeout(Duration::from_secs(30), serve).await
            })
            .expect("served within 30 s")
            .unwrap();
        assert_eq!(served, 100);
        assert_eq!(task_count(), before);
        rt.block_on(async {
            let all = async {
                for c in clients {
                    c.await.unwrap();
                }
            };
            let ended = ::tokio::time::timeout(Duration::from_secs(30), all).await;
            ended.expect("every client saw its echo and end of file within 30 s");
        });
    }

    #[test]
    fn tokio_timers_serve_deadlines_in_order_and_not_early() {
        let rt = multi_thread();
        let local = ::tokio::task::LocalSet::new();
        let start = Instant::now();
        let ended = Rc::new(RefCell::new(Vec::new()));
        local.block_on(&rt, async {
            let sleeps: Vec<_> = [30u64, 10, 20]
                .into_iter()
                .map(|ms| {
                    let ended = ended.clone();
                    ::tokio::task::spawn_local(async move {
                        TaskFuture::new(sleep(Duration::from_millis(ms))).await;
                        assert!(start.elapsed() >= Duration::from_millis(ms));
                        ended.borrow_mut().push(ms);
                    })
                })
                .collect();
            for s in sleeps {
                s.await.unwrap();
            }
        });
        assert_eq!(*ended.borrow(), [10, 20, 30]);
        let late = TaskFuture::new(timeout(
            Duration::from_millis(5),
            sleep(Duration::from_secs(60)),
        ));
        assert!(local.block_on(&rt, late).is_err());
        // A read with a deadline, on a socket no data comes to: the deadline wakes it.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let quiet = std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let quiet = TcpStream::from_std(quiet).unwrap();
        let _peer = l.accept().unwrap();
        let t = Instant::now();
        let read = TaskFuture::new(timeout(
            Duration::from_millis(20),
            ReadAll(quiet, Vec::new()),
        ));
        assert!(local.block_on(&rt, read).is_err());
        assert!(t.elapsed() >= Duration::from_millis(20));
        assert!(start.elapsed() < Duration::from_secs(30));
    }

    /// Reads until EOF, then reports what it read; holds the stream meanwhile.
    struct ReadAll(TcpStream, Vec<u8>);

    impl Coroutine<Wake> for ReadAll {
        type Yield = Wait;
        type Return = io::Result<Vec<u8>>;
        fn resume(&mut self, _: Wake) -> CoroutineState<Wait, io::Result<Vec<u8>>> {
            let mut buf = [0u8; 64];
            loop {
                match io_step((&self.0).read(&mut buf)) {
                    ControlFlow::Continue(w) => return CoroutineState::Yielded(w),
                    ControlFlow::Break(Ok(0)) => {
                        return CoroutineState::Complete(Ok(core::mem::take(&mut self.1)))
                    }
                    ControlFlow::Break(Ok(n)) => self.1.extend_from_slice(&buf[..n]),
                    ControlFlow::Break(Err(e)) => return CoroutineState::Complete(Err(e)),
                }
            }
        }
    }

    /// Spawns a `ReadAll` on each stream, keeps the handles, and waits forever.
    struct Parent(Vec<TcpStream>, Vec<JoinHandle<io::Result<Vec<u8>>>>);

    impl Coroutine<Wake> for Parent {
        type Yield = Wait;
        type Return = ();
        fn resume(&mut self, _: Wake) -> CoroutineState<Wait, ()> {
            for s in self.0.drain(..) {
                self.1.push(spawn(ReadAll(s, Vec::new())));
            }
            CoroutineState::Yielded(Wait::until(Instant::now() + Duration::from_secs(3600)))
        }
    }

    #[test]
    fn dropping_a_task_future_cancels_it_and_the_tasks_it_spawned_closing_their_sockets() {
        use std::io::Read as _;
        let rt = multi_thread();
        let local = ::tokio::task::LocalSet::new();
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let mut peers = Vec::new();
        let mut ours = Vec::new();
        for _ in 0..3 {
            let ours_end = std::net::TcpStream::connect(addr).unwrap();
            peers.push(l.accept().unwrap().0);
            ours.push(TcpStream::from_std(ours_end).unwrap());
        }
        let before = task_count();
        // One child ends (data, then EOF) before the parent is cancelled; two wait.
        use std::io::Write as _;
        peers[0].write_all(b"hi").unwrap();
        peers[0].shutdown(std::net::Shutdown::Write).unwrap();
        let parent = TaskFuture::new(Parent(ours, Vec::new()));
        local.block_on(&rt, async {
            let parent = ::tokio::task::spawn_local(parent);
            ::tokio::time::sleep(Duration::from_millis(50)).await;
            assert_eq!(task_count(), before + 3, "the parent and two readers wait");
            parent.abort();
            assert!(parent.await.unwrap_err().is_cancelled());
        });
        assert_eq!(task_count(), before);
        for p in &mut peers[1..] {
            p.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            assert_eq!(p.read(&mut [0u8; 8]).unwrap(), 0, "our end was closed");
        }
    }

    /// Panics at its first step.
    struct Boom;
    impl Coroutine<Wake> for Boom {
        type Yield = Wait;
        type Return = u8;
        fn resume(&mut self, _: Wake) -> CoroutineState<Wait, u8> {
            panic!("boom on tokio")
        }
    }

    /// Spawns `Boom` and joins it.
    struct JoinBoom(Option<JoinHandle<u8>>);
    impl Coroutine<Wake> for JoinBoom {
        type Yield = Wait;
        type Return = bool;
        fn resume(&mut self, wake: Wake) -> CoroutineState<Wait, bool> {
            let h = self.0.get_or_insert_with(|| spawn(Boom));
            match h.resume(wake) {
                CoroutineState::Yielded(w) => CoroutineState::Yielded(w),
                CoroutineState::Complete(r) => CoroutineState::Complete(r.unwrap_err().is_panic()),
            }
        }
    }

    #[test]
    fn a_panic_on_tokio_reaches_the_join_handle_or_the_awaiting_code() {
        let rt = multi_thread();
        let local = ::tokio::task::LocalSet::new();
        assert!(local.block_on(&rt, TaskFuture::new(JoinBoom(None))));
        let caught = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
            local.block_on(&rt, TaskFuture::new(Boom))
        }))
        .unwrap_err();
        assert_eq!(*caught.downcast::<&str>().unwrap(), "boom on tokio");
        // Outside a `LocalSet`, a task that spawns panics (in `spawn_local`), and so does the
        // poll; the reactor keeps no trace of either task.
        let before = task_count();
        let caught = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
            rt.block_on(TaskFuture::new(JoinBoom(None)))
        }))
        .unwrap_err();
        let msg = match caught.downcast::<&str>() {
            Ok(s) => std::string::ToString::to_string(*s),
            Err(other) => *other.downcast::<std::string::String>().unwrap(),
        };
        assert!(msg.contains("LocalSet"), "{msg}");
        assert_eq!(task_count(), before);
    }

    #[test]
    fn echo_task_on_the_multi_thread_runtime_with_100_clients() {
        let rt = multi_thread();
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let clients = spawn_clients(&rt, addr, 100);
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
            let all = async {
                for c in clients {
                    c.await.unwrap();
                }
            };
            let ended = ::tokio::time::timeout(Duration::from_secs(30), all).await;
            ended.expect("every client saw its echo and end of file within 30 s");
        });
    }
}
