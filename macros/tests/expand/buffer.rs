// Locals that are only borrowed stay in the state while the step runs: the 4 KiB buffer is
// not moved on a resume (see `Suspend0 { .. } => ..` working through `(*buf)`). `&mut buf`
// lends a stored local out, so the machine keeps its done flag apart from the state.
#[resumable::coroutine]
fn bytes(rounds: u64) -> impl Iterator<Item = u8> {
    let mut buf = [0u8; 4096];
    let mut seed = 1u64;
    for _ in 0..rounds {
        refill(&mut buf, &mut seed);
        for i in 0..4096 {
            yield_!(buf[i]);
        }
    }
}
