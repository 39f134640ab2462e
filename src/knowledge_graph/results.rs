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
