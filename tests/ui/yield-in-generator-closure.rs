fn main() {
    let _numbers = resumable::generator! {
        let xs = [1, 2];
        xs.iter().for_each(|x| {
            yield!(*x);
        });
    };
}
