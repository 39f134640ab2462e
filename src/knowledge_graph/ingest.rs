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
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::KnowledgeGraph;

impl KnowledgeGraph {
    /// Ingest files and folders (recursively; `README.md` files inside folders are the
    /// folders' documentation and are skipped). One bad file never stops the batch.
    pub fn ingest_paths(
        &self,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        let files = pipeline::files_to_ingest(paths, &mut report);
        progress(Progress::Start(files.len()));

        let mut last_generation = None;
        for path in &files {
            let outcome = match self.ingest_file(path) {
                Ok((outcome, generation)) => {
                    last_generation = Some(generation);
                    outcome
                }
                Err(e) => pipeline::failed(path, &pipeline::error_reason(&e)),
            };
            progress(Progress::File(&outcome));
            report.push(outcome);
        }
        if let Some(g) = last_generation {
            // The store durable first: a kill never leaves the index ahead of it.
            self.store.flush()?;
            let mut index = self.write_index();
            if index.generation() != Some(g) {
                index.commit(g)?;
            }
        }
        Ok(report)
    }

    fn ingest_file(&self, path: &Path) -> Result<(DocumentOutcome, u64)> {
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
        // The batch commits the text index once, at its end.
        self.ingest_with(path, &bytes, false)
    }

    /// Ingest one file's bytes (an upload). `name` gives the type by its ending.
    pub fn ingest_bytes(&self, name: &str, bytes: &[u8]) -> Result<DocumentOutcome> {
        let (outcome, _) = self.ingest_with(Path::new(name), bytes, true)?;
        Ok(outcome)
    }

    /// Parse and extract without holding any lock (searches and traces go on meanwhile),
    /// then, holding the text index for writing, write the store, bring the view and the
    /// index along and, if `commit`, commit the index: writers queue one behind the other,
    /// readers wait only for the write itself.
    fn ingest_with(
        &self,
        path: &Path,
        bytes: &[u8],
        commit: bool,
    ) -> Result<(DocumentOutcome, u64)> {
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
            return Ok((outcome, self.store.generation()?));
        }

        let (batch, tokens) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline::build_batch(&self.extractor, &doc_id, &parsed, &hash, path, bytes.len())
        }))
        .map_err(|panic| Error::Ingest {
            path: path.to_path_buf(),
            source: ingest::IngestError::Internal(pipeline::panic_message(&panic)),
        })?;
        let mut index = self.write_index();
        // Its `revises` edges, from the other documents' versions of its documents.
        let mut batch = batch;
        self.add_lineage(&mut batch)?;
        // The user corrections applied here too (under the lock, so an alias added
        // meanwhile is not missed), so the index follows what is written.
        let batch = self.store.corrected(&batch)?;
        // Read before the lock: the store checks it still holds, or reads it again.
        let change = self.write_batch(prior, &batch)?;
        outcome.status = match change.status {
            WriteStatus::Inserted => OutcomeStatus::Inserted,
            WriteStatus::Replaced => OutcomeStatus::Replaced,
            WriteStatus::Unchanged => OutcomeStatus::Unchanged,
        };
        if change.status != WriteStatus::Unchanged {
            outcome.indexed = self.apply_to_index(&mut index, &change, &batch, &tokens)?;
        }
        if commit {
            // The store durable first: a kill never leaves the index ahead of it.
            self.store.flush()?;
            if index.generation() != Some(change.generation) {
                index.commit(change.generation)?;
            }
        }
        drop(index);
        if change.status != WriteStatus::Unchanged {
            // other documents joined or left by the names this one declares
            self.follow_declared(&batch, &change)?;
            // other documents whose versions of the same titles this one adds or drops
            self.follow_lineage(&batch, &change)?;
        }
        Ok((outcome, self.store.generation()?))
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
    /// view's write lock so no query sees the store and the view disagree.
    pub(super) fn write_batch(
        &self,
        prior: Prior,
        batch: &DocumentBatch,
    ) -> Result<DocumentChange> {
        let mut change = {
            let mut graph = self.write_graph();
            let change = self.store.write_after(batch, prior)?;
            super::facade::follow_write(&mut graph, &self.store, &change);
            change
        };
        if change.status != WriteStatus::Unchanged {
            // goals followed across years: this year's links and the next year's
            change.generation =
                self.relink(&batch.record.id, &batch.record.unit, batch.record.year)?;
        }
        Ok(change)
    }
}
