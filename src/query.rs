//! `KnowledgeGraph`: the one facade the CLI and the HTTP API call. It owns the store (the
//! source of truth), the text index (kept in step with the store, rebuilt from it when
//! missing or stale), the in-memory graph view (built on the first graph query, then
//! updated with every document write; see [`crate::graph`]) and the extractor.

use crate::error::{Error, Result};
use crate::extract::{Extractor, GoalTokens, Segmenter, EXTRACTOR_VERSION};
use crate::graph::{CoDependence, GraphView, HopFilter, PathResult, Ranking, Subgraph, Trace};
use crate::index::{SearchRequest, SearchResults, TextIndex};
use crate::ingest::{self, ParsedDocument};
use crate::model::{self, Edge, EdgeLabel, Node, NodeKind};
use crate::store::{DocumentBatch, DocumentRecord, GraphStore, Stats, WriteOutcome, WriteStatus};
use serde::Serialize;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// What happened to one file of an ingest.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NodeView {
    pub node: Node,
    pub edges: Vec<Edge>,
}

/// One stored document, without what it holds.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentSummary {
    pub id: String,
    pub unit: String,
    pub year: u16,
    pub title: String,
    /// How many goals it has.
    pub goals: usize,
    /// The path or upload name it was read from.
    pub source: String,
    pub layout: String,
    /// Seconds since the Unix epoch.
    pub ingested_at: u64,
}

/// A page of the stored documents.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentList {
    pub total: usize,
    pub documents: Vec<DocumentSummary>,
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
    /// `None` until the first graph query, and after a write the view could not follow.
    graph: RwLock<Option<GraphView>>,
    /// Where the view's snapshot lives (`DATA/graph.view`; none for a temporary graph).
    snapshot: Option<PathBuf>,
    /// The generation of the snapshot on disk, as far as this process knows; its lock
    /// serialises saves.
    saved_generation: Mutex<Option<u64>>,
    extractor: Extractor,
}

/// The graph view's snapshot file in the data folder.
pub const GRAPH_SNAPSHOT: &str = "graph.view";

/// What `neighbors` may include.
#[derive(Debug, Clone)]
pub struct NeighborsRequest {
    /// Hops from the node (0 to [`crate::graph::MAX_DEPTH`]).
    pub depth: usize,
    /// Only edges with these labels (all when empty).
    pub labels: Vec<EdgeLabel>,
    /// Only nodes of these kinds (all when empty).
    pub kinds: Vec<NodeKind>,
    /// At most this many nodes.
    pub limit: usize,
}

impl Default for NeighborsRequest {
    fn default() -> Self {
        NeighborsRequest {
            depth: 1,
            labels: Vec::new(),
            kinds: Vec::new(),
            limit: 500,
        }
    }
}

impl KnowledgeGraph {
    /// Open the data folder (`DIR/graph`, `DIR/text`), creating it if needed, and bring the
    /// text index up to date with the store.
    pub fn open(data_dir: &Path) -> Result<KnowledgeGraph> {
        let seg = Segmenter::shared();
        let store = GraphStore::open(&data_dir.join("graph"))?;
        let index = TextIndex::open(&data_dir.join("text"), seg.clone())?;
        KnowledgeGraph::assemble(store, index, seg, Some(data_dir.join(GRAPH_SNAPSHOT)))
    }

    /// A graph in memory and a temporary file (tests, benchmarks).
    pub fn temporary() -> Result<KnowledgeGraph> {
        let seg = Segmenter::shared();
        let store = GraphStore::temporary()?;
        let index = TextIndex::in_memory(seg.clone())?;
        KnowledgeGraph::assemble(store, index, seg, None)
    }

    fn assemble(
        store: GraphStore,
        index: TextIndex,
        seg: Arc<Segmenter>,
        snapshot: Option<PathBuf>,
    ) -> Result<Self> {
        let kg = KnowledgeGraph {
            store,
            index: RwLock::new(index),
            graph: RwLock::new(None),
            snapshot,
            saved_generation: Mutex::new(None),
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
            // A target is found by what it counts and its value (技术创新中心 150家以上).
            NodeKind::Target => index.upsert_entity(node, &target_search_names(node)),
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
            } else {
                match std::fs::metadata(p) {
                    Ok(_) => files.push(p.clone()),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        report.push(failed(p, "no such file or folder"))
                    }
                    // A symlink loop, a path through a file, a folder not searchable.
                    Err(e) => report.push(failed(p, &e.to_string())),
                }
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

        let old = self.store.document(&doc_id)?;
        if let Some(old) = &old {
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
        let written = self.write_batch(old.as_ref(), &batch)?;
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
            let tokens: std::collections::HashMap<&str, &GoalTokens> =
                tokens.iter().map(|(id, t)| (id.as_str(), t)).collect();
            for node in &batch.nodes {
                let t = tokens.get(node.id.as_str()).copied();
                self.index_node(index, node, t, &seg)?;
            }
        }
        Ok((outcome, written.generation))
    }

    /// Write one document's batch to the store and bring the graph view along, under the
    /// view's write lock so no query sees the store and the view disagree.
    fn write_batch(
        &self,
        old: Option<&DocumentRecord>,
        batch: &DocumentBatch,
    ) -> Result<WriteOutcome> {
        let mut graph = self.write_graph();
        let written = self.store.write_document(batch)?;
        if let Some(view) = graph.as_mut() {
            if !matches!(view.apply(&self.store, old, batch, &written), Ok(true)) {
                // Missed a write, or could not read the store: rebuild on the next query.
                *graph = None;
            }
        }
        Ok(written)
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

    /// Find a node by id, name, alias, then by name prefix or substring. A name may be
    /// qualified by its kind (`place:高新区`) to choose between nodes of the same name.
    /// Unknown names give the closest known names; ambiguous ones list the candidates
    /// with their kinds and ids (either resolves).
    ///
    /// ```no_run
    /// # let kg = plangraph::query::KnowledgeGraph::temporary()?;
    /// match kg.resolve("高新") {
    ///     Ok(node) => println!("{} {}", node.kind, node.id),
    ///     Err(e) => eprintln!("{e}"), // … did you mean: 高新区, …
    /// }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
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
        // `kind:name` narrows the search to one kind.
        let (kind, q) = match q.split_once(':') {
            Some((k, rest)) if !rest.trim().is_empty() => match k.parse::<NodeKind>() {
                Ok(kind) => (Some(kind), rest.trim()),
                Err(_) => (None, q),
            },
            _ => (None, q),
        };
        let of_kind = |id: &String| kind.is_none_or(|k| id.starts_with(&format!("{k}:")));
        let norm = model::normalize_name(q);
        if norm.is_empty() {
            return Err(Error::InvalidParam {
                param: "name",
                reason: "empty name".into(),
            });
        }

        let exact = self.store.ids_named(q)?;
        if let Some(n) = self.pick(q, kind, &exact)? {
            return Ok(n);
        }
        let mut prefixed = Vec::new();
        for r in self.store.names_with_prefix(q).take(200) {
            prefixed.push(r?.1);
        }
        if let Some(n) = self.pick(q, kind, &unique(prefixed))? {
            return Ok(n);
        }
        let mut containing = Vec::new();
        for r in self.store.names_with_prefix("") {
            let (name, id) = r?;
            if name.contains(&norm) && of_kind(&id) {
                containing.push(id);
            }
        }
        if let Some(n) = self.pick(q, kind, &unique(containing))? {
            return Ok(n);
        }
        Err(Error::NotFound {
            name: name_or_id.trim().to_string(),
            suggestions: self.suggest(&norm)?,
        })
    }

    /// One candidate (of `kind`, when given): that node. Several: ambiguous, unless exactly
    /// one is an entity (an entity wins over goals of the same title). None: `None`.
    fn pick(&self, q: &str, kind: Option<NodeKind>, ids: &[String]) -> Result<Option<Node>> {
        let mut nodes = Vec::new();
        for id in ids.iter().take(200) {
            if let Some(n) = self.store.node(id)? {
                if kind.is_none_or(|k| n.kind == k) {
                    nodes.push(n);
                }
            }
        }
        match nodes.len() {
            0 => Ok(None),
            1 => Ok(nodes.pop()),
            _ => {
                let entities: Vec<&Node> = nodes.iter().filter(|n| n.kind.is_entity()).collect();
                if entities.len() == 1 {
                    return Ok(Some(entities[0].clone()));
                }
                // Entities first, then by name.
                nodes.sort_by(|a, b| {
                    b.kind
                        .is_entity()
                        .cmp(&a.kind.is_entity())
                        .then_with(|| a.name.chars().count().cmp(&b.name.chars().count()))
                        .then_with(|| a.name.cmp(&b.name))
                });
                Err(Error::Ambiguous {
                    name: q.to_string(),
                    candidates: nodes.iter().take(10).map(describe_candidate).collect(),
                })
            }
        }
    }

    /// Known names closest to `norm`: sharing the most character pairs and characters,
    /// shortest first.
    fn suggest(&self, norm: &str) -> Result<Vec<String>> {
        let want: Vec<char> = norm.chars().collect();
        let pairs: Vec<[char; 2]> = want.windows(2).map(|w| [w[0], w[1]]).collect();
        let mut scored: Vec<(usize, usize, String)> = Vec::new();
        for r in self.store.names_with_prefix("") {
            let (name, _) = r?;
            let shared = want.iter().filter(|c| name.contains(**c)).count();
            if shared * 2 < want.len().max(1) {
                continue;
            }
            let chars: Vec<char> = name.chars().collect();
            let shared_pairs = pairs
                .iter()
                .filter(|p| chars.windows(2).any(|w| w == p.as_slice()))
                .count();
            scored.push((shared_pairs * 2 + shared, chars.len(), name));
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        scored.dedup_by(|a, b| a.2 == b.2);
        Ok(scored.into_iter().take(5).map(|s| s.2).collect())
    }

    /// Run `f` on the graph view, building it first when there is none or when the store
    /// moved on without it (a write behind the facade). Holds the view's read lock while
    /// `f` runs, so `f` sees no half-applied document.
    fn with_graph<T>(&self, f: impl FnOnce(&GraphView) -> Result<T>) -> Result<T> {
        {
            let guard = self.read_graph();
            if let Some(view) = guard.as_ref() {
                if view.generation() == self.store.generation()? {
                    return f(view);
                }
            }
        }
        let mut guard = self.write_graph();
        let generation = self.store.generation()?;
        if guard.as_ref().is_none_or(|v| v.generation() != generation) {
            *guard = Some(self.load_or_build_view()?);
        }
        let view = guard.as_ref().expect("built above");
        f(view)
    }

    /// The snapshot when it matches the store, else a build from the store (then saved).
    fn load_or_build_view(&self) -> Result<GraphView> {
        if let Some(path) = &self.snapshot {
            if let Some(view) = GraphView::load(path, &self.store) {
                *self.lock_saved() = Some(view.generation());
                return Ok(view);
            }
        }
        let view = GraphView::build(&self.store)?;
        self.save_view(&view);
        Ok(view)
    }

    /// Save the view's snapshot unless the one on disk is already of its generation.
    /// Failing to save costs only a slower next start: logged, not returned.
    fn save_view(&self, view: &GraphView) -> bool {
        let Some(path) = &self.snapshot else {
            return false;
        };
        let mut saved = self.lock_saved();
        if *saved == Some(view.generation()) {
            return false;
        }
        match view.save(path) {
            Ok(()) => {
                *saved = Some(view.generation());
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not save the graph view snapshot");
                false
            }
        }
    }

    fn lock_saved(&self) -> std::sync::MutexGuard<'_, Option<u64>> {
        self.saved_generation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Build the graph view now (a server does this at start-up, so the first query does
    /// not wait), from its snapshot when that is current. Returns the number of nodes and
    /// edges in it.
    pub fn warm_graph(&self) -> Result<(usize, usize)> {
        self.with_graph(|v| Ok((v.node_count(), v.edge_count())))
    }

    /// Save the graph view's snapshot if documents were added since the last one, so the
    /// next start reads it instead of scanning the store. A server calls this when it
    /// stops. Returns whether it wrote one.
    pub fn save_graph(&self) -> Result<bool> {
        let guard = self.read_graph();
        match guard.as_ref() {
            Some(view) if view.generation() == self.store.generation()? => Ok(self.save_view(view)),
            _ => Ok(false),
        }
    }

    /// Which goals depend on an entity: along `depends_on`, `issues`, `mentions`, through
    /// a target's `measures`, and through everything that is `part_of` it. Each goal comes
    /// with its path (edges from the goal to the entity) and evidence sentence, sorted by
    /// unit, year, category and number; `limit` keeps the first goals (`total` counts all).
    ///
    /// ```no_run
    /// # let kg = plangraph::query::KnowledgeGraph::temporary()?;
    /// let trace = kg.trace("中科院", None)?;
    /// for g in &trace.goals {
    ///     println!("{} {} {}: {} ({})", g.unit, g.year.unwrap_or(0), g.number, g.name, g.evidence);
    /// }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn trace(&self, name_or_id: &str, limit: Option<usize>) -> Result<Trace> {
        let entity = self.resolve(name_or_id)?;
        self.with_graph(|v| v.trace(&self.store, entity, limit))
    }

    /// How many goals depend on a node (by id): directly, through a target or through its
    /// parts, as `trace` counts them. 0 for an unknown id.
    pub fn dependent_goal_count(&self, id: &str) -> Result<usize> {
        self.with_graph(|v| Ok(v.trace_goal_ids(id).len()))
    }

    /// The subgraph within `request.depth` hops of a node, edges followed either way.
    ///
    /// ```no_run
    /// # use plangraph::query::{KnowledgeGraph, NeighborsRequest};
    /// # let kg = KnowledgeGraph::temporary()?;
    /// let sub = kg.neighbors("高新区", &NeighborsRequest { depth: 2, ..Default::default() })?;
    /// println!("{} nodes, {} edges", sub.nodes.len(), sub.edges.len());
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn neighbors(&self, name_or_id: &str, request: &NeighborsRequest) -> Result<Subgraph> {
        if request.depth > crate::graph::MAX_DEPTH {
            return Err(Error::InvalidParam {
                param: "depth",
                reason: format!(
                    "{} is too deep (at most {})",
                    request.depth,
                    crate::graph::MAX_DEPTH
                ),
            });
        }
        if request.limit == 0 {
            return Err(Error::InvalidParam {
                param: "limit",
                reason: "must be at least 1".into(),
            });
        }
        let center = self.resolve(name_or_id)?;
        let filter = HopFilter {
            labels: &request.labels,
            kinds: &request.kinds,
            limit: request.limit,
        };
        self.with_graph(|v| v.neighbors(&self.store, center, request.depth, &filter))
    }

    /// A shortest path between two nodes, edges followed either way (only `labels`, when
    /// given). [`Error::NoPath`] when none joins them.
    ///
    /// ```no_run
    /// # let kg = plangraph::query::KnowledgeGraph::temporary()?;
    /// let p = kg.path("国家超级计算中心", "中德青年科学院", &[])?;
    /// println!("{} hops", p.length);
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn path(&self, from: &str, to: &str, labels: &[EdgeLabel]) -> Result<PathResult> {
        let a = self.resolve(from)?;
        let b = self.resolve(to)?;
        self.with_graph(|v| v.path(&self.store, a, b, labels))
    }

    /// Entities (of one kind, or all) by how many goals depend on them, with PageRank.
    ///
    /// ```no_run
    /// # let kg = plangraph::query::KnowledgeGraph::temporary()?;
    /// let r = kg.rank(Some(plangraph::NodeKind::Institution), 10)?;
    /// for e in &r.entities { println!("{} {} {:.4}", e.name, e.goals, e.pagerank); }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn rank(&self, kind: Option<NodeKind>, limit: usize) -> Result<Ranking> {
        if kind.is_some_and(|k| !k.is_entity()) {
            return Err(Error::InvalidParam {
                param: "kind",
                reason: format!(
                    "{} is not an entity kind (rank lists institution, organization, place, \
                     document, program or person)",
                    kind.expect("checked")
                ),
            });
        }
        self.with_graph(|v| v.rank(&self.store, kind, limit))
    }

    /// Goals that rely on the same entities as a goal (of `kinds`, or any), most shared
    /// first.
    ///
    /// ```no_run
    /// # let kg = plangraph::query::KnowledgeGraph::temporary()?;
    /// let c = kg.co_dependent("强化科技人才引进培养", &[], 20)?;
    /// for g in &c.goals { println!("{} shares {}", g.name, g.shared.len()); }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn co_dependent(
        &self,
        goal: &str,
        kinds: &[NodeKind],
        limit: usize,
    ) -> Result<CoDependence> {
        let goal = self.resolve(goal)?;
        self.with_graph(|v| v.co_dependent(&self.store, goal, kinds, limit))
    }

    /// One node with all its edges, outgoing first.
    pub fn show(&self, name_or_id: &str) -> Result<NodeView> {
        let node = self.resolve(name_or_id)?;
        let mut edges = self.store.edges_out(&node.id, None)?;
        edges.extend(self.store.edges_in(&node.id, None)?);
        Ok(NodeView { node, edges })
    }

    /// The stored documents in id order, `limit` of them after skipping `offset`.
    pub fn documents(&self, offset: usize, limit: usize) -> Result<DocumentList> {
        let mut documents = Vec::new();
        for r in self.store.documents().skip(offset).take(limit) {
            let d = r?;
            documents.push(DocumentSummary {
                goals: d.goals.len(),
                id: d.id,
                unit: d.unit,
                year: d.year,
                title: d.title,
                source: d.source,
                layout: d.layout,
                ingested_at: d.ingested_at,
            });
        }
        Ok(DocumentList {
            total: self.store.document_count(),
            documents,
        })
    }

    pub fn stats(&self) -> Result<Stats> {
        self.store.stats()
    }

    /// The whole graph as JSON lines (see [`crate::export::jsonl`]): a header, nodes,
    /// edges, document records; one consistent state even while documents are written.
    pub fn export_jsonl(&self, out: &mut dyn Write) -> Result<()> {
        self.store
            .without_writes(|s| crate::export::jsonl::write(s, out, &mut |_| {}))
    }

    fn read_index(&self) -> RwLockReadGuard<'_, TextIndex> {
        self.index.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write_index(&self) -> RwLockWriteGuard<'_, TextIndex> {
        self.index.write().unwrap_or_else(|p| p.into_inner())
    }

    fn read_graph(&self) -> RwLockReadGuard<'_, Option<GraphView>> {
        self.graph.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write_graph(&self) -> RwLockWriteGuard<'_, Option<GraphView>> {
        self.graph.write().unwrap_or_else(|p| p.into_inner())
    }
}

/// Ids in first-seen order, each once.
fn unique(ids: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// `name (kind, id)`, with the unit and year for a goal: how an ambiguous name's
/// candidates are listed (the id, or `kind:name`, resolves each).
fn describe_candidate(n: &Node) -> String {
    match n.kind {
        NodeKind::Goal => {
            let unit = n.prop_str("unit").unwrap_or("");
            let year = match n.props.get("year") {
                Some(Value::Number(y)) => y.to_string(),
                Some(Value::String(y)) => y.clone(),
                _ => String::new(),
            };
            format!("{} (goal, {unit} {year}, {})", n.name, n.id)
        }
        k => format!("{} ({k}, {})", n.name, n.id),
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

/// The texts a target is searchable by besides its name: its subject with the value.
fn target_search_names(node: &Node) -> Vec<String> {
    let subject = node.prop_str("subject").unwrap_or("").trim();
    let raw = node.prop_str("raw").unwrap_or(&node.name).trim();
    if subject.is_empty() {
        Vec::new()
    } else {
        vec![format!("{subject} {raw}")]
    }
}
