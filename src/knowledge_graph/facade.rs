//! The facade itself: the parts it owns, opening and closing, and the queries.

use crate::error::{Error, Result};
use crate::extract::{Extractor, Segmenter};
use crate::graph::{
    CoDependence, GraphView, HopFilter, PathResult, Ranking, Subgraph, SubgraphShape, Trace,
};
use crate::index::TextIndex;
use crate::limits;
use crate::model::{EdgeLabel, Node, NodeKind};
use crate::store::{GraphStore, Stats};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::results::{DocumentList, DocumentSummary, NeighborsRequest, NodeView};

/// The knowledge graph: store, text index and extractor behind one API.
///
/// Every query checks its `limit`, `offset` and `depth` against [`crate::limits`], so the
/// CLI and the HTTP API refuse the same values with the same message.
///
/// ```no_run
/// use plangraph::knowledge_graph::KnowledgeGraph;
/// let kg = KnowledgeGraph::open(std::path::Path::new("index"))?;
/// kg.ingest_paths(&["seeds".into()], &mut |_| {})?;
/// let node = kg.resolve("高新区")?;
/// println!("{}", kg.show(&node.id)?.edges.len());
/// # Ok::<(), plangraph::Error>(())
/// ```
pub struct KnowledgeGraph {
    pub(super) store: GraphStore,
    pub(super) index: RwLock<TextIndex>,
    /// `None` until the first graph query, and after a write the view could not follow.
    pub(super) graph: RwLock<Option<GraphView>>,
    /// Where the view's snapshot lives (`DATA/graph.view`; none for a temporary graph).
    pub(super) snapshot: Option<PathBuf>,
    /// The generation of the snapshot on disk, as far as this process knows; its lock
    /// serialises saves.
    pub(super) saved_generation: Mutex<Option<u64>>,
    pub(super) extractor: Extractor,
    /// Set while a thread recomputes what the first query after a write waits for
    /// ([`KnowledgeGraph::rewarm`]).
    pub(super) rewarming: std::sync::atomic::AtomicBool,
}

/// The graph view's snapshot file in the data folder.
pub const GRAPH_SNAPSHOT: &str = "graph.view";

impl KnowledgeGraph {
    /// Open the data folder (`DIR/graph`, `DIR/text`), creating it if needed, and bring the
    /// text index up to date with the store.
    pub fn open(data_dir: &Path) -> Result<KnowledgeGraph> {
        let store = GraphStore::open(&data_dir.join("graph"))?;
        KnowledgeGraph::open_store(data_dir, store)
    }

    /// Close the data folder at `data_dir` after a long write (an ingest) so that the next
    /// process to open it starts at once ([`GraphStore::settle`]): the graph is dropped,
    /// its store opened and closed once more.
    pub fn close_settled(self, data_dir: &Path) -> Result<()> {
        drop(self);
        GraphStore::settle(&data_dir.join("graph"))
    }

    /// Open the data folder for a command that passes over the whole graph once (export,
    /// backup, the index rebuild after import and restore): the store's page cache is
    /// capped ([`GraphStore::open_bulk`]), so memory stays bounded however large the
    /// graph; queries work as after [`KnowledgeGraph::open`], only with fewer pages cached.
    pub fn open_bulk(data_dir: &Path) -> Result<KnowledgeGraph> {
        let store = GraphStore::open_bulk(&data_dir.join("graph"))?;
        KnowledgeGraph::open_store(data_dir, store)
    }

    fn open_store(data_dir: &Path, store: GraphStore) -> Result<KnowledgeGraph> {
        let seg = Segmenter::shared();
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
            rewarming: std::sync::atomic::AtomicBool::new(false),
        };
        kg.sync_index()?;
        Ok(kg)
    }

    pub fn store(&self) -> &GraphStore {
        &self.store
    }

    /// Which goals depend on an entity: along `depends_on`, `issues`, `mentions`, through
    /// a target's `measures`, and through everything that is `part_of` it. Each goal comes
    /// with its path (edges from the goal to the entity) and evidence sentence, sorted by
    /// unit, year, category and number; `limit` keeps the first goals (`total` counts all).
    ///
    /// ```no_run
    /// # let kg = plangraph::knowledge_graph::KnowledgeGraph::temporary()?;
    /// let trace = kg.trace("中科院", None)?;
    /// for g in &trace.goals {
    ///     let (goal, place) = (&g.goal, &g.goal.place);
    ///     println!("{} {} {}: {} ({})", place.unit, place.year.unwrap_or(0), place.number, goal.name, g.evidence);
    /// }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn trace(&self, name_or_id: &str, limit: Option<usize>) -> Result<Trace> {
        self.trace_page(name_or_id, 0, limit)
    }

    /// [`KnowledgeGraph::trace`] from the `offset`-th goal of the sorted trace (a page of
    /// `limit`), with `groups`: per unit and year, the goals of the whole trace. Only the
    /// goals of the page are read from the store.
    ///
    /// ```no_run
    /// # let kg = plangraph::knowledge_graph::KnowledgeGraph::temporary()?;
    /// let page = kg.trace_page("中科院", 20, Some(20))?;
    /// for g in &page.groups { println!("{} {:?}: {}", g.unit, g.year, g.goals); }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn trace_page(
        &self,
        name_or_id: &str,
        offset: usize,
        limit: Option<usize>,
    ) -> Result<Trace> {
        let limit = limit
            .map(|l| limits::TRACE_LIMIT.check(Some(l)))
            .transpose()?;
        let offset = limits::TRACE_OFFSET.check(Some(offset))?;
        let entity = self.resolve(name_or_id)?;
        self.with_graph(|v| v.trace_page(&self.store, entity, offset, limit))
    }

    /// How many goals depend on a node (by id): directly, through a target or through its
    /// parts, as `trace` counts them. 0 for an unknown id.
    pub fn dependent_goal_count(&self, id: &str) -> Result<usize> {
        self.with_graph(|v| Ok(v.trace_goal_ids(id).len()))
    }

    /// The subgraph within `request.depth` hops of a node, edges followed either way.
    ///
    /// ```no_run
    /// # use plangraph::knowledge_graph::{KnowledgeGraph, NeighborsRequest};
    /// # let kg = KnowledgeGraph::temporary()?;
    /// let sub = kg.neighbors("高新区", &NeighborsRequest { depth: 2, ..Default::default() })?;
    /// println!("{} nodes, {} edges", sub.nodes.len(), sub.edges.len());
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn neighbors(&self, name_or_id: &str, request: &NeighborsRequest) -> Result<Subgraph> {
        let center = self.neighbors_center(name_or_id, request)?;
        let filter = hop_filter(request);
        self.with_graph(|v| v.neighbors(&self.store, center, request.depth, &filter))
    }

    /// The node a neighbourhood is asked around, once the request's depth and limit pass.
    fn neighbors_center(&self, name_or_id: &str, request: &NeighborsRequest) -> Result<Node> {
        limits::NEIGHBORS_DEPTH.check(Some(request.depth))?;
        limits::NEIGHBORS_LIMIT.check(Some(request.limit))?;
        self.resolve(name_or_id)
    }

    /// [`KnowledgeGraph::neighbors`] as ids only: the same nodes and edges in the same
    /// order, without their properties and evidence, answered from the graph view (one
    /// store read, to resolve the name).
    pub fn neighbor_shape(
        &self,
        name_or_id: &str,
        request: &NeighborsRequest,
    ) -> Result<SubgraphShape> {
        let center = self.neighbors_center(name_or_id, request)?;
        let filter = hop_filter(request);
        self.with_graph(|v| {
            let mut shape = v.neighbor_shape(&center.id, request.depth, &filter);
            if shape.nodes.is_empty() {
                shape.nodes.push(crate::graph::ShapeNode {
                    id: center.id.clone(),
                    kind: center.kind,
                    hops: 0,
                });
            }
            Ok(shape)
        })
    }

    /// A shortest path between two nodes, edges followed either way (only `labels`, when
    /// given). [`Error::NoPath`] when none joins them.
    ///
    /// ```no_run
    /// # let kg = plangraph::knowledge_graph::KnowledgeGraph::temporary()?;
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
    /// # let kg = plangraph::knowledge_graph::KnowledgeGraph::temporary()?;
    /// let r = kg.rank(Some(plangraph::NodeKind::Institution), 10)?;
    /// for e in &r.entities { println!("{} {} {:.4}", e.name, e.goals, e.pagerank); }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn rank(&self, kind: Option<NodeKind>, limit: usize) -> Result<Ranking> {
        self.rank_with(kind, limit, false)
    }

    /// [`KnowledgeGraph::rank`], class nodes (技术创新中心, 重点实验室) included when
    /// `classes` is set (they are left out otherwise: rank lists named platforms).
    pub fn rank_with(
        &self,
        kind: Option<NodeKind>,
        limit: usize,
        classes: bool,
    ) -> Result<Ranking> {
        let limit = limits::RANK_LIMIT.check(Some(limit))?;
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
        self.with_graph(|v| v.rank(&self.store, kind, limit, classes))
    }

    /// Goals that rely on the same entities as a goal (of `kinds`, or any), most shared
    /// first.
    ///
    /// ```no_run
    /// # let kg = plangraph::knowledge_graph::KnowledgeGraph::temporary()?;
    /// let c = kg.co_dependent("强化科技人才引进培养", &[], 20)?;
    /// for g in &c.goals { println!("{} shares {}", g.goal.name, g.shared.len()); }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn co_dependent(
        &self,
        goal: &str,
        kinds: &[NodeKind],
        limit: usize,
    ) -> Result<CoDependence> {
        let limit = limits::CO_DEPENDENT_LIMIT.check(Some(limit))?;
        let goal = self.resolve(goal)?;
        self.with_graph(|v| v.co_dependent(&self.store, goal, kinds, limit))
    }

    /// One node with all its edges, outgoing first.
    pub fn show(&self, name_or_id: &str) -> Result<NodeView> {
        let node = self.resolve(name_or_id)?;
        let mut edges = self.store.edges_out(&node.id, None)?;
        // a self-loop (a document revising itself) once
        edges.extend(
            self.store
                .edges_in(&node.id, None)?
                .into_iter()
                .filter(|e| e.source != e.target),
        );
        let aliases = self.aliases_of(&node)?;
        let lineage = self.document_lineage(&node)?;
        Ok(NodeView {
            node,
            aliases,
            edges,
            lineage,
        })
    }

    /// The stored documents in id order, `limit` of them after skipping `offset`.
    pub fn documents(&self, offset: usize, limit: usize) -> Result<DocumentList> {
        let limit = limits::DOCUMENTS_LIMIT.check(Some(limit))?;
        let offset = limits::DOCUMENTS_OFFSET.check(Some(offset))?;
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

    pub(super) fn read_index(&self) -> RwLockReadGuard<'_, TextIndex> {
        self.index.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn write_index(&self) -> RwLockWriteGuard<'_, TextIndex> {
        self.index.write().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn read_graph(&self) -> RwLockReadGuard<'_, Option<GraphView>> {
        self.graph.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn write_graph(&self) -> RwLockWriteGuard<'_, Option<GraphView>> {
        self.graph.write().unwrap_or_else(|p| p.into_inner())
    }
}

/// Brings the view (held under [`KnowledgeGraph::write_graph`] across the store write) along
/// with one write (reading the sort keys of the document's goals from `store`); a view that
/// missed a write, or could not read them, is dropped, to be built again on the next query.
/// The walk's filter of a neighbourhood request.
fn hop_filter(request: &NeighborsRequest) -> HopFilter<'_> {
    HopFilter {
        labels: &request.labels,
        kinds: &request.kinds,
        limit: request.limit,
    }
}

pub(super) fn follow_write(
    graph: &mut Option<GraphView>,
    store: &GraphStore,
    change: &crate::store::DocumentChange,
) {
    if let Some(view) = graph.as_mut() {
        if !view.follow(store, change).unwrap_or(false) {
            *graph = None;
        }
    }
}
