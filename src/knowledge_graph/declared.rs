//! After a write, the other documents that names declared by it join or leave: a new
//! short form or former name (`崂山实验室（原X）`) joins the entities other documents wrote
//! under that name to its node (their documents are written again, corrected), and a
//! declaration the document no longer makes undoes the joins it made (those documents
//! are read again from their stored goals).

use crate::error::Result;
use crate::index::TextIndex;
use crate::model::Goal;
use crate::pipeline;
use crate::store::{DocumentBatch, DocumentChange, WriteStatus};
use std::collections::BTreeSet;

use super::KnowledgeGraph;

impl KnowledgeGraph {
    /// Bring the other documents along with the names `batch` (just written, with its
    /// `change`) declares: the joins are written at once; the documents whose joins a
    /// name it no longer declares undoes are returned, to be read again
    /// ([`Self::read_again`]) once the batch is written.
    pub(super) fn follow_declared(
        &self,
        batch: &DocumentBatch,
        change: &DocumentChange,
    ) -> Result<BTreeSet<String>> {
        // joins: entities elsewhere whose own name this batch now gives one of its nodes
        let mut apart = BTreeSet::new();
        for (name, id) in &batch.aliases {
            for other in self.store.named_apart(name, id)? {
                apart.insert(other);
            }
        }
        if !apart.is_empty() {
            self.rewrite_documents(&apart, &[], false)?;
        }
        // leaves: joins made by a name this document gave and gives no more
        let mut stale = BTreeSet::new();
        let mut scanned = None;
        // the names the old version gave and this one does not (still held elsewhere or not)
        let now: BTreeSet<(String, String)> = self
            .store
            .document(&batch.record.id)?
            .map(|r| r.names.into_iter().collect())
            .unwrap_or_default();
        let dropped: Vec<&(String, String)> = change
            .old
            .iter()
            .flat_map(|o| &o.names)
            .filter(|n| !now.contains(*n))
            .collect();
        for (name, id) in dropped {
            let holders = self.store.name_holders(name, id)?;
            if holders == 0 {
                continue;
            }
            let records = match &scanned {
                Some(r) => r,
                None => {
                    let mut all = Vec::new();
                    for r in self.store.documents() {
                        let r = r?;
                        if !r.joined.is_empty() && r.id != batch.record.id {
                            all.push(r);
                        }
                    }
                    scanned.insert(all)
                }
            };
            let joined: Vec<&str> = records
                .iter()
                .filter(|r| r.joined.iter().any(|(n, i)| n == name && i == id))
                .map(|r| r.id.as_str())
                .collect();
            // another document that still declares it keeps the joins
            if !joined.is_empty() && holders as usize <= joined.len() {
                stale.extend(joined.into_iter().map(str::to_string));
            }
        }
        Ok(stale)
    }

    /// Extract a stored document again from its stored goals and write it (corrected), as
    /// an ingest of its unchanged file would, bringing `index` along (not committed: the
    /// batch commits it). Its links to other years are left to the caller. Returns the
    /// change and the document's unit and year; `None` when the document is gone.
    pub(super) fn read_again(
        &self,
        doc_id: &str,
        index: &mut TextIndex,
    ) -> Result<Option<(DocumentChange, String, u16)>> {
        let Some(mut record) = self.store.document(doc_id)? else {
            return Ok(None);
        };
        let mut goals = Vec::with_capacity(record.goals.len());
        for id in &record.goals {
            if let Some(g) = self.store.node(id)?.as_ref().and_then(Goal::from_node) {
                goals.push(g);
            }
        }
        let (nodes, edges, aliases, tokens, goal_ids) =
            pipeline::assemble(&self.extractor, doc_id, &record.unit, &goals);
        record.goals = goal_ids;
        record.joined.clear();
        let mut batch = DocumentBatch {
            record,
            nodes,
            edges,
            aliases,
        };
        self.add_lineage(&mut batch)?;
        let batch = self.store.corrected(&batch)?.into_owned();
        let prior = self.store.prior(doc_id)?;
        let change = self.write_batch(prior, &batch)?;
        if change.status != WriteStatus::Unchanged {
            self.apply_to_index(index, &change, &batch, &tokens)?;
        }
        Ok(Some((change, batch.record.unit, batch.record.year)))
    }
}
