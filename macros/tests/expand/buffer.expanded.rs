fn bytes(rounds: u64) -> impl Iterator<Item = u8> {
    #[derive(Clone)]
    enum Bytes<A0, T0, T1, T2, T3> {
        Start { rounds: A0 },
        Suspend0 { i_iter: T3, iter: T2, seed: T1, buf: T0 },
        Done,
        Poisoned,
    }
    impl<A0, T0, T1, T2, T3> ::resumable::__private::State
    for Bytes<A0, T0, T1, T2, T3> {
        fn poison(&mut self) {
            if !::core::matches!(self, Bytes::Done) {
                *self = Bytes::Poisoned;
            }
        }
        fn status(&self) -> ::resumable::__private::Status {
            static AT: [::resumable::__private::Location; 1] = ::resumable::__private::locations(
                "bytes",
                ::core::file!(),
                [(11, 13)],
            );
            let at = match self {
                Bytes::Start { .. } => return ::resumable::__private::Status::NotStarted,
                Bytes::Suspend0 { .. } => 0,
                Bytes::Done => return ::resumable::__private::Status::Complete,
                Bytes::Poisoned => return ::resumable::__private::Status::Poisoned,
            };
            ::resumable::__private::Status::Suspended(&AT[at])
        }
    }
    impl<
        A0: ::core::fmt::Debug,
        T0: ::core::fmt::Debug,
        T1: ::core::fmt::Debug,
        T2: ::core::fmt::Debug,
        T3: ::core::fmt::Debug,
    > ::core::fmt::Debug for Bytes<A0, T0, T1, T2, T3> {
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            let locals: &[(&str, &dyn ::core::fmt::Debug)] = match self {
                Bytes::Start { rounds } => &[("rounds", rounds)],
                Bytes::Suspend0 { buf, seed, iter, i_iter, .. } => {
                    &[("buf", buf), ("seed", seed), ("iter", iter), ("i_iter", i_iter)]
                }
                Bytes::Done | Bytes::Poisoned => &[],
            };
            ::resumable::__private::fmt_state(
                f,
                "bytes",
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
    let machine = ::resumable::__private::machine_with_done_flag::<
        (),
        u8,
        (),
        _,
        _,
    >(
        Bytes::Start { rounds: rounds },
        |state, ()| {
            let ret = 'dispatch: loop {
                break match state {
                    Bytes::Start { .. } => {
                        let Bytes::Start { rounds } = ::core::mem::replace(
                            state,
                            Bytes::Poisoned,
                        ) else { ::core::unreachable!() };
                        let rounds = rounds;
                        let mut buf = [0u8; 4096];
                        let mut seed = 1u64;
                        {
                            let mut iter = ::core::iter::IntoIterator::into_iter(
                                0..rounds,
                            );
                            loop {
                                let ::core::option::Option::Some(_) = ::core::iter::Iterator::next(
                                    &mut iter,
                                ) else {
                                    break;
                                };
                                refill(&mut buf, &mut seed);
                                {
                                    let mut i_iter = ::core::iter::IntoIterator::into_iter(
                                        0..4096,
                                    );
                                    {
                                        *state = Bytes::Suspend0 {
                                            i_iter,
                                            iter,
                                            seed,
                                            buf,
                                        };
                                        continue 'dispatch;
                                    };
                                };
                            }
                        }
                    }
                    Bytes::Suspend0 {
                        i_iter: i_iter,
                        iter: iter,
                        seed: seed,
                        buf: buf,
                    } => {
                        {}
                        loop {
                            loop {
                                let ::core::option::Option::Some(i) = ::core::iter::Iterator::next(
                                    &mut (*i_iter),
                                ) else {
                                    break;
                                };
                                let yielded = (*buf)[i];
                                return ::resumable::__private::CoroutineState::Yielded(
                                    yielded,
                                );
                            };
                            let ::core::option::Option::Some(_) = ::core::iter::Iterator::next(
                                &mut (*iter),
                            ) else {
                                break;
                            };
                            refill(&mut (*buf), &mut (*seed));
                            *i_iter = ::core::iter::IntoIterator::into_iter(0..4096);
                        }
                    }
                    Bytes::Done => {}
                    Bytes::Poisoned => ::resumable::__private::resumed_after_panicking(),
                };
            };
            *state = Bytes::Done;
            ::resumable::__private::CoroutineState::Complete(ret)
        },
    );
    machine
}
