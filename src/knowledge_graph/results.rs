//! The facade's own result and request types (the graph's are in [`crate::graph`]).

use crate::model::{Edge, EdgeLabel, Node, NodeKind};
use serde::{Deserialize, Serialize};

/// A node with its edges (`show`).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NodeView {
    pub node: Node,
    /// The other written forms that resolve to it (normalised), user aliases included.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub edges: Vec<Edge>,
    /// For a document: the goals that issue, revise (修订) or implement it, oldest year
    /// first, and the versions it revises or is revised by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lineage: Vec<DocumentUse>,
}

/// One goal's use of a document, or one step to another version (`show` of a document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentUse {
    pub year: Option<u16>,
    /// `issues`, `revises` (a goal that 修订 it), `implements` (落实, 贯彻, 实施, 执行),
    /// `mentions`; or, for another version, `replaces` (this document revises it) or
    /// `replaced_by`.
    pub role: String,
    /// The goal's verb, or the edge's reason (`version`, `revised`, `reissued`).
    pub action: Option<String>,
    /// The goal's unit (for a version: empty).
    pub unit: String,
    /// The goal's (or the other version's) id and name.
    pub id: String,
    pub name: String,
}

/// One stored document, without what it holds.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentSummary {
    pub id: String,
    pub unit: String,
    pub year: u16,
    pub title: String,
    /// How many goals it has.
    pub goals: usize,
    /// The path or upload name it was read from.
    pub source: String,
    pub layout: crate::model::Layout,
    /// Seconds since the Unix epoch.
    pub ingested_at: u64,
}

/// A page of the stored documents.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentList {
    pub total: usize,
    pub documents: Vec<DocumentSummary>,
}

/// What `neighbors` may include.
#[derive(Debug, Clone)]
pub struct NeighborsRequest {
    /// Hops from the node (0 to [`crate::graph::MAX_DEPTH`]).
    pub depth: usize,
    /// Only edges with these labels (all when empty).
    pub labels: Vec<EdgeLabel>,
    /// Only nodes of these kinds (all when empty).
    pub kinds: Vec<NodeKind>,
    /// At most this many nodes.
    pub limit: usize,
}

impl Default for NeighborsRequest {
    fn default() -> Self {
        NeighborsRequest {
            depth: 1,
            labels: Vec::new(),
            kinds: Vec::new(),
            limit: 500,
        }
    }
}
