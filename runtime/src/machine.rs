use core::fmt;
use core::iter::FusedIterator;

use crate::__private::{DoneFlag, State};
use crate::{Coroutine, CoroutineState};

/// The driver every `#[resumable::coroutine]` expands to: the state enum the macro generated
/// for your function, and the step function that runs it from one yield point to the next.
///
/// You rarely name this type: functions return it behind `impl Iterator<..>` or
/// `impl Coroutine<..>`. It implements [`Coroutine`] always, [`Iterator`] and
/// [`FusedIterator`] when it takes `()` and returns `()`, [`Clone`] and [`Debug`] whenever
/// the locals live at its yield points do, and [`Inspect`] to ask where it stands.
/// `D` is `bool` when it also remembers, beside the state, that `next` returned `None`
/// (when the function lends a kept local to a call, which makes that faster to test), and
/// `()` otherwise.
///
/// # Examples
///
/// ```
/// use resumable::{generator, Inspect, Status};
///
/// let mut g = generator! { yield!(1); yield!(2) };
/// assert_eq!(g.status(), Status::NotStarted);
/// assert_eq!(g.next(), Some(1));
/// let mut fork = g.clone(); // a suspended generator forks with `Clone`
/// assert_eq!(g.collect::<Vec<_>>(), [2]);
/// assert_eq!(fork.next(), Some(2));
/// assert_eq!(fork.next(), None);
/// assert!(fork.is_done());
/// ```
#[derive(Clone)]
pub struct Machine<S, F, D = ()> {
    state: S,
    step: F,
    done: D,
}

impl<S, F, D: DoneFlag> Machine<S, F, D> {
    // Only `__private::machine` builds one: its where-clause is what makes inference work.
    pub(crate) fn new(state: S, step: F) -> Self {
        Machine {
            state,
            step,
            done: D::default(),
        }
    }
}

impl<S: State, F, D> Machine<S, F, D> {
    #[inline(always)]
    fn step<A, Y, R>(&mut self, arg: A) -> CoroutineState<Y, R>
    where
        F: FnMut(&mut S, A) -> CoroutineState<Y, R>,
    {
        // A step may work on the locals in the state itself: if it panics, the guard
        // poisons the state (dropping them) as the unwinding leaves.
        let guard = PoisonOnUnwind(&mut self.state);
        let out = (self.step)(&mut *guard.0, arg);
        core::mem::forget(guard);
        out
    }
}

struct PoisonOnUnwind<'a, S: State>(&'a mut S);

impl<S: State> Drop for PoisonOnUnwind<'_, S> {
    fn drop(&mut self) {
        self.0.poison();
    }
}

impl<A, Y, R, S: State, F, D> Coroutine<A> for Machine<S, F, D>
where
    F: FnMut(&mut S, A) -> CoroutineState<Y, R>,
{
    type Yield = Y;
    type Return = R;

    #[inline]
    fn resume(&mut self, arg: A) -> CoroutineState<Y, R> {
        self.step(arg)
    }
}

impl<Y, S: State, F, D: DoneFlag> Iterator for Machine<S, F, D>
where
    F: FnMut(&mut S, ()) -> CoroutineState<Y, ()>,
{
    type Item = Y;

    #[inline]
    fn next(&mut self) -> Option<Y> {
        if self.done.get() {
            return None;
        }
        match self.step(()) {
            CoroutineState::Yielded(y) => Some(y),
            CoroutineState::Complete(()) => {
                self.done.set();
                None
            }
        }
    }
}

// Every machine reachable as an iterator keeps returning `Complete(())` once done.
impl<Y, S: State, F, D: DoneFlag> FusedIterator for Machine<S, F, D> where
    F: FnMut(&mut S, ()) -> CoroutineState<Y, ()>
{
}

impl<S: fmt::Debug, F, D> fmt::Debug for Machine<S, F, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.state.fmt(f)
    }
}

/// Where a coroutine stands, asked without resuming it.
///
/// # Examples
///
/// ```
/// use resumable::{Inspect, Status};
///
/// #[resumable::coroutine]
/// fn two() -> impl Iterator<Item = u8> + Inspect {
///     yield_!(1);
///     yield_!(2);
/// }
///
/// let mut g = two();
/// assert_eq!(g.status(), Status::NotStarted);
/// g.next();
/// match g.status() {
///     Status::Suspended(at) => assert_eq!(at.function, "two"),
///     other => panic!("unexpected {other:?}"),
/// }
/// g.by_ref().for_each(drop);
/// assert!(g.is_done());
/// ```
pub trait Inspect {
    /// The current status: not started, suspended (and where), complete or poisoned.
    fn status(&self) -> Status;

    /// `true` once the coroutine has returned.
    fn is_done(&self) -> bool {
        self.status() == Status::Complete
    }
}

impl<S: State, F, D> Inspect for Machine<S, F, D> {
    #[inline]
    fn status(&self) -> Status {
        self.state.status()
    }
}

/// The status of a coroutine, from [`Inspect::status`].
///
/// # Examples
///
/// ```
/// use resumable::{generator, Inspect, Status};
///
/// let g = generator! { yield!(()) };
/// assert_eq!(g.status(), Status::NotStarted);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Not resumed yet.
    NotStarted,
    /// Suspended at the yield point at this place in the source.
    Suspended(&'static Location),
    /// Returned; it yields no more.
    Complete,
    /// A panic escaped from it while it ran; resuming it panics.
    Poisoned,
}

/// A yield point in the source: the function it is in and where.
///
/// # Examples
///
/// ```
/// use resumable::{generator, Inspect, Status};
///
/// let mut g = generator! { yield!(1) };
/// g.next();
/// let Status::Suspended(at) = g.status() else { unreachable!() };
/// assert_eq!(at.function, "generator");
/// assert!(at.file.ends_with(".rs"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The function's name (`generator` for `generator!` blocks).
    pub function: &'static str,
    /// The source file, as `file!()` gives it.
    pub file: &'static str,
    /// The line of the yield, starting at 1.
    pub line: u32,
    /// The column of the yield, starting at 1.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}
