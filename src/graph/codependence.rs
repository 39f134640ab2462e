//! `co-dependent`: the goals that rely on the same entities as a goal.

use crate::error::{Error, Result};
use crate::model::{EdgeLabel, Goal, Node, NodeKind};
use crate::store::GraphStore;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};
use std::collections::HashMap;

use super::results::{goal_key, CoDependence, CoDependentGoal, NodeRef};
use super::view::{GraphView, DEPENDENCY_LABELS};

impl GraphView {
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
            let Some(other_goal) = store
                .node(self.id(other))?
                .as_ref()
                .and_then(Goal::from_node)
            else {
                continue;
            };
            found.push((
                via.len(),
                goal_key(&other_goal.id, &other_goal.place()),
                CoDependentGoal {
                    goal: other_goal.summary(),
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
