//! Write a generated corpus of goal documents for the scripts under benches/:
//! `cargo bench --bench write_corpus -- DIR N [SEED]`. Without a folder (as in a plain
//! `cargo bench`) it prints its usage and does nothing.

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(dir), Some(n)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: cargo bench --bench write_corpus -- DIR N [SEED]");
        return;
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let files = corpus::write_corpus(dir.as_ref(), n, seed).expect("write the corpus");
    eprintln!("wrote {} documents into {dir}", files.len());
}
