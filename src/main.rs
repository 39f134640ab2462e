//! The `plangraph` binary: parse arguments, run the command, print errors, exit.

use plangraph::cli::run;

fn main() {
    let cli = plangraph::cli_data::parse_args();
    // A command printing into a closed pipe (`plangraph export | head`) ends quietly, as
    // other Unix tools do, instead of panicking on the failed write. Not for the server,
    // whose clients closing their sockets must not stop it.
    #[cfg(unix)]
    if !matches!(cli.command, None | Some(plangraph::cli::Command::Serve(_))) {
        // SAFETY: setting a signal disposition before any thread is started.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
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
