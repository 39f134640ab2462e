//! Links between documents (`continues`: a goal → its predecessor in the same unit's
//! previous-year document). They are held by the newer document, as its own edges are, so
//! they go with it when it is replaced or removed and flow through export and import; the
//! facade computes them again after every write of the unit's documents.

use super::change::{add_count, bump_generation, put_edge, release_edge, WriteStatus};
use super::{decode, edge_value, keys, DocumentChange, EdgeKey, GraphStore, T_DOCS};
use crate::error::{Error, Result};
use crate::model::{normalize_name, Edge, EdgeLabel, Props};
use serde::Deserialize;
use sled::Transactional;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The documents of each unit (normalised name → (year, document id)), once read.
pub(super) type UnitDocs = std::sync::Mutex<Option<HashMap<String, BTreeSet<(u16, String)>>>>;

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
        let old: Vec<EdgeKey> = record
            .edges
            .iter()
            .filter(|(_, l, _)| *l == label)
            .cloned()
            .collect();
        let same = old.len() == new.len()
            && new.iter().all(|((s, l, t), props)| {
                self.edge(s, *l, t)
                    .ok()
                    .flatten()
                    .is_some_and(|e| &e.props == *props)
            });
        if same && old.iter().all(|k| new.contains_key(k)) {
            return Ok(None);
        }
        record.edges.retain(|(_, l, _)| *l != label);
        record.edges.extend(new.keys().cloned());
        record.edges.sort();
        let encoded_record = serde_json::to_vec(&record)?;
        let encoded: Vec<(EdgeKey, Vec<u8>)> = new
            .iter()
            .map(|(k, p)| {
                let bytes = edge_value::encode(p, &k.0, &k.2, |id| self.goal_text(id))?;
                Ok((k.clone(), bytes))
            })
            .collect::<Result<_>>()?;
        let trees = [&self.meta, &self.out, &self.inn, &self.docs, &self.refs];
        let result = trees.as_slice().transaction(|t| {
            let (meta, out, inn, docs, refs) = (&t[0], &t[1], &t[2], &t[3], &t[4]);
            let mut change = DocumentChange::unchanged(0, None);
            change.status = WriteStatus::Replaced;
            let mut delta: i64 = 0;
            for edge in old.iter().filter(|k| !new.contains_key(*k)) {
                if release_edge(refs, out, inn, edge)? {
                    delta -= 1;
                    change.removed_edges.push(edge.clone());
                }
            }
            for (edge, props) in &encoded {
                if put_edge(refs, out, inn, edge, props, !old.contains(edge))? {
                    delta += 1;
                    change.added_edges.push(edge.clone());
                }
            }
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
