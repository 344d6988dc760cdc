//! Names: which bindings a pattern introduces, and which outer locals a piece of code
//! without yield points uses (and how), so liveness can be computed over the IR.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::visit::Visit;
use syn::{Expr, Pat};

/// How a piece of code mentions a local.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseKind {
    /// By value, as a method receiver, or in a way we cannot see into: it may be moved.
    Move,
    /// Only borrowed or compared: it is certainly still there afterwards.
    Borrow,
    /// Overwritten as a whole (`x = ..`): the old value is dead before this.
    Assign,
}

/// A binding introduced by a pattern.
pub struct PatBinding {
    pub ident: syn::Ident,
    pub mutable: bool,
    pub by_ref: bool,
}

/// The bindings `pat` introduces, in the order they appear.
pub fn pat_bindings(pat: &Pat) -> Vec<PatBinding> {
    let mut out = Vec::new();
    collect_pat(pat, &mut out);
    out
}

fn collect_pat(pat: &Pat, out: &mut Vec<PatBinding>) {
    match pat {
        Pat::Ident(p) => {
            // `None`, `MAX`: by convention a path to a unit variant or constant, not a binding.
            let first = p.ident.to_string().chars().next().unwrap_or('_');
            if p.subpat.is_none() && first.is_uppercase() {
                return;
            }
            out.push(PatBinding {
                ident: p.ident.clone(),
                mutable: p.mutability.is_some(),
                by_ref: p.by_ref.is_some(),
            });
            if let Some((_, sub)) = &p.subpat {
                collect_pat(sub, out);
            }
        }
        Pat::Or(p) => {
            if let Some(first) = p.cases.first() {
                collect_pat(first, out);
            }
        }
        Pat::Paren(p) => collect_pat(&p.pat, out),
        Pat::Reference(p) => collect_pat(&p.pat, out),
        Pat::Slice(p) => p.elems.iter().for_each(|p| collect_pat(p, out)),
        Pat::Struct(p) => p.fields.iter().for_each(|f| collect_pat(&f.pat, out)),
        Pat::Tuple(p) => p.elems.iter().for_each(|p| collect_pat(p, out)),
        Pat::TupleStruct(p) => p.elems.iter().for_each(|p| collect_pat(p, out)),
        Pat::Type(p) => collect_pat(&p.pat, out),
        _ => {}
    }
}

/// A `break` or `continue` that leaves the code it was found in.
#[derive(Clone, Debug)]
pub struct Jump {
    pub label: Option<String>,
    pub is_continue: bool,
}

/// What a piece of yield-free code does with the names around it.
#[derive(Default)]
pub struct Summary {
    /// Free names, in order of appearance, with how each mention uses it.
    pub uses: Vec<(String, UseKind)>,
    /// `break`/`continue` leaving the code.
    pub jumps: Vec<Jump>,
    /// Free names called directly (`f(..)`), once per such mention.
    pub callees: Vec<String>,
    /// Free names assigned to, in whole or in part (`x = ..`, `x.f += ..`, `&mut x`).
    pub writes: Vec<String>,
    /// Free names lent to a call, in whole or in part (`f(&x)`, `o.m(&mut x.f[i])`).
    pub lent: Vec<String>,
}

/// Macros whose arguments are only borrowed (the formatting and assertion family).
const BORROWING_MACROS: &[&str] = &[
    "format",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "format_args",
    "unreachable",
    "todo",
    "unimplemented",
    "dbg",
];

/// Of those, the ones whose output shows their arguments' source text.
const SHOWS_ITS_TOKENS: &[&str] = &["assert", "debug_assert", "dbg"];

pub fn summarize_expr(e: &Expr) -> Summary {
    let mut v = FreeVars::default();
    v.visit_expr(e);
    v.summary
}

#[derive(Default)]
struct FreeVars {
    summary: Summary,
    /// Names bound inside the code being summarized, innermost last.
    scopes: Vec<Vec<String>>,
    /// Loops and labeled blocks inside the code: (label, is_loop). `None` entries are
    /// closure boundaries that `break` cannot cross.
    loops: Vec<Option<(Option<String>, bool)>>,
    ctx: Option<UseKind>,
}

impl FreeVars {
    fn bind_pat(&mut self, pat: &Pat) {
        let names: Vec<String> = pat_bindings(pat)
            .iter()
            .map(|b| b.ident.to_string())
            .collect();
        if let Some(top) = self.scopes.last_mut() {
            top.extend(names);
        } else {
            self.scopes.push(names);
        }
    }

    fn is_bound(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s.iter().any(|n| n == name))
    }

    fn mention(&mut self, name: String, kind: UseKind) {
        if !self.is_bound(&name) {
            self.summary.uses.push((name, kind));
        }
    }

    fn write(&mut self, place: &Expr) {
        if let Some(name) = self.free_root(place) {
            self.summary.writes.push(name);
        }
    }

    fn lend(&mut self, args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>) {
        for a in args {
            if let Expr::Reference(r) = a {
                if let Some(name) = self.free_root(&r.expr) {
                    self.summary.lent.push(name);
                }
            }
        }
    }

    /// The free local whose field or element `place` is (`x` of `x.f[i]`).
    fn free_root(&self, place: &Expr) -> Option<String> {
        let mut e = place;
        loop {
            match e {
                Expr::Field(f) => e = &f.base,
                Expr::Index(i) => e = &i.expr,
                Expr::Paren(p) => e = &p.expr,
                _ => break,
            }
        }
        let name = bare_ident(e)?.to_string();
        (!self.is_bound(&name)).then_some(name)
    }

    fn with_ctx(&mut self, kind: UseKind, e: &Expr) {
        let saved = self.ctx.replace(kind);
        self.visit_expr(e);
        self.ctx = saved;
    }

    fn jump(&mut self, label: Option<&syn::Lifetime>, is_continue: bool) {
        let label = label.map(|l| l.ident.to_string());
        for frame in self.loops.iter().rev() {
            let Some((l, is_loop)) = frame else {
                return; // a closure boundary: the jump is the closure's business
            };
            let hit = match &label {
                Some(name) => l.as_deref() == Some(name.as_str()),
                None => *is_loop,
            };
            if hit {
                return;
            }
        }
        self.summary.jumps.push(Jump { label, is_continue });
    }

    fn scan_macro(&mut self, mac: &syn::Macro) {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let kind = if BORROWING_MACROS.contains(&name.as_str()) {
            UseKind::Borrow
        } else {
            UseKind::Move
        };
        // Arguments that are expressions (`vec![..]`, `println!(..)`) are visited as such;
        // other macros' tokens are scanned for names.
        match macro_args(mac) {
            Some(args) => {
                for a in &args {
                    if let Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = a
                    {
                        for name in inline_format_args(&s.token().to_string()) {
                            self.mention(name, UseKind::Borrow);
                        }
                    }
                    self.with_ctx(kind, a);
                }
            }
            None => self.scan_tokens(mac.tokens.clone(), kind),
        }
    }

    fn scan_tokens(&mut self, tokens: TokenStream, kind: UseKind) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tt) in trees.iter().enumerate() {
            match tt {
                TokenTree::Group(g) => self.scan_tokens(g.stream(), kind),
                TokenTree::Ident(ident) => {
                    let prev_dot = i > 0
                        && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '.' || p.as_char() == ':');
                    let next = trees.get(i + 1);
                    let next_is =
                        |c: char| matches!(next, Some(TokenTree::Punct(p)) if p.as_char() == c);
                    let next_call = matches!(next, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
                    if prev_dot || next_is('!') || next_is(':') || next_call {
                        continue;
                    }
                    let name = ident.to_string();
                    if is_value_name(&name) {
                        self.mention(name, kind);
                    }
                }
                TokenTree::Literal(lit) => {
                    // Inline format arguments: `"{x}"`, `"{x:?}"`.
                    let text = lit.to_string();
                    if text.starts_with('"') {
                        for name in inline_format_args(&text) {
                            self.mention(name, UseKind::Borrow);
                        }
                    }
                }
                TokenTree::Punct(_) => {}
            }
        }
    }
}

/// Methods that take `self` by value in std (and by convention: `into_*`, `unwrap*`); a
/// receiver of any other method is taken to be borrowed. Where that is wrong, keeping the
/// local for its drop fails to compile with "use of moved value" at the yield.
fn consumes(method: &str) -> bool {
    const CONSUMING: &[&str] = &[
        "expect",
        "expect_err",
        "ok",
        "err",
        "map",
        "map_err",
        "map_or",
        "map_or_else",
        "and",
        "and_then",
        "or",
        "or_else",
        "xor",
        "filter",
        "flatten",
        "zip",
        "unzip",
        "collect",
        "sum",
        "product",
        "count",
        "fold",
        "for_each",
        "try_fold",
        "try_for_each",
        "chain",
        "cycle",
        "enumerate",
        "filter_map",
        "flat_map",
        "fuse",
        "inspect",
        "last",
        "max",
        "min",
        "max_by",
        "min_by",
        "max_by_key",
        "min_by_key",
        "nth",
        "partition",
        "peekable",
        "position",
        "reduce",
        "rev",
        "scan",
        "skip",
        "skip_while",
        "step_by",
        "take",
        "take_while",
        "all",
        "any",
        "find",
        "find_map",
        "join",
        "leak",
        "cloned",
        "copied",
        "boxed",
        "first",
        "finish",
        "build",
        "transpose",
        "is_some_and",
        "is_ok_and",
    ];
    method.starts_with("into") || method.starts_with("unwrap") || CONSUMING.contains(&method)
}

/// Could `name` be a local variable (lowercase, not a keyword)?
pub fn is_value_name(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn",
        "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
        "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
        "where", "while", "async", "await", "dyn", "u8", "u16", "u32", "u64", "u128", "usize",
        "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64", "bool", "char", "str",
    ];
    let first = name.chars().next().unwrap_or('A');
    (first.is_lowercase() || first == '_') && name != "_" && !KEYWORDS.contains(&name)
}

fn inline_format_args(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if rest.starts_with('{') {
            rest = &rest[1..];
            continue;
        }
        let end = rest.find(['}', ':']).unwrap_or(rest.len());
        let name = rest[..end].trim();
        if !name.is_empty()
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && is_value_name(name)
        {
            out.push(name.to_string());
        }
    }
    out
}

impl<'ast> Visit<'ast> for FreeVars {
    fn visit_expr(&mut self, e: &'ast Expr) {
        let ctx = self.ctx.take().unwrap_or(UseKind::Move);
        match e {
            Expr::Path(p)
                if p.qself.is_none()
                    && p.path.leading_colon.is_none()
                    && p.path.segments.len() == 1 =>
            {
                let seg = &p.path.segments[0];
                if seg.arguments.is_none() {
                    self.mention(seg.ident.to_string(), ctx);
                }
            }
            Expr::Reference(r) => {
                if r.mutability.is_some() {
                    self.write(&r.expr);
                }
                self.with_ctx(UseKind::Borrow, &r.expr)
            }
            Expr::Binary(b) => {
                use syn::BinOp::*;
                match b.op {
                    Eq(_) | Ne(_) | Lt(_) | Le(_) | Gt(_) | Ge(_) => {
                        self.with_ctx(UseKind::Borrow, &b.left);
                        self.with_ctx(UseKind::Borrow, &b.right);
                    }
                    AddAssign(_) | SubAssign(_) | MulAssign(_) | DivAssign(_) | RemAssign(_)
                    | BitXorAssign(_) | BitAndAssign(_) | BitOrAssign(_) | ShlAssign(_)
                    | ShrAssign(_) => {
                        self.write(&b.left);
                        self.with_ctx(UseKind::Move, &b.right);
                        self.with_ctx(UseKind::Borrow, &b.left);
                    }
                    _ => {
                        self.with_ctx(UseKind::Move, &b.left);
                        self.with_ctx(UseKind::Move, &b.right);
                    }
                }
            }
            Expr::Assign(a) => {
                self.write(&a.left);
                self.with_ctx(UseKind::Move, &a.right);
                let kind = if is_bare_path(&a.left) {
                    UseKind::Assign
                } else {
                    UseKind::Borrow
                };
                self.with_ctx(kind, &a.left);
            }
            // `x.f` borrows `x` where the access is borrowed (`&x.f`, `x.f.len()`, `x.f == y`);
            // by value it may move the field out (`for i in self.items`).
            Expr::Field(f) => {
                let kind = if ctx == UseKind::Move {
                    UseKind::Move
                } else {
                    UseKind::Borrow
                };
                self.with_ctx(kind, &f.base)
            }
            Expr::Index(i) => {
                self.with_ctx(UseKind::Borrow, &i.expr);
                self.with_ctx(UseKind::Move, &i.index);
            }
            Expr::Closure(c) => {
                self.scopes.push(Vec::new());
                for input in &c.inputs {
                    self.bind_pat(input);
                }
                self.loops.push(None);
                self.with_ctx(UseKind::Move, &c.body);
                self.loops.pop();
                self.scopes.pop();
            }
            Expr::Async(a) => {
                self.loops.push(None);
                self.visit_block(&a.block);
                self.loops.pop();
            }
            Expr::Block(b) => {
                self.loops.push(Some((
                    b.label.as_ref().map(|l| l.name.ident.to_string()),
                    false,
                )));
                self.visit_block(&b.block);
                self.loops.pop();
            }
            Expr::Loop(l) => {
                self.loops.push(Some((
                    l.label.as_ref().map(|l| l.name.ident.to_string()),
                    true,
                )));
                self.visit_block(&l.body);
                self.loops.pop();
            }
            Expr::While(w) => {
                self.scopes.push(Vec::new());
                self.loops.push(Some((
                    w.label.as_ref().map(|l| l.name.ident.to_string()),
                    true,
                )));
                self.with_ctx(UseKind::Move, &w.cond);
                self.visit_block(&w.body);
                self.loops.pop();
                self.scopes.pop();
            }
            Expr::ForLoop(f) => {
                self.with_ctx(UseKind::Move, &f.expr);
                self.scopes.push(Vec::new());
                self.bind_pat(&f.pat);
                self.loops.push(Some((
                    f.label.as_ref().map(|l| l.name.ident.to_string()),
                    true,
                )));
                self.visit_block(&f.body);
                self.loops.pop();
                self.scopes.pop();
            }
            Expr::If(i) => {
                self.scopes.push(Vec::new());
                self.with_ctx(UseKind::Move, &i.cond);
                self.visit_block(&i.then_branch);
                self.scopes.pop();
                if let Some((_, els)) = &i.else_branch {
                    self.with_ctx(UseKind::Move, els);
                }
            }
            Expr::Let(l) => {
                self.with_ctx(UseKind::Move, &l.expr);
                self.visit_pat(&l.pat);
                self.bind_pat(&l.pat);
            }
            Expr::Match(m) => {
                self.with_ctx(UseKind::Move, &m.expr);
                for arm in &m.arms {
                    self.scopes.push(Vec::new());
                    self.visit_pat(&arm.pat);
                    self.bind_pat(&arm.pat);
                    if let Some((_, g)) = &arm.guard {
                        self.with_ctx(UseKind::Move, g);
                    }
                    self.with_ctx(UseKind::Move, &arm.body);
                    self.scopes.pop();
                }
            }
            Expr::Break(b) => {
                self.jump(b.label.as_ref(), false);
                if let Some(v) = &b.expr {
                    self.with_ctx(UseKind::Move, v);
                }
            }
            Expr::Continue(c) => self.jump(c.label.as_ref(), true),
            Expr::Macro(m) => self.scan_macro(&m.mac),
            Expr::Call(c) => {
                if let Some(f) = bare_ident(&c.func).map(|i| i.to_string()) {
                    if !self.is_bound(&f) {
                        self.summary.callees.push(f);
                    }
                }
                // A call by absolute path is our own desugaring (`Iterator::next(&mut iter)`).
                if !matches!(&*c.func, Expr::Path(p) if p.path.leading_colon.is_some()) {
                    self.lend(&c.args);
                }
                syn::visit::visit_expr(self, e)
            }
            Expr::MethodCall(m) => {
                self.lend(&m.args);
                syn::visit::visit_expr(self, e)
            }
            _ => syn::visit::visit_expr(self, e),
        }
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        self.scopes.push(Vec::new());
        for stmt in &b.stmts {
            match stmt {
                syn::Stmt::Local(l) => {
                    if let Some(init) = &l.init {
                        self.with_ctx(UseKind::Move, &init.expr);
                        if let Some((_, els)) = &init.diverge {
                            self.with_ctx(UseKind::Move, els);
                        }
                    }
                    self.visit_pat(&l.pat);
                    self.bind_pat(&l.pat);
                }
                syn::Stmt::Item(_) => {}
                syn::Stmt::Expr(e, _) => self.with_ctx(UseKind::Move, e),
                syn::Stmt::Macro(m) => self.scan_macro(&m.mac),
            }
        }
        self.scopes.pop();
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let kind = if consumes(&m.method.to_string()) {
            UseKind::Move
        } else {
            UseKind::Borrow
        };
        self.with_ctx(kind, &m.receiver);
        for a in &m.args {
            self.with_ctx(UseKind::Move, a);
        }
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.scan_macro(mac);
    }

    fn visit_pat(&mut self, p: &'ast Pat) {
        // Constants in patterns are not locals; guards are visited separately.
        let _ = p;
    }
}

/// A macro's arguments, when they are expressions separated by commas (`vec![..]`,
/// `println!(..)`, `assert_eq!(..)`), so jumps and returns inside can be seen.
pub fn macro_args(mac: &syn::Macro) -> Option<Vec<Expr>> {
    let args = mac
        .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    Some(args.into_iter().collect())
}

pub fn is_bare_path(e: &Expr) -> bool {
    bare_ident(e).is_some()
}

/// `x` as an expression: a single-segment path without generics.
pub fn bare_ident(e: &Expr) -> Option<&syn::Ident> {
    match e {
        Expr::Path(p)
            if p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == 1
                && p.path.segments[0].arguments.is_none() =>
        {
            Some(&p.path.segments[0].ident)
        }
        Expr::Paren(p) => bare_ident(&p.expr),
        _ => None,
    }
}

/// Renames mentions of outer locals (`from` → `to`) in yield-free code, leaving names
/// bound inside it alone. Used for a binding that shadows another which must stay
/// nameable at a yield, and (`deref`) for a local that stays in the state while the
/// code runs: `x` becomes `(*x)`, `x` being a `&mut` into the state.
pub struct Renamer<'a> {
    pub map: &'a std::collections::HashMap<String, String>,
    pub scopes: Vec<Vec<String>>,
    pub deref: bool,
    /// `deref` only: a mention inside a macro whose arguments are not expressions, or
    /// inside a `move` closure or `async move` block.
    pub failed: bool,
    /// Mentions replaced so far.
    touched: usize,
}

impl<'a> Renamer<'a> {
    pub fn new(map: &'a std::collections::HashMap<String, String>, deref: bool) -> Self {
        Renamer {
            map,
            scopes: Vec::new(),
            deref,
            failed: false,
            touched: 0,
        }
    }

    fn target(&self, name: &str) -> Option<&String> {
        if self.scopes.iter().any(|s| s.iter().any(|n| n == name)) {
            return None;
        }
        self.map.get(name)
    }

    fn bind(&mut self, pat: &Pat) {
        let names = pat_bindings(pat).into_iter().map(|b| b.ident.to_string());
        match self.scopes.last_mut() {
            Some(top) => top.extend(names),
            None => self.scopes.push(names.collect()),
        }
    }

    fn mentions(&self, tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tt| match tt {
            TokenTree::Group(g) => self.mentions(g.stream()),
            TokenTree::Ident(i) => self.target(&i.to_string()).is_some(),
            _ => false,
        })
    }

    fn tokens(&self, tokens: TokenStream) -> TokenStream {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(trees.len());
        for (i, tt) in trees.iter().enumerate() {
            match tt {
                TokenTree::Group(g) => {
                    let mut ng = proc_macro2::Group::new(g.delimiter(), self.tokens(g.stream()));
                    ng.set_span(g.span());
                    out.push(TokenTree::Group(ng));
                }
                TokenTree::Ident(ident) => {
                    let prev_dot =
                        i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '.');
                    let field = matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
                        && !matches!(trees.get(i + 2), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                    match self.target(&ident.to_string()) {
                        Some(to) if !prev_dot && !field => {
                            out.push(TokenTree::Ident(syn::Ident::new(to, ident.span())))
                        }
                        _ => out.push(tt.clone()),
                    }
                }
                TokenTree::Literal(lit) => {
                    let text = lit.to_string();
                    let renamed = syn::parse2::<syn::LitStr>(TokenStream::from(tt.clone()))
                        .ok()
                        .and_then(|s| {
                            let value = s.value();
                            let mut changed = value.clone();
                            for name in inline_format_args(&text) {
                                if let Some(to) = self.target(&name) {
                                    changed = changed
                                        .replace(&format!("{{{name}}}"), &format!("{{{to}}}"));
                                    changed =
                                        changed.replace(&format!("{{{name}:"), &format!("{{{to}:"));
                                }
                            }
                            (changed != value).then(|| syn::LitStr::new(&changed, s.span()))
                        });
                    match renamed {
                        Some(s) => out.extend(quote::ToTokens::into_token_stream(s)),
                        None => out.push(tt.clone()),
                    }
                }
                TokenTree::Punct(_) => out.push(tt.clone()),
            }
        }
        out.into_iter().collect()
    }
}

impl syn::visit_mut::VisitMut for Renamer<'_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        match e {
            Expr::Path(p)
                if p.qself.is_none()
                    && p.path.leading_colon.is_none()
                    && p.path.segments.len() == 1 =>
            {
                let seg = &mut p.path.segments[0];
                if let Some(to) = self.target(&seg.ident.to_string()).cloned() {
                    seg.ident = syn::Ident::new(&to, seg.ident.span());
                    self.touched += 1;
                    if self.deref {
                        let p = p.clone();
                        *e = syn::parse_quote!((*#p));
                    }
                }
            }
            Expr::Closure(c) => {
                self.scopes.push(Vec::new());
                for p in &c.inputs {
                    self.bind(p);
                }
                let before = self.touched;
                self.visit_expr_mut(&mut c.body);
                // A `move` closure would take the `&mut` itself, not a copy of the value.
                self.failed |= self.deref && c.capture.is_some() && self.touched != before;
                self.scopes.pop();
            }
            Expr::Async(a) if self.deref && a.capture.is_some() => {
                let before = self.touched;
                syn::visit_mut::visit_expr_async_mut(self, a);
                self.failed |= self.touched != before;
            }
            Expr::ForLoop(f) => {
                self.visit_expr_mut(&mut f.expr);
                self.scopes.push(Vec::new());
                self.bind(&f.pat);
                self.visit_block_mut(&mut f.body);
                self.scopes.pop();
            }
            Expr::If(i) => {
                self.scopes.push(Vec::new());
                self.visit_expr_mut(&mut i.cond);
                self.visit_block_mut(&mut i.then_branch);
                self.scopes.pop();
                if let Some((_, els)) = &mut i.else_branch {
                    self.visit_expr_mut(els);
                }
            }
            Expr::While(w) => {
                self.scopes.push(Vec::new());
                self.visit_expr_mut(&mut w.cond);
                self.visit_block_mut(&mut w.body);
                self.scopes.pop();
            }
            Expr::Let(l) => {
                self.visit_expr_mut(&mut l.expr);
                self.bind(&l.pat);
            }
            Expr::Match(m) => {
                self.visit_expr_mut(&mut m.expr);
                for arm in &mut m.arms {
                    self.scopes.push(Vec::new());
                    self.bind(&arm.pat);
                    if let Some((_, g)) = &mut arm.guard {
                        self.visit_expr_mut(g);
                    }
                    self.visit_expr_mut(&mut arm.body);
                    self.scopes.pop();
                }
            }
            _ => syn::visit_mut::visit_expr_mut(self, e),
        }
    }

    fn visit_field_value_mut(&mut self, f: &mut syn::FieldValue) {
        // `S { x }` with `x` renamed becomes `S { x: x1 }`.
        if f.colon_token.is_none() {
            if let Expr::Path(p) = &f.expr {
                if p.path
                    .get_ident()
                    .is_some_and(|i| self.target(&i.to_string()).is_some())
                {
                    f.colon_token = Some(Default::default());
                }
            }
        }
        self.visit_expr_mut(&mut f.expr);
    }

    fn visit_block_mut(&mut self, b: &mut syn::Block) {
        self.scopes.push(Vec::new());
        for stmt in &mut b.stmts {
            match stmt {
                syn::Stmt::Local(l) => {
                    if let Some(init) = &mut l.init {
                        self.visit_expr_mut(&mut init.expr);
                        if let Some((_, els)) = &mut init.diverge {
                            self.visit_expr_mut(els);
                        }
                    }
                    self.bind(&l.pat);
                }
                syn::Stmt::Item(_) => {}
                syn::Stmt::Expr(e, _) => self.visit_expr_mut(e),
                syn::Stmt::Macro(m) => self.visit_macro_mut(&mut m.mac),
            }
        }
        self.scopes.pop();
    }

    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        if !self.deref {
            m.tokens = self.tokens(m.tokens.clone());
            return;
        }
        // `x` → `(*x)` only where the tokens are expressions that no one prints as text
        // (`assert!`, `dbg!`, `stringify!` would show `(*x)`); a name inside a format
        // string stays, since `{x}` of a `&mut T` formats as `T` does.
        let name = m.path.segments.last().map(|s| s.ident.to_string());
        let args = macro_args(m).filter(|_| {
            name.as_deref().is_some_and(|n| {
                BORROWING_MACROS.contains(&n) && !SHOWS_ITS_TOKENS.contains(&n) || n == "vec"
            })
        });
        if let Some(mut args) = args {
            for a in &mut args {
                if let Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = a
                {
                    let text = s.token().to_string();
                    let named = inline_format_args(&text);
                    self.touched += named.iter().filter(|n| self.target(n).is_some()).count();
                }
                self.visit_expr_mut(a);
            }
            m.tokens = quote::quote!(#(#args),*);
        } else if self.mentions(m.tokens.clone()) {
            self.failed = true;
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}
