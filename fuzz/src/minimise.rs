//! The minimiser: greedy delta debugging over the AST. Each round builds every single edit
//! (delete a statement, replace a compound statement by one of its blocks, replace an
//! expression by `0`/`false` or by one of its operands, drop a match arm), keeps the
//! well-formed ones, runs the smallest in one batch and moves to the smallest that still fails
//! the same way.

use crate::ast::{Arm, Block, Expr, ForIter, Pat, Program, Stmt, Ty};
use crate::check::{type_of, validate};
use crate::harness::{run_batch, Config, Outcome};

/// Candidates evaluated per compile: the smallest first, where most progress is.
const CHUNKS: &[usize] = &[40, 80, 160];

/// Shrinks `p`, which fails with `outcome`, to a small program that fails the same way.
/// `log` receives one line per round.
///
/// # Errors
///
/// IO errors from the harness.
pub fn minimise(
    cfg: &Config,
    p: &Program,
    outcome: &Outcome,
    max_rounds: usize,
    log: &mut dyn FnMut(&str),
) -> std::io::Result<(Program, Outcome)> {
    let mut cur = p.clone();
    let mut cur_out = outcome.clone();
    'rounds: for round in 0..max_rounds {
        let size = cur.size();
        let mut cands: Vec<(usize, Program)> = variants(&cur)
            .into_iter()
            .filter(validate)
            .map(|p| (p.size(), p))
            .filter(|c| c.0 < size)
            .collect();
        cands.sort_by_key(|c| c.0);
        cands.dedup();
        let cands: Vec<Program> = cands.into_iter().map(|c| c.1).collect();
        let mut start = 0;
        for &n in CHUNKS {
            let chunk = &cands[start.min(cands.len())..(start + n).min(cands.len())];
            start += n;
            if chunk.is_empty() {
                break;
            }
            let outs = run_batch(cfg, chunk)?;
            if let Some((c, o)) = chunk
                .iter()
                .zip(outs)
                .find(|(_, o)| o.same_failure_as(outcome))
            {
                cur = c.clone();
                cur_out = o;
                log(&format!("round {round}: size {}", cur.size()));
                continue 'rounds;
            }
        }
        break;
    }
    Ok((cur, cur_out))
}

/// Every program one edit away from `p`.
pub fn variants(p: &Program) -> Vec<Program> {
    let mut out = Vec::new();
    // a sub-coroutine becomes `main` (the bug may be all in there)
    for k in 1..p.funcs.len() {
        let mut q = p.clone();
        q.funcs[0] = q.funcs[k].clone();
        out.push(q);
    }
    for (i, f) in p.funcs.iter().enumerate() {
        if f.first_arg {
            let mut q = p.clone();
            q.funcs[i].first_arg = false;
            out.push(q);
        }
        for b in block_variants(&f.body) {
            let mut q = p.clone();
            q.funcs[i].body = b;
            out.push(q);
        }
    }
    out
}

fn block_variants(b: &Block) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, s) in b.stmts.iter().enumerate() {
        let with = |repl: Vec<Stmt>| {
            let mut nb = b.clone();
            nb.stmts.splice(i..=i, repl);
            nb
        };
        out.push(with(Vec::new()));
        for inner in sub_blocks(s) {
            out.push(with(inner.stmts.clone()));
        }
        for v in stmt_variants(s) {
            out.push(with(vec![v]));
        }
    }
    if let Some(t) = &b.tail {
        for v in expr_variants(t) {
            let mut nb = b.clone();
            nb.tail = Some(Box::new(v));
            out.push(nb);
        }
    }
    out
}

fn sub_blocks(s: &Stmt) -> Vec<&Block> {
    match s {
        Stmt::If(_, t, e) => std::iter::once(t).chain(e).collect(),
        Stmt::Loop { body, .. }
        | Stmt::While { body, .. }
        | Stmt::For { body, .. }
        | Stmt::Block(body) => vec![body],
        Stmt::Match(_, arms) => arms.iter().map(|a| &a.body).collect(),
        _ => Vec::new(),
    }
}

fn arms_variants(arms: &[Arm]) -> Vec<Vec<Arm>> {
    let mut out = Vec::new();
    for i in 0..arms.len() {
        if i + 1 < arms.len() {
            let mut a = arms.to_vec();
            a.remove(i);
            out.push(a);
        }
        let a = &arms[i];
        if a.guard.is_some() && i + 1 < arms.len() {
            let mut v = arms.to_vec();
            v[i].guard = None;
            out.push(v);
        }
        if let Some(g) = &a.guard {
            for g in expr_variants(g) {
                let mut v = arms.to_vec();
                v[i].guard = Some(g);
                out.push(v);
            }
        }
        if !matches!(a.pat, Pat::Wild) && i + 1 == arms.len() {
            let mut v = arms.to_vec();
            v[i].pat = Pat::Wild;
            out.push(v);
        }
        for b in block_variants(&a.body) {
            let mut v = arms.to_vec();
            v[i].body = b;
            out.push(v);
        }
    }
    out
}

fn stmt_variants(s: &Stmt) -> Vec<Stmt> {
    let mut out = Vec::new();
    match s {
        Stmt::Let {
            name,
            mutable,
            ty,
            init,
        } => {
            out.extend(expr_variants(init).into_iter().map(|init| Stmt::Let {
                name: name.clone(),
                mutable: *mutable,
                ty: *ty,
                init,
            }));
        }
        Stmt::Assign { name, op, value } => {
            if op.is_some() {
                out.push(Stmt::Assign {
                    name: name.clone(),
                    op: None,
                    value: value.clone(),
                });
            }
            out.extend(expr_variants(value).into_iter().map(|value| Stmt::Assign {
                name: name.clone(),
                op: *op,
                value,
            }));
        }
        Stmt::Expr(e) => out.extend(expr_variants(e).into_iter().map(Stmt::Expr)),
        Stmt::Push(v, e) => out.extend(
            expr_variants(e)
                .into_iter()
                .map(|e| Stmt::Push(v.clone(), e)),
        ),
        Stmt::PushStr(v, e) => out.extend(
            expr_variants(e)
                .into_iter()
                .map(|e| Stmt::PushStr(v.clone(), e)),
        ),
        Stmt::SetIdx(v, i, x) => {
            out.extend(
                expr_variants(i)
                    .into_iter()
                    .map(|i| Stmt::SetIdx(v.clone(), i, x.clone())),
            );
            out.extend(
                expr_variants(x)
                    .into_iter()
                    .map(|x| Stmt::SetIdx(v.clone(), i.clone(), x)),
            );
        }
        Stmt::If(c, t, e) => {
            if e.is_some() {
                out.push(Stmt::If(c.clone(), t.clone(), None));
            }
            out.extend(
                expr_variants(c)
                    .into_iter()
                    .map(|c| Stmt::If(c, t.clone(), e.clone())),
            );
            out.extend(
                block_variants(t)
                    .into_iter()
                    .map(|t| Stmt::If(c.clone(), t, e.clone())),
            );
            if let Some(eb) = e {
                out.extend(
                    block_variants(eb)
                        .into_iter()
                        .map(|eb| Stmt::If(c.clone(), t.clone(), Some(eb))),
                );
            }
        }
        Stmt::Loop { label, bound, body } => {
            if *bound > 1 {
                out.push(Stmt::Loop {
                    label: *label,
                    bound: 1,
                    body: body.clone(),
                });
            }
            out.extend(block_variants(body).into_iter().map(|body| Stmt::Loop {
                label: *label,
                bound: *bound,
                body,
            }));
        }
        Stmt::While {
            label,
            bound,
            cond,
            body,
        } => {
            if cond.is_some() {
                out.push(Stmt::While {
                    label: *label,
                    bound: *bound,
                    cond: None,
                    body: body.clone(),
                });
            }
            if *bound > 1 {
                out.push(Stmt::While {
                    label: *label,
                    bound: 1,
                    cond: cond.clone(),
                    body: body.clone(),
                });
            }
            if let Some(c) = cond {
                out.extend(expr_variants(c).into_iter().map(|c| Stmt::While {
                    label: *label,
                    bound: *bound,
                    cond: Some(c),
                    body: body.clone(),
                }));
            }
            out.extend(block_variants(body).into_iter().map(|body| Stmt::While {
                label: *label,
                bound: *bound,
                cond: cond.clone(),
                body,
            }));
        }
        Stmt::For {
            label,
            var,
            iter,
            body,
        } => {
            if let ForIter::Range(lo, e) = iter {
                out.extend(expr_variants(e).into_iter().map(|e| Stmt::For {
                    label: *label,
                    var: var.clone(),
                    iter: ForIter::Range(*lo, e),
                    body: body.clone(),
                }));
                if *lo != 0 {
                    out.push(Stmt::For {
                        label: *label,
                        var: var.clone(),
                        iter: ForIter::Range(0, e.clone()),
                        body: body.clone(),
                    });
                }
            }
            out.extend(block_variants(body).into_iter().map(|body| Stmt::For {
                label: *label,
                var: var.clone(),
                iter: iter.clone(),
                body,
            }));
        }
        Stmt::Match(e, arms) => {
            out.extend(
                expr_variants(e)
                    .into_iter()
                    .map(|e| Stmt::Match(e, arms.clone())),
            );
            out.extend(
                arms_variants(arms)
                    .into_iter()
                    .map(|a| Stmt::Match(e.clone(), a)),
            );
        }
        Stmt::Break {
            label,
            labeled,
            value,
        } => {
            if *labeled {
                out.push(Stmt::Break {
                    label: *label,
                    labeled: false,
                    value: value.clone(),
                });
            }
            if let Some(v) = value {
                out.extend(expr_variants(v).into_iter().map(|v| Stmt::Break {
                    label: *label,
                    labeled: *labeled,
                    value: Some(v),
                }));
            }
        }
        Stmt::Continue {
            label,
            labeled: true,
        } => out.push(Stmt::Continue {
            label: *label,
            labeled: false,
        }),
        Stmt::Return(e) => out.extend(expr_variants(e).into_iter().map(Stmt::Return)),
        Stmt::Block(b) => out.extend(block_variants(b).into_iter().map(Stmt::Block)),
        Stmt::Pop(_) | Stmt::Truncate(..) | Stmt::Continue { .. } | Stmt::DropVar(_) => {}
    }
    out
}

fn bx(e: Expr) -> Box<Expr> {
    Box::new(e)
}

/// Simpler expressions of the same type: a literal, an operand, or one edit inside.
fn expr_variants(e: &Expr) -> Vec<Expr> {
    let ty = type_of(e);
    let mut out = Vec::new();
    let simple = match ty {
        Ty::I64 => Some(Expr::Int(0)),
        Ty::U64 => Some(Expr::UInt(0)),
        Ty::Bool => Some(Expr::Bool(false)),
        Ty::Vec => Some(Expr::VecLit(Vec::new())),
        Ty::Str => Some(Expr::StrLit(String::new())),
        Ty::D => None,
    };
    if let Some(s) = simple {
        if *e != s
            && !matches!(
                e,
                Expr::Int(_) | Expr::UInt(_) | Expr::Bool(_) | Expr::Var(..)
            )
        {
            out.push(s);
        }
    }
    if ty == Ty::Bool && *e != Expr::Bool(true) && !matches!(e, Expr::Var(..)) {
        out.push(Expr::Bool(true));
    }
    // operands of the same type
    let children: Vec<&Expr> = match e {
        Expr::Bin(_, _, a, b) | Expr::Call(a, b) => vec![a, b],
        Expr::Not(a) | Expr::Neg(a) | Expr::Yield(a) | Expr::YieldFrom(_, a) => vec![a],
        Expr::If(_, t, f) => t.tail.iter().chain(&f.tail).map(|b| &**b).collect(),
        Expr::Block(b) => b.tail.iter().map(|b| &**b).collect(),
        _ => Vec::new(),
    };
    for c in children {
        if type_of(c) == ty {
            out.push(c.clone());
        }
    }
    // one edit inside
    match e {
        Expr::Bin(op, t, a, b) => {
            out.extend(
                expr_variants(a)
                    .into_iter()
                    .map(|a| Expr::Bin(*op, *t, bx(a), b.clone())),
            );
            out.extend(
                expr_variants(b)
                    .into_iter()
                    .map(|b| Expr::Bin(*op, *t, a.clone(), bx(b))),
            );
        }
        Expr::Call(a, b) => {
            out.extend(
                expr_variants(a)
                    .into_iter()
                    .map(|a| Expr::Call(bx(a), b.clone())),
            );
            out.extend(
                expr_variants(b)
                    .into_iter()
                    .map(|b| Expr::Call(a.clone(), bx(b))),
            );
        }
        Expr::Not(a) => out.extend(expr_variants(a).into_iter().map(|a| Expr::Not(bx(a)))),
        Expr::Neg(a) => out.extend(expr_variants(a).into_iter().map(|a| Expr::Neg(bx(a)))),
        Expr::Cast(a, t) => out.extend(expr_variants(a).into_iter().map(|a| Expr::Cast(bx(a), *t))),
        Expr::StrOf(a) => out.extend(expr_variants(a).into_iter().map(|a| Expr::StrOf(bx(a)))),
        Expr::Yield(a) => out.extend(expr_variants(a).into_iter().map(|a| Expr::Yield(bx(a)))),
        Expr::YieldFrom(k, a) => out.extend(
            expr_variants(a)
                .into_iter()
                .map(|a| Expr::YieldFrom(*k, bx(a))),
        ),
        Expr::VecGet(v, a) => out.extend(
            expr_variants(a)
                .into_iter()
                .map(|a| Expr::VecGet(v.clone(), bx(a))),
        ),
        Expr::VecLit(items) => {
            for i in 0..items.len() {
                let mut v = items.clone();
                v.remove(i);
                out.push(Expr::VecLit(v));
                for x in expr_variants(&items[i]) {
                    let mut v = items.clone();
                    v[i] = x;
                    out.push(Expr::VecLit(v));
                }
            }
        }
        Expr::If(c, t, f) => {
            out.extend(
                expr_variants(c)
                    .into_iter()
                    .map(|c| Expr::If(bx(c), t.clone(), f.clone())),
            );
            out.extend(
                block_variants(t)
                    .into_iter()
                    .map(|t| Expr::If(c.clone(), t, f.clone())),
            );
            out.extend(
                block_variants(f)
                    .into_iter()
                    .map(|f| Expr::If(c.clone(), t.clone(), f)),
            );
            out.push(Expr::Block(t.clone()));
            out.push(Expr::Block(f.clone()));
        }
        Expr::Match(s, arms) => {
            out.extend(
                expr_variants(s)
                    .into_iter()
                    .map(|s| Expr::Match(bx(s), arms.clone())),
            );
            out.extend(
                arms_variants(arms)
                    .into_iter()
                    .map(|a| Expr::Match(s.clone(), a)),
            );
            out.extend(arms.iter().map(|a| Expr::Block(a.body.clone())));
        }
        Expr::LoopVal {
            label,
            bound,
            body,
            default,
        } => {
            if *bound > 1 {
                out.push(Expr::LoopVal {
                    label: *label,
                    bound: 1,
                    body: body.clone(),
                    default: default.clone(),
                });
            }
            out.extend(expr_variants(default).into_iter().map(|d| Expr::LoopVal {
                label: *label,
                bound: *bound,
                body: body.clone(),
                default: bx(d),
            }));
            out.extend(block_variants(body).into_iter().map(|b| Expr::LoopVal {
                label: *label,
                bound: *bound,
                body: b,
                default: default.clone(),
            }));
        }
        Expr::Block(b) => out.extend(block_variants(b).into_iter().map(Expr::Block)),
        _ => {}
    }
    out
}
