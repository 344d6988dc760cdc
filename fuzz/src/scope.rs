//! Names in scope while generating or checking a program: the one piece of "type checking"
//! the generator and the minimiser's validator share, so both agree on what is well-formed.

use crate::ast::Ty;

/// A local in scope.
#[derive(Clone, Debug)]
pub struct Var {
    /// its name
    pub name: String,
    /// its type
    pub ty: Ty,
    /// declared `mut`
    pub mutable: bool,
    /// number of enclosing loops (and loop-like barriers) at its declaration
    pub loop_depth: usize,
    /// moved out by `drop(..)` (maybe conditionally): unusable from here on
    pub moved: bool,
}

/// An enclosing loop, or a barrier (a `while` condition) that `break`/`continue` may not cross.
#[derive(Clone, Debug)]
pub struct LoopInfo {
    /// label number (`'lN`)
    pub label: u32,
    /// a value loop: its `break`s need an `i64`
    pub value: bool,
    /// a barrier, not a loop
    pub barrier: bool,
}

/// Scopes and loops at one point of a function.
#[derive(Clone, Debug, Default)]
pub struct Ctx {
    /// innermost last
    pub scopes: Vec<Vec<Var>>,
    /// innermost last
    pub loops: Vec<LoopInfo>,
    /// scopes below this index belong outside the innermost expression: their vectors and
    /// strings may not be mutated here (`v.get({ v.clear(); 0 })` does not borrow-check)
    pub floor: usize,
}

impl Ctx {
    /// Opens a block scope.
    pub fn push(&mut self) {
        self.scopes.push(Vec::new());
    }

    /// Closes the innermost block scope.
    pub fn pop(&mut self) {
        self.scopes.pop();
    }

    /// Declares a local in the innermost scope.
    pub fn declare(&mut self, name: &str, ty: Ty, mutable: bool) {
        let loop_depth = self.loops.len();
        self.scopes.last_mut().expect("a scope").push(Var {
            name: name.to_string(),
            ty,
            mutable,
            loop_depth,
            moved: false,
        });
    }

    /// The binding `name` refers to here (possibly moved).
    pub fn lookup(&self, name: &str) -> Option<&Var> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .find(|v| v.name == name)
    }

    fn lookup_mut(&mut self, name: &str) -> Option<&mut Var> {
        self.scopes
            .iter_mut()
            .rev()
            .flat_map(|s| s.iter_mut().rev())
            .find(|v| v.name == name)
    }

    /// `name` is a usable local of type `ty`.
    pub fn usable(&self, name: &str, ty: Ty) -> bool {
        matches!(self.lookup(name), Some(v) if v.ty == ty && !v.moved)
    }

    /// `name` is a usable, `mut` local of type `ty` (for a vector or string: declared inside
    /// the innermost expression).
    pub fn assignable(&self, name: &str, ty: Ty) -> bool {
        if matches!(ty, Ty::Vec | Ty::Str) {
            let inner = self.scopes[self.floor.min(self.scopes.len())..]
                .iter()
                .flat_map(|s| s.iter().rev());
            let found = self
                .scopes
                .iter()
                .rev()
                .flat_map(|s| s.iter().rev())
                .find(|v| v.name == name);
            let Some(v) = found else { return false };
            return v.ty == ty
                && !v.moved
                && v.mutable
                && inner.into_iter().any(|w| std::ptr::eq(w, v));
        }
        matches!(self.lookup(name), Some(v) if v.ty == ty && !v.moved && v.mutable)
    }

    /// Enters an expression's block: sets the floor, returns the old one.
    pub fn enter_expr(&mut self) -> usize {
        std::mem::replace(&mut self.floor, self.scopes.len())
    }

    /// `name` is a `D` that may be moved here: same loop depth as its declaration, so a
    /// move never repeats in a later iteration.
    pub fn movable(&self, name: &str) -> bool {
        let depth = self.loops.len();
        matches!(self.lookup(name), Some(v) if v.ty == Ty::D && !v.moved && v.loop_depth == depth)
    }

    /// Marks `name` moved.
    pub fn mark_moved(&mut self, name: &str) {
        if let Some(v) = self.lookup_mut(name) {
            v.moved = true;
        }
    }

    /// Usable locals of type `ty` (innermost binding of each name).
    pub fn visible(&self, ty: Ty, need_mut: bool) -> Vec<String> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for v in self.scopes.iter().rev().flat_map(|s| s.iter().rev()) {
            if seen.contains(&v.name.as_str()) {
                continue;
            }
            seen.push(&v.name);
            if v.ty == ty && !v.moved && (!need_mut || self.assignable(&v.name, ty)) {
                out.push(v.name.clone());
            }
        }
        out.sort();
        out
    }

    /// Loops a `break`/`continue` here may target (innermost last), stopping at a barrier.
    pub fn targets(&self) -> &[LoopInfo] {
        let start = self
            .loops
            .iter()
            .rposition(|l| l.barrier)
            .map_or(0, |i| i + 1);
        &self.loops[start..]
    }
}
