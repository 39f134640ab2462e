//! The commands that move the whole graph: `export`, `import`, `backup`, `restore`, and
//! `completions`. Progress bars go to stderr on a terminal only; results to stdout.

use crate::error::Result;
use crate::export::{self, Destination, Format};
use crate::knowledge_graph::KnowledgeGraph;
use clap::{Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// The whole graph in a standard format.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// A file (a folder for neo4j); `-` or nothing is stdout.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Load a JSONL export into an empty data folder (`-` reads stdin).
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Copy the graph into a new or empty folder (graph.jsonl and manifest.json).
    Backup {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Load a backup folder into an empty data folder.
    Restore {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Print a shell completion script (e.g. `plangraph completions bash > /etc/bash_completion.d/plangraph`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object a line: header, nodes, edges, documents (what import reads).
    Jsonl,
    /// GraphML XML (Gephi, yEd, NetworkX).
    Graphml,
    /// neo4j-admin import CSV files and a Cypher script, in the folder --out DIR.
    Neo4j,
    /// RDF Turtle (vocabulary in docs/rdf.md).
    Turtle,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Jsonl => Format::Jsonl,
            ExportFormat::Graphml => Format::Graphml,
            ExportFormat::Neo4j => Format::Neo4j,
            ExportFormat::Turtle => Format::Turtle,
        }
    }
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
fn bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ({per_sec})")
            .expect("static template"),
    );
    bar.set_message(what.to_string());
    bar
}

/// Run one of these commands on the data folder `data`; the exit code.
pub fn run(command: DataCommand, data: &Path, token: Option<String>) -> Result<i32> {
    match command {
        DataCommand::Export { format, out } => {
            let kg = KnowledgeGraph::open_bulk(data)?;
            let to = Destination::parse(out.as_deref());
            let bar = bar(export::item_count(kg.store())?, "exported");
            export::export(&kg, format.into(), &to, &mut |n| bar.inc(n))?;
            bar.finish_and_clear();
            if let Destination::Path(p) = &to {
                eprintln!("wrote {}", p.display());
            }
            Ok(0)
        }
        DataCommand::Import { file } => {
            let bar = bar(announced_lines(&file), "lines loaded");
            let report = export::import_jsonl(data, &file, &mut |n| bar.inc(n))?;
            bar.finish_and_clear();
            finish_load(data)?;
            eprintln!(
                "imported {}: {} documents, {} nodes, {} edges into {}",
                report.file,
                report.documents,
                report.nodes,
                report.edges,
                data.display()
            );
            Ok(0)
        }
        DataCommand::Backup { dir } => {
            let g = super::remote::open_bulk(data, token)?;
            let m = match &g {
                // A running server holds the folder: it streams one consistent state.
                super::remote::Graph::Remote(server) => {
                    eprintln!("taking the backup through the server at {}", server.url());
                    let s = g.stats()?;
                    let lines = 1
                        + s.nodes.values().sum::<u64>()
                        + s.edges.values().sum::<u64>()
                        + s.documents;
                    let bar = bar(lines, "lines received");
                    let stream = Counting {
                        inner: server.backup_stream()?,
                        bar: &bar,
                    };
                    let m = export::backup_from_reader(&dir, stream)?;
                    bar.finish_and_clear();
                    m
                }
                super::remote::Graph::Local(kg) => {
                    let bar = bar(export::item_count(kg.store())?, "backed up");
                    let m = export::backup(kg, &dir, &mut |n| bar.inc(n))?;
                    bar.finish_and_clear();
                    m
                }
            };
            eprintln!(
                "backed up {} documents, {} nodes, {} edges (store format {}) into {}",
                m.documents,
                m.nodes,
                m.edges,
                m.store_format,
                dir.display()
            );
            Ok(0)
        }
        DataCommand::Restore { dir } => {
            let bar = bar(
                announced_lines(&dir.join(export::backup::BACKUP_DATA)),
                "lines loaded",
            );
            let m = export::restore(&dir, data, &mut |n| bar.inc(n))?;
            bar.finish_and_clear();
            finish_load(data)?;
            eprintln!(
                "restored {} documents, {} nodes, {} edges from {} into {}",
                m.documents,
                m.nodes,
                m.edges,
                dir.display(),
                data.display()
            );
            Ok(0)
        }
        DataCommand::Completions { shell } => {
            let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "plangraph", &mut std::io::stdout());
            Ok(0)
        }
    }
}

/// Open the loaded data folder once: builds the text index from the store (one pass, the
/// page cache capped). The graph view is left to the first graph query, which builds and
/// saves it: building it here would hold the whole graph's structure in memory.
fn finish_load(data: &Path) -> Result<()> {
    let bar = bar(0, "indexing");
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .expect("static template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    KnowledgeGraph::open_bulk(data)?;
    bar.finish_and_clear();
    Ok(())
}

/// The lines a JSONL export announces in its header (the progress bar's length); 0 when
/// it cannot be read here (stdin, not an export: the load reports that).
fn announced_lines(file: &Path) -> u64 {
    use std::io::BufRead;
    if file.as_os_str() == "-" {
        return 0;
    }
    let Ok(f) = std::fs::File::open(file) else {
        return 0;
    };
    let mut first = String::new();
    if std::io::BufReader::new(f).read_line(&mut first).is_err() {
        return 0;
    }
    match serde_json::from_str::<export::jsonl::Line>(&first) {
        Ok(export::jsonl::Line::Header(h)) => 1 + h.nodes + h.edges + h.documents,
        _ => 0,
    }
}

/// A reader that moves a progress bar by the lines passing through it.
struct Counting<'a, R> {
    inner: R,
    bar: &'a indicatif::ProgressBar,
}

impl<R: std::io::Read> std::io::Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar
            .inc(buf[..n].iter().filter(|&&b| b == b'\n').count() as u64);
        Ok(n)
    }
}

/// Parse the command line, with `--version` showing the store and export format versions.
pub fn parse_args() -> crate::cli::Cli {
    use clap::{CommandFactory, FromArgMatches};
    let version: &'static str = Box::leak(export::version_text().into_boxed_str());
    let matches = crate::cli::Cli::command().version(version).get_matches();
    crate::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}
