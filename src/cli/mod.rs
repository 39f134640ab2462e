//! The command line: clap commands, one function each, printing a readable table or, with
//! `--json`, exactly one JSON document on stdout. Logs and progress go to stderr.

#[macro_use]
pub(crate) mod output;
mod args;
mod commands;
pub mod config;
pub mod data;
mod ingest;
mod print;
mod print_diff;
mod print_graph;
mod print_impact;
mod print_targets;
mod remote;
mod serve;

pub use args::{Cli, Command, Output, ServeArgs, DEFAULT_ADDR, SEEDS_DIR};
pub use commands::run;
pub use data::parse_args;
pub use output::{print_json, table, write_line};
