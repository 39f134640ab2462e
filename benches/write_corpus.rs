//! Writes the generated corpus (benches/support/corpus.rs) to a folder, for the scripts
//! under benches/ that ingest it with the release binary (`peers.sh`, `export-memory.sh`).
//! Without arguments (as in a plain `cargo bench`) it prints its usage and does nothing.
//!
//! ```sh
//! cargo bench --bench write_corpus -- DIR N [SEED]   # N documents into DIR
//! cargo bench --bench write_corpus -- --vocabulary   # the vocabulary, one a line
//! ```

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.is_empty() {
        eprintln!("usage: cargo bench --bench write_corpus -- DIR N [SEED] | --vocabulary");
        return ExitCode::SUCCESS;
    }
    if args.first().map(String::as_str) == Some("--vocabulary") {
        for word in corpus::vocabulary() {
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
    match std::fs::create_dir_all(&dir).and_then(|_| corpus::write_corpus(&dir, n, seed)) {
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
