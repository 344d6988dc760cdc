//! Borrows of locals across a yield point, read from the syntax.
//!
//! A state variant cannot hold a reference into another of its own fields, so:
//! - a local that is a plain borrow of another local (`let r = &v;`, `&mut v.a.0`) is not
//!   stored: it is re-created from `v` at the top of each arm where it is live
//!   (`Binding::recreate`), and `v` is kept wherever `r` is;
//! - `for x in &v` / `&mut v` / `v.iter()` / `v.iter_mut()` with a yield in the body keeps
//!   a position instead of a borrowing iterator (`for_by_position`), and `x` is
//!   re-created from `v` and the position;
//! - any other local that holds a borrow of a local known to own its value, stored at a
//!   yield, is reported with the borrow and the yield (`check`).
//!
//! Before: `let r = &v.a; yield_!(1); r.len()`
//! After (the resumed arm): `let v = v; let r = &v.a; r.len()`

use syn::ext::IdentExt;
use syn::{Expr, Ident, Pat};

use crate::diag::{self, Diag};
use crate::ir::{Bid, Body};
use crate::scope;

/// A local's borrow of an owned local.
#[derive(Clone)]
pub struct Borrow {
    /// The owned local.
    pub owner: Bid,
    /// The borrowing expression, for the error's span (a range, on stable too).
    pub expr: proc_macro2::TokenStream,
    /// The local is a `for` loop's iterator.
    pub in_for: bool,
}

/// What a local is known to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ownership {
    /// Its own value (`vec![..]`, `String::new()`, an argument of type `Vec<T>`): a borrow
    /// of it stored in the state is a borrow of the state itself.
    Owned,
    /// A reference (`&x`, an argument of type `&T`, `&self`).
    Reference,
    /// Cannot tell from the syntax.
    Unknown,
}

/// An argument's ownership, from its declared type.
pub fn of_type(ty: &syn::Type, generics: &syn::Generics) -> Ownership {
    match ty {
        syn::Type::Reference(_) => Ownership::Reference,
        syn::Type::Paren(p) => of_type(&p.elem, generics),
        // A type with a reference or a lifetime inside (`(&str, u32)`, `Str<'a>`) may hand
        // out borrows that are not borrows of the argument itself.
        _ if has_borrow(quote::ToTokens::to_token_stream(ty)) => Ownership::Unknown,
        syn::Type::Array(_) | syn::Type::Tuple(_) => Ownership::Owned,
        syn::Type::Path(p) if p.qself.is_none() => {
            // A type parameter may stand for a reference.
            let generic = p
                .path
                .get_ident()
                .is_some_and(|i| generics.type_params().any(|t| t.ident == *i) || i == "Self");
            if generic {
                Ownership::Unknown
            } else {
                Ownership::Owned
            }
        }
        _ => Ownership::Unknown,
    }
}

fn all_owned<'a>(mut es: impl Iterator<Item = &'a Expr>) -> Ownership {
    if es.all(|e| of_init(e) == Ownership::Owned) {
        Ownership::Owned
    } else {
        Ownership::Unknown
    }
}

fn has_borrow(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Punct(p) => p.as_char() == '&' || p.as_char() == '\'',
        proc_macro2::TokenTree::Group(g) => has_borrow(g.stream()),
        _ => false,
    })
}

/// A `let` initialiser's ownership.
pub fn of_init(e: &Expr) -> Ownership {
    const OWNING_METHODS: &[&str] = &[
        "to_vec",
        "to_string",
        "to_owned",
        "collect",
        "into_owned",
        "to_uppercase",
        "to_lowercase",
        "repeat",
        "concat",
    ];
    const CONSTRUCTORS: &[&str] = &["new", "from", "with_capacity", "default", "from_iter"];
    match e {
        Expr::Reference(_) => Ownership::Reference,
        Expr::Lit(l) if matches!(l.lit, syn::Lit::Str(_) | syn::Lit::ByteStr(_)) => {
            Ownership::Reference
        }
        Expr::Lit(_) => Ownership::Owned,
        // `(&a, 1)`, `(s, 1)` may hold a reference that is not a borrow of the tuple.
        Expr::Array(a) => all_owned(a.elems.iter()),
        Expr::Tuple(t) => all_owned(t.elems.iter()),
        Expr::Struct(st) if st.rest.is_none() => all_owned(st.fields.iter().map(|f| &f.expr)),
        Expr::Repeat(r) => of_init(&r.expr),
        Expr::Macro(m)
            if m.mac
                .path
                .get_ident()
                .is_some_and(|i| i == "vec" || i == "format") =>
        {
            Ownership::Owned
        }
        Expr::Call(c) => match &*c.func {
            // `Vec::new()`, `String::from(..)`, `VecDeque::with_capacity(..)`
            Expr::Path(p)
                if p.path.segments.len() >= 2
                    && p.path
                        .segments
                        .last()
                        .is_some_and(|s| CONSTRUCTORS.contains(&s.ident.to_string().as_str())) =>
            {
                Ownership::Owned
            }
            _ => Ownership::Unknown,
        },
        Expr::MethodCall(m) if OWNING_METHODS.contains(&m.method.to_string().as_str()) => {
            Ownership::Owned
        }
        Expr::Paren(p) => of_init(&p.expr),
        _ => Ownership::Unknown,
    }
}

/// `v`, `v.a.b`, `v.0`: the local a place is rooted at.
pub fn place_root(e: &Expr) -> Option<&Ident> {
    match e {
        Expr::Field(f) => place_root(&f.base),
        Expr::Paren(p) => place_root(&p.expr),
        other => scope::bare_ident(other),
    }
}

/// `&v`, `&mut v`, `&v.a.b`, `&mut v.0`: a borrow that can be taken again after a resume.
pub fn reborrow_root(e: &Expr) -> Option<&Ident> {
    match e {
        Expr::Reference(r) => place_root(&r.expr),
        Expr::Paren(p) => reborrow_root(&p.expr),
        _ => None,
    }
}

/// An initialiser that holds a borrow of a local: `&v[0]`, `&mut v.a[i]`, `v.iter()`,
/// `v.as_slice()`, `v.iter().map(..)`. Returns the local and the borrowing expression.
pub fn borrowed_root(e: &Expr) -> Option<(&Ident, &Expr)> {
    borrowing(e).map(|(i, e, _)| (i, e))
}

/// [`borrowed_root`], and whether the value is a lazy iterator (whose adapters keep the
/// borrow, where `v.first().map(..)` does not).
fn borrowing(e: &Expr) -> Option<(&Ident, &Expr, bool)> {
    // Methods returning an iterator that borrows the receiver.
    const ITERATING: &[&str] = &[
        "iter",
        "iter_mut",
        "chars",
        "char_indices",
        "bytes",
        "lines",
        "split",
        "split_whitespace",
        "windows",
        "chunks",
        "chunks_mut",
        "keys",
        "values",
        "values_mut",
        "drain",
    ];
    // Methods returning a borrow of the receiver (a slice, a guard, an option of one).
    const BORROWING: &[&str] = &[
        "as_slice",
        "as_mut_slice",
        "as_str",
        "as_mut_str",
        "as_bytes",
        "as_ref",
        "as_mut",
        "as_deref",
        "as_deref_mut",
        "borrow",
        "borrow_mut",
        "first",
        "first_mut",
        "last",
        "last_mut",
        "trim",
        "trim_start",
        "trim_end",
        "split_at",
        "split_at_mut",
        "split_first",
        "split_last",
    ];
    // Lazy iterator adapters: the result still holds the receiver's borrow.
    const ADAPTERS: &[&str] = &[
        "map",
        "filter",
        "filter_map",
        "enumerate",
        "rev",
        "skip",
        "take",
        "step_by",
        "zip",
        "chain",
        "peekable",
        "copied",
        "cloned",
        "skip_while",
        "take_while",
        "map_while",
        "flat_map",
        "flatten",
        "fuse",
        "inspect",
        "scan",
    ];
    match e {
        Expr::Reference(r) => indexed_root(&r.expr).map(|i| (i, e, false)),
        Expr::Paren(p) => borrowing(&p.expr),
        // `IntoIterator::into_iter(v.iter())`, as the `for` desugaring writes it.
        Expr::Call(c)
            if c.args.len() == 1
                && matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "into_iter")) =>
        {
            borrowing(&c.args[0])
        }
        Expr::MethodCall(m) => {
            let method = m.method.to_string();
            let recv = match &*m.receiver {
                Expr::Reference(r) => &*r.expr,
                other => other,
            };
            if ITERATING.contains(&method.as_str()) {
                indexed_root(recv).map(|i| (i, e, true))
            } else if BORROWING.contains(&method.as_str())
                // `v.get(i)`, not `cell.get()`
                || (matches!(method.as_str(), "get" | "get_mut") && m.args.len() == 1)
            {
                indexed_root(recv).map(|i| (i, e, false))
            } else if ADAPTERS.contains(&method.as_str()) {
                borrowing(&m.receiver)
                    .filter(|(_, _, iter)| *iter)
                    .map(|(i, _, _)| (i, e, true))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `v`, `v.a`, `v[i]`, `v.a[1..]`: the local a place (with indexing) is rooted at.
fn indexed_root(e: &Expr) -> Option<&Ident> {
    match e {
        Expr::Index(i) => indexed_root(&i.expr),
        Expr::Field(f) => indexed_root(&f.base),
        Expr::Paren(p) => indexed_root(&p.expr),
        other => scope::bare_ident(other),
    }
}

/// `for PAT in &v` / `&mut v` / `v.iter()` / `v.iter_mut()`: the iterated place and
/// whether it is walked mutably.
pub fn positioned(e: &Expr) -> Option<(&Expr, bool)> {
    match e {
        Expr::Reference(r) => place_root(&r.expr).map(|_| (&*r.expr, r.mutability.is_some())),
        Expr::MethodCall(m)
            if m.args.is_empty()
                && m.turbofish.is_none()
                && (m.method == "iter" || m.method == "iter_mut") =>
        {
            place_root(&m.receiver).map(|_| (&*m.receiver, m.method == "iter_mut"))
        }
        Expr::Paren(p) => positioned(&p.expr),
        _ => None,
    }
}

/// The names a pattern binds under a `&` pattern: values copied (or moved) out of the
/// reference, not borrows.
pub fn copied_out(pat: &Pat) -> Vec<String> {
    struct Refs(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Refs {
        fn visit_pat_reference(&mut self, r: &'ast syn::PatReference) {
            for b in scope::pat_bindings(&r.pat) {
                // `&ref x` still borrows.
                if !b.by_ref {
                    self.0.push(b.ident.unraw().to_string());
                }
            }
        }
    }
    let mut refs = Refs(Vec::new());
    syn::visit::Visit::visit_pat(&mut refs, pat);
    refs.0
}

/// Reports each local that holds a borrow of an owned local and is stored at a yield.
pub fn check(body: &Body, diag: &mut Diag) {
    let mut reported = std::collections::BTreeSet::<Bid>::new();
    for y in &body.yields {
        for b in &y.stored {
            let binding = &body.bindings[b.0 as usize];
            let Some(borrow) = &binding.borrows else {
                continue;
            };
            if !reported.insert(*b) {
                continue;
            }
            let root = &body.bindings[borrow.owner.0 as usize].name;
            let what = match borrow.in_for {
                true => "this `for` loop's iterator".to_string(),
                false => format!("`{}`", binding.name),
            };
            let mut e = syn::Error::new_spanned(&borrow.expr, diag::self_borrow(&what, root));
            e.combine(syn::Error::new(
                y.span,
                "the coroutine suspends here, with that borrow still in use",
            ));
            diag.push(e);
        }
    }
}
