//! Write a generated corpus of goal documents: `cargo run --example write_corpus -- DIR N [SEED]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: write_corpus DIR N [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let files = plangraph::corpus::write_corpus(dir.as_ref(), n, seed).expect("write the corpus");
    eprintln!("wrote {} documents into {dir}", files.len());
}
