//! Output into a pipe whose reader stops early (`plangraph … | head -1`): the command ends
//! quietly with exit 0, as ripgrep and the standard tools do.

use crate::corpus;
use plangraph::knowledge_graph::KnowledgeGraph;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// A data folder holding enough generated documents that the output below is far larger
/// than a pipe's buffer (so the program is still writing when the reader goes away).
fn data_with_corpus(root: &Path) -> std::path::PathBuf {
    let files = corpus::write_corpus(&root.join("docs"), 60, 5).unwrap();
    let data = root.join("data");
    let kg = KnowledgeGraph::open(&data).unwrap();
    let report = kg.ingest_paths(&files, &mut |_| {}).unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    data
}

/// Run `plangraph --data DATA args…`, read the first line of its output, close the pipe,
/// and return (first line, exit code, stderr).
fn first_line_then_close(data: &Path, args: &[&str]) -> (String, Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plangraph"))
        .arg("--data")
        .arg(data)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    {
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut line).unwrap();
    } // the reader goes away here, as `head -1` does
    let output = child.wait_with_output().unwrap();
    (
        line,
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn output_into_a_closed_pipe_ends_quietly_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_with_corpus(dir.path());

    // The whole output really is larger than a pipe holds.
    let full = Command::new(env!("CARGO_BIN_EXE_plangraph"))
        .arg("--data")
        .arg(&data)
        .args(["export", "--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(full.status.code(), Some(0));
    assert!(full.stdout.len() > 1 << 20, "{} bytes", full.stdout.len());

    for args in [
        &["search", "海洋", "--limit", "1000"][..],
        &["search", "海洋", "--limit", "1000", "--json"][..],
        &["export", "--format", "jsonl"][..],
    ] {
        let (line, code, stderr) = first_line_then_close(&data, args);
        assert!(!line.is_empty(), "{args:?}: no output");
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}
