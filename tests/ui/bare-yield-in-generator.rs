fn main() {
    let _numbers = resumable::generator! {
        yield 1;
    };
}
