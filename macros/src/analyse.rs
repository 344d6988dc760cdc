//! Finds the yield points and rejects them where a coroutine cannot suspend: inside
//! closures, async blocks, nested items and other macros' arguments.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use crate::diag::{self, Diag};
use crate::lower::macro_kind;
use crate::parse::Form;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Body,
    Closure,
    Async,
    Item,
}

struct Check<'d> {
    form: Form,
    ctx: Context,
    diag: &'d mut Diag,
}

/// Reports every misplaced yield point and `?` the form cannot return through.
pub fn check(stmts: &[syn::Stmt], form: Form, diag: &mut Diag) {
    let mut c = Check {
        form,
        ctx: Context::Body,
        diag,
    };
    for s in stmts {
        c.visit_stmt(s);
    }
}

impl Check<'_> {
    fn within(&mut self, ctx: Context, f: impl FnOnce(&mut Self)) {
        let saved = self.ctx;
        if saved == Context::Body {
            self.ctx = ctx;
        }
        f(self);
        self.ctx = saved;
    }

    fn misplaced(&mut self, span: Span) {
        let msg = match self.ctx {
            Context::Body => return,
            Context::Closure => diag::YIELD_IN_CLOSURE,
            Context::Async => diag::YIELD_IN_ASYNC,
            Context::Item => diag::YIELD_IN_ITEM,
        };
        self.diag.error(span, msg);
    }

    /// A yield macro among another macro's tokens.
    fn scan(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tt) in trees.iter().enumerate() {
            match tt {
                // A nested `generator! { .. }` owns its yields.
                TokenTree::Group(_) if is_generator_call(&trees, i) => {}
                TokenTree::Group(g) => self.scan(g.stream()),
                TokenTree::Ident(ident) => {
                    let name = ident.unraw().to_string();
                    let bang =
                        matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    if bang && matches!(name.as_str(), "yield_" | "yield" | "yield_from") {
                        self.diag.error(ident.span(), diag::YIELD_IN_MACRO);
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for Check<'_> {
    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.within(Context::Closure, |s| syn::visit::visit_expr_closure(s, c));
    }

    fn visit_expr_async(&mut self, a: &'ast syn::ExprAsync) {
        self.within(Context::Async, |s| syn::visit::visit_expr_async(s, a));
    }

    fn visit_item(&mut self, i: &'ast syn::Item) {
        self.within(Context::Item, |s| syn::visit::visit_item(s, i));
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if macro_kind(m, self.form).is_some() {
            self.misplaced(m.path.span());
            // Nested yields (`yield_!(yield_!(x))`) are checked in the arguments too.
            if let Ok(args) = m.parse_body_with(
                syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
            ) {
                for a in &args {
                    self.visit_expr(a);
                }
            }
        } else if m
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "generator")
        {
            // A nested generator is its own coroutine: its yields are its own.
        } else if crate::lower::is_vec_macro(m) {
            if let Ok(args) = m.parse_body_with(
                syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
            ) {
                for a in &args {
                    self.visit_expr(a);
                }
            }
        } else {
            self.scan(m.tokens.clone());
        }
    }

    fn visit_expr_try(&mut self, t: &'ast syn::ExprTry) {
        if self.ctx == Context::Body && matches!(self.form, Form::Iterator | Form::Generator) {
            self.diag
                .error(t.question_token.span, diag::TRY_IN_ITERATOR);
        }
        syn::visit::visit_expr_try(self, t);
    }

    fn visit_expr_yield(&mut self, y: &'ast syn::ExprYield) {
        self.diag.error(y.yield_token.span, diag::BARE_YIELD);
        syn::visit::visit_expr_yield(self, y);
    }
}

/// Is `trees[i]` the body of a `generator!` invocation (`generator ! { .. }`)?
pub fn is_generator_call(trees: &[TokenTree], i: usize) -> bool {
    i >= 2
        && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '!')
        && matches!(&trees[i - 2], TokenTree::Ident(id) if id == "generator")
}

/// Rewrites `self` in the body to the local the method's receiver is moved into.
pub struct RenameSelf {
    pub to: syn::Ident,
}

impl VisitMut for RenameSelf {
    fn visit_expr_path_mut(&mut self, p: &mut syn::ExprPath) {
        if p.qself.is_none() && p.path.segments.len() == 1 && p.path.segments[0].ident == "self" {
            p.path.segments[0].ident = self.to.clone();
        }
    }

    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        m.tokens = rename_self_tokens(m.tokens.clone(), &self.to);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

fn rename_self_tokens(tokens: TokenStream, to: &syn::Ident) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    for (i, tt) in trees.iter().enumerate() {
        match tt {
            TokenTree::Group(g) => {
                let mut ng =
                    proc_macro2::Group::new(g.delimiter(), rename_self_tokens(g.stream(), to));
                ng.set_span(g.span());
                out.push(TokenTree::Group(ng));
            }
            TokenTree::Ident(ident) if ident == "self" => {
                let path =
                    matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                if path {
                    out.push(tt.clone());
                } else {
                    out.push(TokenTree::Ident(to.clone()));
                }
            }
            _ => out.push(tt.clone()),
        }
    }
    out.into_iter().collect()
}

/// `generator!` input: `yield!(v)` (which stable rustc accepts there, as plain tokens)
/// becomes `yield_!(v)`.
pub fn spell_yield(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    for (i, tt) in trees.iter().enumerate() {
        match tt {
            TokenTree::Group(_) if is_generator_call(&trees, i) => out.push(tt.clone()),
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), spell_yield(g.stream()));
                ng.set_span(g.span());
                out.push(TokenTree::Group(ng));
            }
            TokenTree::Ident(ident) if ident == "yield" => {
                let bang =
                    matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                if bang {
                    out.push(TokenTree::Ident(syn::Ident::new("yield_", ident.span())));
                } else {
                    out.push(tt.clone());
                }
            }
            _ => out.push(tt.clone()),
        }
    }
    out.into_iter().collect()
}
