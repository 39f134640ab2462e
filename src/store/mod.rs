//! The graph store on sled, the source of truth. Only this module sees sled.
//!
//! One tree per keyspace, each name carrying its format version:
//!
//! | tree | key | value |
//! |---|---|---|
//! | `meta` | `format_version`, `generation`, `count:node:KIND`, `count:edge:LABEL` | big-endian u64 |
//! | `nodes:v1` | node id | JSON [`Node`] |
//! | `edges_out:v2` | source \0 label \0 target | edge props: JSON, an evidence its goal holds as offsets (see `edge_value.rs`) |
//! | `edges_in:v1` | target \0 label \0 source | empty (props live in `edges_out`) |
//! | `names:v1` | normalised name or alias \0 node id | empty |
//! | `node_names:v1` | node id \0 normalised name or alias | empty |
//! | `documents:v1` | document id | JSON [`DocumentRecord`] |
//! | `refs:v1` | tagged item key | big-endian u64: how many documents hold the item |
//! | `corrections` | normalised user alias | JSON [`Correction`] (see `corrections.rs`) |
//!
//! Every node, edge and name entry is held by the documents that produced it. Replacing a
//! document releases what its old version held; an item no document holds any more is
//! deleted, so nothing is orphaned and items shared with other documents survive.

mod change;
mod corrections;
mod declared;
mod edge_value;
mod keys;
mod links;
mod load;
mod verify;

pub use change::{DocumentChange, Prior, WriteOutcome, WriteStatus};
pub use corrections::Correction;
pub use links::{is_link, RevisesWrite};
pub use load::{BulkLoad, LoadCounts};

use crate::error::{Error, Result};
use crate::model::{normalize_name, Edge, EdgeLabel, Node, NodeKind, Props};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The on-disk format this build reads and writes.
pub const FORMAT_VERSION: u64 = 2;

/// An edge's identity: (source, label, target).
pub type EdgeKey = (String, EdgeLabel, String);

const T_NODES: &str = "nodes:v1";
const T_OUT: &str = "edges_out:v2";
const T_IN: &str = "edges_in:v1";
const T_NAMES: &str = "names:v1";
const T_NODE_NAMES: &str = "node_names:v1";
const T_DOCS: &str = "documents:v1";
const T_REFS: &str = "refs:v1";

/// What the store keeps about one ingested document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub id: String,
    pub unit: String,
    pub year: u16,
    pub title: String,
    /// xxh3 of the file's bytes, hex.
    pub content_hash: String,
    /// The path (or upload name) it was read from.
    pub source: String,
    pub bytes: u64,
    pub layout: crate::model::Layout,
    pub leader: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    /// Version of the extractor that produced the items below.
    pub extractor_version: u32,
    /// Seconds since the Unix epoch.
    pub ingested_at: u64,
    pub goals: Vec<String>,
    /// What this document holds (released when it is replaced).
    #[serde(default)]
    pub nodes: Vec<String>,
    #[serde(default)]
    pub edges: Vec<EdgeKey>,
    #[serde(default)]
    pub names: Vec<(String, String)>,
    /// Entities of this document joined to another document's node by a name that
    /// document declared (short form, former name): (normalised name, the node's id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joined: Vec<(String, String)>,
}

/// One document's whole contribution to the graph, written atomically.
#[derive(Debug, Clone)]
pub struct DocumentBatch {
    /// The record; its `nodes`, `edges` and `names` are filled in by the store.
    pub record: DocumentRecord,
    /// Every node the document mentions, including its unit and goals. Every edge endpoint
    /// must be among them.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Extra names (aliases) by which nodes can be found: (name as written, node id).
    /// Each node's own name is indexed without being listed here.
    pub aliases: Vec<(String, String)>,
}

/// Counts for `stats`. Serialised with the kinds and labels as names, sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stats {
    #[serde(serialize_with = "counts_by_name")]
    #[schema(value_type = BTreeMap<String, u64>)]
    pub nodes: BTreeMap<NodeKind, u64>,
    #[serde(serialize_with = "counts_by_name")]
    #[schema(value_type = BTreeMap<String, u64>)]
    pub edges: BTreeMap<EdgeLabel, u64>,
    pub documents: u64,
}

impl Stats {
    /// Node counts by kind name, sorted by name (as JSON shows them).
    pub fn nodes_by_name(&self) -> BTreeMap<String, u64> {
        by_name(&self.nodes)
    }

    /// Edge counts by label name, sorted by name (as JSON shows them).
    pub fn edges_by_name(&self) -> BTreeMap<String, u64> {
        by_name(&self.edges)
    }
}

fn by_name<K: std::fmt::Display>(counts: &BTreeMap<K, u64>) -> BTreeMap<String, u64> {
    counts.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

fn counts_by_name<K: std::fmt::Display, S: serde::Serializer>(
    counts: &BTreeMap<K, u64>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_map(by_name(counts))
}

/// sled's page cache for bulk passes ([`GraphStore::open_bulk`]): 32 MiB.
pub const BULK_CACHE_BYTES: u64 = 32 << 20;

/// The graph store. Cheap to share behind an `Arc`; writes are serialised internally.
pub struct GraphStore {
    path: Option<PathBuf>,
    db: sled::Db,
    meta: sled::Tree,
    nodes: sled::Tree,
    out: sled::Tree,
    inn: sled::Tree,
    names: sled::Tree,
    node_names: sled::Tree,
    docs: sled::Tree,
    refs: sled::Tree,
    corrections: sled::Tree,
    write_lock: Mutex<()>,
    /// The documents of each unit, read once and kept up to date by every write.
    unit_docs: links::UnitDocs,
}

impl GraphStore {
    /// Open (or create) the store in `dir`, checking its format version.
    ///
    /// sled releases its file lock a moment after the last handle is dropped (its flusher
    /// thread lets go last), so a lock held by this or an exiting process is retried for
    /// up to two seconds before it is reported as [`Error::Locked`].
    pub fn open(dir: &Path) -> Result<GraphStore> {
        GraphStore::open_with_cache(dir, None)
    }

    /// Open the store for a bulk pass that reads or writes every record once (export,
    /// backup, import, restore, rebuilding the text index): sled's page cache is capped at
    /// [`BULK_CACHE_BYTES`] instead of its default 1 GiB, so a full scan does not keep
    /// what it read and memory stays bounded however large the store.
    pub fn open_bulk(dir: &Path) -> Result<GraphStore> {
        GraphStore::open_with_cache(dir, Some(BULK_CACHE_BYTES))
    }

    /// Open the store at `dir` and close it again, so the next opener does not replay the
    /// log: sled (0.34) writes the snapshot of its page table only when it opens, after
    /// replaying everything written since the last one. Done at the end of a long write
    /// (an ingest), it saves a server started next those seconds (2.3 s after an ingest
    /// of 5,000 documents).
    pub fn settle(dir: &Path) -> Result<()> {
        drop(GraphStore::open_bulk(dir)?);
        Ok(())
    }

    /// Open with sled's page cache capped at `cache_bytes` (sled's default when `None`).
    pub fn open_with_cache(dir: &Path, cache_bytes: Option<u64>) -> Result<GraphStore> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        let mut wait = std::time::Duration::from_millis(5);
        loop {
            let mut config = sled::Config::new().path(dir);
            if let Some(bytes) = cache_bytes {
                config = config.cache_capacity(bytes);
            }
            match config.open() {
                Ok(db) => return GraphStore::from_db(db, Some(dir.to_path_buf())),
                Err(sled::Error::Io(io)) if is_lock_error(&io) => {
                    if std::time::Instant::now() >= deadline {
                        return Err(Error::Locked {
                            path: dir.to_path_buf(),
                        });
                    }
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(std::time::Duration::from_millis(200));
                }
                Err(other) => return Err(other.into()),
            }
        }
    }

    /// A store that lives in memory and a temporary file, gone when dropped (tests).
    pub fn temporary() -> Result<GraphStore> {
        let db = sled::Config::new().temporary(true).open()?;
        GraphStore::from_db(db, None)
    }

    fn from_db(db: sled::Db, path: Option<PathBuf>) -> Result<GraphStore> {
        let meta = db.open_tree("meta")?;
        let shown = path.clone().unwrap_or_default();
        match meta.get(keys::FORMAT_VERSION)? {
            None => {
                if db.tree_names().len() > 2 || !meta.is_empty() {
                    return Err(Error::Corrupt {
                        tree: "meta",
                        reason: "the format version is missing".into(),
                    });
                }
                meta.insert(keys::FORMAT_VERSION, &keys::u64_bytes(FORMAT_VERSION))?;
            }
            Some(v) => {
                let found = keys::read_u64(&v);
                if found != FORMAT_VERSION {
                    return Err(Error::FormatVersion {
                        path: shown,
                        found: found as u32,
                        expected: FORMAT_VERSION as u32,
                        advice: if found < FORMAT_VERSION {
                            "back it up with the plangraph that wrote it (`plangraph backup`) and restore the \
                             backup into a new --data folder, or re-ingest your documents there"
                        } else {
                            "upgrade plangraph to read it"
                        },
                    });
                }
            }
        }
        Ok(GraphStore {
            nodes: db.open_tree(T_NODES)?,
            out: db.open_tree(T_OUT)?,
            inn: db.open_tree(T_IN)?,
            names: db.open_tree(T_NAMES)?,
            node_names: db.open_tree(T_NODE_NAMES)?,
            docs: db.open_tree(T_DOCS)?,
            refs: db.open_tree(T_REFS)?,
            corrections: db.open_tree(corrections::T_CORRECTIONS)?,
            meta,
            db,
            path,
            write_lock: Mutex::new(()),
            unit_docs: Default::default(),
        })
    }

    /// Where the store lives (`None` for a temporary store).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Make every write so far durable.
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    /// Increases by one with every document write; the text index records the generation it
    /// is up to date with.
    pub fn generation(&self) -> Result<u64> {
        Ok(self
            .meta
            .get(keys::GENERATION)?
            .map(|v| keys::read_u64(&v))
            .unwrap_or(0))
    }

    pub fn document(&self, id: &str) -> Result<Option<DocumentRecord>> {
        self.docs
            .get(id.as_bytes())?
            .map(|v| decode(T_DOCS, &v))
            .transpose()
    }

    pub fn documents(&self) -> impl Iterator<Item = Result<DocumentRecord>> + '_ {
        self.docs
            .iter()
            .map(|r| r.map_err(Error::from).and_then(|(_, v)| decode(T_DOCS, &v)))
    }

    pub fn document_count(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn node(&self, id: &str) -> Result<Option<Node>> {
        self.nodes
            .get(id.as_bytes())?
            .map(|v| decode(T_NODES, &v))
            .transpose()
    }

    /// The field texts of goal `id` as stored (`None` when it is no stored goal).
    fn goal_text(&self, id: &str) -> Result<Option<edge_value::GoalText>> {
        Ok(self.node(id)?.as_ref().and_then(edge_value::GoalText::of))
    }

    /// Some fields of a node: `T` is any `Deserialize` shape of the node's JSON (fields it
    /// does not name are skipped, not copied).
    pub fn node_part<T: serde::de::DeserializeOwned>(&self, id: &str) -> Result<Option<T>> {
        self.nodes
            .get(id.as_bytes())?
            .map(|v| decode(T_NODES, &v))
            .transpose()
    }

    pub fn nodes(&self) -> impl Iterator<Item = Result<Node>> + '_ {
        self.nodes.iter().map(|r| {
            r.map_err(Error::from)
                .and_then(|(_, v)| decode(T_NODES, &v))
        })
    }

    /// Every edge, in (source, label, target) order.
    pub fn edges(&self) -> impl Iterator<Item = Result<Edge>> + '_ {
        let mut goals = edge_value::GoalCache::new(&self.nodes);
        self.out.iter().map(move |r| {
            let (k, v) = r?;
            edge_from(&k, &v, &mut goals)
        })
    }

    /// Edges leaving `id`, optionally only those with `label`.
    pub fn edges_out(&self, id: &str, label: Option<EdgeLabel>) -> Result<Vec<Edge>> {
        let mut goals = edge_value::GoalCache::new(&self.nodes);
        self.out
            .scan_prefix(keys::edge_prefix(id, label))
            .map(|r| {
                let (k, v) = r?;
                edge_from(&k, &v, &mut goals)
            })
            .collect()
    }

    /// Edges arriving at `id`, optionally only those with `label`.
    pub fn edges_in(&self, id: &str, label: Option<EdgeLabel>) -> Result<Vec<Edge>> {
        let mut goals = edge_value::GoalCache::new(&self.nodes);
        self.inn
            .scan_prefix(keys::edge_prefix(id, label))
            .map(|r| {
                let (k, _) = r?;
                let (target, label, source) = keys::parse_edge(&k).ok_or(Error::Corrupt {
                    tree: T_IN,
                    reason: "bad edge key".into(),
                })?;
                let props = match self.out.get(keys::edge(&source, label, &target))? {
                    Some(v) => goals.decode(&source, &target, &v)?,
                    None => Props::new(),
                };
                Ok(Edge {
                    source,
                    target,
                    label,
                    props,
                })
            })
            .collect()
    }

    /// One edge by its identity, with its props.
    pub fn edge(&self, source: &str, label: EdgeLabel, target: &str) -> Result<Option<Edge>> {
        self.out
            .get(keys::edge(source, label, target))?
            .map(|v| {
                Ok(Edge {
                    source: source.to_string(),
                    target: target.to_string(),
                    label,
                    props: edge_value::GoalCache::new(&self.nodes).decode(source, target, &v)?,
                })
            })
            .transpose()
    }

    /// Edges by identity, with their props, in the order given (any not stored left out).
    /// Evidence sentences are cut from the goals among `nodes` where the edge's goal is
    /// one of them (a caller that read them already), else from the store.
    pub fn edges_by_key<'k>(
        &self,
        keys: impl IntoIterator<Item = (&'k str, EdgeLabel, &'k str)>,
        nodes: &[Node],
    ) -> Result<Vec<Edge>> {
        let mut goals = edge_value::GoalCache::knowing(&self.nodes, nodes);
        let mut edges = Vec::new();
        for (source, label, target) in keys {
            if let Some(v) = self.out.get(keys::edge(source, label, target))? {
                edges.push(Edge {
                    source: source.to_string(),
                    target: target.to_string(),
                    label,
                    props: goals.decode(source, target, &v)?,
                });
            }
        }
        Ok(edges)
    }

    /// Call `f(source, label, target)` for every edge, in (target, label, source) order,
    /// without decoding props or copying ids. For building in-memory views.
    pub fn for_each_edge_key(&self, mut f: impl FnMut(&str, EdgeLabel, &str)) -> Result<()> {
        for r in self.inn.iter() {
            let (k, _) = r?;
            let (target, label, source) = keys::parse_edge_ref(&k).ok_or(Error::Corrupt {
                tree: T_IN,
                reason: "bad edge key".into(),
            })?;
            f(source, label, target);
        }
        Ok(())
    }

    /// Every edge's identity without its props (no value is decoded), in (target, label,
    /// source) order.
    pub fn edge_keys(&self) -> impl Iterator<Item = Result<EdgeKey>> + '_ {
        self.inn.iter().map(|r| {
            let (k, _) = r?;
            let (target, label, source) = keys::parse_edge_ref(&k).ok_or(Error::Corrupt {
                tree: T_IN,
                reason: "bad edge key".into(),
            })?;
            Ok((source.to_string(), label, target.to_string()))
        })
    }

    /// Every node's id and kind, decoding only those two fields. For building views.
    pub fn node_kinds(&self) -> impl Iterator<Item = Result<(String, NodeKind)>> + '_ {
        #[derive(Deserialize)]
        struct IdKind {
            id: String,
            kind: NodeKind,
        }
        self.nodes.iter().map(|r| {
            let (_, v) = r?;
            let n: IdKind = decode(T_NODES, &v)?;
            Ok((n.id, n.kind))
        })
    }

    /// Ids of nodes whose name or alias normalises to `name` exactly.
    pub fn ids_named(&self, name: &str) -> Result<Vec<String>> {
        let norm = normalize_name(name);
        let mut prefix = norm.into_bytes();
        prefix.push(keys::SEP);
        self.names
            .scan_prefix(prefix)
            .map(|r| {
                let (k, _) = r?;
                keys::parse_name(&k)
                    .map(|(_, id)| id)
                    .ok_or(Error::Corrupt {
                        tree: T_NAMES,
                        reason: "bad name key".into(),
                    })
            })
            .collect()
    }

    /// Every (normalised name or alias, node id) whose name starts with `prefix`
    /// (all names for an empty prefix), in name order.
    pub fn names_with_prefix(
        &self,
        prefix: &str,
    ) -> impl Iterator<Item = Result<(String, String)>> + '_ {
        self.names
            .scan_prefix(normalize_name(prefix).into_bytes())
            .map(|r| {
                let (k, _) = r?;
                keys::parse_name(&k).ok_or(Error::Corrupt {
                    tree: T_NAMES,
                    reason: "bad name key".into(),
                })
            })
    }

    /// The aliases of a node (its names other than its own), as normalised.
    pub fn aliases_of(&self, node: &Node) -> Result<Vec<String>> {
        let own = normalize_name(&node.name);
        let mut prefix = node.id.clone().into_bytes();
        prefix.push(keys::SEP);
        let mut found = Vec::new();
        for r in self.node_names.scan_prefix(prefix) {
            let (k, _) = r?;
            if let Some((_, name)) = keys::parse_name(&k) {
                if name != own {
                    found.push(name);
                }
            }
        }
        Ok(found)
    }

    /// Node counts per kind, edge counts per label, documents: kept as counters, no scan.
    pub fn stats(&self) -> Result<Stats> {
        let mut stats = Stats {
            documents: self.docs.len() as u64,
            ..Stats::default()
        };
        // a counter under a name that is no kind or label (none is written) is left out
        let counters = |prefix: &'static [u8]| {
            self.meta.scan_prefix(prefix).filter_map(move |r| {
                let (k, v) = match r {
                    Ok(kv) => kv,
                    Err(e) => return Some(Err(e)),
                };
                let n = keys::read_u64(&v);
                let name = std::str::from_utf8(&k[prefix.len()..]).ok()?.to_string();
                (n > 0).then_some(Ok((name, n)))
            })
        };
        for r in counters(keys::COUNT_NODE_PREFIX) {
            let (name, n) = r?;
            if let Ok(kind) = name.parse::<NodeKind>() {
                stats.nodes.insert(kind, n);
            }
        }
        for r in counters(keys::COUNT_EDGE_PREFIX) {
            let (name, n) = r?;
            if let Ok(label) = name.parse::<EdgeLabel>() {
                stats.edges.insert(label, n);
            }
        }
        Ok(stats)
    }
}

fn is_lock_error(io: &std::io::Error) -> bool {
    io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("lock")
}

fn decode<T: serde::de::DeserializeOwned>(tree: &'static str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Corrupt {
        tree,
        reason: e.to_string(),
    })
}

fn edge_from(key: &[u8], value: &[u8], goals: &mut edge_value::GoalCache<'_>) -> Result<Edge> {
    let (source, label, target) = keys::parse_edge(key).ok_or(Error::Corrupt {
        tree: T_OUT,
        reason: "bad edge key".into(),
    })?;
    let props = goals.decode(&source, &target, value)?;
    Ok(Edge {
        source,
        target,
        label,
        props,
    })
}

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Error {
        Error::Store(crate::error::BackendError::new(e))
    }
}
