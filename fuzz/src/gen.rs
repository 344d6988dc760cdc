//! The random program generator: well-formed by construction (every name in scope with its
//! type, every loop bounded, no arithmetic that can panic), reproducible from a seed.

use crate::ast::{Arm, BinOp, Block, Expr, Features, ForIter, Func, Pat, Program, Stmt, Ty};
use crate::rng::Rng;
use crate::scope::{Ctx, LoopInfo};

const NAMES: &[&str] = &["x", "y", "z", "u", "w", "k", "m", "q"];

/// Generates the program of `seed` with the constructs `f` allows.
pub fn generate(seed: u64, f: &Features) -> Program {
    let mut rng = Rng::new(seed);
    let nfuncs = if f.yield_from { 1 + rng.below(3) } else { 1 };
    let p = rng.range(-3, 9);
    let mut funcs = Vec::new();
    for i in 0..nfuncs {
        let budget = if i == 0 {
            8 + rng.below(22)
        } else {
            3 + rng.below(8)
        };
        let mut g = Gen {
            rng: Rng::new(rng.next_u64()),
            f,
            ctx: Ctx::default(),
            label: 0,
            site: (i as u32 + 1) * 100,
            func: i,
            nfuncs,
            budget: budget as i32,
            fresh: 0,
            yields_here: true,
        };
        let first_arg = f.first_arg && g.rng.chance(30);
        g.ctx.push();
        g.ctx.declare("p", Ty::I64, false);
        if first_arg {
            g.ctx.declare("first", Ty::I64, false);
        }
        let mut body = g.stmts(0);
        if body.stmts.is_empty() || g.rng.chance(30) {
            // make sure most functions yield at least once
            let e = g.expr(Ty::I64, 1);
            body.stmts.push(Stmt::Expr(Expr::Yield(Box::new(e))));
        }
        body.tail = Some(Box::new(g.expr(Ty::I64, 2)));
        funcs.push(Func { first_arg, body });
    }
    // From the seed, not the generator's stream: the programs of earlier seeds stay as they were.
    let unit = f.unit_resume && seed % 2 == 1;
    Program {
        seed,
        p,
        unit,
        funcs,
    }
}

struct Gen<'f> {
    rng: Rng,
    f: &'f Features,
    ctx: Ctx,
    label: u32,
    site: u32,
    func: usize,
    nfuncs: usize,
    budget: i32,
    fresh: u32,
    /// statement-position yields allowed in the block being generated
    yields_here: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum K {
    Let,
    Assign,
    YieldStmt,
    YieldLet,
    YieldAssign,
    YieldFrom,
    VecOp,
    StrOp,
    If,
    Loop,
    While,
    For,
    Match,
    Block,
    Break,
    Continue,
    Return,
    Drop,
    ExprStmt,
}

impl Gen<'_> {
    fn new_label(&mut self) -> u32 {
        self.label += 1;
        self.label
    }

    fn new_site(&mut self) -> u32 {
        self.site += 1;
        self.site
    }

    fn name(&mut self) -> String {
        if self.f.shadowing {
            self.rng.pick(NAMES).to_string()
        } else {
            self.fresh += 1;
            format!("v{}", self.fresh)
        }
    }

    /// A block's statements in a new scope (no tail).
    fn stmts(&mut self, depth: usize) -> Block {
        self.stmts_then(depth, None)
    }

    /// A block's statements in a new scope, then maybe `if c { break 'l v; }`.
    fn stmts_then(&mut self, depth: usize, break_to: Option<u32>) -> Block {
        self.ctx.push();
        let n = 1 + self.rng.below(if depth == 0 { 8 } else { 4 });
        let mut stmts = Vec::new();
        for _ in 0..n {
            if self.budget <= 0 {
                break;
            }
            self.budget -= 1;
            stmts.push(self.stmt(depth));
        }
        if let Some(label) = break_to {
            if self.rng.chance(60) {
                let c = self.expr(Ty::Bool, 1);
                let v = self.expr(Ty::I64, 1);
                let brk = Stmt::Break {
                    label,
                    labeled: true,
                    value: Some(v),
                };
                stmts.push(Stmt::If(
                    c,
                    Block {
                        stmts: vec![brk],
                        tail: None,
                    },
                    None,
                ));
            }
        }
        self.ctx.pop();
        Block { stmts, tail: None }
    }

    /// A value block: a few statements and an `i64` tail.
    fn value_block(&mut self, depth: usize) -> Block {
        let saved = self.yields_here;
        self.yields_here = saved && (self.f.value_block_yields || self.f.expr_yield);
        let floor = self.ctx.enter_expr();
        self.ctx.push();
        let mut stmts = Vec::new();
        for _ in 0..self.rng.below(3) {
            if self.budget <= 0 {
                break;
            }
            self.budget -= 1;
            stmts.push(self.stmt(depth + 1));
        }
        let tail = self.expr(Ty::I64, 1);
        self.ctx.pop();
        self.ctx.floor = floor;
        self.yields_here = saved;
        Block {
            stmts,
            tail: Some(Box::new(tail)),
        }
    }

    fn kinds(&self, depth: usize) -> Vec<(K, u32)> {
        let f = self.f;
        let nest = depth < 3;
        let y = f.yield_stmt && self.yields_here;
        let mut k = vec![(K::Let, 12), (K::ExprStmt, 2)];
        let has = |ty| !self.ctx.visible(ty, true).is_empty();
        if has(Ty::I64) || has(Ty::U64) || has(Ty::Vec) || has(Ty::D) {
            k.push((K::Assign, 6));
        }
        if y {
            k.extend([(K::YieldStmt, 10), (K::YieldLet, 6)]);
            if has(Ty::I64) {
                k.push((K::YieldAssign, 5));
            }
        }
        if f.yield_from && self.yields_here && self.func + 1 < self.nfuncs {
            k.push((K::YieldFrom, 4));
        }
        if f.vecs && has(Ty::Vec) {
            k.push((K::VecOp, 5));
        }
        if f.strings && has(Ty::Str) {
            k.push((K::StrOp, 3));
        }
        if nest {
            if f.ifs {
                k.push((K::If, 6));
            }
            if f.loops {
                k.push((K::Loop, 4));
            }
            if f.while_loops {
                k.push((K::While, 3));
            }
            if f.for_loops {
                k.push((K::For, 4));
            }
            if f.matches {
                k.push((K::Match, 4));
            }
            k.push((K::Block, 2));
        }
        if !self.ctx.targets().is_empty() {
            k.extend([(K::Break, 3), (K::Continue, 2)]);
        }
        if f.early_return {
            k.push((K::Return, 1));
        }
        if f.moves
            && self
                .ctx
                .visible(Ty::D, false)
                .iter()
                .any(|d| self.ctx.movable(d))
        {
            k.push((K::Drop, 3));
        }
        k
    }

    fn stmt(&mut self, depth: usize) -> Stmt {
        let kinds = self.kinds(depth);
        let total: u32 = kinds.iter().map(|k| k.1).sum();
        let mut r = self.rng.below(total as usize) as u32;
        let mut kind = K::Let;
        for (k, w) in kinds {
            if r < w {
                kind = k;
                break;
            }
            r -= w;
        }
        match kind {
            K::Let => self.let_stmt(depth),
            K::Assign => self.assign(),
            K::YieldStmt => Stmt::Expr(self.yield_expr()),
            K::YieldLet => {
                let init = self.yield_expr();
                let name = self.name();
                let mutable = self.rng.chance(50);
                self.ctx.declare(&name, Ty::I64, mutable);
                Stmt::Let {
                    name,
                    mutable,
                    ty: Ty::I64,
                    init,
                }
            }
            K::YieldAssign => {
                let names = self.ctx.visible(Ty::I64, true);
                let name = self.rng.pick(&names).clone();
                Stmt::Assign {
                    name,
                    op: None,
                    value: self.yield_expr(),
                }
            }
            K::YieldFrom => {
                let e = self.yield_from_expr();
                match self.rng.below(3) {
                    0 => Stmt::Expr(e),
                    _ => {
                        let name = self.name();
                        self.ctx.declare(&name, Ty::I64, true);
                        Stmt::Let {
                            name,
                            mutable: true,
                            ty: Ty::I64,
                            init: e,
                        }
                    }
                }
            }
            K::VecOp => {
                let vs = self.ctx.visible(Ty::Vec, true);
                let v = self.rng.pick(&vs).clone();
                match self.rng.below(6) {
                    0 | 1 => Stmt::Push(v, self.expr(Ty::I64, 2)),
                    2 => Stmt::Pop(v),
                    3 => Stmt::Truncate(v, self.rng.below(4) as u32),
                    _ => {
                        let i = self.expr(Ty::I64, 1);
                        let x = self.expr(Ty::I64, 2);
                        Stmt::SetIdx(v, i, x)
                    }
                }
            }
            K::StrOp => {
                let ss = self.ctx.visible(Ty::Str, true);
                let s = self.rng.pick(&ss).clone();
                Stmt::PushStr(s, self.expr(Ty::I64, 2))
            }
            K::If => {
                let c = self.expr(Ty::Bool, 2);
                let t = self.stmts(depth + 1);
                let e = if self.rng.chance(50) {
                    Some(self.stmts(depth + 1))
                } else {
                    None
                };
                Stmt::If(c, t, e)
            }
            K::Loop => {
                let label = self.new_label();
                let bound = 1 + self.rng.below(4) as u32;
                self.ctx.loops.push(LoopInfo {
                    label,
                    value: false,
                    barrier: false,
                });
                let body = self.stmts(depth + 1);
                self.ctx.loops.pop();
                Stmt::Loop { label, bound, body }
            }
            K::While => {
                let label = self.new_label();
                let bound = 1 + self.rng.below(4) as u32;
                let cond = if self.rng.chance(50) {
                    self.ctx.loops.push(LoopInfo {
                        label: 0,
                        value: false,
                        barrier: true,
                    });
                    let c = self.expr(Ty::Bool, 2);
                    self.ctx.loops.pop();
                    Some(c)
                } else {
                    None
                };
                self.ctx.loops.push(LoopInfo {
                    label,
                    value: false,
                    barrier: false,
                });
                let body = self.stmts(depth + 1);
                self.ctx.loops.pop();
                Stmt::While {
                    label,
                    bound,
                    cond,
                    body,
                }
            }
            K::For => {
                let label = self.new_label();
                let vs = self.ctx.visible(Ty::Vec, false);
                let iter = if self.f.vecs && !vs.is_empty() && self.rng.chance(40) {
                    ForIter::VecClone(self.rng.pick(&vs).clone())
                } else {
                    ForIter::Range(self.rng.range(-2, 3), self.expr(Ty::I64, 1))
                };
                self.ctx.loops.push(LoopInfo {
                    label,
                    value: false,
                    barrier: false,
                });
                self.ctx.push();
                let var = self.name();
                self.ctx.declare(&var, Ty::I64, false);
                let body = self.stmts(depth + 1);
                self.ctx.pop();
                self.ctx.loops.pop();
                Stmt::For {
                    label,
                    var,
                    iter,
                    body,
                }
            }
            K::Match => {
                let scrut = self.expr(Ty::I64, 2);
                let arms = self.arms(depth, false);
                Stmt::Match(scrut, arms)
            }
            K::Block => Stmt::Block(self.stmts(depth + 1)),
            K::Break | K::Continue => {
                let targets = self.ctx.targets().to_vec();
                let t = targets.len() - 1;
                let i = if self.f.labels {
                    self.rng.below(targets.len())
                } else {
                    t
                };
                let tg = &targets[i];
                let labeled = i != t || self.rng.chance(40);
                let tg = tg.clone();
                self.guarded(|g| {
                    if kind == K::Break {
                        let value = if tg.value {
                            Some(g.expr(Ty::I64, 1))
                        } else {
                            None
                        };
                        Stmt::Break {
                            label: tg.label,
                            labeled: labeled || tg.value,
                            value,
                        }
                    } else {
                        Stmt::Continue {
                            label: tg.label,
                            labeled,
                        }
                    }
                })
            }
            K::Return => self.guarded(|g| Stmt::Return(g.expr(Ty::I64, 2))),
            K::Drop => {
                let ds: Vec<String> = self
                    .ctx
                    .visible(Ty::D, false)
                    .into_iter()
                    .filter(|d| self.ctx.movable(d))
                    .collect();
                let d = self.rng.pick(&ds).clone();
                self.ctx.mark_moved(&d);
                Stmt::DropVar(d)
            }
            K::ExprStmt => {
                if self.f.drops && self.f.drop_temps && self.rng.chance(50) {
                    let s = self.new_site();
                    Stmt::Expr(Expr::Bin(
                        BinOp::Add,
                        Ty::I64,
                        Box::new(Expr::DTemp(s)),
                        Box::new(self.expr(Ty::I64, 2)),
                    ))
                } else {
                    Stmt::Expr(Expr::Call(
                        Box::new(self.expr(Ty::I64, 2)),
                        Box::new(self.expr(Ty::I64, 2)),
                    ))
                }
            }
        }
    }

    /// `if cond { s }` most of the time, `s` bare otherwise; the condition is generated first
    /// (it may move a value that `s` would use).
    fn guarded(&mut self, s: impl FnOnce(&mut Self) -> Stmt) -> Stmt {
        if !self.f.dead_code || self.rng.chance(80) {
            let c = self.expr(Ty::Bool, 2);
            let s = s(self);
            Stmt::If(
                c,
                Block {
                    stmts: vec![s],
                    tail: None,
                },
                None,
            )
        } else {
            s(self)
        }
    }

    fn let_stmt(&mut self, depth: usize) -> Stmt {
        let f = self.f;
        let mut tys = vec![(Ty::I64, 10)];
        if f.unsigned {
            tys.push((Ty::U64, 2));
        }
        if f.vecs {
            tys.push((Ty::Vec, 3));
        }
        if f.strings {
            tys.push((Ty::Str, 2));
        }
        if f.drops {
            tys.push((Ty::D, 4));
        }
        let total: usize = tys.iter().map(|t| t.1).sum();
        let mut r = self.rng.below(total);
        let mut ty = Ty::I64;
        for (t, w) in tys {
            if r < w {
                ty = t;
                break;
            }
            r -= w;
        }
        let init = match ty {
            Ty::I64 if f.break_value && f.loops && depth < 3 && self.rng.chance(12) => {
                self.loop_val(depth)
            }
            Ty::D => Expr::DNew(self.new_site()),
            Ty::Vec => {
                let vs = self.ctx.visible(Ty::Vec, false);
                if !vs.is_empty() && self.rng.chance(25) {
                    Expr::Clone(self.rng.pick(&vs).clone())
                } else {
                    let n = self.rng.below(4);
                    Expr::VecLit((0..n).map(|_| self.expr(Ty::I64, 1)).collect())
                }
            }
            Ty::Str => {
                if self.rng.chance(50) {
                    Expr::StrLit(self.rng.pick(&["", "ab", "xyz"]).to_string())
                } else {
                    Expr::StrOf(Box::new(self.expr(Ty::I64, 1)))
                }
            }
            _ => self.expr(ty, 3),
        };
        let name = self.name();
        let mutable = ty != Ty::Bool && self.rng.chance(60);
        self.ctx.declare(&name, ty, mutable);
        Stmt::Let {
            name,
            mutable,
            ty,
            init,
        }
    }

    fn assign(&mut self) -> Stmt {
        let mut tys = Vec::new();
        for ty in [Ty::I64, Ty::U64, Ty::Vec, Ty::D] {
            if !self.ctx.visible(ty, true).is_empty() {
                tys.push(ty);
            }
        }
        let ty = *self.rng.pick(&tys);
        let names = self.ctx.visible(ty, true);
        let name = self.rng.pick(&names).clone();
        let (op, value) = match ty {
            Ty::D => (None, Expr::DNew(self.new_site())),
            Ty::Vec => (
                None,
                Expr::VecLit(
                    (0..self.rng.below(3))
                        .map(|_| self.expr(Ty::I64, 1))
                        .collect(),
                ),
            ),
            _ => {
                let op = *self.rng.pick(&[
                    None,
                    None,
                    Some(BinOp::Xor),
                    Some(BinOp::And),
                    Some(BinOp::Or),
                ]);
                (op, self.expr(ty, 3))
            }
        };
        Stmt::Assign { name, op, value }
    }

    fn loop_val(&mut self, depth: usize) -> Expr {
        let label = self.new_label();
        let bound = 1 + self.rng.below(4) as u32;
        let default = Box::new(self.expr(Ty::I64, 0));
        self.ctx.loops.push(LoopInfo {
            label,
            value: true,
            barrier: false,
        });
        let saved = self.yields_here;
        self.yields_here = saved && (self.f.value_block_yields || self.f.expr_yield);
        let floor = self.ctx.enter_expr();
        let body = self.stmts_then(depth + 1, Some(label));
        self.ctx.floor = floor;
        self.yields_here = saved;
        self.ctx.loops.pop();
        Expr::LoopVal {
            label,
            bound,
            body,
            default,
        }
    }

    fn arms(&mut self, depth: usize, value: bool) -> Vec<Arm> {
        let n = 1 + self.rng.below(3);
        let mut arms = Vec::new();
        for i in 0..=n {
            let last = i == n;
            let bind = self.rng.chance(40);
            let pat = if last {
                if bind {
                    Pat::Bind(self.name())
                } else {
                    Pat::Wild
                }
            } else {
                match self.rng.below(4) {
                    0 => Pat::Lit(self.rng.range(-2, 6)),
                    1 => Pat::Or(vec![self.rng.range(-2, 2), self.rng.range(3, 8)]),
                    2 => {
                        let lo = self.rng.range(-3, 4);
                        Pat::Range(lo, lo + self.rng.range(0, 5))
                    }
                    _ => {
                        let lo = self.rng.range(-3, 4);
                        Pat::BindRange(self.name(), lo, lo + self.rng.range(0, 5))
                    }
                }
            };
            self.ctx.push();
            if let Pat::Bind(x) | Pat::BindRange(x, ..) = &pat {
                self.ctx.declare(x, Ty::I64, false);
            }
            let guard = if !last && self.rng.chance(30) {
                let saved = self.yields_here;
                let guard_yields = self.f.guard_yields;
                if !guard_yields {
                    self.yields_here = false;
                }
                let g = self.expr(Ty::Bool, 1);
                self.yields_here = saved;
                Some(g)
            } else {
                None
            };
            let body = if value {
                self.value_block(depth + 1)
            } else {
                self.stmts(depth + 1)
            };
            self.ctx.pop();
            arms.push(Arm { pat, guard, body });
        }
        arms
    }

    fn yield_expr(&mut self) -> Expr {
        Expr::Yield(Box::new(self.expr(Ty::I64, 2)))
    }

    fn yield_from_expr(&mut self) -> Expr {
        let k = self.func + 1 + self.rng.below(self.nfuncs - self.func - 1);
        Expr::YieldFrom(k, Box::new(self.expr(Ty::I64, 1)))
    }

    /// An expression of type `ty`; yields inside only with `expr_yield`.
    fn expr(&mut self, ty: Ty, depth: usize) -> Expr {
        match ty {
            Ty::Bool => self.bool_expr(depth),
            Ty::U64 => self.u64_expr(depth),
            _ => self.i64_expr(depth),
        }
    }

    fn leaf_i64(&mut self) -> Expr {
        let f = self.f;
        let mut opts: Vec<Expr> = vec![Expr::Int(self.rng.range(-4, 12))];
        for v in self.ctx.visible(Ty::I64, false) {
            opts.push(Expr::Var(v.clone(), Ty::I64));
            opts.push(Expr::Var(v, Ty::I64));
        }
        if f.unsigned {
            for v in self.ctx.visible(Ty::U64, false) {
                opts.push(Expr::Cast(Box::new(Expr::Var(v, Ty::U64)), Ty::I64));
            }
        }
        for v in self.ctx.visible(Ty::Vec, false) {
            opts.push(Expr::Len(v.clone()));
            opts.push(Expr::VecSum(v));
        }
        for v in self.ctx.visible(Ty::Str, false) {
            opts.push(Expr::Len(v));
        }
        for v in self.ctx.visible(Ty::D, false) {
            opts.push(Expr::DVal(v));
        }
        let i = self.rng.below(opts.len());
        opts.swap_remove(i)
    }

    fn i64_expr(&mut self, depth: usize) -> Expr {
        let f = self.f;
        if depth == 0 || self.rng.chance(35) {
            return self.leaf_i64();
        }
        let ey = f.expr_yield && self.yields_here;
        let mut choices = vec![0, 0, 0, 1, 2];
        if f.vecs && !self.ctx.visible(Ty::Vec, false).is_empty() {
            choices.push(3);
        }
        if f.value_blocks && f.ifs {
            choices.push(4);
        }
        if f.value_blocks && f.matches {
            choices.push(5);
        }
        if f.value_blocks {
            choices.push(6);
        }
        if ey {
            choices.extend([7, 7, 7]);
            if f.yield_from && self.func + 1 < self.nfuncs {
                choices.push(8);
            }
        }
        if f.drops && f.drop_temps {
            choices.push(9);
        }
        match *self.rng.pick(&choices) {
            0 => {
                let op = *self.rng.pick(&[
                    BinOp::Add,
                    BinOp::Sub,
                    BinOp::Mul,
                    BinOp::Xor,
                    BinOp::And,
                    BinOp::Or,
                    BinOp::Rem,
                    BinOp::Shl,
                ]);
                let a = self.i64_expr(depth - 1);
                let b = self.i64_expr(depth - 1);
                Expr::Bin(op, Ty::I64, Box::new(a), Box::new(b))
            }
            1 => Expr::Neg(Box::new(self.i64_expr(depth - 1))),
            2 => {
                let a = self.i64_expr(depth - 1);
                let b = self.i64_expr(depth - 1);
                Expr::Call(Box::new(a), Box::new(b))
            }
            3 => {
                let vs = self.ctx.visible(Ty::Vec, false);
                let v = self.rng.pick(&vs).clone();
                Expr::VecGet(v, Box::new(self.i64_expr(depth - 1)))
            }
            4 => {
                let c = self.bool_expr(depth - 1);
                let t = self.value_block(depth);
                let e = self.value_block(depth);
                Expr::If(Box::new(c), t, e)
            }
            5 => {
                let s = self.i64_expr(depth - 1);
                let arms = self.arms(depth, true);
                Expr::Match(Box::new(s), arms)
            }
            6 => {
                if f.break_value && f.loops && self.rng.chance(30) {
                    self.loop_val(depth)
                } else {
                    Expr::Block(self.value_block(depth))
                }
            }
            7 => Expr::Yield(Box::new(self.i64_expr(depth - 1))),
            8 => self.yield_from_expr(),
            _ => {
                let s = self.new_site();
                let b = self.i64_expr(depth - 1);
                Expr::Bin(BinOp::Add, Ty::I64, Box::new(Expr::DTemp(s)), Box::new(b))
            }
        }
    }

    fn u64_expr(&mut self, depth: usize) -> Expr {
        let vs = self.ctx.visible(Ty::U64, false);
        if depth == 0 || self.rng.chance(30) {
            if !vs.is_empty() && self.rng.chance(60) {
                return Expr::Var(self.rng.pick(&vs).clone(), Ty::U64);
            }
            return Expr::UInt(self.rng.below(20) as u64);
        }
        match self.rng.below(3) {
            0 => Expr::Cast(Box::new(self.i64_expr(depth - 1)), Ty::U64),
            _ => {
                let op =
                    *self
                        .rng
                        .pick(&[BinOp::Add, BinOp::Mul, BinOp::Xor, BinOp::Rem, BinOp::Sub]);
                let a = self.u64_expr(depth - 1);
                let b = self.u64_expr(depth - 1);
                Expr::Bin(op, Ty::U64, Box::new(a), Box::new(b))
            }
        }
    }

    fn bool_expr(&mut self, depth: usize) -> Expr {
        if depth == 0 {
            return Expr::Bin(
                BinOp::Lt,
                Ty::I64,
                Box::new(self.leaf_i64()),
                Box::new(self.leaf_i64()),
            );
        }
        match self.rng.below(8) {
            0 => Expr::Bool(self.rng.chance(50)),
            1 => Expr::Not(Box::new(self.bool_expr(depth - 1))),
            2 => {
                let op = *self.rng.pick(&[BinOp::AndAnd, BinOp::OrOr]);
                let a = self.bool_expr(depth - 1);
                let b = self.bool_expr(depth - 1);
                Expr::Bin(op, Ty::Bool, Box::new(a), Box::new(b))
            }
            3 if self.f.vecs && !self.ctx.visible(Ty::Vec, false).is_empty() => {
                let vs = self.ctx.visible(Ty::Vec, false);
                Expr::IsEmpty(self.rng.pick(&vs).clone())
            }
            _ => {
                let op = *self.rng.pick(&[BinOp::Lt, BinOp::Eq, BinOp::Ge]);
                let a = self.i64_expr(depth - 1);
                let b = self.i64_expr(depth - 1);
                Expr::Bin(op, Ty::I64, Box::new(a), Box::new(b))
            }
        }
    }
}
