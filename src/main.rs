//! The `plangraph` binary: parse arguments, run the command, print errors, exit.

use clap::Parser;
use plangraph::cli::{run, Cli};

fn main() {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Exit 1 for every failure; clap already exits 2 on usage errors.
            eprintln!("error: {e}");
            1
        }
    };
    std::process::exit(code);
}
