//! The IR: the function body with every construct that contains a yield point made
//! explicit, and everything else kept as the user's `syn` code.

use proc_macro2::Span;
use syn::{Ident, Label, Pat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bid(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScopeId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YieldId(pub u32);

/// A local of the user's function (or one we introduced, `hidden`).
pub struct Binding {
    pub ident: Ident,
    pub mutable: bool,
    pub scope: ScopeId,
    /// Kept across a yield even when not used after it, so it drops at the end of its
    /// scope as in ordinary Rust: a `let` of a value that may need dropping, never moved.
    pub keep_for_drop: bool,
    /// The name the state enum's field and `Debug` use.
    pub name: String,
    /// Mentioned somewhere in a way that may move it.
    pub maybe_moved: bool,
    /// Lent to a call somewhere (`f(&x)`, `o.m(&mut x.f)`): stored, it puts a pointer into
    /// the state where the optimiser loses sight of it.
    pub lent: bool,
    /// Declared without a value (`let x;`): not initialised at every point of its scope.
    pub deferred: bool,
    /// Its value's type belongs to one expression (a closure, an `async` block, a
    /// `generator!`): two copies of its `let` make two types.
    pub unique_type: Option<(proc_macro2::Span, String)>,
    /// The hidden iterator of a `for` over a range expression, or its item: a `Range*` of a
    /// `Step` type, or that type, which have no `Drop` (overwriting one or leaving it stale is
    /// unobservable) and whose items are `Copy`.
    pub droppless: bool,
    /// A borrow taken again at the top of each arm where it is live, instead of being
    /// stored (`let r = &v.a;`, a `for` loop's element): the expression, and the bindings
    /// it reads, which stay live wherever this one is.
    pub recreate: Option<(Pat, syn::Expr, Vec<Bid>)>,
    /// What it is known to hold.
    pub ownership: crate::borrow::Ownership,
    /// It holds a borrow of an owned local.
    pub borrows: Option<crate::borrow::Borrow>,
}

/// One suspension point.
pub struct YieldPoint {
    pub span: Span,
    /// Bindings that can be named at this point (not shadowed), in declaration order.
    pub visible: Vec<Bid>,
    /// Bindings in scope but shadowed here.
    pub shadowed: Vec<Bid>,
    /// What the state variant holds, in declaration order (filled by liveness).
    pub stored: Vec<Bid>,
    /// Of those, the ones used after the yield (the others are kept for their drop).
    pub live: Vec<Bid>,
    /// Visible bindings that may be overwritten after the yield.
    pub assigned_after: Vec<Bid>,
}

pub struct Body {
    pub block: Block,
    pub bindings: Vec<Binding>,
    pub yields: Vec<YieldPoint>,
    /// Items found among the statements, hoisted out of the step function.
    pub items: Vec<syn::Item>,
}

pub struct Block {
    pub scope: ScopeId,
    pub label: Option<Label>,
    pub stmts: Vec<Stmt>,
}

pub enum Stmt {
    Let {
        attrs: Vec<syn::Attribute>,
        pat: Box<Pat>,
        binds: Vec<Bid>,
        init: Option<Expr>,
        diverge: Option<Box<Expr>>,
    },
    Expr {
        expr: Expr,
        semi: bool,
    },
}

/// Yield-free user code, with what it does to the locals around it.
pub struct Plain {
    pub expr: syn::Expr,
    pub uses: Vec<Bid>,
    pub kills: Vec<Bid>,
    pub jumps: Vec<crate::scope::Jump>,
}

pub enum Expr {
    Plain(Box<Plain>),
    Yield {
        id: YieldId,
        value: Box<Expr>,
    },
    Block(Box<Block>),
    If {
        cond: Box<Expr>,
        /// Bindings of `let` conditions, visible in `then` (owned by its scope).
        binds: Vec<Bid>,
        then: Box<Block>,
        els: Option<Box<Expr>>,
    },
    /// `let PAT = EXPR` inside an `if`/`while` condition.
    Let {
        pat: Pat,
        scrut: Box<Expr>,
    },
    Match {
        scrut: Box<Expr>,
        arms: Vec<Arm>,
    },
    Loop {
        label: Option<Label>,
        body: Box<Block>,
    },
    While {
        label: Option<Label>,
        cond: Box<Expr>,
        binds: Vec<Bid>,
        body: Box<Block>,
    },
    Assign {
        lhs: Box<Plain>,
        kills: Vec<Bid>,
        rhs: Box<Expr>,
    },
    Return(Option<Box<Expr>>),
    Break {
        label: Option<syn::Lifetime>,
        value: Option<Box<Expr>>,
    },
}

pub struct Arm {
    pub attrs: Vec<syn::Attribute>,
    pub pat: Pat,
    pub binds: Vec<Bid>,
    pub scope: ScopeId,
    pub guard: Option<Plain>,
    pub body: Expr,
}

impl Expr {
    /// Does evaluating this always leave it by a jump (yield, return, break, continue)?
    pub fn diverges(&self) -> bool {
        match self {
            Expr::Plain(p) => matches!(
                strip_parens(&p.expr),
                syn::Expr::Return(_) | syn::Expr::Break(_) | syn::Expr::Continue(_)
            ),
            Expr::Yield { .. } | Expr::Return(_) | Expr::Break { .. } => true,
            Expr::Block(b) => b.diverges() && !b.broken_out_of(),
            Expr::If {
                cond, then, els, ..
            } => cond.diverges() || (then.diverges() && els.as_ref().is_some_and(|e| e.diverges())),
            Expr::Let { scrut, .. } => scrut.diverges(),
            Expr::Match { scrut, arms } => {
                scrut.diverges() || (!arms.is_empty() && arms.iter().all(|a| a.body.diverges()))
            }
            Expr::Loop { label, body } => !body.jumps_out(label.as_ref(), true, false),
            Expr::While { cond, .. } => cond.diverges(),
            Expr::Assign { rhs, .. } => rhs.diverges(),
        }
    }
}

pub fn strip_parens(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip_parens(&p.expr),
        _ => e,
    }
}

impl Block {
    pub fn diverges(&self) -> bool {
        self.stmts.iter().any(stmt_diverges)
    }

    /// Does anything in here, reachable or not, `break` to the loop (`is_loop`) or the
    /// block labeled `label`?
    pub fn breaks_out(&self, label: Option<&Label>, is_loop: bool) -> bool {
        let j = Jumps::new(label, is_loop, Counts::Breaks, false);
        j.block(self, 0)
    }

    /// Does a `break` (or, with `continues`, a `continue`) to it run when this block is
    /// entered from the top? What follows a statement that always suspends does not.
    pub fn jumps_out(&self, label: Option<&Label>, is_loop: bool, continues: bool) -> bool {
        let j = Jumps::new(
            label,
            is_loop,
            if continues {
                Counts::BreaksAndContinues
            } else {
                Counts::Breaks
            },
            true,
        );
        j.block(self, 0)
    }

    /// Resumed at `k` inside this block (a loop body, or a labeled block): does the rest
    /// always leave without a `break` (or `continue`) to the target running on the way?
    pub fn rest_leaves(&self, k: YieldId, label: Option<&Label>, is_loop: bool) -> bool {
        let Some(i) = self.stmts.iter().position(|s| s.contains(k)) else {
            return false;
        };
        let j = Jumps::new(label, is_loop, Counts::BreaksAndContinues, true);
        let diverges =
            self.stmts[i].res_diverges(k) || self.stmts[i + 1..].iter().any(stmt_diverges);
        diverges && !j.after(self, k, 0)
    }

    /// Is there a `continue` to the loop labeled `label` (or to this loop when unlabeled)
    /// anywhere in here, reachable or not?
    pub fn continues_to(&self, label: Option<&Label>) -> bool {
        let j = Jumps::new(label, true, Counts::Continues, false);
        j.block(self, 0)
    }

    /// Resumed at `k` in this block, `depth` loops below the target: does a jump to the
    /// target run?
    pub fn jumps_after(&self, k: YieldId, label: Option<&Label>, depth: u32) -> bool {
        let j = Jumps::new(label, true, Counts::BreaksAndContinues, true);
        j.after(self, k, depth)
    }

    /// Resumed at `k` in this loop body, can the loop's head run again: the rest of the pass
    /// falls off its end, or a `continue` to the loop runs? (A `break` out of it does not.)
    pub fn rest_reenters(&self, k: YieldId, label: Option<&Label>) -> bool {
        let j = Jumps::new(label, true, Counts::Continues, true);
        !self.res_diverges(k) || j.after(self, k, 0)
    }

    /// A labeled block that something breaks out of completes.
    fn broken_out_of(&self) -> bool {
        self.label.is_some() && self.jumps_out(self.label.as_ref(), false, false)
    }
}

/// Which jumps count.
#[derive(Clone, Copy, PartialEq)]
enum Counts {
    Breaks,
    BreaksAndContinues,
    Continues,
}

/// Which jumps `breaks_to` looks for.
struct Jumps {
    label: Option<String>,
    is_loop: bool,
    counts: Counts,
    /// Only those that run: stop at the first statement that always leaves.
    reachable: bool,
}

/// Does this statement always leave by a jump (or suspend)?
pub fn stmt_diverges(s: &Stmt) -> bool {
    match s {
        Stmt::Let { init, .. } => init.as_ref().is_some_and(|e| e.diverges()),
        Stmt::Expr { expr, .. } => expr.diverges(),
    }
}

impl Jumps {
    fn new(label: Option<&Label>, is_loop: bool, counts: Counts, reachable: bool) -> Self {
        let label = label.map(|l| l.name.ident.to_string());
        Jumps {
            label,
            is_loop,
            counts,
            reachable,
        }
    }

    /// Does a jump to the target run after resuming at `k` inside `b`?
    fn after(&self, b: &Block, k: YieldId, depth: u32) -> bool {
        let Some(i) = b.stmts.iter().position(|s| s.contains(k)) else {
            return false;
        };
        let s = &b.stmts[i];
        let inner = match s {
            Stmt::Let { init, diverge, .. } => {
                init.as_ref()
                    .is_some_and(|e| e.contains(k) && self.after_expr(e, k, depth))
                    || diverge
                        .as_ref()
                        .is_some_and(|e| e.contains(k) && self.after_expr(e, k, depth))
            }
            Stmt::Expr { expr, .. } => self.after_expr(expr, k, depth),
        };
        if inner {
            return true;
        }
        if s.res_diverges(k) {
            return false;
        }
        for s in &b.stmts[i + 1..] {
            if s.breaks_to(self, depth) {
                return true;
            }
            if stmt_diverges(s) {
                return false;
            }
        }
        false
    }

    fn after_expr(&self, e: &Expr, k: YieldId, depth: u32) -> bool {
        let then_runs = |first: &Expr| !first.res_diverges(k);
        match e {
            Expr::Plain(_) => false,
            Expr::Yield { id, value } => *id != k && self.after_expr(value, k, depth),
            Expr::Block(b) => self.after(b, k, depth),
            Expr::If {
                cond, then, els, ..
            } => {
                if cond.contains(k) {
                    self.after_expr(cond, k, depth)
                        || (then_runs(cond)
                            && (self.block(then, depth)
                                || els.as_ref().is_some_and(|e| e.breaks_to(self, depth))))
                } else if then.contains(k) {
                    self.after(then, k, depth)
                } else {
                    els.as_ref().is_some_and(|e| self.after_expr(e, k, depth))
                }
            }
            Expr::Let { scrut, .. } => self.after_expr(scrut, k, depth),
            Expr::Match { scrut, arms } => {
                if scrut.contains(k) {
                    self.after_expr(scrut, k, depth)
                        || (then_runs(scrut) && arms.iter().any(|a| a.body.breaks_to(self, depth)))
                } else {
                    arms.iter()
                        .any(|a| a.body.contains(k) && self.after_expr(&a.body, k, depth))
                }
            }
            // An inner loop: its rest, then the inner loop again from the top.
            // (only if the rest of its pass can reach the loop's head again).
            Expr::Loop { label, body } => {
                self.after(body, k, depth + 1)
                    || (body.rest_reenters(k, label.as_ref()) && self.block(body, depth + 1))
            }
            Expr::While {
                label, cond, body, ..
            } => {
                self.after_expr(cond, k, depth + 1)
                    || self.after(body, k, depth + 1)
                    || (!(body.contains(k) && body.rest_leaves(k, label.as_ref(), true))
                        && (cond.breaks_to(self, depth + 1) || self.block(body, depth + 1)))
            }
            Expr::Assign { rhs, .. } => self.after_expr(rhs, k, depth),
            Expr::Return(v) => v.as_ref().is_some_and(|v| self.after_expr(v, k, depth)),
            Expr::Break { label, value } => {
                let inner = value.as_ref().is_some_and(|v| self.after_expr(v, k, depth));
                let hits = match label {
                    Some(l) => Some(l.ident.to_string()) == self.label,
                    None => self.is_loop && depth == 0,
                };
                inner
                    || (hits
                        && self.counts != Counts::Continues
                        && value.as_ref().is_none_or(|v| then_runs(v)))
            }
        }
    }

    fn block(&self, b: &Block, depth: u32) -> bool {
        for s in &b.stmts {
            if s.breaks_to(self, depth) {
                return true;
            }
            if self.reachable && stmt_diverges(s) {
                return false;
            }
        }
        false
    }
}

impl Stmt {
    fn breaks_to(&self, j: &Jumps, depth: u32) -> bool {
        match self {
            Stmt::Let { init, diverge, .. } => {
                init.as_ref().is_some_and(|e| e.breaks_to(j, depth))
                    || diverge.as_ref().is_some_and(|e| e.breaks_to(j, depth))
            }
            Stmt::Expr { expr, .. } => expr.breaks_to(j, depth),
        }
    }
}

impl Expr {
    /// `depth`: how many loops we are inside, below the target (unlabeled jumps there
    /// belong to the inner loop).
    fn breaks_to(&self, j: &Jumps, depth: u32) -> bool {
        let hit = |l: &Option<String>, is_continue: bool| {
            (if is_continue {
                j.counts != Counts::Breaks
            } else {
                j.counts != Counts::Continues
            }) && match l {
                Some(l) => Some(l) == j.label.as_ref(),
                None => j.is_loop && depth == 0,
            }
        };
        let block = |b: &Block, depth: u32| j.block(b, depth);
        // Evaluated first and always leaves: the rest of the construct does not run.
        if let Some(first) = self.first_part().filter(|f| j.reachable && f.diverges()) {
            return first.breaks_to(j, depth);
        }
        match self {
            Expr::Plain(p) => p
                .jumps
                .iter()
                .any(|jump| hit(&jump.label, jump.is_continue)),
            Expr::Yield { value, .. } => value.breaks_to(j, depth),
            Expr::Block(b) => block(b, depth),
            Expr::If {
                cond, then, els, ..
            } => {
                cond.breaks_to(j, depth)
                    || block(then, depth)
                    || els.as_ref().is_some_and(|e| e.breaks_to(j, depth))
            }
            Expr::Let { scrut, .. } => scrut.breaks_to(j, depth),
            Expr::Match { scrut, arms } => {
                scrut.breaks_to(j, depth) || arms.iter().any(|a| a.body.breaks_to(j, depth))
            }
            Expr::Loop { body, .. } => block(body, depth + 1),
            Expr::While { cond, body, .. } => cond.breaks_to(j, depth) || block(body, depth + 1),
            Expr::Assign { rhs, .. } => rhs.breaks_to(j, depth),
            Expr::Return(v) => v.as_ref().is_some_and(|v| v.breaks_to(j, depth)),
            Expr::Break { label: l, value } => {
                // `break yield_!(v)` suspends before it breaks.
                let jumps = !(j.reachable && value.as_ref().is_some_and(|v| v.diverges()));
                (jumps && hit(&l.as_ref().map(|l| l.ident.to_string()), false))
                    || value.as_ref().is_some_and(|v| v.breaks_to(j, depth))
            }
        }
    }

    /// Resumed at `k` inside this expression, does it always leave by a jump?
    pub fn res_diverges(&self, k: YieldId) -> bool {
        match self {
            Expr::Plain(_) => false,
            Expr::Yield { id, value } => *id != k && value.contains(k),
            Expr::Block(b) => b.res_diverges(k),
            Expr::If {
                cond, then, els, ..
            } => {
                if cond.contains(k) {
                    cond.res_diverges(k)
                        || (then.diverges() && els.as_ref().is_some_and(|e| e.diverges()))
                } else if then.contains(k) {
                    then.res_diverges(k)
                } else {
                    els.as_ref().is_some_and(|e| e.res_diverges(k))
                }
            }
            Expr::Let { scrut, .. } => scrut.res_diverges(k),
            Expr::Match { scrut, arms } => {
                if scrut.contains(k) {
                    scrut.res_diverges(k)
                        || (!arms.is_empty() && arms.iter().all(|a| a.body.diverges()))
                } else {
                    arms.iter()
                        .any(|a| a.body.contains(k) && a.body.res_diverges(k))
                }
            }
            // A `break` in the rest of the body leaves the loop: only a loop nothing breaks
            // out of never completes.
            // Resumed inside the body: it diverges if the rest of this pass always leaves
            // (suspends, returns, jumps further out) without a `break`/`continue` to this loop,
            // or, for `loop`, if nothing breaks out of it at all.
            Expr::Loop { label, body } => {
                body.rest_leaves(k, label.as_ref(), true) || !body.breaks_out(label.as_ref(), true)
            }
            Expr::While {
                label, cond, body, ..
            } => {
                // Resumed in the condition: the rest of it may leave (`return`, a jump).
                if cond.contains(k) {
                    cond.res_diverges(k)
                } else {
                    body.rest_leaves(k, label.as_ref(), true)
                }
            }
            Expr::Assign { rhs, .. } => rhs.res_diverges(k),
            Expr::Return(_) | Expr::Break { .. } => true,
        }
    }

    /// The operand evaluated before anything else of this construct, if any.
    pub fn first_part(&self) -> Option<&Expr> {
        match self {
            Expr::Yield { value, .. } => Some(value),
            Expr::If { cond, .. } | Expr::While { cond, .. } => Some(cond),
            Expr::Let { scrut, .. } | Expr::Match { scrut, .. } => Some(scrut),
            Expr::Assign { rhs, .. } => Some(rhs),
            Expr::Return(v) | Expr::Break { value: v, .. } => v.as_deref(),
            _ => None,
        }
    }

    /// Does this code read or assign binding `b`?
    pub fn mentions(&self, b: Bid) -> bool {
        let plain = |p: &Plain| p.uses.contains(&b) || p.kills.contains(&b);
        match self {
            Expr::Plain(p) => plain(p),
            Expr::Yield { value, .. } => value.mentions(b),
            Expr::Block(blk) => blk.stmts.iter().any(|s| s.mentions(b)),
            Expr::If {
                cond, then, els, ..
            } => {
                cond.mentions(b)
                    || then.stmts.iter().any(|s| s.mentions(b))
                    || els.as_ref().is_some_and(|e| e.mentions(b))
            }
            Expr::Let { scrut, .. } => scrut.mentions(b),
            Expr::Match { scrut, arms } => {
                scrut.mentions(b)
                    || arms
                        .iter()
                        .any(|a| a.guard.as_ref().is_some_and(plain) || a.body.mentions(b))
            }
            Expr::Loop { body, .. } => body.stmts.iter().any(|s| s.mentions(b)),
            Expr::While { cond, body, .. } => {
                cond.mentions(b) || body.stmts.iter().any(|s| s.mentions(b))
            }
            Expr::Assign { lhs, kills, rhs } => kills.contains(&b) || plain(lhs) || rhs.mentions(b),
            Expr::Return(v) | Expr::Break { value: v, .. } => {
                v.as_ref().is_some_and(|v| v.mentions(b))
            }
        }
    }

    /// Does a yield point `id` occur in here?
    pub fn contains(&self, id: YieldId) -> bool {
        match self {
            Expr::Plain(_) => false,
            Expr::Yield { id: y, value } => *y == id || value.contains(id),
            Expr::Block(b) => b.contains(id),
            Expr::If {
                cond, then, els, ..
            } => {
                cond.contains(id)
                    || then.contains(id)
                    || els.as_ref().is_some_and(|e| e.contains(id))
            }
            Expr::Let { scrut, .. } => scrut.contains(id),
            Expr::Match { scrut, arms } => {
                scrut.contains(id) || arms.iter().any(|a| a.body.contains(id))
            }
            Expr::Loop { body, .. } => body.contains(id),
            Expr::While { cond, body, .. } => cond.contains(id) || body.contains(id),
            Expr::Assign { rhs, .. } => rhs.contains(id),
            Expr::Return(v) => v.as_ref().is_some_and(|v| v.contains(id)),
            Expr::Break { value, .. } => value.as_ref().is_some_and(|v| v.contains(id)),
        }
    }
}

impl Block {
    pub fn res_diverges(&self, k: YieldId) -> bool {
        let Some(i) = self.stmts.iter().position(|s| s.contains(k)) else {
            return false;
        };
        if self.label.is_some() {
            return self.rest_leaves(k, self.label.as_ref(), false);
        }
        self.stmts[i].res_diverges(k) || self.stmts[i + 1..].iter().any(stmt_diverges)
    }

    pub fn contains(&self, id: YieldId) -> bool {
        self.stmts.iter().any(|s| s.contains(id))
    }
}

impl Stmt {
    pub fn mentions(&self, b: Bid) -> bool {
        match self {
            Stmt::Let { init, diverge, .. } => {
                init.as_ref().is_some_and(|e| e.mentions(b))
                    || diverge.as_ref().is_some_and(|e| e.mentions(b))
            }
            Stmt::Expr { expr, .. } => expr.mentions(b),
        }
    }

    /// Resumed at `k` inside this statement, does it always leave by a jump before its end?
    pub fn res_diverges(&self, k: YieldId) -> bool {
        match self {
            Stmt::Let { init, diverge, .. } => {
                diverge.as_ref().is_some_and(|d| d.contains(k))
                    || init.as_ref().is_some_and(|e| e.res_diverges(k))
            }
            Stmt::Expr { expr, .. } => expr.res_diverges(k),
        }
    }

    pub fn contains(&self, id: YieldId) -> bool {
        match self {
            Stmt::Let { init, diverge, .. } => {
                init.as_ref().is_some_and(|e| e.contains(id))
                    || diverge.as_ref().is_some_and(|e| e.contains(id))
            }
            Stmt::Expr { expr, .. } => expr.contains(id),
        }
    }
}
