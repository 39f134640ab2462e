//! `trace`: walk back from an entity to the goals that depend on it.

use crate::error::Result;
use crate::model::{Edge, Goal, GoalHead, Node, NodeKind};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction::Incoming;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

use super::results::{GoalSort, NodeRef, Trace, TraceGroup, TracedGoal};
use super::view::{intern, label_rank, walks_back, GraphView, Interned};
use crate::store::GraphStore;

impl GraphView {
    /// Walk backwards from `start` along dependency edges, stopping at goals. Returns the
    /// goals reached and, for every node reached, the edge it was first reached by (the
    /// edge leads from it towards `start`): shortest paths, stronger labels first.
    pub(super) fn trace_walk(
        &self,
        start: NodeIndex,
    ) -> (Vec<NodeIndex>, HashMap<NodeIndex, EdgeIndex>) {
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
            // Stronger labels first; among the nodes a walk goes on from, by id, so the
            // path a goal is shown by does not depend on the order the view numbered its
            // nodes in (a view carried along writes and one built at once agree). Goals
            // end the walk: their order does not matter, and their ids are not compared.
            incoming.clear();
            incoming.extend(
                self.graph
                    .edges_directed(n, Incoming)
                    .filter(|e| walks_back(kind, *e.weight()))
                    .map(|e| {
                        let source = e.source();
                        let onward = self.graph[source].kind != NodeKind::Goal;
                        let id = if onward { self.id(source) } else { "" };
                        (label_rank(*e.weight()), !onward, id, source, e.id())
                    }),
            );
            incoming.sort_unstable();
            for &(_, _, _, source, edge) in &incoming {
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
        self.trace_page(store, entity, 0, limit)
    }

    /// [`GraphView::trace`] from the `offset`-th goal of the sorted trace, with the
    /// (unit, year) groups of the whole trace. Goals are sorted and grouped on the keys the
    /// view keeps; only the goals returned are read from the store.
    pub fn trace_page(
        &self,
        store: &GraphStore,
        entity: Node,
        offset: usize,
        limit: Option<usize>,
    ) -> Result<Trace> {
        let Some(start) = self.index(&entity.id) else {
            return Ok(Trace {
                entity,
                total: 0,
                goals: Vec::new(),
                offset,
                groups: Vec::new(),
            });
        };
        let (goals, first_edge) = self.trace_walk(start);
        let total = goals.len();
        let mut keyed: Vec<(Cow<'_, GoalSort>, NodeIndex)> = Vec::with_capacity(total);
        let mut interned = Interned::default();
        for g in goals {
            match &self.graph[g].goal {
                Some(key) => keyed.push((Cow::Borrowed(key), g)),
                // a goal whose key the view does not know yet: its head from the store
                None => {
                    let place = store
                        .node_part::<GoalHead>(self.id(g))?
                        .map(|h| h.place())
                        .unwrap_or_default();
                    let key = GoalSort::new(&place, &mut |s: &str| intern(&mut interned, s));
                    keyed.push((Cow::Owned(key), g));
                }
            }
        }
        let groups = trace_groups(&keyed);
        let cmp = |a: &(Cow<'_, GoalSort>, NodeIndex), b: &(Cow<'_, GoalSort>, NodeIndex)| {
            a.0.cmp_goal(self.id(a.1), &b.0, self.id(b.1))
        };
        // The page: the first `end` goals (a partial sort when that is not all of them),
        // then from `offset`.
        let end = offset
            .saturating_add(limit.unwrap_or(usize::MAX))
            .min(total);
        if offset >= end {
            keyed.clear();
        } else {
            if end < total {
                keyed.select_nth_unstable_by(end, cmp);
                keyed.truncate(end);
            }
            keyed.sort_unstable_by(cmp);
            keyed.drain(..offset);
        }
        let mut found = Vec::with_capacity(keyed.len());
        for (_, g) in keyed {
            let Some(goal) = store.node(self.id(g))?.as_ref().and_then(Goal::from_node) else {
                continue;
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
                .find_map(Edge::evidence_sentence)
                .unwrap_or_default();
            found.push(TracedGoal {
                relation: first.label,
                action: first
                    .props
                    .get("action")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                goal: goal.summary(),
                document: goal.document,
                document_title: goal.document_title,
                via,
                path,
                evidence,
            });
        }
        Ok(Trace {
            entity,
            total,
            goals: found,
            offset,
            groups,
        })
    }
}

/// Per (unit, year), how many of the goals are of it; by unit, then year (unknown last).
fn trace_groups(keyed: &[(Cow<'_, GoalSort>, NodeIndex)]) -> Vec<TraceGroup> {
    let mut counts: HashMap<(&str, u16), usize, rustc_hash::FxBuildHasher> = HashMap::default();
    for (key, _) in keyed {
        *counts.entry((&*key.unit, key.year)).or_default() += 1;
    }
    let mut groups: Vec<((&str, u16), usize)> = counts.into_iter().collect();
    groups.sort_unstable();
    groups
        .into_iter()
        .map(|((unit, year), goals)| TraceGroup {
            unit: unit.to_string(),
            year: (year != u16::MAX).then_some(year),
            goals,
        })
        .collect()
}
