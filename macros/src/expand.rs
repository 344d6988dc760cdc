//! Runs the passes in order: the only file that knows the order.
//!
//! parse → analyse → lower (desugar, names, IR) → liveness → emit. Errors from any pass
//! become `compile_error!`s next to a fallback item with the user's signature, so callers
//! see one error, ours.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{FnArg, Pat};

use crate::analyse::{self, RenameSelf};
use crate::args::Args;
use crate::borrow::{self, Ownership};
use crate::diag::{self, Diag};
use crate::emit::{self, Machine};
use crate::liveness;
use crate::lower::trampoline;
use crate::lower::{Lowerer, Names};
use crate::parse::{self, Form};

/// `#[coroutine]` on a function.
pub fn coroutine(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: syn::ItemFn = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let err = syn::Error::new(
                Span::call_site(),
                "`#[resumable::coroutine]` applies to a function with a body",
            )
            .to_compile_error();
            return quote!(#err #input);
        }
    };
    match coroutine_fn(args, item, input.clone()) {
        Ok(tokens) => tokens,
        Err(e) => {
            let err = e.to_compile_error();
            // The function as written, parsed again: cheaper on the error path alone than a
            // copy of its tree on every expansion.
            let fallback = match syn::parse2(input) {
                Ok(item) => fallback_fn(item),
                Err(e) => e.to_compile_error(),
            };
            quote!(#err #fallback)
        }
    }
}

/// `generator! { .. }`.
pub fn generator(input: TokenStream) -> TokenStream {
    match generator_block(input) {
        Ok(tokens) => tokens,
        Err(e) => {
            let err = e.to_compile_error();
            quote!({ #err ::resumable::__private::fallback::<(), _, ()>() })
        }
    }
}

/// `input` is the tokens `item` was parsed from (the names in use are read from them).
fn coroutine_fn(
    args: TokenStream,
    mut item: syn::ItemFn,
    input: TokenStream,
) -> syn::Result<TokenStream> {
    let mut diag = Diag::default();
    let args: Args = syn::parse2(args)?;
    let sig = &item.sig;
    if let Some(a) = &sig.asyncness {
        diag.error(a.span, diag::ASYNC_FN);
    }
    if let Some(c) = &sig.constness {
        diag.error(c.span, diag::CONST_FN);
    }
    if let Some(v) = &sig.variadic {
        diag.error(v.span(), diag::VARIADIC);
    }
    let types = parse::read_return_type(&sig.output, sig.ident.span());
    let mut types = match types {
        Ok(mut t) => {
            t.function = Some(sig.ident.unraw().to_string());
            t
        }
        Err(e) => {
            diag.push(e);
            diag.finish()?;
            return Err(syn::Error::new(Span::call_site(), diag::RETURN_TYPE));
        }
    };
    if let (Some(pat), Form::Iterator) = (&args.arg, types.form) {
        diag.error(pat.span(), "an iterator is resumed with `()`: `arg = ..` only applies to `impl Coroutine<A, ..>` and `impl Task<..>`");
    }

    let mut names = Names::new(input);
    let state = names.fresh("state");
    let arg = names.fresh("arg");

    // Arguments move into the start variant; their patterns are bound by a prelude.
    let mut start_fields = Vec::new();
    let mut prelude: Vec<syn::Stmt> = Vec::new();
    let generics = item.sig.generics.clone();
    for (i, input) in item.sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(r) => {
                let field = names.fresh("self_");
                RenameSelf { to: field.clone() }.visit_block_mut(&mut item.block);
                // `mut self` makes the local mutable; in `&mut self` the `mut` is the reference's.
                let mutability = if r.reference.is_none() {
                    r.mutability.take()
                } else {
                    None
                };
                let held = match r.reference {
                    Some(_) => Ownership::Reference,
                    None => Ownership::Unknown,
                };
                types.arg_ownership.push((field.to_string(), held));
                start_fields.push((field.clone(), quote!(self)));
                prelude.push(syn::parse_quote!(let #mutability #field = #field;));
            }
            FnArg::Typed(t) => match &mut *t.pat {
                Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() => {
                    // Named as the argument (`Debug` shows it); `mixed_site` keeps it apart.
                    let field = syn::Ident::new(&p.ident.unraw().to_string(), Span::mixed_site());
                    let user = p.ident.clone();
                    let mutability = p.mutability.take();
                    let held = borrow::of_type(&t.ty, &generics);
                    types.arg_ownership.push((user.unraw().to_string(), held));
                    start_fields.push((field.clone(), quote!(#user)));
                    prelude.push(syn::parse_quote!(let #mutability #user = #field;));
                }
                pat => {
                    let field = names.fresh(&format!("arg{i}"));
                    let user = std::mem::replace(pat, syn::parse_quote!(#field));
                    start_fields.push((field.clone(), quote!(#field)));
                    prelude.push(syn::parse_quote!(let #user = #field;));
                }
            },
        }
    }
    let binds_first_arg = args.arg.is_some();
    // Only a `yield_from!` can delegate to the function itself; without one, no plan.
    let plan = if names.is_used("yield_from") {
        trampoline::plan(&item, &types)
    } else {
        None
    };
    if let Some(pat) = &args.arg {
        prelude.push(match &plan {
            Some(p) => trampoline::first_arg(p, pat, &arg),
            None => syn::parse_quote!(let #pat = #arg;),
        });
    }

    analyse::check(&item.block.stmts, types.form, &mut diag);
    diag.finish()?;
    let mut body = lower(
        &types,
        plan.as_ref(),
        &mut names,
        &mut diag,
        prelude,
        std::mem::take(&mut item.block.stmts),
    );
    diag.finish()?;
    if let Some(p) = &plan {
        trampoline::tail_calls(p, &mut body);
    }

    let function = item.sig.ident.unraw().to_string();
    let enum_ident = state_enum_name(&function, &mut names);
    // On a trampoline the start fields come from the frame closure's parameters.
    let frame_types = plan.as_ref().map(|p| trampoline::frame_types(&types, p));
    let roots: Vec<TokenStream> = start_fields.iter().map(|(_, v)| v.clone()).collect();
    let fields: Vec<syn::Ident> = start_fields.iter().map(|(f, _)| f.clone()).collect();
    if frame_types.is_some() {
        for (f, v) in &mut start_fields {
            *v = f.to_token_stream();
        }
    }
    let machine = Machine {
        body: &body,
        types: frame_types.as_ref().unwrap_or(&types),
        enum_ident,
        function,
        start_fields,
        state,
        arg,
        binds_first_arg,
        drained_by_next: frame_types.is_none() && types.form == Form::Iterator,
    };
    let tokens = emit::emit(&machine, &mut names)?;
    let tokens = match &frame_types {
        Some(t) => trampoline::wrap(t, &fields, &roots, tokens),
        None => tokens,
    };
    let (attrs, vis, sig) = (&item.attrs, &item.vis, &item.sig);
    Ok(quote! {
        #(#attrs)*
        #vis #sig {
            #tokens
        }
    })
}

fn generator_block(input: TokenStream) -> syn::Result<TokenStream> {
    let input = analyse::spell_yield(input);
    let stmts = syn::parse::Parser::parse2(syn::Block::parse_within, input.clone())?;
    let types = parse::generator_types();
    let mut diag = Diag::default();
    analyse::check(&stmts, types.form, &mut diag);
    diag.finish()?;
    let mut names = Names::new(input);
    let state = names.fresh("state");
    let arg = names.fresh("arg");

    // Like an `async move` block, the generator moves in the outer locals it uses.
    let block: syn::Expr = syn::Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: syn::Block {
            brace_token: Default::default(),
            stmts: stmts.clone(),
        },
    });
    let mut seen = std::collections::HashSet::new();
    let mut start_fields = Vec::new();
    let mut prelude: Vec<syn::Stmt> = Vec::new();
    let summary = crate::scope::summarize_expr(&block);
    let count = |names: &[String], name: &str| names.iter().filter(|n| *n == name).count();
    let all: Vec<String> = summary.uses.iter().map(|(n, _)| n.clone()).collect();
    for name in &all {
        if !crate::scope::is_value_name(name) || !seen.insert(name.clone()) {
            continue;
        }
        // Only ever called (`refill(..)`): most likely a function, which the state need
        // not carry (a local closure is moved into the `move` step closure instead).
        if count(&all, name) == count(&summary.callees, name) {
            continue;
        }
        let name = name.clone();
        let user = syn::Ident::new(&name, Span::call_site());
        let field = names.fresh(&name);
        start_fields.push((field.clone(), quote!(#user)));
        prelude.push(syn::parse_quote!(let mut #user = #field;));
    }

    let body = lower(&types, None, &mut names, &mut diag, prelude, stmts);
    diag.finish()?;
    let enum_ident = state_enum_name("generator", &mut names);
    let machine = Machine {
        body: &body,
        types: &types,
        enum_ident,
        function: "generator".to_string(),
        start_fields,
        state,
        arg,
        binds_first_arg: false,
        drained_by_next: true,
    };
    let tokens = emit::emit(&machine, &mut names)?;
    Ok(quote!({ #tokens }))
}

/// Lowers and computes liveness; lowers again, renaming bindings that shadow one a yield
/// must store, when there are such.
fn lower(
    types: &parse::Types,
    plan: Option<&trampoline::Plan>,
    names: &mut Names,
    diag: &mut Diag,
    prelude: Vec<syn::Stmt>,
    stmts: Vec<syn::Stmt>,
) -> crate::ir::Body {
    let mut first_names = names.clone();
    let mut first_diag = Diag::default();
    let mut first = Lowerer::new(types, &mut first_names, &mut first_diag);
    first.trampoline = plan.cloned();
    let mut body = first.lower(prelude.clone(), stmts.clone());
    let conflicts = liveness::compute(&mut body, &mut first_diag, false);
    if conflicts.is_empty() {
        // `compute` is a function of the IR alone, and with no conflicts it reports nothing
        // (a live shadowed local is a conflict): its results stand as they are.
        *names = first_names;
        diag.absorb(first_diag);
        borrow::check(&body, diag);
        return body;
    }
    let mut lowerer = Lowerer::new(types, names, diag);
    lowerer.rename = conflicts.into_iter().collect();
    lowerer.trampoline = plan.cloned();
    let mut body = lowerer.lower(prelude, stmts);
    liveness::compute(&mut body, diag, true);
    borrow::check(&body, diag);
    body
}

/// The state enum is named after the function (`read_line` → `ReadLine`), which reads
/// well in `Debug`, unless the body already uses that name.
fn state_enum_name(function: &str, names: &mut Names) -> syn::Ident {
    let camel: String = function
        .split('_')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    let base = if camel.is_empty() {
        "Coroutine".to_string()
    } else {
        camel
    };
    let name = if names.is_used(&base) {
        format!("{base}State")
    } else {
        base
    };
    let ident = names.fresh(&name);
    format_ident!("{}", ident)
}

/// The user's signature with a body that type-checks for every accepted form, so the
/// only error the user sees is ours.
fn fallback_fn(mut item: syn::ItemFn) -> TokenStream {
    // Any `impl ..` return type: `Machine` implements every form, so no second error shows.
    let supported = matches!(&item.sig.output, syn::ReturnType::Type(_, ty) if matches!(**ty, syn::Type::ImplTrait(_)));
    item.sig.asyncness = None;
    item.sig.constness = None;
    for input in item.sig.inputs.iter_mut() {
        if let FnArg::Typed(t) = input {
            if let Pat::Ident(p) = &mut *t.pat {
                p.mutability = None;
            }
        }
    }
    // Otherwise a body that never returns fits whatever type was declared.
    let body = if supported {
        quote!({ ::resumable::__private::fallback() })
    } else {
        quote!({ loop {} })
    };
    let (attrs, vis, sig) = (&item.attrs, &item.vis, &item.sig);
    quote! {
        #(#attrs)*
        #[allow(unused_variables)]
        #vis #sig #body
    }
}
