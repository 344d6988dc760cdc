//! An unbounded channel between the tasks of one reactor: the way one task wakes others.

use core::fmt;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use super::{TaskId, Wait, WaitList, Waitable, Wake};
use crate::{Coroutine, CoroutineState};

struct Chan<T> {
    queue: RefCell<VecDeque<T>>,
    waiters: WaitList,
    senders: Cell<usize>,
    receiver_alive: Cell<bool>,
}

impl<T> Waitable for Chan<T> {
    fn add_waiter(&self, id: TaskId) {
        self.waiters.add(id);
    }
}

/// An unbounded channel: any number of [`Sender`]s, one [`Receiver`], all on one thread.
///
/// Sending never waits; it wakes the task waiting in [`Receiver::recv`].
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, channel, spawn};
///
/// let (tx, rx) = channel();
/// let consumer = spawn(rx.recv());
/// tx.send("hello").unwrap();
/// assert_eq!(block_on(consumer).unwrap(), Some("hello"));
/// ```
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let chan = Rc::new(Chan {
        queue: RefCell::new(VecDeque::new()),
        waiters: WaitList::default(),
        senders: Cell::new(1),
        receiver_alive: Cell::new(true),
    });
    (Sender { chan: chan.clone() }, Receiver { chan })
}

/// The sending side of a [`channel`]; clone it to send from several tasks.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::channel;
/// let (tx, rx) = channel();
/// let tx2 = tx.clone();
/// tx.send(1).unwrap();
/// tx2.send(2).unwrap();
/// assert_eq!((rx.try_recv(), rx.try_recv()), (Some(1), Some(2)));
/// ```
pub struct Sender<T> {
    chan: Rc<Chan<T>>,
}

impl<T> Sender<T> {
    /// Queues `value` and wakes the receiving task.
    ///
    /// # Errors
    ///
    /// Gives `value` back in a [`SendError`] if the [`Receiver`] was dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::channel;
    /// let (tx, rx) = channel();
    /// drop(rx);
    /// assert_eq!(tx.send(5).unwrap_err().0, 5);
    /// ```
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        if !self.chan.receiver_alive.get() {
            return Err(SendError(value));
        }
        self.chan.queue.borrow_mut().push_back(value);
        self.chan.waiters.wake_all_current();
        Ok(())
    }

    /// `true` if the receiver was dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::channel;
    /// let (tx, rx) = channel::<()>();
    /// assert!(!tx.is_closed());
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        !self.chan.receiver_alive.get()
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.chan.senders.set(self.chan.senders.get() + 1);
        Sender {
            chan: self.chan.clone(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let n = self.chan.senders.get() - 1;
        self.chan.senders.set(n);
        if n == 0 {
            self.chan.waiters.wake_all_current();
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("closed", &self.is_closed())
            .finish()
    }
}

/// The receiving side of a [`channel`].
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{block_on, channel};
/// let (tx, rx) = channel();
/// tx.send(1).unwrap();
/// drop(tx);
/// assert_eq!(block_on(rx.recv()), Some(1));
/// assert_eq!(block_on(rx.recv()), None); // every sender is gone
/// ```
pub struct Receiver<T> {
    chan: Rc<Chan<T>>,
}

impl<T> Receiver<T> {
    /// Takes the next value if there is one, without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::channel;
    /// let (tx, rx) = channel::<u8>();
    /// assert_eq!(rx.try_recv(), None);
    /// tx.send(3).unwrap();
    /// assert_eq!(rx.try_recv(), Some(3));
    /// ```
    pub fn try_recv(&self) -> Option<T> {
        self.chan.queue.borrow_mut().pop_front()
    }

    /// A task that waits for the next value: `Some(value)`, or `None` once the queue is
    /// empty and every [`Sender`] is gone. It owns a reference to the channel, so it can be
    /// held across yields (`yield_from!(rx.recv())`).
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::{block_on, channel};
    /// let (tx, rx) = channel();
    /// tx.send('x').unwrap();
    /// assert_eq!(block_on(rx.recv()), Some('x'));
    /// ```
    pub fn recv(&self) -> Recv<T> {
        Recv {
            chan: self.chan.clone(),
        }
    }

    /// The number of values waiting in the queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::channel;
    /// let (tx, rx) = channel();
    /// tx.send(()).unwrap();
    /// assert_eq!(rx.len(), 1);
    /// assert!(!rx.is_empty());
    /// ```
    pub fn len(&self) -> usize {
        self.chan.queue.borrow().len()
    }

    /// `true` if no value is waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use resumable_runtime::reactor::channel;
    /// let (_tx, rx) = channel::<()>();
    /// assert!(rx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.chan.queue.borrow().is_empty()
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.chan.receiver_alive.set(false);
        let queued = core::mem::take(&mut *self.chan.queue.borrow_mut());
        drop(queued);
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("len", &self.len())
            .finish()
    }
}

/// The task [`Receiver::recv`] returns.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::{channel, Wake};
/// use resumable_runtime::Coroutine;
/// let (tx, rx) = channel();
/// let mut r = rx.recv();
/// assert!(!r.resume(Wake::Ready).is_complete()); // waits
/// tx.send(9).unwrap();
/// assert_eq!(r.resume(Wake::Ready).complete(), Some(Some(9)));
/// ```
pub struct Recv<T> {
    chan: Rc<Chan<T>>,
}

impl<T: 'static> Coroutine<Wake> for Recv<T> {
    type Yield = Wait;
    type Return = Option<T>;

    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, Option<T>> {
        if let Some(v) = self.chan.queue.borrow_mut().pop_front() {
            return CoroutineState::Complete(Some(v));
        }
        if self.chan.senders.get() == 0 {
            return CoroutineState::Complete(None);
        }
        CoroutineState::Yielded(Wait::list(self.chan.clone()))
    }
}

impl<T> fmt::Debug for Recv<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recv").finish_non_exhaustive()
    }
}

/// The error of [`Sender::send`] when the receiver is gone; holds the value not sent.
///
/// # Examples
///
/// ```
/// use resumable_runtime::reactor::SendError;
/// let e = SendError(1);
/// assert_eq!(e.to_string(), "sending on a closed channel");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SendError<T>(pub T);

impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SendError(..)")
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sending on a closed channel")
    }
}

impl<T> std::error::Error for SendError<T> {}
