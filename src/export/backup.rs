//! `plangraph backup DIR` and `plangraph restore DIR`. A backup is a folder with
//! `graph.jsonl` (the JSONL export, taken while writes are held off, so it is one
//! consistent state even while a server accepts uploads) and `manifest.json` (the store
//! format and export format versions, counts, the export's size and xxh3 checksum).
//! Restore checks all of it before loading, into an empty data folder only.
//!
//! A running server streams the same export at `GET /api/backup`; [`backup_from_reader`]
//! turns that stream into a backup folder.

use super::jsonl::{self, Header, FORMAT_NAME};
use super::{io_error, Tick, JSONL_VERSION};
use crate::error::{Error, Result};
use crate::knowledge_graph::KnowledgeGraph;
use crate::store::FORMAT_VERSION;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Read, Write};
use std::path::Path;

/// The export inside a backup folder.
pub const BACKUP_DATA: &str = "graph.jsonl";
/// The manifest inside a backup folder.
pub const BACKUP_MANIFEST: &str = "manifest.json";
/// The manifest's `format`.
pub const BACKUP_FORMAT: &str = "plangraph-backup";

/// What `manifest.json` records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    pub format: String,
    /// The store format of the plangraph that took it.
    pub store_format: u64,
    /// The JSONL line format of `graph.jsonl`.
    pub export_format: u64,
    /// The plangraph version that took it.
    pub plangraph: String,
    /// Seconds since the Unix epoch.
    pub created_at: u64,
    pub nodes: u64,
    pub edges: u64,
    pub documents: u64,
    /// Size of `graph.jsonl` in bytes.
    pub bytes: u64,
    /// xxh3-64 of `graph.jsonl`, hex.
    pub xxh3: String,
}

/// A writer that counts and hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A new backup folder: absent, or present and empty.
fn prepare_dir(dir: &Path) -> Result<()> {
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(Error::NotEmpty {
                path: dir.to_path_buf(),
                what: "a backup goes into a new or empty folder",
            });
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Write `graph.jsonl` with `fill`, then the manifest built from its header line.
fn save(dir: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<BackupManifest> {
    prepare_dir(dir)?;
    let data = dir.join(BACKUP_DATA);
    let partial = dir.join(format!("{BACKUP_DATA}.partial"));
    let file = std::fs::File::create(&partial).map_err(|e| Error::io(&partial, e))?;
    let mut out = Hashing {
        inner: std::io::BufWriter::with_capacity(1 << 16, file),
        hasher: xxhash_rust::xxh3::Xxh3::new(),
        bytes: 0,
    };
    let filled = fill(&mut out).and_then(|()| out.flush().map_err(io_error));
    if let Err(e) = filled {
        let _ = std::fs::remove_file(&partial);
        return Err(super::at_path(e, &partial));
    }
    let (bytes, hash) = (out.bytes, out.hasher.digest());
    out.inner
        .into_inner()
        .map_err(|e| Error::io(&partial, e.into_error()))?
        .sync_all()
        .map_err(|e| Error::io(&partial, e))?;
    let header = read_header(&partial)?;
    std::fs::rename(&partial, &data).map_err(|e| Error::io(&data, e))?;
    let manifest = BackupManifest {
        format: BACKUP_FORMAT.into(),
        store_format: header.store_format,
        export_format: header.version,
        plangraph: env!("CARGO_PKG_VERSION").into(),
        created_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        nodes: header.nodes,
        edges: header.edges,
        documents: header.documents,
        bytes,
        xxh3: format!("{hash:016x}"),
    };
    let path = dir.join(BACKUP_MANIFEST);
    let text = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(&path, text + "\n").map_err(|e| Error::io(&path, e))?;
    Ok(manifest)
}

fn read_header(path: &Path) -> Result<Header> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut first = String::new();
    std::io::BufReader::new(f)
        .read_line(&mut first)
        .map_err(|e| Error::io(path, e))?;
    match serde_json::from_str::<jsonl::Line>(&first) {
        Ok(jsonl::Line::Header(h)) if h.format == FORMAT_NAME => Ok(h),
        _ => Err(Error::Load {
            path: path.to_path_buf(),
            line: Some(1),
            reason: format!("not a {FORMAT_NAME} export: no header line"),
        }),
    }
}

/// Back up the graph into `dir` (new or empty), directly from the store. Writes wait while
/// it runs, so the copy is one consistent state.
///
/// ```no_run
/// let kg = plangraph::knowledge_graph::KnowledgeGraph::open("index".as_ref())?;
/// let m = plangraph::export::backup(&kg, "backup-2024-06".as_ref(), &mut |_| {})?;
/// println!("{} documents, store format {}", m.documents, m.store_format);
/// # Ok::<(), plangraph::Error>(())
/// ```
pub fn backup(kg: &KnowledgeGraph, dir: &Path, tick: Tick<'_>) -> Result<BackupManifest> {
    save(dir, |out| {
        kg.store().without_writes(|s| jsonl::write(s, out, tick))
    })
}

/// Turn a backup stream (the body of `GET /api/backup` of a running server) into a backup
/// folder. A stream cut short is refused: its lines must add up to its header's counts.
pub fn backup_from_reader(dir: &Path, input: impl Read) -> Result<BackupManifest> {
    let manifest = save(dir, |out| {
        std::io::copy(&mut std::io::BufReader::new(input), out)
            .map(|_| ())
            .map_err(|e| Error::io("backup stream", e))
    })?;
    let lines = count_lines(&dir.join(BACKUP_DATA))?;
    let expected = 1 + manifest.nodes + manifest.edges + manifest.documents;
    if lines != expected {
        let _ = std::fs::remove_file(dir.join(BACKUP_DATA));
        let _ = std::fs::remove_file(dir.join(BACKUP_MANIFEST));
        return Err(Error::Load {
            path: dir.join(BACKUP_DATA),
            line: None,
            reason: format!(
                "the stream was cut short: {lines} lines of the {expected} its header announces"
            ),
        });
    }
    Ok(manifest)
}

fn count_lines(path: &Path) -> Result<u64> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut r = std::io::BufReader::with_capacity(1 << 16, f);
    let mut n = 0u64;
    loop {
        let buf = r.fill_buf().map_err(|e| Error::io(path, e))?;
        if buf.is_empty() {
            return Ok(n);
        }
        n += buf.iter().filter(|&&b| b == b'\n').count() as u64;
        let len = buf.len();
        r.consume(len);
    }
}

/// Read and check a backup folder's manifest: its format, versions, size and checksum.
pub fn check(dir: &Path) -> Result<BackupManifest> {
    let path = dir.join(BACKUP_MANIFEST);
    let bad = |reason: String| Error::Load {
        path: path.clone(),
        line: None,
        reason,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let m: BackupManifest =
        serde_json::from_str(&text).map_err(|e| bad(format!("not a backup manifest: {e}")))?;
    if m.format != BACKUP_FORMAT {
        return Err(bad(format!("format `{}`, not {BACKUP_FORMAT}", m.format)));
    }
    if m.store_format > FORMAT_VERSION || m.export_format > JSONL_VERSION {
        return Err(bad(format!(
            "the backup was taken by plangraph {} (store format {}, export format {}); this \
             plangraph reads store format {FORMAT_VERSION} and export format {JSONL_VERSION}: \
             upgrade plangraph to restore it",
            m.plangraph, m.store_format, m.export_format
        )));
    }
    let data = dir.join(BACKUP_DATA);
    let f = std::fs::File::open(&data).map_err(|e| Error::io(&data, e))?;
    let mut hashing = Hashing {
        inner: std::io::sink(),
        hasher: xxhash_rust::xxh3::Xxh3::new(),
        bytes: 0,
    };
    std::io::copy(
        &mut std::io::BufReader::with_capacity(1 << 16, f),
        &mut hashing,
    )
    .map_err(|e| Error::io(&data, e))?;
    let hash = format!("{:016x}", hashing.hasher.digest());
    if hashing.bytes != m.bytes || hash != m.xxh3 {
        return Err(Error::Load {
            path: data,
            line: None,
            reason: format!(
                "damaged: {} bytes with checksum {hash}, the manifest records {} bytes with {}",
                hashing.bytes, m.bytes, m.xxh3
            ),
        });
    }
    Ok(m)
}

/// Restore a backup folder into the empty data folder `data_dir`.
pub fn restore(dir: &Path, data_dir: &Path, tick: Tick<'_>) -> Result<BackupManifest> {
    let manifest = check(dir)?;
    super::import::ensure_empty(data_dir)?;
    super::import_jsonl(data_dir, &dir.join(BACKUP_DATA), tick)?;
    Ok(manifest)
}
