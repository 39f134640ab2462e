//! # plangraph
//!
//! Turns Chinese government goal documents (年度业务目标, 工作要点) into a knowledge graph
//! that planners can search and walk, on one machine, embedded.
//!
//! The data flow: a write goes down, a query comes in through the facade.
//!
//! ```text
//! files ─► pipeline  walk ─► ingest (parse) ─► extract ─► batch (one document's write)
//!       ─► store     sled, the source of truth; each write says what it did
//!       ─► index     tantivy: goals, entities, name n-grams; rebuilt from the store
//!       ─► graph     petgraph view, kept in step one document write at a time
//! cli, http ─► knowledge_graph (KnowledgeGraph) ─► index: search, names
//!                                               ─► graph: trace, hops, rank
//!                                               ─► store: nodes, documents
//! ```
//!
//! Goals and evidence travel as typed records ([`model::Goal`], [`model::Evidence`]); each
//! store write returns a [`store::DocumentChange`] (what it added and removed) that the
//! graph view and the text index apply without reading the store again.
//!
//! The modules, one line each:
//!
//! - [`model`]: the vocabulary: nodes, edges, kinds, labels, stable ids, name normalisation.
//! - [`ingest`]: file bytes to a parsed document: decoding, `.docx`, layout, outline, tables.
//! - [`extract`]: a goal's text to typed nodes and edges with their evidence sentences
//!   (jieba segmentation once; entities, documents, targets, aliases, the lexicon).
//! - [`pipeline`]: the ingest pipeline: walk → parse → extract → batch, and its report.
//! - [`store`]: the sled store: nodes, both edge directions, names, documents, generation.
//! - [`index`]: tantivy full-text search over goals and entities; [`index::names`]
//!   answers name lookups (substrings, closest names) from the names' n-grams.
//! - [`graph`]: the petgraph view and its snapshot file; trace, neighbourhoods and paths,
//!   rank, co-dependence, and their result types.
//! - [`knowledge_graph`]: the facade: opening, ingest, index upkeep, name resolution,
//!   the owner file (one process holds a folder, others ask it) and the queries.
//! - [`export`]: the graph out (JSONL, GraphML, Neo4j CSV, Turtle) and back in (import,
//!   backup, restore).
//! - [`limits`]: the bounds on `limit`, `offset`, `depth` and query length, one table for
//!   CLI and HTTP.
//! - [`error`]: one error type in three classes (caller, fault, I/O), mapped once to exit
//!   codes and HTTP statuses.
//! - `http` (feature `http`): the axum API, its OpenAPI document and the web UI.
//! - `cli` (feature `cli`): the clap commands, output, and `plangraph.toml` /
//!   `PLANGRAPH_*` configuration.

#[cfg(feature = "cli")]
pub mod cli;
pub mod error;
pub mod export;
pub mod extract;
pub mod graph;
#[cfg(feature = "http")]
pub mod http;
pub mod index;
pub mod ingest;
pub mod knowledge_graph;
pub mod limits;
pub mod model;
pub mod pipeline;
pub mod store;

pub use error::{Error, Result};
pub use model::{Edge, EdgeLabel, Node, NodeKind};
