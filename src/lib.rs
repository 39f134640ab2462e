//! # plangraph
//!
//! Turns Chinese government goal documents (年度业务目标, 工作要点) into a knowledge graph
//! that planners can search and walk, on one machine, embedded.
//!
//! The flow, one module a stage:
//!
//! ```text
//! file bytes ─► ingest  (decode, detect layout, split into goals)
//!            ─► extract (segment once with jieba; entities, relations, targets, evidence)
//!            ─► store   (sled: nodes, both edge directions, names, documents)  ◄─ source of truth
//!            ─► index   (tantivy + jieba: goals and entities)                 ◄─ rebuilt from store
//!            ─► graph   (petgraph view: trace, neighbourhoods, paths, ranking)
//!            ─► query   (the facade: KnowledgeGraph) ─► cli / http
//! ```
//!
//! Goals and evidence travel as typed records ([`model::Goal`], [`model::Evidence`]); each
//! store write returns a [`store::DocumentChange`] (what it added and removed) that the
//! graph view and the text index apply without reading the store again.
//!
//! [`export`] takes the whole graph out (JSONL, GraphML, Neo4j CSV, Turtle) and back in
//! (import, backup, restore); `cli::config` reads `plangraph.toml` and `PLANGRAPH_*`.

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
