use alloc::vec::Vec;
use core::fmt;
use core::iter::FusedIterator;
use core::marker::PhantomData;

use crate::machine::{Inspect, Status};
use crate::{Coroutine, CoroutineState};

/// What a frame of a [`Trampoline`] hands to it: a value for the caller, or a recursive call.
///
/// Not public API: generated code builds it (`__private::Step`).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step<Y, P, A> {
    /// `yield_!(y)`: goes out to whoever resumes the trampoline.
    Yield(Y),
    /// `yield_from!(f(args), first)`: start a frame for `f(args)`, resume it with `first`.
    Call(P, A),
    /// The same call where the frame holds nothing and would only complete after it: the new
    /// frame replaces this one.
    TailCall(P, A),
}

/// What a frame of a [`Trampoline`] is resumed with when the function takes or returns
/// something: an argument from the caller, or the return value of the frame it called.
///
/// Not public API: generated code takes it apart (`__private::Resume`).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume<A, R> {
    /// The argument of a `resume`, for the `yield_!` the frame is suspended at.
    Arg(A),
    /// The return value of the called frame, for the `yield_from!` the frame is suspended at.
    Return(R),
}

impl<A, R> Resume<A, R> {
    /// The value of a `yield_!`.
    #[inline(always)]
    pub fn into_arg(self) -> A {
        match self {
            Resume::Arg(a) => a,
            Resume::Return(_) => {
                unreachable!("a frame suspended at `yield_!` resumed with a return value")
            }
        }
    }

    /// The value of a recursive `yield_from!`.
    #[inline(always)]
    pub fn into_return(self) -> R {
        match self {
            Resume::Return(r) => r,
            Resume::Arg(_) => {
                unreachable!("a frame suspended at `yield_from!` resumed with an argument")
            }
        }
    }
}

/// How a frame is resumed: [`Resume`], or plain `()` when the function takes and returns
/// `()` (an iterator), where an argument and a return value need no telling apart.
#[doc(hidden)]
pub trait Resumption<A, R> {
    /// Resumes with an argument from the caller.
    fn arg(a: A) -> Self;
    /// Resumes with the return value of the called frame.
    fn ret(r: R) -> Self;
}

impl<A, R> Resumption<A, R> for Resume<A, R> {
    #[inline(always)]
    fn arg(a: A) -> Self {
        Resume::Arg(a)
    }
    #[inline(always)]
    fn ret(r: R) -> Self {
        Resume::Return(r)
    }
}

impl Resumption<(), ()> for () {
    #[inline(always)]
    fn arg((): ()) {}
    #[inline(always)]
    fn ret((): ()) {}
}

/// The driver of a recursive `#[resumable::coroutine]`: a stack of the function's own
/// frames, of which only the top one runs.
///
/// When a function delegates to itself (`yield_from!(Box::new(walk(t, left)))`), the macro
/// does not nest one machine inside another: the call becomes a request to push a new
/// frame, and each value the innermost call yields goes straight to the caller, whatever the
/// depth. No frame is boxed; the frames live in one `Vec`, like the explicit stack of a
/// hand-written walk. A call after which the function only returns, holding nothing, replaces
/// its caller's frame instead (a tail call). You rarely name this type: functions return it behind
/// `impl Iterator<..>` or `impl Coroutine<..>`.
///
/// It implements [`Coroutine`], [`Iterator`] and [`FusedIterator`] under the same conditions
/// as [`Machine`](crate::Machine), [`Clone`] when the frames do (a fork copies the whole
/// stack), [`Debug`] when they do (the innermost frame, then how many callers wait under
/// it), and [`Inspect`] (the status of the innermost frame). Dropping it drops the frames
/// innermost first, as unwinding a recursive function would. A panic inside a frame unwinds
/// its callers too (innermost first) and leaves that frame poisoned, so the next resume
/// panics as well.
///
/// # Examples
///
/// ```
/// use resumable::Inspect;
///
/// #[resumable::coroutine]
/// fn count_down(n: u32) -> impl Iterator<Item = u32> + Inspect {
///     yield_!(n);
///     if n > 0 {
///         yield_from!(Box::new(count_down(n - 1)));
///     }
/// }
///
/// let mut c = count_down(100_000); // as deep as it likes: no stack of nested resumes
/// assert_eq!(c.next(), Some(100_000));
/// assert_eq!(c.by_ref().last(), Some(0));
/// assert!(c.is_done());
/// ```
pub struct Trampoline<M, C, I> {
    /// Outermost first; never empty: the root frame stays after it completes, so that a
    /// completed trampoline answers as its root machine does (fused, or a panic).
    frames: Vec<M>,
    /// Builds the frame of a recursive call from its arguments.
    make: C,
    resume: PhantomData<fn(I)>,
}

impl<M, C, I> Trampoline<M, C, I> {
    // Only `__private::trampoline` builds one.
    pub(crate) fn new<P>(args: P, mut make: C) -> Self
    where
        C: FnMut(P) -> M,
    {
        Trampoline {
            frames: alloc::vec![make(args)],
            make,
            resume: PhantomData,
        }
    }
}

impl<A, Y, R, P, M, C, I> Coroutine<A> for Trampoline<M, C, I>
where
    M: Coroutine<I, Yield = Step<Y, P, A>, Return = R>,
    C: FnMut(P) -> M,
    I: Resumption<A, R>,
{
    type Yield = Y;
    type Return = R;

    #[inline]
    fn resume(&mut self, arg: A) -> CoroutineState<Y, R> {
        let mut input = I::arg(arg);
        loop {
            let unwinding = Unwinding(&mut self.frames);
            // Never empty (see `frames`); `?`-free so the hot path stays one branch.
            let Some(top) = unwinding.0.last_mut() else {
                unreachable!("a trampoline without frames")
            };
            let state = top.resume(input);
            // Not unwinding: the callers stay.
            core::mem::forget(unwinding);
            match state {
                CoroutineState::Yielded(Step::Yield(y)) => return CoroutineState::Yielded(y),
                CoroutineState::Yielded(Step::Call(args, first)) => {
                    let frame = (self.make)(args);
                    self.frames.push(frame);
                    input = I::arg(first);
                }
                CoroutineState::Yielded(Step::TailCall(args, first)) => {
                    let frame = (self.make)(args);
                    // The replaced frame is suspended where it stores no local: nothing to drop.
                    if let Some(top) = self.frames.last_mut() {
                        *top = frame;
                    }
                    input = I::arg(first);
                }
                CoroutineState::Complete(r) => {
                    if self.frames.len() == 1 {
                        return CoroutineState::Complete(r);
                    }
                    self.frames.pop();
                    input = I::ret(r);
                }
            }
        }
    }
}

/// Armed while a frame runs: if a panic unwinds out of it, the callers unwind too, innermost
/// first, as the frames of a recursive function would; the poisoned frame stays, so that the
/// trampoline panics when resumed again.
struct Unwinding<'f, M>(&'f mut Vec<M>);

impl<M> Drop for Unwinding<'_, M> {
    fn drop(&mut self) {
        if let Some(poisoned) = self.0.pop() {
            while let Some(caller) = self.0.pop() {
                drop(caller);
            }
            self.0.push(poisoned);
        }
    }
}

impl<Y, P, M, C, I> Iterator for Trampoline<M, C, I>
where
    M: Coroutine<I, Yield = Step<Y, P, ()>, Return = ()>,
    C: FnMut(P) -> M,
    I: Resumption<(), ()>,
{
    type Item = Y;

    #[inline]
    fn next(&mut self) -> Option<Y> {
        self.resume(()).yielded()
    }
}

// A completed root machine of the iterator form keeps returning `Complete(())`.
impl<Y, P, M, C, I> FusedIterator for Trampoline<M, C, I>
where
    M: Coroutine<I, Yield = Step<Y, P, ()>, Return = ()>,
    C: FnMut(P) -> M,
    I: Resumption<(), ()>,
{
}

impl<M: Clone, C: Clone, I> Clone for Trampoline<M, C, I> {
    fn clone(&self) -> Self {
        Trampoline {
            frames: self.frames.clone(),
            make: self.make.clone(),
            resume: PhantomData,
        }
    }
}

impl<M: fmt::Debug, C, I> fmt::Debug for Trampoline<M, C, I> {
    /// The innermost frame, and how many frames are below it when there are any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(top) = self.frames.last() else {
            return Ok(());
        };
        top.fmt(f)?;
        match self.frames.len() - 1 {
            0 => Ok(()),
            1 => f.write_str(" (in 1 caller)"),
            n => write!(f, " (in {n} callers)"),
        }
    }
}

impl<M: Inspect, C, I> Inspect for Trampoline<M, C, I> {
    #[inline]
    fn status(&self) -> Status {
        self.frames.last().map_or(Status::Poisoned, Inspect::status)
    }
}

impl<M, C, I> Drop for Trampoline<M, C, I> {
    /// Innermost frame first, as the stack of a recursive function unwinds.
    fn drop(&mut self) {
        while let Some(frame) = self.frames.pop() {
            drop(frame);
        }
    }
}
