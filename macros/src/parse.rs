//! The typed input: which form the coroutine takes, read from the declared return type.

use proc_macro2::Span;
use quote::quote;
use syn::{GenericArgument, PathArguments, ReturnType, Type, TypeParamBound};

use crate::diag;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `-> impl Iterator<Item = Y>`: resumed with `()`, returns `()`, fused.
    Iterator,
    /// `-> impl Coroutine<A, Yield = Y, Return = R>`.
    Coroutine,
    /// `-> impl Task<Output = T>`: a reactor task; `io!` is recognised.
    Task,
    /// `generator! { .. }`: an iterator whose yield type is inferred.
    Generator,
}

/// The types the step function is written against. `None` means "let rustc infer it".
pub struct Types {
    pub form: Form,
    pub resume: Type,
    pub yield_ty: Option<Type>,
    pub ret: Type,
    /// `Send`/`Sync` bounds of the return type, which a boxed delegate must keep.
    pub auto_traits: Vec<syn::Path>,
    /// The function's name, to recognise a recursive call.
    pub function: Option<String>,
    /// What each argument's binding is known to hold, from its type.
    pub arg_ownership: Vec<(String, crate::borrow::Ownership)>,
}

fn unit() -> Type {
    syn::parse_quote!(())
}

pub fn generator_types() -> Types {
    Types {
        form: Form::Generator,
        resume: unit(),
        yield_ty: None,
        ret: unit(),
        auto_traits: Vec::new(),
        function: None,
        arg_ownership: Vec::new(),
    }
}

/// Reads the form from the return type; the error lists the accepted forms.
pub fn read_return_type(output: &ReturnType, fn_span: Span) -> syn::Result<Types> {
    let ty = match output {
        ReturnType::Type(_, ty) => ty,
        ReturnType::Default => return Err(syn::Error::new(fn_span, diag::RETURN_TYPE)),
    };
    let err = || syn::Error::new_spanned(ty, diag::RETURN_TYPE);
    let Type::ImplTrait(imp) = &**ty else {
        return Err(err());
    };
    let mut found = None;
    for bound in &imp.bounds {
        let TypeParamBound::Trait(t) = bound else {
            continue;
        };
        let Some(last) = t.path.segments.last() else {
            continue;
        };
        let form = match last.ident.to_string().as_str() {
            "Iterator" => Form::Iterator,
            "Coroutine" => Form::Coroutine,
            "Task" => Form::Task,
            _ => continue,
        };
        if found.is_some() {
            return Err(syn::Error::new_spanned(
                t,
                "a coroutine has one form: remove one of `Iterator`, `Coroutine`, `Task` here",
            ));
        }
        found = Some((form, &last.arguments, t));
    }
    let Some((form, arguments, bound)) = found else {
        return Err(err());
    };
    let mut positional = Vec::new();
    let mut assoc = Vec::new();
    if let PathArguments::AngleBracketed(a) = arguments {
        for arg in &a.args {
            match arg {
                GenericArgument::Type(t) => positional.push(t.clone()),
                GenericArgument::AssocType(at) => {
                    assoc.push((at.ident.to_string(), at.ty.clone(), at.ident.span()))
                }
                other => return Err(syn::Error::new_spanned(other, diag::RETURN_TYPE)),
            }
        }
    }
    let take = |name: &str, assoc: &mut Vec<(String, Type, Span)>| -> Option<Type> {
        let i = assoc.iter().position(|(n, ..)| n == name)?;
        Some(assoc.remove(i).1)
    };
    let types = match form {
        Form::Iterator => {
            if !positional.is_empty() {
                return Err(err());
            }
            let Some(item) = take("Item", &mut assoc) else {
                return Err(syn::Error::new_spanned(
                    bound,
                    "`Iterator` needs its item type here: `impl Iterator<Item = Y>`",
                ));
            };
            Types {
                form,
                resume: unit(),
                yield_ty: Some(item),
                ret: unit(),
                auto_traits: Vec::new(),
                function: None,
                arg_ownership: Vec::new(),
            }
        }
        Form::Coroutine => {
            if positional.len() > 1 {
                return Err(syn::Error::new_spanned(&positional[1], "`Coroutine` takes one type parameter, the resume argument: `impl Coroutine<A, Yield = Y, Return = R>`"));
            }
            let resume = positional.pop().unwrap_or_else(unit);
            let Some(y) = take("Yield", &mut assoc) else {
                return Err(syn::Error::new_spanned(bound, "`Coroutine` needs its yield type here: `impl Coroutine<A, Yield = Y, Return = R>`"));
            };
            let ret = take("Return", &mut assoc).unwrap_or_else(unit);
            Types {
                form,
                resume,
                yield_ty: Some(y),
                ret,
                auto_traits: Vec::new(),
                function: None,
                arg_ownership: Vec::new(),
            }
        }
        Form::Task => {
            let Some(out) = take("Output", &mut assoc) else {
                return Err(syn::Error::new_spanned(
                    bound,
                    "`Task` needs its output type here: `impl Task<Output = T>`",
                ));
            };
            Types {
                form,
                resume: syn::parse_quote!(::resumable::__private::TaskArg),
                yield_ty: Some(syn::parse_quote!(::resumable::__private::TaskYield)),
                ret: out,
                auto_traits: Vec::new(),
                function: None,
                arg_ownership: Vec::new(),
            }
        }
        Form::Generator => return Err(err()),
    };
    let mut types = types;
    for bound in &imp.bounds {
        if let TypeParamBound::Trait(t) = bound {
            if t.path
                .segments
                .last()
                .is_some_and(|s| s.ident == "Send" || s.ident == "Sync")
            {
                types.auto_traits.push(t.path.clone());
            }
        }
    }
    if let Some((name, _, span)) = assoc.first() {
        return Err(syn::Error::new(
            *span,
            format!("unexpected associated type `{name}` in the coroutine's return type"),
        ));
    }
    Ok(types)
}

/// `ty` as written inside the function body (a turbofish, a `let` type): `_` where it
/// mentions `impl Trait`, which cannot be spelled there.
pub fn annotation(ty: &Option<Type>) -> proc_macro2::TokenStream {
    match ty {
        Some(t) if spellable(t) => quote!(#t),
        _ => quote!(_),
    }
}

fn spellable(ty: &Type) -> bool {
    let text = quote!(#ty).to_string();
    !text.contains("impl ")
}
