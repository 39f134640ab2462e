//! What graph queries return (serialised as the HTTP and JSON output).

use crate::ingest::category_order;
use crate::model::{Edge, EdgeLabel, Node, NodeKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A node by name, for lists inside results: `{"id", "kind", "name"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Trace {
    pub entity: Node,
    /// How many goals depend on the entity (before `limit`).
    pub total: usize,
    /// Sorted by unit, year, category, number.
    pub goals: Vec<TracedGoal>,
}

/// One goal of a trace, with the edges that lead from it to the entity.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
    pub id: String,
    pub name: String,
    pub unit: String,
    pub year: Option<u16>,
    pub category: String,
    pub number: String,
    pub shared: Vec<NodeRef>,
}

/// What a neighbourhood may contain.

#[derive(serde::Deserialize)]
pub(super) struct GoalHead {
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
pub(super) struct GoalSummary {
    pub(super) unit: String,
    pub(super) year: Option<u16>,
    pub(super) category: String,
    pub(super) number: String,
    pub(super) id: String,
}

impl GoalSummary {
    pub(super) fn of(goal: &Node) -> GoalSummary {
        let field = |k: &str| goal.props.get(k).unwrap_or(&Value::Null);
        GoalSummary::from_values(
            &goal.id,
            field("unit"),
            field("year"),
            field("category"),
            field("number"),
        )
    }

    pub(super) fn of_head(id: &str, head: GoalHead) -> GoalSummary {
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
    pub(super) fn key(&self) -> (String, u16, (u32, String), (u64, String), String) {
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
