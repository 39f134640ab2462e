//! The write path: one document written atomically, and the record of what it changed
//! (in the spirit of milli's `DocumentChange`), which the graph view and the text index
//! apply without reading the store again.

use super::edge_value::{self, GoalText};
use super::{keys, DocumentBatch, DocumentRecord, EdgeKey, GraphStore, T_OUT};
use crate::error::{Error, Result};
use crate::model::{normalize_name, Node, NodeKind, Props};
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteStatus {
    /// A document not seen before.
    Inserted,
    /// A stored document of the same identity, with other content.
    Replaced,
    /// Same identity, same bytes, same extractor: nothing written.
    Unchanged,
}

/// What one document write changed in the store. Every list is sorted and counts the
/// store as a whole: an item another document still holds is neither removed nor added.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentChange {
    pub status: WriteStatus,
    /// The store generation after the write.
    pub generation: u64,
    /// The document's record before the write (`None` for a new document).
    pub old: Option<DocumentRecord>,
    /// Nodes the store did not hold before, with their kinds.
    pub added_nodes: Vec<(String, NodeKind)>,
    /// Nodes whose last holder was this document's old version: deleted from the store.
    pub removed_nodes: Vec<String>,
    /// Nodes the store held before whose stored value this write replaced.
    pub updated_nodes: Vec<String>,
    /// Of the updated nodes, those whose name or kind changed.
    pub renamed_nodes: Vec<String>,
    pub added_edges: Vec<EdgeKey>,
    pub removed_edges: Vec<EdgeKey>,
    /// (normalised name or alias, node id) entries new to the store.
    pub added_names: Vec<(String, String)>,
    /// (normalised name or alias, node id) entries deleted from the store.
    pub removed_names: Vec<(String, String)>,
}

/// The former name of [`DocumentChange`].
pub type WriteOutcome = DocumentChange;

impl DocumentChange {
    pub(super) fn unchanged(generation: u64, old: Option<DocumentRecord>) -> DocumentChange {
        DocumentChange {
            status: WriteStatus::Unchanged,
            generation,
            old,
            added_nodes: Vec::new(),
            removed_nodes: Vec::new(),
            updated_nodes: Vec::new(),
            renamed_nodes: Vec::new(),
            added_edges: Vec::new(),
            removed_edges: Vec::new(),
            added_names: Vec::new(),
            removed_names: Vec::new(),
        }
    }

    /// Ids of the nodes whose names or aliases this write changed.
    pub fn names_changed(&self) -> BTreeSet<&str> {
        self.added_names
            .iter()
            .chain(&self.removed_names)
            .map(|(_, id)| id.as_str())
            .collect()
    }
}

/// A document's stored record as read before a write, with the store generation it was
/// read at: [`GraphStore::write_after`] trusts it when no write came in between.
#[derive(Debug, Clone)]
pub struct Prior {
    pub record: Option<DocumentRecord>,
    generation: u64,
}

impl Prior {
    /// True when the stored version has the same bytes and extractor as `record`.
    pub fn is_unchanged(&self, content_hash: &str, extractor_version: u32) -> bool {
        self.record.as_ref().is_some_and(|old| {
            old.content_hash == content_hash && old.extractor_version == extractor_version
        })
    }
}

impl GraphStore {
    /// The stored record of document `id`, for a write that follows.
    pub fn prior(&self, id: &str) -> Result<Prior> {
        // the generation first: a write between the two reads moves it, so the prior is
        // then read again under the write lock
        let generation = self.generation()?;
        Ok(Prior {
            record: self.document(id)?,
            generation,
        })
    }

    /// Write one document atomically: after a crash at any instant it is wholly present
    /// (new version) or wholly absent (old version kept). Nothing is written when the
    /// stored version has the same bytes and extractor.
    ///
    /// Why this is atomic: all trees are written in one sled transaction. sled commits a
    /// transaction's writes as one log batch sealed by a batch manifest, and recovery stops
    /// at a torn batch, so a partly written document is never read back.
    pub fn write_document(&self, batch: &DocumentBatch) -> Result<DocumentChange> {
        let prior = self.prior(&batch.record.id)?;
        if prior.is_unchanged(&batch.record.content_hash, batch.record.extractor_version) {
            return Ok(DocumentChange::unchanged(prior.generation, prior.record));
        }
        self.write_after(batch, prior)
    }

    /// Write one document whose caller read `prior` and found it changed (so the check is
    /// not made twice). When another write came in between, the prior is read again and
    /// checked here.
    pub fn write_after(&self, batch: &DocumentBatch, prior: Prior) -> Result<DocumentChange> {
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let record = &batch.record;
        let old = if self.generation()? == prior.generation {
            prior.record
        } else {
            let again = self.prior(&record.id)?;
            if again.is_unchanged(&record.content_hash, record.extractor_version) {
                return Ok(DocumentChange::unchanged(again.generation, again.record));
            }
            again.record
        };
        let batch = self.corrected(batch)?;
        self.write_locked(&batch, old)
    }

    pub(super) fn write_locked(
        &self,
        batch: &DocumentBatch,
        old: Option<DocumentRecord>,
    ) -> Result<DocumentChange> {
        let DocumentBatch {
            record,
            nodes,
            edges,
            aliases,
        } = batch;

        // What the new version holds, deduplicated.
        let mut node_map: BTreeMap<&str, &Node> = BTreeMap::new();
        for n in nodes {
            node_map.insert(&n.id, n);
        }
        let mut edge_map: BTreeMap<EdgeKey, &Props> = BTreeMap::new();
        for e in edges {
            for end in [&e.source, &e.target] {
                if !node_map.contains_key(end.as_str()) {
                    return Err(Error::Corrupt {
                        tree: T_OUT,
                        reason: format!("edge endpoint {end} is not among the document's nodes"),
                    });
                }
            }
            edge_map
                .entry((e.source.clone(), e.label, e.target.clone()))
                .or_insert(&e.props);
        }
        let mut name_set: BTreeSet<(String, String)> = BTreeSet::new();
        for n in node_map.values() {
            if n.kind != NodeKind::Target {
                name_set.insert((normalize_name(&n.name), n.id.clone()));
            }
        }
        for (alias, id) in aliases {
            if node_map.contains_key(id.as_str()) {
                let a = normalize_name(alias);
                if !a.is_empty() {
                    name_set.insert((a, id.clone()));
                }
            }
        }
        let mut record = record.clone();
        record.nodes = node_map.keys().map(|k| k.to_string()).collect();
        record.edges = edge_map.keys().cloned().collect();
        record.names = name_set.iter().cloned().collect();

        let (old_nodes, old_edges, old_names): (BTreeSet<_>, BTreeSet<_>, BTreeSet<_>) = match &old
        {
            Some(o) => (
                o.nodes.iter().cloned().collect(),
                o.edges.iter().cloned().collect(),
                o.names.iter().cloned().collect(),
            ),
            None => Default::default(),
        };
        let new_nodes: BTreeSet<String> = node_map.keys().map(|k| k.to_string()).collect();
        let new_edges: BTreeSet<_> = edge_map.keys().cloned().collect();

        let status = if old.is_some() {
            WriteStatus::Replaced
        } else {
            WriteStatus::Inserted
        };

        let encoded_nodes: Vec<(&Node, Vec<u8>)> = node_map
            .values()
            .map(|n| Ok((*n, serde_json::to_vec(n)?)))
            .collect::<Result<_>>()?;
        // an evidence's goal is one of the edge's ends, so among the document's nodes
        let encoded_edges: Vec<(&EdgeKey, Vec<u8>)> = edge_map
            .iter()
            .map(|(k, p)| {
                let goal = |id: &str| Ok(node_map.get(id).and_then(|n| GoalText::of(n)));
                Ok((k, edge_value::encode(p, &k.0, &k.2, goal)?))
            })
            .collect::<Result<_>>()?;
        let encoded_record = serde_json::to_vec(&record)?;

        let trees = [
            &self.meta,
            &self.nodes,
            &self.out,
            &self.inn,
            &self.names,
            &self.docs,
            &self.refs,
            &self.node_names,
        ];
        let result = trees.as_slice().transaction(|t| {
            let (meta, nodes, out, inn, names, docs, refs, node_names) =
                (&t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6], &t[7]);
            // (a transaction may run more than once: the change is built afresh each time)
            let mut change = DocumentChange::unchanged(0, None);
            change.status = status;
            // Counter changes are summed and written once per kind or label: sled inserts
            // cost far more than reads, so this write also skips values already stored.
            let mut counts: BTreeMap<Vec<u8>, i64> = BTreeMap::new();

            // Release what the old version held and the new one does not.
            for id in old_nodes.difference(&new_nodes) {
                if release(refs, &keys::node_ref(id))? {
                    if let Some(v) = nodes.remove(id.as_bytes())? {
                        if let Ok(n) = serde_json::from_slice::<Node>(&v) {
                            *counts.entry(keys::node_count(n.kind.as_str())).or_default() -= 1;
                        }
                    }
                    change.removed_nodes.push(id.clone());
                }
            }
            for edge in old_edges.difference(&new_edges) {
                if release_edge(refs, out, inn, edge)? {
                    *counts.entry(keys::edge_count(edge.1.as_str())).or_default() -= 1;
                    change.removed_edges.push(edge.clone());
                }
            }
            for (name, id) in old_names.difference(&name_set) {
                release_name(refs, names, node_names, name, id, &mut change)?;
            }

            // Hold and write what the new version has.
            for (n, bytes) in &encoded_nodes {
                if !old_nodes.contains(&n.id) {
                    hold(refs, &keys::node_ref(&n.id))?;
                }
                let stored = nodes.get(n.id.as_bytes())?;
                match &stored {
                    None => {
                        *counts.entry(keys::node_count(n.kind.as_str())).or_default() += 1;
                        change.added_nodes.push((n.id.clone(), n.kind));
                    }
                    Some(v) if v.as_ref() != bytes.as_slice() => {
                        let before = serde_json::from_slice::<Node>(v).ok();
                        if before.is_none_or(|b| b.name != n.name || b.kind != n.kind) {
                            change.renamed_nodes.push(n.id.clone());
                        }
                        change.updated_nodes.push(n.id.clone());
                    }
                    Some(_) => {}
                }
                if stored.as_deref() != Some(bytes.as_slice()) {
                    nodes.insert(n.id.as_bytes(), bytes.as_slice())?;
                }
            }
            for (edge, props) in &encoded_edges {
                if put_edge(refs, out, inn, edge, props, !old_edges.contains(*edge))? {
                    *counts.entry(keys::edge_count(edge.1.as_str())).or_default() += 1;
                    change.added_edges.push((*edge).clone());
                }
            }
            for (name, id) in &name_set {
                let take_hold = !old_names.contains(&(name.clone(), id.clone()));
                put_name(refs, names, node_names, name, id, take_hold, &mut change)?;
            }
            for (key, delta) in &counts {
                if *delta != 0 {
                    add_count(meta, key, *delta)?;
                }
            }

            docs.insert(record.id.as_bytes(), encoded_record.as_slice())?;
            change.generation = bump_generation(meta)?;
            Ok(change)
        });
        let mut change = result.map_err(tx_error)?;
        self.note_document(&record);
        change.old = old;
        Ok(change)
    }

    /// Remove a document and everything only it held.
    pub fn remove_document(&self, id: &str) -> Result<Option<DocumentChange>> {
        let prior = self.prior(id)?;
        let Some(old) = prior.record.clone() else {
            return Ok(None);
        };
        // Writing an empty version releases everything; then drop the record itself.
        let mut empty = old.clone();
        empty.content_hash = String::new();
        let change = self.write_after(
            &DocumentBatch {
                record: empty,
                nodes: Vec::new(),
                edges: Vec::new(),
                aliases: Vec::new(),
            },
            prior,
        )?;
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let generation = (&self.docs, &self.meta)
            .transaction(|(docs, meta)| {
                docs.remove(id.as_bytes())?;
                bump_generation(meta)
            })
            .map_err(tx_error)?;
        self.forget_unit_documents();
        Ok(Some(DocumentChange {
            generation,
            ..change
        }))
    }
}

/// Take one hold on an item.
pub(super) fn hold(
    refs: &TransactionalTree,
    key: &[u8],
) -> Result<(), ConflictableTransactionError<Error>> {
    let n = refs.get(key)?.map(|v| keys::read_u64(&v)).unwrap_or(0);
    refs.insert(key, &keys::u64_bytes(n + 1))?;
    Ok(())
}

/// Release one hold on an item; true when nobody holds it any more.
pub(super) fn release(
    refs: &TransactionalTree,
    key: &[u8],
) -> Result<bool, ConflictableTransactionError<Error>> {
    let n = refs.get(key)?.map(|v| keys::read_u64(&v)).unwrap_or(0);
    if n <= 1 {
        refs.remove(key)?;
        Ok(true)
    } else {
        refs.insert(key, &keys::u64_bytes(n - 1))?;
        Ok(false)
    }
}

/// Drops one document's hold on an edge and, when no document holds it any more, the edge
/// itself (both directions). True when it was removed.
pub(super) fn release_edge(
    refs: &TransactionalTree,
    out: &TransactionalTree,
    inn: &TransactionalTree,
    (s, l, d): &EdgeKey,
) -> Result<bool, ConflictableTransactionError<Error>> {
    if !release(refs, &keys::edge_ref(s, *l, d))? {
        return Ok(false);
    }
    out.remove(keys::edge(s, *l, d))?;
    inn.remove(keys::edge(d, *l, s))?;
    Ok(true)
}

/// Stores one edge of a document: a hold on it when the document did not hold it before
/// (`take_hold`), its props when they changed, its reverse key when it is new to the store.
/// True when it is new.
pub(super) fn put_edge(
    refs: &TransactionalTree,
    out: &TransactionalTree,
    inn: &TransactionalTree,
    (s, l, d): &EdgeKey,
    props: &[u8],
    take_hold: bool,
) -> Result<bool, ConflictableTransactionError<Error>> {
    if take_hold {
        hold(refs, &keys::edge_ref(s, *l, d))?;
    }
    let key = keys::edge(s, *l, d);
    let stored = out.get(&key)?;
    if stored.as_deref() != Some(props) {
        out.insert(key, props)?;
    }
    if stored.is_none() {
        inn.insert(keys::edge(d, *l, s), &[] as &[u8])?;
    }
    Ok(stored.is_none())
}

/// Stores one (normalised name, node id) entry of a document: a hold on it when the
/// document did not hold it before (`take_hold`), both name keys when new to the store.
pub(super) fn put_name(
    refs: &TransactionalTree,
    names: &TransactionalTree,
    node_names: &TransactionalTree,
    name: &str,
    id: &str,
    take_hold: bool,
    change: &mut DocumentChange,
) -> Result<(), ConflictableTransactionError<Error>> {
    if take_hold {
        hold(refs, &keys::name_ref(name, id))?;
    }
    let key = keys::name(name, id);
    if names.get(&key)?.is_none() {
        names.insert(key, &[] as &[u8])?;
        node_names.insert(keys::name(id, name), &[] as &[u8])?;
        change.added_names.push((name.to_string(), id.to_string()));
    }
    Ok(())
}

/// Drops one document's hold on a name entry and, when nobody holds it any more, the entry.
pub(super) fn release_name(
    refs: &TransactionalTree,
    names: &TransactionalTree,
    node_names: &TransactionalTree,
    name: &str,
    id: &str,
    change: &mut DocumentChange,
) -> Result<(), ConflictableTransactionError<Error>> {
    if release(refs, &keys::name_ref(name, id))? {
        names.remove(keys::name(name, id))?;
        node_names.remove(keys::name(id, name))?;
        change
            .removed_names
            .push((name.to_string(), id.to_string()));
    }
    Ok(())
}

pub(super) fn add_count(
    meta: &TransactionalTree,
    key: &[u8],
    delta: i64,
) -> Result<(), ConflictableTransactionError<Error>> {
    let n = meta.get(key)?.map(|v| keys::read_u64(&v)).unwrap_or(0) as i64;
    meta.insert(key, &keys::u64_bytes((n + delta).max(0) as u64))?;
    Ok(())
}

pub(super) fn bump_generation(
    meta: &TransactionalTree,
) -> Result<u64, ConflictableTransactionError<Error>> {
    let g = meta
        .get(keys::GENERATION)?
        .map(|v| keys::read_u64(&v))
        .unwrap_or(0)
        + 1;
    meta.insert(keys::GENERATION, &keys::u64_bytes(g))?;
    Ok(g)
}

pub(super) fn tx_error(e: TransactionError<Error>) -> Error {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => e.into(),
    }
}
