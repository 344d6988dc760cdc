// A recursive in-order walk (W6 of the benchmarks): it runs on a trampoline.
#[resumable::coroutine]
fn walk(t: &'static Tree, n: u32) -> impl Iterator<Item = u64> {
    let node = t.nodes[n as usize];
    if node.left != NIL {
        yield_from!(Box::new(walk(t, node.left)));
    }
    yield_!(node.val);
    if node.right != NIL {
        yield_from!(Box::new(walk(t, node.right)));
    }
}
