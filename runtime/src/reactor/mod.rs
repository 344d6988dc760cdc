//! The reactor: a single-threaded event loop whose tasks are coroutines.
//!
//! A task is any [`Coroutine`] resumed with [`Wake`] that yields [`Wait`] requests (the
//! [`Task`] trait names that shape); `#[resumable::coroutine] fn f() -> impl Task<Output = T>`
//! writes one for you. A task does its IO with non-blocking calls; when one would block, the
//! task yields a [`Wait`] for the readiness it needs (the `io!` macro does that for you), and
//! the reactor resumes it when the OS reports that readiness, or when its deadline passes.
//!
//! Each thread has its own reactor, made on first use: [`spawn`] adds a task to it,
//! [`block_on`] runs it until one task ends, [`run`] until every task has ended. Sockets
//! ([`crate::net`]) register with the reactor of the thread that made them.
//!
//! Inside: a run queue of task ids; timers in an ordered set of `(deadline, task id)`
//! whose first key is the poll timeout; OS readiness from `mio`, edge-triggered, whose
//! tokens index a slab of sources, each caching its readiness so that a read that comes
//! back short (the socket is drained) or a `WouldBlock` costs no further syscall.
//!
//! # Examples
//!
//! ```
//! use std::time::{Duration, Instant};
//! use resumable_runtime::reactor::{self, sleep};
//!
//! let start = Instant::now();
//! let a = reactor::spawn(sleep(Duration::from_millis(20)));
//! let b = reactor::spawn(sleep(Duration::from_millis(20)));
//! reactor::block_on(a).unwrap();
//! reactor::block_on(b).unwrap();
//! assert!(start.elapsed() >= Duration::from_millis(20)); // the two sleeps overlapped
//! ```

use core::fmt;
use core::num::NonZeroU64;
use core::panic::AssertUnwindSafe;
use std::boxed::Box;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, VecDeque};
use std::io;
use std::panic;
use std::rc::Rc;
use std::time::{Duration, Instant};
use std::vec::Vec;

use crate::{Coroutine, CoroutineState};

mod channel;
mod source;
mod task;
mod timer;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use channel::{channel, Receiver, Recv, SendError, Sender};
pub use task::{JoinError, JoinHandle};
pub use timer::{sleep, sleep_until, timeout, Elapsed, Sleep, Timeout};

pub(crate) use source::{Direction, ScheduledIo, Source};
use task::{Runnable, TaskCell};

/// A coroutine the reactor can run: resumed with [`Wake`], yielding [`Wait`] requests,
/// finishing with [`Task::Output`].
///
/// Every such [`Coroutine`] is a `Task` (blanket impl). Write `-> impl Task<Output = T>` on a
/// `#[resumable::coroutine]` function to make one; write the `Coroutine` impl by hand for a
/// reusable building block.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, Wait, Wake};
/// use resumable_runtime::{Coroutine, CoroutineState, Task};
///
/// /// Yields to the other tasks twice, then returns 7.
/// struct Polite(u8);
///
/// impl Coroutine<Wake> for Polite {
///     type Yield = Wait;
///     type Return = u32;
///     fn resume(&mut self, _: Wake) -> CoroutineState<Wait, u32> {
///         if self.0 == 2 {
///             return CoroutineState::Complete(7);
///         }
///         self.0 += 1;
///         CoroutineState::Yielded(Wait::yield_now())
///     }
/// }
///
/// fn make() -> impl Task<Output = u32> {
///     Polite(0)
/// }
/// assert_eq!(block_on(make()), 7);
/// ```
pub trait Task: Coroutine<Wake, Yield = Wait, Return = <Self as Task>::Output> {
    /// What the task finishes with.
    type Output;
}

impl<C: Coroutine<Wake, Yield = Wait> + ?Sized> Task for C {
    type Output = C::Return;
}

/// A boxed task with output `T`: for recursion, and for tasks of different types in one
/// place. (`dyn Task<Output = T>` cannot be written: a trait object must name `Return` too.)
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, sleep, BoxTask};
/// use std::time::Duration;
///
/// let tasks: Vec<BoxTask<()>> = vec![Box::new(sleep(Duration::from_millis(1)))];
/// for t in tasks {
///     block_on(t);
/// }
/// ```
pub type BoxTask<T> = Box<dyn Coroutine<Wake, Yield = Wait, Return = T>>;

/// What a task passes to the reactor when it suspends: the readiness, other task, message or
/// instant it waits for, with an optional deadline.
///
/// The reactor resumes the task when the thing waited for happens or the deadline passes,
/// whichever comes first, and may resume it early (spuriously): a task checks its condition
/// again when resumed, as the helpers in this crate do.
///
/// # Examples
///
/// ```
/// use std::time::{Duration, Instant};
/// use resumable_runtime::reactor::Wait;
///
/// let soon = Instant::now() + Duration::from_millis(5);
/// let w = Wait::yield_now();
/// assert_eq!(w.deadline(), None);
/// assert_eq!(Wait::until(soon).deadline(), Some(soon));
/// ```
pub struct Wait {
    kind: WaitKind,
    deadline: Option<Instant>,
}

enum WaitKind {
    /// Run again after the other runnable tasks.
    Now,
    /// Only the deadline (or nothing: parked until woken).
    Never,
    Io(Rc<ScheduledIo>, Direction),
    List(Rc<dyn Waitable>),
    /// The end of another task.
    Join(TaskId),
}

impl Wait {
    /// Go to the back of the run queue: the task runs again once the tasks already runnable
    /// have had their turn. A deadline added to it changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::Wait;
    /// assert!(format!("{:?}", Wait::yield_now()).contains("YieldNow"));
    /// ```
    pub fn yield_now() -> Wait {
        Wait {
            kind: WaitKind::Now,
            deadline: None,
        }
    }

    /// Sleep until `deadline`; the task is resumed with [`Wake::Deadline`] at or after it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Instant;
    /// use resumable_runtime::reactor::Wait;
    /// let now = Instant::now();
    /// assert_eq!(Wait::until(now).deadline(), Some(now));
    /// ```
    pub fn until(deadline: Instant) -> Wait {
        Wait {
            kind: WaitKind::Never,
            deadline: Some(deadline),
        }
    }

    /// Sleep for `duration` from now: `yield_!(Wait::sleep(d))` in a coroutine task.
    ///
    /// The task may be resumed early only by a spurious wake-up, which none of the reactor's
    /// own sources produce for a plain sleep; use [`sleep`] for a sleep that re-checks.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use resumable_runtime::reactor::Wait;
    /// let w = Wait::sleep(Duration::from_secs(1));
    /// assert!(w.deadline().unwrap() > Instant::now());
    /// ```
    pub fn sleep(duration: Duration) -> Wait {
        Wait::until(Instant::now() + duration)
    }

    /// This request, with a deadline no later than `deadline` (the earlier one is kept).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use resumable_runtime::reactor::Wait;
    /// let t = Instant::now();
    /// let w = Wait::until(t + Duration::from_secs(2)).with_deadline(t);
    /// assert_eq!(w.deadline(), Some(t));
    /// ```
    pub fn with_deadline(mut self, deadline: Instant) -> Wait {
        self.deadline = Some(match self.deadline {
            Some(d) if d <= deadline => d,
            _ => deadline,
        });
        self
    }

    /// The deadline of this request, if it has one.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::Wait;
    /// assert_eq!(Wait::yield_now().deadline(), None);
    /// ```
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    pub(crate) fn io(io: Rc<ScheduledIo>, dir: Direction) -> Wait {
        Wait {
            kind: WaitKind::Io(io, dir),
            deadline: None,
        }
    }

    pub(crate) fn join(id: TaskId) -> Wait {
        Wait {
            kind: WaitKind::Join(id),
            deadline: None,
        }
    }

    pub(crate) fn list(list: Rc<dyn Waitable>) -> Wait {
        Wait {
            kind: WaitKind::List(list),
            deadline: None,
        }
    }
}

impl fmt::Debug for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Wait");
        match &self.kind {
            WaitKind::Now => s.field("for", &"YieldNow"),
            WaitKind::Never => s.field("for", &"Deadline"),
            WaitKind::Io(io, Direction::Read) => s.field("readable", &io.token()),
            WaitKind::Io(io, Direction::Write) => s.field("writable", &io.token()),
            WaitKind::List(_) => s.field("for", &"Event"),
            WaitKind::Join(_) => s.field("for", &"Join"),
        };
        s.field("deadline", &self.deadline).finish()
    }
}

/// What the reactor passes to a task when it resumes it: why it woke.
///
/// The first resume of a task gets [`Wake::Ready`] (the [`Default`]).
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::Wake;
/// assert_eq!(Wake::default(), Wake::Ready);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Wake {
    /// Started, or what the task waited for happened (or a spurious wake-up).
    #[default]
    Ready,
    /// The deadline of the task's [`Wait`] passed first.
    Deadline,
}

/// Something tasks wait on with [`WaitKind::List`]: a channel.
pub(crate) trait Waitable {
    /// Records that task `id` waits for this; it is to be woken (scheduled) once.
    fn add_waiter(&self, id: TaskId);
}

/// Ids of the tasks waiting for one event.
#[derive(Default)]
pub(crate) struct WaitList {
    ids: RefCell<Vec<TaskId>>,
}

impl WaitList {
    fn add(&self, id: TaskId) {
        let mut ids = self.ids.borrow_mut();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    pub(crate) fn wake_all(&self, inner: &Inner) {
        let mut ids = self.ids.borrow_mut();
        for id in ids.drain(..) {
            inner.schedule(id, Wake::Ready);
        }
    }

    /// Wakes the waiters through the current thread's reactor, if it is still alive.
    pub(crate) fn wake_all_current(&self) {
        if !self.ids.borrow().is_empty() {
            let _ = try_with(|inner| self.wake_all(inner));
        }
    }
}

/// A task's slot in the reactor: index into the slab and the generation of that slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TaskId {
    index: u32,
    gen: u32,
}

/// A deadline as nanoseconds since the reactor's epoch, plus one (so never zero): half the
/// size of an `Instant`, which keeps timer keys and slab entries small.
type Tick = NonZeroU64;

/// A task's slot: 32 bytes (state pointer, deadline, generation, flags). The state stays
/// here after the task ends, holding its result, until the handle takes it or goes away.
struct Entry {
    task: Option<Box<dyn Runnable>>,
    /// This task's deadline in the timer set (where its id completes the key).
    timer: Option<Tick>,
    gen: u32,
    flags: u8,
}

/// The slot holds a task.
const LIVE: u8 = 1;
/// In the run queue (or woken while running).
const SCHEDULED: u8 = 2;
const RUNNING: u8 = 4;
const ABORTED: u8 = 8;
/// The next resume gets `Wake::Deadline` (else `Wake::Ready`).
const WOKE_BY_DEADLINE: u8 = 16;
/// Ended: the state holds the result (not counted in `Tasks::live`).
const DONE: u8 = 32;
/// No handle left: the slot is freed as soon as the task ends.
const DETACHED: u8 = 64;
/// Driven by a future on tokio (`tokio::TaskFuture`), not by this reactor's run queue.
#[cfg_attr(not(feature = "tokio"), allow(dead_code))]
const DRIVEN: u8 = 128;

impl Entry {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    fn set(&mut self, flag: u8, on: bool) {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
    }

    fn wake(&self) -> Wake {
        if self.has(WOKE_BY_DEADLINE) {
            Wake::Deadline
        } else {
            Wake::Ready
        }
    }
}

/// What freeing a task's slot leaves to drop: its state, and its timer's key.
type Removed = (Option<Box<dyn Runnable>>, Option<(Tick, TaskId)>);

#[derive(Default)]
struct Tasks {
    entries: Vec<Entry>,
    free: Vec<u32>,
    live: usize,
}

impl Tasks {
    fn insert(&mut self, task: Box<dyn Runnable>) -> TaskId {
        self.live += 1;
        let fresh = |gen| Entry {
            task: Some(task),
            timer: None,
            gen,
            flags: LIVE | SCHEDULED,
        };
        match self.free.pop() {
            Some(index) => {
                let e = &mut self.entries[index as usize];
                *e = fresh(e.gen);
                TaskId { index, gen: e.gen }
            }
            None => {
                let index = u32::try_from(self.entries.len()).expect("more than 2^32 tasks");
                self.entries.push(fresh(0));
                TaskId { index, gen: 0 }
            }
        }
    }

    fn get_mut(&mut self, id: TaskId) -> Option<&mut Entry> {
        self.entries
            .get_mut(id.index as usize)
            .filter(|e| e.has(LIVE) && e.gen == id.gen)
    }

    /// Frees the slot; the caller drops what comes back once no borrow is held.
    fn remove(&mut self, id: TaskId) -> Option<Removed> {
        let e = self.get_mut(id)?;
        let ended = e.has(DONE);
        e.flags = 0;
        e.gen = e.gen.wrapping_add(1);
        let out = (e.task.take(), e.timer.take().map(|t| (t, id)));
        self.free.push(id.index);
        if !ended {
            self.live -= 1;
        }
        Some(out)
    }
}

/// A slab: values addressed by a small integer that is reused after removal.
pub(crate) struct Slab<T> {
    entries: Vec<Option<T>>,
    free: Vec<usize>,
}

impl<T> Slab<T> {
    fn is_empty(&self) -> bool {
        self.free.len() == self.entries.len()
    }
}

impl<T> Slab<T> {
    fn new() -> Self {
        Slab {
            entries: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Inserts the value `make` builds from its own index.
    pub(crate) fn insert_with(&mut self, make: impl FnOnce(usize) -> T) -> usize {
        let i = self.free.pop().unwrap_or(self.entries.len());
        let value = make(i);
        if i == self.entries.len() {
            self.entries.push(Some(value));
        } else {
            self.entries[i] = Some(value);
        }
        i
    }

    pub(crate) fn remove(&mut self, i: usize) -> Option<T> {
        let v = self.entries.get_mut(i)?.take();
        if v.is_some() {
            self.free.push(i);
        }
        v
    }

    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        self.entries.get(i)?.as_ref()
    }
}

/// The state of one thread's reactor.
pub(crate) struct Inner {
    pub(crate) poll: RefCell<mio::Poll>,
    events: RefCell<mio::Events>,
    pub(crate) sources: RefCell<Slab<Rc<ScheduledIo>>>,
    tasks: RefCell<Tasks>,
    queue: RefCell<VecDeque<TaskId>>,
    /// Each waiting task's deadline; the id makes keys unique (a task has one deadline).
    timers: RefCell<BTreeSet<(Tick, TaskId)>>,
    /// What `Tick`s count from.
    epoch: Instant,
    in_loop: Cell<bool>,
    /// How many tasks have ended so far: `block_on` looks up its task only when this moves.
    ended: Cell<u64>,
    /// The tasks tokio drives.
    #[cfg(feature = "tokio")]
    driven: tokio::Driven,
}

std::thread_local! {
    static CURRENT: Inner = Inner::new();
    /// The wait request for the last IO call on a reactor source that would have blocked:
    /// what `io!` yields (see `__private::io_step`).
    static BLOCKED: Cell<Option<Wait>> = const { Cell::new(None) };
}

/// Runs `f` with this thread's reactor.
///
/// # Panics
///
/// If the OS refuses to create the poller (`epoll_create`), or during thread teardown.
pub(crate) fn with<R>(f: impl FnOnce(&Inner) -> R) -> R {
    CURRENT.with(f)
}

/// Runs `f` with this thread's reactor unless it was already destroyed (thread teardown).
pub(crate) fn try_with<R>(f: impl FnOnce(&Inner) -> R) -> Option<R> {
    CURRENT.try_with(f).ok()
}

pub(crate) fn set_blocked(wait: Wait) {
    BLOCKED.with(|b| b.set(Some(wait)));
}

pub(crate) fn take_blocked() -> Option<Wait> {
    BLOCKED.with(Cell::take)
}

impl Inner {
    fn new() -> Inner {
        let poll = match mio::Poll::new() {
            Ok(p) => p,
            Err(e) => panic!("resumable reactor: cannot create the OS poller: {e}"),
        };
        Inner {
            poll: RefCell::new(poll),
            events: RefCell::new(mio::Events::with_capacity(1024)),
            sources: RefCell::new(Slab::new()),
            tasks: RefCell::new(Tasks::default()),
            queue: RefCell::new(VecDeque::new()),
            timers: RefCell::new(BTreeSet::new()),
            epoch: Instant::now(),
            in_loop: Cell::new(false),
            ended: Cell::new(0),
            #[cfg(feature = "tokio")]
            driven: tokio::Driven::default(),
        }
    }

    fn spawn<T>(&self, task: T) -> JoinHandle<T::Output>
    where
        T: Task + 'static,
        T::Output: 'static,
    {
        #[cfg(feature = "tokio")]
        if self.driven.is_stepping() {
            // Spawned by a task tokio drives: tokio drives this one too.
            return self.spawn_driven_child(task);
        }
        let cell: Box<dyn Runnable> = Box::new(TaskCell::new(task));
        let id = self.tasks.borrow_mut().insert(cell);
        self.queue.borrow_mut().push_back(id);
        JoinHandle::new(id)
    }

    /// Makes the task runnable (once), passing `wake` to its next resume.
    pub(crate) fn schedule(&self, id: TaskId, wake: Wake) {
        let mut tasks = self.tasks.borrow_mut();
        let Some(e) = tasks.get_mut(id) else { return };
        if e.has(SCHEDULED | DONE) {
            return;
        }
        e.set(SCHEDULED, true);
        e.set(WOKE_BY_DEADLINE, wake == Wake::Deadline);
        #[cfg(feature = "tokio")]
        if e.has(DRIVEN) {
            drop(tasks);
            return self.driven.wake(id);
        }
        let timer = e.timer.take();
        drop(tasks);
        if let Some(t) = timer {
            self.timers.borrow_mut().remove(&(t, id));
        }
        self.queue.borrow_mut().push_back(id);
    }

    /// Drops a task's state now, or right after its current step if it is running; its
    /// result is then `Err(Cancelled)`.
    pub(crate) fn abort(&self, id: TaskId) {
        let mut tasks = self.tasks.borrow_mut();
        let Some(e) = tasks.get_mut(id) else { return };
        if e.has(DONE) {
            return;
        }
        e.set(ABORTED, true);
        if e.has(RUNNING) {
            return; // `run_task` cancels it when its step returns
        }
        let Some(mut task) = e.task.take() else {
            return;
        };
        // While its state drops (user code: sockets close, handles cancel other tasks...),
        // the task counts as running, so what that code does to it is deferred.
        e.set(RUNNING, true);
        drop(tasks);
        task.cancel();
        self.finish(id, task);
    }

    /// The handle of task `id` is gone: its result is not wanted. Frees the slot if the task
    /// has ended, else marks it to be freed when it ends.
    pub(crate) fn release(&self, id: TaskId) {
        let mut tasks = self.tasks.borrow_mut();
        let Some(e) = tasks.get_mut(id) else { return };
        if e.has(DONE) {
            let removed = tasks.remove(id);
            drop(tasks);
            self.drop_removed(removed);
        } else {
            e.set(DETACHED, true);
        }
    }

    /// `true` once task `id` has ended or been cancelled, or its slot is gone.
    pub(crate) fn is_finished(&self, id: TaskId) -> bool {
        match self.tasks.borrow_mut().get_mut(id) {
            Some(e) => e.has(DONE | ABORTED),
            None => true,
        }
    }

    /// `true` if task `id` has no slot any more (its result was taken).
    pub(crate) fn is_gone(&self, id: TaskId) -> bool {
        self.tasks.borrow_mut().get_mut(id).is_none()
    }

    /// Moves the result of task `id`, if it has ended, into `out` (see
    /// [`Runnable::take_output`]) and frees its slot.
    pub(crate) fn take_output(&self, id: TaskId, out: &mut dyn core::any::Any) {
        let mut tasks = self.tasks.borrow_mut();
        match tasks.get_mut(id) {
            Some(e) if e.has(DONE) => {}
            _ => return,
        }
        let mut removed = tasks.remove(id);
        drop(tasks);
        if let Some((Some(task), _)) = &mut removed {
            task.take_output(out);
        }
        self.drop_removed(removed);
    }

    fn drop_removed(&self, removed: Option<Removed>) {
        if let Some((task, timer)) = removed {
            if let Some(key) = timer {
                self.timers.borrow_mut().remove(&key);
            }
            // Dropping the task closes its sockets, aborts the tasks whose handles it held...:
            // no borrow of ours may be held here.
            drop(task);
        }
    }

    /// Task `id` has ended (its result is in `task`, which is out of its slot, and no borrow
    /// is held): wakes its joiner, and keeps the result for the handle or frees the slot.
    fn finish(&self, id: TaskId, mut task: Box<dyn Runnable>) {
        let joiner = task.joiner().take();
        self.ended.set(self.ended.get().wrapping_add(1));
        let mut tasks = self.tasks.borrow_mut();
        let e = tasks.get_mut(id).expect("a running task keeps its slot");
        e.flags = (e.flags & (DETACHED | ABORTED | DRIVEN)) | LIVE | DONE;
        #[cfg(feature = "tokio")]
        let driven = e.has(DRIVEN);
        let timer = e.timer.take().map(|t| (t, id));
        tasks.live -= 1;
        let e = tasks.get_mut(id).expect("still there");
        let removed = if e.has(DETACHED) {
            tasks.remove(id)
        } else {
            e.task = Some(task);
            None
        };
        drop(tasks);
        if let Some(key) = timer {
            self.timers.borrow_mut().remove(&key);
        }
        self.drop_removed(removed);
        #[cfg(feature = "tokio")]
        if driven {
            self.driven.ended(id); // its future resolves
        }
        if let Some(j) = joiner {
            self.schedule(j, Wake::Ready);
        }
    }

    fn run_task(&self, id: TaskId) {
        self.step(id, None, Self::park);
    }

    /// Runs one step of task `id`, resumed with `wake` (by default, what its flags say woke
    /// it), then hands what it waits for to `park`, unless it ended, was aborted or was woken
    /// during the step (it is then scheduled again). (`park` is a parameter, not a returned
    /// `Option<Wait>`: moving the request out and back costs ~15 instructions per round trip.)
    #[inline(always)]
    fn step(&self, id: TaskId, wake: Option<Wake>, park: impl FnOnce(&Self, TaskId, Wait)) {
        let (mut task, wake) = {
            let mut tasks = self.tasks.borrow_mut();
            let Some(e) = tasks.get_mut(id) else { return };
            if e.has(DONE) {
                return;
            }
            let Some(task) = e.task.take() else { return };
            e.set(SCHEDULED, false);
            e.set(RUNNING, true);
            (task, wake.unwrap_or_else(|| e.wake()))
        };
        // A `WouldBlock` that some earlier step saw and did not wait for must not be taken
        // for this step's: the "what blocked" slot starts empty for every step.
        drop(take_blocked());
        let wait = task.step(wake);
        let mut tasks = self.tasks.borrow_mut();
        let e = tasks.get_mut(id).expect("a running task keeps its slot");
        e.set(RUNNING, false);
        match wait {
            Some(wait) if !e.has(ABORTED) => {
                e.task = Some(task);
                let woken_meanwhile = e.has(SCHEDULED);
                drop(tasks);
                if !woken_meanwhile {
                    park(self, id, wait);
                }
            }
            wait => {
                drop(tasks);
                if wait.is_some() {
                    // Aborted during its own step.
                    task.cancel();
                }
                self.finish(id, task);
            }
        }
    }

    /// Records what a task that just yielded `wait` waits for.
    fn park(&self, id: TaskId, wait: Wait) {
        match &wait.kind {
            WaitKind::Now => return self.schedule(id, Wake::Ready),
            WaitKind::Never => {}
            WaitKind::Io(io, dir) => {
                if io.is_ready(*dir) {
                    return self.schedule(id, Wake::Ready);
                }
                io.waiters(*dir).add(id);
            }
            WaitKind::List(list) => list.add_waiter(id),
            WaitKind::Join(target) => {
                if !self.add_joiner(*target, id) {
                    return self.schedule(id, Wake::Ready);
                }
            }
        }
        if let Some(deadline) = wait.deadline {
            let tick = self.tick(deadline);
            self.timers.borrow_mut().insert((tick, id));
            if let Some(e) = self.tasks.borrow_mut().get_mut(id) {
                e.timer = Some(tick);
            }
        }
    }

    /// Records that task `id` waits for task `target` to end; `false` if it has ended (or is
    /// in the middle of ending), to look again now.
    fn add_joiner(&self, target: TaskId, id: TaskId) -> bool {
        let mut tasks = self.tasks.borrow_mut();
        match tasks.get_mut(target) {
            Some(e) if !e.has(DONE) => match e.task.as_mut() {
                Some(task) => {
                    *task.joiner() = Some(id);
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// How many of the live tasks tokio drives (`run` does not wait for them).
    fn driven_live(&self) -> usize {
        #[cfg(feature = "tokio")]
        return self.driven.live();
        #[cfg(not(feature = "tokio"))]
        0
    }

    /// Runs the tasks that are runnable now (not those they wake).
    fn run_ready(&self) {
        let n = self.queue.borrow().len();
        for _ in 0..n {
            let Some(id) = self.queue.borrow_mut().pop_front() else {
                break;
            };
            self.run_task(id);
        }
    }

    /// Waits for OS events (not at all if tasks are runnable, at most until the next
    /// deadline), then wakes the tasks waiting for them and for the deadlines that passed.
    fn poll_io(&self) {
        if self.queue.borrow().is_empty()
            && self.timers.borrow().is_empty()
            && self.sources.borrow().is_empty()
        {
            // Nothing runnable, no deadline, no socket: no event can ever wake a task.
            panic!(
                "resumable reactor: deadlock: every task waits, and for nothing a socket or timer could bring"
            );
        }
        let timeout = if !self.queue.borrow().is_empty() {
            Some(Duration::ZERO)
        } else {
            self.next_deadline()
                .map(|t| t.saturating_duration_since(Instant::now()))
        };
        self.poll_with(timeout);
    }

    /// The earliest deadline a task waits for.
    fn next_deadline(&self) -> Option<Instant> {
        let first = self.timers.borrow().first().map(|&(t, _)| t)?;
        Some(self.epoch + Duration::from_nanos(first.get() - 1))
    }

    /// `t` as a `Tick`: nanoseconds since the epoch, plus one; earlier instants are tick 1.
    fn tick(&self, t: Instant) -> Tick {
        let nanos = t.saturating_duration_since(self.epoch).as_nanos();
        NonZeroU64::new(u64::try_from(nanos).unwrap_or(u64::MAX - 1) + 1).expect("plus one")
    }

    /// Waits up to `timeout` for OS events, then wakes the tasks waiting for them and for
    /// the deadlines that passed.
    fn poll_with(&self, timeout: Option<Duration>) {
        let mut events = self.events.borrow_mut();
        match self.poll.borrow_mut().poll(&mut events, timeout) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => panic!("resumable reactor: waiting for OS events failed: {e}"),
        }
        {
            let sources = self.sources.borrow();
            for event in events.iter() {
                if let Some(io) = sources.get(event.token().0) {
                    io.on_event(event, self);
                }
            }
        }
        drop(events);
        if !self.timers.borrow().is_empty() {
            self.fire_timers(self.tick(Instant::now()));
        }
    }

    fn fire_timers(&self, now: Tick) {
        loop {
            let due = {
                let mut timers = self.timers.borrow_mut();
                match timers.first() {
                    Some(&(t, _)) if t <= now => timers.pop_first(),
                    _ => None,
                }
            };
            let Some((t, id)) = due else { break };
            let mut tasks = self.tasks.borrow_mut();
            if let Some(e) = tasks.get_mut(id) {
                if e.timer == Some(t) {
                    e.timer = None;
                    drop(tasks);
                    self.schedule(id, Wake::Deadline);
                }
            }
        }
    }

    fn enter(&self) -> LoopGuard<'_> {
        assert!(
            !self.in_loop.replace(true),
            "`block_on`/`run` called from inside a task: spawn the task instead, or `yield_from!` it"
        );
        LoopGuard(&self.in_loop)
    }
}

struct LoopGuard<'a>(&'a Cell<bool>);

impl Drop for LoopGuard<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

/// This thread's reactor, as a value: the same operations as the free functions
/// [`spawn`], [`block_on`], [`run`] and [`task_count`].
///
/// There is one reactor per thread, made on first use; sockets register with the reactor of
/// the thread that creates them, and tasks run on the thread that spawned them. The handle is
/// neither `Send` nor `Sync`.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{sleep, Reactor};
/// use std::time::Duration;
///
/// let reactor = Reactor::current();
/// let h = reactor.spawn(sleep(Duration::from_millis(1)));
/// assert_eq!(reactor.task_count(), 1);
/// reactor.block_on(h).unwrap();
/// assert_eq!(reactor.task_count(), 0);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Reactor {
    _this_thread: core::marker::PhantomData<*const ()>,
}

impl Reactor {
    /// The reactor of the current thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = resumable_runtime::reactor::Reactor::current();
    /// r.run(); // nothing to run: returns at once
    /// ```
    pub fn current() -> Reactor {
        Reactor {
            _this_thread: core::marker::PhantomData,
        }
    }

    /// [`spawn`] on this reactor.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{yield_now, Reactor};
    /// let h = Reactor::current().spawn(yield_now());
    /// assert!(!h.is_finished());
    /// # drop(h);
    /// ```
    pub fn spawn<T>(&self, task: T) -> JoinHandle<T::Output>
    where
        T: Task + 'static,
        T::Output: 'static,
    {
        spawn(task)
    }

    /// [`block_on`] on this reactor.
    ///
    /// # Panics
    ///
    /// As [`block_on`].
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{yield_now, Reactor};
    /// Reactor::current().block_on(yield_now());
    /// ```
    pub fn block_on<T>(&self, task: T) -> T::Output
    where
        T: Task + 'static,
        T::Output: 'static,
    {
        block_on(task)
    }

    /// [`run`] on this reactor.
    ///
    /// # Panics
    ///
    /// As [`run`].
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{yield_now, Reactor};
    /// let r = Reactor::current();
    /// r.spawn(yield_now()).detach();
    /// r.run();
    /// assert_eq!(r.task_count(), 0);
    /// ```
    pub fn run(&self) {
        run()
    }

    /// [`task_count`] of this reactor.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::Reactor;
    /// assert_eq!(Reactor::current().task_count(), 0);
    /// ```
    pub fn task_count(&self) -> usize {
        task_count()
    }
}

/// Adds `task` to this thread's reactor and returns its handle; the task starts running at
/// the next [`block_on`] or [`run`] on this thread.
///
/// Dropping the [`JoinHandle`] cancels the task (its state is dropped, closing its sockets);
/// call [`JoinHandle::detach`] to let it run on its own.
///
/// Called from a task that tokio drives (feature `tokio`, `tokio::TaskFuture`), it makes
/// the new task a tokio task too (`tokio::task::spawn_local`), and the task starts there.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, sleep, spawn};
/// use std::time::Duration;
///
/// let h = spawn(sleep(Duration::from_millis(1)));
/// assert_eq!(block_on(h).unwrap(), ());
/// ```
pub fn spawn<T>(task: T) -> JoinHandle<T::Output>
where
    T: Task + 'static,
    T::Output: 'static,
{
    with(|inner| inner.spawn(task))
}

/// Runs this thread's reactor until `task` ends, and returns its output. The other tasks of
/// the reactor run meanwhile, and those still running when `task` ends stay in it.
///
/// # Panics
///
/// If `task` panics (the panic is resumed here), or when called from inside a task. On a
/// certain deadlock too: no task runnable, no deadline pending and no socket open, so no
/// event could ever come. (With a socket open, a task waiting for what never comes waits
/// forever.)
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, sleep, timeout};
/// use std::time::Duration;
///
/// let r = block_on(timeout(Duration::from_millis(1), sleep(Duration::from_secs(60))));
/// assert!(r.is_err());
/// ```
pub fn block_on<T>(task: T) -> T::Output
where
    T: Task + 'static,
    T::Output: 'static,
{
    with(|inner| {
        let _guard = inner.enter();
        let mut handle = inner.spawn(task);
        let mut ended = inner.ended.get();
        loop {
            inner.run_ready();
            // A look-up in the slab per loop shows in the instructions per round trip.
            if inner.ended.get() != ended {
                ended = inner.ended.get();
                if handle.is_finished() {
                    break;
                }
            }
            inner.poll_io();
        }
        match handle.try_take() {
            Some(Ok(v)) => v,
            Some(Err(JoinError::Panicked(p))) => panic::resume_unwind(p),
            Some(Err(e)) => panic!("`block_on`: {e}"),
            None => unreachable!("finished task has a result"),
        }
    })
}

/// Runs this thread's reactor until no task is left.
///
/// # Panics
///
/// When called from inside a task, or on a certain deadlock (as [`block_on`]). A task that
/// panics does not stop the loop: its panic goes to its [`JoinHandle`].
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{run, sleep, spawn};
/// use std::time::Duration;
///
/// spawn(sleep(Duration::from_millis(2))).detach();
/// run(); // returns once the sleep is over
/// ```
pub fn run() {
    with(|inner| {
        let _guard = inner.enter();
        loop {
            inner.run_ready();
            if inner.tasks.borrow().live == inner.driven_live() {
                break;
            }
            inner.poll_io();
        }
    })
}

/// The number of tasks in this thread's reactor that have not ended yet.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{spawn, task_count, Wait, Wake};
/// use resumable_runtime::{Coroutine, CoroutineState};
///
/// struct Once;
/// impl Coroutine<Wake> for Once {
///     type Yield = Wait;
///     type Return = ();
///     fn resume(&mut self, _: Wake) -> CoroutineState<Wait, ()> {
///         CoroutineState::Complete(())
///     }
/// }
/// let before = task_count();
/// let h = spawn(Once);
/// assert_eq!(task_count(), before + 1);
/// drop(h); // cancels it
/// assert_eq!(task_count(), before);
/// ```
pub fn task_count() -> usize {
    with(|inner| inner.tasks.borrow().live)
}

/// Runs a task's step, catching its panic.
fn catch<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    panic::catch_unwind(AssertUnwindSafe(f))
}

/// A task that yields once to the other runnable tasks, then ends.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, yield_now};
/// block_on(yield_now());
/// ```
pub fn yield_now() -> YieldNow {
    YieldNow(false)
}

/// The task [`yield_now`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{yield_now, Wake};
/// use resumable_runtime::Coroutine;
/// let mut y = yield_now();
/// assert!(!y.resume(Wake::Ready).is_complete());
/// assert_eq!(y.resume(Wake::Ready).complete(), Some(()));
/// ```
#[derive(Clone, Debug)]
pub struct YieldNow(bool);

impl Coroutine<Wake> for YieldNow {
    type Yield = Wait;
    type Return = ();
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, ()> {
        if self.0 {
            CoroutineState::Complete(())
        } else {
            self.0 = true;
            CoroutineState::Yielded(Wait::yield_now())
        }
    }
}

/// Fails to compile outside a `#[resumable::coroutine]` task; inside one, `io!(call)` runs
/// the non-blocking IO `call` and, while it fails with `WouldBlock`, suspends the task until
/// the socket it blocked on is ready, then runs `call` again. It evaluates to the
/// `io::Result` of the first attempt that did not block.
///
/// `call` must be an operation on one of this crate's sockets ([`crate::net`]): they tell
/// the reactor what blocked. (A `WouldBlock` from anything else makes the task yield to the
/// others and try again, which spins.)
///
/// # Examples
///
/// Inside a task (with the `resumable` facade crate):
///
/// ```text
/// #[resumable::coroutine]
/// fn echo(stream: TcpStream) -> impl Task<Output = io::Result<()>> {
///     let mut buf = [0u8; 4096];
///     loop {
///         let n = io!((&stream).read(&mut buf))?;
///         if n == 0 { return Ok(()); }
///         ...
///     }
/// }
/// ```
///
/// Anywhere else it is a compile error:
///
/// ```compile_fail
/// let n = resumable_runtime::io!(std::io::Result::Ok(1));
/// ```
#[macro_export]
macro_rules! io {
    ($($tt:tt)*) => {
        ::core::compile_error!(
            "`io!` can only be used inside a `#[resumable::coroutine]` task (a function returning `impl Task<Output = ..>`)"
        )
    };
}
