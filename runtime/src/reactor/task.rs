//! Spawned tasks: the type-erased cell the reactor runs, and the handle that joins or cancels.

use core::any::Any;
use core::fmt;
use std::boxed::Box;
use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;

use super::{catch, try_with, Task, TaskId, Wait, Waitable, Wake};
use crate::{Coroutine, CoroutineState};

/// What the reactor runs: one step of a task, `None` once it has ended (its result is then
/// in its join state).
pub(crate) trait Runnable {
    fn step(&mut self, wake: Wake) -> Option<Wait>;
}

pub(crate) struct TaskCell<T: Task> {
    task: T,
    join: Rc<JoinState<T::Output>>,
}

impl<T: Task> TaskCell<T> {
    pub(crate) fn new(task: T, join: Rc<JoinState<T::Output>>) -> Self {
        TaskCell { task, join }
    }
}

impl<T: Task> Runnable for TaskCell<T> {
    #[inline]
    fn step(&mut self, wake: Wake) -> Option<Wait> {
        match catch(|| self.task.resume(wake)) {
            Ok(CoroutineState::Yielded(wait)) => Some(wait),
            Ok(CoroutineState::Complete(output)) => {
                self.join.finish(Ok(output));
                None
            }
            Err(payload) => {
                self.join.finish(Err(JoinError::Panicked(payload)));
                None
            }
        }
    }
}

enum Slot<T> {
    Running,
    Done(Result<T, JoinError>),
    Taken,
}

/// Shared between a task and its handle.
pub(crate) struct JoinState<T> {
    slot: RefCell<Slot<T>>,
    /// The task joining this one: the handle is not `Clone`, so there is at most one.
    joiner: Cell<Option<TaskId>>,
}

impl<T> JoinState<T> {
    pub(crate) fn new() -> Self {
        JoinState {
            slot: RefCell::new(Slot::Running),
            joiner: Cell::new(None),
        }
    }

    /// Stores the result unless there is one already, and wakes the joiners.
    fn finish(&self, result: Result<T, JoinError>) {
        {
            let mut slot = self.slot.borrow_mut();
            if !matches!(*slot, Slot::Running) {
                return;
            }
            *slot = Slot::Done(result);
        }
        if let Some(id) = self.joiner.take() {
            let _ = try_with(|inner| inner.schedule(id, Wake::Ready));
        }
    }
}

impl<T> Waitable for JoinState<T> {
    fn add_waiter(&self, id: TaskId) {
        self.joiner.set(Some(id));
    }
}

/// Why a task has no output for its [`JoinHandle`].
pub enum JoinError {
    /// The task was cancelled ([`JoinHandle::abort`]) before it ended.
    Cancelled,
    /// The task panicked; this is the panic's payload.
    Panicked(Box<dyn Any + Send + 'static>),
}

impl JoinError {
    /// `true` if the task was cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::JoinError;
    /// assert!(JoinError::Cancelled.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        matches!(self, JoinError::Cancelled)
    }

    /// `true` if the task panicked.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::JoinError;
    /// assert!(JoinError::Panicked(Box::new("boom")).is_panic());
    /// ```
    pub fn is_panic(&self) -> bool {
        matches!(self, JoinError::Panicked(_))
    }

    /// The panic's payload, to re-raise with [`std::panic::resume_unwind`].
    ///
    /// # Panics
    ///
    /// If the task was cancelled rather than panicking.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::JoinError;
    /// let p = JoinError::Panicked(Box::new("boom")).into_panic();
    /// assert_eq!(*p.downcast::<&str>().unwrap(), "boom");
    /// ```
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        match self {
            JoinError::Panicked(p) => p,
            JoinError::Cancelled => panic!("`JoinError::into_panic` on a cancelled task"),
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Cancelled => f.write_str("Cancelled"),
            JoinError::Panicked(p) => f
                .debug_tuple("Panicked")
                .field(&panic_message(&**p))
                .finish(),
        }
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Cancelled => f.write_str("task was cancelled"),
            JoinError::Panicked(p) => write!(f, "task panicked: {}", panic_message(&**p)),
        }
    }
}

impl std::error::Error for JoinError {}

impl From<JoinError> for io::Error {
    /// An `io::Error` of kind `Interrupted` (cancelled) or `Other` (panicked).
    fn from(e: JoinError) -> io::Error {
        let kind = if e.is_cancelled() {
            io::ErrorKind::Interrupted
        } else {
            io::ErrorKind::Other
        };
        io::Error::new(kind, std::string::ToString::to_string(&e))
    }
}

fn panic_message(p: &(dyn Any + Send)) -> &str {
    if let Some(s) = p.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = p.downcast_ref::<std::string::String>() {
        s
    } else {
        "(non-string payload)"
    }
}

/// The handle of a spawned task: join it (it is itself a task that ends with the spawned
/// task's result), cancel it ([`abort`](JoinHandle::abort), or drop the handle), or
/// [`detach`](JoinHandle::detach) it.
///
/// Cancelling drops the task's state at once (or right after its current step, if it is
/// the one running): its locals are dropped, its sockets closed.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, sleep, spawn};
/// use std::time::Duration;
///
/// let task = spawn(sleep(Duration::from_millis(1)));
/// // `JoinHandle` is a task too: wait for it from another task, or here.
/// block_on(task).expect("neither cancelled nor panicked");
///
/// let forever = spawn(sleep(Duration::from_secs(3600)));
/// forever.abort();
/// assert!(block_on(forever).unwrap_err().is_cancelled());
/// ```
#[must_use = "dropping a `JoinHandle` cancels the task; call `.detach()` to let it run"]
pub struct JoinHandle<T> {
    id: TaskId,
    join: Rc<JoinState<T>>,
    detached: bool,
}

impl<T> JoinHandle<T> {
    pub(crate) fn new(id: TaskId, join: Rc<JoinState<T>>) -> Self {
        JoinHandle {
            id,
            join,
            detached: false,
        }
    }

    /// Cancels the task: its state is dropped now (right after its current step if it is
    /// running), and joining it gives [`JoinError::Cancelled`]. Does nothing if it ended.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{sleep, spawn};
    /// use std::time::Duration;
    /// let h = spawn(sleep(Duration::from_secs(3600)));
    /// h.abort();
    /// assert!(h.is_finished());
    /// ```
    pub fn abort(&self) {
        let _ = try_with(|inner| inner.abort(self.id));
        self.join.finish(Err(JoinError::Cancelled));
    }

    /// Lets the task run to its end with no one to join it (its output is dropped; so is its
    /// panic, after the panic hook has printed it).
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{run, sleep, spawn};
    /// use std::time::Duration;
    /// spawn(sleep(Duration::from_millis(1))).detach();
    /// run();
    /// ```
    pub fn detach(mut self) {
        self.detached = true;
    }

    /// `true` once the task has ended (or was cancelled).
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{run, yield_now, spawn};
    /// let h = spawn(yield_now());
    /// assert!(!h.is_finished());
    /// # let h2 = h;
    /// # resumable_runtime::reactor::block_on(h2).unwrap();
    /// ```
    pub fn is_finished(&self) -> bool {
        !matches!(*self.join.slot.borrow(), Slot::Running)
    }

    /// Takes the result if the task has ended: `None` while it runs, or if taken before.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{sleep, spawn};
    /// use std::time::Duration;
    /// let mut h = spawn(sleep(Duration::from_secs(3600)));
    /// assert!(h.try_take().is_none());
    /// h.abort();
    /// assert!(h.try_take().unwrap().unwrap_err().is_cancelled());
    /// ```
    pub fn try_take(&mut self) -> Option<Result<T, JoinError>> {
        let mut slot = self.join.slot.borrow_mut();
        match core::mem::replace(&mut *slot, Slot::Taken) {
            Slot::Done(r) => Some(r),
            other => {
                *slot = other;
                None
            }
        }
    }
}

impl<T> Coroutine<Wake> for JoinHandle<T>
where
    T: 'static,
{
    type Yield = Wait;
    type Return = Result<T, JoinError>;

    /// Ends with the task's result once it has one; until then waits for it.
    ///
    /// # Panics
    ///
    /// When resumed after it returned the result.
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, Result<T, JoinError>> {
        if let Some(r) = self.try_take() {
            return CoroutineState::Complete(r);
        }
        if matches!(*self.join.slot.borrow(), Slot::Taken) {
            panic!("`JoinHandle` resumed after it returned the task's result");
        }
        CoroutineState::Yielded(Wait::list(self.join.clone()))
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("finished", &self.is_finished())
            .field("detached", &self.detached)
            .finish()
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if !self.detached && !self.is_finished() {
            self.abort();
        }
    }
}
