fn fib() -> impl Iterator<Item = u64> + Clone + Debug {
    #[derive(Clone)]
    enum Fib<T0, T1> {
        Start,
        Suspend0 { b: T1, a: T0 },
        Done,
        Poisoned,
    }
    impl<T0, T1> ::resumable::__private::State for Fib<T0, T1> {
        fn poison(&mut self) {
            if !::core::matches!(self, Fib::Done) {
                *self = Fib::Poisoned;
            }
        }
        fn status(&self) -> ::resumable::__private::Status {
            static AT: [::resumable::__private::Location; 1] = ::resumable::__private::locations(
                "fib",
                ::core::file!(),
                [(5, 9)],
            );
            let at = match self {
                Fib::Start { .. } => return ::resumable::__private::Status::NotStarted,
                Fib::Suspend0 { .. } => 0,
                Fib::Done => return ::resumable::__private::Status::Complete,
                Fib::Poisoned => return ::resumable::__private::Status::Poisoned,
            };
            ::resumable::__private::Status::Suspended(&AT[at])
        }
    }
    impl<T0: ::core::fmt::Debug, T1: ::core::fmt::Debug> ::core::fmt::Debug
    for Fib<T0, T1> {
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            let locals: &[(&str, &dyn ::core::fmt::Debug)] = match self {
                Fib::Start => &[],
                Fib::Suspend0 { a, b, .. } => &[("a", a), ("b", b)],
                Fib::Done | Fib::Poisoned => &[],
            };
            ::resumable::__private::fmt_state(
                f,
                "fib",
                ::resumable::__private::State::status(self),
                locals,
            )
        }
    }
    #[allow(
        unused_mut,
        unreachable_code,
        unused_labels,
        clippy::diverging_sub_expression
    )]
    let machine = ::resumable::__private::machine::<
        (),
        u64,
        (),
        _,
        _,
    >(
        Fib::Start,
        |state, ()| {
            let ret = match ::core::mem::replace(state, Fib::Poisoned) {
                Fib::Start => {
                    let (mut a, mut b) = (0u64, 1u64);
                    {
                        *state = Fib::Suspend0 { b, a };
                        return ::resumable::__private::CoroutineState::Yielded(b);
                    };
                }
                Fib::Suspend0 { b, a } => {
                    let mut a = a;
                    let mut b = b;
                    {
                        {
                            (a, b) = (b, a.wrapping_add(b));
                        }
                        {
                            *state = Fib::Suspend0 { b, a };
                            return ::resumable::__private::CoroutineState::Yielded(b);
                        }
                    };
                }
                Fib::Done => {}
                Fib::Poisoned => ::resumable::__private::resumed_after_panicking(),
            };
            *state = Fib::Done;
            ::resumable::__private::CoroutineState::Complete(ret)
        },
    );
    machine
}
