//! The validator: is a program well-formed (every name in scope with the right type, every
//! `break` aimed at an enclosing loop, no use after a move)? The generator only writes such
//! programs; the minimiser uses this to discard the edits that would break one.

use crate::ast::{Arm, BinOp, Block, Expr, ForIter, Pat, Program, Stmt, Ty};
use crate::scope::{Ctx, LoopInfo};

/// `true` when `p` is well-formed.
pub fn validate(p: &Program) -> bool {
    let n = p.funcs.len();
    p.funcs.iter().enumerate().all(|(i, f)| {
        let mut c = Checker {
            ctx: Ctx::default(),
            func: i,
            nfuncs: n,
        };
        c.ctx.push();
        c.ctx.declare("p", Ty::I64, false);
        if f.first_arg {
            c.ctx.declare("first", Ty::I64, false);
        }
        c.block(&f.body, true)
    })
}

/// The type of a well-formed expression.
pub fn type_of(e: &Expr) -> Ty {
    match e {
        Expr::UInt(_) => Ty::U64,
        Expr::Bool(_) | Expr::Not(_) | Expr::IsEmpty(_) => Ty::Bool,
        Expr::Var(_, t) | Expr::Cast(_, t) => *t,
        Expr::Bin(op, t, ..) => match op {
            BinOp::Lt | BinOp::Eq | BinOp::Ge | BinOp::AndAnd | BinOp::OrOr => Ty::Bool,
            _ => *t,
        },
        Expr::DNew(_) => Ty::D,
        Expr::VecLit(_) | Expr::Clone(_) => Ty::Vec,
        Expr::StrLit(_) | Expr::StrOf(_) => Ty::Str,
        _ => Ty::I64,
    }
}

struct Checker {
    ctx: Ctx,
    func: usize,
    nfuncs: usize,
}

impl Checker {
    fn block(&mut self, b: &Block, value: bool) -> bool {
        if b.tail.is_some() != value {
            return false;
        }
        self.ctx.push();
        let ok = b.stmts.iter().all(|s| {
            let ok = self.stmt(s);
            #[cfg(test)]
            if !ok {
                eprintln!("invalid: {s:?}");
            }
            ok
        }) && b.tail.as_ref().is_none_or(|t| self.expr(t, Ty::I64));
        self.ctx.pop();
        ok
    }

    fn in_expr(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let floor = self.ctx.enter_expr();
        let ok = f(self);
        self.ctx.floor = floor;
        ok
    }

    fn in_loop(&mut self, label: u32, value: bool, f: impl FnOnce(&mut Self) -> bool) -> bool {
        self.ctx.loops.push(LoopInfo {
            label,
            value,
            barrier: false,
        });
        let ok = f(self);
        self.ctx.loops.pop();
        ok
    }

    fn stmt(&mut self, s: &Stmt) -> bool {
        match s {
            Stmt::Let {
                name,
                mutable,
                ty,
                init,
            } => {
                if !self.expr(init, *ty) {
                    return false;
                }
                self.ctx.declare(name, *ty, *mutable);
                true
            }
            Stmt::Assign { name, op, value } => {
                let Some(v) = self.ctx.lookup(name) else {
                    return false;
                };
                let ty = v.ty;
                if !self.ctx.assignable(name, ty) || ty == Ty::Str || ty == Ty::Bool {
                    return false;
                }
                if op.is_some() && !matches!(ty, Ty::I64 | Ty::U64) {
                    return false;
                }
                self.expr(value, ty)
            }
            Stmt::Expr(e) => self.expr(e, Ty::I64),
            Stmt::Push(v, e) => self.ctx.assignable(v, Ty::Vec) && self.expr(e, Ty::I64),
            Stmt::Pop(v) | Stmt::Truncate(v, _) => self.ctx.assignable(v, Ty::Vec),
            Stmt::SetIdx(v, i, x) => {
                self.ctx.assignable(v, Ty::Vec) && self.expr(i, Ty::I64) && self.expr(x, Ty::I64)
            }
            Stmt::PushStr(v, e) => self.ctx.assignable(v, Ty::Str) && self.expr(e, Ty::I64),
            Stmt::If(c, t, e) => {
                self.expr(c, Ty::Bool)
                    && self.block(t, false)
                    && e.as_ref().is_none_or(|e| self.block(e, false))
            }
            Stmt::Loop { label, body, .. } => self.in_loop(*label, false, |c| c.block(body, false)),
            Stmt::While {
                label, cond, body, ..
            } => {
                if let Some(cond) = cond {
                    self.ctx.loops.push(LoopInfo {
                        label: 0,
                        value: false,
                        barrier: true,
                    });
                    let ok = self.expr(cond, Ty::Bool);
                    self.ctx.loops.pop();
                    if !ok {
                        return false;
                    }
                }
                self.in_loop(*label, false, |c| c.block(body, false))
            }
            Stmt::For {
                label,
                var,
                iter,
                body,
            } => {
                let ok = match iter {
                    ForIter::Range(_, e) => self.expr(e, Ty::I64),
                    ForIter::VecClone(v) => self.ctx.usable(v, Ty::Vec),
                };
                ok && self.in_loop(*label, false, |c| {
                    c.ctx.push();
                    c.ctx.declare(var, Ty::I64, false);
                    let ok = c.block(body, false);
                    c.ctx.pop();
                    ok
                })
            }
            Stmt::Match(e, arms) => self.expr(e, Ty::I64) && self.arms(arms, false),
            Stmt::Break {
                label,
                labeled,
                value,
            } => {
                let targets = self.ctx.targets();
                let Some(i) = targets.iter().position(|l| l.label == *label) else {
                    return false;
                };
                let t = targets[i].clone();
                (*labeled || i + 1 == targets.len())
                    && t.value == value.is_some()
                    && value.as_ref().is_none_or(|v| self.expr(v, Ty::I64))
            }
            Stmt::Continue { label, labeled } => {
                let targets = self.ctx.targets();
                match targets.iter().position(|l| l.label == *label) {
                    Some(i) => *labeled || i + 1 == targets.len(),
                    None => false,
                }
            }
            Stmt::Return(e) => self.expr(e, Ty::I64),
            Stmt::Block(b) => self.block(b, false),
            Stmt::DropVar(d) => {
                if !self.ctx.movable(d) {
                    return false;
                }
                self.ctx.mark_moved(d);
                true
            }
        }
    }

    fn arms(&mut self, arms: &[Arm], value: bool) -> bool {
        let Some(last) = arms.last() else {
            return false;
        };
        if !matches!(last.pat, Pat::Wild | Pat::Bind(_)) || last.guard.is_some() {
            return false;
        }
        arms.iter().all(|a| {
            self.ctx.push();
            if let Pat::Bind(x) | Pat::BindRange(x, ..) = &a.pat {
                self.ctx.declare(x, Ty::I64, false);
            }
            let ok = a.guard.as_ref().is_none_or(|g| self.expr(g, Ty::Bool))
                && self.block(&a.body, value);
            self.ctx.pop();
            ok
        })
    }

    fn expr(&mut self, e: &Expr, ty: Ty) -> bool {
        if type_of(e) != ty {
            return false;
        }
        match e {
            Expr::Int(_)
            | Expr::UInt(_)
            | Expr::Bool(_)
            | Expr::DTemp(_)
            | Expr::DNew(_)
            | Expr::StrLit(_) => true,
            Expr::Var(n, t) => self.ctx.usable(n, *t),
            Expr::Bin(op, t, a, b) => {
                let operand_ok = match op {
                    BinOp::AndAnd | BinOp::OrOr => *t == Ty::Bool,
                    BinOp::Lt | BinOp::Eq | BinOp::Ge => *t == Ty::I64,
                    _ => matches!(t, Ty::I64 | Ty::U64),
                };
                operand_ok && self.expr(a, *t) && self.expr(b, *t)
            }
            Expr::Not(a) => self.expr(a, Ty::Bool),
            Expr::Neg(a) | Expr::StrOf(a) | Expr::Yield(a) => self.expr(a, Ty::I64),
            Expr::Cast(a, to) => {
                let from = if *to == Ty::U64 { Ty::I64 } else { Ty::U64 };
                matches!(to, Ty::I64 | Ty::U64) && self.expr(a, from)
            }
            Expr::Call(a, b) => self.expr(a, Ty::I64) && self.expr(b, Ty::I64),
            Expr::Len(v) => self.ctx.usable(v, Ty::Vec) || self.ctx.usable(v, Ty::Str),
            Expr::VecSum(v) | Expr::IsEmpty(v) | Expr::Clone(v) => self.ctx.usable(v, Ty::Vec),
            Expr::VecGet(v, i) => self.ctx.usable(v, Ty::Vec) && self.expr(i, Ty::I64),
            Expr::DVal(d) => self.ctx.usable(d, Ty::D),
            Expr::VecLit(items) => items.iter().all(|x| self.expr(x, Ty::I64)),
            Expr::If(c, t, f) => {
                self.expr(c, Ty::Bool) && self.in_expr(|c| c.block(t, true) && c.block(f, true))
            }
            Expr::Match(s, arms) => self.expr(s, Ty::I64) && self.in_expr(|c| c.arms(arms, true)),
            Expr::LoopVal {
                label,
                body,
                default,
                ..
            } => {
                self.expr(default, Ty::I64)
                    && self.in_expr(|c| c.in_loop(*label, true, |c| c.block(body, false)))
            }
            Expr::Block(b) => self.in_expr(|c| c.block(b, true)),
            Expr::YieldFrom(k, a) => *k > self.func && *k < self.nfuncs && self.expr(a, Ty::I64),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ast::Features;

    #[test]
    fn generated_programs_validate() {
        for f in [
            Features::all(),
            Features::statements(),
            Features::parse("none").unwrap(),
        ] {
            for seed in 0..300 {
                let p = crate::gen::generate(seed, &f);
                assert!(
                    super::validate(&p),
                    "seed {seed} {}:\n{}",
                    f.spec(),
                    p.to_source(crate::ast::Mode::Coroutine)
                );
            }
        }
    }
}
