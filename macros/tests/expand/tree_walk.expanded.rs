fn walk(t: &'static Tree, n: u32) -> impl Iterator<Item = u64> {
    ::resumable::__private::trampoline::<
        (),
        _,
        _,
        _,
    >(
        (t, n),
        |(t, n)| {
            #[derive(Clone)]
            enum Walk<A0, A1, T0, T1> {
                Start { t: A0, n: A1 },
                Suspend0 { node: T1, t: T0 },
                Suspend1 { node: T1, t: T0 },
                Suspend2,
                Done,
                Poisoned,
            }
            impl<A0, A1, T0, T1> ::resumable::__private::State for Walk<A0, A1, T0, T1> {
                fn poison(&mut self) {
                    if !::core::matches!(self, Walk::Done) {
                        *self = Walk::Poisoned;
                    }
                }
                fn status(&self) -> ::resumable::__private::Status {
                    static AT: [::resumable::__private::Location; 3] = ::resumable::__private::locations(
                        "walk",
                        ::core::file!(),
                        [(6, 9), (8, 5), (10, 9)],
                    );
                    let at = match self {
                        Walk::Start { .. } => {
                            return ::resumable::__private::Status::NotStarted;
                        }
                        Walk::Suspend0 { .. } => 0,
                        Walk::Suspend1 { .. } => 1,
                        Walk::Suspend2 { .. } => 2,
                        Walk::Done => return ::resumable::__private::Status::Complete,
                        Walk::Poisoned => return ::resumable::__private::Status::Poisoned,
                    };
                    ::resumable::__private::Status::Suspended(&AT[at])
                }
            }
            impl<
                A0: ::core::fmt::Debug,
                A1: ::core::fmt::Debug,
                T0: ::core::fmt::Debug,
                T1: ::core::fmt::Debug,
            > ::core::fmt::Debug for Walk<A0, A1, T0, T1> {
                fn fmt(
                    &self,
                    f: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    let locals: &[(&str, &dyn ::core::fmt::Debug)] = match self {
                        Walk::Start { t, n } => &[("t", t), ("n", n)],
                        Walk::Suspend0 { t, node, .. } => &[("t", t), ("node", node)],
                        Walk::Suspend1 { t, node, .. } => &[("t", t), ("node", node)],
                        Walk::Suspend2 { .. } => &[],
                        Walk::Done | Walk::Poisoned => &[],
                    };
                    ::resumable::__private::fmt_state(
                        f,
                        "walk",
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
                ::resumable::__private::Step<u64, _, ()>,
                (),
                _,
                _,
            >(
                Walk::Start { t: t, n: n },
                |state, ()| {
                    let ret = match state {
                        Walk::Start { .. } => {
                            let Walk::Start { t, n } = ::core::mem::replace(
                                state,
                                Walk::Poisoned,
                            ) else { ::core::unreachable!() };
                            let t = t;
                            let n = n;
                            let node = t.nodes[n as usize];
                            if node.left != NIL {
                                let yielded = ::resumable::__private::Step::<
                                    _,
                                    (&'static Tree, u32),
                                    (),
                                >::Call((t, node.left), ());
                                *state = Walk::Suspend0 { node, t };
                                return ::resumable::__private::CoroutineState::Yielded(
                                    yielded,
                                );
                            }
                            let yielded = ::resumable::__private::Step::<
                                u64,
                                _,
                                (),
                            >::Yield(node.val);
                            *state = Walk::Suspend1 { node, t };
                            return ::resumable::__private::CoroutineState::Yielded(
                                yielded,
                            );
                        }
                        Walk::Suspend0 { .. } => {
                            let Walk::Suspend0 { node, t } = ::core::mem::replace(
                                state,
                                Walk::Poisoned,
                            ) else { ::core::unreachable!() };
                            let t = t;
                            let node = node;
                            {}
                            let yielded = ::resumable::__private::Step::<
                                u64,
                                _,
                                (),
                            >::Yield(node.val);
                            *state = Walk::Suspend1 { node, t };
                            return ::resumable::__private::CoroutineState::Yielded(
                                yielded,
                            );
                        }
                        Walk::Suspend1 { .. } => {
                            let Walk::Suspend1 { node, t } = ::core::mem::replace(
                                state,
                                Walk::Poisoned,
                            ) else { ::core::unreachable!() };
                            let t = t;
                            let node = node;
                            if node.right != NIL {
                                let yielded = ::resumable::__private::Step::<
                                    _,
                                    (&'static Tree, u32),
                                    (),
                                >::TailCall((t, node.right), ());
                                *state = Walk::Suspend2;
                                return ::resumable::__private::CoroutineState::Yielded(
                                    yielded,
                                );
                            }
                        }
                        Walk::Suspend2 => {}
                        Walk::Done => {}
                        Walk::Poisoned => {
                            ::resumable::__private::resumed_after_panicking()
                        }
                    };
                    *state = Walk::Done;
                    ::resumable::__private::CoroutineState::Complete(ret)
                },
            );
            machine
        },
    )
}
