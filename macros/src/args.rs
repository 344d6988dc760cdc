//! `#[coroutine(...)]` arguments.

use syn::parse::{Parse, ParseStream};
use syn::{Pat, Token};

/// The parsed attribute arguments.
#[derive(Default)]
pub struct Args {
    /// `arg = PAT`: binds the argument of the first `resume`.
    pub arg: Option<Pat>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut args = Args::default();
        while !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            if key == "arg" {
                if args.arg.is_some() {
                    return Err(syn::Error::new(key.span(), "duplicate argument `arg`"));
                }
                input.parse::<Token![=]>()?;
                args.arg = Some(Pat::parse_single(input)?);
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown argument `{key}`; expected one of: `arg` (as in `#[resumable::coroutine(arg = first)]`)"),
                ));
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(args)
    }
}
