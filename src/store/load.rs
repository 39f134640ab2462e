//! Loading a whole graph into an empty store (import, restore): nodes, edges and document
//! records are written as they stream in, then every reference count, counter and name
//! entry is derived from the documents, so the loaded store is the one that was exported.

use super::{decode, edge_value, keys, DocumentRecord, GraphStore, T_DOCS};
use crate::error::{Error, Result};
use crate::model::{normalize_name, Edge, Node};
use std::collections::BTreeMap;

/// A load in progress; see [`GraphStore::bulk_load`].
pub struct BulkLoad<'a> {
    store: &'a GraphStore,
    _writes: std::sync::MutexGuard<'a, ()>,
    counts: BTreeMap<Vec<u8>, u64>,
    documents: u64,
}

/// What a load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LoadCounts {
    pub nodes: u64,
    pub edges: u64,
    pub documents: u64,
}

impl GraphStore {
    /// Start loading a graph into this store, which must hold nothing yet. Writes by others
    /// wait until the load is finished or dropped.
    pub fn bulk_load(&self) -> Result<BulkLoad<'_>> {
        let writes = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        if !self.docs.is_empty() || !self.nodes.is_empty() || !self.out.is_empty() {
            return Err(Error::NotEmpty {
                path: self.path.clone().unwrap_or_default(),
                what: "the store already holds a graph",
            });
        }
        Ok(BulkLoad {
            store: self,
            _writes: writes,
            counts: BTreeMap::new(),
            documents: 0,
        })
    }

    /// Hold off every write while `f` reads the store, so what it reads is one consistent
    /// state (an export or backup taken while a server accepts uploads).
    pub fn without_writes<T>(&self, f: impl FnOnce(&GraphStore) -> T) -> T {
        let _writes = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        f(self)
    }
}

impl BulkLoad<'_> {
    /// Add a node; a second node with the same id is an error.
    pub fn node(&mut self, node: &Node) -> Result<()> {
        let bytes = serde_json::to_vec(node)?;
        if self
            .store
            .nodes
            .insert(node.id.as_bytes(), bytes)?
            .is_some()
        {
            return Err(bad(format!("node {} appears twice", node.id)));
        }
        *self
            .counts
            .entry(keys::node_count(node.kind.as_str()))
            .or_default() += 1;
        Ok(())
    }

    /// Add an edge; both endpoints must already be loaded.
    pub fn edge(&mut self, edge: &Edge) -> Result<()> {
        for end in [&edge.source, &edge.target] {
            if !self.store.nodes.contains_key(end.as_bytes())? {
                return Err(bad(format!(
                    "edge {} {} {}: node {end} is not among the nodes before it",
                    edge.source, edge.label, edge.target
                )));
            }
        }
        let key = keys::edge(&edge.source, edge.label, &edge.target);
        let props = edge_value::encode(&edge.props, &edge.source, &edge.target, |id| {
            self.store.goal_text(id)
        })?;
        if self.store.out.insert(key, props)?.is_some() {
            return Err(bad(format!(
                "edge {} {} {} appears twice",
                edge.source, edge.label, edge.target
            )));
        }
        self.store.inn.insert(
            keys::edge(&edge.target, edge.label, &edge.source),
            &[] as &[u8],
        )?;
        *self
            .counts
            .entry(keys::edge_count(edge.label.as_str()))
            .or_default() += 1;
        Ok(())
    }

    /// Add a document record: it holds the nodes, edges and names it lists, which must be
    /// loaded already (names are written here).
    pub fn document(&mut self, record: &DocumentRecord) -> Result<()> {
        let s = self.store;
        let missing = |what: String| {
            bad(format!(
                "document {} holds {what}, which is not among the lines before it",
                record.id
            ))
        };
        for id in &record.nodes {
            if !s.nodes.contains_key(id.as_bytes())? {
                return Err(missing(format!("node {id}")));
            }
            hold(&s.refs, &keys::node_ref(id))?;
        }
        for (src, label, dst) in &record.edges {
            if !s.out.contains_key(keys::edge(src, *label, dst))? {
                return Err(missing(format!("edge {src} {label} {dst}")));
            }
            hold(&s.refs, &keys::edge_ref(src, *label, dst))?;
        }
        for (name, id) in &record.names {
            if !s.nodes.contains_key(id.as_bytes())? {
                return Err(missing(format!("the name {name} of node {id}")));
            }
            if normalize_name(name) != *name {
                return Err(bad(format!(
                    "document {}: name {name} is not normalised",
                    record.id
                )));
            }
            hold(&s.refs, &keys::name_ref(name, id))?;
            s.names.insert(keys::name(name, id), &[] as &[u8])?;
            s.node_names.insert(keys::name(id, name), &[] as &[u8])?;
        }
        let bytes = serde_json::to_vec(record)?;
        if s.docs.insert(record.id.as_bytes(), bytes)?.is_some() {
            return Err(bad(format!("document {} appears twice", record.id)));
        }
        self.documents += 1;
        Ok(())
    }

    /// Write the counters and the generation, make it durable, and check the store's
    /// invariants ([`GraphStore::verify_links`]; the reference counts hold by
    /// construction): nodes no document holds are an error.
    pub fn finish(self) -> Result<LoadCounts> {
        let s = self.store;
        s.forget_unit_documents();
        let mut loaded = LoadCounts {
            documents: self.documents,
            ..LoadCounts::default()
        };
        for (key, n) in &self.counts {
            s.meta.insert(key.as_slice(), &keys::u64_bytes(*n))?;
            if key.starts_with(keys::COUNT_NODE_PREFIX) {
                loaded.nodes += n;
            } else {
                loaded.edges += n;
            }
        }
        // One generation per loaded document, as if each had been written once.
        s.meta
            .insert(keys::GENERATION, &keys::u64_bytes(self.documents.max(1)))?;
        s.db.flush()?;
        let (mut unheld, mut first) = (0u64, None);
        for r in s.nodes.iter() {
            let (k, _) = r?;
            let id = String::from_utf8_lossy(&k).into_owned();
            if !s.refs.contains_key(keys::node_ref(&id))? {
                unheld += 1;
                first.get_or_insert(id);
            }
        }
        if let Some(first) = first {
            return Err(bad(format!(
                "{unheld} nodes are held by no document (first: {first})"
            )));
        }
        // The reference counts were derived from the documents above, each item checked
        // to exist as it was held; what is left to check needs no table of every
        // reference in memory (`verify` builds one), so a load of any size stays bounded.
        let problems = s.verify_links()?;
        if let Some(first) = problems.first() {
            return Err(Error::Corrupt {
                tree: T_DOCS,
                reason: format!("the loaded graph is inconsistent: {first}"),
            });
        }
        // Read one record back: what was written decodes.
        if let Some(r) = s.docs.iter().next() {
            let (_, v) = r?;
            decode::<DocumentRecord>(T_DOCS, &v)?;
        }
        Ok(loaded)
    }
}

fn hold(refs: &sled::Tree, key: &[u8]) -> Result<()> {
    let n = refs.get(key)?.map(|v| keys::read_u64(&v)).unwrap_or(0);
    refs.insert(key, &keys::u64_bytes(n + 1))?;
    Ok(())
}

/// A load error; the importer adds the file and line.
fn bad(reason: String) -> Error {
    Error::Load {
        path: Default::default(),
        line: None,
        reason,
    }
}
