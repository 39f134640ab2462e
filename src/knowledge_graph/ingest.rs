//! The facade's write path: files through the ingest pipeline into the store, then the
//! graph view and the text index brought along.

use crate::error::{Error, Result};
use crate::extract::{GoalTokens, EXTRACTOR_VERSION};
use crate::index::TextIndex;
use crate::ingest;
use crate::model;
use crate::pipeline::{self, DocumentOutcome, IngestReport, OutcomeStatus, Progress};
use crate::store::{DocumentBatch, DocumentRecord, WriteOutcome, WriteStatus};
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

        let mut index = self.write_index();
        let mut last_generation = None;
        for path in &files {
            let outcome = match self.ingest_file(path, &mut index) {
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
            if index.generation() != Some(g) {
                index.commit(g)?;
            }
            self.store.flush()?;
        }
        Ok(report)
    }

    fn ingest_file(&self, path: &Path, index: &mut TextIndex) -> Result<(DocumentOutcome, u64)> {
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
        self.ingest_with(path, &bytes, index)
    }

    /// Ingest one file's bytes (an upload). `name` gives the type by its ending.
    pub fn ingest_bytes(&self, name: &str, bytes: &[u8]) -> Result<DocumentOutcome> {
        let mut index = self.write_index();
        let (outcome, generation) = self.ingest_with(Path::new(name), bytes, &mut index)?;
        if index.generation() != Some(generation) {
            index.commit(generation)?;
        }
        self.store.flush()?;
        Ok(outcome)
    }

    fn ingest_with(
        &self,
        path: &Path,
        bytes: &[u8],
        index: &mut TextIndex,
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
        };

        let old = self.store.document(&doc_id)?;
        if let Some(old) = &old {
            if old.content_hash == hash && old.extractor_version == EXTRACTOR_VERSION {
                outcome.status = OutcomeStatus::Unchanged;
                return Ok((outcome, self.store.generation()?));
            }
        }

        let (batch, tokens) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline::build_batch(&self.extractor, &doc_id, &parsed, &hash, path, bytes.len())
        }))
        .map_err(|panic| Error::Ingest {
            path: path.to_path_buf(),
            source: ingest::IngestError::Internal(pipeline::panic_message(&panic)),
        })?;
        let written = self.write_batch(old.as_ref(), &batch)?;
        outcome.status = match written.status {
            WriteStatus::Inserted => OutcomeStatus::Inserted,
            WriteStatus::Replaced => OutcomeStatus::Replaced,
            WriteStatus::Unchanged => OutcomeStatus::Unchanged,
        };
        if written.status != WriteStatus::Unchanged {
            let seg = self.extractor.segmenter().clone();
            for id in &written.removed_nodes {
                index.delete(id)?;
            }
            let tokens: std::collections::HashMap<&str, &GoalTokens> =
                tokens.iter().map(|(id, t)| (id.as_str(), t)).collect();
            for node in &batch.nodes {
                let t = tokens.get(node.id.as_str()).copied();
                self.index_node(index, node, t, &seg)?;
            }
        }
        Ok((outcome, written.generation))
    }

    /// Write one document's batch to the store and bring the graph view along, under the
    /// view's write lock so no query sees the store and the view disagree.
    fn write_batch(
        &self,
        old: Option<&DocumentRecord>,
        batch: &DocumentBatch,
    ) -> Result<WriteOutcome> {
        let mut graph = self.write_graph();
        let written = self.store.write_document(batch)?;
        if let Some(view) = graph.as_mut() {
            if !matches!(view.apply(&self.store, old, batch, &written), Ok(true)) {
                // Missed a write, or could not read the store: rebuild on the next query.
                *graph = None;
            }
        }
        Ok(written)
    }
}
