//! Neighbourhoods (k hops, either direction) and shortest paths.

use crate::error::{Error, Result};
use crate::model::{Edge, EdgeLabel, Node, NodeKind};
use crate::store::GraphStore;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::{EdgeFiltered, EdgeRef, UndirectedAdaptor};
use petgraph::Direction::{Incoming, Outgoing};
use std::collections::HashSet;

use super::results::{EdgeId, PathResult, ShapeNode, Subgraph, SubgraphShape};
use super::view::{label_rank, GraphView};

#[derive(Debug, Clone)]
pub struct HopFilter<'a> {
    /// Only edges with these labels (all when empty).
    pub labels: &'a [EdgeLabel],
    /// Only nodes of these kinds, besides the center (all when empty).
    pub kinds: &'a [NodeKind],
    /// At most this many nodes.
    pub limit: usize,
}

impl GraphView {
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
        let mut nodes = Vec::with_capacity(order.len());
        for &(n, _) in &order {
            if n == start {
                nodes.push(center.clone());
            } else if let Some(node) = store.node(self.id(n))? {
                nodes.push(node);
            }
        }
        // (an edge's evidence is cut from its goal, one of the nodes just read)
        let edges = store.edges_by_key(self.edges_among(&order, filter), &nodes)?;
        Ok(Subgraph {
            center: center.id,
            depth,
            nodes,
            edges,
            truncated,
        })
    }

    /// The shape of [`GraphView::neighbors`]: the same nodes and edges in the same order,
    /// by id, from the view alone.
    pub fn neighbor_shape(
        &self,
        center: &str,
        depth: usize,
        filter: &HopFilter<'_>,
    ) -> SubgraphShape {
        let Some(start) = self.index(center) else {
            return SubgraphShape {
                center: center.to_string(),
                depth,
                nodes: Vec::new(),
                edges: Vec::new(),
                truncated: false,
            };
        };
        let (order, truncated) = self.hop_walk(start, depth, filter);
        let edges = self
            .edges_among(&order, filter)
            .into_iter()
            .map(|(s, label, t)| EdgeId {
                source: s.to_string(),
                label,
                target: t.to_string(),
            })
            .collect();
        SubgraphShape {
            center: center.to_string(),
            depth,
            nodes: order
                .iter()
                .map(|&(n, hops)| ShapeNode {
                    id: self.id(n).to_string(),
                    kind: self.graph[n].kind,
                    hops,
                })
                .collect(),
            edges,
            truncated,
        }
    }

    /// The edges between the nodes of a walk (of the filter's labels): by source in walk
    /// order, then by (source, label, target).
    fn edges_among(
        &self,
        order: &[(NodeIndex, usize)],
        filter: &HopFilter<'_>,
    ) -> Vec<(&str, EdgeLabel, &str)> {
        let inside: HashSet<NodeIndex> = order.iter().map(|(n, _)| *n).collect();
        let mut keys = Vec::new();
        for &(n, _) in order {
            let first = keys.len();
            keys.extend(
                self.graph
                    .edges_directed(n, Outgoing)
                    .filter(|e| inside.contains(&e.target()))
                    .filter(|e| filter.labels.is_empty() || filter.labels.contains(e.weight()))
                    .map(|e| self.edge_key(e.id())),
            );
            keys[first..].sort_unstable();
        }
        keys
    }

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
}
