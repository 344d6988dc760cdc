use alloc::boxed::Box;

/// What one [`Coroutine::resume`] produced: a yielded value, or the final return value.
///
/// # Examples
///
/// ```
/// use resumable_runtime::CoroutineState;
///
/// let s: CoroutineState<u8, &str> = CoroutineState::Yielded(1);
/// assert_eq!(s.yielded(), Some(1));
/// assert!(CoroutineState::<u8, _>::Complete("done").is_complete());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CoroutineState<Y, R> {
    /// The coroutine suspended at a yield point with this value.
    Yielded(Y),
    /// The coroutine ran to its end and returned this value.
    Complete(R),
}

impl<Y, R> CoroutineState<Y, R> {
    /// `true` for [`CoroutineState::Complete`].
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::CoroutineState;
    /// assert!(!CoroutineState::<u8, ()>::Yielded(0).is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        matches!(self, CoroutineState::Complete(_))
    }

    /// The yielded value, or `None` if the coroutine completed.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::CoroutineState;
    /// assert_eq!(CoroutineState::<u8, ()>::Yielded(7).yielded(), Some(7));
    /// ```
    pub fn yielded(self) -> Option<Y> {
        match self {
            CoroutineState::Yielded(y) => Some(y),
            CoroutineState::Complete(_) => None,
        }
    }

    /// The return value, or `None` if the coroutine yielded.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::CoroutineState;
    /// assert_eq!(CoroutineState::<u8, u8>::Complete(3).complete(), Some(3));
    /// ```
    pub fn complete(self) -> Option<R> {
        match self {
            CoroutineState::Yielded(_) => None,
            CoroutineState::Complete(r) => Some(r),
        }
    }
}

/// A computation that can be suspended at yield points and resumed with an argument.
///
/// Unlike std's nightly `Coroutine`, `resume` takes `&mut self`, not `Pin<&mut Self>`: the
/// machines `#[resumable::coroutine]` builds never borrow from themselves, so they may move
/// freely between resumes.
///
/// # Examples
///
/// ```
/// use resumable::{Coroutine, CoroutineState};
///
/// #[resumable::coroutine]
/// fn running_sum() -> impl Coroutine<i32, Yield = i32, Return = ()> {
///     let mut sum = 0;
///     loop {
///         let x = yield_!(sum);
///         if x == 0 {
///             return;
///         }
///         sum += x;
///     }
/// }
///
/// let mut c = running_sum();
/// assert_eq!(c.resume(0), CoroutineState::Yielded(0)); // the first argument starts it
/// assert_eq!(c.resume(5), CoroutineState::Yielded(5));
/// assert_eq!(c.resume(2), CoroutineState::Yielded(7));
/// assert_eq!(c.resume(0), CoroutineState::Complete(()));
/// ```
pub trait Coroutine<A = ()> {
    /// The type of the values passed out at each yield point.
    type Yield;
    /// The type of the value the coroutine finishes with.
    type Return;

    /// Runs the coroutine until its next yield point or its end.
    ///
    /// `arg` becomes the value of the yield expression the coroutine is suspended at; the
    /// argument of the first resume has no yield to go to (see `#[coroutine(arg = ...)]`).
    ///
    /// # Panics
    ///
    /// Coroutines built by `#[resumable::coroutine]` panic when resumed after they completed
    /// (the iterator form instead keeps returning `None`) or after a panic inside them.
    fn resume(&mut self, arg: A) -> CoroutineState<Self::Yield, Self::Return>;
}

impl<A, C: Coroutine<A> + ?Sized> Coroutine<A> for &mut C {
    type Yield = C::Yield;
    type Return = C::Return;
    #[inline]
    fn resume(&mut self, arg: A) -> CoroutineState<C::Yield, C::Return> {
        (**self).resume(arg)
    }
}

impl<A, C: Coroutine<A> + ?Sized> Coroutine<A> for Box<C> {
    type Yield = C::Yield;
    type Return = C::Return;
    #[inline]
    fn resume(&mut self, arg: A) -> CoroutineState<C::Yield, C::Return> {
        (**self).resume(arg)
    }
}
