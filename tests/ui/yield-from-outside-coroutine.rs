use resumable::yield_from;

fn main() {
    yield_from!([1, 2, 3]);
}
