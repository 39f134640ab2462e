//! `trace`: walk back from an entity to the goals that depend on it.

use crate::error::Result;
use crate::model::{Edge, Goal, GoalHead, Node, NodeKind};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction::Incoming;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};

use super::results::{goal_key, NodeRef, Trace, TracedGoal};
use super::view::{label_rank, walks_back, GraphView};
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
                if let Some(goal) = store.node(id)?.as_ref().and_then(Goal::from_node) {
                    keyed.push((goal_key(id, &goal.place()), g, Some(goal)));
                }
            } else if let Some(head) = store.node_part::<GoalHead>(id)? {
                keyed.push((goal_key(id, &head.place()), g, None));
            }
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.truncate(limit);
        let mut found = Vec::with_capacity(keyed.len());
        for (_, g, goal) in keyed {
            let goal = match goal {
                Some(goal) => goal,
                None => match store.node(self.id(g))?.as_ref().and_then(Goal::from_node) {
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
        })
    }
}
