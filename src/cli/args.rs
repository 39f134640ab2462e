//! The command line's arguments (clap derive): the commands and their options.

use crate::model::{EdgeLabel, NodeKind};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
plangraph show 高新区\n  plangraph trace 中科院\n  plangraph impact 中科院\n  plangraph duties 市科技局 --year 2022\n  \
plangraph diff 市科技局 2021 2022\n  plangraph targets --subject 高企\n  plangraph path 国家超级计算中心 高新区\n  \
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
        /// Skip this many goals of the sorted trace first (paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[command(flatten)]
        out: Output,
    },
    /// The goals an organisation is responsible for (责任单位, 牵头/配合, 由X负责), by
    /// year, with its role (lead or support), the unit, document and evidence.
    Duties {
        /// The organisation: id, name or alias.
        name_or_id: String,
        /// Only goals of this year.
        #[arg(long)]
        year: Option<u16>,
        #[command(flatten)]
        out: Output,
    },
    /// If a platform (lab, fund, organisation, policy document …) slips: the goals at stake
    /// across units and years (directly, through its parts, through targets that measure
    /// it), ranked, each with its evidence path; the targets those goals set and the
    /// documents they issue.
    Impact {
        name_or_id: String,
        /// Show at most this many goals (1 to 1000; default 50).
        #[arg(long)]
        limit: Option<usize>,
        #[command(flatten)]
        out: Output,
    },
    /// What changed in a unit's goals from one year to another: goals continued (old and
    /// new title, score), added and dropped; targets of the same subject raised, lowered,
    /// unchanged, removed or new; platforms and policy documents newly relied on or no
    /// longer mentioned.
    Diff {
        /// The unit, as its documents name it (市科技局).
        unit: String,
        /// The earlier year.
        from: u16,
        /// The later year.
        to: u16,
        #[command(flatten)]
        out: Output,
    },
    /// Every numeric target (value, range, unit, qualifier, subject, goal, unit, year,
    /// evidence); with --subject the subject's series across years.
    Targets {
        /// Only targets counting this subject: a name, alias or class (高企 finds
        /// 高新技术企业's targets).
        #[arg(long)]
        subject: Option<String>,
        /// Only targets of goals of this unit (市科技局).
        #[arg(long)]
        unit: Option<String>,
        /// Only targets of goals of this year.
        #[arg(long)]
        year: Option<u16>,
        /// Order: year (oldest first, the default), value (largest first) or subject.
        #[arg(long, default_value_t = crate::knowledge_graph::TargetSort::Year)]
        sort: crate::knowledge_graph::TargetSort,
        /// Show at most this many targets (default 50, at most 1000).
        #[arg(long)]
        limit: Option<usize>,
        /// Skip this many targets.
        #[arg(long)]
        offset: Option<usize>,
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
        /// sets_target, measures, part_of, mentions, responsible.
        #[arg(long = "label", value_name = "LABEL")]
        labels: Vec<EdgeLabel>,
        /// Only nodes of this kind (repeatable).
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<NodeKind>,
        /// At most this many nodes.
        #[arg(long, default_value_t = 500)]
        limit: usize,
        /// The subgraph's shape only: node ids, kinds and hops, edge identities (no
        /// properties or evidence), as `GET /api/nodes/{id}/neighbors?fields=ids`.
        #[arg(long)]
        ids: bool,
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
        /// Also list class nodes (技术创新中心, 重点实验室 …), marked as classes.
        #[arg(long)]
        classes: bool,
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
    /// Your corrections of names: an alias that resolves to a node (one that already names
    /// another node merges the two), kept in the data folder across re-ingests.
    Alias {
        #[command(subcommand)]
        command: AliasCommand,
    },
    /// Serve the HTTP API and the web UI (Ctrl-C stops).
    Serve(ServeArgs),
    /// Node counts per kind, edge counts per label, documents.
    Stats {
        #[command(flatten)]
        out: Output,
    },
    #[command(flatten)]
    Data(super::data::DataCommand),
}

#[derive(Debug, Subcommand)]
pub enum AliasCommand {
    /// Make ALIAS resolve to a node; when ALIAS already names another node, that node is
    /// merged into this one (its edges, evidence and goals move to it).
    Add {
        alias: String,
        /// The node that keeps the alias: id, name or alias.
        name_or_id: String,
        #[command(flatten)]
        out: Output,
    },
    /// Every alias you added: alias, node id, node name, when.
    List {
        #[command(flatten)]
        out: Output,
    },
    /// Undo an alias you added.
    Remove {
        alias: String,
        #[command(flatten)]
        out: Output,
    },
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
    /// Send CORS headers to pages of this web origin (`https://planner.example`; several
    /// separated by commas, or `*` for any). Off unless set.
    #[arg(
        long,
        env = "PLANGRAPH_CORS",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    pub cors: Vec<String>,
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
