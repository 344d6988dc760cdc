use resumable::generator;

fn main() {
    let outer = generator! {
        for i in 1..=2u32 {
            let inner = generator! {
                yield!(i);
                yield!(i * 10);
            };
            yield_from!(inner);
        }
    };
    let _: Vec<u32> = outer.collect();
}
