//! Error accumulation and the text of every user-facing message.

use proc_macro2::Span;
use std::fmt::Display;

/// Collects independent errors so the user sees all of them at once.
#[derive(Default)]
pub struct Diag {
    errors: Option<syn::Error>,
}

impl Diag {
    pub fn push(&mut self, e: syn::Error) {
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
    }

    pub fn error(&mut self, span: Span, msg: impl Display) {
        self.push(syn::Error::new(span, msg));
    }

    /// Moves `other`'s errors into this one.
    pub fn absorb(&mut self, mut other: Diag) {
        if let Some(e) = other.errors.take() {
            self.push(e);
        }
    }

    /// The errors so far, if any (and forgets them).
    pub fn finish(&mut self) -> syn::Result<()> {
        match self.errors.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

pub const YIELD_IN_CLOSURE: &str = "`yield_!` cannot be used inside a closure within a coroutine: the closure is a separate function that cannot suspend the coroutine\nhelp: move the yield out of the closure, e.g. compute the values first and yield them in a `for` loop";
pub const YIELD_IN_ASYNC: &str = "`yield_!` cannot be used inside an `async` block within a coroutine\nhelp: move the yield out of the `async` block";
pub const YIELD_IN_ITEM: &str = "`yield_!` cannot be used inside a nested item: only the body of the `#[resumable::coroutine]` function itself can suspend";
pub const ASYNC_FN: &str = "`#[resumable::coroutine]` cannot be used on an `async fn`\nhelp: remove `async`: the coroutine itself is the resumable computation; for IO, return `impl Task<Output = T>` and run it on `resumable::Reactor`";
pub const CONST_FN: &str = "`#[resumable::coroutine]` cannot be used on a `const fn`";
pub const VARIADIC: &str = "`#[resumable::coroutine]` cannot be used on a variadic function";
pub const RETURN_TYPE: &str = "unsupported return type for `#[resumable::coroutine]`\nhelp: the accepted forms are `-> impl Iterator<Item = Y>`, `-> impl Coroutine<A, Yield = Y, Return = R>` and `-> impl Task<Output = T>`, optionally followed by `+ Clone`, `+ Debug`, `+ Send`, `+ Inspect` or lifetime bounds";
pub const YIELD_ARGS: &str = "`yield_!` takes exactly one argument: the value to yield\nhelp: write `yield_!(())` to yield the unit value";
pub const YIELD_FROM_ARGS: &str = "`yield_from!` takes one argument, the sub-coroutine (or, in an iterator, anything `IntoIterator`), optionally followed by the first resume argument: `yield_from!(sub)` or `yield_from!(sub, first)`";
pub const IO_ARGS: &str = "`io!` takes exactly one argument: the non-blocking IO call to retry, e.g. `io!(stream.read(&mut buf))`";
pub const YIELD_IN_MACRO: &str = "a yield point cannot stand inside another macro's arguments: the coroutine cannot see into macro expansions\nhelp: bind it first: `let v = yield_!(x);` and use `v` in the macro";
pub const TRY_IN_ITERATOR: &str = "the `?` operator cannot be used in an iterator-form coroutine: it returns `()`\nhelp: return `impl Coroutine<(), Yield = Y, Return = Result<(), E>>` (or `Option<()>`) to use `?`";
pub const BARE_YIELD: &str = "write `yield!(value)` (or `yield_!(value)`) here: the bare `yield` expression is nightly syntax";

/// A local holding a borrow of another local, needed after a yield point.
pub fn self_borrow(what: &str, root: &str) -> String {
    format!("{what} borrows `{root}`, which the coroutine keeps in its state, and is still in use after a yield point: the state cannot hold a borrow of itself\nhelp: keep an index (`let i = 0;`, then `&{root}[i]` after the yield) or an owned copy (`.clone()`, `.to_vec()`) instead\nnote: these borrows may live across a yield: `&{root}`, `&mut {root}`, `&{root}.field`, and `for x in &{root}` or `{root}.iter()` over a `Vec`, `VecDeque`, array or slice")
}
