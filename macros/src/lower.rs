//! syn → IR: gives every binding an id, resolves names, records yield points, and
//! desugars what contains a yield into the few constructs the emitter knows.
//!
//! Before: `for x in v { yield_!(x); }`
//! After (desugared, then lowered):
//! `{ let mut iter = IntoIterator::into_iter(v); loop { let Some(x) = Iterator::next(&mut iter) else { break }; yield_!(x); } }`

use std::collections::{BTreeSet, HashMap, HashSet};

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr as SynExpr, Ident, Pat, Token};

use crate::borrow::{self, Ownership};
use crate::diag::{self, Diag};
use crate::ir::*;
use crate::parse::{Form, Types};
use crate::scope::{self, UseKind};

pub mod trampoline;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MacroKind {
    Yield,
    YieldFrom,
    Io,
}

/// `vec![..]` (with commas): its elements may contain yields.
pub fn is_vec_macro(mac: &syn::Macro) -> bool {
    mac.path.get_ident().is_some_and(|i| i == "vec")
        && mac
            .parse_body_with(Punctuated::<SynExpr, Token![,]>::parse_terminated)
            .is_ok()
}

/// Is `mac` one of the macros the coroutine rewrites?
pub fn macro_kind(mac: &syn::Macro, form: Form) -> Option<MacroKind> {
    let ident = mac.path.get_ident()?;
    match ident.unraw().to_string().as_str() {
        "yield_" | "yield" => Some(MacroKind::Yield),
        "yield_from" => Some(MacroKind::YieldFrom),
        "io" if form == Form::Task => Some(MacroKind::Io),
        _ => None,
    }
}

/// Fresh names for what we introduce, distinct from every identifier in the user's code
/// (our locals are also `mixed_site`, but liveness resolves names as strings).
#[derive(Clone)]
pub struct Names {
    used: HashSet<String>,
}

impl Names {
    pub fn new(tokens: TokenStream) -> Self {
        let mut used = HashSet::new();
        collect_idents(tokens, &mut used);
        Names { used }
    }

    pub fn fresh(&mut self, base: &str) -> Ident {
        let mut name = base.to_string();
        let mut n = 1;
        while self.used.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        Ident::new(&name, Span::mixed_site())
    }

    pub fn is_used(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

fn collect_idents(tokens: TokenStream, out: &mut HashSet<String>) {
    for tt in tokens {
        match tt {
            TokenTree::Ident(i) => {
                out.insert(i.unraw().to_string());
            }
            TokenTree::Group(g) => collect_idents(g.stream(), out),
            _ => {}
        }
    }
}

/// Does `e` contain a yield point (outside closures, async blocks and items, where
/// `analyse` has already reported it)?
pub fn has_yield(e: &SynExpr, form: Form) -> bool {
    struct Find {
        form: Form,
        found: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            self.found |= macro_kind(m, self.form).is_some();
            if is_vec_macro(m) {
                if let Ok(args) =
                    m.parse_body_with(Punctuated::<SynExpr, Token![,]>::parse_terminated)
                {
                    args.iter().for_each(|a| self.visit_expr(a));
                }
            }
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut f = Find { form, found: false };
    syn::visit::Visit::visit_expr(&mut f, e);
    f.found
}

struct Scope {
    id: ScopeId,
    names: Vec<(String, Bid)>,
}

pub struct Lowerer<'a> {
    pub types: &'a Types,
    pub names: &'a mut Names,
    pub diag: &'a mut Diag,
    bindings: Vec<Binding>,
    /// Each binding's identifier (unraw) as a number, the same for the same text: what
    /// hides what in `visible`.
    ident_keys: Vec<usize>,
    /// The numbers of `ident_keys`, by text.
    key_of: HashMap<String, usize>,
    yields: Vec<YieldPoint>,
    items: Vec<syn::Item>,
    scopes: Vec<Scope>,
    next_scope: u32,
    moved: BTreeSet<Bid>,
    candidates: BTreeSet<Bid>,
    /// Names whose shadowing bindings are renamed (see `bind`).
    pub rename: HashSet<String>,
    /// Recursive delegation runs on a trampoline (see `trampoline`).
    pub trampoline: Option<trampoline::Plan>,
    /// Lowering the arguments' prelude.
    in_prelude: bool,
    /// `for` loops walked by position: the position local's name → how the element is
    /// borrowed again after a resume.
    elements: std::collections::HashMap<String, SynExpr>,
    /// The iterators of desugared `for` loops.
    for_iters: HashSet<String>,
}

impl<'a> Lowerer<'a> {
    pub fn new(types: &'a Types, names: &'a mut Names, diag: &'a mut Diag) -> Self {
        Lowerer {
            types,
            names,
            diag,
            bindings: Vec::new(),
            ident_keys: Vec::new(),
            key_of: HashMap::new(),
            yields: Vec::new(),
            items: Vec::new(),
            scopes: Vec::new(),
            next_scope: 0,
            moved: BTreeSet::new(),
            candidates: BTreeSet::new(),
            rename: HashSet::new(),
            trampoline: None,
            in_prelude: false,
            elements: std::collections::HashMap::new(),
            for_iters: HashSet::new(),
        }
    }

    /// Lowers the function body; `prelude` binds the arguments in the body's scope.
    pub fn lower(mut self, prelude: Vec<syn::Stmt>, body: Vec<syn::Stmt>) -> Body {
        let scope = self.push_scope();
        let mut stmts = Vec::new();
        self.in_prelude = true;
        for s in prelude {
            self.stmt(s, &mut stmts);
        }
        self.in_prelude = false;
        for s in body {
            self.stmt(s, &mut stmts);
        }
        self.scopes.pop();
        for b in &self.moved {
            self.bindings[b.0 as usize].maybe_moved = true;
        }
        for b in &self.candidates {
            if !self.moved.contains(b) {
                self.bindings[b.0 as usize].keep_for_drop = true;
            }
        }
        Body {
            block: Block {
                scope,
                label: None,
                stmts,
            },
            bindings: self.bindings,
            yields: self.yields,
            items: self.items,
        }
    }

    fn push_scope(&mut self) -> ScopeId {
        let id = ScopeId(self.next_scope);
        self.next_scope += 1;
        self.scopes.push(Scope {
            id,
            names: Vec::new(),
        });
        id
    }

    fn current_scope(&self) -> ScopeId {
        self.scopes.last().map_or(ScopeId(0), |s| s.id)
    }

    fn resolve(&self, name: &str) -> Option<Bid> {
        self.scopes.iter().rev().find_map(|s| {
            s.names
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, b)| *b)
        })
    }

    fn bind(&mut self, pat: &mut Pat, drop_candidate: bool) -> Vec<Bid> {
        // A binding that shadows one needed at a yield gets a name of its own, so the
        // shadowed one stays nameable there.
        let mut renames = std::collections::HashMap::new();
        for pb in scope::pat_bindings(pat) {
            let name = pb.ident.unraw().to_string();
            if self.rename.contains(&name) && self.resolve(&name).is_some() {
                renames.insert(name.clone(), self.names.fresh(&name).to_string());
            }
        }
        if !renames.is_empty() {
            struct RenamePat<'m>(&'m std::collections::HashMap<String, String>);
            impl syn::visit_mut::VisitMut for RenamePat<'_> {
                fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
                    if let Some(to) = self.0.get(&p.ident.unraw().to_string()) {
                        p.ident = Ident::new(to, p.ident.span());
                    }
                    syn::visit_mut::visit_pat_ident_mut(self, p);
                }
                fn visit_field_pat_mut(&mut self, f: &mut syn::FieldPat) {
                    // `S { x }` → `S { x: x1 }`
                    if f.colon_token.is_none() {
                        f.colon_token = Some(Default::default());
                    }
                    syn::visit_mut::visit_field_pat_mut(self, f);
                }
            }
            syn::visit_mut::VisitMut::visit_pat_mut(&mut RenamePat(&renames), pat);
        }
        let mut out = Vec::new();
        for pb in scope::pat_bindings(pat) {
            let id = Bid(self.bindings.len() as u32);
            let ident_name = pb.ident.unraw().to_string();
            let name = renames
                .iter()
                .find(|(_, to)| **to == ident_name)
                .map_or(ident_name.clone(), |(from, _)| from.clone());
            let next = self.key_of.len();
            self.ident_keys
                .push(*self.key_of.entry(ident_name).or_insert(next));
            self.bindings.push(Binding {
                ident: pb.ident.clone(),
                mutable: pb.mutable,
                scope: self.current_scope(),
                keep_for_drop: false,
                maybe_moved: false,
                lent: false,
                deferred: false,
                unique_type: None,
                droppless: false,
                recreate: None,
                ownership: Ownership::Unknown,
                borrows: None,
                name: name.clone(),
            });
            if drop_candidate && !pb.by_ref {
                self.candidates.insert(id);
            }
            if let Some(s) = self.scopes.last_mut() {
                s.names.push((name, id));
            }
            out.push(id);
        }
        out
    }

    fn plain(&mut self, expr: SynExpr) -> Plain {
        let summary = scope::summarize_expr(&expr);
        let expr = self.renamed(expr, &summary);
        let top_kill = scope::bare_ident(match &expr {
            SynExpr::Assign(a) => &a.left,
            _ => &expr,
        })
        .filter(|_| matches!(expr, SynExpr::Assign(_)))
        .and_then(|i| self.resolve(&i.unraw().to_string()));
        for name in &summary.lent {
            if let Some(b) = self.resolve(name) {
                self.bindings[b.0 as usize].lent = true;
            }
        }
        let mut uses = Vec::new();
        for (name, kind) in &summary.uses {
            let Some(b) = self.resolve(name) else {
                continue;
            };
            if kind == &UseKind::Move {
                self.moved.insert(b);
            }
            if Some(b) != top_kill || kind != &UseKind::Assign {
                uses.push(b);
            }
        }
        // A re-created borrow reads what it is re-created from.
        let mut i = 0;
        while i < uses.len() {
            if let Some((_, _, deps)) = &self.bindings[uses[i].0 as usize].recreate {
                for d in deps.clone() {
                    if !uses.contains(&d) {
                        uses.push(d);
                    }
                }
            }
            i += 1;
        }
        Plain {
            expr,
            uses,
            kills: top_kill.into_iter().collect(),
            jumps: summary.jumps,
        }
    }

    /// `expr` with the names of renamed bindings (see `bind`) replaced.
    fn renamed(&self, mut expr: SynExpr, summary: &scope::Summary) -> SynExpr {
        let mut map = std::collections::HashMap::new();
        for (name, _) in &summary.uses {
            if let Some(b) = self.resolve(name) {
                let ident = self.bindings[b.0 as usize].ident.unraw().to_string();
                if &ident != name {
                    map.insert(name.clone(), ident);
                }
            }
        }
        if !map.is_empty() {
            let mut r = scope::Renamer::new(&map, false);
            syn::visit_mut::VisitMut::visit_expr_mut(&mut r, &mut expr);
        }
        expr
    }

    /// A name in code already renamed (see `bind`): the binding whose identifier it is.
    fn resolve_renamed(&self, name: &str) -> Option<Bid> {
        self.scopes.iter().rev().find_map(|s| {
            s.names.iter().rev().find_map(|(_, b)| {
                (self.bindings[b.0 as usize].ident.unraw() == name).then_some(*b)
            })
        })
    }

    /// The locals `e` (already renamed, see `bind`) reads, resolved here.
    fn reads(&self, e: &SynExpr) -> Vec<Bid> {
        let mut out = Vec::new();
        for (name, _) in scope::summarize_expr(e).uses {
            if let Some(b) = self.resolve_renamed(&name) {
                if !out.contains(&b) {
                    out.push(b);
                }
            }
        }
        out
    }

    fn stmt(&mut self, s: syn::Stmt, out: &mut Vec<Stmt>) {
        match s {
            syn::Stmt::Local(l) => {
                let (init, diverge) = match l.init {
                    Some(init) => (
                        Some(self.expr(*init.expr)),
                        init.diverge.map(|(_, d)| Box::new(self.expr(*d))),
                    ),
                    None => (None, None),
                };
                let candidate = diverge.is_none()
                    && matches!(&init, Some(Expr::Plain(p)) if !trivially_copy(&p.expr))
                    && simple_ident(&l.pat);
                // Borrows, resolved before the new names are bound (`let v = &v;`).
                let init_expr = match &init {
                    Some(Expr::Plain(p)) => Some(p.expr.clone()),
                    _ => None,
                };
                let recreate = init_expr
                    .as_ref()
                    .and_then(|e| self.recreate_of(e, &l.pat, diverge.is_some()));
                let in_for = matches!(&l.pat, Pat::Ident(i) if self.for_iters.contains(&i.ident.to_string()));
                let borrows = match (&recreate, &init_expr) {
                    (None, Some(e)) => self.borrow_of_owned(e, in_for),
                    _ => None,
                };
                let mut pat = l.pat;
                let binds = self.bind(&mut pat, candidate);
                let ownership = if self.in_prelude {
                    let name = scope::pat_bindings(&pat)
                        .first()
                        .map(|b| b.ident.unraw().to_string());
                    self.types
                        .arg_ownership
                        .iter()
                        .find(|(n, _)| Some(n) == name.as_ref())
                        .map_or(Ownership::Unknown, |(_, o)| *o)
                } else if recreate.is_some() {
                    Ownership::Reference
                } else {
                    init_expr
                        .as_ref()
                        .map_or(Ownership::Unknown, borrow::of_init)
                };
                for b in &binds {
                    let binding = &mut self.bindings[b.0 as usize];
                    binding.ownership = ownership;
                    binding.borrows = borrows.clone();
                }
                if let (Some((e, deps)), [b]) = (recreate, &binds[..]) {
                    // The pattern as written (with its type: `let r: &[T] = &v;` coerces).
                    let again: Pat = if diverge.is_some() {
                        let ident = &self.bindings[b.0 as usize].ident;
                        syn::parse_quote!(#ident)
                    } else {
                        pat.clone()
                    };
                    self.bindings[b.0 as usize].recreate = Some((again, e, deps));
                }
                let known = |name: &str| {
                    self.resolve(name)
                        .is_some_and(|b| self.bindings[b.0 as usize].unique_type.is_some())
                };
                let unique =
                    matches!(&init, Some(Expr::Plain(p)) if has_unique_type(&p.expr, &known));
                // Where the value comes from a local that holds it, the error names that local.
                let origin = match &init {
                    Some(Expr::Plain(p)) => origin_ident(&p.expr)
                        .and_then(|i| self.resolve(&i.to_string()))
                        .and_then(|b| self.bindings[b.0 as usize].unique_type.clone()),
                    _ => None,
                };
                for b in &binds {
                    self.bindings[b.0 as usize].deferred = init.is_none();
                    let own = (
                        self.bindings[b.0 as usize].ident.span(),
                        self.bindings[b.0 as usize].name.clone(),
                    );
                    self.bindings[b.0 as usize].unique_type =
                        unique.then(|| origin.clone().unwrap_or(own));
                }
                out.push(Stmt::Let {
                    attrs: l.attrs,
                    pat: Box::new(pat),
                    binds,
                    init,
                    diverge,
                });
            }
            syn::Stmt::Item(item) => self.items.push(item),
            syn::Stmt::Expr(e, semi) => {
                let expr = self.expr(e);
                out.push(Stmt::Expr {
                    expr,
                    semi: semi.is_some(),
                });
            }
            syn::Stmt::Macro(m) => {
                let e = SynExpr::Macro(syn::ExprMacro {
                    attrs: m.attrs,
                    mac: m.mac,
                });
                let expr = self.expr(e);
                out.push(Stmt::Expr { expr, semi: true });
            }
        }
    }

    fn block(&mut self, b: syn::Block, label: Option<syn::Label>) -> Block {
        let scope = self.push_scope();
        let block = self.block_in(b, label, scope);
        self.scopes.pop();
        block
    }

    fn block_in(&mut self, b: syn::Block, label: Option<syn::Label>, scope: ScopeId) -> Block {
        let mut stmts = Vec::new();
        for s in b.stmts {
            self.stmt(s, &mut stmts);
        }
        Block {
            scope,
            label,
            stmts,
        }
    }

    pub fn expr(&mut self, e: SynExpr) -> Expr {
        if !has_yield(&e, self.types.form) {
            return Expr::Plain(Box::new(self.plain(e)));
        }
        match e {
            SynExpr::Macro(m) => self.macro_expr(m.mac),
            SynExpr::Paren(p) => self.expr(*p.expr),
            SynExpr::Group(g) => self.expr(*g.expr),
            SynExpr::Block(b) => Expr::Block(Box::new(self.block(b.block, b.label))),
            SynExpr::If(i) => {
                let scope = self.push_scope();
                let (cond, binds) = self.cond(*i.cond);
                let then = self.block_in(i.then_branch, None, scope);
                self.scopes.pop();
                let els = i.else_branch.map(|(_, e)| Box::new(self.expr(*e)));
                Expr::If {
                    cond: Box::new(cond),
                    binds,
                    then: Box::new(then),
                    els,
                }
            }
            SynExpr::Match(m) => {
                let scrut = Box::new(self.expr(*m.expr));
                let borrow = match &*scrut {
                    Expr::Plain(p) => self.borrow_of_owned(&p.expr, false),
                    _ => None,
                };
                let mut arms = Vec::new();
                for arm in m.arms {
                    let scope = self.push_scope();
                    let mut arm = arm;
                    let binds = self.bind(&mut arm.pat, false);
                    self.pattern_borrows(&arm.pat, &binds, borrow.clone());
                    let guard = match arm.guard {
                        Some((_, g)) if has_yield(&g, self.types.form) => {
                            self.diag.error(g.span(), "a yield point cannot stand in a match guard\nhelp: yield before the `match` and bind the value to a local");
                            None
                        }
                        Some((_, g)) => Some(self.plain(*g)),
                        None => None,
                    };
                    let body = self.expr(*arm.body);
                    self.scopes.pop();
                    arms.push(Arm {
                        attrs: arm.attrs,
                        pat: arm.pat,
                        binds,
                        scope,
                        guard,
                        body,
                    });
                }
                Expr::Match { scrut, arms }
            }
            SynExpr::Loop(l) => Expr::Loop {
                label: l.label,
                body: Box::new(self.block(l.body, None)),
            },
            SynExpr::While(w) => {
                let scope = self.push_scope();
                let (cond, binds) = self.cond(*w.cond);
                let body = self.block_in(w.body, None, scope);
                self.scopes.pop();
                Expr::While {
                    label: w.label,
                    cond: Box::new(cond),
                    binds,
                    body: Box::new(body),
                }
            }
            SynExpr::ForLoop(mut f) => {
                let span = f.span();
                if let Some(desugared) = self.for_by_position(&mut f, span) {
                    return self.expr(desugared);
                }
                let iter = self.names.fresh(&iter_name(&f.pat));
                let first_new = self.bindings.len();
                let over_range = matches!(crate::ir::strip_parens(&f.expr), SynExpr::Range(_));
                self.for_iters.insert(iter.to_string());
                let stmts = std::mem::take(&mut f.body.stmts);
                let (pat, expr, label) = (&f.pat, &f.expr, &f.label);
                // The range's item is a `Step` type too (integers, `char`, addresses): `Copy`.
                let item = match &**pat {
                    Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => {
                        Some(p.ident.unraw().to_string())
                    }
                    _ => None,
                };
                let mut desugared: SynExpr = syn::parse_quote_spanned! {span=>
                    {
                        let mut #iter = ::core::iter::IntoIterator::into_iter(#expr);
                        #label loop {
                            let ::core::option::Option::Some(#pat) = ::core::iter::Iterator::next(&mut #iter) else {
                                break;
                            };
                        }
                    }
                };
                append_to_loop(&mut desugared, stmts);
                let lowered = self.expr(desugared);
                if over_range {
                    let new = &mut self.bindings[first_new..];
                    if let Some(b) = new.iter_mut().find(|b| b.ident == iter) {
                        b.droppless = true;
                    }
                    if let Some(b) = new.iter_mut().find(|b| Some(&b.name) == item.as_ref()) {
                        b.droppless = true;
                    }
                }
                lowered
            }
            SynExpr::Assign(a) if !has_yield(&a.left, self.types.form) => {
                let rhs = Box::new(self.expr(*a.right));
                let kills = scope::bare_ident(&a.left)
                    .and_then(|i| self.resolve(&i.unraw().to_string()))
                    .into_iter()
                    .collect();
                let lhs = Box::new(self.plain(*a.left));
                Expr::Assign { lhs, kills, rhs }
            }
            SynExpr::Return(r) => Expr::Return(r.expr.map(|e| Box::new(self.expr(*e)))),
            SynExpr::Break(b) => Expr::Break {
                label: b.label,
                value: b.expr.map(|e| Box::new(self.expr(*e))),
            },
            SynExpr::Try(t) => {
                let (v, r) = (self.names.fresh("value"), self.names.fresh("residual"));
                let inner = &t.expr;
                let desugared: SynExpr = syn::parse_quote_spanned! {t.question_token.span=>
                    match ::resumable::__private::Branch::branch(#inner) {
                        ::core::ops::ControlFlow::Continue(#v) => #v,
                        ::core::ops::ControlFlow::Break(#r) => return ::resumable::__private::FromResidual::from_residual(#r),
                    }
                };
                self.expr(desugared)
            }
            other => {
                let other = match self.linearise(other.clone()) {
                    Some(linear) => return self.expr(linear),
                    None => other,
                };
                self.diag.error(
                    other.span(),
                    format!(
                        "a yield point cannot stand inside {} yet\nhelp: bind the yielded value to a local first: `let v = yield_!(..);`",
                        describe(&other)
                    ),
                );
                Expr::Plain(Box::new(self.plain(syn::parse_quote!(()))))
            }
        }
    }

    /// `let r = &v.a;` (a simple, immutable binding), or a `for` loop's element walked by
    /// position: the expression that borrows it again after a resume, and what it reads.
    fn recreate_of(
        &mut self,
        e: &SynExpr,
        pat: &Pat,
        has_else: bool,
    ) -> Option<(SynExpr, Vec<Bid>)> {
        if has_else {
            let SynExpr::Call(c) = e else { return None };
            let pos = c.args.last().and_then(scope::bare_ident)?.to_string();
            let again = self.elements.remove(&pos)?;
            let summary = scope::summarize_expr(&again);
            let again = self.renamed(again, &summary);
            let deps = self.reads(&again);
            return Some((again, deps));
        }
        let immutable = |p: &Pat| matches!(p, Pat::Ident(i) if i.mutability.is_none() && i.by_ref.is_none() && i.subpat.is_none());
        let simple = match pat {
            Pat::Type(t) => immutable(&t.pat),
            p => immutable(p),
        };
        let root = borrow::reborrow_root(e)?;
        self.resolve_renamed(&root.unraw().to_string())?;
        simple.then(|| (e.clone(), self.reads(e)))
    }

    /// An initialiser that holds a borrow of a local known to own its value (directly, or
    /// through another borrowing local): that local and the borrow's span.
    fn borrow_of_owned(&self, e: &SynExpr, in_for: bool) -> Option<borrow::Borrow> {
        let (root, expr) = borrow::borrowed_root(e)?;
        let rb = self.resolve_renamed(&root.unraw().to_string())?;
        let binding = &self.bindings[rb.0 as usize];
        let owner = if binding.ownership == Ownership::Owned {
            rb
        } else if let Some(b) = &binding.borrows {
            b.owner
        } else {
            let (_, _, deps) = binding.recreate.as_ref()?;
            deps.iter()
                .copied()
                .find(|d| self.bindings[d.0 as usize].ownership == Ownership::Owned)?
        };
        Some(borrow::Borrow {
            owner,
            expr: expr.to_token_stream(),
            in_for,
        })
    }

    /// Bindings of a pattern matched against a borrow of an owned local hold that borrow,
    /// except those under a `&` pattern (`Some(&x)` copies the value out).
    fn pattern_borrows(&mut self, pat: &Pat, binds: &[Bid], borrow: Option<borrow::Borrow>) {
        let Some(borrow) = borrow else { return };
        let copied = borrow::copied_out(pat);
        for b in binds {
            let binding = &mut self.bindings[b.0 as usize];
            if !copied.contains(&binding.ident.unraw().to_string()) {
                binding.borrows = Some(borrow.clone());
            }
        }
    }

    /// `for x in &v` (`&mut v`, `v.iter()`, `v.iter_mut()`) over a local, with a yield in
    /// the body: a position instead of a borrowing iterator, the element borrowed again
    /// from `v` after each resume.
    ///
    /// After: `{ let mut pos = 0; loop { let Some(x) = Positioned::at(&v, pos) else { break }; pos += 1; .. } }`
    fn for_by_position(&mut self, f: &mut syn::ExprForLoop, span: Span) -> Option<SynExpr> {
        let (place, mutable) = borrow::positioned(&f.expr)?;
        let root = borrow::place_root(place)?;
        let rb = self.resolve(&root.unraw().to_string())?;
        let binding = &self.bindings[rb.0 as usize];
        // A reference to a collection outside the coroutine: its iterator borrows no local.
        if binding.ownership == Ownership::Reference && binding.recreate.is_none() {
            return None;
        }
        let pos = match &*f.pat {
            Pat::Ident(p) => format!("{}_pos", p.ident.unraw()),
            _ => "pos".to_string(),
        };
        let pos = self.names.fresh(&pos);
        let espan = f.expr.span();
        let (at, again) = if mutable {
            (
                quote_spanned!(espan=> ::resumable::__private::PositionedMut::at_mut(&mut #place, #pos)),
                quote_spanned!(espan=> ::resumable::__private::element_mut(&mut #place, #pos - 1)),
            )
        } else {
            (
                quote_spanned!(espan=> ::resumable::__private::Positioned::at(&#place, #pos)),
                quote_spanned!(espan=> ::resumable::__private::element(&#place, #pos - 1)),
            )
        };
        if matches!(&*f.pat, Pat::Ident(i) if i.mutability.is_none() && i.by_ref.is_none() && i.subpat.is_none())
        {
            self.elements
                .insert(pos.to_string(), syn::parse2(again).ok()?);
        }
        let stmts = std::mem::take(&mut f.body.stmts);
        let (pat, label) = (&f.pat, &f.label);
        let mut desugared: SynExpr = syn::parse_quote_spanned! {span=>
            {
                let mut #pos = 0usize;
                #label loop {
                    let ::core::option::Option::Some(#pat) = #at else {
                        break;
                    };
                    #pos += 1;
                }
            }
        };
        append_to_loop(&mut desugared, stmts);
        Some(desugared)
    }

    /// An `if`/`while` condition, whose `let` bindings go into the current (body) scope.
    fn cond(&mut self, cond: SynExpr) -> (Expr, Vec<Bid>) {
        if !has_yield(&cond, self.types.form) {
            let mut plain = self.plain(cond);
            let mut binds = Vec::new();
            for (pat, scrut) in let_patterns(&mut plain.expr) {
                let borrow = self.borrow_of_owned(scrut, false);
                let bound = self.bind(pat, false);
                self.pattern_borrows(pat, &bound, borrow);
                binds.extend(bound);
            }
            return (Expr::Plain(Box::new(plain)), binds);
        }
        match cond {
            SynExpr::Let(l) => {
                let scrut = Box::new(self.expr(*l.expr));
                let borrow = match &*scrut {
                    Expr::Plain(p) => self.borrow_of_owned(&p.expr, false),
                    _ => None,
                };
                let mut pat = *l.pat;
                let binds = self.bind(&mut pat, false);
                self.pattern_borrows(&pat, &binds, borrow);
                (Expr::Let { pat, scrut }, binds)
            }
            other => (self.expr(other), Vec::new()),
        }
    }

    fn macro_expr(&mut self, mac: syn::Macro) -> Expr {
        let span = mac.span();
        let args = match mac.parse_body_with(Punctuated::<SynExpr, Token![,]>::parse_terminated) {
            Ok(args) => args.into_iter().collect::<Vec<_>>(),
            Err(e) => {
                self.diag.push(e);
                return Expr::Plain(Box::new(self.plain(syn::parse_quote!(()))));
            }
        };
        match macro_kind(&mac, self.types.form) {
            Some(MacroKind::Yield) => {
                let [value] = <[SynExpr; 1]>::try_from(args).unwrap_or_else(|_| {
                    self.diag.error(span, diag::YIELD_ARGS);
                    [syn::parse_quote!(())]
                });
                let value = self.step_yield(value);
                let suspension = self.suspension(value, mac.path.span());
                self.resumed(suspension, false)
            }
            Some(MacroKind::YieldFrom) => {
                if args.is_empty() || args.len() > 2 {
                    self.diag.error(span, diag::YIELD_FROM_ARGS);
                    return Expr::Plain(Box::new(self.plain(syn::parse_quote!(()))));
                }
                if let Some(call) = self.recursive_call(&args, mac.path.span()) {
                    return call;
                }
                let sub = &args[0];
                // `yield_from!(Box::new(self_call(..)))`: a machine cannot hold its own type, even
                // boxed (E0720), so the box is erased to `dyn` with the types we know.
                let erased = self.recursive_box(sub).map(|auto| {
                    let (a, y, r) = (&self.types.resume, &self.types.yield_ty, &self.types.ret);
                    let y = crate::parse::annotation(y);
                    if matches!(self.types.form, Form::Iterator | Form::Generator) {
                        quote!(: ::resumable::__private::Box<dyn ::core::iter::Iterator<Item = #y> #(+ #auto)* + '_>)
                    } else {
                        quote!(: ::resumable::__private::Box<dyn ::resumable::__private::Coroutine<#a, Yield = #y, Return = #r> #(+ #auto)* + '_>)
                    }
                });
                let desugared = if matches!(self.types.form, Form::Iterator | Form::Generator) {
                    if args.len() == 2 {
                        self.diag.error(args[1].span(), "an iterator is resumed with `()`: `yield_from!` takes no first argument here");
                    }
                    let item = self.names.fresh("item");
                    match erased {
                        Some(ty) => {
                            let co = self.names.fresh("sub");
                            quote_spanned! {span=> { let #co #ty = #sub; for #item in #co { yield_!(#item); } } }
                        }
                        None => quote_spanned! {span=> for #item in #sub { yield_!(#item); } },
                    }
                } else {
                    let (co, arg, y, r) = (
                        self.names.fresh("sub"),
                        self.names.fresh("sub_arg"),
                        self.names.fresh("yielded"),
                        self.names.fresh("returned"),
                    );
                    let first = match args.get(1) {
                        Some(first) => quote!(#first),
                        None => quote!(::core::default::Default::default()),
                    };
                    let ty = erased.unwrap_or_default();
                    let arg_ty = crate::parse::annotation(&Some(self.types.resume.clone()));
                    quote_spanned! {span=>
                        {
                            let mut #co #ty = #sub;
                            let mut #arg: #arg_ty = #first;
                            loop {
                                match ::resumable::__private::Coroutine::resume(&mut #co, #arg) {
                                    ::resumable::__private::CoroutineState::Yielded(#y) => #arg = yield_!(#y),
                                    ::resumable::__private::CoroutineState::Complete(#r) => break #r,
                                }
                            }
                        }
                    }
                };
                self.reparse(desugared)
            }
            Some(MacroKind::Io) => {
                let [call] = <[SynExpr; 1]>::try_from(args).unwrap_or_else(|_| {
                    self.diag.error(span, diag::IO_ARGS);
                    [syn::parse_quote!(())]
                });
                let (r, w) = (self.names.fresh("io_result"), self.names.fresh("wait"));
                self.reparse(quote_spanned! {span=>
                    loop {
                        match ::resumable::__private::io_step(#call) {
                            ::core::ops::ControlFlow::Break(#r) => break #r,
                            ::core::ops::ControlFlow::Continue(#w) => {
                                yield_!(#w);
                            }
                        }
                    }
                })
            }
            None if is_vec_macro(&mac) => {
                // `vec![a, yield_!(b)]`: the elements are an array the coroutine can see into.
                self.reparse(
                    quote_spanned!(span=> <[_]>::into_vec(::std::boxed::Box::new([#(#args),*]))),
                )
            }
            None => Expr::Plain(Box::new(self.plain(SynExpr::Macro(syn::ExprMacro {
                attrs: Vec::new(),
                mac,
            })))),
        }
    }

    /// For `Box::new(f(..))` or `Box::new(x.f(..))` where `f` is this function: the
    /// `Send`/`Sync` bounds the erased box keeps.
    fn recursive_box(&self, e: &SynExpr) -> Option<Vec<syn::Path>> {
        let SynExpr::Call(c) = e else { return None };
        let SynExpr::Path(p) = &*c.func else {
            return None;
        };
        let segs: Vec<String> = p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if segs.len() < 2
            || segs[segs.len() - 2] != "Box"
            || segs[segs.len() - 1] != "new"
            || c.args.len() != 1
        {
            return None;
        }
        let callee = match &c.args[0] {
            SynExpr::Call(inner) => match &*inner.func {
                SynExpr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            },
            SynExpr::MethodCall(m) => Some(m.method.to_string()),
            _ => None,
        }?;
        (Some(callee) == self.types.function).then(|| self.types.auto_traits.clone())
    }

    /// A yield point handing `value` out.
    fn suspension(&mut self, value: SynExpr, span: Span) -> Expr {
        let value = Box::new(self.expr(value));
        let id = YieldId(self.yields.len() as u32);
        let (visible, shadowed) = self.visible();
        self.yields.push(YieldPoint {
            span,
            visible,
            shadowed,
            stored: Vec::new(),
            live: Vec::new(),
            assigned_after: Vec::new(),
        });
        Expr::Yield { id, value }
    }

    fn reparse(&mut self, tokens: TokenStream) -> Expr {
        match syn::parse2::<SynExpr>(tokens) {
            Ok(e) => self.expr(e),
            Err(e) => {
                self.diag.push(e);
                Expr::Plain(Box::new(self.plain(syn::parse_quote!(()))))
            }
        }
    }

    /// The bindings nameable here, and those in scope but shadowed, in declaration order.
    fn visible(&self) -> (Vec<Bid>, Vec<Bid>) {
        let mut seen = vec![false; self.key_of.len()];
        let (mut visible, mut shadowed) = (Vec::new(), Vec::new());
        for s in self.scopes.iter().rev() {
            for (_, b) in s.names.iter().rev() {
                // Renamed shadowing bindings do not hide the binding they shadow.
                let key = self.ident_keys[b.0 as usize];
                if !std::mem::replace(&mut seen[key], true) {
                    visible.push(*b);
                } else {
                    shadowed.push(*b);
                }
            }
        }
        visible.sort();
        shadowed.sort();
        (visible, shadowed)
    }
}

/// Appends `stmts` to the `loop` that ends the desugared block `e`. The loop is quoted
/// without them: the user's statements move over as they are, not printed and parsed again.
fn append_to_loop(e: &mut SynExpr, stmts: Vec<syn::Stmt>) {
    match e {
        SynExpr::Block(b) => match b.block.stmts.last_mut() {
            Some(syn::Stmt::Expr(SynExpr::Loop(l), _)) => l.body.stmts.extend(stmts),
            _ => unreachable!("a desugared loop ends its block"),
        },
        _ => unreachable!("a desugared loop is a block"),
    }
}

/// Is `e`'s type its own: a closure, an `async` block, a `generator!` (a closure inside),
/// or a lazy iterator adapter holding a closure (`v.iter().map(|x| ..)`)?
fn has_unique_type(e: &SynExpr, known: &dyn Fn(&str) -> bool) -> bool {
    const ADAPTERS: &[&str] = &[
        "map",
        "filter",
        "filter_map",
        "flat_map",
        "take_while",
        "skip_while",
        "map_while",
        "inspect",
        "scan",
        "then",
        "and_then",
        "or_else",
        "map_err",
    ];
    match e {
        SynExpr::Closure(_) | SynExpr::Async(_) => true,
        SynExpr::Macro(m) => m
            .mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "generator"),
        SynExpr::Paren(p) => has_unique_type(&p.expr, known),
        SynExpr::Path(p) => p.path.get_ident().is_some_and(|i| known(&i.to_string())),
        // `IntoIterator::into_iter(x)` of the `for` desugaring
        SynExpr::Call(c)
            if c.args.len() == 1
                && matches!(&*c.func, SynExpr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "into_iter")) =>
        {
            has_unique_type(&c.args[0], known)
        }
        SynExpr::Block(b) => {
            matches!(b.block.stmts.last(), Some(syn::Stmt::Expr(e, None)) if has_unique_type(e, known))
        }
        SynExpr::MethodCall(m) => {
            (ADAPTERS.contains(&m.method.to_string().as_str())
                && m.args.iter().any(|a| matches!(a, SynExpr::Closure(_))))
                || (matches!(
                    m.method.to_string().as_str(),
                    "peekable" | "rev" | "enumerate" | "skip" | "take" | "fuse" | "chain" | "zip"
                ) && has_unique_type(&m.receiver, known))
        }
        _ => false,
    }
}

/// `x` or `IntoIterator::into_iter(x)`: the local a value is taken from.
fn origin_ident(e: &SynExpr) -> Option<&Ident> {
    match e {
        SynExpr::Call(c) if c.args.len() == 1 => origin_ident(&c.args[0]),
        other => scope::bare_ident(other),
    }
}

fn iter_name(pat: &Pat) -> String {
    match pat {
        Pat::Ident(p) => format!("{}_iter", p.ident.unraw()),
        _ => "iter".to_string(),
    }
}

fn simple_ident(pat: &Pat) -> bool {
    match pat {
        Pat::Ident(p) => p.subpat.is_none() && p.by_ref.is_none(),
        Pat::Type(t) => simple_ident(&t.pat),
        _ => false,
    }
}

/// Values that certainly need no drop: storing them just to drop them later is waste.
fn trivially_copy(e: &SynExpr) -> bool {
    match e {
        SynExpr::Lit(_) | SynExpr::Reference(_) | SynExpr::Range(_) | SynExpr::Closure(_) => true,
        SynExpr::Unary(u) => trivially_copy(&u.expr),
        SynExpr::Cast(c) => trivially_copy(&c.expr),
        SynExpr::Paren(p) => trivially_copy(&p.expr),
        SynExpr::Binary(b) => trivially_copy(&b.left) && trivially_copy(&b.right),
        SynExpr::Tuple(t) => t.elems.iter().all(trivially_copy),
        SynExpr::Array(a) => a.elems.iter().all(trivially_copy),
        SynExpr::Repeat(r) => trivially_copy(&r.expr),
        _ => false,
    }
}

/// The patterns of the `let`s in an `if`/`while` condition (`let` chains included), with
/// their scrutinees.
fn let_patterns(cond: &mut SynExpr) -> Vec<(&mut Pat, &SynExpr)> {
    match cond {
        SynExpr::Let(l) => vec![(&mut *l.pat, &*l.expr)],
        SynExpr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let mut v = let_patterns(&mut b.left);
            v.extend(let_patterns(&mut b.right));
            v
        }
        SynExpr::Paren(p) => let_patterns(&mut p.expr),
        _ => Vec::new(),
    }
}

fn describe(e: &SynExpr) -> String {
    let what = match e {
        SynExpr::Array(_) => "an array expression",
        SynExpr::Binary(_) => "an operator's operand",
        SynExpr::Call(_) => "a function call's arguments",
        SynExpr::MethodCall(_) => "a method call",
        SynExpr::Cast(_) => "a cast",
        SynExpr::Field(_) => "a field access",
        SynExpr::Index(_) => "an index expression",
        SynExpr::Range(_) => "a range",
        SynExpr::Reference(_) => "a reference expression",
        SynExpr::Struct(_) => "a struct literal",
        SynExpr::Tuple(_) => "a tuple",
        SynExpr::Unary(_) => "a unary operator's operand",
        SynExpr::Let(_) => "a `let` expression here",
        SynExpr::Unsafe(_) => "an `unsafe` block",
        SynExpr::Const(_) => "a `const` block",
        SynExpr::Assign(_) => "the left-hand side of an assignment",
        _ => {
            return format!(
                "this expression (`{}`)",
                e.to_token_stream()
                    .to_string()
                    .chars()
                    .take(40)
                    .collect::<String>()
            )
        }
    };
    what.to_string()
}

/// A place expression (`x`, `x.f`, `self_.buf`), or a literal: evaluating it has no
/// effect, so it may stay where it is while a later operand suspends.
fn is_place(e: &SynExpr) -> bool {
    match e {
        SynExpr::Lit(_) => true,
        // `<[_]>::into_vec` (the `vec![..]` rewrite) names an item: moved into a local its
        // generics could not be inferred.
        SynExpr::Path(_) => true,
        SynExpr::Field(f) => is_place(&f.base),
        SynExpr::Paren(p) => is_place(&p.expr),
        _ => false,
    }
}

fn is_compound_assign(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

/// The local a place expression starts from: `k` of `k`, `k.f`, `(k).0`.
fn place_root(e: &SynExpr) -> Option<String> {
    match e {
        SynExpr::Field(f) => place_root(&f.base),
        SynExpr::Paren(p) => place_root(&p.expr),
        _ => scope::bare_ident(e).map(|i| i.to_string()),
    }
}

impl Lowerer<'_> {
    /// Linearises an expression whose operands contain a yield: operands up to the last
    /// one that suspends are evaluated, in Rust's order, into locals of a block.
    ///
    /// Before: `f(a(), yield_!(x), c)` After: `{ let tmp = a(); let tmp1 = yield_!(x); f(tmp, tmp1, c) }`
    fn linearise(&mut self, e: SynExpr) -> Option<SynExpr> {
        let form = self.types.form;
        let mut lets: Vec<TokenStream> = Vec::new();
        // Operands in evaluation order; those before the last suspending one become locals.
        let mut operands: Vec<&mut SynExpr> = Vec::new();
        let mut e = e;
        match &mut e {
            SynExpr::Binary(b) if matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) => {
                let (l, r) = (&b.left, &b.right);
                return Some(if has_yield(r, form) && !has_yield(l, form) {
                    if matches!(b.op, syn::BinOp::And(_)) {
                        syn::parse_quote!(if #l { #r } else { false })
                    } else {
                        syn::parse_quote!(if #l { true } else { #r })
                    }
                } else {
                    let t = self.names.fresh("tmp");
                    let op = &b.op;
                    syn::parse_quote!({ let #t = #l; #t #op #r })
                });
            }
            // `x op= e`: `x` is the place assigned, not an operand to evaluate into a local
            // (and for primitives Rust evaluates `e` first).
            SynExpr::Binary(b) => {
                if !is_compound_assign(&b.op) {
                    operands.push(&mut *b.left);
                }
                operands.push(&mut *b.right);
            }
            SynExpr::Call(c) => {
                operands.push(&mut *c.func);
                operands.extend(c.args.iter_mut());
            }
            SynExpr::MethodCall(m) => {
                operands.push(&mut *m.receiver);
                operands.extend(m.args.iter_mut());
            }
            SynExpr::Tuple(t) => operands.extend(t.elems.iter_mut()),
            SynExpr::Array(a) => operands.extend(a.elems.iter_mut()),
            SynExpr::Struct(s) => {
                operands.extend(s.fields.iter_mut().map(|f| &mut f.expr));
                if let Some(rest) = &mut s.rest {
                    operands.push(&mut **rest);
                }
            }
            SynExpr::Index(i) => operands.extend([&mut *i.expr, &mut *i.index]),
            SynExpr::Range(r) => {
                if let Some(s) = &mut r.start {
                    operands.push(&mut **s);
                }
                if let Some(s) = &mut r.end {
                    operands.push(&mut **s);
                }
            }
            SynExpr::Cast(c) => operands.push(&mut *c.expr),
            SynExpr::Unary(u) => operands.push(&mut *u.expr),
            SynExpr::Field(f) => operands.push(&mut *f.base),
            SynExpr::Repeat(r) => operands.push(&mut *r.expr),
            _ => return None,
        }
        let last = operands.iter().rposition(|o| has_yield(o, form))?;
        // A place a later operand writes to (`k.wrapping_sub({ k = yield_!(q); w })`) is
        // read first, as Rust does: it can only be taken by value there.
        let overwritten: Vec<bool> = (0..operands.len())
            .map(|i| {
                place_root(operands[i]).is_some_and(|root| {
                    operands[i + 1..=last.max(i)]
                        .iter()
                        .any(|later| scope::summarize_expr(later).writes.contains(&root))
                })
            })
            .collect();
        for (i, o) in operands.into_iter().enumerate().take(last + 1) {
            if is_place(o) && !overwritten[i] {
                continue;
            }
            // `&yield_!(x)` as an operand: the local holds the value, the operand borrows it.
            let (inner, reference) = match &mut *o {
                SynExpr::Reference(r) if has_yield(&r.expr, form) => {
                    (std::mem::replace(&mut *r.expr, syn::parse_quote!(())), true)
                }
                other => (std::mem::replace(other, syn::parse_quote!(())), false),
            };
            let t = self.names.fresh("tmp");
            lets.push(quote!(let mut #t = #inner;));
            if reference {
                if let SynExpr::Reference(r) = o {
                    *r.expr = syn::parse_quote!(#t);
                }
            } else {
                *o = syn::parse_quote!(#t);
            }
        }
        Some(syn::parse_quote!({ #(#lets)* #e }))
    }
}
