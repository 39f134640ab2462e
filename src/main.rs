//! The `plangraph` binary: parse arguments, run the command, print errors, exit.

use plangraph::cli::run;

fn main() {
    let cli = plangraph::cli::parse_args();
    let code = match run(cli) {
        Ok(code) => code,
        // The reader of stdout went away (`| head -1`): a normal end of output.
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
