//! User corrections: aliases a user added (`plangraph alias add`), kept in the `corrections`
//! tree (key: the normalised alias, value: JSON [`Correction`]).
//!
//! A correction is applied to every document batch before it is written: the alias is
//! given to its node in each document that holds the node, and a node merged away by the
//! alias is replaced by the kept node (its edges, with their evidence, and its names move
//! to the kept node). So the store itself holds the corrected graph, re-ingest and rebuilds
//! keep it, and the view and the text index follow each rewrite's [`DocumentChange`].

use super::{decode, DocumentBatch, DocumentChange, DocumentRecord, GraphStore};
use crate::error::Result;
use crate::model::{normalize_name, Edge};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

pub(super) const T_CORRECTIONS: &str = "corrections";

/// One user alias: `alias` resolves to `node`; the nodes in `merged` (which had that name
/// or alias before) were merged into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Correction {
    /// The alias as the user wrote it.
    pub alias: String,
    /// The kept node's id.
    pub node: String,
    /// Seconds since the Unix epoch.
    pub added_at: u64,
    /// Ids of nodes merged into `node` by this alias.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<String>,
}

impl GraphStore {
    fn corrections_tree(&self) -> Result<&sled::Tree> {
        Ok(&self.corrections)
    }

    /// Every user correction, in normalised-alias order.
    pub fn corrections(&self) -> Result<Vec<Correction>> {
        let tree = self.corrections_tree()?;
        tree.iter()
            .map(|r| {
                let (_, v) = r?;
                decode(T_CORRECTIONS, &v)
            })
            .collect()
    }

    /// The correction for `alias` (compared normalised).
    pub fn correction(&self, alias: &str) -> Result<Option<Correction>> {
        self.corrections_tree()?
            .get(normalize_name(alias).as_bytes())?
            .map(|v| decode(T_CORRECTIONS, &v))
            .transpose()
    }

    /// Keep a correction (replacing one for the same alias). Documents are not rewritten
    /// here: see [`GraphStore::rewrite_document`].
    pub fn put_correction(&self, c: &Correction) -> Result<()> {
        let tree = self.corrections_tree()?;
        tree.insert(normalize_name(&c.alias).as_bytes(), serde_json::to_vec(c)?)?;
        tree.flush()?;
        Ok(())
    }

    /// Forget the correction for `alias`; returns it.
    pub fn remove_correction(&self, alias: &str) -> Result<Option<Correction>> {
        let tree = self.corrections_tree()?;
        let old = tree
            .remove(normalize_name(alias).as_bytes())?
            .map(|v| decode(T_CORRECTIONS, &v))
            .transpose()?;
        tree.flush()?;
        Ok(old)
    }

    /// Ids of the documents holding any of `ids`, in document order.
    pub fn documents_holding(&self, ids: &BTreeSet<String>) -> Result<Vec<String>> {
        let mut found = Vec::new();
        for d in self.documents() {
            let d = d?;
            if d.nodes.iter().any(|n| ids.contains(n)) {
                found.push(d.id);
            }
        }
        Ok(found)
    }

    /// `batch` with the user corrections applied (borrowed when none applies): nodes merged
    /// away replaced by the kept ones, user aliases given to the nodes it holds.
    pub fn corrected<'b>(&self, batch: &'b DocumentBatch) -> Result<Cow<'b, DocumentBatch>> {
        let corrections = if self.corrections.is_empty() {
            Vec::new()
        } else {
            self.corrections()?
        };
        // names documents declared (short forms, former names); the user's aliases win
        let user: HashSet<String> = corrections
            .iter()
            .map(|c| normalize_name(&c.alias))
            .collect();
        let declared = self.declared_redirects(batch, &user)?;
        if corrections.is_empty() && declared.is_empty() {
            return Ok(Cow::Borrowed(batch));
        }
        let mut redirect: HashMap<&str, &str> = HashMap::new();
        for c in &corrections {
            for m in &c.merged {
                redirect.insert(m, &c.node);
            }
        }
        // An entity of this batch named by a user alias is that alias's node (a document
        // that names it so, under another kind or first after the alias was added).
        let by_alias: HashMap<String, &str> = corrections
            .iter()
            .map(|c| (normalize_name(&c.alias), c.node.as_str()))
            .collect();
        for n in &batch.nodes {
            if !n.kind.is_entity() {
                continue;
            }
            if let Some(to) = by_alias.get(&normalize_name(&n.name)) {
                if *to != n.id {
                    redirect.entry(&n.id).or_insert(to);
                }
            }
        }
        for (from, to) in &declared {
            redirect.entry(from).or_insert(to);
        }
        // Follow chains (a kept node later merged into another), at most a few steps.
        let target = |id: &str| -> String {
            let mut at = id;
            for _ in 0..8 {
                match redirect.get(at) {
                    Some(next) if *next != at => at = next,
                    _ => break,
                }
            }
            at.to_string()
        };
        let corrected: BTreeSet<&str> = corrections.iter().map(|c| c.node.as_str()).collect();
        let touches = !declared.is_empty()
            || batch
                .nodes
                .iter()
                .any(|n| redirect.contains_key(n.id.as_str()) || corrected.contains(n.id.as_str()));
        if !touches {
            return Ok(Cow::Borrowed(batch));
        }

        let mut out = batch.clone();
        let mut nodes = Vec::with_capacity(batch.nodes.len());
        let mut present: BTreeSet<String> = BTreeSet::new();
        let mut moved: Vec<(String, String)> = Vec::new();
        for n in &batch.nodes {
            let to = target(&n.id);
            if to == n.id {
                if present.insert(n.id.clone()) {
                    nodes.push(n.clone());
                }
                continue;
            }
            // Merged away: the kept node stands in for it (as stored, unless this batch
            // also holds it), and its name becomes the kept node's alias.
            let kept = match batch.nodes.iter().find(|k| k.id == to) {
                Some(k) => Some(k.clone()),
                None => self.node(&to)?,
            };
            match kept {
                Some(k) => {
                    moved.push((n.name.clone(), to.clone()));
                    if present.insert(k.id.clone()) {
                        nodes.push(k);
                    }
                }
                // The kept node is gone from the store: nothing to merge into.
                None => {
                    if present.insert(n.id.clone()) {
                        nodes.push(n.clone());
                    }
                }
            }
        }
        let map = |id: &str| -> String {
            let to = target(id);
            if present.contains(&to) {
                to
            } else {
                id.to_string()
            }
        };
        let mut seen = BTreeSet::new();
        let mut edges: Vec<Edge> = Vec::with_capacity(batch.edges.len());
        for e in &batch.edges {
            let (s, t) = (map(&e.source), map(&e.target));
            if s == t || !seen.insert((s.clone(), e.label, t.clone())) {
                continue;
            }
            edges.push(Edge {
                source: s,
                target: t,
                label: e.label,
                props: e.props.clone(),
            });
        }
        let mut aliases: Vec<(String, String)> = batch
            .aliases
            .iter()
            .map(|(a, id)| (a.clone(), map(id)))
            .collect();
        aliases.extend(moved);
        for c in &corrections {
            let to = map(&c.node);
            if present.contains(&to) {
                aliases.push((c.alias.clone(), to));
            }
        }
        for (from, to) in &declared {
            if let Some(n) = batch.nodes.iter().find(|n| n.id == *from) {
                let to = map(to);
                let joined = (normalize_name(&n.name), to);
                if present.contains(&joined.1) && !out.record.joined.contains(&joined) {
                    out.record.joined.push(joined);
                }
            }
        }
        out.record.goals = out.record.goals.iter().map(|g| map(g)).collect();
        out.nodes = nodes;
        out.edges = edges;
        out.aliases = aliases;
        Ok(Cow::Owned(out))
    }

    /// A stored document's batch as the store holds it: its nodes, edges (with props) and
    /// names, less the `(normalised name, id)` entries in `drop`.
    pub fn stored_batch(
        &self,
        record: &DocumentRecord,
        drop: &[(String, String)],
    ) -> Result<DocumentBatch> {
        let mut nodes = Vec::with_capacity(record.nodes.len());
        for id in &record.nodes {
            if let Some(n) = self.node(id)? {
                nodes.push(n);
            }
        }
        let mut edges = Vec::with_capacity(record.edges.len());
        // links to other documents are computed again after the write
        for (s, l, t) in record.edges.iter().filter(|(_, l, _)| !super::is_link(*l)) {
            if let Some(e) = self.edge(s, *l, t)? {
                edges.push(e);
            }
        }
        let aliases = record
            .names
            .iter()
            .filter(|n| !drop.contains(n))
            .cloned()
            .collect();
        Ok(DocumentBatch {
            record: record.clone(),
            nodes,
            edges,
            aliases,
        })
    }

    /// Write document `id` again from what the store holds, with the corrections applied
    /// and the names in `drop` left out; `stale` also clears its content hash, so the next
    /// ingest of its file reads it afresh. Returns the corrected batch written and its
    /// change (`None` for an unknown document).
    pub fn rewrite_document(
        &self,
        id: &str,
        drop: &[(String, String)],
        stale: bool,
    ) -> Result<Option<(DocumentBatch, DocumentChange)>> {
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let Some(old) = self.document(id)? else {
            return Ok(None);
        };
        let mut batch = self.stored_batch(&old, drop)?;
        if stale {
            batch.record.content_hash = String::new();
        }
        let batch = self.corrected(&batch)?.into_owned();
        let change = self.write_locked(&batch, Some(old))?;
        Ok(Some((batch, change)))
    }
}
