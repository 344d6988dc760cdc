//! Floors for expansion time: parse the item with syn and print it back (`identity`), or
//! additionally replace `yield_!(e)` by `sink(e)` with a `VisitMut` (`rewrite`).
use proc_macro::TokenStream;
use syn::visit_mut::VisitMut;

#[proc_macro_attribute]
pub fn identity(_a: TokenStream, input: TokenStream) -> TokenStream {
    let item: syn::ItemFn = syn::parse(input).unwrap();
    quote::quote!(#item).into()
}

struct R;
impl VisitMut for R {
    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        if m.path.is_ident("yield_") {
            m.path = syn::parse_quote!(sink_);
        }
    }
}

#[proc_macro_attribute]
pub fn rewrite(_a: TokenStream, input: TokenStream) -> TokenStream {
    let mut item: syn::ItemFn = syn::parse(input).unwrap();
    R.visit_item_fn_mut(&mut item);
    quote::quote!(#item).into()
}

/// The item plus 17 copies in modules: an output as large as ours (18× the input).
#[proc_macro_attribute]
pub fn big_output(_a: TokenStream, input: TokenStream) -> TokenStream {
    let item: syn::ItemFn = syn::parse(input).unwrap();
    let mods = (1u32..18).map(|k| {
        let m = quote::format_ident!("copy{}", k);
        quote::quote!(#[allow(dead_code)] mod #m { use super::*; #item })
    });
    quote::quote!(#item #(#mods)*).into()
}
