//! The generated programs: a small typed AST, the switches that say which constructs may
//! appear, and the printer that writes a program as a coroutine or as its reference function.

use std::fmt::Write as _;

/// Which construct classes the generator may use. Everything is switchable so the fuzzer runs
/// on what the macro supports today and grows with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Features {
    /// `Vec<i64>` locals: literals, `push`, `pop`, indexing, `len`, iteration.
    pub vecs: bool,
    /// `String` locals: `push_str`, `len`.
    pub strings: bool,
    /// `u64` locals and casts between `i64` and `u64`.
    pub unsigned: bool,
    /// Reuse of names (`let x = ..; let x = ..;`), across types too.
    pub shadowing: bool,
    /// `if`/`else` statements and `if` expressions.
    pub ifs: bool,
    /// `match` with literal, or-, range and binding patterns and guards.
    pub matches: bool,
    /// `loop` with a counter.
    pub loops: bool,
    /// `while` with a counter.
    pub while_loops: bool,
    /// `for` over ranges and over cloned vectors.
    pub for_loops: bool,
    /// Labeled `break 'l` / `continue 'l` to outer loops.
    pub labels: bool,
    /// `let x = 'l: loop { .. break 'l v; .. }`.
    pub break_value: bool,
    /// `return e;` before the end.
    pub early_return: bool,
    /// Unguarded `break`/`continue`/`return` in the middle of a block, so that code after
    /// them (yields included) is unreachable; otherwise jumps always sit in an `if`.
    pub dead_code: bool,
    /// Value blocks: `if`/`match`/block expressions used for their value.
    pub value_blocks: bool,
    /// `yield_!(e);`, `let x = yield_!(e);`, `x = yield_!(e);`.
    pub yield_stmt: bool,
    /// Statement-position yields inside value blocks (`let x = if c { yield_!(1); 2 } else { 3 };`).
    pub value_block_yields: bool,
    /// Yields anywhere in expressions: operands, call arguments, receivers, conditions,
    /// scrutinees, nested yields.
    pub expr_yield: bool,
    /// Yields inside `match` guards (only with `expr_yield`).
    pub guard_yields: bool,
    /// `yield_from!` of other generated coroutines.
    pub yield_from: bool,
    /// `D` values that log their drop, as locals.
    pub drops: bool,
    /// `D` temporaries inside expressions (`D::new(..).val()`), which live to the end of
    /// their statement (edition 2021 rules), possibly across a yield.
    pub drop_temps: bool,
    /// `drop(d)` moves, also conditional ones (drop flags).
    pub moves: bool,
    /// `#[resumable::coroutine(arg = first)]`.
    pub first_arg: bool,
    /// Odd seeds resume with `()` (`impl Coroutine<(), ..>`): a yield used for its value
    /// reads its argument from the log (`{ yield_!(e); log.resumed() }`), a statement yield
    /// stays `yield_!(e);` (the form the macro's loop hand-over looks for).
    pub unit_resume: bool,
    /// Drop each coroutine while suspended after k resumes and check the drops.
    pub early_drop: bool,
    /// In early-drop runs also require the exact drop order of unwinding from that yield
    /// (otherwise only "every value dropped exactly once").
    pub early_drop_order: bool,
}

impl Features {
    /// Every construct the generator knows.
    pub fn all() -> Features {
        Features {
            vecs: true,
            strings: true,
            unsigned: true,
            shadowing: true,
            ifs: true,
            matches: true,
            loops: true,
            while_loops: true,
            for_loops: true,
            labels: true,
            break_value: true,
            early_return: true,
            dead_code: true,
            value_blocks: true,
            yield_stmt: true,
            value_block_yields: true,
            expr_yield: true,
            guard_yields: false,
            yield_from: true,
            drops: true,
            drop_temps: true,
            moves: true,
            first_arg: true,
            unit_resume: true,
            early_drop: true,
            early_drop_order: true,
        }
    }

    /// Yields in statement position only (the first thing a macro supports), every other
    /// construct on.
    pub fn statements() -> Features {
        Features {
            value_block_yields: false,
            expr_yield: false,
            guard_yields: false,
            drop_temps: false,
            ..Features::all()
        }
    }

    /// Names of the switches, in declaration order.
    pub const NAMES: &'static [&'static str] = &[
        "vecs",
        "strings",
        "unsigned",
        "shadowing",
        "ifs",
        "matches",
        "loops",
        "while_loops",
        "for_loops",
        "labels",
        "break_value",
        "early_return",
        "dead_code",
        "value_blocks",
        "yield_stmt",
        "value_block_yields",
        "expr_yield",
        "guard_yields",
        "yield_from",
        "drops",
        "drop_temps",
        "moves",
        "first_arg",
        "unit_resume",
        "early_drop",
        "early_drop_order",
    ];

    /// The switch called `name`.
    pub fn flag_mut(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "vecs" => &mut self.vecs,
            "strings" => &mut self.strings,
            "unsigned" => &mut self.unsigned,
            "shadowing" => &mut self.shadowing,
            "ifs" => &mut self.ifs,
            "matches" => &mut self.matches,
            "loops" => &mut self.loops,
            "while_loops" => &mut self.while_loops,
            "for_loops" => &mut self.for_loops,
            "labels" => &mut self.labels,
            "break_value" => &mut self.break_value,
            "early_return" => &mut self.early_return,
            "dead_code" => &mut self.dead_code,
            "value_blocks" => &mut self.value_blocks,
            "yield_stmt" => &mut self.yield_stmt,
            "value_block_yields" => &mut self.value_block_yields,
            "expr_yield" => &mut self.expr_yield,
            "guard_yields" => &mut self.guard_yields,
            "yield_from" => &mut self.yield_from,
            "drops" => &mut self.drops,
            "drop_temps" => &mut self.drop_temps,
            "moves" => &mut self.moves,
            "first_arg" => &mut self.first_arg,
            "unit_resume" => &mut self.unit_resume,
            "early_drop" => &mut self.early_drop,
            "early_drop_order" => &mut self.early_drop_order,
            _ => return None,
        })
    }

    /// Parses `preset[,+name|-name]*`, presets `all`, `statements` (alias `stmt`), `none`.
    pub fn parse(spec: &str) -> Result<Features, String> {
        let mut parts = spec.split(',').map(str::trim).filter(|s| !s.is_empty());
        let mut f = match parts.next().unwrap_or("statements") {
            "all" => Features::all(),
            "statements" | "stmt" => Features::statements(),
            "none" => {
                let mut f = Features::all();
                for n in Features::NAMES {
                    *f.flag_mut(n).expect("known name") = false;
                }
                f.yield_stmt = true;
                f
            }
            other => {
                return Err(format!(
                    "unknown preset `{other}`: expected one of `all`, `statements`, `none`"
                ))
            }
        };
        for p in parts {
            let (on, name) = match p.as_bytes()[0] {
                b'+' => (true, &p[1..]),
                b'-' => (false, &p[1..]),
                _ => (true, p),
            };
            match f.flag_mut(name) {
                Some(flag) => *flag = on,
                None => {
                    return Err(format!(
                        "unknown feature `{name}`: expected one of {}",
                        Features::NAMES.join(", ")
                    ))
                }
            }
        }
        Ok(f)
    }

    /// `preset,+a,-b` form of these switches relative to `statements`.
    pub fn spec(&self) -> String {
        let base = Features::statements();
        let mut s = String::from("statements");
        for n in Features::NAMES {
            let (mut a, mut b) = (self.clone(), base.clone());
            let (x, y) = (
                *a.flag_mut(n).expect("known"),
                *b.flag_mut(n).expect("known"),
            );
            if x != y {
                let _ = write!(s, ",{}{n}", if x { '+' } else { '-' });
            }
        }
        s
    }
}

/// Types of locals and expressions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `i64`
    I64,
    /// `u64`
    U64,
    /// `bool`
    Bool,
    /// `Vec<i64>`
    Vec,
    /// `String`
    Str,
    /// the drop logger `D`
    D,
}

/// Binary operators; arithmetic ones are printed as wrapping methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `wrapping_add`
    Add,
    /// `wrapping_sub`
    Sub,
    /// `wrapping_mul`
    Mul,
    /// `^`
    Xor,
    /// `&`
    And,
    /// `|`
    Or,
    /// `wrapping_rem((b & 7) + 1)`
    Rem,
    /// `wrapping_shl((b & 31) as u32)`
    Shl,
    /// `<` (bool result)
    Lt,
    /// `==` (bool result)
    Eq,
    /// `>=` (bool result)
    Ge,
    /// `&&`
    AndAnd,
    /// `||`
    OrOr,
}

/// Expressions. `Ty` fields give the operand type where the printer needs it.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `3i64`
    Int(i64),
    /// `3u64`
    UInt(u64),
    /// `true`
    Bool(bool),
    /// a local of that type
    Var(String, Ty),
    /// binary operator on operands of the given type
    Bin(BinOp, Ty, Box<Expr>, Box<Expr>),
    /// `!b`
    Not(Box<Expr>),
    /// `(e).wrapping_neg()`
    Neg(Box<Expr>),
    /// `(e as T)` between `i64` and `u64`
    Cast(Box<Expr>, Ty),
    /// `mix(a, b)`, a plain helper function
    Call(Box<Expr>, Box<Expr>),
    /// `v.len() as i64` / `s.len() as i64`
    Len(String),
    /// `v.iter().fold(0i64, |a, b| a.wrapping_add(*b))`
    VecSum(String),
    /// `v.get((e).rem_euclid(4) as usize).copied().unwrap_or(-1i64)`
    VecGet(String, Box<Expr>),
    /// `v.is_empty()`
    IsEmpty(String),
    /// `d.val()`
    DVal(String),
    /// `D::new(site, &log).val()`
    DTemp(u32),
    /// `D::new(site, &log)`
    DNew(u32),
    /// `vec![..]`
    VecLit(Vec<Expr>),
    /// `v.clone()`
    Clone(String),
    /// `String::from("..")`
    StrLit(String),
    /// `(e).to_string()`
    StrOf(Box<Expr>),
    /// `if c { .. } else { .. }` for its value
    If(Box<Expr>, Block, Block),
    /// `match e { .. }` for its value
    Match(Box<Expr>, Vec<Arm>),
    /// `{ let mut c = 0u32; 'l: loop { if c >= bound { break 'l default; } c += 1; body } }`
    LoopVal {
        /// label number
        label: u32,
        /// iteration bound
        bound: u32,
        /// loop body
        body: Block,
        /// value when the bound is reached
        default: Box<Expr>,
    },
    /// `{ .. }` for its value
    Block(Block),
    /// `yield_!(e)`
    Yield(Box<Expr>),
    /// `yield_from!(co_subN(log.clone(), e))`
    YieldFrom(usize, Box<Expr>),
}

/// Match patterns over `i64`.
#[derive(Clone, Debug, PartialEq)]
pub enum Pat {
    /// `3i64`
    Lit(i64),
    /// `1i64 | 2i64`
    Or(Vec<i64>),
    /// `1i64..=4i64`
    Range(i64, i64),
    /// `x`
    Bind(String),
    /// `x @ 1i64..=4i64`
    BindRange(String, i64, i64),
    /// `_`
    Wild,
}

/// One `match` arm.
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    /// pattern
    pub pat: Pat,
    /// `if` guard
    pub guard: Option<Expr>,
    /// body (with a tail in value matches)
    pub body: Block,
}

/// What a `for` iterates.
#[derive(Clone, Debug, PartialEq)]
pub enum ForIter {
    /// `lo..(lo + (e).rem_euclid(5))`
    Range(i64, Expr),
    /// `v.clone()`
    VecClone(String),
}

/// Statements.
#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// `let [mut] x = e;`
    Let {
        /// name
        name: String,
        /// `mut`
        mutable: bool,
        /// type of `init`
        ty: Ty,
        /// initialiser
        init: Expr,
    },
    /// `x = e;` or `x ^= e;` (op is `Xor`, `And` or `Or`)
    Assign {
        /// target
        name: String,
        /// compound operator
        op: Option<BinOp>,
        /// value
        value: Expr,
    },
    /// `e;`
    Expr(Expr),
    /// `v.push(e);`
    Push(String, Expr),
    /// `v.pop();`
    Pop(String),
    /// `v.truncate(n);`
    Truncate(String, u32),
    /// `{ let n = v.len() as i64; if n > 0 { let i = (idx).rem_euclid(n) as usize; v[i] = value; } }`
    SetIdx(String, Expr, Expr),
    /// `s.push_str(&(e).to_string());`
    PushStr(String, Expr),
    /// `if c { .. } [else { .. }]`
    If(Expr, Block, Option<Block>),
    /// counter loop, see [`Expr::LoopVal`]
    Loop {
        /// label number
        label: u32,
        /// iteration bound
        bound: u32,
        /// body
        body: Block,
    },
    /// `{ let mut c = 0u32; 'l: while c < bound [&& cond] { c += 1; body } }`
    While {
        /// label number
        label: u32,
        /// iteration bound
        bound: u32,
        /// extra condition
        cond: Option<Expr>,
        /// body
        body: Block,
    },
    /// `'l: for var in iter { body }`
    For {
        /// label number
        label: u32,
        /// loop variable (`i64`)
        var: String,
        /// iterated value
        iter: ForIter,
        /// body
        body: Block,
    },
    /// `match e { .. }` as a statement
    Match(Expr, Vec<Arm>),
    /// `break ['l] [v];`
    Break {
        /// target label number
        label: u32,
        /// printed with the label
        labeled: bool,
        /// value (for value loops)
        value: Option<Expr>,
    },
    /// `continue ['l];`
    Continue {
        /// target label number
        label: u32,
        /// printed with the label
        labeled: bool,
    },
    /// `return e;`
    Return(Expr),
    /// `{ .. }`
    Block(Block),
    /// `drop(d);`
    DropVar(String),
}

/// A block: statements and an optional tail value.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Block {
    /// statements
    pub stmts: Vec<Stmt>,
    /// tail expression
    pub tail: Option<Box<Expr>>,
}

/// One generated function: `funcs[0]` of a program is `main`, the others are `subN`.
#[derive(Clone, Debug, PartialEq)]
pub struct Func {
    /// binds the first resume argument to `first` (`#[resumable::coroutine(arg = first)]`)
    pub first_arg: bool,
    /// body, with an `i64` tail
    pub body: Block,
}

/// A generated program.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// seed it came from
    pub seed: u64,
    /// value of the parameter `p` of `main`
    pub p: i64,
    /// resumed with `()` (see `Features::unit_resume`)
    pub unit: bool,
    /// `main` first; `funcs[i]` may `yield_from!` only `funcs[j]` with `j > i`
    pub funcs: Vec<Func>,
}

/// How yields are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `#[resumable::coroutine]` with `yield_!`/`yield_from!`
    Coroutine,
    /// plain functions: `ref_yield(&log, e)`, `ref_subN(log.clone(), e)`
    Reference,
}

/// Name of function `i` in a program.
pub fn func_name(i: usize) -> String {
    if i == 0 {
        "main".into()
    } else {
        format!("sub{i}")
    }
}

/// Line ranges (1-based, inclusive) of the printed functions, to attribute compiler errors.
#[derive(Clone, Debug, Default)]
pub struct Spans {
    /// `(first, last)` line of each coroutine function
    pub coroutine: Vec<(usize, usize)>,
    /// `(first, last)` line of each reference function
    pub reference: Vec<(usize, usize)>,
}

impl Program {
    /// Functions reachable from `main` through `yield_from!`.
    pub fn reachable(&self) -> Vec<bool> {
        let mut r = vec![false; self.funcs.len()];
        r[0] = true;
        for i in 0..self.funcs.len() {
            if r[i] {
                let mut calls = Vec::new();
                visit_block(&self.funcs[i].body, &mut |e| {
                    if let Expr::YieldFrom(k, _) = e {
                        calls.push(*k);
                    }
                });
                for k in calls {
                    if k < r.len() {
                        r[k] = true;
                    }
                }
            }
        }
        r
    }

    /// Prints the functions of this program in `mode` (reachable ones only), appending to
    /// `out`; returns the line ranges of the functions printed.
    pub fn print_funcs(&self, mode: Mode, out: &mut String, spans: &mut Spans) {
        let reach = self.reachable();
        for (i, f) in self.funcs.iter().enumerate() {
            if !reach[i] {
                continue;
            }
            let start = out.lines().count() + 1;
            let name = func_name(i);
            let mut p = Printer {
                out: String::new(),
                indent: 1,
                mode,
                unit: self.unit,
            };
            match mode {
                Mode::Coroutine => {
                    if f.first_arg && !self.unit {
                        p.out.push_str("#[resumable::coroutine(arg = first)]\n");
                    } else {
                        p.out.push_str("#[resumable::coroutine]\n");
                    }
                    let resume = if self.unit { "()" } else { "i64" };
                    let _ = writeln!(
                        p.out,
                        "pub fn co_{name}(log: Log, p: i64) -> impl resumable::Coroutine<{resume}, Yield = i64, Return = i64> {{"
                    );
                }
                Mode::Reference => {
                    let _ = writeln!(p.out, "pub fn ref_{name}(log: Log, p: i64) -> i64 {{");
                }
            }
            // With `()` resumes the first argument comes from the log, as in the reference.
            if f.first_arg && (mode == Mode::Reference || self.unit) {
                let first = if i == 0 { "log.first_arg()" } else { "0i64" };
                let _ = writeln!(p.out, "    let first: i64 = {first};");
            }
            p.block_body(&f.body);
            p.out.push_str("}\n");
            out.push_str(&p.out);
            let end = out.lines().count();
            match mode {
                Mode::Coroutine => spans.coroutine.push((start, end)),
                Mode::Reference => spans.reference.push((start, end)),
            }
        }
    }

    /// The program as a human reads it: the coroutine form.
    pub fn to_source(&self, mode: Mode) -> String {
        let mut s = String::new();
        self.print_funcs(mode, &mut s, &mut Spans::default());
        s
    }

    /// Length of the coroutine form's source: the minimiser's measure (every accepted edit
    /// makes it strictly smaller, so minimisation ends).
    pub fn size(&self) -> usize {
        self.to_source(Mode::Coroutine).len()
    }
}

/// Calls `f` on every expression in `b`, outer first.
pub fn visit_block(b: &Block, f: &mut dyn FnMut(&Expr)) {
    visit_block_all(b, &mut |_| {}, f);
}

/// Calls `fs` on every statement and `fe` on every expression in `b`, outer first.
pub fn visit_block_all(b: &Block, fs: &mut dyn FnMut(&Stmt), fe: &mut dyn FnMut(&Expr)) {
    for s in &b.stmts {
        visit_stmt(s, fs, fe);
    }
    if let Some(t) = &b.tail {
        visit_expr(t, fs, fe);
    }
}

fn visit_arms(arms: &[Arm], fs: &mut dyn FnMut(&Stmt), fe: &mut dyn FnMut(&Expr)) {
    for a in arms {
        if let Some(g) = &a.guard {
            visit_expr(g, fs, fe);
        }
        visit_block_all(&a.body, fs, fe);
    }
}

fn visit_stmt(s: &Stmt, fs: &mut dyn FnMut(&Stmt), fe: &mut dyn FnMut(&Expr)) {
    fs(s);
    match s {
        Stmt::Let { init: e, .. }
        | Stmt::Assign { value: e, .. }
        | Stmt::Expr(e)
        | Stmt::Push(_, e)
        | Stmt::PushStr(_, e)
        | Stmt::Return(e) => visit_expr(e, fs, fe),
        Stmt::SetIdx(_, a, b) => {
            visit_expr(a, fs, fe);
            visit_expr(b, fs, fe);
        }
        Stmt::If(c, t, e) => {
            visit_expr(c, fs, fe);
            visit_block_all(t, fs, fe);
            if let Some(e) = e {
                visit_block_all(e, fs, fe);
            }
        }
        Stmt::Loop { body, .. } => visit_block_all(body, fs, fe),
        Stmt::While { cond, body, .. } => {
            if let Some(c) = cond {
                visit_expr(c, fs, fe);
            }
            visit_block_all(body, fs, fe);
        }
        Stmt::For { iter, body, .. } => {
            if let ForIter::Range(_, e) = iter {
                visit_expr(e, fs, fe);
            }
            visit_block_all(body, fs, fe);
        }
        Stmt::Match(e, arms) => {
            visit_expr(e, fs, fe);
            visit_arms(arms, fs, fe);
        }
        Stmt::Break { value, .. } => {
            if let Some(v) = value {
                visit_expr(v, fs, fe);
            }
        }
        Stmt::Block(b) => visit_block_all(b, fs, fe),
        Stmt::Pop(_) | Stmt::Truncate(..) | Stmt::Continue { .. } | Stmt::DropVar(_) => {}
    }
}

fn visit_expr(e: &Expr, fs: &mut dyn FnMut(&Stmt), fe: &mut dyn FnMut(&Expr)) {
    fe(e);
    match e {
        Expr::Bin(_, _, a, b) | Expr::Call(a, b) => {
            visit_expr(a, fs, fe);
            visit_expr(b, fs, fe);
        }
        Expr::Not(a)
        | Expr::Neg(a)
        | Expr::Cast(a, _)
        | Expr::VecGet(_, a)
        | Expr::StrOf(a)
        | Expr::Yield(a)
        | Expr::YieldFrom(_, a) => visit_expr(a, fs, fe),
        Expr::VecLit(v) => v.iter().for_each(|x| visit_expr(x, fs, fe)),
        Expr::If(c, t, f) => {
            visit_expr(c, fs, fe);
            visit_block_all(t, fs, fe);
            visit_block_all(f, fs, fe);
        }
        Expr::Match(s, arms) => {
            visit_expr(s, fs, fe);
            visit_arms(arms, fs, fe);
        }
        Expr::LoopVal { body, default, .. } => {
            visit_block_all(body, fs, fe);
            visit_expr(default, fs, fe);
        }
        Expr::Block(b) => visit_block_all(b, fs, fe),
        Expr::Int(_)
        | Expr::UInt(_)
        | Expr::Bool(_)
        | Expr::Var(..)
        | Expr::Len(_)
        | Expr::VecSum(_)
        | Expr::IsEmpty(_)
        | Expr::DVal(_)
        | Expr::DTemp(_)
        | Expr::DNew(_)
        | Expr::Clone(_)
        | Expr::StrLit(_) => {}
    }
}

struct Printer {
    out: String,
    indent: usize,
    mode: Mode,
    /// coroutines resumed with `()`
    unit: bool,
}

impl Printer {
    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// Statements and tail of `b` at the current indent, without braces.
    fn block_body(&mut self, b: &Block) {
        for s in &b.stmts {
            self.stmt(s);
        }
        if let Some(t) = &b.tail {
            let t = self.expr(t);
            self.line(&t);
        }
    }

    /// `{\n ... \n}` as a string usable inside an expression.
    fn block(&mut self, b: &Block) -> String {
        let mut inner = Printer {
            out: String::new(),
            indent: self.indent + 1,
            mode: self.mode,
            unit: self.unit,
        };
        inner.block_body(b);
        let mut s = String::from("{\n");
        s.push_str(&inner.out);
        for _ in 0..self.indent {
            s.push_str("    ");
        }
        s.push('}');
        s
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Let {
                name,
                mutable,
                ty: _,
                init,
            } => {
                let e = self.expr(init);
                self.line(&format!(
                    "let {}{name} = {e};",
                    if *mutable { "mut " } else { "" }
                ));
            }
            Stmt::Assign { name, op, value } => {
                let e = self.expr(value);
                let op = match op {
                    None => "=",
                    Some(BinOp::Xor) => "^=",
                    Some(BinOp::And) => "&=",
                    Some(_) => "|=",
                };
                self.line(&format!("{name} {op} {e};"));
            }
            Stmt::Expr(Expr::Yield(a)) if self.mode == Mode::Coroutine => {
                let a = self.expr(a);
                self.line(&format!("yield_!({a});"));
            }
            Stmt::Expr(e) => {
                let e = self.expr(e);
                self.line(&format!("{e};"));
            }
            Stmt::Push(v, e) => {
                let e = self.expr(e);
                self.line(&format!("{v}.push({e});"));
            }
            Stmt::Pop(v) => self.line(&format!("{v}.pop();")),
            Stmt::Truncate(v, n) => self.line(&format!("{v}.truncate({n});")),
            Stmt::SetIdx(v, i, x) => {
                let (i, x) = (self.expr(i), self.expr(x));
                self.line(&format!(
                    "{{ let n = {v}.len() as i64; if n > 0 {{ let i = ({i}).rem_euclid(n) as usize; {v}[i] = {x}; }} }}"
                ));
            }
            Stmt::PushStr(v, e) => {
                let e = self.expr(e);
                self.line(&format!("{v}.push_str(&({e}).to_string());"));
            }
            Stmt::If(c, t, e) => {
                let c = self.expr(c);
                let t = self.block(t);
                match e {
                    Some(e) => {
                        let e = self.block(e);
                        self.line(&format!("if {c} {t} else {e}"));
                    }
                    None => self.line(&format!("if {c} {t}")),
                }
            }
            Stmt::Loop { label, bound, body } => {
                let b = self.block(body);
                self.line(&format!(
                    "{{ let mut c{label} = 0u32; 'l{label}: loop {{ if c{label} >= {bound} {{ break; }} c{label} += 1; {b} }} }}"
                ));
            }
            Stmt::While {
                label,
                bound,
                cond,
                body,
            } => {
                let c = match cond {
                    Some(c) => format!(" && {}", self.expr(c)),
                    None => String::new(),
                };
                let b = self.block(body);
                self.line(&format!(
                    "{{ let mut c{label} = 0u32; 'l{label}: while c{label} < {bound}{c} {{ c{label} += 1; {b} }} }}"
                ));
            }
            Stmt::For {
                label,
                var,
                iter,
                body,
            } => {
                let it = match iter {
                    ForIter::Range(lo, e) => {
                        let e = self.expr(e);
                        format!("{}..({e}).rem_euclid(5) + {}", lit(*lo), lit(*lo))
                    }
                    ForIter::VecClone(v) => format!("{v}.clone()"),
                };
                let b = self.block(body);
                self.line(&format!("'l{label}: for {var} in {it} {b}"));
            }
            Stmt::Match(e, arms) => {
                let m = self.match_expr(e, arms);
                self.line(&m);
            }
            Stmt::Break {
                label,
                labeled,
                value,
            } => {
                let l = if *labeled {
                    format!(" 'l{label}")
                } else {
                    String::new()
                };
                match value {
                    Some(v) => {
                        let v = self.expr(v);
                        self.line(&format!("break{l} {v};"));
                    }
                    None => self.line(&format!("break{l};")),
                }
            }
            Stmt::Continue { label, labeled } => {
                let l = if *labeled {
                    format!(" 'l{label}")
                } else {
                    String::new()
                };
                self.line(&format!("continue{l};"));
            }
            Stmt::Return(e) => {
                let e = self.expr(e);
                self.line(&format!("return {e};"));
            }
            Stmt::Block(b) => {
                let b = self.block(b);
                self.line(&b);
            }
            Stmt::DropVar(d) => self.line(&format!("drop({d});")),
        }
    }

    fn match_expr(&mut self, e: &Expr, arms: &[Arm]) -> String {
        let e = self.expr(e);
        let mut s = format!("match {e} {{\n");
        self.indent += 1;
        for a in arms {
            let pat = match &a.pat {
                Pat::Lit(v) => format!("{v}i64"),
                Pat::Or(vs) => vs
                    .iter()
                    .map(|v| format!("{v}i64"))
                    .collect::<Vec<_>>()
                    .join(" | "),
                Pat::Range(lo, hi) => format!("{lo}i64..={hi}i64"),
                Pat::Bind(x) => x.clone(),
                Pat::BindRange(x, lo, hi) => format!("{x} @ {lo}i64..={hi}i64"),
                Pat::Wild => "_".into(),
            };
            let g = match &a.guard {
                Some(g) => format!(" if {}", self.expr(g)),
                None => String::new(),
            };
            let b = self.block(&a.body);
            for _ in 0..self.indent {
                s.push_str("    ");
            }
            let _ = writeln!(s, "{pat}{g} => {b}");
        }
        self.indent -= 1;
        for _ in 0..self.indent {
            s.push_str("    ");
        }
        s.push('}');
        s
    }

    /// An expression; compound ones come back parenthesised so they can be receivers.
    fn expr(&mut self, e: &Expr) -> String {
        match e {
            Expr::Int(v) => lit(*v),
            Expr::UInt(v) => format!("{v}u64"),
            Expr::Bool(b) => b.to_string(),
            Expr::Var(x, _) => x.clone(),
            Expr::Bin(op, _, a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                match op {
                    BinOp::Add => format!("{a}.wrapping_add({b})"),
                    BinOp::Sub => format!("{a}.wrapping_sub({b})"),
                    BinOp::Mul => format!("{a}.wrapping_mul({b})"),
                    BinOp::Xor => format!("({a} ^ {b})"),
                    BinOp::And => format!("({a} & {b})"),
                    BinOp::Or => format!("({a} | {b})"),
                    BinOp::Rem => format!("{a}.wrapping_rem(({b} & 7) + 1)"),
                    BinOp::Shl => format!("{a}.wrapping_shl(({b} & 31) as u32)"),
                    BinOp::Lt => format!("({a} < {b})"),
                    BinOp::Eq => format!("({a} == {b})"),
                    BinOp::Ge => format!("({a} >= {b})"),
                    BinOp::AndAnd => format!("({a} && {b})"),
                    BinOp::OrOr => format!("({a} || {b})"),
                }
            }
            Expr::Not(a) => format!("(!{})", self.expr(a)),
            Expr::Neg(a) => format!("{}.wrapping_neg()", self.expr(a)),
            Expr::Cast(a, ty) => {
                let t = if *ty == Ty::U64 { "u64" } else { "i64" };
                format!("({} as {t})", self.expr(a))
            }
            Expr::Call(a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                format!("mix({a}, {b})")
            }
            Expr::Len(v) => format!("({v}.len() as i64)"),
            Expr::VecSum(v) => format!("{v}.iter().fold(0i64, |a, b| a.wrapping_add(*b))"),
            Expr::VecGet(v, i) => {
                let i = self.expr(i);
                format!("{v}.get({i}.rem_euclid(4) as usize).copied().unwrap_or(-1i64)")
            }
            Expr::IsEmpty(v) => format!("{v}.is_empty()"),
            Expr::DVal(d) => format!("{d}.val()"),
            Expr::DTemp(site) => format!("D::new({site}, &log).val()"),
            Expr::DNew(site) => format!("D::new({site}, &log)"),
            Expr::VecLit(items) => {
                let items: Vec<String> = items.iter().map(|x| self.expr(x)).collect();
                if items.is_empty() {
                    "Vec::<i64>::new()".into()
                } else {
                    format!("vec![{}]", items.join(", "))
                }
            }
            Expr::Clone(v) => format!("{v}.clone()"),
            Expr::StrLit(s) => format!("String::from({s:?})"),
            Expr::StrOf(a) => format!("{}.to_string()", self.expr(a)),
            Expr::If(c, t, f) => {
                let c = self.expr(c);
                let (t, f) = (self.block(t), self.block(f));
                format!("(if {c} {t} else {f})")
            }
            Expr::Match(s, arms) => format!("({})", self.match_expr(s, arms)),
            Expr::LoopVal {
                label,
                bound,
                body,
                default,
            } => {
                let d = self.expr(default);
                let b = self.block(body);
                format!(
                    "({{ let mut c{label} = 0u32; 'l{label}: loop {{ if c{label} >= {bound} {{ break 'l{label} {d}; }} c{label} += 1; {b} }} }})"
                )
            }
            Expr::Block(b) => format!("({})", self.block(b)),
            Expr::Yield(a) => {
                let a = self.expr(a);
                match self.mode {
                    Mode::Coroutine if self.unit => format!("{{ yield_!({a}); log.resumed() }}"),
                    Mode::Coroutine => format!("yield_!({a})"),
                    Mode::Reference => format!("ref_yield(&log, {a})"),
                }
            }
            Expr::YieldFrom(k, a) => {
                let a = self.expr(a);
                let n = func_name(*k);
                match self.mode {
                    Mode::Coroutine => format!("yield_from!(co_{n}(log.clone(), {a}))"),
                    Mode::Reference => format!("ref_{n}(log.clone(), {a})"),
                }
            }
        }
    }
}

/// An `i64` literal that is safe as a method receiver.
fn lit(v: i64) -> String {
    if v < 0 {
        format!("({v}i64)")
    } else {
        format!("{v}i64")
    }
}

#[cfg(test)]
mod tests {
    use super::Features;

    #[test]
    fn feature_specs_round_trip() {
        for spec in [
            "statements",
            "all",
            "none",
            "statements,-shadowing,+expr_yield",
            "all,-dead_code",
        ] {
            let f = Features::parse(spec).unwrap();
            assert_eq!(Features::parse(&f.spec()).unwrap(), f, "{spec}");
        }
        assert!(Features::parse("statements,+nope").is_err());
        assert!(Features::parse("most").is_err());
    }
}
