//! The command line: clap commands, one function each, printing a readable table or, with
//! `--json`, exactly one JSON document on stdout. Logs and progress go to stderr.

use crate::error::{Error, Result};
use crate::graph::{CoDependence, PathResult, Ranking, Subgraph, Trace};
use crate::index::SearchRequest;
use crate::model::{EdgeLabel, Node, NodeKind};
use crate::query::{DocumentOutcome, IngestReport, KnowledgeGraph, NeighborsRequest, Progress};
use clap::{Args, Parser, Subcommand};
use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Where the bundled documents live (relative to the working directory).
pub const SEEDS_DIR: &str = "seeds";

/// Where `serve` listens unless told otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7878";

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
plangraph show 高新区\n  plangraph trace 中科院\n  plangraph path 国家超级计算中心 高新区\n  \
plangraph rank --kind institution\n  plangraph serve --addr 127.0.0.1:7878\n  plangraph stats --json"
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

    /// Settings file (default: DIR/plangraph.toml when there is one).
    #[arg(long, global = true, env = "PLANGRAPH_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

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
    /// Which goals depend on an entity (a platform, lab, fund, organisation, document,
    /// programme), directly, through a target or through its parts.
    Trace {
        name_or_id: String,
        /// Show at most this many goals.
        #[arg(long)]
        limit: Option<usize>,
        #[command(flatten)]
        out: Output,
    },
    /// The subgraph within N hops of a node.
    Neighbors {
        name_or_id: String,
        /// Hops (0 to 4).
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// Only edges with this label (repeatable): has_goal, depends_on, issues,
        /// sets_target, measures, part_of, mentions.
        #[arg(long = "label", value_name = "LABEL")]
        labels: Vec<EdgeLabel>,
        /// Only nodes of this kind (repeatable).
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<NodeKind>,
        /// At most this many nodes.
        #[arg(long, default_value_t = 500)]
        limit: usize,
        #[command(flatten)]
        out: Output,
    },
    /// A shortest path between two nodes (edges followed either way).
    Path {
        from: String,
        to: String,
        /// Only edges with this label (repeatable).
        #[arg(long = "label", value_name = "LABEL")]
        labels: Vec<EdgeLabel>,
        #[command(flatten)]
        out: Output,
    },
    /// Entities by how many goals depend on them, with PageRank.
    Rank {
        /// Only entities of this kind: institution, organization, place, document,
        /// program, person.
        #[arg(long)]
        kind: Option<NodeKind>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        out: Output,
    },
    /// Goals that rely on the same entities as a goal, most shared first.
    #[command(name = "co-dependent")]
    CoDependent {
        /// The goal: id or title.
        goal: String,
        /// Only shared entities of this kind (repeatable).
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<NodeKind>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        out: Output,
    },
    /// Serve the HTTP API and the web UI (Ctrl-C stops).
    Serve(ServeArgs),
    /// Node counts per kind, edge counts per label, documents.
    Stats {
        #[command(flatten)]
        out: Output,
    },
    #[command(flatten)]
    Data(crate::cli_data::DataCommand),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:7878].
    #[arg(long, env = "PLANGRAPH_ADDR", value_name = "ADDR")]
    pub addr: Option<String>,
    /// Accept uploads from other machines that send `Authorization: Bearer TOKEN`
    /// (without one, only this machine may upload).
    #[arg(
        long,
        env = "PLANGRAPH_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// The log filter when `RUST_LOG` is unset (from the configuration).
    #[arg(skip)]
    pub log: Option<String>,
    /// A request taking longer than this many seconds gets a 408.
    #[arg(long, default_value_t = 60, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub request_timeout: u64,
}

#[derive(Debug, Clone, Copy, Args)]
pub struct Output {
    /// Print exactly one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// What `main` does with the result: the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let config = crate::config::Config::load(cli.config.as_deref(), &cli.data)?;
    let seeds = config
        .seeds
        .clone()
        .unwrap_or_else(|| PathBuf::from(SEEDS_DIR));
    match cli.command {
        None => default_command(&cli.data, &config),
        Some(Command::Ingest { paths, out }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let paths = if paths.is_empty() { vec![seeds] } else { paths };
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
            emit(out, &results, |v| {
                print_search(v);
                Ok(())
            })
        }
        Some(Command::Show { name_or_id, out }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let view = kg.show(&name_or_id)?;
            emit(out, &view, |v| print_show(&kg, v))
        }
        Some(Command::Trace {
            name_or_id,
            limit,
            out,
        }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let trace = kg.trace(&name_or_id, limit)?;
            emit(out, &trace, |v| {
                print_trace(v);
                Ok(())
            })
        }
        Some(Command::Neighbors {
            name_or_id,
            depth,
            labels,
            kinds,
            limit,
            out,
        }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let sub = kg.neighbors(
                &name_or_id,
                &NeighborsRequest {
                    depth,
                    labels,
                    kinds,
                    limit,
                },
            )?;
            emit(out, &sub, |v| {
                print_subgraph(v);
                Ok(())
            })
        }
        Some(Command::Path {
            from,
            to,
            labels,
            out,
        }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let path = kg.path(&from, &to, &labels)?;
            emit(out, &path, |v| {
                print_path(v);
                Ok(())
            })
        }
        Some(Command::Rank { kind, limit, out }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let ranking = kg.rank(kind, limit)?;
            emit(out, &ranking, |v| {
                print_ranking(v);
                Ok(())
            })
        }
        Some(Command::CoDependent {
            goal,
            kinds,
            limit,
            out,
        }) => {
            let kg = KnowledgeGraph::open(&cli.data)?;
            let co = kg.co_dependent(&goal, &kinds, limit)?;
            emit(out, &co, |v| {
                print_co_dependence(v);
                Ok(())
            })
        }
        Some(Command::Serve(args)) => {
            let started = std::time::Instant::now();
            let kg = KnowledgeGraph::open(&cli.data)?;
            serve(kg, &config.apply_serve(args), started)
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
        Some(Command::Data(command)) => crate::cli_data::run(command, &cli.data),
    }
}

/// No command: ingest the bundled seeds when the store is empty, then serve on the default
/// address.
fn default_command(data: &Path, config: &crate::config::Config) -> Result<i32> {
    let started = std::time::Instant::now();
    let kg = KnowledgeGraph::open(data)?;
    if kg.store().is_empty() {
        let seeds = config
            .seeds
            .clone()
            .unwrap_or_else(|| PathBuf::from(SEEDS_DIR));
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
                 add documents with `plangraph ingest PATH` or upload them in the web UI",
                data.display()
            );
        }
    }
    let args = ServeArgs {
        addr: None,
        token: None,
        log: None,
        request_timeout: crate::http::REQUEST_TIMEOUT.as_secs(),
    };
    serve(kg, &config.apply_serve(args), started)
}

/// Serve until Ctrl-C. Logs go to stderr, filtered by `RUST_LOG` (default: info).
fn serve(kg: KnowledgeGraph, args: &ServeArgs, started: std::time::Instant) -> Result<i32> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                args.log
                    .as_deref()
                    .unwrap_or("plangraph=info,tower_http=info")
                    .into()
            }),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    let addr = args
        .addr
        .clone()
        .unwrap_or_else(|| DEFAULT_ADDR.to_string());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("tokio runtime", e))?;
    let state = crate::http::AppState::new(std::sync::Arc::new(kg), args.token.clone())
        .with_request_timeout(std::time::Duration::from_secs(args.request_timeout));
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| Error::io(&addr, e))?;
        let local = listener.local_addr().map_err(|e| Error::io(&addr, e))?;
        if !local.ip().is_loopback() && state.token.is_none() {
            eprintln!(
                "note: listening on {local} without a token: uploads are accepted only from \
                 this machine (set --token or PLANGRAPH_TOKEN to accept them from others)"
            );
        }
        let shown = if local.ip().is_unspecified() {
            format!("http://127.0.0.1:{}/", local.port())
        } else {
            format!("http://{local}/")
        };
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            "listening on {local}"
        );
        println!("plangraph: serving {shown} (Ctrl-C to stop)");
        let _ = std::io::stdout().flush();
        crate::http::serve(state, listener, crate::http::shutdown_signal()).await
    })?;
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

/// Print `value` as one JSON document with `--json`, else as `table` prints it; exit 0.
fn emit<T: serde::Serialize>(
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

/// `name (kind)` of a node.
fn label_of(n: &Node) -> String {
    format!("{} ({})", n.name, n.kind)
}

fn print_trace(trace: &Trace) {
    let e = &trace.entity;
    println!(
        "{} {} on {} ({}) {}{}",
        trace.total,
        if trace.total == 1 {
            "goal depends"
        } else {
            "goals depend"
        },
        e.name,
        e.kind,
        e.id,
        if trace.goals.len() < trace.total {
            format!(" (showing {})", trace.goals.len())
        } else {
            String::new()
        }
    );
    // Grouped by unit and year: one table each.
    type Group<'a> = ((&'a str, Option<u16>), Vec<&'a crate::graph::TracedGoal>);
    let mut groups: Vec<Group<'_>> = Vec::new();
    for g in &trace.goals {
        let key = (g.unit.as_str(), g.year);
        match groups.last_mut() {
            Some((k, list)) if *k == key => list.push(g),
            _ => groups.push((key, vec![g])),
        }
    }
    for ((unit, year), goals) in groups {
        println!();
        println!("{unit} {}", year.map(|y| y.to_string()).unwrap_or_default());
        let mut t = table(&["category", "no.", "goal", "relation", "via", "evidence"]);
        for g in goals {
            let via: Vec<&str> = g.via.iter().map(|v| v.name.as_str()).collect();
            let relation = match &g.action {
                Some(a) => format!("{} ({a})", g.relation),
                None => g.relation.to_string(),
            };
            t.add_row(vec![
                g.category.clone(),
                g.number.clone(),
                g.name.clone(),
                relation,
                via.join(" → "),
                g.evidence.clone(),
            ]);
        }
        println!("{t}");
    }
}

fn node_names(nodes: &[Node]) -> std::collections::HashMap<&str, &Node> {
    nodes.iter().map(|n| (n.id.as_str(), n)).collect()
}

fn print_edges(edges: &[crate::model::Edge], names: &std::collections::HashMap<&str, &Node>) {
    let name = |id: &str| {
        names
            .get(id)
            .map(|n| label_of(n))
            .unwrap_or_else(|| id.to_string())
    };
    let mut t = table(&["source", "label", "target"]);
    for e in edges {
        t.add_row(vec![name(&e.source), e.label.to_string(), name(&e.target)]);
    }
    println!("{t}");
}

fn print_subgraph(sub: &Subgraph) {
    println!(
        "{} nodes and {} edges within {} hop{} of {}{}",
        sub.nodes.len(),
        sub.edges.len(),
        sub.depth,
        if sub.depth == 1 { "" } else { "s" },
        sub.nodes
            .first()
            .map(label_of)
            .unwrap_or_else(|| sub.center.clone()),
        if sub.truncated {
            " (cut short by --limit)"
        } else {
            ""
        }
    );
    let mut t = table(&["kind", "name", "id"]);
    for n in &sub.nodes {
        t.add_row(vec![n.kind.to_string(), n.name.clone(), n.id.clone()]);
    }
    println!("{t}");
    if !sub.edges.is_empty() {
        print_edges(&sub.edges, &node_names(&sub.nodes));
    }
}

fn print_path(path: &PathResult) {
    let mut line = String::new();
    for (i, n) in path.nodes.iter().enumerate() {
        if i > 0 {
            let e = &path.edges[i - 1];
            if e.source == path.nodes[i - 1].id {
                line.push_str(&format!(" —{}→ ", e.label));
            } else {
                line.push_str(&format!(" ←{}— ", e.label));
            }
        }
        line.push_str(&label_of(n));
    }
    println!(
        "{} hop{}: {line}",
        path.length,
        if path.length == 1 { "" } else { "s" }
    );
    if !path.edges.is_empty() {
        print_edges(&path.edges, &node_names(&path.nodes));
    }
}

fn print_ranking(r: &Ranking) {
    println!(
        "{} {}{}",
        r.total,
        match r.kind {
            Some(k) => format!("{k} entities"),
            None => "entities".to_string(),
        },
        if r.entities.len() < r.total {
            format!(" (showing {})", r.entities.len())
        } else {
            String::new()
        }
    );
    let mut t = table(&["#", "name", "kind", "goals", "depends_on", "pagerank"]);
    for (i, e) in r.entities.iter().enumerate() {
        t.add_row(vec![
            (i + 1).to_string(),
            e.name.clone(),
            e.kind.to_string(),
            e.goals.to_string(),
            e.depends_on.to_string(),
            format!("{:.5}", e.pagerank),
        ]);
    }
    println!("{t}");
}

fn print_co_dependence(c: &CoDependence) {
    let shared: Vec<&str> = c.entities.iter().map(|e| e.name.as_str()).collect();
    println!(
        "{} ({}) relies on: {}",
        c.goal.name,
        c.goal.id,
        if shared.is_empty() {
            "nothing".to_string()
        } else {
            shared.join("、")
        }
    );
    println!(
        "{} {} at least one of them",
        c.total,
        if c.total == 1 {
            "goal shares"
        } else {
            "goals share"
        }
    );
    let mut t = table(&[
        "shared", "unit", "year", "category", "no.", "goal", "entities",
    ]);
    for g in &c.goals {
        let names: Vec<&str> = g.shared.iter().map(|e| e.name.as_str()).collect();
        t.add_row(vec![
            g.shared.len().to_string(),
            g.unit.clone(),
            g.year.map(|y| y.to_string()).unwrap_or_default(),
            g.category.clone(),
            g.number.clone(),
            g.name.clone(),
            names.join("、"),
        ]);
    }
    println!("{t}");
}
