//! Batch building: a parsed document through extraction to the nodes, edges and aliases
//! it contributes, ready for one store write.

use crate::extract::{Extractor, GoalExtraction, GoalTokens, KnownAlias, EXTRACTOR_VERSION};
use crate::ingest::ParsedDocument;
use crate::model::{Edge, EdgeLabel, Goal, Node, NodeKind};
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
    let goals = doc.goals();
    let (nodes, edges, aliases, tokens, goal_ids) = assemble(extractor, doc_id, &doc.unit, &goals);
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
        joined: Vec::new(),
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

/// What a document's goals contribute: its unit, goals, the nodes and edges extracted
/// from them (each goal read with the short forms and former names the whole document
/// declares), aliases, tokens and goal ids.
#[allow(clippy::type_complexity)]
pub fn assemble(
    extractor: &Extractor,
    doc_id: &str,
    unit_name: &str,
    goals: &[Goal],
) -> (
    Vec<Node>,
    Vec<Edge>,
    Vec<(String, String)>,
    Vec<(String, GoalTokens)>,
    Vec<String>,
) {
    let unit = Node::entity(NodeKind::Unit, unit_name);
    let mut nodes = vec![unit.clone()];
    let mut edges = Vec::new();
    let mut aliases = Vec::new();
    let mut tokens = Vec::new();
    let mut goal_ids = Vec::new();
    for (goal, found) in goals.iter().zip(extract_goals(extractor, doc_id, goals)) {
        let id = goal.id.clone();
        edges.push(Edge::new(&unit.id, EdgeLabel::HasGoal, &id));
        nodes.push(goal.to_node());
        nodes.extend(found.nodes);
        edges.extend(found.edges);
        aliases.extend(found.aliases.into_iter().map(|a| (a.name, a.node_id)));
        tokens.push((id.clone(), found.tokens));
        goal_ids.push(id);
    }
    (nodes, edges, aliases, tokens, goal_ids)
}

/// Extract each goal; when the document declares short forms or former names, the goals
/// that write one of them are read again knowing them, so a short form used alone
/// (later in the goal or in another goal) is the node it stands for.
fn extract_goals(extractor: &Extractor, doc_id: &str, goals: &[Goal]) -> Vec<GoalExtraction> {
    let mut found: Vec<GoalExtraction> =
        goals.iter().map(|g| extractor.extract(doc_id, g)).collect();
    let mut known: Vec<KnownAlias> = found.iter().flat_map(KnownAlias::declared_in).collect();
    // one node per declared name: a name declared for two different nodes is no one's
    known.sort_by(|a, b| a.alias.cmp(&b.alias).then(a.name.cmp(&b.name)));
    known.dedup();
    let ambiguous: Vec<String> = known
        .windows(2)
        .filter(|w| w[0].alias == w[1].alias)
        .map(|w| w[0].alias.clone())
        .collect();
    known.retain(|k| !ambiguous.contains(&k.alias));
    // longer names first, so a short form inside a longer one is not read first
    known.sort_by_key(|k| std::cmp::Reverse(k.alias.chars().count()));
    if known.is_empty() {
        return found;
    }
    for (i, g) in goals.iter().enumerate() {
        let writes = |t: &str| known.iter().any(|k| t.contains(k.alias.as_str()));
        if writes(&g.title) || writes(&g.content) || g.benchmark.as_deref().is_some_and(writes) {
            found[i] = extractor.extract_with(doc_id, g, &known);
        }
    }
    found
}
