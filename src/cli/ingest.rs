//! `ingest`: the progress bar and the summary on stderr.

use crate::error::Result;
use crate::knowledge_graph::{
    DocumentOutcome, IngestReport, KnowledgeGraph, OutcomeStatus, Progress,
};

use super::remote::Graph;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Ingest into the store itself (the default command, before it serves).
pub(super) fn ingest_local(kg: &KnowledgeGraph, paths: &[PathBuf]) -> Result<IngestReport> {
    with_progress(|progress| kg.ingest_keeping_view(paths, progress))
}

/// Ingest through whatever holds the folder: the store, or the server that owns it.
pub(super) fn ingest_with_progress(g: &Graph, paths: &[PathBuf]) -> Result<IngestReport> {
    with_progress(|progress| g.ingest_paths(paths, progress))
}

/// Run an ingest with a progress bar on a terminal (hidden otherwise).
fn with_progress(
    ingest: impl FnOnce(&mut dyn FnMut(Progress)) -> Result<IngestReport>,
) -> Result<IngestReport> {
    let bar = indicatif::ProgressBar::new(0);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {per_sec} {wide_msg}")
            .expect("static template"),
    );
    let report = ingest(&mut |p| match p {
        Progress::Start(n) => bar.set_length(n as u64),
        Progress::File(o) => {
            bar.set_message(o.file.clone());
            bar.inc(1);
        }
        Progress::Linking(n) => {
            bar.set_message(format!("linking {n} documents to the years around them"))
        }
    })?;
    bar.finish_and_clear();
    Ok(report)
}

pub(super) fn print_summary(report: &IngestReport) {
    for f in report
        .files
        .iter()
        .filter(|f| f.status == OutcomeStatus::Failed)
    {
        eprintln!(
            "failed: {}: {}",
            f.file,
            f.error.as_deref().unwrap_or("unknown error")
        );
    }
    for f in report
        .files
        .iter()
        .filter(|f| f.status != OutcomeStatus::Failed)
    {
        eprintln!("{}: {}{}", f.status, f.file, describe(f));
    }
    eprintln!(
        "{} ingested, {} unchanged, {} failed",
        report.ingested, report.unchanged, report.failed
    );
}

fn describe(f: &DocumentOutcome) -> String {
    match (&f.unit, f.year, f.goals) {
        (Some(u), Some(y), Some(g)) => format!(" ({u} {y}, {g} goals)"),
        _ => String::new(),
    }
}
