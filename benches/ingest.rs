//! Ingest throughput: the bundled seed and a generated corpus of 1,000 documents, through
//! the whole pipeline (decode, parse, extract, sled transaction, tantivy), against plain
//! jieba-rs segmentation of the same text in the same run.
//!
//! `cargo bench --bench ingest` (writes nothing; paste the table into docs/benchmarks.md).

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use plangraph::extract::Segmenter;
use plangraph::knowledge_graph::KnowledgeGraph;
use std::path::PathBuf;
use std::time::Instant;

fn median_spread(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (xs[xs.len() / 2], xs[0], xs[xs.len() - 1])
}

/// Seconds plain jieba `cut` (HMM on, as extraction uses) takes over `texts`.
fn jieba_seconds(seg: &Segmenter, texts: &[String]) -> f64 {
    let t = Instant::now();
    let mut n = 0usize;
    for text in texts {
        n += seg.jieba().cut(text, true).len();
    }
    std::hint::black_box(n);
    t.elapsed().as_secs_f64()
}

fn run(label: &str, files: &[PathBuf], repeats: usize, on_disk: bool) {
    let seg = Segmenter::shared();
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut ingest_s = Vec::new();
    let mut ratio = Vec::new();
    for _ in 0..repeats {
        let dir = tempfile::tempdir().unwrap();
        let kg = if on_disk {
            KnowledgeGraph::open(dir.path()).unwrap()
        } else {
            KnowledgeGraph::temporary().unwrap()
        };
        let t = Instant::now();
        let report = kg.ingest_paths(files, &mut |_| {}).unwrap();
        let s = t.elapsed().as_secs_f64();
        assert_eq!(report.failed, 0, "{report:?}");
        assert_eq!(report.ingested, files.len());
        let j = jieba_seconds(&seg, &texts);
        ingest_s.push(s);
        ratio.push(j / s);
    }
    let (m, lo, hi) = median_spread(ingest_s);
    let (r, rlo, rhi) = median_spread(ratio);
    let mb = bytes as f64 / 1e6;
    println!(
        "| {label} | {} | {:.2} | {:.1} ({:.1}–{:.1}) | {:.2} ({:.2}–{:.2}) | {:.2} ({:.2}–{:.2}) |",
        files.len(),
        mb,
        files.len() as f64 / m,
        files.len() as f64 / hi,
        files.len() as f64 / lo,
        mb / m,
        mb / hi,
        mb / lo,
        r,
        rlo,
        rhi
    );
}

fn main() {
    println!("| corpus | documents | MB | documents/s median (range) | MB/s median (range) | jieba cut time ÷ ingest time median (range) |");
    println!("|---|---|---|---|---|---|");
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("seeds/qingdao-kejiju-2021-business-goals.txt");
    run(
        "seed, in-memory store",
        std::slice::from_ref(&seed),
        15,
        false,
    );
    let dir = tempfile::tempdir().unwrap();
    let files = corpus::write_corpus(dir.path(), 1000, 7).unwrap();
    run("generated, on-disk store", &files, 5, true);
}
