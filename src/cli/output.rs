//! Standard output: one JSON document or a table, written through a handle so a closed
//! pipe (`plangraph search … | head -1`) ends the program quietly with exit 0.

use crate::error::{Error, Result};
use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use std::io::{ErrorKind, Write};

use super::args::Output;

/// Write one line to stdout. A reader that went away (a closed pipe) is a normal end of
/// output: the process exits 0 at once, as `head` expects. Any other write failure is
/// reported and exits 1.
pub fn write_line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: stdout: {e}");
        std::process::exit(1);
    }
}

/// `println!` through [`write_line`].
macro_rules! outln {
    () => {
        $crate::cli::output::write_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::write_line(format_args!($($arg)*))
    };
}

/// Print `value` as one JSON document with `--json`, else as `table` prints it; exit 0.
pub(super) fn emit<T: serde::Serialize>(
    out: Output,
    value: &T,
    table: impl FnOnce(&T) -> Result<()>,
) -> Result<i32> {
    if out.json {
        print_json(value)?;
    } else {
        table(value)?;
    }
    Ok(0)
}

pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out).map_err(|e| Error::io("stdout", e))?;
    Ok(())
}

pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    t
}
