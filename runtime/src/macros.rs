//! `yield_!`, `r#yield!` and `yield_from!` as real macros: `#[resumable::coroutine]`
//! rewrites them before they expand, so these bodies only run where they are misplaced.

/// Suspends the enclosing `#[resumable::coroutine]`, passing a value out; evaluates to the
/// argument of the next `resume`.
///
/// It only has meaning inside a `#[resumable::coroutine]` function (no import needed
/// there); anywhere else it is a compile error. Inside `generator! { .. }` the plain
/// `yield!(v)` works too.
///
/// # Examples
///
/// ```
/// #[resumable::coroutine]
/// fn squares(n: u32) -> impl Iterator<Item = u32> {
///     for i in 1..=n {
///         yield_!(i * i);
///     }
/// }
/// assert_eq!(squares(3).collect::<Vec<_>>(), [1, 4, 9]);
/// ```
#[macro_export]
macro_rules! yield_ {
    ($($tt:tt)*) => {
        ::core::compile_error!(
            "`yield_!` can only be used inside a `#[resumable::coroutine]` function or a `generator!` block"
        )
    };
}

/// Runs a sub-coroutine (or, in an iterator, any `IntoIterator`) to its end inside the
/// enclosing `#[resumable::coroutine]`, passing on every value it yields; evaluates to the
/// value it returns.
///
/// In the coroutine form the sub-coroutine's first `resume` gets `Default::default()`, or the
/// second argument: `yield_from!(sub, first)`.
///
/// A call of the function itself, `yield_from!(Box::new(walk(..)))` (or `Self::walk(..)`;
/// the `Box` is optional there), makes the function run on a
/// [`Trampoline`](crate::Trampoline): the call pushes a frame instead of nesting a machine,
/// and values go from the innermost call straight to the caller, at any depth.
///
/// Outside a `#[resumable::coroutine]` function or a `generator!` block it is a compile error.
///
/// # Examples
///
/// ```
/// #[resumable::coroutine]
/// fn both() -> impl Iterator<Item = u8> {
///     yield_from!([1, 2]);
///     yield_from!(vec![3]);
/// }
/// assert_eq!(both().collect::<Vec<_>>(), [1, 2, 3]);
///
/// // Recursion: a pre-order walk of the tree whose node `i` has children `2i+1` and `2i+2`.
/// #[resumable::coroutine]
/// fn walk(i: u32, size: u32) -> impl Iterator<Item = u32> {
///     if i < size {
///         yield_!(i);
///         yield_from!(Box::new(walk(2 * i + 1, size)));
///         yield_from!(Box::new(walk(2 * i + 2, size)));
///     }
/// }
/// assert_eq!(walk(0, 5).collect::<Vec<_>>(), [0, 1, 3, 4, 2]);
/// ```
#[macro_export]
macro_rules! yield_from {
    ($($tt:tt)*) => {
        ::core::compile_error!(
            "`yield_from!` can only be used inside a `#[resumable::coroutine]` function or a `generator!` block"
        )
    };
}
