//! The graph view behind the facade: built on the first graph query (or read from its
//! snapshot), shared by readers, saved when it moved on.

use crate::error::Result;
use crate::graph::GraphView;

use super::KnowledgeGraph;

impl KnowledgeGraph {
    /// Run `f` on the graph view, building it first when there is none or when the store
    /// moved on without it (a write behind the facade). Holds the view's read lock while
    /// `f` runs, so `f` sees no half-applied document.
    pub(super) fn with_graph<T>(&self, f: impl FnOnce(&GraphView) -> Result<T>) -> Result<T> {
        {
            let guard = self.read_graph();
            if let Some(view) = guard.as_ref() {
                if view.generation() == self.store.generation()? {
                    return f(view);
                }
            }
        }
        let mut guard = self.write_graph();
        let generation = self.store.generation()?;
        if guard.as_ref().is_none_or(|v| v.generation() != generation) {
            *guard = Some(self.load_or_build_view()?);
        }
        let view = guard.as_ref().expect("built above");
        f(view)
    }

    /// The snapshot when it matches the store, else a build from the store (then saved).
    fn load_or_build_view(&self) -> Result<GraphView> {
        if let Some(path) = &self.snapshot {
            if let Some(view) = GraphView::load(path, &self.store) {
                *self.lock_saved() = Some(view.generation());
                return Ok(view);
            }
        }
        let view = GraphView::build(&self.store)?;
        self.save_view(&view);
        Ok(view)
    }

    /// Save the view's snapshot unless the one on disk is already of its generation.
    /// Failing to save costs only a slower next start: logged, not returned.
    fn save_view(&self, view: &GraphView) -> bool {
        let Some(path) = &self.snapshot else {
            return false;
        };
        let mut saved = self.lock_saved();
        if *saved == Some(view.generation()) {
            return false;
        }
        match view.save(path) {
            Ok(()) => {
                *saved = Some(view.generation());
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not save the graph view snapshot");
                false
            }
        }
    }

    fn lock_saved(&self) -> std::sync::MutexGuard<'_, Option<u64>> {
        self.saved_generation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Build the graph view now (a server does this at start-up, so the first query does
    /// not wait), from its snapshot when that is current. Returns the number of nodes and
    /// edges in it.
    pub fn warm_graph(&self) -> Result<(usize, usize)> {
        self.with_graph(|v| Ok((v.node_count(), v.edge_count())))
    }

    /// After a write (a server calls this once an upload or an alias change is answered):
    /// recompute on another thread what the next `rank` would otherwise compute while its
    /// caller waits (the ranking over the whole graph, the class nodes), for the store's
    /// newest version. Writes during the recompute are caught up with by the same thread;
    /// at most one such thread runs.
    pub fn rewarm(self: &std::sync::Arc<Self>) {
        use std::sync::atomic::Ordering::SeqCst;
        if self.rewarming.swap(true, SeqCst) {
            return;
        }
        let kg = self.clone();
        let work = move || loop {
            let before = kg.store.generation().ok();
            if let Err(e) = kg.with_graph(|v| v.warm_rank(&kg.store)) {
                tracing::warn!(error = %e, "could not rank the graph after a write");
            }
            kg.rewarming.store(false, SeqCst);
            // (a write since: go again, unless its own call started a thread)
            if kg.store.generation().ok() == before || kg.rewarming.swap(true, SeqCst) {
                break;
            }
        };
        let spawned = std::thread::Builder::new()
            .name("rank-after-write".into())
            .spawn(work);
        if let Err(e) = spawned {
            self.rewarming.store(false, SeqCst);
            tracing::warn!(error = %e, "could not start ranking after a write");
        }
    }

    /// Save the graph view's snapshot if documents were added since the last one, so the
    /// next start reads it instead of scanning the store. A server calls this when it
    /// stops. Returns whether it wrote one.
    pub fn save_graph(&self) -> Result<bool> {
        let guard = self.read_graph();
        match guard.as_ref() {
            Some(view) if view.generation() == self.store.generation()? => Ok(self.save_view(view)),
            _ => Ok(false),
        }
    }
}

impl KnowledgeGraph {
    /// [`KnowledgeGraph::ingest_paths`] with the graph view kept along and its snapshot
    /// saved at the end, so a server started on the folder next reads the snapshot
    /// instead of building the view from the store. The view comes from its snapshot (or
    /// is built, once, when there is none) before the first write and follows each write;
    /// failing to keep it costs only a slower next start.
    pub fn ingest_keeping_view(
        &self,
        paths: &[std::path::PathBuf],
        progress: &mut dyn FnMut(super::Progress<'_>),
    ) -> Result<super::IngestReport> {
        if self.snapshot.is_some() {
            if let Err(e) = self.warm_graph() {
                tracing::warn!(error = %e, "could not read the graph view before ingesting");
            }
        }
        let report = self.ingest_paths(paths, progress)?;
        if let Err(e) = self.save_graph() {
            tracing::warn!(error = %e, "could not save the graph view snapshot");
        }
        Ok(report)
    }
}
