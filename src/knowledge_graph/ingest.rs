//! The facade's write path: files through the ingest pipeline into the store, then the
//! graph view and the text index brought along.

use crate::error::{Error, Result};
use crate::extract::{GoalTokens, EXTRACTOR_VERSION};
use crate::index::TextIndex;
use crate::ingest;
use crate::model;
use crate::model::NodeKind;
use crate::pipeline::{self, DocumentOutcome, IngestReport, OutcomeStatus, Progress};
use crate::store::{DocumentBatch, DocumentChange, Prior, WriteStatus};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use super::KnowledgeGraph;

/// What follows the writes of a batch of documents, done once at its end: each written
/// document's links to the years before and after it, the lineage of the titles the
/// writes touched, and the documents to read again.
#[derive(Default)]
pub(super) struct AfterWrites {
    /// The documents written: id → (unit, year).
    written: BTreeMap<String, (String, u16)>,
    /// The document nodes the writes named or no longer name.
    titles: BTreeSet<String>,
    /// Documents to extract again from their stored goals (a declared name they were
    /// joined by is gone).
    again: BTreeSet<String>,
}

impl AfterWrites {
    fn is_empty(&self) -> bool {
        self.written.is_empty() && self.again.is_empty()
    }
}

/// A file read, parsed and extracted, ready to be written (or found unchanged).
enum Prepared {
    Unchanged(DocumentOutcome),
    Write(Box<Ready>),
}

struct Ready {
    outcome: DocumentOutcome,
    prior: Prior,
    batch: DocumentBatch,
    tokens: Vec<(String, GoalTokens)>,
}

/// Files parsed and extracted ahead of the writer, at most, per worker.
const AHEAD: usize = 8;

impl KnowledgeGraph {
    /// Ingest files and folders (recursively; `README.md` files inside folders are the
    /// folders' documentation and are skipped). One bad file never stops the batch.
    ///
    /// Files are read, parsed and extracted by workers on every core and written by this
    /// thread in their order, each document in one store write (whole or absent after a
    /// crash); the links between documents are computed once at the end, and the text
    /// index committed once. A batch cut off before its end is finished by the next one.
    pub fn ingest_paths(
        &self,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        let files = pipeline::files_to_ingest(paths, &mut report);
        progress(Progress::Start(files.len()));
        let mut after = self.unfinished()?;
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 8)
            .min(files.len().max(1));
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel::<(usize, Result<Prepared>)>(workers * AHEAD);
            for _ in 0..workers {
                let tx = tx.clone();
                let (next, files) = (&next, &files);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    if tx.send((i, self.prepare_file(path))).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            // written in the files' order, whatever order the workers finish in
            let mut waiting: BTreeMap<usize, Result<Prepared>> = BTreeMap::new();
            let mut want = 0;
            for (i, prepared) in rx {
                waiting.insert(i, prepared);
                while let Some(prepared) = waiting.remove(&want) {
                    let path = &files[want];
                    want += 1;
                    let outcome = match prepared.and_then(|p| self.write_prepared(p, &mut after)) {
                        Ok(outcome) => outcome,
                        Err(e) => pipeline::failed(path, &pipeline::error_reason(&e)),
                    };
                    progress(Progress::File(&outcome));
                    report.push(outcome);
                }
            }
        });
        self.finish(after, progress)?;
        Ok(report)
    }

    /// The documents a batch cut off left without their links, to be finished with this one.
    fn unfinished(&self) -> Result<AfterWrites> {
        let mut after = AfterWrites::default();
        for id in self.store.unlinked()? {
            if let Some(record) = self.store.document(&id)? {
                after.titles.extend(
                    record
                        .nodes
                        .iter()
                        .filter(|n| n.starts_with("document:"))
                        .cloned(),
                );
                after.written.insert(id, (record.unit, record.year));
            }
        }
        Ok(after)
    }

    /// Read, parse and extract one file (a worker's part: no lock held).
    fn prepare_file(&self, path: &Path) -> Result<Prepared> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.len() > ingest::MAX_FILE_BYTES {
            return Err(Error::Ingest {
                path: path.to_path_buf(),
                source: ingest::IngestError::TooLarge {
                    size: meta.len(),
                    limit: ingest::MAX_FILE_BYTES,
                },
            });
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        self.prepare(path, &bytes)
    }

    /// Ingest one file's bytes (an upload). `name` gives the type by its ending.
    pub fn ingest_bytes(&self, name: &str, bytes: &[u8]) -> Result<DocumentOutcome> {
        let mut after = self.unfinished()?;
        let written = self
            .prepare(Path::new(name), bytes)
            .and_then(|p| self.write_prepared(p, &mut after));
        self.finish(after, &mut |_| {})?;
        written
    }

    /// Parse and extract without holding any lock (searches and traces go on meanwhile).
    fn prepare(&self, path: &Path, bytes: &[u8]) -> Result<Prepared> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // A parser bug on one hostile file must fail that file, not the whole batch.
        let parsed = std::panic::catch_unwind(|| ingest::parse_bytes(name, bytes))
            .unwrap_or_else(|panic| {
                Err(ingest::IngestError::Internal(pipeline::panic_message(
                    &panic,
                )))
            })
            .map_err(|source| Error::Ingest {
                path: path.to_path_buf(),
                source,
            })?;
        let doc_id = parsed.id();
        let hash = format!("{:016x}", model::stable_hash(bytes));
        let mut outcome = DocumentOutcome {
            file: path.display().to_string(),
            status: OutcomeStatus::Unchanged,
            document: Some(doc_id.clone()),
            unit: Some(parsed.unit.clone()),
            year: Some(parsed.year),
            title: Some(parsed.title.clone()),
            goals: Some(parsed.goals.len()),
            error: None,
            indexed: 0,
        };

        let prior = self.store.prior(&doc_id)?;
        if prior.is_unchanged(&hash, EXTRACTOR_VERSION) {
            outcome.status = OutcomeStatus::Unchanged;
            return Ok(Prepared::Unchanged(outcome));
        }

        let (batch, tokens) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline::build_batch(&self.extractor, &doc_id, &parsed, &hash, path, bytes.len())
        }))
        .map_err(|panic| Error::Ingest {
            path: path.to_path_buf(),
            source: ingest::IngestError::Internal(pipeline::panic_message(&panic)),
        })?;
        Ok(Prepared::Write(Box::new(Ready {
            outcome,
            prior,
            batch,
            tokens,
        })))
    }

    /// Holding the text index for writing, write one prepared document to the store and
    /// bring the view and the index along (the index not committed): writers queue one
    /// behind the other, readers wait only for the write itself. What follows the write
    /// across documents goes to `after`.
    fn write_prepared(
        &self,
        prepared: Prepared,
        after: &mut AfterWrites,
    ) -> Result<DocumentOutcome> {
        let Ready {
            mut outcome,
            prior,
            mut batch,
            tokens,
        } = match prepared {
            Prepared::Unchanged(outcome) => return Ok(outcome),
            Prepared::Write(ready) => *ready,
        };
        let mut index = self.write_index();
        // Its `revises` edges, from the other documents' versions of its documents.
        self.add_lineage(&mut batch)?;
        // The user corrections applied here too (under the lock, so an alias added
        // meanwhile is not missed), so the index follows what is written.
        let batch = self.store.corrected(&batch)?;
        // noted before the write: a crash after it leaves the links to the next ingest
        self.store.mark_unlinked([batch.record.id.as_str()])?;
        // Read before the lock: the store checks it still holds, or reads it again.
        let change = self.write_batch(prior, &batch)?;
        outcome.status = match change.status {
            WriteStatus::Inserted => OutcomeStatus::Inserted,
            WriteStatus::Replaced => OutcomeStatus::Replaced,
            WriteStatus::Unchanged => OutcomeStatus::Unchanged,
        };
        after.written.insert(
            batch.record.id.clone(),
            (batch.record.unit.clone(), batch.record.year),
        );
        if change.status != WriteStatus::Unchanged {
            outcome.indexed = self.apply_to_index(&mut index, &change, &batch, &tokens)?;
        }
        drop(index);
        if change.status != WriteStatus::Unchanged {
            // other documents joined or left by the names this one declares
            after.again.extend(self.follow_declared(&batch, &change)?);
            // other documents whose versions of the same titles this one adds or drops
            after.titles.extend(Self::lineage_titles(&batch, &change));
        }
        Ok(outcome)
    }

    /// Once a batch is written: read again the documents whose lineage or declared names
    /// it moved, link every written document to the years around it, make the store
    /// durable, then commit the text index (never ahead of the store).
    fn finish(&self, after: AfterWrites, progress: &mut dyn FnMut(Progress<'_>)) -> Result<()> {
        if after.is_empty() {
            return Ok(());
        }
        progress(Progress::Linking(after.written.len()));
        let AfterWrites {
            mut written,
            titles,
            again,
        } = after;
        let drifted = self.lineage_drifted(&titles)?;
        let mut index = self.write_index();
        for doc in &again {
            if let Some((change, unit, year)) = self.read_again(doc, &mut index)? {
                if change.status != WriteStatus::Unchanged {
                    written.insert(doc.clone(), (unit, year));
                }
            }
        }
        // (read again, a document's lineage was computed afresh)
        for doc in drifted.difference(&again) {
            if let Some(unit_year) = self.relineage(doc, &mut index)? {
                written.insert(doc.clone(), unit_year);
            }
        }
        self.relink_all(&written)?;
        self.store.flush()?;
        let generation = self.store.generation()?;
        if index.generation() != Some(generation) {
            index.commit(generation)?;
        }
        self.store
            .clear_unlinked(written.keys().map(String::as_str))?;
        Ok(())
    }

    /// Bring the text index along with one write, from its change record: removed nodes
    /// leave it; goals and targets are indexed when new or rewritten, other nodes when new
    /// or when their name, aliases or kind changed. Returns how many nodes were indexed.
    pub(super) fn apply_to_index(
        &self,
        index: &mut TextIndex,
        change: &DocumentChange,
        batch: &DocumentBatch,
        tokens: &[(String, GoalTokens)],
    ) -> Result<usize> {
        let seg = self.extractor.segmenter().clone();
        for id in &change.removed_nodes {
            index.delete(id)?;
        }
        let added: HashSet<&str> = change
            .added_nodes
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        let updated: HashSet<&str> = change.updated_nodes.iter().map(String::as_str).collect();
        let renamed: HashSet<&str> = change.renamed_nodes.iter().map(String::as_str).collect();
        let names = change.names_changed();
        let tokens: HashMap<&str, &GoalTokens> =
            tokens.iter().map(|(id, t)| (id.as_str(), t)).collect();
        let mut indexed = 0;
        for node in &batch.nodes {
            let id = node.id.as_str();
            let stale = added.contains(id)
                || match node.kind {
                    NodeKind::Goal | NodeKind::Target => updated.contains(id),
                    _ => renamed.contains(id) || names.contains(id),
                };
            if stale {
                self.index_node(index, node, tokens.get(id).copied(), &seg)?;
                indexed += 1;
            }
        }
        // A node this version no longer mentions keeps its place through other documents,
        // but the names the old version gave it are gone.
        let in_batch: HashSet<&str> = batch.nodes.iter().map(|n| n.id.as_str()).collect();
        let removed: HashSet<&str> = change.removed_nodes.iter().map(String::as_str).collect();
        for id in names {
            if !in_batch.contains(id) && !removed.contains(id) {
                if let Some(node) = self.store.node(id)? {
                    self.index_node(index, &node, None, &seg)?;
                    indexed += 1;
                }
            }
        }
        Ok(indexed)
    }

    /// Write one document's batch to the store and bring the graph view along, under the
    /// view's write lock so no query sees the store and the view disagree. Its links to
    /// other years are left to the caller ([`Self::relink_all`]).
    pub(super) fn write_batch(
        &self,
        prior: Prior,
        batch: &DocumentBatch,
    ) -> Result<DocumentChange> {
        let mut graph = self.write_graph();
        let change = self.store.write_after(batch, prior)?;
        super::facade::follow_write(&mut graph, &self.store, &change);
        Ok(change)
    }
}
