//! Spawned tasks: the type-erased cell the reactor runs, and the handle that joins or cancels.
//!
//! A task's state and, once it ends, its result share one allocation owned by the reactor's
//! slab (as in tokio, the output takes the place of the state); the [`JoinHandle`] holds only
//! the task's id and reaches the result through the reactor.

use core::any::Any;
use core::fmt;
use core::marker::PhantomData;
use std::boxed::Box;
use std::io;

use super::{catch, try_with, Task, TaskId, Wait, Wake};
use crate::{Coroutine, CoroutineState};

/// What the reactor runs, type-erased.
pub(crate) trait Runnable {
    /// One step of the task; `None` once it has ended (its result is then in the cell).
    fn step(&mut self, wake: Wake) -> Option<Wait>;
    /// Drops the task's state and records it as cancelled, unless it has ended already.
    fn cancel(&mut self);
    /// Moves the result, if there is one, into `out`, an `Option<Result<Output, JoinError>>`.
    fn take_output(&mut self, out: &mut dyn Any);
    /// The task to wake when this one ends (the handle is not `Clone`: at most one).
    fn joiner(&mut self) -> &mut Option<TaskId>;
}

pub(crate) struct TaskCell<T: Task> {
    joiner: Option<TaskId>,
    stage: Stage<T>,
}

enum Stage<T: Task> {
    Running(T),
    Done(Result<T::Output, JoinError>),
    Taken,
}

impl<T: Task> TaskCell<T> {
    pub(crate) fn new(task: T) -> Self {
        TaskCell {
            joiner: None,
            stage: Stage::Running(task),
        }
    }
}

impl<T: Task> Runnable for TaskCell<T>
where
    T::Output: 'static,
{
    #[inline]
    fn step(&mut self, wake: Wake) -> Option<Wait> {
        let Stage::Running(task) = &mut self.stage else {
            return None;
        };
        let result = match catch(|| task.resume(wake)) {
            Ok(CoroutineState::Yielded(wait)) => return Some(wait),
            Ok(CoroutineState::Complete(output)) => Ok(output),
            Err(payload) => Err(JoinError::Panicked(payload)),
        };
        // Drops the state (a panicked machine's is already gone), which may run user code:
        // the reactor holds no borrow during a step.
        self.stage = Stage::Done(result);
        None
    }

    fn cancel(&mut self) {
        if let Stage::Running(_) = self.stage {
            self.stage = Stage::Done(Err(JoinError::Cancelled));
        }
    }

    fn take_output(&mut self, out: &mut dyn Any) {
        if let Some(out) = out.downcast_mut::<Option<Result<T::Output, JoinError>>>() {
            if let Stage::Done(r) = core::mem::replace(&mut self.stage, Stage::Taken) {
                *out = Some(r);
            }
        }
    }

    fn joiner(&mut self) -> &mut Option<TaskId> {
        &mut self.joiner
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
    _output: PhantomData<fn() -> T>,
    /// The task lives in this thread's reactor: neither `Send` nor `Sync`.
    _this_thread: PhantomData<*const ()>,
}

impl<T> JoinHandle<T> {
    pub(crate) fn new(id: TaskId) -> Self {
        JoinHandle {
            id,
            _output: PhantomData,
            _this_thread: PhantomData,
        }
    }

    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn id(&self) -> TaskId {
        self.id
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
    pub fn detach(self) {
        let _ = try_with(|inner| inner.release(self.id));
        core::mem::forget(self); // the handle owns nothing else; its `Drop` would cancel
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
        try_with(|inner| inner.is_finished(self.id)).unwrap_or(true)
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
    pub fn try_take(&mut self) -> Option<Result<T, JoinError>>
    where
        T: 'static,
    {
        let mut out: Option<Result<T, JoinError>> = None;
        let _ = try_with(|inner| inner.take_output(self.id, &mut out));
        out
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
        if try_with(|inner| inner.is_gone(self.id)).unwrap_or(true) {
            panic!("`JoinHandle` resumed after it returned the task's result");
        }
        CoroutineState::Yielded(Wait::join(self.id))
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        let _ = try_with(|inner| {
            inner.abort(self.id);
            inner.release(self.id);
        });
    }
}
