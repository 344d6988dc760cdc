//! Procedural macros of [`resumable`](https://docs.rs/resumable): `#[coroutine]` and
//! `generator!`. Use them through the `resumable` crate, which re-exports them with the
//! runtime their expansion refers to.

mod analyse;
mod args;
mod borrow;
mod diag;
mod emit;
mod expand;
mod ir;
mod liveness;
mod lower;
mod parse;
mod scope;

use proc_macro::TokenStream;

/// Compiles a function with yield points into a resumable enum state machine.
///
/// See the `resumable` crate for the documentation and examples.
#[proc_macro_attribute]
pub fn coroutine(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::coroutine(args.into(), input.into()).into()
}

/// A generator expression: `generator! { for i in 0..3 { yield!(i) } }` is an iterator
/// (and a `Coroutine<()>`) over 0, 1, 2.
///
/// See the `resumable` crate for the documentation and examples.
#[proc_macro]
pub fn generator(input: TokenStream) -> TokenStream {
    expand::generator(input.into()).into()
}

#[cfg(test)]
mod snapshot;
