//! The store's self-check: every invariant, by a full scan.

use super::{keys, GraphStore};
use crate::error::Result;
use crate::model::{EdgeLabel, NodeKind};
use std::collections::BTreeMap;

impl GraphStore {
    /// Check every invariant of the store with a full scan; returns the problems found
    /// (none for a healthy store). Documents' items exist, reference counts equal the
    /// number of documents holding each item, both edge directions agree, every edge
    /// endpoint exists, and the counters match the data.
    pub fn verify(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut holders: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
        for doc in self.documents() {
            let doc = doc?;
            for id in &doc.nodes {
                *holders.entry(keys::node_ref(id)).or_default() += 1;
                if !self.nodes.contains_key(id.as_bytes())? {
                    problems.push(format!("document {}: node {id} missing", doc.id));
                }
            }
            for (s, l, t) in &doc.edges {
                *holders.entry(keys::edge_ref(s, *l, t)).or_default() += 1;
                if !self.out.contains_key(keys::edge(s, *l, t))? {
                    problems.push(format!("document {}: edge {s} {l} {t} missing", doc.id));
                }
            }
            for (name, id) in &doc.names {
                *holders.entry(keys::name_ref(name, id)).or_default() += 1;
                if !self.names.contains_key(keys::name(name, id))? {
                    problems.push(format!("document {}: name {name} → {id} missing", doc.id));
                }
            }
        }
        let mut refs = BTreeMap::new();
        for r in self.refs.iter() {
            let (k, v) = r?;
            refs.insert(k.to_vec(), keys::read_u64(&v));
        }
        if refs != holders {
            problems.push(format!(
                "reference counts disagree with documents ({} counted, {} held)",
                refs.len(),
                holders.len()
            ));
        }
        problems.extend(self.verify_links()?);
        Ok(problems)
    }

    /// The invariants [`GraphStore::verify`] checks besides the reference counts, in memory
    /// bounded whatever the store's size (one scan of nodes, one of edges): every edge's
    /// endpoints exist, both edge directions agree, and the counters match the data.
    pub fn verify_links(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut node_counts: BTreeMap<NodeKind, u64> = BTreeMap::new();
        for n in self.nodes() {
            *node_counts.entry(n?.kind).or_default() += 1;
        }
        let mut edge_counts: BTreeMap<EdgeLabel, u64> = BTreeMap::new();
        for e in self.edges() {
            let e = e?;
            *edge_counts.entry(e.label).or_default() += 1;
            for end in [&e.source, &e.target] {
                if !self.nodes.contains_key(end.as_bytes())? {
                    problems.push(format!(
                        "edge {} {} {}: node {end} missing",
                        e.source, e.label, e.target
                    ));
                }
            }
            if !self
                .inn
                .contains_key(keys::edge(&e.target, e.label, &e.source))?
            {
                problems.push(format!(
                    "edge {} {} {}: reverse entry missing",
                    e.source, e.label, e.target
                ));
            }
        }
        if self.inn.len() != self.out.len() {
            problems.push(format!(
                "{} forward edges but {} reverse entries",
                self.out.len(),
                self.inn.len()
            ));
        }
        let stats = self.stats()?;
        if stats.nodes != node_counts || stats.edges != edge_counts {
            problems.push("node or edge counters disagree with the data".to_string());
        }
        Ok(problems)
    }
}
