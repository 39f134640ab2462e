//! The command line: clap commands, one function each, printing a readable table or, with
//! `--json`, exactly one JSON document on stdout. Logs and progress go to stderr.

use crate::error::{Error, Result};
use crate::index::SearchRequest;
use crate::model::NodeKind;
use crate::query::{DocumentOutcome, IngestReport, KnowledgeGraph, Progress};
use clap::{Args, Parser, Subcommand, ValueEnum};
use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Where the bundled documents live (relative to the working directory).
pub const SEEDS_DIR: &str = "seeds";

#[derive(Debug, Parser)]
#[command(
    name = "plangraph",
    version,
    about = "Search and walk the goals of Chinese government goal documents (业务目标, 工作要点)",
    long_about = "plangraph reads yearly goal documents (.txt, .md, .docx in UTF-8, GBK or UTF-16), \
extracts goals, institutions, organisations, places, policy documents, programmes and numeric \
targets, and keeps them as a graph you can search and trace.\n\n\
Run without a command to serve the web UI and HTTP API (ingesting seeds/ first when the \
store is empty).",
    after_help = "Examples:\n  plangraph ingest seeds/\n  plangraph search 海洋\n  \
plangraph show 高新区\n  plangraph stats --json"
)]
pub struct Cli {
    /// Data folder: DIR/graph holds the store, DIR/text the search index.
    #[arg(
        long,
        global = true,
        env = "PLANGRAPH_DATA",
        default_value = "index",
        value_name = "DIR"
    )]
    pub data: PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest files and folders (recursive; default: seeds). Exit 1 if any file failed.
    Ingest {
        /// Files or folders of .txt, .md, .docx documents.
        paths: Vec<PathBuf>,
        #[command(flatten)]
        out: Output,
    },
    /// Full-text search over goals and entities (any substring of a goal finds it).
    Search {
        /// Words (all required) and "quoted phrases".
        query: String,
        /// Only nodes of this kind (repeatable): goal, institution, organization, place,
        /// document, program, unit, target, person.
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<NodeKind>,
        /// Only goals of this unit (as written, e.g. 市科技局).
        #[arg(long)]
        unit: Option<String>,
        /// Only goals of this year.
        #[arg(long)]
        year: Option<u16>,
        /// How many hits to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Skip this many hits (paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[command(flatten)]
        out: Output,
    },
    /// One node (by id, name or alias) with its properties and edges.
    Show {
        name_or_id: String,
        #[command(flatten)]
        out: Output,
    },
    /// Node counts per kind, edge counts per label, documents.
    Stats {
        #[command(flatten)]
        out: Output,
    },
    /// The whole graph in a standard format.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Write here instead of stdout.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object a line: {"type":"node",...} then {"type":"edge",...}.
    Jsonl,
    /// GraphML XML (yEd, Gephi, NetworkX).
    Graphml,
    /// Neo4j import: CSV files and a Cypher script.
    Neo4j,
}

#[derive(Debug, Clone, Copy, Args)]
pub struct Output {
    /// Print exactly one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// What `main` does with the result: the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        None => default_command(&cli.data),
        Some(Command::Ingest { paths, out }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let paths = if paths.is_empty() {
                vec![PathBuf::from(SEEDS_DIR)]
            } else {
                paths
            };
            let report = ingest_with_progress(&kg, &paths)?;
            if out.json {
                print_json(&report)?;
            }
            print_summary(&report);
            Ok(if report.failed > 0 { 1 } else { 0 })
        }
        Some(Command::Search {
            query,
            kinds,
            unit,
            year,
            limit,
            offset,
            out,
        }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let results = kg.search(&SearchRequest {
                query,
                kinds,
                unit,
                year,
                limit,
                offset,
            })?;
            if out.json {
                print_json(&results)?;
            } else {
                print_search(&results);
            }
            Ok(0)
        }
        Some(Command::Show { name_or_id, out }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let view = kg.show(&name_or_id)?;
            if out.json {
                print_json(&view)?;
            } else {
                print_show(&kg, &view)?;
            }
            Ok(0)
        }
        Some(Command::Stats { out }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let stats = kg.stats()?;
            if out.json {
                print_json(&stats)?;
            } else {
                let mut t = table(&["", "count"]);
                t.add_row(vec!["documents".to_string(), stats.documents.to_string()]);
                for (k, n) in &stats.nodes {
                    t.add_row(vec![format!("node: {k}"), n.to_string()]);
                }
                for (l, n) in &stats.edges {
                    t.add_row(vec![format!("edge: {l}"), n.to_string()]);
                }
                println!("{t}");
            }
            Ok(0)
        }
        Some(Command::Export { format, out }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            if format != ExportFormat::Jsonl {
                return Err(Error::InvalidParam {
                    param: "format",
                    reason: format!("{format:?} export is not available yet; use jsonl"),
                });
            }
            match out {
                Some(path) => {
                    let f = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
                    kg.export_jsonl(&mut std::io::BufWriter::new(f))?;
                    eprintln!("wrote {}", path.display());
                }
                None => kg.export_jsonl(&mut std::io::BufWriter::new(std::io::stdout().lock()))?,
            }
            Ok(0)
        }
    }
}

/// No command: ingest the bundled seeds when the store is empty, then show what is there.
fn default_command(data: &Path) -> Result<i32> {
    let kg = KnowledgeGraph::open(data)?;
    if kg.store().is_empty() {
        let seeds = PathBuf::from(SEEDS_DIR);
        if seeds.is_dir() {
            eprintln!(
                "the store at {} is empty: ingesting {}/",
                data.display(),
                SEEDS_DIR
            );
            let report = ingest_with_progress(&kg, &[seeds])?;
            print_summary(&report);
        } else {
            eprintln!(
                "the store at {} is empty and there is no {SEEDS_DIR}/ folder here; \
                 add documents with `plangraph ingest PATH`",
                data.display()
            );
        }
    }
    let stats = kg.stats()?;
    print_json(&stats)?;
    Ok(0)
}

fn ingest_with_progress(kg: &KnowledgeGraph, paths: &[PathBuf]) -> Result<IngestReport> {
    let bar = indicatif::ProgressBar::new(0);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .expect("static template"),
    );
    let report = kg.ingest_paths(paths, &mut |p| match p {
        Progress::Start(n) => bar.set_length(n as u64),
        Progress::File(o) => {
            bar.set_message(o.file.clone());
            bar.inc(1);
        }
    })?;
    bar.finish_and_clear();
    Ok(report)
}

fn print_summary(report: &IngestReport) {
    for f in report.files.iter().filter(|f| f.status == "failed") {
        eprintln!(
            "failed: {}: {}",
            f.file,
            f.error.as_deref().unwrap_or("unknown error")
        );
    }
    for f in report.files.iter().filter(|f| f.status != "failed") {
        eprintln!("{}: {}{}", f.status, f.file, describe(f));
    }
    eprintln!(
        "{} ingested, {} unchanged, {} failed",
        report.ingested, report.unchanged, report.failed
    );
}

fn describe(f: &DocumentOutcome) -> String {
    match (&f.unit, f.year, f.goals) {
        (Some(u), Some(y), Some(g)) => format!(" ({u} {y}, {g} goals)"),
        _ => String::new(),
    }
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

fn print_search(results: &crate::index::SearchResults) {
    let color = std::io::stdout().is_terminal();
    println!(
        "{} hits for {}{}",
        results.total,
        results.query,
        if results.hits.len() < results.total {
            format!(" (showing {})", results.hits.len())
        } else {
            String::new()
        }
    );
    for (i, h) in results.hits.iter().enumerate() {
        let mut place = vec![h.kind.to_string()];
        if let (Some(u), Some(y)) = (&h.unit, h.year) {
            place.push(format!("{u} {y}"));
        }
        if let (Some(c), Some(n)) = (&h.category, &h.number) {
            place.push(format!("{c} {n}"));
        }
        println!(
            "{:>3}. {}  [{}]  {}",
            i + 1,
            h.name,
            place.join(" · "),
            h.id
        );
        println!("     {}", highlight(&h.snippet, &h.highlights, color));
    }
}

/// The snippet with its highlights in bold yellow on a terminal, in 【】 otherwise.
fn highlight(text: &str, ranges: &[[usize; 2]], color: bool) -> String {
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("【", "】")
    };
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    for (i, c) in text.chars().enumerate() {
        if ranges.iter().any(|r| r[0] == i) {
            out.push_str(open);
        }
        out.push(c);
        if ranges.iter().any(|r| r[1] == i + 1) {
            out.push_str(close);
        }
    }
    out
}

fn print_show(kg: &KnowledgeGraph, view: &crate::query::NodeView) -> Result<()> {
    let n = &view.node;
    println!("{} ({}) {}", n.name, n.kind, n.id);
    for (k, v) in &n.props {
        let v = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        println!("  {k}: {v}");
    }
    if view.edges.is_empty() {
        return Ok(());
    }
    let mut t = table(&["direction", "label", "node", "evidence"]);
    for e in &view.edges {
        let (dir, other) = if e.source == n.id {
            ("→", &e.target)
        } else {
            ("←", &e.source)
        };
        let other_name = kg
            .store()
            .node(other)?
            .map(|o| format!("{} ({})", o.name, o.kind))
            .unwrap_or_else(|| other.clone());
        let evidence = e
            .props
            .get("evidence")
            .and_then(|v| v.get("sentence"))
            .and_then(|v| v.as_str())
            .unwrap_or("");
        t.add_row(vec![
            dir.to_string(),
            e.label.to_string(),
            other_name,
            evidence.to_string(),
        ]);
    }
    println!("{t}");
    Ok(())
}
