//! Writes the generated corpus (`plangraph::corpus`) to a folder, for benchmarks that
//! ingest it with the release binary (`benches/peers.sh`).
//!
//! ```sh
//! cargo run --release --example write_corpus -- DIR N [SEED]   # N documents into DIR
//! cargo run --release --example write_corpus -- --vocabulary   # the vocabulary, one a line
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--vocabulary") {
        for word in plangraph::corpus::vocabulary() {
            println!("{word}");
        }
        return ExitCode::SUCCESS;
    }
    let usage = || {
        eprintln!("usage: write_corpus DIR N [SEED] | write_corpus --vocabulary");
        ExitCode::from(2)
    };
    let (Some(dir), Some(n)) = (args.first(), args.get(1)) else {
        return usage();
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N: {n:?} is not a number of documents");
        return usage();
    };
    let seed = match args.get(2).map(|s| s.parse::<u64>()) {
        None => 2021,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            eprintln!("SEED: {:?} is not a number", args[2]);
            return usage();
        }
    };
    let dir = PathBuf::from(dir);
    match std::fs::create_dir_all(&dir).and_then(|_| plangraph::corpus::write_corpus(&dir, n, seed))
    {
        Ok(files) => {
            let bytes: u64 = files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok())
                .map(|m| m.len())
                .sum();
            println!(
                "{} documents, {} bytes in {}",
                files.len(),
                bytes,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
