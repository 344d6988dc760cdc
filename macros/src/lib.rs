//! Procedural macros of `resumable`; use them through the `resumable` crate.
use proc_macro::TokenStream;

/// placeholder
#[proc_macro_attribute]
pub fn coroutine(_args: TokenStream, input: TokenStream) -> TokenStream {
    input
}

/// placeholder
#[proc_macro]
pub fn generator(input: TokenStream) -> TokenStream {
    input
}
