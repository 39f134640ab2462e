//! The whole graph out of and back into plangraph: exports for other tools (JSON lines,
//! GraphML, Neo4j import CSVs with a Cypher script, RDF Turtle), the JSONL import, and
//! backup and restore. Every export streams the store (memory stays bounded however large
//! the graph) while writes are held off, so what it writes is one consistent state.

pub mod backup;
pub mod graphml;
pub mod import;
pub mod jsonl;
pub mod neo4j;
mod props;
pub mod turtle;

pub use backup::{backup, backup_from_reader, restore, BackupManifest};
pub use import::{import_jsonl, ImportReport};

use crate::error::{Error, Result};
use crate::knowledge_graph::KnowledgeGraph;
use crate::store::GraphStore;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The version of the JSONL line format (its `header` line says which it is).
pub const JSONL_VERSION: u64 = 1;

/// What `plangraph --version` prints after the program version.
pub fn version_text() -> String {
    format!(
        "{} (store format {}, export format {})",
        env!("CARGO_PKG_VERSION"),
        crate::store::FORMAT_VERSION,
        JSONL_VERSION
    )
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object a line; the format `import` and `restore` read.
    Jsonl,
    /// GraphML XML (Gephi, yEd, NetworkX).
    Graphml,
    /// neo4j-admin import CSV files plus a Cypher script (a folder).
    Neo4j,
    /// RDF 1.1 Turtle (vocabulary in docs/rdf.md).
    Turtle,
}

/// Where an export goes.
#[derive(Debug, Clone)]
pub enum Destination {
    Stdout,
    /// A file (jsonl, graphml, turtle) or a folder (neo4j).
    Path(PathBuf),
}

impl Destination {
    /// `-` or nothing is stdout.
    pub fn parse(out: Option<&Path>) -> Destination {
        match out {
            None => Destination::Stdout,
            Some(p) if p.as_os_str() == "-" => Destination::Stdout,
            Some(p) => Destination::Path(p.to_path_buf()),
        }
    }
}

/// Called with the number of items (nodes, edges, documents) written since the last call.
pub type Tick<'a> = &'a mut dyn FnMut(u64);

/// Export the whole graph. A neo4j export needs a folder; the others write one stream.
///
/// ```no_run
/// use plangraph::export::{export, Destination, Format};
/// let kg = plangraph::knowledge_graph::KnowledgeGraph::open("index".as_ref())?;
/// export(&kg, Format::Graphml, &Destination::Path("graph.graphml".into()), &mut |_| {})?;
/// # Ok::<(), plangraph::Error>(())
/// ```
pub fn export(kg: &KnowledgeGraph, format: Format, to: &Destination, tick: Tick<'_>) -> Result<()> {
    let store = kg.store();
    if format == Format::Neo4j {
        let Destination::Path(dir) = to else {
            return Err(Error::InvalidParam {
                param: "out",
                reason: "the neo4j export writes several files: give a folder with --out DIR"
                    .into(),
            });
        };
        return store.without_writes(|s| neo4j::write(s, dir, tick));
    }
    let write = |out: &mut dyn Write, tick: Tick<'_>| {
        store.without_writes(|s| write_stream(s, format, out, tick))
    };
    match to {
        Destination::Stdout => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            write(&mut out, tick)
        }
        Destination::Path(path) => {
            let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            write(&mut out, tick).map_err(|e| at_path(e, path))?;
            out.into_inner()
                .map_err(|e| Error::io(path, e.into_error()))?
                .sync_all()
                .map_err(|e| Error::io(path, e))
        }
    }
}

fn write_stream(s: &GraphStore, format: Format, out: &mut dyn Write, tick: Tick<'_>) -> Result<()> {
    match format {
        Format::Jsonl => jsonl::write(s, out, tick),
        Format::Graphml => graphml::write(s, out, tick),
        Format::Turtle => turtle::write(s, out, tick),
        Format::Neo4j => unreachable!("a folder, handled by the caller"),
    }
}

/// How many items an export writes (nodes, edges and documents): the progress bar's length.
pub fn item_count(store: &GraphStore) -> Result<u64> {
    let stats = store.stats()?;
    Ok(stats.nodes.values().sum::<u64>() + stats.edges.values().sum::<u64>() + stats.documents)
}

/// An I/O error of the export stream names the output file.
fn at_path(e: Error, path: &Path) -> Error {
    match e {
        Error::Io { source, path: p } if p.as_os_str() == "export" => Error::io(path, source),
        other => other,
    }
}

/// An I/O error while writing an export.
pub(crate) fn io_error(e: std::io::Error) -> Error {
    Error::io("export", e)
}
