//! Tasks: timers in order and never early, overlapping sleeps, timeouts, join, cancel,
//! panics reaching the handle, the channel.

mod reactor_common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use reactor_common::*;
use resumable::reactor::{
    block_on, channel, run, sleep, sleep_until, spawn, task_count, timeout, yield_now, BoxTask,
    JoinHandle, Wait, Wake,
};
use resumable::{Coroutine, CoroutineState};

#[test]
fn timers_fire_in_order_and_not_early() {
    let start = Instant::now();
    let fired = Rc::new(RefCell::new(Vec::new()));
    let delays = [50u64, 10, 40, 0, 30, 20, 20];
    for (i, &ms) in delays.iter().enumerate() {
        let fired = fired.clone();
        spawn(then(sleep(Duration::from_millis(ms)), move |()| {
            fired.borrow_mut().push((ms, i, start.elapsed()));
            ready(())
        }))
        .detach();
    }
    run();
    let fired = fired.borrow();
    assert_eq!(fired.len(), delays.len());
    for w in fired.windows(2) {
        assert!(w[0].0 <= w[1].0, "out of order: {fired:?}");
        if w[0].0 == w[1].0 {
            assert!(
                w[0].1 < w[1].1,
                "equal deadlines fire in spawn order: {fired:?}"
            );
        }
    }
    for &(ms, _, at) in fired.iter() {
        assert!(
            at >= Duration::from_millis(ms),
            "{ms} ms timer fired at {at:?}"
        );
    }
}

#[test]
fn sleep_until_is_not_early() {
    for ms in [1u64, 5, 15] {
        let deadline = Instant::now() + Duration::from_millis(ms);
        block_on(sleep_until(deadline));
        assert!(Instant::now() >= deadline);
    }
}

#[test]
fn ten_sleeps_overlap() {
    let start = Instant::now();
    let handles: Vec<_> = (0..10)
        .map(|_| spawn(sleep(Duration::from_millis(200))))
        .collect();
    for h in handles {
        block_on(h).unwrap();
    }
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(200));
    assert!(
        elapsed < Duration::from_millis(1500),
        "took {elapsed:?}: sleeps did not overlap"
    );
}

#[test]
fn timeout_elapses_and_drops_the_task() {
    let (client, _server) = tcp_pair();
    let start = Instant::now();
    // Waits for data that never comes; the timeout drops the task and with it the stream.
    let r = block_on(timeout(Duration::from_millis(30), read_to_end(client)));
    assert!(r.is_err());
    assert!(start.elapsed() >= Duration::from_millis(30));
    let e: std::io::Error = r.unwrap_err().into();
    assert_eq!(e.kind(), std::io::ErrorKind::TimedOut);

    let r = block_on(timeout(
        Duration::from_secs(5),
        sleep(Duration::from_millis(5)),
    ));
    assert_eq!(r, Ok(()));
}

#[test]
fn wait_deadline_wakes_with_deadline() {
    let start = Instant::now();
    let wake = block_on(wait_once(Wait::sleep(Duration::from_millis(10))));
    assert_eq!(wake, Wake::Deadline);
    assert!(start.elapsed() >= Duration::from_millis(10));
    assert_eq!(block_on(wait_once(Wait::yield_now())), Wake::Ready);
}

#[test]
fn join_another_task() {
    let inner = spawn(then(sleep(Duration::from_millis(5)), |()| ready(21)));
    let outer = spawn(then(inner, |r| ready(r.unwrap() * 2)));
    assert_eq!(block_on(outer).unwrap(), 42);
}

#[test]
fn abort_drops_state_and_joiner_sees_cancelled() {
    struct Flag(Rc<RefCell<bool>>);
    impl Drop for Flag {
        fn drop(&mut self) {
            *self.0.borrow_mut() = true;
        }
    }
    let dropped = Rc::new(RefCell::new(false));
    let flag = Flag(dropped.clone());
    let h = spawn(then(sleep(Duration::from_secs(3600)), move |()| {
        drop(flag);
        ready(())
    }));
    let before = task_count();
    block_on(yield_now()); // let it start and park on its timer
    h.abort();
    assert!(*dropped.borrow(), "aborting drops the task's state at once");
    assert_eq!(task_count(), before - 1);
    assert!(block_on(h).unwrap_err().is_cancelled());
}

#[test]
fn dropping_the_handle_cancels_detach_does_not() {
    let hits = Rc::new(RefCell::new(0));
    let (a, b) = (hits.clone(), hits.clone());
    drop(spawn(then(sleep(Duration::from_millis(1)), move |()| {
        *a.borrow_mut() += 1;
        ready(())
    })));
    spawn(then(sleep(Duration::from_millis(1)), move |()| {
        *b.borrow_mut() += 10;
        ready(())
    }))
    .detach();
    run();
    assert_eq!(*hits.borrow(), 10);
}

/// Drops the state of a task that holds a handle to itself: it aborts itself, or ends.
struct SelfAware {
    me: Rc<RefCell<Option<JoinHandle<u8>>>>,
    abort: bool,
    _flag: DropFlag,
}

struct DropFlag(Rc<RefCell<bool>>);
impl Drop for DropFlag {
    fn drop(&mut self) {
        *self.0.borrow_mut() = true;
    }
}

impl Coroutine<Wake> for SelfAware {
    type Yield = Wait;
    type Return = u8;
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, u8> {
        if !self.abort {
            // Ends holding its own handle: the handle drops with the state, mid-ending.
            let _keep = self.me.borrow_mut().take();
            return CoroutineState::Complete(1);
        }
        let me = self.me.borrow();
        let me = me.as_ref().expect("set before it runs");
        assert!(!me.is_finished());
        me.abort();
        assert!(
            me.is_finished(),
            "finished as soon as aborted, though still running"
        );
        CoroutineState::Yielded(Wait::yield_now())
    }
}

#[test]
fn a_task_aborts_itself_or_ends_holding_its_own_handle() {
    let before = task_count();
    for abort in [true, false] {
        let me = Rc::new(RefCell::new(None));
        let dropped = Rc::new(RefCell::new(false));
        let h = spawn(SelfAware {
            me: me.clone(),
            abort,
            _flag: DropFlag(dropped.clone()),
        });
        *me.borrow_mut() = Some(h);
        block_on(yield_now());
        assert!(
            *dropped.borrow(),
            "the state is dropped after the step (abort: {abort})"
        );
        assert_eq!(task_count(), before);
        if abort {
            let h = me.borrow_mut().take().expect("the handle is still ours");
            assert!(block_on(h).unwrap_err().is_cancelled());
        }
    }
}

#[test]
fn an_ended_task_keeps_its_result_for_the_handle_only() {
    let before = task_count();
    let mut h = spawn(ready(5u8));
    assert!(h.try_take().is_none());
    block_on(yield_now());
    assert_eq!(task_count(), before, "an ended task is not counted");
    assert!(h.is_finished());
    h.abort(); // too late: nothing changes
    assert_eq!(h.try_take().unwrap().unwrap(), 5);
    assert!(h.try_take().is_none(), "taken once");
    assert!(h.is_finished());
    // A result no one takes is dropped with the handle, or at once if detached.
    let out = Rc::new(RefCell::new(false));
    let flag = DropFlag(out.clone());
    let h = spawn(then(yield_now(), move |()| ready(flag)));
    block_on(yield_now());
    block_on(yield_now());
    assert!(h.is_finished() && !*out.borrow());
    drop(h);
    assert!(*out.borrow(), "the result dropped with its handle");
    let out = Rc::new(RefCell::new(false));
    let flag = DropFlag(out.clone());
    spawn(then(yield_now(), move |()| ready(flag))).detach();
    block_on(yield_now());
    block_on(yield_now());
    assert!(
        *out.borrow(),
        "a detached task's result is dropped as it ends"
    );
    assert_eq!(task_count(), before);
}

struct Boom;
impl Coroutine<Wake> for Boom {
    type Yield = Wait;
    type Return = u8;
    fn resume(&mut self, _: Wake) -> CoroutineState<Wait, u8> {
        panic!("boom in a task")
    }
}

#[test]
fn a_panic_reaches_the_join_handle_and_the_reactor_lives_on() {
    let bad = spawn(then(yield_now(), |()| Boom));
    let good = spawn(then(sleep(Duration::from_millis(2)), |()| ready(7u8)));
    let err = block_on(bad).unwrap_err();
    assert!(err.is_panic());
    assert!(err.to_string().contains("boom in a task"), "{err}");
    assert_eq!(block_on(good).unwrap(), 7);
    // `block_on` re-raises the task's panic.
    let caught = std::panic::catch_unwind(|| block_on(Boom)).unwrap_err();
    assert_eq!(*caught.downcast::<&str>().unwrap(), "boom in a task");
    assert_eq!(block_on(ready(1)), 1);
}

#[test]
fn channel_wakes_the_receiver() {
    let (tx, rx) = channel::<u32>();
    let rx = Rc::new(rx);
    fn consume(rx: Rc<resumable::reactor::Receiver<u32>>, sum: u32) -> BoxTask<u32> {
        let r = rx.recv();
        Box::new(then(r, move |v| -> BoxTask<u32> {
            match v {
                Some(v) => consume(rx, sum + v),
                None => Box::new(ready(sum)),
            }
        }))
    }
    let consumer = spawn(consume(rx, 0));
    let producer = spawn(then(sleep(Duration::from_millis(2)), move |()| {
        for i in 1..=100 {
            tx.send(i).unwrap();
        }
        ready(()) // `tx` dropped here: the consumer sees the end
    }));
    block_on(producer).unwrap();
    assert_eq!(block_on(consumer).unwrap(), 5050);
}

#[test]
#[should_panic(expected = "called from inside a task")]
fn block_on_inside_a_task_panics() {
    struct Nested;
    impl Coroutine<Wake> for Nested {
        type Yield = Wait;
        type Return = ();
        fn resume(&mut self, _: Wake) -> CoroutineState<Wait, ()> {
            block_on(ready(()));
            CoroutineState::Complete(())
        }
    }
    block_on(Nested);
}

#[test]
#[should_panic(expected = "deadlock")]
fn a_certain_deadlock_panics_instead_of_hanging() {
    let (tx, rx) = channel::<u8>();
    let _keep_sender_alive = tx;
    block_on(rx.recv()); // nobody will ever send
}
