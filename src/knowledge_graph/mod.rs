//! `KnowledgeGraph`: the one facade the CLI and the HTTP API call. It owns the store (the
//! source of truth), the text index (kept in step with the store, rebuilt from it when
//! missing or stale), the in-memory graph view (built on the first graph query, then
//! updated with every document write; see [`crate::graph`]) and the extractor.

mod aliases;
pub mod continues;
mod declared;
mod diff;
mod duties;
mod facade;
mod impact;
mod ingest;
mod lineage;
pub mod owner;
mod resolve;
mod results;
mod targets;
mod text;
mod view_cache;

pub use crate::pipeline::{DocumentOutcome, IngestReport, OutcomeStatus, Progress};
pub use aliases::{AliasChange, AliasEntry, AliasList};
pub use diff::{ContinuedGoal, Diff, Mentioned, MentionedNode, TargetChange};
pub use duties::{Duties, DutyGoal, DutyYear};
pub use facade::{KnowledgeGraph, GRAPH_SNAPSHOT};
pub use results::{DocumentList, DocumentSummary, DocumentUse, NeighborsRequest, NodeView};
pub use targets::{SeriesPoint, SubjectRef, TargetList, TargetRow, TargetSort, TargetsRequest};
