//! Sleeps and timeouts. The reactor keeps the deadlines of waiting tasks in an ordered map;
//! these tasks only ask for them, and check the clock when resumed.

use core::fmt;
use std::io;
use std::time::{Duration, Instant};

use super::{Task, Wait, Wake};
use crate::{Coroutine, CoroutineState};

/// A task that ends once `duration` has passed (never earlier).
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, sleep};
/// use std::time::{Duration, Instant};
///
/// let start = Instant::now();
/// block_on(sleep(Duration::from_millis(10)));
/// assert!(start.elapsed() >= Duration::from_millis(10));
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    sleep_until(Instant::now() + duration)
}

/// A task that ends once `deadline` has passed (never earlier).
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, sleep_until};
/// use std::time::{Duration, Instant};
///
/// let deadline = Instant::now() + Duration::from_millis(5);
/// block_on(sleep_until(deadline));
/// assert!(Instant::now() >= deadline);
/// ```
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep { deadline }
}

/// The task [`sleep`] and [`sleep_until`] return.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{sleep, Wake};
/// use resumable_runtime::Coroutine;
/// use std::time::Duration;
///
/// let mut s = sleep(Duration::from_secs(60));
/// let wait = s.resume(Wake::Ready).yielded().unwrap();
/// assert_eq!(wait.deadline(), Some(s.deadline()));
/// ```
#[derive(Clone, Debug)]
pub struct Sleep {
    deadline: Instant,
}

impl Sleep {
    /// When the sleep ends.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::sleep_until;
    /// use std::time::Instant;
    /// let t = Instant::now();
    /// assert_eq!(sleep_until(t).deadline(), t);
    /// ```
    pub fn deadline(&self) -> Instant {
        self.deadline
    }
}

impl Coroutine<Wake> for Sleep {
    type Yield = Wait;
    type Return = ();

    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, ()> {
        if Instant::now() >= self.deadline {
            CoroutineState::Complete(())
        } else {
            CoroutineState::Yielded(Wait::until(self.deadline))
        }
    }
}

/// Runs `task` for at most `duration`: ends with `Ok(output)` if the task ends in time, else
/// drops the task (closing its sockets) and ends with `Err(Elapsed)`.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, sleep, timeout};
/// use std::time::Duration;
///
/// let quick = timeout(Duration::from_secs(5), sleep(Duration::from_millis(1)));
/// assert_eq!(block_on(quick), Ok(()));
/// let slow = timeout(Duration::from_millis(1), sleep(Duration::from_secs(5)));
/// assert!(block_on(slow).is_err());
/// ```
pub fn timeout<T: Task>(duration: Duration, task: T) -> Timeout<T> {
    Timeout {
        task: Some(task),
        deadline: Instant::now() + duration,
        started: false,
    }
}

/// The task [`timeout`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{sleep, timeout, Wake};
/// use resumable_runtime::Coroutine;
/// use std::time::Duration;
///
/// let mut t = timeout(Duration::from_millis(1), sleep(Duration::from_secs(60)));
/// let wait = t.resume(Wake::Ready).yielded().unwrap();
/// assert_eq!(wait.deadline(), Some(t.deadline())); // the earlier of the two deadlines
/// ```
#[derive(Debug)]
pub struct Timeout<T> {
    task: Option<T>,
    deadline: Instant,
    started: bool,
}

impl<T> Timeout<T> {
    /// When the time runs out.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{timeout, yield_now};
    /// use std::time::{Duration, Instant};
    /// let t = timeout(Duration::from_secs(1), yield_now());
    /// assert!(t.deadline() > Instant::now());
    /// ```
    pub fn deadline(&self) -> Instant {
        self.deadline
    }
}

impl<T: Task> Coroutine<Wake> for Timeout<T> {
    type Yield = Wait;
    type Return = Result<T::Output, Elapsed>;

    /// # Panics
    ///
    /// When resumed after it ended.
    fn resume(&mut self, wake: Wake) -> CoroutineState<Wait, Result<T::Output, Elapsed>> {
        let Some(task) = self.task.as_mut() else {
            panic!("`Timeout` resumed after it ended");
        };
        if self.started && Instant::now() >= self.deadline {
            self.task = None;
            return CoroutineState::Complete(Err(Elapsed(())));
        }
        self.started = true;
        match task.resume(wake) {
            CoroutineState::Yielded(wait) => {
                CoroutineState::Yielded(wait.with_deadline(self.deadline))
            }
            CoroutineState::Complete(output) => {
                self.task = None;
                CoroutineState::Complete(Ok(output))
            }
        }
    }
}

/// The error of a [`timeout`] whose time ran out. Converts into an `io::Error` of kind
/// `TimedOut`.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, sleep, timeout};
/// use std::{io, time::Duration};
///
/// let e = block_on(timeout(Duration::ZERO, sleep(Duration::from_secs(1)))).unwrap_err();
/// assert_eq!(io::Error::from(e).kind(), io::ErrorKind::TimedOut);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed(());

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

impl From<Elapsed> for io::Error {
    fn from(e: Elapsed) -> io::Error {
        io::Error::new(io::ErrorKind::TimedOut, e)
    }
}
