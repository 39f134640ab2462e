//! `plangraph import FILE`: a JSONL export into an empty data folder. The lines are loaded
//! into a store beside the data folder's (`DIR/graph.loading`), checked, and only then put
//! in place, so a bad line leaves the folder as it was. The text index and the graph view
//! are rebuilt from the loaded store when it is next opened.

use super::jsonl::{Line, FORMAT_NAME};
use super::{Tick, JSONL_VERSION};
use crate::error::{Error, Result};
use crate::model::Node;
use crate::store::{GraphStore, LoadCounts};
use serde::Serialize;
use std::io::BufRead;
use std::path::Path;

/// What an import loaded.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub nodes: u64,
    pub edges: u64,
    pub documents: u64,
}

/// Refuse a data folder that already holds a graph (an empty store, as left by a command
/// run on a new folder, is removed). Other files in it (a `plangraph.toml`) are kept.
pub fn ensure_empty(data_dir: &Path) -> Result<()> {
    let graph = data_dir.join("graph");
    let has_files = std::fs::read_dir(&graph)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if !has_files {
        return Ok(());
    }
    let empty = {
        let store = GraphStore::open(&graph)?;
        store.is_empty() && store.nodes().next().is_none()
    };
    if !empty {
        return Err(Error::NotEmpty {
            path: data_dir.to_path_buf(),
            what: "it already holds a graph (import and restore write only into an empty \
                   data folder: choose another --data folder or delete this one's contents)",
        });
    }
    remove_dir(&graph)
}

fn remove_dir(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
    }
}

/// Import a JSONL export (a file, or `-` for stdin) into the empty data folder `data_dir`.
///
/// ```no_run
/// let report = plangraph::export::import_jsonl("copy".as_ref(), "graph.jsonl".as_ref(), &mut |_| {})?;
/// println!("{} documents", report.documents);
/// # Ok::<(), plangraph::Error>(())
/// ```
pub fn import_jsonl(data_dir: &Path, file: &Path, tick: Tick<'_>) -> Result<ImportReport> {
    let counts = if file.as_os_str() == "-" {
        load_into(data_dir, Path::new("stdin"), std::io::stdin().lock(), tick)?
    } else {
        let f = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
        load_into(
            data_dir,
            file,
            std::io::BufReader::with_capacity(1 << 16, f),
            tick,
        )?
    };
    Ok(ImportReport {
        file: file.display().to_string(),
        nodes: counts.nodes,
        edges: counts.edges,
        documents: counts.documents,
    })
}

/// Load JSON lines from `input` (named `name` in errors) into the empty data folder.
pub fn load_into(
    data_dir: &Path,
    name: &Path,
    input: impl BufRead,
    tick: Tick<'_>,
) -> Result<LoadCounts> {
    ensure_empty(data_dir)?;
    std::fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e))?;
    let staging = data_dir.join("graph.loading");
    remove_dir(&staging)?;
    let loaded = {
        let store = GraphStore::open_bulk(&staging)?;
        load_lines(&store, name, input, tick)
    };
    let counts = match loaded {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // What an empty store's open left beside it is stale now.
    remove_dir(&data_dir.join("text"))?;
    let view = data_dir.join(crate::knowledge_graph::GRAPH_SNAPSHOT);
    if view.exists() {
        std::fs::remove_file(&view).map_err(|e| Error::io(&view, e))?;
    }
    let graph = data_dir.join("graph");
    std::fs::rename(&staging, &graph).map_err(|e| Error::io(&graph, e))?;
    Ok(counts)
}

fn load_lines(
    store: &GraphStore,
    name: &Path,
    input: impl BufRead,
    tick: Tick<'_>,
) -> Result<LoadCounts> {
    let at = |line: u64, reason: String| Error::Load {
        path: name.to_path_buf(),
        line: (line > 0).then_some(line),
        reason,
    };
    let mut load = store.bulk_load()?;
    let mut header = None;
    let mut number = 0u64;
    // Lines come in this order: header, nodes, edges, documents, aliases.
    let mut stage = 0u8;
    let mut seen = LoadCounts::default();
    for text in input.lines() {
        number += 1;
        let text = text.map_err(|e| at(number, format!("cannot read: {e}")))?;
        if text.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(&text).map_err(|e| at(number, e.to_string()))?;
        let (this_stage, what) = match &line {
            Line::Header(_) => (0, "header"),
            Line::Node(_) => (1, "node"),
            Line::Edge(_) => (2, "edge"),
            Line::Document(_) => (3, "document"),
            Line::Alias(_) => (4, "alias"),
        };
        if header.is_none() && this_stage != 0 {
            return Err(at(
                number,
                format!(
                    "a {what} line before the header: not a {FORMAT_NAME} export of this \
                     plangraph version (export it again with `plangraph export`)"
                ),
            ));
        }
        if this_stage < stage || (this_stage == 0 && header.is_some()) {
            return Err(at(
                number,
                format!("a {what} line out of order (header, nodes, edges, documents, aliases)"),
            ));
        }
        stage = this_stage;
        match this_stage {
            1 => seen.nodes += 1,
            2 => seen.edges += 1,
            3 => seen.documents += 1,
            _ => {}
        }
        let loaded = match line {
            Line::Header(h) => {
                if h.format != FORMAT_NAME {
                    return Err(at(
                        number,
                        format!("format `{}`, not {FORMAT_NAME}", h.format),
                    ));
                }
                if h.version > JSONL_VERSION {
                    return Err(at(
                        number,
                        format!(
                            "export format version {} is newer than this plangraph reads \
                             ({JSONL_VERSION}); upgrade plangraph to import it",
                            h.version
                        ),
                    ));
                }
                header = Some(h);
                Ok(())
            }
            Line::Node(n) => load.node(&Node {
                id: n.id,
                kind: n.kind,
                name: n.name,
                props: n.props,
            }),
            Line::Edge(e) => load.edge(&e.into()),
            Line::Document(d) => load.document(&d),
            Line::Alias(a) => {
                if a.alias.trim().is_empty() || a.node.is_empty() {
                    Err(at(number, "an alias line without alias or node".into()))
                } else {
                    store.put_correction(&a.into())
                }
            }
        };
        loaded.map_err(|e| match e {
            Error::Load { reason, .. } => at(number, reason),
            other => other,
        })?;
        tick(1);
    }
    let Some(header) = header else {
        return Err(at(0, "empty: no header line".into()));
    };
    let expected = (header.nodes, header.edges, header.documents);
    if (seen.nodes, seen.edges, seen.documents) != expected {
        return Err(at(
            0,
            format!(
                "truncated or edited: the header announces {} nodes, {} edges, {} documents; \
                 the file has {}, {}, {}",
                header.nodes,
                header.edges,
                header.documents,
                seen.nodes,
                seen.edges,
                seen.documents
            ),
        ));
    }
    load.finish().map_err(|e| match e {
        Error::Load { reason, .. } => at(0, reason),
        other => other,
    })
}
