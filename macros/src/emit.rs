//! IR → tokens: the state enum, its `Debug`/`State` impls, and the step closure.
//!
//! Each arm of the step runs from its entry (the start, or just after one yield point)
//! through the structured code to the next yield: locals come out of the variant at the
//! top of the scope that declared them, and loops the resume point sits in are re-entered
//! directly, so a resume passes through the dispatcher once.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::visit_mut::VisitMut;
use syn::{Ident, Lifetime};

use crate::ir::*;
use crate::lower::Names;
use crate::parse::{Form, Types};
use crate::scope;

pub struct Machine<'a> {
    pub body: &'a Body,
    pub types: &'a Types,
    pub enum_ident: Ident,
    /// The function's name, for `Debug` and `Location`.
    pub function: String,
    /// Start variant fields: (field name, the argument value expression).
    pub start_fields: Vec<(Ident, TokenStream)>,
    pub state: Ident,
    pub arg: Ident,
    /// Was `arg = PAT` given (the first resume's argument is bound in the prelude)?
    pub binds_first_arg: bool,
    /// Drained by `Iterator::next` (an iterator, not a trampoline's frame).
    pub drained_by_next: bool,
}

enum Kind {
    Native,
    Remapped {
        end: Lifetime,
        next: Lifetime,
        end_used: Cell<bool>,
        next_used: Cell<bool>,
    },
}

struct Frame {
    label: Option<String>,
    is_loop: bool,
    kind: Kind,
}

struct Emitter<'a> {
    m: &'a Machine<'a>,
    names: &'a mut Names,
    frames: Vec<Frame>,
    body_label: Lifetime,
    body_used: Cell<bool>,
    /// Per yield: (field ident, binding) in variant order.
    fields: Vec<Vec<(Ident, Bid)>>,
    /// One generic parameter per stored binding.
    params: BTreeMap<Bid, Ident>,
    /// How many times each binding's `let` was emitted.
    lets: BTreeMap<Bid, u32>,
    /// Yields left out: no arm reaches them.
    skip: BTreeSet<usize>,
    /// The yields the arm being emitted suspends at.
    stores: BTreeSet<YieldId>,
    /// Per arm (`None` for the start): the yields it suspends at.
    arm_stores: Vec<(Option<YieldId>, BTreeSet<YieldId>)>,
    /// The arm being emitted keeps its variant's locals in the state.
    in_place: Option<InPlace>,
    /// The arm being emitted (`None` for the start).
    arm: Option<YieldId>,
    /// The label of the loop around the step's `match`, once an arm hands over to another
    /// (see `handoff`).
    dispatch: Option<Lifetime>,
    /// The yields an arm entering their loop hands over to (see `handoffs`).
    handoffs: BTreeSet<YieldId>,
    value_spans: BTreeMap<YieldId, Span>,
    /// Printed plain code, by the address of its `Plain`, for code that reads no in-place
    /// local and that `Rewrite` leaves alone (`None`: it may not): the copies of a piece of
    /// code in several arms reuse one token stream instead of printing the tree again.
    printed: std::collections::HashMap<*const Plain, Option<TokenStream>>,
}

/// Gives pattern bindings new names (and drops their `mut`: the new name is only copied).
struct RenameBinders<'a>(&'a [(Ident, Ident)]);

impl VisitMut for RenameBinders<'_> {
    fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
        if let Some((new, _)) = self.0.iter().find(|(_, old)| *old == p.ident) {
            p.ident = new.clone();
            p.mutability = None;
        }
        syn::visit_mut::visit_pat_ident_mut(self, p);
    }
}

/// One arm of the step's `match`.
enum ArmOut {
    /// Variant path, pattern binding its fields by value, body.
    ByValue(TokenStream, TokenStream, TokenStream),
    Ready(TokenStream),
}

/// An arm that matches its variant by `&mut` and works on the locals where they are, so a
/// resume moves nothing (a 4 KiB buffer is not copied out and back).
struct InPlace {
    k: YieldId,
    /// The variant's fields, each a `&mut` named as the local; mentions become `(*x)`.
    bids: BTreeSet<Bid>,
    /// The ones this arm's code mentions (the others are bound as `_`).
    touched: BTreeSet<Bid>,
    /// The arm needs the locals by value after all (a `let` or pattern re-binds one, or a
    /// macro we cannot see into names one): it is emitted again the usual way.
    violated: bool,
}

fn lifetime(name: &str) -> Lifetime {
    Lifetime::new(&format!("'{name}"), Span::mixed_site())
}

pub fn emit(m: &Machine<'_>, names: &mut Names) -> syn::Result<TokenStream> {
    // A yield no arm can reach (after an unconditional `continue`, say) gets no variant: its
    // locals' types would be inferred from nowhere.
    let mut trial_names = names.clone();
    let (tokens, reached) = emit_with(m, &mut trial_names, &BTreeSet::new())?;
    let unreached: BTreeSet<usize> = (0..m.body.yields.len())
        .filter(|k| !reached.contains(&YieldId(*k as u32)))
        .collect();
    if unreached.is_empty() {
        *names = trial_names;
        return Ok(tokens);
    }
    emit_with(m, names, &unreached).map(|(tokens, _)| tokens)
}

fn emit_with(
    m: &Machine<'_>,
    names: &mut Names,
    skip: &BTreeSet<usize>,
) -> syn::Result<(TokenStream, BTreeSet<YieldId>)> {
    let mut params = BTreeMap::new();
    let mut fields = Vec::new();
    for (k, y) in m.body.yields.iter().enumerate() {
        let mut fs = Vec::new();
        if skip.contains(&k) {
            fields.push(fs);
            continue;
        }
        // Variant fields drop in declaration order, locals in reverse: list them reversed.
        for b in y.stored.iter().rev() {
            params.insert(*b, format_ident!("T"));
            let name = m.body.bindings[b.0 as usize].ident.unraw().to_string();
            fs.push((Ident::new(&name, Span::mixed_site()), *b));
        }
        fields.push(fs);
    }
    for (i, p) in params.values_mut().enumerate() {
        *p = format_ident!("T{}", i);
    }
    let body_label = lifetime(&names.fresh("body").to_string());
    let mut e = Emitter {
        m,
        names,
        frames: Vec::new(),
        body_label,
        body_used: Cell::new(false),
        fields,
        params,
        lets: BTreeMap::new(),
        skip: skip.clone(),
        stores: BTreeSet::new(),
        arm_stores: Vec::new(),
        in_place: None,
        arm: None,
        dispatch: None,
        handoffs: handoffs(m),
        value_spans: BTreeMap::new(),
        printed: std::collections::HashMap::new(),
    };
    let tokens = e.machine();
    // Which yields the start can reach, arm by arm.
    let mut reached = BTreeSet::new();
    let mut work: Vec<YieldId> = e
        .arm_stores
        .first()
        .map(|(_, s)| s.iter().copied().collect())
        .unwrap_or_default();
    while let Some(k) = work.pop() {
        if reached.insert(k) {
            if let Some((_, s)) = e.arm_stores.iter().find(|(entry, _)| *entry == Some(k)) {
                work.extend(s.iter().copied());
            }
        }
    }
    // A closure stored across a yield, whose `let` is emitted in two arms: two types.
    let mut diag = crate::diag::Diag::default();
    for (b, copies) in &e.lets {
        let binding = &m.body.bindings[b.0 as usize];
        let stored = m.body.yields.iter().any(|y| y.stored.contains(b));
        if let Some((span, name)) = binding
            .unique_type
            .as_ref()
            .filter(|_| *copies > 1 && stored)
        {
            diag.error(
                *span,
                format!(
                    "`{name}` holds a closure (or an `async` block, or a `generator!`) that lives across a yield in code the coroutine runs from more than one resume point; each copy of that code would give it a type of its own\nhelp: create it before the loop, or make it in a `fn` that returns `impl ..` and call that here"
                ),
            );
        }
    }
    diag.finish().map(|()| (tokens, reached))
}

impl Emitter<'_> {
    fn machine(&mut self) -> TokenStream {
        let m = self.m;
        let (en, state, arg) = (&m.enum_ident, &m.state, &m.arg);
        let start_params: Vec<Ident> = (0..m.start_fields.len())
            .map(|i| format_ident!("A{}", i))
            .collect();
        let mut all_params: Vec<Ident> = start_params.clone();
        all_params.extend(self.params.values().cloned());
        let start_names: Vec<&Ident> = m.start_fields.iter().map(|(n, _)| n).collect();
        let braced = |fields: TokenStream| {
            if fields.is_empty() {
                fields
            } else {
                quote!({ #fields })
            }
        };
        let start_decl = braced(quote!(#(#start_names: #start_params),*));
        let start_pat = braced(quote!(#(#start_names),*));
        let start_values: Vec<&TokenStream> = m.start_fields.iter().map(|(_, v)| v).collect();
        let start_init = braced(quote!(#(#start_names: #start_values),*));

        let variant = |k: usize| format_ident!("Suspend{}", k);
        let mut variants = Vec::new();
        let mut status_arms = Vec::new();
        let mut debug_arms = Vec::new();
        // Per yield: its place (line, column), and the status arm giving its index.
        let mut places = Vec::new();
        let function = &m.function;
        for (k, fs) in self.fields.iter().enumerate() {
            if self.skip.contains(&k) {
                continue;
            }
            let v = variant(k);
            let fnames: Vec<&Ident> = fs.iter().map(|(f, _)| f).collect();
            let ftys: Vec<&Ident> = fs.iter().map(|(_, b)| &self.params[b]).collect();
            variants.push(if fs.is_empty() {
                quote!(#v)
            } else {
                quote!(#v { #(#fnames: #ftys),* })
            });
            let at = m.body.yields[k].span.start();
            let line = proc_macro2::Literal::u32_unsuffixed(at.line as u32);
            let column = proc_macro2::Literal::u32_unsuffixed(at.column as u32 + 1);
            let index = proc_macro2::Literal::usize_unsuffixed(status_arms.len());
            status_arms.push(quote!(#en::#v { .. } => #index));
            places.push(quote!((#line, #column)));
            let mut in_order: Vec<&(Ident, Bid)> = fs.iter().collect();
            in_order.sort_by_key(|(_, b)| *b);
            let shown: Vec<String> = in_order
                .iter()
                .map(|(_, b)| m.body.bindings[b.0 as usize].name.clone())
                .collect();
            let fnames: Vec<&Ident> = in_order.iter().map(|(f, _)| f).collect();
            debug_arms.push(quote! {
                #en::#v { #(#fnames,)* .. } => &[#((#shown, #fnames)),*]
            });
        }
        let start_shown: Vec<String> = start_names.iter().map(|n| n.to_string()).collect();

        // The arms of the step.
        let mut arms = Vec::new();
        let first_arg = if m.binds_first_arg || is_unit(&m.types.resume) {
            quote!()
        } else {
            quote!(::core::mem::drop(#arg);)
        };
        let start_body = self.fwd_stmts(&m.body.block.stmts);
        arms.push(ArmOut::ByValue(
            quote!(#en::Start),
            start_pat.clone(),
            quote!(#first_arg #start_body),
        ));
        let start_stores = std::mem::take(&mut self.stores);
        self.arm_stores.push((None, start_stores));
        let mut any_in_place = false;
        for k in 0..self.fields.len() {
            if self.skip.contains(&k) {
                continue;
            }
            let v = variant(k);
            let id = YieldId(k as u32);
            self.arm = Some(id);
            let fnames: Vec<Ident> = self.fields[k].iter().map(|(f, _)| f.clone()).collect();
            let pat = if fnames.is_empty() {
                quote!()
            } else {
                quote!({ #(#fnames),* })
            };
            match self.in_place_arm(id) {
                Some((body, touched)) => {
                    any_in_place = true;
                    let binds = self.fields[k].iter().map(|(f, b)| {
                        if touched.contains(b) {
                            let ident = &m.body.bindings[b.0 as usize].ident;
                            quote!(#f: #ident)
                        } else {
                            quote!(#f: _)
                        }
                    });
                    let pat = if fnames.is_empty() {
                        quote!()
                    } else {
                        quote!({ #(#binds),* })
                    };
                    arms.push(ArmOut::Ready(quote!(#en::#v #pat => { #body })));
                }
                None => {
                    let body = self.res_block_inner(&m.body.block, id);
                    arms.push(ArmOut::ByValue(quote!(#en::#v), pat, body));
                }
            }
            let stores = std::mem::take(&mut self.stores);
            self.arm_stores.push((Some(id), stores));
        }
        let done = match m.types.form {
            Form::Iterator | Form::Generator => quote!(#en::Done => (),),
            Form::Coroutine | Form::Task => {
                quote! {
                    // Still complete afterwards: a second resume says the same thing.
                    #en::Done => {
                        *#state = #en::Done;
                        ::resumable::__private::resumed_after_completion()
                    }
                }
            }
        };
        arms.push(ArmOut::Ready(done));
        arms.push(ArmOut::Ready(
            quote!(#en::Poisoned => ::resumable::__private::resumed_after_panicking(),),
        ));

        let body_label = &self.body_label;
        let matched = if any_in_place {
            // Arms stay in program order (inference needs it); those that take their locals
            // by value move the variant out first.
            let arms = arms.into_iter().map(|a| match a {
                ArmOut::Ready(a) => a,
                ArmOut::ByValue(v, pat, body) => quote! {
                    #v { .. } => {
                        let #v #pat = ::core::mem::replace(#state, #en::Poisoned) else {
                            ::core::unreachable!()
                        };
                        #body
                    }
                },
            });
            quote!(match #state { #(#arms)* })
        } else {
            let arms = arms.into_iter().map(|a| match a {
                ArmOut::Ready(a) => a,
                ArmOut::ByValue(v, pat, body) => quote!(#v #pat => { #body }),
            });
            quote! {
                match ::core::mem::replace(#state, #en::Poisoned) {
                    #(#arms)*
                }
            }
        };
        let matched = match (self.body_used.get(), &self.dispatch) {
            (false, None) => matched,
            (true, None) => quote!(#body_label: { #matched }),
            (false, Some(dispatch)) => quote!(#dispatch: loop { break #matched; }),
            (true, Some(dispatch)) => {
                quote!(#dispatch: loop { break (#body_label: { #matched }); })
            }
        };
        let status = if places.is_empty() {
            quote! {
                fn status(&self) -> ::resumable::__private::Status {
                    match self {
                        #en::Start { .. } => ::resumable::__private::Status::NotStarted,
                        #en::Done => ::resumable::__private::Status::Complete,
                        #en::Poisoned => ::resumable::__private::Status::Poisoned,
                    }
                }
            }
        } else {
            // One table of the yields' places; each suspended variant maps to its index.
            let n = proc_macro2::Literal::usize_unsuffixed(places.len());
            quote! {
                fn status(&self) -> ::resumable::__private::Status {
                    static AT: [::resumable::__private::Location; #n] =
                        ::resumable::__private::locations(#function, ::core::file!(), [#(#places),*]);
                    let at = match self {
                        #en::Start { .. } => return ::resumable::__private::Status::NotStarted,
                        #(#status_arms,)*
                        #en::Done => return ::resumable::__private::Status::Complete,
                        #en::Poisoned => return ::resumable::__private::Status::Poisoned,
                    };
                    ::resumable::__private::Status::Suspended(&AT[at])
                }
            }
        };
        // Drained by `next` with a local of the state lent to a call: keep the done flag apart.
        let mut stored = m.body.yields.iter().flat_map(|y| &y.stored);
        let lends = stored.any(|b| m.body.bindings[b.0 as usize].lent);
        let build = if m.drained_by_next && lends {
            quote!(machine_with_done_flag)
        } else {
            quote!(machine)
        };
        let resume_ty = &m.types.resume;
        let arg_pat = if is_unit(resume_ty) {
            quote!(())
        } else {
            quote!(#arg)
        };
        let resume_ann = crate::parse::annotation(&Some(resume_ty.clone()));
        let yield_ann = crate::parse::annotation(&m.types.yield_ty);
        let ret_ann = crate::parse::annotation(&Some(m.types.ret.clone()));
        let generics = if all_params.is_empty() {
            quote!()
        } else {
            quote!(<#(#all_params),*>)
        };
        let debug_bounds = all_params.iter().map(|p| quote!(#p: ::core::fmt::Debug));
        // `generator!` leaves the functions it calls to the step closure (see `generator_block`).
        let capture = matches!(m.types.form, Form::Generator).then(|| quote!(move));
        let step = self.names.fresh("machine");
        let ret = self.names.fresh("ret");
        let items = &m.body.items;
        quote! {
            #(#items)*
            #[derive(Clone)]
            enum #en #generics {
                Start #start_decl,
                #(#variants,)*
                Done,
                Poisoned,
            }
            impl #generics ::resumable::__private::State for #en #generics {
                fn poison(&mut self) {
                    // Resuming a completed coroutine panics too, and leaves it complete.
                    if !::core::matches!(self, #en::Done) {
                        *self = #en::Poisoned;
                    }
                }
                #status
            }
            impl <#(#debug_bounds),*> ::core::fmt::Debug for #en #generics {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    let locals: &[(&str, &dyn ::core::fmt::Debug)] = match self {
                        #en::Start #start_pat => &[#((#start_shown, #start_names)),*],
                        #(#debug_arms,)*
                        #en::Done | #en::Poisoned => &[],
                    };
                    ::resumable::__private::fmt_state(f, #function, ::resumable::__private::State::status(self), locals)
                }
            }
            // `machine`'s where-clause gives the closure its signature, with the state type
            // taken from the start value: that is what lets every local's type be inferred.
            #[allow(unused_mut, unreachable_code, unused_labels, clippy::diverging_sub_expression)]
            let #step = ::resumable::__private::#build::<#resume_ann, #yield_ann, #ret_ann, _, _>(
                #en::Start #start_init,
                #capture |#state, #arg_pat| {
                    let #ret = #matched;
                    *#state = #en::Done;
                    ::resumable::__private::CoroutineState::Complete(#ret)
                },
            );
            #step
        }
    }

    /// Arm `k` emitted in place, if its locals allow: none may be moved (it would have to
    /// leave the state), and each must live until the function ends, since a local in the
    /// state drops only when the state changes; or it is a range's iterator or item (no
    /// `Drop`, `Copy` items).
    fn in_place_arm(&mut self, k: YieldId) -> Option<(TokenStream, BTreeSet<Bid>)> {
        let body = &self.m.body;
        let bids: BTreeSet<Bid> = self.fields[k.0 as usize].iter().map(|(_, b)| *b).collect();
        let fits = bids.iter().all(|b| {
            let binding = &body.bindings[b.0 as usize];
            binding.droppless || (!binding.maybe_moved && binding.scope == body.block.scope)
        });
        if !fits {
            return None;
        }
        let saved = (
            self.names.clone(),
            self.lets.clone(),
            self.stores.clone(),
            self.body_used.get(),
            self.dispatch.clone(),
        );
        self.in_place = Some(InPlace {
            k,
            bids,
            touched: BTreeSet::new(),
            violated: false,
        });
        let out = self.res_block_inner(&body.block, k);
        let ip = self.in_place.take()?;
        if !ip.violated {
            return Some((out, ip.touched));
        }
        let (names, lets, stores, body_used, dispatch) = saved;
        *self.names = names;
        self.lets = lets;
        self.stores = stores;
        self.body_used.set(body_used);
        self.dispatch = dispatch;
        None
    }

    /// Code here binds `binds` anew: an in-place arm cannot, they are `&mut`s into the state.
    fn declare(&mut self, binds: &[Bid]) {
        if let Some(ip) = &mut self.in_place {
            if binds.iter().any(|b| ip.bids.contains(b)) {
                ip.violated = true;
            }
        }
    }

    // ----- bindings ---------------------------------------------------------------

    /// `let` statements moving the locals of `scope` out of yield `k`'s variant.
    fn bindings(&mut self, scope: ScopeId, k: YieldId) -> TokenStream {
        let y = &self.m.body.yields[k.0 as usize];
        let mut out = TokenStream::new();
        for b in &y.visible {
            let binding = &self.m.body.bindings[b.0 as usize];
            if binding.scope != scope {
                continue;
            }
            let ident = &binding.ident;
            let mutability = binding.mutable.then(|| quote!(mut));
            if let Some((pat, e, reads)) = binding.recreate.as_ref().filter(|_| y.live.contains(b))
            {
                let e = self.in_place_reads(e, reads);
                out.extend([quote!(let #pat = #e;)]);
                continue;
            }
            if self.in_place.as_ref().is_some_and(|ip| ip.bids.contains(b)) {
                continue;
            }
            match self.fields[k.0 as usize].iter().find(|(_, fb)| fb == b) {
                Some((field, _)) => {
                    // Kept only for its drop, or to be overwritten: it may never be read.
                    let allow = (!y.live.contains(b))
                        .then(|| quote!(#[allow(unused_variables, unused_assignments)]));
                    out.extend([quote!(#allow let #mutability #ident = #field;)]);
                }
                // Dead here (perhaps moved) but assigned again in this arm: declared for it.
                None if y.assigned_after.contains(b) => {
                    out.extend([quote!(#[allow(unused_variables, clippy::needless_late_init)] let #mutability #ident;)]);
                }
                None => {}
            }
        }
        out
    }

    // ----- forward: run code from its start ---------------------------------------

    fn fwd_block(&mut self, b: &Block) -> TokenStream {
        let stmts = self.with_block_label(b, |e| e.fwd_stmts(&b.stmts));
        let label = &b.label;
        quote!(#label { #stmts })
    }

    fn with_block_label<T>(&mut self, b: &Block, f: impl FnOnce(&mut Self) -> T) -> T {
        if let Some(l) = &b.label {
            self.frames.push(Frame {
                label: Some(l.name.ident.to_string()),
                is_loop: false,
                kind: Kind::Native,
            });
            let out = f(self);
            self.frames.pop();
            out
        } else {
            f(self)
        }
    }

    fn fwd_stmts(&mut self, stmts: &[Stmt]) -> TokenStream {
        let mut out = TokenStream::new();
        // Where this arm stops: after the first statement that always suspends or leaves.
        let end = stmts
            .iter()
            .position(|s| self.cuts(s))
            .map_or(stmts.len(), |i| i + 1);
        for (i, s) in stmts.iter().enumerate() {
            // `let x;` assigned only after the suspension: not declared in this arm.
            if let Stmt::Let {
                init: None, binds, ..
            } = s
            {
                if !binds
                    .iter()
                    .any(|b| stmts[i + 1..end].iter().any(|s| s.mentions(*b)))
                {
                    continue;
                }
            }
            let cut = self.cuts(s);
            // A local the user reads later, but not before this arm suspends: rustc sees this
            // copy of its `let` as unused.
            if let Stmt::Let {
                init: Some(_),
                binds,
                ..
            } = s
            {
                let here = |b: &Bid| stmts[i + 1..end].iter().any(|s| s.mentions(*b));
                let later = |b: &Bid| stmts[end..].iter().any(|s| s.mentions(*b));
                if !cut && binds.iter().any(|b| !here(b) && later(b)) {
                    out.extend([quote!(#[allow(unused_variables)])]);
                }
            }
            let mut stmt = self.fwd_stmt(s, i + 1 == stmts.len() && !cut);
            if cut {
                // Nothing after it runs; as a statement it makes the block diverge too.
                end_with_semi(&mut stmt);
                out.extend([stmt]);
                break;
            }
            out.extend([stmt]);
        }
        out
    }

    fn fwd_stmt(&mut self, s: &Stmt, last: bool) -> TokenStream {
        // A statement that is a yield (`yield_!(v);`, `let x = yield_!(v);`, `x = yield_!(v);`)
        // ends the arm: only the suspension is emitted.
        let yielded: Option<&Expr> = match s {
            Stmt::Expr {
                expr: e @ Expr::Yield { .. },
                ..
            } => Some(e),
            Stmt::Expr {
                expr: Expr::Assign { rhs, .. },
                ..
            } => Some(&**rhs),
            Stmt::Let { init: Some(e), .. } => Some(e),
            _ => None,
        };
        let direct = match yielded {
            Some(Expr::Yield { id, value }) => Some((id, value)),
            _ => None,
        };
        if let Some((id, value)) = direct {
            // A value that always leaves first (`yield_!({ break yield_!(p); y })`): the
            // outer suspension is never reached.
            if value.diverges() {
                let v = self.fwd_expr(value);
                return quote!(#v;);
            }
            return self.suspend(*id, value);
        }
        // The binding or assignment never happens in this arm: only evaluate up to the yield.
        if let Some(e) = yielded.filter(|e| e.diverges()) {
            let e = self.fwd_expr(e);
            return quote!(#e;);
        }
        match s {
            Stmt::Let {
                attrs,
                pat,
                init,
                diverge,
                binds,
            } => {
                for b in binds {
                    *self.lets.entry(*b).or_default() += 1;
                }
                if let Some(ip) = &mut self.in_place {
                    let bindings = &self.m.body.bindings;
                    let ours: Vec<Bid> = binds
                        .iter()
                        .filter(|b| ip.bids.contains(b))
                        .copied()
                        .collect();
                    if !ours.is_empty() && ours.iter().all(|b| bindings[b.0 as usize].droppless) {
                        // A range's iterator or item again: bound under a new name, then
                        // written over the old one (which has no `Drop`).
                        let renamed: Vec<(Ident, Ident)> = ours
                            .iter()
                            .map(|b| {
                                let ident = bindings[b.0 as usize].ident.clone();
                                (
                                    format_ident!("new_{}", ident, span = Span::mixed_site()),
                                    ident,
                                )
                            })
                            .collect();
                        ip.touched.extend(ours);
                        if let (
                            syn::Pat::Ident(p @ syn::PatIdent { subpat: None, .. }),
                            Some(init),
                            None,
                        ) = (&**pat, init, diverge)
                        {
                            let (ident, init) = (&p.ident, self.fwd_expr(init));
                            return quote!(*#ident = #init;);
                        }
                        let mut pat = (**pat).clone();
                        RenameBinders(&renamed).visit_pat_mut(&mut pat);
                        let init = init.as_ref().map(|e| {
                            let e = self.fwd_expr(e);
                            quote!(= #e)
                        });
                        let diverge = diverge.as_ref().map(|d| {
                            let d = self.fwd_expr(d);
                            quote!(else #d)
                        });
                        let (new, old): (Vec<_>, Vec<_>) = renamed.into_iter().unzip();
                        return quote!(#(#attrs)* let #pat #init #diverge; #(*#old = #new;)*);
                    }
                }
                self.declare(binds);
                let init = init.as_ref().map(|e| {
                    let e = self.fwd_expr(e);
                    quote!(= #e)
                });
                let diverge = diverge.as_ref().map(|d| {
                    let d = self.fwd_expr(d);
                    quote!(else #d)
                });
                quote!(#(#attrs)* let #pat #init #diverge;)
            }
            Stmt::Expr { expr, semi } => {
                let e = self.fwd_expr(expr);
                finish_stmt(e, *semi, last, fwd_blocklike(expr))
            }
        }
    }

    fn fwd_expr(&mut self, e: &Expr) -> TokenStream {
        // Evaluated first and always suspends: the rest of the construct is never reached
        // here (and would only be type-checked against a `!` value).
        if let Some(first) = e.first_part().filter(|f| f.diverges()) {
            return self.fwd_expr(first);
        }
        if let Expr::Loop { body, .. } | Expr::While { body, .. } = e {
            if let Some(k) = self.handoff(body) {
                let store = self.store(k);
                let dispatch = self
                    .dispatch
                    .get_or_insert_with(|| lifetime(&self.names.fresh("dispatch").to_string()));
                return quote!({ #store continue #dispatch; });
            }
        }
        match e {
            Expr::Plain(p) => self.plain(p),
            Expr::Yield { id, value } => {
                let stmts = self.suspend(*id, value);
                quote!({ #stmts })
            }
            Expr::Block(b) => self.fwd_block(b),
            Expr::If {
                cond,
                then,
                els,
                binds,
            } => {
                self.declare(binds);
                let cond = self.fwd_expr(cond);
                let then = self.fwd_block(then);
                let els = els.as_ref().map(|e| {
                    let e = self.fwd_expr(e);
                    quote!(else #e)
                });
                quote!(if #cond #then #els)
            }
            Expr::Let { pat, scrut } => {
                let scrut = self.fwd_expr(scrut);
                quote!(let #pat = #scrut)
            }
            Expr::Match { scrut, arms } => {
                let scrut = self.fwd_expr(scrut);
                let arms = self.fwd_arms(arms);
                quote!(match #scrut { #(#arms)* })
            }
            Expr::Loop { label, body } => {
                // A body that always leaves on its first pass (at a yield) runs once here.
                let once = body.diverges() && !body.jumps_out(label.as_ref(), true, true);
                let body = self.native_loop(label, |e| e.fwd_block(body));
                if once {
                    body
                } else {
                    quote!(#label loop #body)
                }
            }
            Expr::While {
                label,
                cond,
                body,
                binds,
            } => {
                self.declare(binds);
                let (cond, body) =
                    self.native_loop(label, |e| (e.fwd_expr(cond), e.fwd_block(body)));
                quote!(#label while #cond #body)
            }
            Expr::Assign { lhs, rhs, .. } => {
                let rhs = self.fwd_expr(rhs);
                let lhs = self.plain(lhs);
                quote!(#lhs = #rhs)
            }
            Expr::Return(v) => {
                let v = v.as_ref().map(|v| self.fwd_expr(v));
                self.ret(v)
            }
            Expr::Break { label, value } => {
                let value = value.as_ref().map(|v| self.fwd_expr(v));
                self.jump(label.as_ref(), false, value.clone())
                    .unwrap_or_else(|| quote!(break #label #value))
            }
        }
    }

    fn native_loop<T>(&mut self, label: &Option<syn::Label>, f: impl FnOnce(&mut Self) -> T) -> T {
        self.frames.push(Frame {
            label: label.as_ref().map(|l| l.name.ident.to_string()),
            is_loop: true,
            kind: Kind::Native,
        });
        let out = f(self);
        self.frames.pop();
        out
    }

    /// `*state = Enum::SuspendK { live locals };`, spanned at the yield so that borrow
    /// errors about the stored locals land there.
    fn store(&mut self, id: YieldId) -> TokenStream {
        self.stores.insert(id);
        let span = self.m.body.yields[id.0 as usize].span;
        let (en, state) = (&self.m.enum_ident, &self.m.state);
        let v = format_ident!("Suspend{}", id.0);
        let held = self.held(id);
        // Leaving an in-place arm: its variant, whose locals this one takes over.
        let from = match &self.in_place {
            // Suspending where it resumed: every local is already in its place.
            Some(ip) if ip.k == id => return held,
            ip => ip.as_ref().map(|ip| ip.k),
        };
        let old = |f: &Ident| format_ident!("old_{}", f, span = Span::mixed_site());
        let mut moved = Vec::new();
        // `field: value` or the shorthand `field`, comma-separated, built in one stream (a
        // stream per field would cost a round trip each).
        let mut inits = TokenStream::new();
        for (i, (f, b)) in self.fields[id.0 as usize].iter().enumerate() {
            use proc_macro2::{Punct, Spacing, TokenTree};
            let ident = &self.m.body.bindings[b.0 as usize].ident;
            let from_field = from.and_then(|k| {
                self.fields[k.0 as usize]
                    .iter()
                    .find(|(_, fb)| fb == b)
                    .map(|(f, _)| f)
            });
            let value = if let Some(from_field) = from_field {
                moved.push(from_field.clone());
                Some(old(from_field))
            } else {
                (ident != f).then(|| ident.clone())
            };
            if i > 0 {
                inits.extend([TokenTree::from(Punct::new(',', Spacing::Alone))]);
            }
            match value {
                Some(value) => inits.extend([
                    TokenTree::from(f.clone()),
                    TokenTree::from(Punct::new(':', Spacing::Alone)),
                    TokenTree::from(value),
                ]),
                // The local's own identifier (its span and hygiene) as the shorthand.
                None => inits.extend([TokenTree::from(ident.clone())]),
            }
        }
        let variant = if self.fields[id.0 as usize].is_empty() {
            quote!(#en::#v)
        } else {
            quote!(#en::#v { #inits })
        };
        if moved.is_empty() {
            return quote_spanned!(span=> #held *#state = #variant;);
        }
        // Leaving an in-place arm for another variant: the locals move over once.
        let olds = moved.iter().map(old);
        let vf = from.map(|k| format_ident!("Suspend{}", k.0));
        quote_spanned! {span=>
            #held
            *#state = match ::core::mem::replace(#state, #en::Poisoned) {
                #en::#vf { #(#moved: #olds,)* .. } => #variant,
                _ => ::core::unreachable!(),
            };
        }
    }

    /// Entering the loop with this body from outside, the yield to hand over to (see
    /// `handoffs`): the entering arm stores that yield's variant and dispatches again instead
    /// of holding its own copy of the loop.
    fn handoff(&self, body: &Block) -> Option<YieldId> {
        tail_yield(body).filter(|k| {
            self.handoffs.contains(k)
                && self.arm != Some(*k)
                && !self.skip.contains(&(k.0 as usize))
        })
    }

    /// Does this arm stop at `s`: it always suspends, leaves or hands over?
    fn cuts(&self, s: &Stmt) -> bool {
        stmt_diverges(s) || matches!(s, Stmt::Expr { expr, .. } if self.leaves(expr))
    }

    /// `Expr::diverges` in this arm, where entering a loop may hand over: code after that is
    /// not emitted, as after a yield. (A hand-over is always in statement position.)
    fn leaves(&self, e: &Expr) -> bool {
        e.diverges()
            || match e {
                Expr::Loop { body, .. } | Expr::While { body, .. } => self.handoff(body).is_some(),
                Expr::Block(b) => self.block_leaves(b),
                Expr::If { then, els, .. } => {
                    self.block_leaves(then) && els.as_ref().is_some_and(|e| self.leaves(e))
                }
                Expr::Match { arms, .. } => {
                    !arms.is_empty() && arms.iter().all(|a| self.leaves(&a.body))
                }
                _ => false,
            }
    }

    fn block_leaves(&self, b: &Block) -> bool {
        b.label.is_none() && b.stmts.iter().any(|s| self.cuts(s))
    }

    /// Borrows re-created after yield `id` are used up to it, as they would be without it.
    fn held(&self, id: YieldId) -> TokenStream {
        let y = &self.m.body.yields[id.0 as usize];
        let body = self.m.body;
        let held = y.live.iter().rev().filter_map(|b| {
            let binding = &body.bindings[b.0 as usize];
            let ident = &binding.ident;
            binding
                .recreate
                .as_ref()
                .map(|_| quote_spanned!(y.span=> ::resumable::__private::hold(&#ident);))
        });
        held.collect()
    }

    /// The arms of a `match`, run from the start.
    fn fwd_arms(&mut self, arms: &[Arm]) -> Vec<TokenStream> {
        arms.iter()
            .map(|a| {
                self.declare(&a.binds);
                let (attrs, pat) = (&a.attrs, &a.pat);
                let guard = a.guard.as_ref().map(|g| {
                    let g = self.plain(g);
                    quote!(if #g)
                });
                let body = self.fwd_expr(&a.body);
                quote!(#(#attrs)* #pat #guard => #body,)
            })
            .collect()
    }

    /// Save the live locals into yield `id`'s variant and hand `value` to the caller.
    fn suspend(&mut self, id: YieldId, value: &Expr) -> TokenStream {
        let span = self.m.body.yields[id.0 as usize].span;
        // (Computing an expression's span prints it: once per yield, not once per copy.)
        let value_span = *self.value_spans.entry(id).or_insert_with(|| match value {
            Expr::Plain(p) => syn::spanned::Spanned::span(&p.expr),
            _ => span,
        });
        // Yielded after the store, unless it is an in-place local (a range loop's item), which
        // a store moving to another variant takes away.
        let in_place = |p: &Plain| {
            self.in_place
                .as_ref()
                .is_some_and(|ip| p.uses.iter().any(|b| ip.bids.contains(b)))
        };
        let simple = matches!(value, Expr::Plain(p) if !in_place(p) && (matches!(&p.expr, syn::Expr::Lit(_)) || scope::is_bare_path(&p.expr)));
        let value = self.fwd_expr(value);
        let store = self.store(id);
        let yielded = |v: TokenStream| quote_spanned!(value_span=> ::resumable::__private::CoroutineState::Yielded(#v));
        if simple {
            let y = yielded(value);
            cat(store, quote!(return #y;))
        } else {
            let tmp = Ident::new("yielded", Span::mixed_site());
            let y = yielded(quote!(#tmp));
            cat(cat(quote!(let #tmp = #value;), store), quote!(return #y;))
        }
    }

    fn ret(&mut self, value: Option<TokenStream>) -> TokenStream {
        self.body_used.set(true);
        let l = &self.body_label;
        quote!(break #l #value)
    }

    /// A `break`/`continue` whose target loop is remapped in this arm; `None` if native.
    fn jump(
        &self,
        label: Option<&Lifetime>,
        is_continue: bool,
        value: Option<TokenStream>,
    ) -> Option<TokenStream> {
        let name = label.map(|l| l.ident.to_string());
        let frame = self.frames.iter().rev().find(|f| match &name {
            Some(n) => f.label.as_deref() == Some(n.as_str()),
            None => f.is_loop,
        })?;
        match &frame.kind {
            Kind::Native => None,
            Kind::Remapped {
                end,
                next,
                end_used,
                next_used,
            } => Some(if is_continue {
                next_used.set(true);
                quote!(break #next)
            } else {
                end_used.set(true);
                quote!(break #end #value)
            }),
        }
    }

    // ----- resume: continue from just after yield `k` -----------------------------

    /// The root block: its locals are bound at the top of the arm.
    fn res_block_inner(&mut self, b: &Block, k: YieldId) -> TokenStream {
        let binds = self.bindings(b.scope, k);
        let rest = self.with_block_label(b, |e| e.res_stmts(&b.stmts, k));
        cat(binds, rest)
    }

    fn res_block(&mut self, b: &Block, k: YieldId) -> TokenStream {
        let inner = self.res_block_inner(b, k);
        let label = &b.label;
        quote!(#label { #inner })
    }

    fn res_stmts(&mut self, stmts: &[Stmt], k: YieldId) -> TokenStream {
        let Some(i) = stmts.iter().position(|s| s.contains(k)) else {
            return TokenStream::new();
        };
        let last = i + 1 == stmts.len();
        let mut out = TokenStream::new();
        match &stmts[i] {
            Stmt::Let {
                attrs,
                pat,
                init,
                diverge,
                binds,
            } => {
                for b in binds {
                    *self.lets.entry(*b).or_default() += 1;
                }
                self.declare(binds);
                if let Some(d) = diverge.as_ref().filter(|d| d.contains(k)) {
                    // Resumed inside `else { .. }`: it diverges, nothing after it runs.
                    return self.res_expr(d, k);
                }
                if let Some(e) = init.as_ref().filter(|e| e.res_diverges(k)) {
                    let e = self.res_expr(e, k);
                    return quote!(#e;);
                }
                let init = init.as_ref().map(|e| self.res_expr(e, k));
                let diverge = diverge.as_ref().map(|d| {
                    let d = self.fwd_expr(d);
                    quote!(else #d)
                });
                // `let .. = { .. } else` is not allowed: the initialiser goes in parentheses.
                let init = if diverge.is_some() {
                    quote!((#init))
                } else {
                    quote!(#init)
                };
                out.extend([quote!(#(#attrs)* let #pat = #init #diverge;)]);
            }
            Stmt::Expr {
                expr: Expr::Yield { id, .. },
                semi,
            } if *id == k && (*semi || !last || is_unit(&self.m.types.resume)) => {
                // `yield_!(v);`: the resume argument is dropped right here.
                if !is_unit(&self.m.types.resume) {
                    let arg = &self.m.arg;
                    out.extend([quote!(::core::mem::drop(#arg);)]);
                }
            }
            Stmt::Expr {
                expr: Expr::Assign { rhs, .. },
                ..
            } if rhs.res_diverges(k) => {
                let e = self.res_expr(rhs, k);
                return quote!(#e;);
            }
            Stmt::Expr { expr, semi } => {
                let e = self.res_expr(expr, k);
                out.extend([finish_stmt(e, *semi, last, res_blocklike(expr, k))]);
            }
        }
        if stmts[i].res_diverges(k) {
            end_with_semi(&mut out);
            return out;
        }
        out.extend([self.fwd_stmts(&stmts[i + 1..])]);
        out
    }

    fn res_expr(&mut self, e: &Expr, k: YieldId) -> TokenStream {
        if let Some(first) = e
            .first_part()
            .filter(|f| f.contains(k) && f.res_diverges(k))
        {
            return self.res_expr(first, k);
        }
        match e {
            Expr::Plain(_) => TokenStream::new(),
            Expr::Yield { id, value } => {
                if *id == k {
                    if is_unit(&self.m.types.resume) {
                        quote!(())
                    } else {
                        self.m.arg.to_token_stream()
                    }
                } else {
                    // Resumed inside the value of an outer yield: finish it, then suspend.
                    let v = self.res_expr(value, k);
                    self.suspend_value(*id, v)
                }
            }
            Expr::Block(b) => self.res_block(b, k),
            Expr::If {
                cond,
                then,
                els,
                binds,
            } => {
                if cond.contains(k) {
                    self.declare(binds);
                    let cond = self.res_expr(cond, k);
                    let then = self.fwd_block(then);
                    let els = els.as_ref().map(|e| {
                        let e = self.fwd_expr(e);
                        quote!(else #e)
                    });
                    quote!(if #cond #then #els)
                } else if then.contains(k) {
                    self.res_block(then, k)
                } else {
                    els.as_ref()
                        .map(|e| self.res_expr(e, k))
                        .unwrap_or_default()
                }
            }
            Expr::Let { pat, scrut } => {
                let scrut = self.res_expr(scrut, k);
                quote!(let #pat = #scrut)
            }
            Expr::Match { scrut, arms } => {
                if scrut.contains(k) {
                    let scrut = self.res_expr(scrut, k);
                    let arms = self.fwd_arms(arms);
                    return quote!(match #scrut { #(#arms)* });
                }
                let Some(arm) = arms.iter().find(|a| a.body.contains(k)) else {
                    return TokenStream::new();
                };
                let binds = self.bindings(arm.scope, k);
                let body = self.res_expr(&arm.body, k);
                let body = if body.to_string() == "()" {
                    TokenStream::new()
                } else {
                    body
                };
                quote!({ #binds #body })
            }
            Expr::Loop { label, body } => match self.rotated(label, body, k) {
                Some(tokens) => tokens,
                None => self.res_loop(
                    label,
                    body.res_diverges(k),
                    |em| em.res_block(body, k),
                    |em| em.fwd_expr(e),
                ),
            },
            Expr::While {
                label,
                cond,
                body,
                binds,
            } => {
                if cond.contains(k) {
                    self.declare(binds);
                    self.res_loop(
                        label,
                        false,
                        |e| {
                            let cond = e.res_expr(cond, k);
                            let body = e.fwd_block(body);
                            let end = e.jump(None, false, None).unwrap_or_default();
                            quote!(if #cond #body else { #end })
                        },
                        |em| em.fwd_expr(e),
                    )
                } else {
                    self.res_loop(
                        label,
                        body.res_diverges(k),
                        |e| e.res_block(body, k),
                        |em| em.fwd_expr(e),
                    )
                }
            }
            Expr::Assign { lhs, rhs, .. } => {
                let rhs = self.res_expr(rhs, k);
                let lhs = self.plain(lhs);
                quote!(#lhs = #rhs)
            }
            Expr::Return(v) => {
                let v = v.as_ref().map(|v| self.res_expr(v, k));
                self.ret(v)
            }
            Expr::Break { label, value } => {
                let value = value.as_ref().map(|v| self.res_expr(v, k));
                self.jump(label.as_ref(), false, value.clone())
                    .unwrap_or_else(|| quote!(break #label #value))
            }
        }
    }

    /// In an in-place arm, a loop `L` resumed inside the inner loop `C` of its body
    /// (`L { before; { pre; C; post } after }`, a `for` in a `for`) is entered at `C`'s head:
    /// `rest of C's pass; L { C; post; after; before; pre }`, one copy of the nest instead of
    /// two. Only where that changes nothing: every `let` in `before`/`pre` re-binds a range
    /// loop's iterator or item (an assignment here), none in `post`/`after`, no `continue`
    /// to `L`, and the rest of `C`'s pass neither leaves `C` nor `L` by a jump.
    fn rotated(
        &mut self,
        label: &Option<syn::Label>,
        body: &Block,
        k: YieldId,
    ) -> Option<TokenStream> {
        let ip = self.in_place.as_ref()?;
        let bindings = &self.m.body.bindings;
        let reassigns = |stmts: &[Stmt]| {
            stmts.iter().all(|s| match s {
                Stmt::Let { binds, init, .. } => {
                    init.is_some()
                        && binds
                            .iter()
                            .all(|b| ip.bids.contains(b) && bindings[b.0 as usize].droppless)
                }
                Stmt::Expr { .. } => true,
            })
        };
        let no_lets = |stmts: &[Stmt]| stmts.iter().all(|s| matches!(s, Stmt::Expr { .. }));
        let p = body.stmts.iter().position(|s| s.contains(k))?;
        let Stmt::Expr { expr, .. } = &body.stmts[p] else {
            return None;
        };
        let (inner, c) = match expr {
            Expr::Block(b) if b.label.is_none() => {
                let c = b.stmts.iter().position(|s| s.contains(k))?;
                (Some(&**b), c)
            }
            Expr::Loop { .. } => (None, 0),
            _ => return None,
        };
        let c_expr = match inner {
            Some(b) => match &b.stmts[c] {
                Stmt::Expr { expr, .. } => expr,
                Stmt::Let { .. } => return None,
            },
            None => expr,
        };
        let Expr::Loop {
            label: c_label,
            body: c_body,
        } = c_expr
        else {
            return None;
        };
        let (pre, post) = match inner {
            Some(b) => (&b.stmts[..c], &b.stmts[c + 1..]),
            None => (&[][..], &[][..]),
        };
        let fits = reassigns(&body.stmts[..p])
            && reassigns(pre)
            && no_lets(post)
            && no_lets(&body.stmts[p + 1..])
            && !body.continues_to(label.as_ref())
            && !c_body.res_diverges(k)
            && !c_body.jumps_after(k, c_label.as_ref(), 0)
            && !c_body.jumps_after(k, label.as_ref(), 1)
            && !c_body.rest_leaves(k, c_label.as_ref(), true);
        // Nothing of those scopes to bind here: their locals are all in the state.
        if !fits
            || !self.bindings(body.scope, k).is_empty()
            || inner.is_some_and(|b| !self.bindings(b.scope, k).is_empty())
        {
            return None;
        }
        let rest = self.native_loop(c_label, |e| e.res_block(c_body, k));
        let looped = self.native_loop(label, |e| {
            let c = e.fwd_expr(c_expr);
            let post = e.fwd_stmts(post);
            let after = e.fwd_stmts(&body.stmts[p + 1..]);
            let before = e.fwd_stmts(&body.stmts[..p]);
            let pre = e.fwd_stmts(pre);
            quote!({ #c; #post #after #before #pre })
        });
        Some(quote!({ #rest #label loop #looped }))
    }

    /// Resuming inside a loop: finish this iteration (`rest`), whose `break`/`continue`
    /// now leave labeled blocks, then run the loop itself again (`again`).
    fn res_loop(
        &mut self,
        label: &Option<syn::Label>,
        rest_leaves: bool,
        rest: impl FnOnce(&mut Self) -> TokenStream,
        again: impl FnOnce(&mut Self) -> TokenStream,
    ) -> TokenStream {
        let end = lifetime(&self.names.fresh("end").to_string());
        let next = lifetime(&self.names.fresh("next").to_string());
        let user_label = label.as_ref().map(|l| l.name.ident.to_string());
        self.frames.push(Frame {
            label: user_label.clone(),
            is_loop: true,
            kind: Kind::Remapped {
                end: end.clone(),
                next: next.clone(),
                end_used: Cell::new(false),
                next_used: Cell::new(false),
            },
        });
        let rest = rest(self);
        let (end_used, next_used) = match self.frames.pop().map(|f| f.kind) {
            Some(Kind::Remapped {
                end_used,
                next_used,
                ..
            }) => (end_used.get(), next_used.get()),
            _ => (false, false),
        };
        self.frames.push(Frame {
            label: user_label,
            is_loop: true,
            kind: Kind::Native,
        });
        // The rest always leaves, and not by `continue`: the loop is not entered again (its
        // code would mention locals that are dead here).
        let again = if rest_leaves && !next_used {
            TokenStream::new()
        } else {
            again(self)
        };
        self.frames.pop();
        let rest = if next_used {
            quote!(#next: { #rest })
        } else {
            rest
        };
        if end_used {
            quote!(#end: { #rest #again })
        } else {
            quote!({ #rest #again })
        }
    }

    // ----- plain code ------------------------------------------------------------

    /// `e`, reading `reads`, with the in-place locals among them as `(*x)`.
    fn in_place_reads<'e>(&mut self, e: &'e syn::Expr, reads: &[Bid]) -> Cow<'e, syn::Expr> {
        let Some(ip) = &mut self.in_place else {
            return Cow::Borrowed(e);
        };
        let here: Vec<Bid> = reads
            .iter()
            .filter(|b| ip.bids.contains(b))
            .copied()
            .collect();
        if here.is_empty() {
            return Cow::Borrowed(e);
        }
        let map = here
            .iter()
            .map(|b| {
                let name = self.m.body.bindings[b.0 as usize].ident.to_string();
                (name.clone(), name)
            })
            .collect();
        let mut e = e.clone();
        let mut r = scope::Renamer::new(&map, true);
        r.visit_expr_mut(&mut e);
        ip.violated |= r.failed;
        ip.touched.extend(here);
        Cow::Owned(e)
    }

    fn plain(&mut self, p: &Plain) -> TokenStream {
        let reads: Vec<Bid> = p.uses.iter().chain(&p.kills).copied().collect();
        let e = self.in_place_reads(&p.expr, &reads);
        if let Cow::Borrowed(e) = e {
            let printed = self
                .printed
                .entry(p as *const Plain)
                .or_insert_with(|| (!needs_rewrite(e)).then(|| settled(e.to_token_stream())));
            if let Some(tokens) = printed {
                return tokens.clone();
            }
        }
        let mut e = e.into_owned();
        let mut r = Rewrite {
            em: self,
            inner: Vec::new(),
        };
        r.visit_expr_mut(&mut e);
        e.into_token_stream()
    }

    fn suspend_value(&mut self, id: YieldId, value: TokenStream) -> TokenStream {
        let store = self.store(id);
        let tmp = Ident::new("yielded", Span::mixed_site());
        quote!({ let #tmp = #value; #store return ::resumable::__private::CoroutineState::Yielded(#tmp); })
    }
}

/// Rewrites yield-free user code for its place in the step closure: `return` and `?`
/// leave the body with the return value, and `break`/`continue` to a loop that is
/// re-entered in this arm leave the labeled blocks standing for it.
struct Rewrite<'e, 'a> {
    em: &'e mut Emitter<'a>,
    /// Loops and labeled blocks inside the code itself: (label, is_loop).
    inner: Vec<(Option<String>, bool)>,
}

impl Rewrite<'_, '_> {
    fn targets_inner(&self, label: Option<&Lifetime>) -> bool {
        match label {
            Some(l) => {
                let name = l.ident.to_string();
                self.inner
                    .iter()
                    .any(|(n, _)| n.as_deref() == Some(name.as_str()))
            }
            None => self.inner.iter().any(|(_, is_loop)| *is_loop),
        }
    }

    fn scoped(&mut self, label: Option<&syn::Label>, is_loop: bool, f: impl FnOnce(&mut Self)) {
        self.inner
            .push((label.map(|l| l.name.ident.to_string()), is_loop));
        f(self);
        self.inner.pop();
    }
}

impl VisitMut for Rewrite<'_, '_> {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        match e {
            syn::Expr::Return(r) => {
                if let Some(v) = &mut r.expr {
                    self.visit_expr_mut(v);
                }
                let v = r.expr.as_ref().map(|v| v.to_token_stream());
                let span = r.return_token.span;
                let tokens = self.em.ret(v);
                *e = syn::Expr::Verbatim(quote_spanned!(span=> #tokens));
            }
            syn::Expr::Try(t) => {
                self.visit_expr_mut(&mut t.expr);
                let inner = &t.expr;
                let span = t.question_token.span;
                self.em.body_used.set(true);
                let l = &self.em.body_label;
                let (v, r) = (
                    Ident::new("value", Span::mixed_site()),
                    Ident::new("residual", Span::mixed_site()),
                );
                *e = syn::Expr::Verbatim(quote_spanned! {span=>
                    match ::resumable::__private::Branch::branch(#inner) {
                        ::core::ops::ControlFlow::Continue(#v) => #v,
                        ::core::ops::ControlFlow::Break(#r) => break #l ::resumable::__private::FromResidual::from_residual(#r),
                    }
                });
            }
            syn::Expr::Break(b) => {
                if let Some(v) = &mut b.expr {
                    self.visit_expr_mut(v);
                }
                if !self.targets_inner(b.label.as_ref()) {
                    let value = b.expr.as_ref().map(|v| v.to_token_stream());
                    if let Some(t) = self.em.jump(b.label.as_ref(), false, value) {
                        *e = syn::Expr::Verbatim(t);
                    }
                }
            }
            syn::Expr::Continue(c) => {
                if !self.targets_inner(c.label.as_ref()) {
                    if let Some(t) = self.em.jump(c.label.as_ref(), true, None) {
                        *e = syn::Expr::Verbatim(t);
                    }
                }
            }
            syn::Expr::Closure(_) | syn::Expr::Async(_) | syn::Expr::Const(_) => {}
            syn::Expr::Loop(l) => {
                let label = l.label.clone();
                self.scoped(label.as_ref(), true, |r| r.visit_block_mut(&mut l.body));
            }
            syn::Expr::While(w) => {
                let label = w.label.clone();
                self.visit_expr_mut(&mut w.cond);
                self.scoped(label.as_ref(), true, |r| r.visit_block_mut(&mut w.body));
            }
            syn::Expr::ForLoop(f) => {
                let label = f.label.clone();
                self.visit_expr_mut(&mut f.expr);
                self.scoped(label.as_ref(), true, |r| r.visit_block_mut(&mut f.body));
            }
            syn::Expr::Block(b) => {
                let label = b.label.clone();
                self.scoped(label.as_ref(), false, |r| r.visit_block_mut(&mut b.block));
            }
            _ => syn::visit_mut::visit_expr_mut(self, e),
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // `return`, `?`, `break` and `continue` among a macro's arguments (`vec![.. return ..]`)
        // need the same rewriting; other macros' tokens are left exactly as written.
        let needs = has_control_tokens(mac.tokens.clone());
        if let Some(mut args) = scope::macro_args(mac).filter(|_| needs) {
            for a in &mut args {
                self.visit_expr_mut(a);
            }
            mac.tokens = quote!(#(#args),*);
        }
    }
}

/// The yield a block ends with, through `if`s and blocks: after it, the block is done.
fn tail_yield(b: &Block) -> Option<YieldId> {
    fn expr(e: &Expr) -> Option<YieldId> {
        match e {
            Expr::Yield { id, .. } => Some(*id),
            Expr::Block(b) => tail_yield(b),
            Expr::If { then, els, .. } => {
                tail_yield(then).or_else(|| els.as_deref().and_then(expr))
            }
            _ => None,
        }
    }
    if b.label.is_some() {
        return None;
    }
    match b.stmts.last()? {
        Stmt::Expr { expr: e, .. } => expr(e),
        Stmt::Let { .. } => None,
    }
}

/// The yields to hand over to. A loop's one yield `k` that ends its pass: after it comes
/// the loop's head, so variant `k` holds exactly what the head needs, provided no local it
/// stores is declared inside the loop. Only in coroutines resumed with `()` (arm `k` would
/// drop an argument the entering arm has used), and only for loops whose value, and that of
/// everything around them, is thrown away (the code cut after a hand-over may be what gives
/// a value its type). The body's tail is the coroutine's return value unless that is `()`.
fn handoffs(m: &Machine<'_>) -> BTreeSet<YieldId> {
    fn block(f: &Body, b: &Block, out: &mut BTreeSet<YieldId>) {
        for s in &b.stmts {
            if let Stmt::Expr { expr: e, .. } = s {
                expr(f, e, out);
            }
        }
    }
    fn expr(f: &Body, e: &Expr, out: &mut BTreeSet<YieldId>) {
        match e {
            Expr::Block(b) => block(f, b, out),
            Expr::If { then, els, .. } => {
                block(f, then, out);
                if let Some(e) = els {
                    expr(f, e, out);
                }
            }
            Expr::Match { arms, .. } => arms.iter().for_each(|a| expr(f, &a.body, out)),
            Expr::Loop { body, .. } | Expr::While { body, .. } => {
                let fits = |k: &YieldId| {
                    let y = &f.yields[k.0 as usize];
                    let alone =
                        (0..f.yields.len() as u32).all(|j| j == k.0 || !e.contains(YieldId(j)));
                    // Scopes are numbered in order, so one at or after the body's is inside it.
                    alone
                        && y.stored.iter().all(|b| {
                            let binding = &f.bindings[b.0 as usize];
                            binding.scope < body.scope && !binding.deferred
                        })
                        && y.visible
                            .iter()
                            .all(|b| f.bindings[b.0 as usize].recreate.is_none())
                };
                out.extend(tail_yield(body).filter(fits));
                block(f, body, out);
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    if !is_unit(&m.types.resume) {
        return out;
    }
    let stmts = &m.body.block.stmts;
    let returned = match stmts.last() {
        Some(Stmt::Expr { semi: false, .. }) if !is_unit(&m.types.ret) => 1,
        _ => 0,
    };
    for s in &stmts[..stmts.len() - returned] {
        if let Stmt::Expr { expr: e, .. } = s {
            expr(m.body, e, &mut out);
        }
    }
    out
}

/// Could `Rewrite` change `e`: does it hold a `return`, `?`, `break` or `continue`
/// (anywhere, closures included), or a macro whose arguments do?
fn needs_rewrite(e: &syn::Expr) -> bool {
    struct Finds(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finds {
        fn visit_expr(&mut self, e: &'ast syn::Expr) {
            match e {
                syn::Expr::Return(_)
                | syn::Expr::Try(_)
                | syn::Expr::Break(_)
                | syn::Expr::Continue(_) => self.0 = true,
                _ if !self.0 => syn::visit::visit_expr(self, e),
                _ => {}
            }
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            self.0 |= has_control_tokens(mac.tokens.clone());
        }
    }
    let mut finds = Finds(false);
    syn::visit::Visit::visit_expr(&mut finds, e);
    finds.0
}

fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(t) if t.elems.is_empty())
}

fn has_control_tokens(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => i == "return" || i == "break" || i == "continue",
        proc_macro2::TokenTree::Punct(p) => p.as_char() == '?',
        proc_macro2::TokenTree::Group(g) => has_control_tokens(g.stream()),
        proc_macro2::TokenTree::Literal(_) => false,
    })
}

/// Appends `;` unless the tokens already end with one.
fn end_with_semi(out: &mut TokenStream) {
    let ends = matches!(out.clone().into_iter().last(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == ';');
    if !ends {
        out.extend([semi_token()]);
    }
}

/// A statement from `e`: the tail keeps no `;`, a block-like expression needs none.
fn finish_stmt(mut e: TokenStream, semi: bool, last: bool, blocklike: bool) -> TokenStream {
    if semi || (!last && !blocklike) {
        e.extend([semi_token()]);
    }
    e
}

/// `tokens`, handed to the compiler now. A stream built token by token keeps its tokens on
/// the macro's side until used, and each use (a clone interpolated) sends them all again;
/// a settled stream is a handle, and its copies cost nothing per token.
fn settled(tokens: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    out.extend([tokens]);
    out
}

/// `;`, as `quote!(;)` spells it.
fn semi_token() -> proc_macro2::TokenTree {
    proc_macro2::Punct::new(';', proc_macro2::Spacing::Alone).into()
}

/// `a` then `b`. In a proc macro, `quote!(#a #b)` copies both streams (a clone each, then
/// a round trip through the compiler per stream); this appends `b` to `a`.
fn cat(mut a: TokenStream, b: TokenStream) -> TokenStream {
    a.extend([b]);
    a
}

fn fwd_blocklike(e: &Expr) -> bool {
    match e {
        Expr::Plain(p) => syn_blocklike(&p.expr),
        Expr::Block(_)
        | Expr::If { .. }
        | Expr::Match { .. }
        | Expr::Loop { .. }
        | Expr::While { .. } => true,
        Expr::Yield { .. } => true,
        _ => false,
    }
}

fn res_blocklike(e: &Expr, k: YieldId) -> bool {
    match e {
        Expr::Yield { id, .. } => *id != k,
        Expr::Block(_)
        | Expr::If { .. }
        | Expr::Match { .. }
        | Expr::Loop { .. }
        | Expr::While { .. } => true,
        _ => false,
    }
}

fn syn_blocklike(e: &syn::Expr) -> bool {
    matches!(
        e,
        syn::Expr::Block(_)
            | syn::Expr::If(_)
            | syn::Expr::Match(_)
            | syn::Expr::Loop(_)
            | syn::Expr::While(_)
            | syn::Expr::ForLoop(_)
            | syn::Expr::Unsafe(_)
            | syn::Expr::Const(_)
            | syn::Expr::TryBlock(_)
    ) || matches!(e, syn::Expr::Macro(m) if matches!(m.mac.delimiter, syn::MacroDelimiter::Brace(_)))
}
