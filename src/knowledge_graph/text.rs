//! The text index's upkeep (in step with the store, rebuilt from it) and search.

use crate::error::Result;
use crate::extract::{GoalTokens, Segmenter};
use crate::index::{SearchRequest, SearchResults, TextIndex};
use crate::model::{Node, NodeKind};

use super::KnowledgeGraph;

impl KnowledgeGraph {
    /// True when the index records the store's current generation.
    pub fn index_in_step(&self) -> Result<bool> {
        Ok(self.read_index().generation() == Some(self.store.generation()?))
    }

    /// Rebuild the text index from the store when it is missing, of an older schema, or
    /// behind the store (a crash between the two writes). Returns whether it rebuilt.
    pub fn sync_index(&self) -> Result<bool> {
        if self.index_in_step()? {
            return Ok(false);
        }
        self.rebuild_index()?;
        Ok(true)
    }

    /// Rebuild the whole text index from the store.
    pub fn rebuild_index(&self) -> Result<()> {
        let generation = self.store.generation()?;
        let seg = self.extractor.segmenter().clone();
        let mut index = self.write_index();
        index.clear()?;
        for node in self.store.nodes() {
            let node = node?;
            self.index_node(&mut index, &node, None, &seg)?;
        }
        index.commit(generation)?;
        Ok(())
    }

    pub(super) fn index_node(
        &self,
        index: &mut TextIndex,
        node: &Node,
        tokens: Option<&GoalTokens>,
        seg: &Segmenter,
    ) -> Result<()> {
        match node.kind {
            NodeKind::Goal => match tokens {
                Some(t) => index.upsert_goal(node, t),
                None => {
                    let field = |k: &str| node.prop_str(k).unwrap_or("");
                    let t = GoalTokens {
                        title: seg.cut(&node.name),
                        content: seg.cut(field("content")),
                        benchmark: seg.cut(field("benchmark")),
                    };
                    index.upsert_goal(node, &t)
                }
            },
            // A target is found by what it counts and its value (技术创新中心 150家以上).
            NodeKind::Target => index.upsert_entity(node, &target_search_names(node)),
            _ => {
                let aliases = self.store.aliases_of(node)?;
                index.upsert_entity(node, &aliases)
            }
        }
    }

    /// Full-text search over goals and entities.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.read_index().search(request)
    }
}

/// The texts a target is searchable by besides its name: its subject with the value.
fn target_search_names(node: &Node) -> Vec<String> {
    let subject = node.prop_str("subject").unwrap_or("").trim();
    let raw = node.prop_str("raw").unwrap_or(&node.name).trim();
    if subject.is_empty() {
        Vec::new()
    } else {
        vec![format!("{subject} {raw}")]
    }
}
