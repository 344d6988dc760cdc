use resumable::yield_;

fn main() {
    let _x = yield_!(1);
}
