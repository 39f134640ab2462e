//! The JSONL export: the whole store, one JSON object a line, in this order:
//!
//! | `type` | fields |
//! |---|---|
//! | `header` | `format` (`plangraph-jsonl`), `version`, `store_format`, `nodes`, `edges`, `documents` |
//! | `node` | `id`, `kind`, `name`, `props`, `aliases` (the normalised other names it is found by) |
//! | `edge` | `source`, `target`, `label`, `props` |
//! | `document` | the stored document record: `id`, `unit`, `year`, `title`, `content_hash`, `source`, …, and what it holds (`nodes`, `edges`, `names`) |
//! | `alias` | a user correction (`plangraph alias add`): `alias` → `node`, `added_at`, `merged` (ids merged into `node`) |
//!
//! Lines come in key order within each type, so two exports of the same store are
//! identical and `import` followed by an export gives the same lines back.

use super::{io_error, Tick, JSONL_VERSION};
use crate::error::Result;
use crate::model::{Edge, EdgeLabel, NodeKind, Props};
use crate::store::{DocumentRecord, GraphStore, FORMAT_VERSION};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// The value of the header's `format`.
pub const FORMAT_NAME: &str = "plangraph-jsonl";

/// The first line: what follows and how much of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u64,
    pub store_format: u64,
    pub nodes: u64,
    pub edges: u64,
    pub documents: u64,
}

/// A node line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeLine {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    #[serde(default)]
    pub props: Props,
    /// Derived from the documents' `names`; informative on import.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A user correction: `alias` resolves to `node`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasLine {
    pub alias: String,
    pub node: String,
    /// Seconds since the Unix epoch.
    #[serde(default)]
    pub added_at: u64,
    /// Ids of the nodes merged into `node` by this alias.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<String>,
}

impl From<crate::store::Correction> for AliasLine {
    fn from(c: crate::store::Correction) -> AliasLine {
        AliasLine {
            alias: c.alias,
            node: c.node,
            added_at: c.added_at,
            merged: c.merged,
        }
    }
}

impl From<AliasLine> for crate::store::Correction {
    fn from(a: AliasLine) -> crate::store::Correction {
        crate::store::Correction {
            alias: a.alias,
            node: a.node,
            added_at: a.added_at,
            merged: a.merged,
        }
    }
}

/// One line of the export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Line {
    Header(Header),
    Node(NodeLine),
    Edge(EdgeLine),
    Document(Box<DocumentRecord>),
    Alias(AliasLine),
}

/// An edge line (the [`Edge`] fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeLine {
    pub source: String,
    pub target: String,
    pub label: EdgeLabel,
    #[serde(default)]
    pub props: Props,
}

impl From<EdgeLine> for Edge {
    fn from(e: EdgeLine) -> Edge {
        Edge {
            source: e.source,
            target: e.target,
            label: e.label,
            props: e.props,
        }
    }
}

/// The header for the store as it is now.
pub fn header(store: &GraphStore) -> Result<Header> {
    let stats = store.stats()?;
    Ok(Header {
        format: FORMAT_NAME.into(),
        version: JSONL_VERSION,
        store_format: FORMAT_VERSION,
        nodes: stats.nodes.values().sum(),
        edges: stats.edges.values().sum(),
        documents: stats.documents,
    })
}

/// Write the whole store as JSON lines (call under [`GraphStore::without_writes`] for a
/// consistent export).
pub fn write(store: &GraphStore, out: &mut dyn Write, tick: Tick<'_>) -> Result<()> {
    let mut line = Vec::with_capacity(4096);
    let mut emit = |out: &mut dyn Write, l: &Line| -> Result<()> {
        line.clear();
        serde_json::to_writer(&mut line, l)?;
        line.push(b'\n');
        out.write_all(&line).map_err(io_error)
    };
    emit(out, &Line::Header(header(store)?))?;
    let mut n = 0u64;
    for node in store.nodes() {
        let node = node?;
        let mut aliases = store.aliases_of(&node)?;
        aliases.sort();
        emit(
            out,
            &Line::Node(NodeLine {
                id: node.id,
                kind: node.kind,
                name: node.name,
                props: node.props,
                aliases,
            }),
        )?;
        n += 1;
        if n.is_multiple_of(1024) {
            tick(1024);
        }
    }
    tick(n % 1024);
    n = 0;
    for edge in store.edges() {
        let e = edge?;
        emit(
            out,
            &Line::Edge(EdgeLine {
                source: e.source,
                target: e.target,
                label: e.label,
                props: e.props,
            }),
        )?;
        n += 1;
        if n.is_multiple_of(1024) {
            tick(1024);
        }
    }
    tick(n % 1024);
    for doc in store.documents() {
        emit(out, &Line::Document(Box::new(doc?)))?;
        tick(1);
    }
    for c in store.corrections()? {
        emit(out, &Line::Alias(c.into()))?;
    }
    out.flush().map_err(io_error)
}
