//! Walking: the files and folders named to an ingest, to the list of files to read.

use crate::ingest;
use std::path::{Path, PathBuf};

use super::report::{failed, IngestReport};

/// The files to ingest from `paths`: files as given, folders walked recursively in name
/// order (hidden entries skipped; a `README.md` inside a folder is the folder's
/// documentation, not a document). What cannot be walked is reported as failed.
pub fn files_to_ingest(paths: &[PathBuf], report: &mut IngestReport) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            for entry in walkdir::WalkDir::new(p)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
            {
                match entry {
                    Ok(e) if e.file_type().is_file() && ingest::is_supported(e.path()) => {
                        let readme = e
                            .file_name()
                            .to_str()
                            .is_some_and(|n| n.eq_ignore_ascii_case("readme.md"));
                        if !readme {
                            files.push(e.into_path());
                        }
                    }
                    Ok(_) => {}
                    Err(e) => report.push(failed(
                        &e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone()),
                        &e.to_string(),
                    )),
                }
            }
        } else {
            match std::fs::metadata(p) {
                Ok(_) => files.push(p.clone()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    report.push(failed(p, "no such file or folder"))
                }
                // A symlink loop, a path through a file, a folder not searchable.
                Err(e) => report.push(failed(p, &e.to_string())),
            }
        }
    }
    files
}
