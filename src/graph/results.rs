//! What graph queries return (serialised as the HTTP and JSON output).

use crate::ingest::category_order;
use crate::model::{Edge, EdgeLabel, GoalPlace, GoalSummary, Node, NodeKind};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::sync::Arc;
use utoipa::ToSchema;

/// A node by name, for lists inside results: `{"id", "kind", "name"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NodeRef {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    /// A class of things (技术创新中心, 重点实验室), not a named platform: lists put these
    /// apart.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub class: bool,
}

impl From<&Node> for NodeRef {
    fn from(n: &Node) -> NodeRef {
        NodeRef {
            id: n.id.clone(),
            kind: n.kind,
            name: n.name.clone(),
            class: n.is_class(),
        }
    }
}

/// `trace`: the goals that depend on an entity.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Trace {
    pub entity: Node,
    /// How many goals depend on the entity (before `offset` and `limit`).
    pub total: usize,
    /// Sorted by unit, year, category, number; the page from `offset`, at most `limit`.
    pub goals: Vec<TracedGoal>,
    /// How many goals of the sorted trace come before `goals[0]`.
    #[serde(default)]
    pub offset: usize,
    /// Per unit and year, how many goals of the whole trace (not only this page) are of
    /// it, in the order of `goals`; the counts sum to `total`.
    #[serde(default)]
    pub groups: Vec<TraceGroup>,
}

/// One (unit, year) group of a trace: `{"unit", "year", "goals"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TraceGroup {
    pub unit: String,
    pub year: Option<u16>,
    /// How many goals of the trace are of this unit and year.
    pub goals: usize,
}

/// One goal of a trace, with the edges that lead from it to the entity.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TracedGoal {
    /// Id, title, unit, year, category, number.
    #[serde(flatten)]
    pub goal: GoalSummary,
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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

/// `neighbors --ids` (`?fields=ids`): the same subgraph as [`Subgraph`], its shape only
/// (node ids and kinds, edge identities), answered from the graph view without reading a
/// node or an edge from the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SubgraphShape {
    pub center: String,
    pub depth: usize,
    /// Nearest first; the center is the first node.
    pub nodes: Vec<ShapeNode>,
    /// Every edge between the nodes (of the allowed labels), in the order of
    /// [`Subgraph::edges`].
    pub edges: Vec<EdgeId>,
    pub truncated: bool,
}

/// A node of a [`SubgraphShape`]: its id and kind, and how many hops from the center.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ShapeNode {
    pub id: String,
    pub kind: NodeKind,
    pub hops: usize,
}

/// An edge by its identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EdgeId {
    pub source: String,
    pub label: EdgeLabel,
    pub target: String,
}

/// `path`: a shortest path, nodes and edges in order from `from` to `to`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PathResult {
    pub nodes: Vec<Node>,
    /// `edges[i]` joins `nodes[i]` and `nodes[i + 1]` (in either direction).
    pub edges: Vec<Edge>,
    /// The number of edges.
    pub length: usize,
}

/// `rank`: entities by how many goals depend on them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Ranking {
    /// The kind asked for (all entity kinds when absent).
    pub kind: Option<NodeKind>,
    /// How many entities there are of that kind.
    pub total: usize,
    pub entities: Vec<RankedEntity>,
}

/// One ranked entity.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
    /// A class of things (技术创新中心), not a named platform; listed only when asked for.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub class: bool,
}

/// `co-dependent`: goals that share entities with a goal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CoDependentGoal {
    /// Id, title, unit, year, category, number.
    #[serde(flatten)]
    pub goal: GoalSummary,
    pub shared: Vec<NodeRef>,
}

/// How results sort goals: unit, year, category in document order, number as a number,
/// then id.
pub(super) type GoalKey = (String, u16, (u32, String), (u64, String), String);

/// The sort key of the goal `id` at `place`.
pub(super) fn goal_key(id: &str, place: &GoalPlace) -> GoalKey {
    (
        place.unit.clone(),
        place.year.unwrap_or(u16::MAX),
        (category_order(&place.category), place.category.clone()),
        (
            place.number.trim().parse().unwrap_or(u64::MAX),
            place.number.clone(),
        ),
        id.to_string(),
    )
}

/// A goal's sort key as the view keeps it: [`goal_key`]'s order without its strings copied
/// (unit and category interned, the number parsed once; the id is the node's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GoalSort {
    pub(super) unit: Arc<str>,
    /// `u16::MAX` when the year is unknown (such goals sort last).
    pub(super) year: u16,
    pub(super) category_order: u32,
    pub(super) category: Arc<str>,
    /// `u64::MAX` when the number is not a number.
    pub(super) number: u64,
    pub(super) number_text: Box<str>,
}

impl GoalSort {
    /// The key of a goal at `place`; `intern` shares the unit and category strings.
    pub(super) fn new(place: &GoalPlace, intern: &mut impl FnMut(&str) -> Arc<str>) -> GoalSort {
        GoalSort {
            unit: intern(&place.unit),
            year: place.year.unwrap_or(u16::MAX),
            category_order: category_order(&place.category),
            category: intern(&place.category),
            number: place.number.trim().parse().unwrap_or(u64::MAX),
            number_text: place.number.as_str().into(),
        }
    }

    /// [`goal_key`]'s order: the goal `id` with this key against the goal `other_id`.
    pub(super) fn cmp_goal(&self, id: &str, other: &GoalSort, other_id: &str) -> Ordering {
        (&*self.unit, self.year, self.category_order, &*self.category)
            .cmp(&(
                &*other.unit,
                other.year,
                other.category_order,
                &*other.category,
            ))
            .then_with(|| {
                (self.number, &*self.number_text, id).cmp(&(
                    other.number,
                    &*other.number_text,
                    other_id,
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goal_sort_orders_goals_as_goal_key_does() {
        let mut rng = fastrand::Rng::with_seed(11);
        let units = ["市科技局", "市发展改革委", "区科委", ""];
        let categories = [
            "重点目标",
            "创优目标",
            "一、科技创新",
            "（十二）其他",
            "其他",
            "",
        ];
        let numbers = ["1", "2", "10", " 3", "x", "", "007", "18446744073709551616"];
        let goals: Vec<(String, GoalPlace)> = (0..300)
            .map(|i| {
                let place = GoalPlace {
                    unit: units[rng.usize(..units.len())].into(),
                    year: [None, Some(2021), Some(2022)][rng.usize(..3)],
                    category: categories[rng.usize(..categories.len())].into(),
                    number: numbers[rng.usize(..numbers.len())].into(),
                };
                (format!("g{}", i % 97), place)
            })
            .collect();
        let mut intern = |s: &str| Arc::from(s);
        let sorts: Vec<GoalSort> = goals
            .iter()
            .map(|(_, p)| GoalSort::new(p, &mut intern))
            .collect();
        for (i, (a, pa)) in goals.iter().enumerate() {
            for (j, (b, pb)) in goals.iter().enumerate() {
                assert_eq!(
                    sorts[i].cmp_goal(a, &sorts[j], b),
                    goal_key(a, pa).cmp(&goal_key(b, pb)),
                    "{a} {pa:?} vs {b} {pb:?}"
                );
            }
        }
    }
}
