//! Names documents give nodes (short forms, former names: `崂山实验室（原…）`, `X（以下简称“Y”）`,
//! `X——Y`, `原X更名为Y`) join documents: an entity of a batch whose own name is such a name
//! of another node, given by this batch or held by the store, is that node. The store's
//! name entries are held by the documents that gave them, so a merge goes with the
//! document that declared it (see `KnowledgeGraph`'s follow-ups after a write).

use super::{keys, DocumentBatch, GraphStore};
use crate::error::Result;
use crate::model::{normalize_name, Node, NodeKind};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Kinds a declared name may join.
fn joins(n: &Node) -> bool {
    matches!(
        n.kind,
        NodeKind::Institution | NodeKind::Organization | NodeKind::Place | NodeKind::Program
    ) && !n.props.get("class").is_some_and(|c| c == true)
}

impl GraphStore {
    /// For the entities of `batch` whose own name is another node's declared name (in the
    /// batch, or in the store from another document), that node: (from id, to id). Names
    /// in `skip` (the user's aliases, which win) and names given to two nodes are left.
    pub(super) fn declared_redirects(
        &self,
        batch: &DocumentBatch,
        skip: &HashSet<String>,
    ) -> Result<Vec<(String, String)>> {
        let in_batch: HashMap<&str, &Node> = batch
            .nodes
            .iter()
            .filter(|n| joins(n))
            .map(|n| (n.id.as_str(), n))
            .collect();
        let mut given: HashMap<String, BTreeSet<&str>> = HashMap::new();
        for (a, id) in &batch.aliases {
            if let Some(n) = in_batch.get(id.as_str()) {
                let a = normalize_name(a);
                if a != normalize_name(&n.name) {
                    given.entry(a).or_default().insert(n.id.as_str());
                }
            }
        }
        let mut prior: Option<HashSet<(String, String)>> = None;
        let mut out = Vec::new();
        for n in in_batch.values() {
            let norm = normalize_name(&n.name);
            if norm.chars().count() < 2 || skip.contains(&norm) {
                continue;
            }
            let mut to: BTreeSet<String> = given
                .get(&norm)
                .into_iter()
                .flatten()
                .filter(|id| **id != n.id)
                .map(|id| id.to_string())
                .collect();
            for id in self.ids_named(&n.name)? {
                if id == n.id || to.contains(&id) {
                    continue;
                }
                let Some(other) = self.node(&id)? else {
                    continue;
                };
                if !joins(&other) || normalize_name(&other.name) == norm {
                    continue;
                }
                // a name this document's stored version gave, and no other document
                // gives, is not another document's declaration
                if prior.is_none() {
                    prior = Some(
                        self.document(&batch.record.id)?
                            .map(|r| r.names.into_iter().collect())
                            .unwrap_or_default(),
                    );
                }
                let own = prior
                    .as_ref()
                    .is_some_and(|p| p.contains(&(norm.clone(), id.clone())));
                if own && self.holders(&norm, &id)? <= 1 {
                    continue;
                }
                to.insert(id);
            }
            if to.len() == 1 {
                out.push((n.id.clone(), to.into_iter().next().expect("one")));
            }
        }
        out.sort();
        Ok(out)
    }

    /// How many documents give node `id` the (normalised) name `norm`.
    pub fn name_holders(&self, norm: &str, id: &str) -> Result<u64> {
        self.holders(norm, id)
    }

    fn holders(&self, norm: &str, id: &str) -> Result<u64> {
        Ok(self
            .refs
            .get(keys::name_ref(norm, id))?
            .map(|v| keys::read_u64(&v))
            .unwrap_or(0))
    }

    /// Entities of the store, other than `id`, whose own name is `name` (which a batch
    /// now gives `id`): the nodes a new declaration joins to `id`.
    pub fn named_apart(&self, name: &str, id: &str) -> Result<Vec<String>> {
        let norm = normalize_name(name);
        let mut out = Vec::new();
        for other in self.ids_named(name)? {
            if other == id {
                continue;
            }
            if let Some(n) = self.node(&other)? {
                if joins(&n) && normalize_name(&n.name) == norm {
                    out.push(other);
                }
            }
        }
        Ok(out)
    }
}
