//! The graph view: petgraph over the store's edges, for the walks key scans do badly —
//! reverse dependency traces, k-hop neighbourhoods, shortest paths, rankings. Only this
//! module sees petgraph.
//!
//! ## What the view holds and how it stays in step with the store
//!
//! Structure only: each node's id and kind, each edge's label. Names, props and evidence
//! are read from the store when a result is materialised, so the view stays small and a
//! result never shows stale text.
//!
//! The view is built from the store once (two key scans: node ids and kinds, then edge
//! keys; no edge props are decoded), lazily on the first graph query, or read from a
//! snapshot file (`DATA/graph.view`) when one was saved at the store's current
//! generation — a sled scan costs seconds at 10⁵ documents, the snapshot a fraction of
//! that; the facade saves one after each build and when a server stops. After that the
//! facade updates it **incrementally** on every document write, under the same lock as
//! the store write, from the document's batch, its previous record and the store's
//! [`WriteOutcome`]: cost proportional to the document, not to the graph (see
//! `docs/benchmarks.md`). The view records the store generation it reflects; if a write
//! reaches the store behind the facade's back, the generations disagree and the view is
//! rebuilt on the next query. Readers hold a read lock while they walk and materialise, so
//! a query sees a document wholly before or wholly after it was added.

use crate::error::{Error, Result};
use crate::model::{Edge, EdgeLabel, Node, NodeKind};
use crate::store::{DocumentBatch, DocumentRecord, GraphStore, WriteOutcome, WriteStatus};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeFiltered, EdgeRef, UndirectedAdaptor};
use petgraph::Direction::{Incoming, Outgoing};
use serde::Serialize;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use utoipa::ToSchema;

/// Most hops a neighbourhood may span.
pub const MAX_DEPTH: usize = 4;

/// Edges a trace walks (backwards, from the entity towards goals).
const TRACE_LABELS: [EdgeLabel; 6] = [
    EdgeLabel::DependsOn,
    EdgeLabel::Issues,
    EdgeLabel::SetsTarget,
    EdgeLabel::Measures,
    EdgeLabel::PartOf,
    EdgeLabel::Mentions,
];

/// Edges by which a goal relies on an entity (directly, or through a target).
const DEPENDENCY_LABELS: [EdgeLabel; 3] =
    [EdgeLabel::DependsOn, EdgeLabel::Issues, EdgeLabel::Mentions];

/// When a node is reached by several edges at once, the stronger relation wins.
fn label_rank(label: EdgeLabel) -> u8 {
    match label {
        EdgeLabel::DependsOn => 0,
        EdgeLabel::Issues => 1,
        EdgeLabel::SetsTarget => 2,
        EdgeLabel::Measures => 3,
        EdgeLabel::PartOf => 4,
        EdgeLabel::Mentions => 5,
        EdgeLabel::HasGoal => 6,
    }
}

/// A node by name, for lists inside results: `{"id", "kind", "name"}`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NodeRef {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
}

impl From<&Node> for NodeRef {
    fn from(n: &Node) -> NodeRef {
        NodeRef {
            id: n.id.clone(),
            kind: n.kind,
            name: n.name.clone(),
        }
    }
}

/// `trace`: the goals that depend on an entity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Trace {
    pub entity: Node,
    /// How many goals depend on the entity (before `limit`).
    pub total: usize,
    /// Sorted by unit, year, category, number.
    pub goals: Vec<TracedGoal>,
}

/// One goal of a trace, with the edges that lead from it to the entity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TracedGoal {
    pub id: String,
    /// The goal's title.
    pub name: String,
    pub unit: String,
    pub year: Option<u16>,
    pub category: String,
    pub number: String,
    /// Id of the document the goal is in.
    pub document: Option<String>,
    pub document_title: Option<String>,
    /// The label of the goal's own edge (`depends_on`, `mentions`, …).
    pub relation: EdgeLabel,
    /// The governing verb of that edge (建设, 支持 …), where there is one.
    pub action: Option<String>,
    /// The nodes between the goal and the entity (empty when the goal names it directly).
    pub via: Vec<NodeRef>,
    /// The edges from the goal to the entity, in order.
    pub path: Vec<Edge>,
    /// The sentence the goal's edge came from.
    pub evidence: String,
}

/// `neighbors`: the subgraph within `depth` hops of `center`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Subgraph {
    /// Id of the node the neighbourhood is around.
    pub center: String,
    pub depth: usize,
    /// Nearest first; the center is the first node.
    pub nodes: Vec<Node>,
    /// Every edge between the nodes (of the allowed labels).
    pub edges: Vec<Edge>,
    /// True when the node limit cut the neighbourhood short.
    pub truncated: bool,
}

/// `path`: a shortest path, nodes and edges in order from `from` to `to`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PathResult {
    pub nodes: Vec<Node>,
    /// `edges[i]` joins `nodes[i]` and `nodes[i + 1]` (in either direction).
    pub edges: Vec<Edge>,
    /// The number of edges.
    pub length: usize,
}

/// `rank`: entities by how many goals depend on them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ranking {
    /// The kind asked for (all entity kinds when absent).
    pub kind: Option<NodeKind>,
    /// How many entities there are of that kind.
    pub total: usize,
    pub entities: Vec<RankedEntity>,
}

/// One ranked entity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankedEntity {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    /// Goals whose trace reaches the entity (directly, through a target, or through a
    /// part).
    pub goals: usize,
    /// Goals with a direct `depends_on` edge to it.
    pub depends_on: usize,
    /// PageRank over the whole graph (sums to 1 over all nodes).
    pub pagerank: f64,
}

/// `co-dependent`: goals that share entities with a goal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoDependence {
    pub goal: Node,
    /// The entities the goal relies on (of the kinds asked for).
    pub entities: Vec<NodeRef>,
    /// How many other goals share at least one of them (before `limit`).
    pub total: usize,
    /// Most shared first, then by unit, year, category, number.
    pub goals: Vec<CoDependentGoal>,
}

/// A goal sharing entities with another.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoDependentGoal {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub year: Option<u16>,
    pub category: String,
    pub number: String,
    pub shared: Vec<NodeRef>,
}

/// What a neighbourhood may contain.
#[derive(Debug, Clone)]
pub struct HopFilter<'a> {
    /// Only edges with these labels (all when empty).
    pub labels: &'a [EdgeLabel],
    /// Only nodes of these kinds, besides the center (all when empty).
    pub kinds: &'a [NodeKind],
    /// At most this many nodes.
    pub limit: usize,
}

#[derive(Debug)]
struct ViewNode {
    id: Arc<str>,
    kind: NodeKind,
}

/// Per-entity figures for `rank`, computed once per view version.
struct RankTable {
    /// Entities, best first.
    rows: Vec<RankRow>,
}

struct RankRow {
    node: NodeIndex,
    goals: usize,
    depends_on: usize,
    pagerank: f64,
}

/// Hashes ids with xxh3 in one shot (ids are short; the standard SipHash costs more than
/// the rest of a lookup, and ids are not chosen by clients).
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = self.0.rotate_left(8) ^ u64::from(b);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type IdMap = HashMap<Arc<str>, NodeIndex, BuildHasherDefault<IdHasher>>;

/// The in-memory graph: node ids and kinds, edge labels.
pub struct GraphView {
    graph: StableDiGraph<ViewNode, EdgeLabel>,
    ids: IdMap,
    generation: u64,
    ranking: OnceLock<RankTable>,
}

impl GraphView {
    /// Build the view from the store: node ids and kinds, then edge keys.
    pub fn build(store: &GraphStore) -> Result<GraphView> {
        let generation = store.generation()?;
        let stats = store.stats()?;
        let (nodes, edges) = (
            stats.nodes.values().sum::<u64>() as usize,
            stats.edges.values().sum::<u64>() as usize,
        );
        let mut view = GraphView {
            graph: StableDiGraph::with_capacity(nodes, edges),
            ids: IdMap::with_capacity_and_hasher(nodes, Default::default()),
            generation,
            ranking: OnceLock::new(),
        };
        for r in store.node_kinds() {
            let (id, kind) = r?;
            view.ensure_node(&id, kind);
        }
        // Edges come grouped by target: look each target up once.
        let mut last: Option<(String, Option<NodeIndex>)> = None;
        let (graph, ids) = (&mut view.graph, &view.ids);
        store.for_each_edge_key(|s, l, t| {
            let b = match &last {
                Some((id, ix)) if id == t => *ix,
                _ => {
                    let ix = ids.get(t).copied();
                    last = Some((t.to_string(), ix));
                    ix
                }
            };
            if let (Some(a), Some(b)) = (ids.get(s).copied(), b) {
                graph.add_edge(a, b, l);
            }
        })?;
        Ok(view)
    }

    /// Write the view to `path` (through a temporary file and a rename, so a reader sees
    /// the old snapshot or the new one): ids and kinds, then edges as pairs of positions,
    /// stamped with the store generation and closed by a checksum.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut pos: HashMap<NodeIndex, u32> = HashMap::with_capacity(self.graph.node_count());
        let mut buf =
            Vec::with_capacity(self.graph.node_count() * 40 + self.graph.edge_count() * 9);
        buf.extend_from_slice(SNAPSHOT_MAGIC);
        buf.extend_from_slice(&self.generation.to_le_bytes());
        buf.extend_from_slice(&(self.graph.node_count() as u64).to_le_bytes());
        buf.extend_from_slice(&(self.graph.edge_count() as u64).to_le_bytes());
        for (i, n) in self.graph.node_indices().enumerate() {
            pos.insert(n, i as u32);
            let node = &self.graph[n];
            buf.push(kind_code(node.kind));
            buf.extend_from_slice(&(node.id.len() as u32).to_le_bytes());
            buf.extend_from_slice(node.id.as_bytes());
        }
        for e in self.graph.edge_indices() {
            let (a, b) = self.graph.edge_endpoints(e).expect("edge of this graph");
            buf.extend_from_slice(&pos[&a].to_le_bytes());
            buf.extend_from_slice(&pos[&b].to_le_bytes());
            buf.push(label_code(self.graph[e]));
        }
        let sum = xxhash_rust::xxh3::xxh3_64(&buf);
        buf.extend_from_slice(&sum.to_le_bytes());
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, &buf).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    }

    /// Read a snapshot written by [`GraphView::save`], if it is whole and was taken at the
    /// store's current generation with the store's node and edge counts; `None` otherwise
    /// (the caller then builds the view from the store).
    pub fn load(path: &Path, store: &GraphStore) -> Option<GraphView> {
        let buf = std::fs::read(path).ok()?;
        let (body, sum) = buf.split_at_checked(buf.len().checked_sub(8)?)?;
        if xxhash_rust::xxh3::xxh3_64(body) != u64::from_le_bytes(sum.try_into().ok()?) {
            return None;
        }
        let mut r = Reader(body.strip_prefix(SNAPSHOT_MAGIC)?);
        let generation = r.u64()?;
        let (nodes, edges) = (r.u64()? as usize, r.u64()? as usize);
        let stats = store.stats().ok()?;
        if generation != store.generation().ok()?
            || nodes as u64 != stats.nodes.values().sum::<u64>()
            || edges as u64 != stats.edges.values().sum::<u64>()
        {
            return None;
        }
        let mut view = GraphView {
            graph: StableDiGraph::with_capacity(nodes, edges),
            ids: IdMap::with_capacity_and_hasher(nodes, Default::default()),
            generation,
            ranking: OnceLock::new(),
        };
        let mut order = Vec::with_capacity(nodes);
        for _ in 0..nodes {
            let kind = *NodeKind::ALL.get(r.u8()? as usize)?;
            let len = r.u32()? as usize;
            let id = std::str::from_utf8(r.take(len)?).ok()?;
            order.push(view.ensure_node(id, kind));
        }
        for _ in 0..edges {
            let a = *order.get(r.u32()? as usize)?;
            let b = *order.get(r.u32()? as usize)?;
            let label = *EdgeLabel::ALL.get(r.u8()? as usize)?;
            view.graph.add_edge(a, b, label);
        }
        r.0.is_empty().then_some(view)
    }

    /// The store generation this view reflects.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every node as (id, kind), in no particular order.
    pub fn nodes(&self) -> impl Iterator<Item = (&str, NodeKind)> + '_ {
        self.graph
            .node_indices()
            .map(|n| (self.id(n), self.graph[n].kind))
    }

    /// Every edge as (source id, label, target id), in no particular order.
    pub fn edges(&self) -> impl Iterator<Item = (&str, EdgeLabel, &str)> + '_ {
        self.graph.edge_indices().map(|e| self.edge_key(e))
    }

    /// Bring the view up to date with one document write, from what the document held
    /// before (`old`), what it holds now (`batch`) and what the store did (`outcome`).
    /// Returns false when the view cannot be updated this way (it missed a write): the
    /// caller then drops it, to be rebuilt on the next query.
    pub fn apply(
        &mut self,
        store: &GraphStore,
        old: Option<&DocumentRecord>,
        batch: &DocumentBatch,
        outcome: &WriteOutcome,
    ) -> Result<bool> {
        if outcome.status == WriteStatus::Unchanged {
            return Ok(self.generation == outcome.generation);
        }
        if self.generation + 1 != outcome.generation {
            return Ok(false);
        }
        for id in &outcome.removed_nodes {
            if let Some(ix) = self.ids.remove(id.as_str()) {
                self.graph.remove_node(ix);
            }
        }
        if let Some(old) = old {
            let kept: HashSet<(&str, EdgeLabel, &str)> = batch
                .edges
                .iter()
                .map(|e| (e.source.as_str(), e.label, e.target.as_str()))
                .collect();
            for (s, l, t) in &old.edges {
                // An edge the new version dropped survives when another document holds it.
                if !kept.contains(&(s.as_str(), *l, t.as_str())) && store.edge(s, *l, t)?.is_none()
                {
                    self.remove_edge(s, *l, t);
                }
            }
        }
        for n in &batch.nodes {
            self.ensure_node(&n.id, n.kind);
        }
        for e in &batch.edges {
            self.ensure_edge(&e.source, e.label, &e.target);
        }
        self.generation = outcome.generation;
        self.ranking = OnceLock::new();
        Ok(true)
    }

    fn ensure_node(&mut self, id: &str, kind: NodeKind) -> NodeIndex {
        if let Some(&ix) = self.ids.get(id) {
            return ix;
        }
        let id: Arc<str> = Arc::from(id);
        let ix = self.graph.add_node(ViewNode {
            id: id.clone(),
            kind,
        });
        self.ids.insert(id, ix);
        ix
    }

    fn ensure_edge(&mut self, source: &str, label: EdgeLabel, target: &str) {
        let (Some(&a), Some(&b)) = (self.ids.get(source), self.ids.get(target)) else {
            return;
        };
        if self.find_edge(a, b, label).is_none() {
            self.graph.add_edge(a, b, label);
        }
    }

    fn remove_edge(&mut self, source: &str, label: EdgeLabel, target: &str) {
        let (Some(&a), Some(&b)) = (self.ids.get(source), self.ids.get(target)) else {
            return;
        };
        if let Some(e) = self.find_edge(a, b, label) {
            self.graph.remove_edge(e);
        }
    }

    /// The edge a → b with `label`, looking along a's out-edges and b's in-edges in step,
    /// so the cost is that of the smaller side (a unit has thousands of goals, a goal has
    /// one unit).
    fn find_edge(&self, a: NodeIndex, b: NodeIndex, label: EdgeLabel) -> Option<EdgeIndex> {
        let mut out = self.graph.edges_directed(a, Outgoing);
        let mut inn = self.graph.edges_directed(b, Incoming);
        loop {
            match out.next() {
                Some(e) if e.target() == b && *e.weight() == label => return Some(e.id()),
                Some(_) => {}
                None => return None,
            }
            match inn.next() {
                Some(e) if e.source() == a && *e.weight() == label => return Some(e.id()),
                Some(_) => {}
                None => return None,
            }
        }
    }

    fn index(&self, id: &str) -> Option<NodeIndex> {
        self.ids.get(id).copied()
    }

    fn id(&self, ix: NodeIndex) -> &str {
        &self.graph[ix].id
    }

    fn edge_key(&self, e: EdgeIndex) -> (&str, EdgeLabel, &str) {
        let (a, b) = self.graph.edge_endpoints(e).expect("edge of this graph");
        (self.id(a), self.graph[e], self.id(b))
    }

    // ---- trace ----

    /// Walk backwards from `start` along dependency edges, stopping at goals. Returns the
    /// goals reached and, for every node reached, the edge it was first reached by (the
    /// edge leads from it towards `start`): shortest paths, stronger labels first.
    fn trace_walk(&self, start: NodeIndex) -> (Vec<NodeIndex>, HashMap<NodeIndex, EdgeIndex>) {
        let mut first_edge: HashMap<NodeIndex, EdgeIndex> = HashMap::new();
        let mut goals = Vec::new();
        let mut queue = VecDeque::from([start]);
        let mut incoming = Vec::new();
        while let Some(n) = queue.pop_front() {
            let kind = self.graph[n].kind;
            if n != start && kind == NodeKind::Goal {
                goals.push(n);
                continue;
            }
            incoming.clear();
            incoming.extend(
                self.graph
                    .edges_directed(n, Incoming)
                    .filter(|e| walks_back(kind, *e.weight()))
                    .map(|e| (label_rank(*e.weight()), e.source(), e.id())),
            );
            incoming.sort_unstable();
            for &(_, source, edge) in &incoming {
                if source != start && !first_edge.contains_key(&source) {
                    first_edge.insert(source, edge);
                    queue.push_back(source);
                }
            }
        }
        (goals, first_edge)
    }

    /// The ids of the goals whose trace reaches `id`, in no particular order.
    pub fn trace_goal_ids(&self, id: &str) -> Vec<&str> {
        let Some(start) = self.index(id) else {
            return Vec::new();
        };
        self.trace_walk(start)
            .0
            .into_iter()
            .map(|g| self.id(g))
            .collect()
    }

    /// The goals that depend on `entity`, with their paths and evidence, sorted by unit,
    /// year, category and number; at most `limit` of them.
    pub fn trace(&self, store: &GraphStore, entity: Node, limit: Option<usize>) -> Result<Trace> {
        let Some(start) = self.index(&entity.id) else {
            return Ok(Trace {
                entity,
                total: 0,
                goals: Vec::new(),
            });
        };
        let (goals, first_edge) = self.trace_walk(start);
        let total = goals.len();
        let limit = limit.unwrap_or(usize::MAX);
        // Sort on the grouping fields first; read whole goals and their paths only for
        // the ones returned. (With no limit, each goal is read once, whole.)
        let mut keyed = Vec::with_capacity(total);
        for g in goals {
            let id = self.id(g);
            if limit >= total {
                if let Some(goal) = store.node(id)? {
                    keyed.push((GoalSummary::of(&goal).key(), g, Some(goal)));
                }
            } else if let Some(head) = store.node_part::<GoalHead>(id)? {
                keyed.push((GoalSummary::of_head(id, head).key(), g, None));
            }
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.truncate(limit);
        let mut found = Vec::with_capacity(keyed.len());
        for (_, g, goal) in keyed {
            let goal = match goal {
                Some(goal) => goal,
                None => match store.node(self.id(g))? {
                    Some(goal) => goal,
                    None => continue,
                },
            };
            let mut path = Vec::new();
            let mut via = Vec::new();
            let mut at = g;
            while at != start {
                let e = first_edge[&at];
                let (s, l, t) = self.edge_key(e);
                path.push(store.edge(s, l, t)?.unwrap_or_else(|| Edge::new(s, l, t)));
                at = self.graph.edge_endpoints(e).expect("edge of this graph").1;
                if at != start {
                    if let Some(n) = store.node(self.id(at))? {
                        via.push(NodeRef::from(&n));
                    }
                }
            }
            let first = &path[0];
            let evidence = path
                .iter()
                .find_map(|e| evidence_sentence(e))
                .unwrap_or_default()
                .to_string();
            let summary = GoalSummary::of(&goal);
            found.push(TracedGoal {
                relation: first.label,
                action: first
                    .props
                    .get("action")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                document: goal.prop_str("document").map(str::to_string),
                document_title: goal.prop_str("document_title").map(str::to_string),
                id: goal.id,
                name: goal.name,
                unit: summary.unit,
                year: summary.year,
                category: summary.category,
                number: summary.number,
                via,
                path,
                evidence,
            });
        }
        Ok(Trace {
            entity,
            total,
            goals: found,
        })
    }

    // ---- neighbourhoods ----

    /// Nodes within `depth` hops of `start` (edges followed either way), nearest first,
    /// with their distance; true when `filter.limit` cut the walk short.
    fn hop_walk(
        &self,
        start: NodeIndex,
        depth: usize,
        filter: &HopFilter<'_>,
    ) -> (Vec<(NodeIndex, usize)>, bool) {
        let label_ok = |l: EdgeLabel| filter.labels.is_empty() || filter.labels.contains(&l);
        let kind_ok = |k: NodeKind| filter.kinds.is_empty() || filter.kinds.contains(&k);
        let mut seen: HashSet<NodeIndex> = HashSet::from([start]);
        let mut order = vec![(start, 0)];
        let mut next = 0;
        let mut truncated = false;
        'walk: while next < order.len() {
            let (n, d) = order[next];
            next += 1;
            if d >= depth {
                continue;
            }
            let outgoing = self
                .graph
                .edges_directed(n, Outgoing)
                .map(|e| (e.target(), e));
            let incoming = self
                .graph
                .edges_directed(n, Incoming)
                .map(|e| (e.source(), e));
            for (other, e) in outgoing.chain(incoming) {
                if !label_ok(*e.weight()) || !kind_ok(self.graph[other].kind) {
                    continue;
                }
                if seen.contains(&other) {
                    continue;
                }
                if order.len() >= filter.limit {
                    truncated = true;
                    break 'walk;
                }
                seen.insert(other);
                order.push((other, d + 1));
            }
        }
        (order, truncated)
    }

    /// The ids of the nodes within `depth` hops of `id` (including it).
    pub fn hop_ids(&self, id: &str, depth: usize, filter: &HopFilter<'_>) -> Vec<&str> {
        let Some(start) = self.index(id) else {
            return Vec::new();
        };
        self.hop_walk(start, depth, filter)
            .0
            .into_iter()
            .map(|(n, _)| self.id(n))
            .collect()
    }

    /// The subgraph within `depth` hops of `center`: its nodes, nearest first, and every
    /// edge between them.
    pub fn neighbors(
        &self,
        store: &GraphStore,
        center: Node,
        depth: usize,
        filter: &HopFilter<'_>,
    ) -> Result<Subgraph> {
        let Some(start) = self.index(&center.id) else {
            return Ok(Subgraph {
                center: center.id.clone(),
                depth,
                nodes: vec![center],
                edges: Vec::new(),
                truncated: false,
            });
        };
        let (order, truncated) = self.hop_walk(start, depth, filter);
        let inside: HashSet<NodeIndex> = order.iter().map(|(n, _)| *n).collect();
        let mut nodes = Vec::with_capacity(order.len());
        let mut edges = Vec::new();
        for &(n, _) in &order {
            if n == start {
                nodes.push(center.clone());
            } else if let Some(node) = store.node(self.id(n))? {
                nodes.push(node);
            }
            let mut out: Vec<_> = self
                .graph
                .edges_directed(n, Outgoing)
                .filter(|e| inside.contains(&e.target()))
                .filter(|e| filter.labels.is_empty() || filter.labels.contains(e.weight()))
                .map(|e| e.id())
                .collect();
            out.sort_unstable_by_key(|e| self.edge_key(*e));
            for e in out {
                let (s, l, t) = self.edge_key(e);
                if let Some(edge) = store.edge(s, l, t)? {
                    edges.push(edge);
                }
            }
        }
        Ok(Subgraph {
            center: center.id,
            depth,
            nodes,
            edges,
            truncated,
        })
    }

    // ---- paths ----

    /// A shortest path between two nodes, following edges either way (only edges with
    /// `labels`, when given). `Error::NoPath` when there is none.
    pub fn path(
        &self,
        store: &GraphStore,
        from: Node,
        to: Node,
        labels: &[EdgeLabel],
    ) -> Result<PathResult> {
        let no_path = || Error::NoPath {
            from: from.name.clone(),
            to: to.name.clone(),
        };
        let (Some(a), Some(b)) = (self.index(&from.id), self.index(&to.id)) else {
            return Err(no_path());
        };
        let hops = self.shortest_path(a, b, labels).ok_or_else(no_path)?;
        let mut nodes = Vec::with_capacity(hops.len());
        let mut edges = Vec::with_capacity(hops.len().saturating_sub(1));
        for (i, &n) in hops.iter().enumerate() {
            nodes.push(match store.node(self.id(n))? {
                Some(node) => node,
                None => return Err(no_path()),
            });
            if let Some(&m) = hops.get(i + 1) {
                let e = self
                    .edge_between(n, m, labels)
                    .expect("consecutive path nodes");
                let (s, l, t) = self.edge_key(e);
                edges.push(store.edge(s, l, t)?.unwrap_or_else(|| Edge::new(s, l, t)));
            }
        }
        Ok(PathResult {
            length: edges.len(),
            nodes,
            edges,
        })
    }

    /// Node sequence of a shortest undirected path (A* with a zero heuristic: every edge
    /// costs one).
    fn shortest_path(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        labels: &[EdgeLabel],
    ) -> Option<Vec<NodeIndex>> {
        let filtered = EdgeFiltered::from_fn(
            &self.graph,
            |e: petgraph::stable_graph::EdgeReference<'_, EdgeLabel>| {
                labels.is_empty() || labels.contains(e.weight())
            },
        );
        petgraph::algo::astar(
            UndirectedAdaptor(&filtered),
            a,
            |n| n == b,
            |_| 1u32,
            |_| 0u32,
        )
        .map(|(_, nodes)| nodes)
    }

    /// The path length between two node ids (for benchmarks and tests).
    pub fn distance(&self, from: &str, to: &str) -> Option<usize> {
        let (a, b) = (self.index(from)?, self.index(to)?);
        self.shortest_path(a, b, &[]).map(|p| p.len() - 1)
    }

    /// The strongest edge joining two nodes, either way.
    fn edge_between(&self, a: NodeIndex, b: NodeIndex, labels: &[EdgeLabel]) -> Option<EdgeIndex> {
        self.graph
            .edges_connecting(a, b)
            .chain(self.graph.edges_connecting(b, a))
            .filter(|e| labels.is_empty() || labels.contains(e.weight()))
            .min_by_key(|e| label_rank(*e.weight()))
            .map(|e| e.id())
    }

    // ---- rankings ----

    fn rank_table(&self) -> &RankTable {
        self.ranking.get_or_init(|| {
            let ranks = self.page_rank();
            let mut rows: Vec<RankRow> = self
                .graph
                .node_indices()
                .filter(|&n| self.graph[n].kind.is_entity())
                .map(|n| {
                    let depends_on: HashSet<NodeIndex> = self
                        .graph
                        .edges_directed(n, Incoming)
                        .filter(|e| *e.weight() == EdgeLabel::DependsOn)
                        .map(|e| e.source())
                        .collect();
                    RankRow {
                        node: n,
                        goals: self.trace_walk(n).0.len(),
                        depends_on: depends_on.len(),
                        pagerank: ranks.get(&n).copied().unwrap_or(0.0),
                    }
                })
                .collect();
            rows.sort_by(|a, b| {
                b.goals
                    .cmp(&a.goals)
                    .then(
                        b.pagerank
                            .partial_cmp(&a.pagerank)
                            .unwrap_or(Ordering::Equal),
                    )
                    .then_with(|| self.id(a.node).cmp(self.id(b.node)))
            });
            RankTable { rows }
        })
    }

    /// PageRank of every node (damping 0.85, 30 iterations).
    fn page_rank(&self) -> HashMap<NodeIndex, f64> {
        let dense: HashMap<NodeIndex, usize> = self
            .graph
            .node_indices()
            .enumerate()
            .map(|(i, n)| (n, i))
            .collect();
        let edges: Vec<(usize, usize)> = self
            .graph
            .edge_indices()
            .filter_map(|e| self.graph.edge_endpoints(e))
            .map(|(a, b)| (dense[&a], dense[&b]))
            .collect();
        let ranks = page_rank(dense.len(), &edges, 0.85, 30);
        dense.into_iter().map(|(n, i)| (n, ranks[i])).collect()
    }

    /// Entities (of `kind`, or of every entity kind) by how many goals depend on them,
    /// then by PageRank.
    pub fn rank(
        &self,
        store: &GraphStore,
        kind: Option<NodeKind>,
        limit: usize,
    ) -> Result<Ranking> {
        let table = self.rank_table();
        let rows: Vec<&RankRow> = table
            .rows
            .iter()
            .filter(|r| kind.is_none_or(|k| self.graph[r.node].kind == k))
            .collect();
        let mut entities = Vec::with_capacity(limit.min(rows.len()));
        for r in rows.iter().take(limit) {
            if let Some(n) = store.node(self.id(r.node))? {
                entities.push(RankedEntity {
                    id: n.id,
                    kind: n.kind,
                    name: n.name,
                    goals: r.goals,
                    depends_on: r.depends_on,
                    pagerank: r.pagerank,
                });
            }
        }
        Ok(Ranking {
            kind,
            total: rows.len(),
            entities,
        })
    }

    // ---- co-dependency ----

    /// The entities a goal relies on: directly, or through one of its targets.
    fn relied_on(&self, goal: NodeIndex) -> Vec<NodeIndex> {
        let mut found = Vec::new();
        for e in self.graph.edges_directed(goal, Outgoing) {
            match *e.weight() {
                l if DEPENDENCY_LABELS.contains(&l) => found.push(e.target()),
                EdgeLabel::SetsTarget => found.extend(
                    self.graph
                        .edges_directed(e.target(), Outgoing)
                        .filter(|m| *m.weight() == EdgeLabel::Measures)
                        .map(|m| m.target()),
                ),
                _ => {}
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The goals relying on an entity directly or through a target.
    fn reliant_goals(&self, entity: NodeIndex) -> Vec<NodeIndex> {
        let mut found = Vec::new();
        for e in self.graph.edges_directed(entity, Incoming) {
            match *e.weight() {
                l if DEPENDENCY_LABELS.contains(&l) => found.push(e.source()),
                EdgeLabel::Measures => found.extend(
                    self.graph
                        .edges_directed(e.source(), Incoming)
                        .filter(|s| *s.weight() == EdgeLabel::SetsTarget)
                        .map(|s| s.source()),
                ),
                _ => {}
            }
        }
        found.retain(|g| self.graph[*g].kind == NodeKind::Goal);
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Goals that rely on the same entities (of `kinds`, or of every entity kind) as
    /// `goal`, most shared first; at most `limit`.
    pub fn co_dependent(
        &self,
        store: &GraphStore,
        goal: Node,
        kinds: &[NodeKind],
        limit: usize,
    ) -> Result<CoDependence> {
        if goal.kind != NodeKind::Goal {
            return Err(Error::InvalidParam {
                param: "goal",
                reason: format!(
                    "`{}` is a {}, not a goal (use trace to find the goals that depend on it)",
                    goal.name, goal.kind
                ),
            });
        }
        let Some(g) = self.index(&goal.id) else {
            return Ok(CoDependence {
                goal,
                entities: Vec::new(),
                total: 0,
                goals: Vec::new(),
            });
        };
        let entities: Vec<NodeIndex> = self
            .relied_on(g)
            .into_iter()
            .filter(|&n| {
                let k = self.graph[n].kind;
                k.is_entity() && (kinds.is_empty() || kinds.contains(&k))
            })
            .collect();
        let mut shared: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
        for &entity in &entities {
            for other in self.reliant_goals(entity) {
                if other != g {
                    shared.entry(other).or_default().push(entity);
                }
            }
        }
        let mut refs: HashMap<NodeIndex, NodeRef> = HashMap::new();
        for &n in &entities {
            if let Some(node) = store.node(self.id(n))? {
                refs.insert(n, NodeRef::from(&node));
            }
        }
        let mut found = Vec::with_capacity(shared.len());
        for (other, via) in shared {
            let Some(node) = store.node(self.id(other))? else {
                continue;
            };
            let summary = GoalSummary::of(&node);
            found.push((
                via.len(),
                summary.key(),
                CoDependentGoal {
                    id: node.id,
                    name: node.name,
                    unit: summary.unit,
                    year: summary.year,
                    category: summary.category,
                    number: summary.number,
                    shared: via.iter().filter_map(|n| refs.get(n).cloned()).collect(),
                },
            ));
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let total = found.len();
        Ok(CoDependence {
            entities: entities
                .iter()
                .filter_map(|n| refs.get(n).cloned())
                .collect(),
            goal,
            total,
            goals: found.into_iter().take(limit).map(|(_, _, g)| g).collect(),
        })
    }
}

/// Marks a view snapshot file, with its format version.
const SNAPSHOT_MAGIC: &[u8] = b"plangraph graph view v1\n";

fn kind_code(kind: NodeKind) -> u8 {
    NodeKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is listed") as u8
}

fn label_code(label: EdgeLabel) -> u8 {
    EdgeLabel::ALL
        .iter()
        .position(|l| *l == label)
        .expect("every label is listed") as u8
}

/// Reads a snapshot's fields in order.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// Which edges into a node of `kind` a trace walks back along.
fn walks_back(kind: NodeKind, label: EdgeLabel) -> bool {
    match kind {
        // Nothing depends on a goal; a trace stops there.
        NodeKind::Goal => false,
        // A target belongs to the goal that sets it.
        NodeKind::Target => label == EdgeLabel::SetsTarget,
        _ => TRACE_LABELS.contains(&label),
    }
}

fn evidence_sentence(e: &Edge) -> Option<&str> {
    e.props
        .get("evidence")
        .and_then(|v| v.get("sentence"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The grouping fields of a goal, read without its text.
#[derive(serde::Deserialize)]
struct GoalHead {
    #[serde(default)]
    props: GoalHeadProps,
}

#[derive(serde::Deserialize, Default)]
struct GoalHeadProps {
    #[serde(default)]
    unit: Value,
    #[serde(default)]
    year: Value,
    #[serde(default)]
    category: Value,
    #[serde(default)]
    number: Value,
}

/// The fields of a goal results are grouped and sorted by.
struct GoalSummary {
    unit: String,
    year: Option<u16>,
    category: String,
    number: String,
    id: String,
}

impl GoalSummary {
    fn of(goal: &Node) -> GoalSummary {
        let field = |k: &str| goal.props.get(k).unwrap_or(&Value::Null);
        GoalSummary::from_values(
            &goal.id,
            field("unit"),
            field("year"),
            field("category"),
            field("number"),
        )
    }

    fn of_head(id: &str, head: GoalHead) -> GoalSummary {
        let p = head.props;
        GoalSummary::from_values(id, &p.unit, &p.year, &p.category, &p.number)
    }

    fn from_values(
        id: &str,
        unit: &Value,
        year: &Value,
        category: &Value,
        number: &Value,
    ) -> GoalSummary {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        let year = match year {
            Value::Number(n) => n.as_u64().and_then(|y| u16::try_from(y).ok()),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        GoalSummary {
            unit: text(unit),
            year,
            category: text(category),
            number: text(number),
            id: id.to_string(),
        }
    }

    /// Unit, year, category in document order, number as a number.
    fn key(&self) -> (String, u16, (u32, String), (u64, String), String) {
        (
            self.unit.clone(),
            self.year.unwrap_or(u16::MAX),
            (category_order(&self.category), self.category.clone()),
            (
                self.number.trim().parse().unwrap_or(u64::MAX),
                self.number.clone(),
            ),
            self.id.clone(),
        )
    }
}

/// Categories in the order documents list them: 重点目标 before 创优目标, outline
/// sections by their numeral (一、 二、 …); anything else after, by name.
pub fn category_order(category: &str) -> u32 {
    let c = category.trim();
    if c.starts_with("重点") {
        return 0;
    }
    if c.starts_with("创优") {
        return 1;
    }
    let head: String = c
        .trim_start_matches(['(', '（'])
        .chars()
        .take_while(|ch| "零一二三四五六七八九十百".contains(*ch) || ch.is_ascii_digit())
        .collect();
    match chinese_number(&head) {
        Some(n) => 10 + n,
        None => u32::MAX,
    }
}

/// 一 → 1, 十二 → 12, 二十三 → 23, 12 → 12.
fn chinese_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let mut total = 0u32;
    let mut current = 0u32;
    for c in s.chars() {
        match c {
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            _ => current = digit(c)? as u32,
        }
    }
    Some(total + current)
}

/// PageRank by power iteration, `O(edges)` a round. It computes exactly what
/// `petgraph::algo::page_rank` computes (same damping, same handling of nodes without
/// out-edges, duplicate edges counted once as links but each in the out-degree; checked
/// against it in the tests), but petgraph's version tests every pair of nodes in every
/// round, `O(V²)`, which is minutes at 10⁵ nodes.
pub fn page_rank(n: usize, edges: &[(usize, usize)], damping: f64, rounds: usize) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let mut out_degree = vec![0f64; n];
    let mut links: Vec<(usize, usize)> = Vec::with_capacity(edges.len());
    for &(a, b) in edges {
        out_degree[a] += 1.0;
        links.push((b, a));
    }
    links.sort_unstable();
    links.dedup();
    let nf = n as f64;
    let mut ranks = vec![1.0 / nf; n];
    let mut next = vec![0f64; n];
    for _ in 0..rounds {
        // Every node gets the random jump of every node with out-edges, and the damped
        // share of every node without; a link replaces the jump by the damped share.
        let mut base = 0.0;
        for (w, r) in ranks.iter().enumerate() {
            base += if out_degree[w] == 0.0 {
                damping * r / nf
            } else {
                (1.0 - damping) * r / nf
            };
        }
        next.iter_mut().for_each(|x| *x = base);
        for &(v, w) in &links {
            let r = ranks[w];
            next[v] += damping * r / out_degree[w] - (1.0 - damping) * r / nf;
        }
        let sum: f64 = next.iter().sum();
        for (r, x) in ranks.iter_mut().zip(&next) {
            *r = x / sum;
        }
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_rank_matches_petgraph_on_small_graphs() {
        let mut seed = 7u64;
        let mut rand = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        for round in 0..20 {
            let n = 2 + rand(25);
            let m = rand(n * 3);
            let edges: Vec<(usize, usize)> = (0..m).map(|_| (rand(n), rand(n))).collect();
            let mut g = petgraph::Graph::<(), ()>::new();
            let ix: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
            for &(a, b) in &edges {
                g.add_edge(ix[a], ix[b], ());
            }
            let expected = petgraph::algo::page_rank(&g, 0.85f64, 10);
            let got = page_rank(n, &edges, 0.85, 10);
            for (e, x) in expected.iter().zip(&got) {
                assert!(
                    (e - x).abs() < 1e-9,
                    "round {round}: {expected:?} vs {got:?}"
                );
            }
        }
    }

    #[test]
    fn categories_sort_in_document_order() {
        let mut cats = vec![
            "三、改革",
            "创优目标",
            "十一、其他",
            "一、创新",
            "重点目标",
            "二、人才",
        ];
        cats.sort_by_key(|c| category_order(c));
        assert_eq!(
            cats,
            [
                "重点目标",
                "创优目标",
                "一、创新",
                "二、人才",
                "三、改革",
                "十一、其他"
            ]
        );
        assert_eq!(chinese_number("二十三"), Some(23));
    }
}
