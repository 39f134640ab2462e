//! Links between documents (`continues`: a goal → its predecessor in the same unit's
//! previous-year document). They are held by the newer document, as its own edges are, so
//! they go with it when it is replaced or removed and flow through export and import; the
//! facade computes them again after every write of the unit's documents.

use super::change::{
    add_count, bump_generation, hold, put_edge, put_name, release, release_edge, release_name,
    WriteStatus,
};
use super::{decode, edge_value, keys, DocumentChange, EdgeKey, GraphStore, T_DOCS};
use crate::error::{Error, Result};
use crate::model::{normalize_name, Edge, EdgeLabel, Props};
use serde::Deserialize;
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The documents of each unit (normalised name → (year, document id)), once read.
pub(super) type UnitDocs = std::sync::Mutex<Option<HashMap<String, BTreeSet<(u16, String)>>>>;

/// What [`GraphStore::set_revises`] did.
#[derive(Debug)]
pub enum RevisesWrite {
    /// The document holds these edges already (or is unknown).
    Unchanged,
    /// Written: the change, one generation later.
    Written(Box<DocumentChange>),
    /// Not written: the document is to be written again whole.
    Rewrite,
}

/// Labels whose edges join two documents and are computed after writes.
pub fn is_link(label: EdgeLabel) -> bool {
    label == EdgeLabel::Continues
}

impl GraphStore {
    /// The documents of `unit` (compared normalised): (year, document id), sorted. The
    /// store is read once; every write keeps the answer up to date.
    pub fn unit_documents(&self, unit: &str) -> Result<Vec<(u16, String)>> {
        let mut cache = self.unit_docs.lock().unwrap_or_else(|p| p.into_inner());
        if cache.is_none() {
            #[derive(Deserialize)]
            struct Head {
                id: String,
                unit: String,
                year: u16,
            }
            let mut all: HashMap<String, BTreeSet<(u16, String)>> = HashMap::new();
            for r in self.docs.iter() {
                let (_, v) = r?;
                let h: Head = decode(T_DOCS, &v)?;
                all.entry(normalize_name(&h.unit))
                    .or_default()
                    .insert((h.year, h.id));
            }
            *cache = Some(all);
        }
        Ok(cache
            .as_ref()
            .and_then(|c| c.get(&normalize_name(unit)))
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default())
    }

    /// A document was written: its unit lists it.
    pub(super) fn note_document(&self, record: &super::DocumentRecord) {
        let mut cache = self.unit_docs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cache.as_mut() {
            c.entry(normalize_name(&record.unit))
                .or_default()
                .insert((record.year, record.id.clone()));
        }
    }

    /// Documents were removed or loaded: read the units again when next asked.
    pub(super) fn forget_unit_documents(&self) {
        *self.unit_docs.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Note that the documents `docs` are about to be written and their links to other
    /// documents (computed once a batch is written) are not done yet: a batch cut off
    /// (a crash, a kill) is finished by the next ingest, which reads them from
    /// [`Self::unlinked`].
    pub fn mark_unlinked<'a>(&self, docs: impl IntoIterator<Item = &'a str>) -> Result<()> {
        let mut batch = sled::Batch::default();
        for d in docs {
            batch.insert(keys::unlinked(d), &[][..]);
        }
        self.meta.apply_batch(batch)?;
        Ok(())
    }

    /// The documents written whose links are not computed yet.
    pub fn unlinked(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for r in self.meta.scan_prefix(keys::UNLINKED_PREFIX) {
            let (k, _) = r?;
            out.push(String::from_utf8_lossy(&k[keys::UNLINKED_PREFIX.len()..]).into_owned());
        }
        Ok(out)
    }

    /// The links of the documents `docs` are computed (and durable).
    pub fn clear_unlinked<'a>(&self, docs: impl IntoIterator<Item = &'a str>) -> Result<()> {
        let mut batch = sled::Batch::default();
        for d in docs {
            batch.remove(keys::unlinked(d));
        }
        self.meta.apply_batch(batch)?;
        Ok(())
    }

    /// Replace the `revises` edges document `doc` holds by `edges` (each from one of the
    /// document nodes its goals name to a stored document node), and what it holds for
    /// them: the older versions they point at, which its goals may not name. Touches only
    /// those edges and holds, not the document's other items. [`RevisesWrite::Rewrite`]
    /// when the edges it drops carry a node no other document holds (the whole document
    /// is to be written again, which removes it cleanly).
    pub fn set_revises(&self, doc: &str, edges: &[Edge]) -> Result<RevisesWrite> {
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let Some(mut record) = self.document(doc)? else {
            return Ok(RevisesWrite::Unchanged);
        };
        let label = EdgeLabel::Revises;
        // the document nodes its other edges reach: held whatever its lineage
        let named: BTreeSet<&str> = record
            .edges
            .iter()
            .filter(|(_, l, _)| *l != label)
            .flat_map(|(s, _, t)| [s.as_str(), t.as_str()])
            .collect();
        let carried_now: BTreeSet<String> = record
            .nodes
            .iter()
            .filter(|n| n.starts_with("document:") && !named.contains(n.as_str()))
            .cloned()
            .collect();
        let mut new: BTreeMap<EdgeKey, &Props> = BTreeMap::new();
        let mut carried: BTreeSet<String> = BTreeSet::new();
        for e in edges {
            for end in [&e.source, &e.target] {
                if !named.contains(end.as_str()) {
                    carried.insert(end.clone());
                }
            }
            new.insert((e.source.clone(), label, e.target.clone()), &e.props);
        }
        let old = held_with(&record, label);
        let same = self.holds_already(&old, &new);
        if same && carried == carried_now {
            return Ok(RevisesWrite::Unchanged);
        }
        // the nodes newly carried, with their names; those no longer carried must be
        // held elsewhere
        let mut hold_names: Vec<(String, String)> = Vec::new();
        for id in carried.difference(&carried_now) {
            let Some(node) = self.node(id)? else {
                return Err(Error::Corrupt {
                    tree: super::T_NODES,
                    reason: format!("lineage endpoint {id} is not stored"),
                });
            };
            let name = (normalize_name(&node.name), id.clone());
            if !record.names.contains(&name) {
                hold_names.push(name);
            }
        }
        for id in carried_now.difference(&carried) {
            let holders = self
                .refs
                .get(keys::node_ref(id))?
                .map(|v| keys::read_u64(&v))
                .unwrap_or(0);
            if holders <= 1 {
                return Ok(RevisesWrite::Rewrite);
            }
        }
        let release_names: Vec<(String, String)> = record
            .names
            .iter()
            .filter(|(_, id)| carried_now.contains(id) && !carried.contains(id))
            .cloned()
            .collect();
        record.edges.retain(|(_, l, _)| *l != label);
        record.edges.extend(new.keys().cloned());
        record.edges.sort();
        record
            .nodes
            .retain(|n| !carried_now.contains(n) || carried.contains(n));
        for id in carried.difference(&carried_now) {
            record.nodes.push(id.clone());
        }
        record.nodes.sort();
        record.names.retain(|n| !release_names.contains(n));
        for n in &hold_names {
            if !record.names.contains(n) {
                record.names.push(n.clone());
            }
        }
        record.names.sort();
        let encoded_record = serde_json::to_vec(&record)?;
        let encoded = self.encode_edges(&new)?;
        let (newly, dropped): (Vec<&String>, Vec<&String>) = (
            carried.difference(&carried_now).collect(),
            carried_now.difference(&carried).collect(),
        );
        let trees = [
            &self.meta,
            &self.out,
            &self.inn,
            &self.docs,
            &self.refs,
            &self.names,
            &self.node_names,
        ];
        let result = trees.as_slice().transaction(|t| {
            let (meta, out, inn, docs, refs, names, node_names) =
                (&t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6]);
            let mut change = DocumentChange::unchanged(0, None);
            change.status = WriteStatus::Replaced;
            let delta = swap_edges(refs, out, inn, &old, &encoded, &mut change)?;
            for id in &dropped {
                // held elsewhere (checked above, under the same lock)
                release(refs, &keys::node_ref(id))?;
            }
            for (name, id) in &release_names {
                release_name(refs, names, node_names, name, id, &mut change)?;
            }
            for id in &newly {
                hold(refs, &keys::node_ref(id))?;
            }
            for (name, id) in &hold_names {
                put_name(refs, names, node_names, name, id, true, &mut change)?;
            }
            if delta != 0 {
                add_count(meta, &keys::edge_count(label.as_str()), delta)?;
            }
            docs.insert(record.id.as_bytes(), encoded_record.as_slice())?;
            change.generation = bump_generation(meta)?;
            Ok(change)
        });
        Ok(RevisesWrite::Written(Box::new(
            result.map_err(super::change::tx_error)?,
        )))
    }

    /// Replace the `label` links document `doc` holds by `edges` (each leaving one of its
    /// goals; their other ends must be stored). `None` when nothing changed (or the
    /// document is unknown); otherwise the change, one generation later.
    pub fn set_links(
        &self,
        doc: &str,
        label: EdgeLabel,
        edges: &[Edge],
    ) -> Result<Option<DocumentChange>> {
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let Some(mut record) = self.document(doc)? else {
            return Ok(None);
        };
        let mut new: BTreeMap<EdgeKey, &Props> = BTreeMap::new();
        for e in edges {
            for end in [&e.source, &e.target] {
                if !self.nodes.contains_key(end.as_bytes())? {
                    return Err(Error::Corrupt {
                        tree: super::T_OUT,
                        reason: format!("link endpoint {end} is not stored"),
                    });
                }
            }
            new.insert((e.source.clone(), label, e.target.clone()), &e.props);
        }
        let old = held_with(&record, label);
        let same = self.holds_already(&old, &new);
        if same {
            return Ok(None);
        }
        record.edges.retain(|(_, l, _)| *l != label);
        record.edges.extend(new.keys().cloned());
        record.edges.sort();
        let encoded_record = serde_json::to_vec(&record)?;
        let encoded = self.encode_edges(&new)?;
        let trees = [&self.meta, &self.out, &self.inn, &self.docs, &self.refs];
        let result = trees.as_slice().transaction(|t| {
            let (meta, out, inn, docs, refs) = (&t[0], &t[1], &t[2], &t[3], &t[4]);
            let mut change = DocumentChange::unchanged(0, None);
            change.status = WriteStatus::Replaced;
            let delta = swap_edges(refs, out, inn, &old, &encoded, &mut change)?;
            if delta != 0 {
                add_count(meta, &keys::edge_count(label.as_str()), delta)?;
            }
            docs.insert(record.id.as_bytes(), encoded_record.as_slice())?;
            change.generation = bump_generation(meta)?;
            Ok(change)
        });
        Ok(Some(result.map_err(super::change::tx_error)?))
    }
}

/// The `label` edges `record` holds.
fn held_with(record: &super::DocumentRecord, label: EdgeLabel) -> Vec<EdgeKey> {
    record
        .edges
        .iter()
        .filter(|(_, l, _)| *l == label)
        .cloned()
        .collect()
}

impl GraphStore {
    /// Whether the edges `old` a document holds are exactly `new`, props included.
    fn holds_already(&self, old: &[EdgeKey], new: &BTreeMap<EdgeKey, &Props>) -> bool {
        old.len() == new.len()
            && old.iter().all(|k| new.contains_key(k))
            && new.iter().all(|((s, l, t), props)| {
                self.edge(s, *l, t)
                    .ok()
                    .flatten()
                    .is_some_and(|e| &e.props == *props)
            })
    }

    /// Edge values as stored (evidence as offsets where it reads back the same).
    fn encode_edges(&self, new: &BTreeMap<EdgeKey, &Props>) -> Result<Vec<(EdgeKey, Vec<u8>)>> {
        new.iter()
            .map(|(k, p)| {
                let bytes = edge_value::encode(p, &k.0, &k.2, |id| self.goal_text(id))?;
                Ok((k.clone(), bytes))
            })
            .collect()
    }
}

/// Inside a write: release the edges of `old` that `new` drops and store those of `new`,
/// noting both in `change`. Returns the change in the number of stored edges.
fn swap_edges(
    refs: &TransactionalTree,
    out: &TransactionalTree,
    inn: &TransactionalTree,
    old: &[EdgeKey],
    new: &[(EdgeKey, Vec<u8>)],
    change: &mut DocumentChange,
) -> std::result::Result<i64, ConflictableTransactionError<Error>> {
    let mut delta = 0;
    for edge in old.iter().filter(|k| !new.iter().any(|(n, _)| n == *k)) {
        if release_edge(refs, out, inn, edge)? {
            delta -= 1;
            change.removed_edges.push(edge.clone());
        }
    }
    for (edge, props) in new {
        if put_edge(refs, out, inn, edge, props, !old.contains(edge))? {
            delta += 1;
            change.added_edges.push(edge.clone());
        }
    }
    Ok(delta)
}
