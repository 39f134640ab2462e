//! `KnowledgeGraph`: the one facade the CLI and the HTTP API call. It owns the store (the
//! source of truth), the text index (kept in step with the store, rebuilt from it when
//! missing or stale) and the extractor.

use crate::error::{Error, Result};
use crate::extract::{Extractor, GoalTokens, Segmenter, EXTRACTOR_VERSION};
use crate::index::{SearchRequest, SearchResults, TextIndex};
use crate::ingest::{self, ParsedDocument};
use crate::model::{self, Edge, EdgeLabel, Node, NodeKind};
use crate::store::{DocumentBatch, DocumentRecord, GraphStore, Stats, WriteOutcome, WriteStatus};
use serde::Serialize;
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// What happened to one file of an ingest.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentOutcome {
    pub file: String,
    /// `inserted`, `replaced`, `unchanged` or `failed`.
    pub status: String,
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
}

/// The summary of an ingest of many files.
#[derive(Debug, Clone, Default, Serialize)]
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
}

/// A node with its edges (`show`).
#[derive(Debug, Clone, Serialize)]
pub struct NodeView {
    pub node: Node,
    pub edges: Vec<Edge>,
}

/// The knowledge graph: store, text index and extractor behind one API.
///
/// ```no_run
/// use plangraph::query::KnowledgeGraph;
/// let kg = KnowledgeGraph::open(std::path::Path::new("index"))?;
/// kg.ingest_paths(&["seeds".into()], &mut |_| {})?;
/// let node = kg.resolve("高新区")?;
/// println!("{}", kg.show(&node.id)?.edges.len());
/// # Ok::<(), plangraph::Error>(())
/// ```
pub struct KnowledgeGraph {
    store: GraphStore,
    index: RwLock<TextIndex>,
    extractor: Extractor,
}

impl KnowledgeGraph {
    /// Open the data folder (`DIR/graph`, `DIR/text`), creating it if needed, and bring the
    /// text index up to date with the store.
    pub fn open(data_dir: &Path) -> Result<KnowledgeGraph> {
        let seg = Segmenter::shared();
        let store = GraphStore::open(&data_dir.join("graph"))?;
        let index = TextIndex::open(&data_dir.join("text"), seg.clone())?;
        KnowledgeGraph::assemble(store, index, seg)
    }

    /// A graph in memory and a temporary file (tests, benchmarks).
    pub fn temporary() -> Result<KnowledgeGraph> {
        let seg = Segmenter::shared();
        let store = GraphStore::temporary()?;
        let index = TextIndex::in_memory(seg.clone())?;
        KnowledgeGraph::assemble(store, index, seg)
    }

    fn assemble(store: GraphStore, index: TextIndex, seg: Arc<Segmenter>) -> Result<Self> {
        let kg = KnowledgeGraph {
            store,
            index: RwLock::new(index),
            extractor: Extractor::new(seg),
        };
        kg.sync_index()?;
        Ok(kg)
    }

    pub fn store(&self) -> &GraphStore {
        &self.store
    }

    /// True when the index records the store's current generation.
    pub fn index_in_step(&self) -> Result<bool> {
        Ok(self.read_index().generation() == Some(self.store.generation()?))
    }

    /// Rebuild the text index from the store when it is missing, of an older schema, or
    /// behind the store (a crash between the two writes). Returns whether it rebuilt.
    pub fn sync_index(&self) -> Result<bool> {
        if self.index_in_step()? {
            return Ok(false);
        }
        self.rebuild_index()?;
        Ok(true)
    }

    /// Rebuild the whole text index from the store.
    pub fn rebuild_index(&self) -> Result<()> {
        let generation = self.store.generation()?;
        let seg = self.extractor.segmenter().clone();
        let mut index = self.write_index();
        index.clear()?;
        for node in self.store.nodes() {
            let node = node?;
            self.index_node(&mut index, &node, None, &seg)?;
        }
        index.commit(generation)?;
        Ok(())
    }

    fn index_node(
        &self,
        index: &mut TextIndex,
        node: &Node,
        tokens: Option<&GoalTokens>,
        seg: &Segmenter,
    ) -> Result<()> {
        match node.kind {
            NodeKind::Goal => match tokens {
                Some(t) => index.upsert_goal(node, t),
                None => {
                    let field = |k: &str| node.prop_str(k).unwrap_or("");
                    let t = GoalTokens {
                        title: seg.cut(&node.name),
                        content: seg.cut(field("content")),
                        benchmark: seg.cut(field("benchmark")),
                    };
                    index.upsert_goal(node, &t)
                }
            },
            NodeKind::Target => Ok(()),
            _ => {
                let aliases = self.store.aliases_of(node)?;
                index.upsert_entity(node, &aliases)
            }
        }
    }

    /// Ingest files and folders (recursively; `README.md` files inside folders are the
    /// folders' documentation and are skipped). One bad file never stops the batch.
    pub fn ingest_paths(
        &self,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<IngestReport> {
        let mut files = Vec::new();
        let mut report = IngestReport::default();
        for p in paths {
            if p.is_dir() {
                for entry in walkdir::WalkDir::new(p)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    })
                {
                    match entry {
                        Ok(e) if e.file_type().is_file() && ingest::is_supported(e.path()) => {
                            let readme = e
                                .file_name()
                                .to_str()
                                .is_some_and(|n| n.eq_ignore_ascii_case("readme.md"));
                            if !readme {
                                files.push(e.into_path());
                            }
                        }
                        Ok(_) => {}
                        Err(e) => report.push(failed(
                            &e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone()),
                            &e.to_string(),
                        )),
                    }
                }
            } else if p.exists() {
                files.push(p.clone());
            } else {
                report.push(failed(p, "no such file or folder"));
            }
        }
        progress(Progress::Start(files.len()));

        let mut index = self.write_index();
        let mut last_generation = None;
        for path in &files {
            let outcome = match self.ingest_file(path, &mut index) {
                Ok((outcome, generation)) => {
                    last_generation = Some(generation);
                    outcome
                }
                Err(e) => failed(path, &error_reason(&e)),
            };
            progress(Progress::File(&outcome));
            report.push(outcome);
        }
        if let Some(g) = last_generation {
            if index.generation() != Some(g) {
                index.commit(g)?;
            }
            self.store.flush()?;
        }
        Ok(report)
    }

    fn ingest_file(&self, path: &Path, index: &mut TextIndex) -> Result<(DocumentOutcome, u64)> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.len() > ingest::MAX_FILE_BYTES {
            return Err(Error::Ingest {
                path: path.to_path_buf(),
                source: ingest::IngestError::TooLarge {
                    size: meta.len(),
                    limit: ingest::MAX_FILE_BYTES,
                },
            });
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        self.ingest_with(path, &bytes, index)
    }

    /// Ingest one file's bytes (an upload). `name` gives the type by its ending.
    pub fn ingest_bytes(&self, name: &str, bytes: &[u8]) -> Result<DocumentOutcome> {
        let mut index = self.write_index();
        let (outcome, generation) = self.ingest_with(Path::new(name), bytes, &mut index)?;
        if index.generation() != Some(generation) {
            index.commit(generation)?;
        }
        self.store.flush()?;
        Ok(outcome)
    }

    fn ingest_with(
        &self,
        path: &Path,
        bytes: &[u8],
        index: &mut TextIndex,
    ) -> Result<(DocumentOutcome, u64)> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // A parser bug on one hostile file must fail that file, not the whole batch.
        let parsed = std::panic::catch_unwind(|| ingest::parse_bytes(name, bytes))
            .unwrap_or_else(|panic| Err(ingest::IngestError::Internal(panic_message(&panic))))
            .map_err(|source| Error::Ingest {
                path: path.to_path_buf(),
                source,
            })?;
        let doc_id = parsed.id();
        let hash = format!("{:016x}", model::stable_hash(bytes));
        let mut outcome = DocumentOutcome {
            file: path.display().to_string(),
            status: String::new(),
            document: Some(doc_id.clone()),
            unit: Some(parsed.unit.clone()),
            year: Some(parsed.year),
            title: Some(parsed.title.clone()),
            goals: Some(parsed.goals.len()),
            error: None,
        };

        if let Some(old) = self.store.document(&doc_id)? {
            if old.content_hash == hash && old.extractor_version == EXTRACTOR_VERSION {
                outcome.status = "unchanged".into();
                return Ok((outcome, self.store.generation()?));
            }
        }

        let (batch, tokens) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.build_batch(&doc_id, &parsed, &hash, path, bytes.len())
        }))
        .map_err(|panic| Error::Ingest {
            path: path.to_path_buf(),
            source: ingest::IngestError::Internal(panic_message(&panic)),
        })?;
        let written: WriteOutcome = self.store.write_document(batch.clone())?;
        outcome.status = match written.status {
            WriteStatus::Inserted => "inserted",
            WriteStatus::Replaced => "replaced",
            WriteStatus::Unchanged => "unchanged",
        }
        .into();
        if written.status != WriteStatus::Unchanged {
            let seg = self.extractor.segmenter().clone();
            for id in &written.removed_nodes {
                index.delete(id)?;
            }
            for node in &batch.nodes {
                let t = tokens.iter().find(|(id, _)| id == &node.id).map(|(_, t)| t);
                self.index_node(index, node, t, &seg)?;
            }
        }
        Ok((outcome, written.generation))
    }

    /// Turn a parsed document into the nodes, edges and aliases it contributes.
    fn build_batch(
        &self,
        doc_id: &str,
        doc: &ParsedDocument,
        hash: &str,
        path: &Path,
        size: usize,
    ) -> (DocumentBatch, Vec<(String, GoalTokens)>) {
        let unit = Node::entity(NodeKind::Unit, &doc.unit);
        let mut nodes = vec![unit.clone()];
        let mut edges = Vec::new();
        let mut aliases = Vec::new();
        let mut tokens = Vec::new();
        let mut goal_ids = Vec::new();
        for goal in doc.goal_nodes() {
            let id = goal.id.clone();
            let found = self.extractor.extract_goal(doc_id, &goal);
            edges.push(Edge::new(&unit.id, EdgeLabel::HasGoal, &id));
            nodes.push(goal);
            nodes.extend(found.nodes);
            edges.extend(found.edges);
            aliases.extend(found.aliases.into_iter().map(|a| (a.name, a.node_id)));
            tokens.push((id.clone(), found.tokens));
            goal_ids.push(id);
        }
        let record = DocumentRecord {
            id: doc_id.to_string(),
            unit: doc.unit.clone(),
            year: doc.year,
            title: doc.title.clone(),
            content_hash: hash.to_string(),
            source: path.display().to_string(),
            bytes: size as u64,
            layout: serde_json::to_value(doc.layout)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            leader: doc.leader.clone(),
            contact: doc.contact.clone(),
            phone: doc.phone.clone(),
            extractor_version: EXTRACTOR_VERSION,
            ingested_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            goals: goal_ids,
            nodes: Vec::new(),
            edges: Vec::new(),
            names: Vec::new(),
        };
        (
            DocumentBatch {
                record,
                nodes,
                edges,
                aliases,
            },
            tokens,
        )
    }

    /// Full-text search over goals and entities.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.read_index().search(request)
    }

    /// Find a node by id, name, alias, then by name prefix or substring. Unknown or
    /// ambiguous names give the closest known names.
    pub fn resolve(&self, name_or_id: &str) -> Result<Node> {
        let q = name_or_id.trim();
        if q.is_empty() {
            return Err(Error::InvalidParam {
                param: "name",
                reason: "empty name".into(),
            });
        }
        if let Some(n) = self.store.node(q)? {
            return Ok(n);
        }
        let exact = self.store.ids_named(q)?;
        if let Some(n) = self.pick(q, &exact)? {
            return Ok(n);
        }
        let norm = model::normalize_name(q);
        let mut prefixed = Vec::new();
        for r in self.store.names_with_prefix(q).take(50) {
            prefixed.push(r?.1);
        }
        prefixed.dedup();
        if let Some(n) = self.pick(q, &prefixed)? {
            return Ok(n);
        }
        let mut containing: Vec<(String, String)> = Vec::new();
        for r in self.store.names_with_prefix("") {
            let (name, id) = r?;
            if name.contains(&norm) && !containing.iter().any(|(_, i)| *i == id) {
                containing.push((name, id));
            }
        }
        let ids: Vec<String> = containing.iter().map(|(_, id)| id.clone()).collect();
        if let Some(n) = self.pick(q, &ids)? {
            return Ok(n);
        }
        Err(Error::NotFound {
            name: q.to_string(),
            suggestions: self.suggest(&norm)?,
        })
    }

    /// One candidate: that node. Several: ambiguous. None: `None`.
    fn pick(&self, q: &str, ids: &[String]) -> Result<Option<Node>> {
        match ids {
            [] => Ok(None),
            [id] => self.store.node(id),
            many => {
                // Prefer a single entity over goals with the same title.
                let mut nodes = Vec::new();
                for id in many {
                    if let Some(n) = self.store.node(id)? {
                        nodes.push(n);
                    }
                }
                let entities: Vec<&Node> = nodes.iter().filter(|n| n.kind.is_entity()).collect();
                if entities.len() == 1 {
                    return Ok(Some(entities[0].clone()));
                }
                Err(Error::Ambiguous {
                    name: q.to_string(),
                    candidates: nodes
                        .iter()
                        .take(10)
                        .map(|n| format!("{} ({}, {})", n.name, n.kind, n.id))
                        .collect(),
                })
            }
        }
    }

    /// Known names closest to `norm`: sharing the most characters, shortest first.
    fn suggest(&self, norm: &str) -> Result<Vec<String>> {
        let want: Vec<char> = norm.chars().collect();
        let mut scored: Vec<(usize, usize, String)> = Vec::new();
        for r in self.store.names_with_prefix("") {
            let (name, _) = r?;
            let shared = want.iter().filter(|c| name.contains(**c)).count();
            if shared * 2 >= want.len().max(1) {
                scored.push((shared, name.chars().count(), name));
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        scored.dedup_by(|a, b| a.2 == b.2);
        Ok(scored.into_iter().take(5).map(|s| s.2).collect())
    }

    /// One node with all its edges, outgoing first.
    pub fn show(&self, name_or_id: &str) -> Result<NodeView> {
        let node = self.resolve(name_or_id)?;
        let mut edges = self.store.edges_out(&node.id, None)?;
        edges.extend(self.store.edges_in(&node.id, None)?);
        Ok(NodeView { node, edges })
    }

    pub fn stats(&self) -> Result<Stats> {
        self.store.stats()
    }

    /// The whole graph as JSON lines: nodes first, then edges.
    pub fn export_jsonl(&self, out: &mut dyn Write) -> Result<()> {
        let io = |e| Error::io("export", e);
        for n in self.store.nodes() {
            let mut v = serde_json::to_value(n?)?;
            tag_type(&mut v, "node");
            serde_json::to_writer(&mut *out, &v)?;
            out.write_all(b"\n").map_err(io)?;
        }
        for e in self.store.edges() {
            let mut v = serde_json::to_value(e?)?;
            tag_type(&mut v, "edge");
            serde_json::to_writer(&mut *out, &v)?;
            out.write_all(b"\n").map_err(io)?;
        }
        out.flush().map_err(io)?;
        Ok(())
    }

    fn read_index(&self) -> std::sync::RwLockReadGuard<'_, TextIndex> {
        self.index.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write_index(&self) -> std::sync::RwLockWriteGuard<'_, TextIndex> {
        self.index.write().unwrap_or_else(|p| p.into_inner())
    }
}

fn tag_type(v: &mut Value, ty: &str) {
    if let Value::Object(map) = v {
        let mut tagged = serde_json::Map::new();
        tagged.insert("type".into(), json!(ty));
        tagged.append(map);
        *map = tagged;
    }
}

impl IngestReport {
    fn push(&mut self, o: DocumentOutcome) {
        match o.status.as_str() {
            "failed" => self.failed += 1,
            "unchanged" => self.unchanged += 1,
            _ => self.ingested += 1,
        }
        self.files.push(o);
    }
}

fn failed(path: &Path, reason: &str) -> DocumentOutcome {
    DocumentOutcome {
        file: path.display().to_string(),
        status: "failed".into(),
        document: None,
        unit: None,
        year: None,
        title: None,
        goals: None,
        error: Some(reason.to_string()),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// The reason of an ingest error without the path (the outcome names the file).
fn error_reason(e: &Error) -> String {
    match e {
        Error::Ingest { source, .. } => source.to_string(),
        Error::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}
