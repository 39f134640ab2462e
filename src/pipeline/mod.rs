//! The ingest pipeline: walk (files and folders to a list of files) → parse
//! ([`crate::ingest`]) → extract ([`crate::extract`]) → batch (one document's nodes, edges
//! and aliases for one store write), and the report of what happened to each file. The
//! facade ([`crate::knowledge_graph`]) drives it and writes the batches.

mod batch;
mod report;
mod walk;

pub use batch::{assemble, build_batch};
pub use report::{
    error_reason, failed, panic_message, DocumentOutcome, IngestReport, OutcomeStatus, Progress,
};
pub use walk::files_to_ingest;
