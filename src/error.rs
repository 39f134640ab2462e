//! One error type for the library. User mistakes (bad input, unknown names, bad
//! parameters) are kept apart from internal faults, so the CLI can pick an exit code and
//! the HTTP layer a status from one table ([`Error::is_user_error`]).

use std::path::PathBuf;

use crate::ingest::IngestError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be ingested: the file and the reason.
    #[error("{}: {source}", path.display())]
    Ingest {
        path: PathBuf,
        #[source]
        source: IngestError,
    },

    /// No node matches a name or id; `suggestions` holds the closest known names.
    #[error("no node named `{name}`{}", suggest(suggestions))]
    NotFound {
        name: String,
        suggestions: Vec<String>,
    },

    /// A name matches several nodes equally well.
    #[error("`{name}` is ambiguous{}", suggest(candidates))]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },

    /// Both nodes exist but no path joins them (within the allowed edge labels).
    #[error("no path between `{from}` and `{to}`")]
    NoPath { from: String, to: String },

    /// A request parameter is invalid.
    #[error("invalid {param}: {reason}")]
    InvalidParam { param: &'static str, reason: String },

    /// The data folder was written by another format version.
    #[error("the store at {} has format version {found}, this plangraph reads version {expected}; {advice}", path.display())]
    FormatVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
        advice: &'static str,
    },

    /// The data folder is in use by another plangraph process.
    #[error("the store at {} is in use by another process (stop the running `plangraph serve` or use another --data folder)", path.display())]
    Locked { path: PathBuf },

    /// Stored bytes that do not decode: a bug or a damaged store.
    #[error("corrupt store entry in {tree}: {reason}")]
    Corrupt { tree: &'static str, reason: String },

    /// A JSONL export or backup that cannot be loaded: the file, the line, the reason.
    #[error("{}{}: {reason}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Load {
        path: PathBuf,
        line: Option<u64>,
        reason: String,
    },

    /// Import and restore write only into an empty data folder (or backup folder).
    #[error("{} is not empty: {what}", path.display())]
    NotEmpty { path: PathBuf, what: &'static str },

    #[error("store: {0}")]
    Store(#[from] sled::Error),

    #[error("text index: {0}")]
    Index(#[from] tantivy::TantivyError),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

fn suggest(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}", names.join(", "))
    }
}

impl Error {
    /// True when the caller sent something wrong (exit 1 / HTTP 4xx), false for faults.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::Ingest { .. }
                | Error::NotFound { .. }
                | Error::Ambiguous { .. }
                | Error::NoPath { .. }
                | Error::InvalidParam { .. }
                | Error::Load { .. }
                | Error::NotEmpty { .. }
        )
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
