//! Recursive delegation on a trampoline: a function that delegates to itself runs as a
//! stack of its own frames, and a value yielded at any depth goes straight to the caller.
//!
//! Before:
//! ```text
//! fn walk(t: &Tree, n: u32) -> impl Iterator<Item = u64> {
//!     yield_from!(Box::new(walk(t, left)));
//!     yield_!(val);
//! }
//! ```
//! After (the frame yields `Step`s; its state enum and step closure are what `emit` makes):
//! ```text
//! fn walk(t: &Tree, n: u32) -> impl Iterator<Item = u64> {
//!     ::resumable::__private::trampoline::<(), _, _, _>((t, n,), |(t, n,)| {
//!         /* enum Walk { .. } */
//!         machine::<(), Step<u64, _, ()>, (), _, _>(Walk::Start { t, n }, |state, ()| ..
//!             yield_!(Step::<_, (&Tree, u32,), ()>::Call((t, left,), ()));   // push a frame
//!             yield_!(Step::Yield(val));                                     // out to the caller
//!         ..)
//!     })
//! }
//! ```
//! A call after which the frame only completes, storing nothing, becomes `Step::TailCall`
//! (see `tail_calls`): the new frame replaces the caller's.
//!
//! The frame is resumed with `()` when the function takes and returns `()`; otherwise with
//! `Resume<A, R>`: `yield_!` evaluates to `Resume::into_arg(..)`, a recursive `yield_from!`
//! to `Resume::into_return(..)` (the called frame's return value).
//!
//! What stays as nested, level-by-level delegation (`Box<dyn ..>`): a recursive call in
//! method syntax (`self.walk(..)`: autoref cannot be told from syntax), with a turbofish, or
//! as a bare `walk(..)` in a function with a receiver or mentioning `Self` (there a bare name
//! is a free function, not this one: write `Self::walk(..)`).

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::{Expr as SynExpr, FnArg, Ident, Pat, Token};

use super::{macro_kind, Lowerer, MacroKind};
use crate::ir::{Block, Expr, Stmt};
use crate::parse::{annotation, Form, Types};

/// What the lowering needs to turn recursive calls into frame pushes.
#[derive(Clone)]
pub struct Plan {
    function: String,
    /// Frames are resumed with `Resume<A, R>`, not `()`.
    tagged: bool,
    /// The declared parameter types (`_` where they cannot be spelled): the recursive call's
    /// arguments coerce to them, as they would in a call.
    params: Vec<TokenStream>,
    /// May a bare `f(..)` name this function?
    bare: bool,
}

/// The plan for `item` when its body delegates to itself in a form the trampoline serves.
pub fn plan(item: &syn::ItemFn, types: &Types) -> Option<Plan> {
    let function = types.function.clone()?;
    let sig = &item.sig;
    let mentions_self = {
        let mut idents = std::collections::HashSet::new();
        collect(sig.to_token_stream(), &mut idents);
        idents.contains("Self")
    };
    let receiver = sig.inputs.iter().any(|i| matches!(i, FnArg::Receiver(_)));
    let plan = Plan {
        tagged: !(is_unit(&types.resume) && is_unit(&types.ret)),
        params: sig
            .inputs
            .iter()
            .map(|i| match i {
                FnArg::Receiver(r) => annotation(&Some((*r.ty).clone())),
                FnArg::Typed(t) => annotation(&Some((*t.ty).clone())),
            })
            .collect(),
        bare: !receiver && !mentions_self && !shadows(&item.block, &function),
        function,
    };
    let mut find = Find {
        plan: &plan,
        form: types.form,
        found: false,
    };
    find.visit_block(&item.block);
    find.found.then_some(plan)
}

/// `#[coroutine(arg = PAT)]`: the first resume's argument, out of its `Resume` if tagged.
pub fn first_arg(plan: &Plan, pat: &Pat, arg: &Ident) -> syn::Stmt {
    if plan.tagged {
        syn::parse_quote!(let #pat = ::resumable::__private::Resume::into_arg(#arg);)
    } else {
        syn::parse_quote!(let #pat = #arg;)
    }
}

/// The types the frame's machine is written against: it yields `Step`s and is resumed with
/// `()` or `Resume<A, R>`.
pub fn frame_types(types: &Types, plan: &Plan) -> Types {
    let (a, y, r) = (
        annotation(&Some(types.resume.clone())),
        annotation(&types.yield_ty),
        annotation(&Some(types.ret.clone())),
    );
    let resume = if plan.tagged {
        syn::parse_quote!(::resumable::__private::Resume<#a, #r>)
    } else {
        syn::parse_quote!(())
    };
    Types {
        form: types.form,
        resume,
        yield_ty: Some(syn::parse_quote!(::resumable::__private::Step<#y, _, #a>)),
        ret: types.ret.clone(),
        auto_traits: types.auto_traits.clone(),
        function: types.function.clone(),
        arg_ownership: types.arg_ownership.clone(),
    }
}

/// The function's body: the frames' machine (`machine`, from `emit`, built from the start
/// fields) run on a trampoline whose root frame gets the arguments `roots`.
pub fn wrap(
    frame_types: &Types,
    fields: &[Ident],
    roots: &[TokenStream],
    machine: TokenStream,
) -> TokenStream {
    let resume = &frame_types.resume;
    quote! {
        // Recursive `yield_from!`: this function's frames on one stack, the innermost resumed.
        ::resumable::__private::trampoline::<#resume, _, _, _>((#(#roots,)*), |(#(#fields,)*)| {
            #machine
        })
    }
}

impl Lowerer<'_> {
    /// `yield_!(v)`'s value: `Step::Yield(v)` in a frame.
    pub(super) fn step_yield(&self, value: SynExpr) -> SynExpr {
        if self.trampoline.is_none() {
            return value;
        }
        let span = syn::spanned::Spanned::span(&value);
        // The declared types, so that a mismatch is reported on the value, as without `Step`.
        let (y, a) = (
            annotation(&self.types.yield_ty),
            annotation(&Some(self.types.resume.clone())),
        );
        syn::parse_quote_spanned!(span=> ::resumable::__private::Step::<#y, _, #a>::Yield(#value))
    }

    /// What a suspension evaluates to once resumed: in a frame resumed with `Resume<A, R>`,
    /// its argument (`yield_!`) or the called frame's return value (`yield_from!`).
    pub(super) fn resumed(&mut self, suspension: Expr, returned: bool) -> Expr {
        if !self.trampoline.as_ref().is_some_and(|p| p.tagged) {
            return suspension;
        }
        let scope = self.push_scope();
        let tmp = self.names.fresh("resumed");
        let mut pat: Pat = syn::parse_quote!(#tmp);
        let binds = self.bind(&mut pat, false);
        let take = if returned {
            quote!(into_return)
        } else {
            quote!(into_arg)
        };
        let tail = self.plain(syn::parse_quote!(::resumable::__private::Resume::#take(#tmp)));
        self.scopes.pop();
        Expr::Block(Box::new(Block {
            scope,
            label: None,
            stmts: vec![
                Stmt::Let {
                    attrs: Vec::new(),
                    pat: Box::new(pat),
                    binds,
                    init: Some(suspension),
                    diverge: None,
                },
                Stmt::Expr {
                    expr: Expr::Plain(Box::new(tail)),
                    semi: false,
                },
            ],
        }))
    }

    /// `yield_from!(Box::new(f(args)), first)` calling this function: a suspension that asks
    /// the trampoline for a frame `f(args)` resumed with `first`; `None` if not such a call.
    pub(super) fn recursive_call(&mut self, args: &[SynExpr], span: Span) -> Option<Expr> {
        let plan = self.trampoline.as_ref()?;
        let call = self_call(plan, &args[0])?;
        let iterator = matches!(self.types.form, Form::Iterator | Form::Generator);
        let first = match args.get(1) {
            // An iterator's `yield_from!` takes no first argument: today's path reports it.
            Some(_) if iterator => return None,
            Some(first) => quote!(#first),
            None if iterator => quote!(()),
            None => quote!(::core::default::Default::default()),
        };
        let a = annotation(&Some(self.types.resume.clone()));
        let params = &plan.params;
        let call_args = call.args.iter();
        // Arguments, then the first resume argument: the order of the nested form.
        let request: SynExpr = syn::parse_quote_spanned! {span=>
            ::resumable::__private::Step::<_, (#(#params,)*), #a>::Call((#(#call_args,)*), #first)
        };
        let suspension = self.suspension(request, span);
        Some(self.resumed(suspension, true))
    }
}

/// Tail calls: a recursive call in a frame resumed with `()`, after which the function only
/// completes (the last statement of the body, through `if`, `match` and plain blocks) and
/// where the frame stores no local, becomes `Step::TailCall`: the trampoline replaces the
/// frame instead of stacking one that would only be resumed to return.
///
/// Runs after liveness, which says what each yield stores.
pub fn tail_calls(plan: &Plan, body: &mut crate::ir::Body) {
    if plan.tagged {
        return;
    }
    let crate::ir::Body { block, yields, .. } = body;
    let empty = |k: crate::ir::YieldId| yields[k.0 as usize].stored.is_empty();
    tail_block(block, &empty);
}

fn tail_block(b: &mut Block, empty: &dyn Fn(crate::ir::YieldId) -> bool) {
    if b.label.is_some() {
        return;
    }
    if let Some(Stmt::Expr { expr, .. }) = b.stmts.last_mut() {
        tail_expr(expr, empty);
    }
}

fn tail_expr(e: &mut Expr, empty: &dyn Fn(crate::ir::YieldId) -> bool) {
    match e {
        Expr::Yield { id, value } if empty(*id) => {
            let Expr::Plain(p) = &mut **value else { return };
            let SynExpr::Call(call) = &mut p.expr else {
                return;
            };
            let SynExpr::Path(path) = &mut *call.func else {
                return;
            };
            let segs = &mut path.path.segments;
            let ours = segs.len() == 4
                && segs[0].ident == "resumable"
                && segs[1].ident == "__private"
                && segs[2].ident == "Step"
                && segs[3].ident == "Call";
            if ours {
                let span = segs[3].ident.span();
                segs[3].ident = Ident::new("TailCall", span);
            }
        }
        Expr::If { then, els, .. } => {
            tail_block(then, empty);
            if let Some(els) = els {
                tail_expr(els, empty);
            }
        }
        Expr::Block(b) => tail_block(b, empty),
        Expr::Match { arms, .. } => {
            for arm in arms {
                tail_expr(&mut arm.body, empty);
            }
        }
        _ => {}
    }
}

/// `Box::new(f(..))` or `f(..)` where `f` is the planned function, named `f` (when that may
/// be it) or `Self::f`, without a turbofish.
fn self_call<'e>(plan: &Plan, e: &'e SynExpr) -> Option<&'e syn::ExprCall> {
    let e = match e {
        SynExpr::Call(c) if is_box_new(&c.func) && c.args.len() == 1 => &c.args[0],
        e => e,
    };
    let SynExpr::Call(call) = e else { return None };
    let SynExpr::Path(p) = &*call.func else {
        return None;
    };
    if p.qself.is_some()
        || p.path.leading_colon.is_some()
        || p.path
            .segments
            .iter()
            .any(|s| !matches!(s.arguments, syn::PathArguments::None))
        || call.args.len() != plan.params.len()
    {
        return None;
    }
    let segs: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.unraw().to_string())
        .collect();
    let ours = match segs.as_slice() {
        [f] => plan.bare && *f == plan.function,
        [s, f] => s == "Self" && *f == plan.function,
        _ => false,
    };
    ours.then_some(call)
}

fn is_box_new(func: &SynExpr) -> bool {
    let SynExpr::Path(p) = func else { return false };
    let segs: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segs.len() >= 2 && segs[segs.len() - 2] == "Box" && segs[segs.len() - 1] == "new"
}

/// Finds a recursive `yield_from!` the trampoline serves, where a yield may stand.
struct Find<'p> {
    plan: &'p Plan,
    form: Form,
    found: bool,
}

impl<'ast> Visit<'ast> for Find<'_> {
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let kind = macro_kind(m, self.form);
        if kind.is_none() && !super::is_vec_macro(m) {
            return;
        }
        let Ok(args) = m.parse_body_with(Punctuated::<SynExpr, Token![,]>::parse_terminated) else {
            return;
        };
        if kind == Some(MacroKind::YieldFrom) {
            self.found |= args
                .first()
                .is_some_and(|a| self_call(self.plan, a).is_some());
        }
        args.iter().for_each(|a| self.visit_expr(a));
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// Does the body declare a local or an item named `function` (which a bare call may name)?
fn shadows(block: &syn::Block, function: &str) -> bool {
    struct Shadow<'f> {
        function: &'f str,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Shadow<'_> {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            self.found |= p.ident.unraw() == self.function;
            syn::visit::visit_pat_ident(self, p);
        }
        fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
            self.found |= f.sig.ident.unraw() == self.function;
        }
        fn visit_use_name(&mut self, u: &'ast syn::UseName) {
            self.found |= u.ident.unraw() == self.function;
        }
        fn visit_use_rename(&mut self, u: &'ast syn::UseRename) {
            self.found |= u.rename.unraw() == self.function;
        }
    }
    let mut s = Shadow {
        function,
        found: false,
    };
    s.visit_block(block);
    s.found
}

fn collect(tokens: TokenStream, out: &mut std::collections::HashSet<String>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(i) => {
                out.insert(i.unraw().to_string());
            }
            proc_macro2::TokenTree::Group(g) => collect(g.stream(), out),
            _ => {}
        }
    }
}

fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(t) if t.elems.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(item: &str) -> Option<Plan> {
        let item: syn::ItemFn = syn::parse_str(item).expect("test item parses");
        let mut types =
            crate::parse::read_return_type(&item.sig.output, Span::call_site()).expect("form");
        types.function = Some(item.sig.ident.unraw().to_string());
        plan(&item, &types)
    }

    fn uses_trampoline(call: &str) -> bool {
        planned(&format!(
            "fn walk(n: u32) -> impl Iterator<Item = u32> {{ yield_from!({call}); }}"
        ))
        .is_some()
    }

    #[test]
    fn recursive_calls_the_trampoline_serves() {
        assert!(uses_trampoline("Box::new(walk(n - 1))"));
        assert!(uses_trampoline("::std::boxed::Box::new(walk(n - 1))"));
        assert!(uses_trampoline("walk(n - 1)"));
        assert!(uses_trampoline("Self::walk(n - 1)"));
        assert!(uses_trampoline("r#walk(n)"));
    }

    #[test]
    fn calls_that_keep_nested_delegation() {
        assert!(!uses_trampoline("Box::new(x.walk(n))")); // method syntax
        assert!(!uses_trampoline("Box::new(walk::<u8>(n))")); // turbofish
        assert!(!uses_trampoline("Box::new(other::walk(n))")); // another path
        assert!(!uses_trampoline("Box::new(walk(n, 1))")); // not this signature
        assert!(!uses_trampoline("Box::new(walker(n))"));
        assert!(!uses_trampoline("|| walk(n)")); // not a call
    }

    #[test]
    fn a_bare_name_is_not_this_function_where_it_may_be_another() {
        // A receiver or `Self` in the signature: inside an `impl`, a bare name is a free fn.
        let method = "fn walk(&self, n: u32) -> impl Iterator<Item = u32> + '_ { yield_from!(walk(self, n)); }";
        assert!(planned(method).is_none());
        let with_self = "fn walk(n: u32) -> impl Iterator<Item = Self> { yield_from!(walk(n)); }";
        assert!(planned(with_self).is_none());
        let self_path = "fn walk(&self, n: u32) -> impl Iterator<Item = u32> + '_ { yield_from!(Self::walk(self, n)); }";
        assert!(planned(self_path).is_some());
        // A local or item of that name.
        let local = "fn walk(n: u32) -> impl Iterator<Item = u32> { let walk = |k| 0..k; yield_from!(walk(n)); }";
        assert!(planned(local).is_none());
        let item = "fn walk(n: u32) -> impl Iterator<Item = u32> { fn walk(k: u32) -> std::ops::Range<u32> { 0..k } yield_from!(walk(n)); }";
        assert!(planned(item).is_none());
    }

    #[test]
    fn only_where_a_yield_may_stand() {
        let in_closure =
            "fn walk(n: u32) -> impl Iterator<Item = u32> { let f = || yield_from!(walk(n)); }";
        assert!(planned(in_closure).is_none());
        let nested = "fn walk(n: u32) -> impl Iterator<Item = u32> { yield_!(vec![yield_from!(walk(n))].len() as u32); }";
        assert!(planned(nested).is_some());
    }

    #[test]
    fn frames_are_resumed_with_unit_only_when_nothing_goes_in_or_out() {
        let tagged = |ret: &str| {
            planned(&format!(
                "fn walk(n: u32) -> {ret} {{ yield_from!(walk(n)); }}"
            ))
            .expect("planned")
            .tagged
        };
        assert!(!tagged("impl Iterator<Item = u32>"));
        assert!(!tagged("impl Coroutine<Yield = u32>"));
        assert!(tagged("impl Coroutine<Yield = u32, Return = u8>"));
        assert!(tagged("impl Coroutine<i32, Yield = u32>"));
    }
}
