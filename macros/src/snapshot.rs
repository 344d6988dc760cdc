//! Expansion snapshots: each `tests/expand/NAME.rs` beside its pretty-printed expansion
//! `NAME.expanded.rs`. `RESUMABLE_BLESS=1 cargo test -p resumable-macros` rewrites them.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// Expands every `#[resumable::coroutine]` function in `source` (a file of items).
pub fn expand_file(source: &str) -> String {
    let mut file: syn::File = syn::parse_str(source).expect("fixture parses");
    for item in &mut file.items {
        let syn::Item::Fn(f) = item else { continue };
        let Some(pos) = f.attrs.iter().position(|a| {
            a.path()
                .segments
                .last()
                .is_some_and(|s| s.ident == "coroutine")
        }) else {
            continue;
        };
        let attr = f.attrs.remove(pos);
        let args = match &attr.meta {
            syn::Meta::List(l) => l.tokens.clone(),
            _ => TokenStream::new(),
        };
        let expanded = crate::expand::coroutine(args, f.to_token_stream());
        *item = syn::Item::Verbatim(expanded);
    }
    let tokens = file.into_token_stream();
    let reparsed: syn::File = match syn::parse2(tokens.clone()) {
        Ok(f) => f,
        Err(e) => panic!("expansion does not parse: {e}\n{tokens}"),
    };
    prettyplease::unparse(&reparsed)
}

#[test]
fn snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let bless = std::env::var_os("RESUMABLE_BLESS").is_some();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/expand exists") {
        let path = entry.expect("dir entry").path();
        let name = path.to_string_lossy().to_string();
        if !name.ends_with(".rs") || name.ends_with(".expanded.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("fixture readable");
        let actual = expand_file(&source);
        let expected_path = path.with_extension("expanded.rs");
        if bless {
            std::fs::write(&expected_path, &actual).expect("snapshot writable");
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            assert!(
                expected == actual,
                "expansion of {name} changed; rerun with RESUMABLE_BLESS=1 and review the diff.\n--- actual ---\n{actual}"
            );
        }
        checked += 1;
    }
    assert!(checked > 0, "no fixtures in {}", dir.display());
}
