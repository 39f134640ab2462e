//! The in-memory graph itself: node ids and kinds, edge labels, kept in step with the
//! store one document write at a time.

use crate::error::Result;
use crate::model::{EdgeLabel, GoalHead, GoalPlace, NodeKind};
use crate::store::{DocumentChange, GraphStore, WriteStatus};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::rank::RankTable;
use super::results::GoalSort;

/// Most hops a neighbourhood may span.
pub const MAX_DEPTH: usize = 4;

/// Edges a trace walks (backwards, from the entity towards goals).
pub(super) const TRACE_LABELS: [EdgeLabel; 7] = [
    EdgeLabel::DependsOn,
    EdgeLabel::Issues,
    EdgeLabel::SetsTarget,
    EdgeLabel::Measures,
    EdgeLabel::PartOf,
    EdgeLabel::Mentions,
    EdgeLabel::Responsible,
];

/// Edges by which a goal relies on an entity (directly, or through a target).
pub(super) const DEPENDENCY_LABELS: [EdgeLabel; 3] =
    [EdgeLabel::DependsOn, EdgeLabel::Issues, EdgeLabel::Mentions];

/// When a node is reached by several edges at once, the stronger relation wins.
pub(super) fn label_rank(label: EdgeLabel) -> u8 {
    match label {
        EdgeLabel::DependsOn => 0,
        EdgeLabel::Issues => 1,
        EdgeLabel::SetsTarget => 2,
        EdgeLabel::Measures => 3,
        EdgeLabel::PartOf => 4,
        EdgeLabel::Mentions => 5,
        EdgeLabel::Responsible => 6,
        EdgeLabel::Revises => 7,
        EdgeLabel::HasGoal => 8,
        EdgeLabel::Continues => 9,
    }
}

#[derive(Debug)]
pub(super) struct ViewNode {
    pub(super) id: Arc<str>,
    pub(super) kind: NodeKind,
    /// A goal's sort key (unit, year, category, number), so a trace sorts and groups its
    /// goals without reading them; `None` for other kinds, and for a goal whose key is not
    /// known yet (a trace then reads its head from the store).
    pub(super) goal: Option<GoalSort>,
}

/// Ids to node positions, hashed with FxHash (ids are short and not chosen by clients;
/// SipHash would cost more than the rest of a lookup).
pub(super) type IdMap = HashMap<Arc<str>, NodeIndex, rustc_hash::FxBuildHasher>;

/// The units and categories of the goals' sort keys, each string kept once.
pub(super) type Interned = std::collections::HashSet<Arc<str>, rustc_hash::FxBuildHasher>;

/// The in-memory graph: node ids and kinds, edge labels.
pub struct GraphView {
    pub(super) graph: StableDiGraph<ViewNode, EdgeLabel>,
    pub(super) ids: IdMap,
    pub(super) interned: Interned,
    pub(super) generation: u64,
    pub(super) ranking: OnceLock<RankTable>,
    /// The class nodes (`props.class`: 技术创新中心, 重点实验室), read from the store once
    /// per view version, for `rank`.
    pub(super) classes: OnceLock<std::collections::HashSet<NodeIndex>>,
    /// The class nodes of an earlier version and the nodes written since: the next `rank`
    /// reads only those from the store, not every entity again.
    pub(super) classes_carried: Option<(std::collections::HashSet<NodeIndex>, Vec<NodeIndex>)>,
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
            interned: Interned::default(),
            generation,
            ranking: OnceLock::new(),
            classes: OnceLock::new(),
            classes_carried: None,
        };
        let mut goals = Vec::new();
        for r in store.node_kinds() {
            let (id, kind) = r?;
            let ix = view.ensure_node(&id, kind);
            if kind == NodeKind::Goal {
                goals.push(ix);
            }
        }
        for ix in goals {
            view.read_goal_key(store, ix)?;
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

    /// Bring the view up to date with one document write from its change record alone
    /// (no store reads). Returns false when the view cannot be updated this way (it
    /// missed a write): the caller then drops it, to be rebuilt on the next query.
    pub fn apply(&mut self, change: &DocumentChange) -> bool {
        if change.status == WriteStatus::Unchanged {
            return self.generation == change.generation;
        }
        if self.generation + 1 != change.generation {
            return false;
        }
        let mut carried = match self.classes.take() {
            Some(set) => Some((set, Vec::new())),
            None => self.classes_carried.take(),
        };
        for (s, l, t) in &change.removed_edges {
            self.remove_edge(s, *l, t);
        }
        for id in &change.removed_nodes {
            if let Some(ix) = self.ids.remove(id.as_str()) {
                self.graph.remove_node(ix);
                if let Some((set, _)) = &mut carried {
                    set.remove(&ix);
                }
            }
        }
        for (id, kind) in &change.added_nodes {
            let ix = self.ensure_node(id, *kind);
            if let Some((_, touched)) = &mut carried {
                touched.push(ix);
            }
        }
        for (s, l, t) in &change.added_edges {
            self.ensure_edge(s, *l, t);
        }
        // A rewritten goal may have moved (its unit, year, category or number): its key is
        // read again by `follow`. A rewritten entity may have become a class, or stopped.
        for id in &change.updated_nodes {
            if let Some(&ix) = self.ids.get(id.as_str()) {
                self.graph[ix].goal = None;
                if let Some((_, touched)) = &mut carried {
                    touched.push(ix);
                }
            }
        }
        self.generation = change.generation;
        self.ranking = OnceLock::new();
        self.classes_carried = carried;
        true
    }

    /// [`GraphView::apply`], then the sort keys of the goals the write added or replaced,
    /// read from the store (as many reads as the document has goals).
    pub fn follow(&mut self, store: &GraphStore, change: &DocumentChange) -> Result<bool> {
        if !self.apply(change) {
            return Ok(false);
        }
        let added = change.added_nodes.iter().map(|(id, _)| id);
        for id in added.chain(&change.updated_nodes) {
            if let Some(ix) = self.index(id) {
                if self.graph[ix].kind == NodeKind::Goal && self.graph[ix].goal.is_none() {
                    self.read_goal_key(store, ix)?;
                }
            }
        }
        Ok(true)
    }

    /// Read the sort key of the goal at `ix` from the store.
    fn read_goal_key(&mut self, store: &GraphStore, ix: NodeIndex) -> Result<()> {
        if let Some(head) = store.node_part::<GoalHead>(self.id(ix))? {
            self.set_goal_key(ix, &head.place());
        }
        Ok(())
    }

    pub(super) fn set_goal_key(&mut self, ix: NodeIndex, place: &GoalPlace) {
        let interned = &mut self.interned;
        let key = GoalSort::new(place, &mut |s: &str| intern(interned, s));
        self.graph[ix].goal = Some(key);
    }

    pub(super) fn ensure_node(&mut self, id: &str, kind: NodeKind) -> NodeIndex {
        if let Some(&ix) = self.ids.get(id) {
            return ix;
        }
        let id: Arc<str> = Arc::from(id);
        let ix = self.graph.add_node(ViewNode {
            id: id.clone(),
            kind,
            goal: None,
        });
        self.ids.insert(id, ix);
        ix
    }

    pub(super) fn ensure_edge(&mut self, source: &str, label: EdgeLabel, target: &str) {
        let (Some(&a), Some(&b)) = (self.ids.get(source), self.ids.get(target)) else {
            return;
        };
        if self.find_edge(a, b, label).is_none() {
            self.graph.add_edge(a, b, label);
        }
    }

    pub(super) fn remove_edge(&mut self, source: &str, label: EdgeLabel, target: &str) {
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
    pub(super) fn find_edge(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        label: EdgeLabel,
    ) -> Option<EdgeIndex> {
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

    pub(super) fn index(&self, id: &str) -> Option<NodeIndex> {
        self.ids.get(id).copied()
    }

    pub(super) fn id(&self, ix: NodeIndex) -> &str {
        &self.graph[ix].id
    }

    pub(super) fn edge_key(&self, e: EdgeIndex) -> (&str, EdgeLabel, &str) {
        let (a, b) = self.graph.edge_endpoints(e).expect("edge of this graph");
        (self.id(a), self.graph[e], self.id(b))
    }
}

/// `s` as kept in `interned`, added when new.
pub(super) fn intern(interned: &mut Interned, s: &str) -> Arc<str> {
    if let Some(a) = interned.get(s) {
        return a.clone();
    }
    let a: Arc<str> = Arc::from(s);
    interned.insert(a.clone());
    a
}

/// Which edges into a node of `kind` a trace walks back along.
pub(super) fn walks_back(kind: NodeKind, label: EdgeLabel) -> bool {
    match kind {
        // Nothing depends on a goal; a trace stops there.
        NodeKind::Goal => false,
        // A target belongs to the goal that sets it.
        NodeKind::Target => label == EdgeLabel::SetsTarget,
        _ => TRACE_LABELS.contains(&label),
    }
}
