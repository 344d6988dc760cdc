//! What each suspension variant stores: the locals used after the yield (backward
//! liveness over the IR, loops to a fixpoint), plus the visible locals kept so they drop
//! at the end of their scope, in declaration order.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diag;
use crate::ir::*;

type Live = BTreeSet<Bid>;

struct Frame {
    label: Option<String>,
    is_loop: bool,
    brk: Live,
    cont: Live,
}

#[derive(Default)]
struct Liveness {
    frames: Vec<Frame>,
    after: BTreeMap<YieldId, Live>,
    /// The second pass: which bindings may be overwritten after each point (no uses).
    defs: bool,
    /// Per yield: bindings its store reads though they are dead after it (kept to be
    /// overwritten): live up to the store, so every arm reaching it has them.
    stored_dead: BTreeMap<YieldId, Live>,
}

/// Fills `YieldPoint::stored`; reports a live local that is shadowed at a yield.
///
/// Returns the names of shadowed bindings that a yield's arm must name (live, kept for their
/// drop, or assigned after it): lowering again with those names in `Lowerer::rename` makes
/// them nameable.
/// With `report`, a live one still shadowed is an error.
pub fn compute(body: &mut Body, diag: &mut Diag, report: bool) -> BTreeSet<String> {
    let mut d = Liveness {
        defs: true,
        ..Liveness::default()
    };
    d.block(&body.block, Live::new());
    // A binding stored at a yield only to be overwritten after it is read by that store:
    // live before it, up to a fixpoint.
    let mut stored_dead = BTreeMap::new();
    let mut l = loop {
        let mut l = Liveness {
            stored_dead: stored_dead.clone(),
            ..Liveness::default()
        };
        l.block(&body.block, Live::new());
        let mut next = BTreeMap::new();
        for (i, y) in body.yields.iter().enumerate() {
            let id = YieldId(i as u32);
            let live = l.after.get(&id).cloned().unwrap_or_default();
            let assigned = d.after.get(&id).cloned().unwrap_or_default();
            let dead: Live = y
                .visible
                .iter()
                .copied()
                .filter(|b| {
                    let binding = &body.bindings[b.0 as usize];
                    !live.contains(b)
                        && !binding.keep_for_drop
                        && assigned.contains(b)
                        && !binding.maybe_moved
                        && !binding.deferred
                })
                .collect();
            if !dead.is_empty() {
                next.insert(id, dead);
            }
        }
        // Only ever grows (a binding made live here stays listed), so this ends.
        let mut grown = stored_dead.clone();
        for (id, dead) in next {
            grown.entry(id).or_insert_with(Live::new).extend(dead);
        }
        if grown == stored_dead {
            break l;
        }
        stored_dead = grown;
    };
    let mut conflicts = BTreeSet::new();
    for (i, y) in body.yields.iter_mut().enumerate() {
        let live = l.after.remove(&YieldId(i as u32)).unwrap_or_default();
        let assigned = d.after.remove(&YieldId(i as u32)).unwrap_or_default();
        y.assigned_after = y
            .visible
            .iter()
            .copied()
            .filter(|b| assigned.contains(b))
            .collect();
        for b in &y.shadowed {
            let binding = &body.bindings[b.0 as usize];
            // Overwritten after the yield, it must be nameable in that arm as well: stored, or
            // (maybe moved, deferred) declared there like a visible one (`assigned_after`).
            if live.contains(b) || binding.keep_for_drop || assigned.contains(b) {
                conflicts.insert(binding.name.clone());
            }
        }
        for b in y.shadowed.iter().filter(|b| report && live.contains(b)) {
            let binding = &body.bindings[b.0 as usize];
            let mut e = syn::Error::new(
                binding.ident.span(),
                format!("`{}` is needed after a yield point where another binding shadows it\nhelp: rename one of the two bindings", binding.name),
            );
            e.combine(syn::Error::new(y.span, "the coroutine suspends here"));
            diag.push(e);
        }
        y.live = y
            .visible
            .iter()
            .copied()
            .filter(|b| live.contains(b))
            .collect();
        y.stored = y
            .visible
            .iter()
            .copied()
            .filter(|b| {
                let binding = &body.bindings[b.0 as usize];
                // Overwritten after the yield: kept (unless it may have been moved) so the arm
                // has the local, with its type, for that assignment.
                // A re-created borrow is not stored: what it borrows is (see `borrow`).
                (live.contains(b) && binding.recreate.is_none())
                    || binding.keep_for_drop
                    || (assigned.contains(b) && !binding.maybe_moved && !binding.deferred)
            })
            .collect();
    }
    conflicts
}

impl Liveness {
    fn target(&self, label: Option<&str>, is_continue: bool) -> Live {
        for f in self.frames.iter().rev() {
            let hit = match label {
                Some(l) => f.label.as_deref() == Some(l),
                None => f.is_loop,
            };
            if hit {
                return if is_continue {
                    f.cont.clone()
                } else {
                    f.brk.clone()
                };
            }
        }
        Live::new()
    }

    fn block(&mut self, b: &Block, out: Live) -> Live {
        let labeled = b.label.is_some();
        if labeled {
            let label = b.label.as_ref().map(|l| l.name.ident.to_string());
            self.frames.push(Frame {
                label,
                is_loop: false,
                brk: out.clone(),
                cont: Live::new(),
            });
        }
        // Only the statements up to the first diverging one run; the tail's value flows out.
        let mut live = out;
        for s in b.stmts.iter().rev() {
            live = self.stmt(s, live);
        }
        if labeled {
            self.frames.pop();
        }
        live
    }

    fn stmt(&mut self, s: &Stmt, out: Live) -> Live {
        match s {
            Stmt::Let {
                binds,
                init,
                diverge,
                ..
            } => {
                let mut live: Live = out
                    .difference(&binds.iter().copied().collect())
                    .copied()
                    .collect();
                if let Some(d) = diverge {
                    live.extend(self.expr(d, Live::new()));
                }
                match init {
                    Some(e) => self.expr(e, live),
                    None => live,
                }
            }
            Stmt::Expr { expr, .. } => self.expr(expr, out),
        }
    }

    fn plain(&self, p: &Plain, out: Live) -> Live {
        let mut live: Live = if self.defs {
            out.into_iter().chain(p.kills.iter().copied()).collect()
        } else {
            let mut live: Live = out.into_iter().filter(|b| !p.kills.contains(b)).collect();
            live.extend(p.uses.iter().copied());
            live
        };
        for j in &p.jumps {
            live.extend(self.target(j.label.as_deref(), j.is_continue));
        }
        live
    }

    fn expr(&mut self, e: &Expr, out: Live) -> Live {
        match e {
            Expr::Plain(p) => self.plain(p, out),
            Expr::Yield { id, value } => {
                self.after.insert(*id, out.clone());
                // Assignments after this yield run in another arm: they do not count before it.
                let mut out = if self.defs { Live::new() } else { out };
                if let Some(dead) = self.stored_dead.get(id) {
                    out.extend(dead.iter().copied());
                }
                self.expr(value, out)
            }
            Expr::Block(b) => self.block(b, out),
            Expr::If {
                cond,
                binds,
                then,
                els,
            } => {
                let mut branches: Live = self.block(then, out.clone());
                branches.retain(|b| !binds.contains(b));
                match els {
                    Some(e) => branches.extend(self.expr(e, out)),
                    None => branches.extend(out),
                }
                self.expr(cond, branches)
            }
            Expr::Let { scrut, .. } => self.expr(scrut, out),
            Expr::Match { scrut, arms } => {
                let mut all = Live::new();
                for arm in arms {
                    let mut live = self.expr(&arm.body, out.clone());
                    if let Some(g) = &arm.guard {
                        live = self.plain(g, live);
                    }
                    live.retain(|b| !arm.binds.contains(b));
                    all.extend(live);
                }
                self.expr(scrut, all)
            }
            Expr::Loop { label, body } => {
                let label = label.as_ref().map(|l| l.name.ident.to_string());
                let mut head = Live::new();
                loop {
                    self.frames.push(Frame {
                        label: label.clone(),
                        is_loop: true,
                        brk: out.clone(),
                        cont: head.clone(),
                    });
                    let body_in = self.block(body, head.clone());
                    self.frames.pop();
                    let next: Live = head.union(&body_in).copied().collect();
                    if next == head {
                        return head;
                    }
                    head = next;
                }
            }
            Expr::While {
                label,
                cond,
                binds,
                body,
            } => {
                let label = label.as_ref().map(|l| l.name.ident.to_string());
                let mut head = Live::new();
                loop {
                    self.frames.push(Frame {
                        label: label.clone(),
                        is_loop: true,
                        brk: out.clone(),
                        cont: head.clone(),
                    });
                    let mut body_in = self.block(body, head.clone());
                    self.frames.pop();
                    body_in.retain(|b| !binds.contains(b));
                    body_in.extend(out.iter().copied());
                    let cond_in = self.expr(cond, body_in);
                    let next: Live = head.union(&cond_in).copied().collect();
                    if next == head {
                        return head;
                    }
                    head = next;
                }
            }
            Expr::Assign { lhs, kills, rhs } => {
                let live: Live = if self.defs {
                    out.into_iter().chain(kills.iter().copied()).collect()
                } else {
                    let mut live: Live = out.into_iter().filter(|b| !kills.contains(b)).collect();
                    // The old `x` stays live only to type the arm's `let mut x;` (by the stored
                    // value) when a yield sits inside `rhs`; in `x = yield_!(..)` the arm's
                    // `x = arg` types it, and storing it would be a dead store.
                    let direct = matches!(**rhs, Expr::Yield { .. });
                    live.extend(lhs.uses.iter().filter(|b| !(direct && kills.contains(b))));
                    live
                };
                self.expr(rhs, live)
            }
            Expr::Return(v) => match v {
                Some(v) => self.expr(v, Live::new()),
                None => Live::new(),
            },
            Expr::Break { label, value } => {
                let target = self.target(
                    label.as_ref().map(|l| l.ident.to_string()).as_deref(),
                    false,
                );
                match value {
                    Some(v) => self.expr(v, target),
                    None => target,
                }
            }
        }
    }
}
