//! One error type for the library, in three classes ([`ErrorClass`]): what the caller did
//! wrong (bad input, unknown names, bad parameters), what broke inside (a bug, a damaged
//! store, a backend failure) and I/O. The CLI's exit code ([`Error::exit_code`]) and the
//! HTTP status (`http::error`) are chosen from the class. The storage and search backends'
//! errors are wrapped ([`BackendError`]): only `store/` sees sled, only `index/` tantivy.

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

    /// The data folder is held by a plangraph command that does not serve (a long ingest).
    #[error("the store at {} is in use by {owner}, which does not answer other commands: wait until it ends", path.display())]
    Busy { path: PathBuf, owner: String },

    /// The data folder is already served by another `plangraph serve`.
    #[error("the store at {} is already served by {owner} at {url}: open {url}, or stop that server first", path.display())]
    Served {
        path: PathBuf,
        owner: String,
        url: String,
    },

    /// The running server that holds the data folder answered with an error (its message).
    #[error("{message}")]
    Remote { status: u16, message: String },

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

    /// The storage backend failed (converted from sled's error in `store/`).
    #[error("store: {0}")]
    Store(BackendError),

    /// The search backend failed (converted from tantivy's errors in `index/`).
    #[error("text index: {0}")]
    Index(BackendError),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

/// A backend's own error, kept for its message and source chain without naming the
/// backend's type in the public API.
#[derive(Debug)]
pub struct BackendError(Box<dyn std::error::Error + Send + Sync>);

impl BackendError {
    pub fn new(e: impl std::error::Error + Send + Sync + 'static) -> BackendError {
        BackendError(Box::new(e))
    }

    /// The backend's error, for callers that know which backend it came from.
    pub fn inner(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// Who is to fix an error: the caller, plangraph, or the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// What the caller sent or named is wrong (CLI exit 1, HTTP 4xx).
    User,
    /// A fault inside: a bug (a caught parser panic), a damaged store, a backend failure
    /// (CLI exit 1, HTTP 500, logged).
    Internal,
    /// Reading or writing files failed, or the data folder is unusable (in use, another
    /// format version) (CLI exit 1, HTTP 500, logged).
    Io,
}

fn suggest(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}", names.join(", "))
    }
}

impl Error {
    /// The class of this error; the one table exit codes and HTTP statuses follow.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Ingest { source, .. } => match source {
                IngestError::Internal(_) => ErrorClass::Internal,
                IngestError::Io(_) => ErrorClass::Io,
                _ => ErrorClass::User,
            },
            Error::NotFound { .. }
            | Error::Ambiguous { .. }
            | Error::NoPath { .. }
            | Error::InvalidParam { .. }
            | Error::Load { .. }
            | Error::NotEmpty { .. } => ErrorClass::User,
            Error::Remote { status, .. } if (400..500).contains(status) => ErrorClass::User,
            Error::Remote { .. } => ErrorClass::Internal,
            Error::FormatVersion { .. }
            | Error::Locked { .. }
            | Error::Busy { .. }
            | Error::Served { .. }
            | Error::Io { .. } => ErrorClass::Io,
            Error::Json(e) if e.io_error_kind().is_some() => ErrorClass::Io,
            Error::Corrupt { .. } | Error::Store(_) | Error::Index(_) | Error::Json(_) => {
                ErrorClass::Internal
            }
        }
    }

    /// True when the caller sent something wrong (exit 1 / HTTP 4xx), false for faults.
    pub fn is_user_error(&self) -> bool {
        self.class() == ErrorClass::User
    }

    /// True when output went to a reader that closed it (a pipe into `head`): not a
    /// failure of the command, which ends quietly with exit 0.
    pub fn is_broken_pipe(&self) -> bool {
        let kind = match self {
            Error::Io { source, .. } => Some(source.kind()),
            Error::Json(e) => e.io_error_kind(),
            _ => None,
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    }

    /// The process exit code for this error, by class. Every class exits 1 (the CLI
    /// contract: failure is 1, usage errors are 2 and come from clap before a command
    /// runs); the message on stderr tells them apart.
    pub fn exit_code(&self) -> i32 {
        match self.class() {
            ErrorClass::User | ErrorClass::Internal | ErrorClass::Io => 1,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
