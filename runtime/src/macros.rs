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
/// ```
#[macro_export]
macro_rules! yield_from {
    ($($tt:tt)*) => {
        ::core::compile_error!(
            "`yield_from!` can only be used inside a `#[resumable::coroutine]` function or a `generator!` block"
        )
    };
}
