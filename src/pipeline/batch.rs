//! Batch building: a parsed document through extraction to the nodes, edges and aliases
//! it contributes, ready for one store write.

use crate::extract::{Extractor, GoalTokens, EXTRACTOR_VERSION};
use crate::ingest::ParsedDocument;
use crate::model::{Edge, EdgeLabel, Node, NodeKind};
use crate::store::{DocumentBatch, DocumentRecord};
use std::path::Path;

/// Turn a parsed document into the nodes, edges and aliases it contributes.
pub fn build_batch(
    extractor: &Extractor,
    doc_id: &str,
    doc: &ParsedDocument,
    hash: &str,
    path: &Path,
    size: usize,
) -> (DocumentBatch, Vec<(String, GoalTokens)>) {
    let unit = Node::entity(NodeKind::Unit, &doc.unit);
    let mut nodes = vec![unit.clone()];
    let mut edges = Vec::new();
    let mut aliases = Vec::new();
    let mut tokens = Vec::new();
    let mut goal_ids = Vec::new();
    for goal in doc.goals() {
        let id = goal.id.clone();
        let found = extractor.extract(doc_id, &goal);
        edges.push(Edge::new(&unit.id, EdgeLabel::HasGoal, &id));
        nodes.push(goal.to_node());
        nodes.extend(found.nodes);
        edges.extend(found.edges);
        aliases.extend(found.aliases.into_iter().map(|a| (a.name, a.node_id)));
        tokens.push((id.clone(), found.tokens));
        goal_ids.push(id);
    }
    let record = DocumentRecord {
        id: doc_id.to_string(),
        unit: doc.unit.clone(),
        year: doc.year,
        title: doc.title.clone(),
        content_hash: hash.to_string(),
        source: path.display().to_string(),
        bytes: size as u64,
        layout: doc.layout,
        leader: doc.leader.clone(),
        contact: doc.contact.clone(),
        phone: doc.phone.clone(),
        extractor_version: EXTRACTOR_VERSION,
        ingested_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        goals: goal_ids,
        nodes: Vec::new(),
        edges: Vec::new(),
        names: Vec::new(),
    };
    (
        DocumentBatch {
            record,
            nodes,
            edges,
            aliases,
        },
        tokens,
    )
}
