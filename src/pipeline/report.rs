//! What an ingest reports: per file, and for the whole batch.

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What an ingest did with one file. Serialised lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeStatus {
    /// A document not stored before.
    Inserted,
    /// A stored document written again with other content.
    Replaced,
    /// The same content as stored: nothing written.
    Unchanged,
    /// The file could not be read or ingested (`error` says why).
    Failed,
}

impl OutcomeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeStatus::Inserted => "inserted",
            OutcomeStatus::Replaced => "replaced",
            OutcomeStatus::Unchanged => "unchanged",
            OutcomeStatus::Failed => "failed",
        }
    }
}

impl std::fmt::Display for OutcomeStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened to one file of an ingest.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentOutcome {
    pub file: String,
    /// `inserted`, `replaced`, `unchanged` or `failed`.
    pub status: OutcomeStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goals: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How many nodes this write put into the text index (new ones, and those whose
    /// indexed text changed). Not part of the JSON output.
    #[serde(skip)]
    pub indexed: usize,
}

/// The summary of an ingest of many files.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IngestReport {
    pub ingested: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub files: Vec<DocumentOutcome>,
}

/// Progress of a long ingest, for a progress bar.
pub enum Progress<'a> {
    /// The number of files found.
    Start(usize),
    /// One file done.
    File(&'a DocumentOutcome),
    /// The files written; the links between this many documents and the others are
    /// being computed.
    Linking(usize),
}

impl IngestReport {
    pub fn push(&mut self, o: DocumentOutcome) {
        match o.status {
            OutcomeStatus::Failed => self.failed += 1,
            OutcomeStatus::Unchanged => self.unchanged += 1,
            OutcomeStatus::Inserted | OutcomeStatus::Replaced => self.ingested += 1,
        }
        self.files.push(o);
    }
}

/// The outcome of a file that could not be ingested.
pub fn failed(path: &Path, reason: &str) -> DocumentOutcome {
    DocumentOutcome {
        file: path.display().to_string(),
        status: OutcomeStatus::Failed,
        document: None,
        unit: None,
        year: None,
        title: None,
        goals: None,
        error: Some(reason.to_string()),
        indexed: 0,
    }
}

/// The message a caught panic carried.
pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// The reason of an ingest error without the path (the outcome names the file).
pub fn error_reason(e: &Error) -> String {
    match e {
        Error::Ingest { source, .. } => source.to_string(),
        Error::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}
