//! The `plangraph` binary: parse arguments, run the command, print errors, exit.

use plangraph::cli::run;

fn main() {
    let cli = plangraph::cli_data::parse_args();
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
