//! `rank`: entities by how many goals depend on them, then by PageRank.

use crate::error::Result;
use crate::model::{EdgeLabel, NodeKind};
use crate::store::GraphStore;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};
use petgraph::Direction::Incoming;
use std::cmp::Ordering;
use std::collections::HashSet;

use super::results::{RankedEntity, Ranking};
use super::view::{walks_back, GraphView};

/// Per-entity figures for `rank`, computed once per view version.
pub(super) struct RankTable {
    /// Entities, best first.
    rows: Vec<RankRow>,
}

struct RankRow {
    node: NodeIndex,
    goals: usize,
    depends_on: usize,
    pagerank: f64,
}

impl GraphView {
    fn rank_table(&self) -> &RankTable {
        self.ranking.get_or_init(|| {
            let ranks = self.page_rank();
            // One mark a node, stamped with the entity being walked: no set is allocated
            // or cleared between entities.
            let mut marks = vec![0u32; self.graph.node_bound()];
            let mut direct = vec![0u32; self.graph.node_bound()];
            let mut queue = Vec::new();
            let mut rows: Vec<RankRow> = self
                .graph
                .node_indices()
                .filter(|&n| self.graph[n].kind.is_entity())
                .enumerate()
                .map(|(i, n)| {
                    let stamp = i as u32 + 1;
                    let mut depends_on = 0;
                    for e in self.graph.edges_directed(n, Incoming) {
                        let source = e.source().index();
                        if *e.weight() == EdgeLabel::DependsOn && direct[source] != stamp {
                            direct[source] = stamp;
                            depends_on += 1;
                        }
                    }
                    RankRow {
                        node: n,
                        goals: self.trace_count(n, stamp, &mut marks, &mut queue),
                        depends_on,
                        pagerank: ranks[n.index()],
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

    /// How many goals [`GraphView::trace_walk`] from `start` reaches, without its paths:
    /// the nodes reached are marked with `stamp` in `marks` (one slot a node index).
    fn trace_count(
        &self,
        start: NodeIndex,
        stamp: u32,
        marks: &mut [u32],
        queue: &mut Vec<NodeIndex>,
    ) -> usize {
        let mut goals = 0;
        queue.clear();
        queue.push(start);
        marks[start.index()] = stamp;
        while let Some(n) = queue.pop() {
            let kind = self.graph[n].kind;
            if n != start && kind == NodeKind::Goal {
                goals += 1;
                continue;
            }
            for e in self.graph.edges_directed(n, Incoming) {
                let source = e.source();
                if marks[source.index()] != stamp && walks_back(kind, *e.weight()) {
                    marks[source.index()] = stamp;
                    queue.push(source);
                }
            }
        }
        goals
    }

    /// PageRank of every node (damping 0.85, 30 iterations), by node index (0 at the
    /// indices of removed nodes).
    fn page_rank(&self) -> Vec<f64> {
        let mut dense = vec![usize::MAX; self.graph.node_bound()];
        let mut nodes = Vec::with_capacity(self.graph.node_count());
        for (i, n) in self.graph.node_indices().enumerate() {
            dense[n.index()] = i;
            nodes.push(n);
        }
        let edges: Vec<(usize, usize)> = self
            .graph
            .edge_references()
            .map(|e| (dense[e.source().index()], dense[e.target().index()]))
            .collect();
        let ranks = page_rank(nodes.len(), &edges, 0.85, 30);
        let mut by_index = vec![0.0; self.graph.node_bound()];
        for (n, r) in nodes.into_iter().zip(ranks) {
            by_index[n.index()] = r;
        }
        by_index
    }

    /// The class nodes of this view version: read from the store once, then carried
    /// along writes (only the nodes a write added or rewrote are read again).
    fn class_set(&self, store: &GraphStore) -> Result<&HashSet<NodeIndex>> {
        if let Some(s) = self.classes.get() {
            return Ok(s);
        }
        let is_class = |n: NodeIndex| -> Result<bool> {
            if !self.graph[n].kind.is_entity() {
                return Ok(false);
            }
            Ok(store.node(self.id(n))?.is_some_and(|node| node.is_class()))
        };
        let set = match &self.classes_carried {
            Some((carried, touched)) => {
                let mut set = carried.clone();
                for &n in touched {
                    if self.graph.node_weight(n).is_none() {
                        continue;
                    }
                    if is_class(n)? {
                        set.insert(n);
                    } else {
                        set.remove(&n);
                    }
                }
                set
            }
            None => {
                let mut set = HashSet::new();
                for n in self.graph.node_indices() {
                    if is_class(n)? {
                        set.insert(n);
                    }
                }
                set
            }
        };
        Ok(self.classes.get_or_init(|| set))
    }

    /// Compute what `rank` needs of this view version now (its table and class nodes),
    /// so the next `rank` does not.
    pub fn warm_rank(&self, store: &GraphStore) -> Result<()> {
        self.rank_table();
        self.class_set(store)?;
        Ok(())
    }

    /// Entities (of `kind`, or of every entity kind) by how many goals depend on them,
    /// then by PageRank; class nodes only when `classes` is set.
    pub fn rank(
        &self,
        store: &GraphStore,
        kind: Option<NodeKind>,
        limit: usize,
        classes: bool,
    ) -> Result<Ranking> {
        let table = self.rank_table();
        let class_set = self.class_set(store)?;
        let rows: Vec<&RankRow> = table
            .rows
            .iter()
            .filter(|r| kind.is_none_or(|k| self.graph[r.node].kind == k))
            .filter(|r| classes || !class_set.contains(&r.node))
            .collect();
        let mut entities = Vec::with_capacity(limit.min(rows.len()));
        for r in rows.iter().take(limit) {
            if let Some(n) = store.node(self.id(r.node))? {
                entities.push(RankedEntity {
                    class: n.is_class(),
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
    // Sources by target (a counting sort, `O(edges)`), each source once a target.
    let mut out_degree = vec![0u32; n];
    let mut start = vec![0usize; n + 1];
    for &(a, b) in edges {
        out_degree[a] += 1;
        start[b + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut sources = vec![0u32; edges.len()];
    for &(a, b) in edges {
        sources[fill[b]] = a as u32;
        fill[b] += 1;
    }
    let mut seen = vec![u32::MAX; n];
    let mut links_start = Vec::with_capacity(n + 1);
    let mut links: Vec<u32> = Vec::with_capacity(edges.len());
    links_start.push(0);
    for v in 0..n {
        for &w in &sources[start[v]..start[v + 1]] {
            if seen[w as usize] != v as u32 {
                seen[w as usize] = v as u32;
                links.push(w);
            }
        }
        links_start.push(links.len());
    }
    drop(sources);
    let nf = n as f64;
    let (jump, dangling) = ((1.0 - damping) / nf, damping / nf);
    // what a node passes along each link, a unit of rank (none without out-edges)
    let per_link: Vec<f64> = out_degree
        .iter()
        .map(|&d| {
            if d == 0 {
                0.0
            } else {
                damping / f64::from(d) - jump
            }
        })
        .collect();
    let mut ranks = vec![1.0 / nf; n];
    let mut share = vec![0f64; n];
    for _ in 0..rounds {
        // Every node gets the random jump of every node with out-edges, and the damped
        // share of every node without; a link replaces the jump by the damped share.
        let mut base = 0.0;
        for (((r, d), s), l) in ranks
            .iter()
            .zip(&out_degree)
            .zip(share.iter_mut())
            .zip(&per_link)
        {
            base += r * if *d == 0 { dangling } else { jump };
            *s = r * l;
        }
        let mut sum = 0.0;
        for (v, r) in ranks.iter_mut().enumerate() {
            let mut x = base;
            for &w in &links[links_start[v]..links_start[v + 1]] {
                x += share[w as usize];
            }
            *r = x;
            sum += x;
        }
        for r in ranks.iter_mut() {
            *r /= sum;
        }
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_rank_matches_petgraph_on_small_graphs() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut rand = |m: usize| rng.usize(..m);
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
}
