//! User alias corrections: `alias add`, `alias list`, `alias remove`. The store keeps them
//! and applies them to every document write; here the documents they touch are written
//! again at once, and the graph view and the text index follow their changes.

use crate::error::{Error, Result};
use crate::model::{normalize_name, Node};
use crate::store::Correction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use super::KnowledgeGraph;

/// One user alias as listed: the alias, the node it resolves to, when it was added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AliasEntry {
    pub alias: String,
    /// The node's id.
    pub node: String,
    /// The node's name (empty when the node is no longer in the store).
    pub name: String,
    /// Seconds since the Unix epoch.
    pub added_at: u64,
    /// Ids of the nodes merged into this one by the alias.
    #[serde(default)]
    pub merged: Vec<String>,
}

/// The user aliases (`alias list`, `GET /api/aliases`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AliasList {
    pub aliases: Vec<AliasEntry>,
}

/// What `alias add` or `alias remove` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AliasChange {
    pub alias: String,
    pub node: String,
    pub name: String,
    /// Nodes merged into `node` (add), or whose merge is undone on re-ingest (remove).
    #[serde(default)]
    pub merged: Vec<String>,
    /// Documents written again.
    pub documents: Vec<String>,
    /// What happened, in words.
    pub message: String,
}

impl KnowledgeGraph {
    /// Make `alias` resolve to the node `name_or_id` names. When the alias is already the
    /// name or an alias of other entities, they are merged into that node: their edges
    /// (with their evidence) and names move to it, and every later write of their
    /// documents is redirected to it.
    pub fn add_alias(&self, alias: &str, name_or_id: &str) -> Result<AliasChange> {
        let alias = alias.trim();
        check_alias(alias)?;
        let node = self.resolve(name_or_id)?;
        if normalize_name(alias) == normalize_name(&node.name) {
            return Err(Error::InvalidParam {
                param: "alias",
                reason: format!(
                    "`{alias}` is already the name of {} ({})",
                    node.name, node.id
                ),
            });
        }
        let mut merged = Vec::new();
        for id in self.store.ids_named(alias)? {
            if id == node.id {
                continue;
            }
            let Some(other) = self.store.node(&id)? else {
                continue;
            };
            if !(other.kind.is_entity() && node.kind.is_entity()) {
                return Err(Error::InvalidParam {
                    param: "alias",
                    reason: format!(
                        "`{alias}` already names {} ({}, {}); only entities are merged, \
                         not a {} into a {}",
                        other.name, other.kind, other.id, other.kind, node.kind
                    ),
                });
            }
            merged.push(other.id);
        }
        if let Some(old) = self.store.correction(alias)? {
            if old.node != node.id {
                // the alias moves: its old node keeps what it had, the alias goes
                self.remove_alias(&old.alias)?;
            } else {
                merged.extend(old.merged.iter().cloned());
            }
        }
        merged.sort();
        merged.dedup();
        // Aliases given before to a node merged now follow it to the kept node.
        for mut c in self.store.corrections()? {
            if merged.contains(&c.node) {
                c.node = node.id.clone();
                self.store.put_correction(&c)?;
            }
        }
        self.store.put_correction(&Correction {
            alias: alias.to_string(),
            node: node.id.clone(),
            added_at: now(),
            merged: merged.clone(),
        })?;
        let mut touched: BTreeSet<String> = merged.iter().cloned().collect();
        touched.insert(node.id.clone());
        let documents = self.rewrite_documents(&touched, &[], false)?;
        let message = if merged.is_empty() {
            format!("`{alias}` now resolves to {} ({})", node.name, node.id)
        } else {
            format!(
                "`{alias}` now resolves to {} ({}); merged into it: {}",
                node.name,
                node.id,
                merged.join(", ")
            )
        };
        Ok(AliasChange {
            alias: alias.to_string(),
            node: node.id,
            name: node.name,
            merged,
            documents,
            message,
        })
    }

    /// The user aliases, in alias order.
    pub fn list_aliases(&self) -> Result<AliasList> {
        let mut aliases = Vec::new();
        for c in self.store.corrections()? {
            let name = self
                .store
                .node_part::<NameOnly>(&c.node)?
                .map(|n| n.name)
                .unwrap_or_default();
            aliases.push(AliasEntry {
                alias: c.alias,
                node: c.node,
                name,
                added_at: c.added_at,
                merged: c.merged,
            });
        }
        Ok(AliasList { aliases })
    }

    /// Undo a user alias: it no longer resolves (unless a document gives it). Nodes it
    /// merged stay merged until their documents are ingested again; those documents are
    /// marked so that the next ingest reads them afresh.
    pub fn remove_alias(&self, alias: &str) -> Result<AliasChange> {
        let alias = alias.trim();
        if normalize_name(alias).is_empty() {
            return Err(Error::InvalidParam {
                param: "alias",
                reason: "empty alias".into(),
            });
        }
        let Some(c) = self.store.remove_correction(alias)? else {
            let known: Vec<String> = self
                .store
                .corrections()?
                .into_iter()
                .map(|c| c.alias)
                .take(5)
                .collect();
            return Err(Error::NotFound {
                name: alias.to_string(),
                suggestions: known,
            });
        };
        // An alias that merged nodes was their name: it stays with the kept node, as the
        // merge does, until their documents are ingested again.
        let drop = if c.merged.is_empty() {
            vec![(normalize_name(&c.alias), c.node.clone())]
        } else {
            Vec::new()
        };
        let mut touched = BTreeSet::new();
        touched.insert(c.node.clone());
        let documents = self.rewrite_documents(&touched, &drop, !c.merged.is_empty())?;
        let name = self
            .store
            .node_part::<NameOnly>(&c.node)?
            .map(|n| n.name)
            .unwrap_or_default();
        let message = if c.merged.is_empty() {
            format!("`{}` no longer resolves to {name} ({})", c.alias, c.node)
        } else {
            format!(
                "`{}` no longer resolves to {name} ({}); the nodes it merged ({}) stay merged \
                 until their documents are ingested again: ingest {} to separate them",
                c.alias,
                c.node,
                c.merged.join(", "),
                self.sources(&documents)?.join(", ")
            )
        };
        Ok(AliasChange {
            alias: c.alias,
            node: c.node,
            name,
            merged: c.merged,
            documents,
            message,
        })
    }

    /// Write again every document holding one of `ids`, with the corrections applied, and
    /// bring the view and the index along. Returns the documents written.
    pub(super) fn rewrite_documents(
        &self,
        ids: &BTreeSet<String>,
        drop: &[(String, String)],
        stale: bool,
    ) -> Result<Vec<String>> {
        let documents = self.store.documents_holding(ids)?;
        let mut index = self.write_index();
        let mut last = None;
        for doc in &documents {
            let written = {
                let mut graph = self.write_graph();
                let written = self.store.rewrite_document(doc, drop, stale)?;
                if let Some((_, change)) = &written {
                    super::facade::follow_write(&mut graph, &self.store, change);
                }
                written
            };
            if let Some((batch, change)) = written {
                self.apply_to_index(&mut index, &change, &batch, &[])?;
                // its links were left out of the rewrite: computed again
                last =
                    Some(self.relink(&batch.record.id, &batch.record.unit, batch.record.year)?);
            }
        }
        // The store durable first: the index is never committed ahead of it.
        self.store.flush()?;
        if let Some(g) = last {
            if index.generation() != Some(g) {
                index.commit(g)?;
            }
        }
        Ok(documents)
    }
}

impl KnowledgeGraph {
    /// The files the documents were read from.
    fn sources(&self, documents: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for id in documents {
            if let Some(d) = self.store.document(id)? {
                out.push(d.source);
            }
        }
        Ok(out)
    }
}

#[derive(Deserialize)]
struct NameOnly {
    name: String,
}

/// Longest alias accepted, in characters.
const MAX_ALIAS_CHARS: usize = 200;

fn check_alias(alias: &str) -> Result<()> {
    let reason = if normalize_name(alias).is_empty() {
        "empty alias".to_string()
    } else if alias.chars().count() > MAX_ALIAS_CHARS {
        format!("longer than {MAX_ALIAS_CHARS} characters")
    } else if alias.chars().any(char::is_control) {
        "holds a control character".to_string()
    } else {
        return Ok(());
    };
    Err(Error::InvalidParam {
        param: "alias",
        reason,
    })
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl KnowledgeGraph {
    /// A node's aliases (its other names, normalised), for `show`.
    pub fn aliases_of(&self, node: &Node) -> Result<Vec<String>> {
        let mut a = self.store.aliases_of(node)?;
        a.sort();
        Ok(a)
    }
}
