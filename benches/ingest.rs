//! Ingest throughput: the bundled seed and a generated corpus of 1,000 documents, through
//! the whole pipeline (decode, parse, extract, sled transaction, tantivy), against plain
//! jieba-rs segmentation of the same text in the same run.
//!
//! `cargo bench --bench ingest` (writes nothing; paste the table into docs/benchmarks.md).
//!
//! `PLANGRAPH_BENCH_STAGES=1` adds where the time goes on the generated corpus, per
//! document: parsing (decode and layout), extraction, the text index (upsert every goal
//! and entity into a fresh on-disk index, one commit), each stage run alone over every
//! file, and the rest of the whole ingest (the sled write and the graph view) as the
//! whole run's time less those three.

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use plangraph::extract::{Extractor, Segmenter};
use plangraph::index::TextIndex;
use plangraph::ingest;
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::NodeKind;
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

fn run(label: &str, files: &[PathBuf], repeats: usize, on_disk: bool) -> Vec<f64> {
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
    let (m, lo, hi) = median_spread(ingest_s.clone());
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
    ingest_s
}

/// Seconds of each stage alone over `files`: parse, extract, index.
fn stage_seconds(files: &[PathBuf]) -> [f64; 3] {
    let seg = Segmenter::shared();
    let extractor = Extractor::new(seg.clone());
    let bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(f).unwrap())
        })
        .collect();
    let t = Instant::now();
    let parsed: Vec<_> = bytes
        .iter()
        .map(|(name, b)| ingest::parse_bytes(name, b).unwrap())
        .collect();
    let parse = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut found = Vec::new();
    for doc in &parsed {
        let id = doc.id();
        for goal in doc.goal_nodes() {
            let x = extractor.extract_goal(&id, &goal);
            found.push((goal, x));
        }
    }
    let extract = t.elapsed().as_secs_f64();
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let mut index = TextIndex::open(dir.path(), seg).unwrap();
    for (goal, x) in &found {
        index.upsert_goal(goal, &x.tokens).unwrap();
        for node in x.nodes.iter().filter(|n| n.kind != NodeKind::Target) {
            index.upsert_entity(node, &[]).unwrap();
        }
    }
    index.commit(1).unwrap();
    let index_s = t.elapsed().as_secs_f64();
    [parse, extract, index_s]
}

/// `PLANGRAPH_BENCH_STAGES=1`: milliseconds a document per stage, median (range) of
/// `repeats` runs, beside the whole ingest's runs.
fn stages(files: &[PathBuf], whole: &[f64], repeats: usize) {
    let n = files.len() as f64;
    let runs: Vec<[f64; 3]> = (0..repeats).map(|_| stage_seconds(files)).collect();
    let cell = |xs: Vec<f64>| {
        let (m, lo, hi) = median_spread(xs.iter().map(|x| x * 1e3 / n).collect());
        format!("{m:.2} ({lo:.2}–{hi:.2})")
    };
    let parse: Vec<f64> = runs.iter().map(|r| r[0]).collect();
    let extract: Vec<f64> = runs.iter().map(|r| r[1]).collect();
    let index: Vec<f64> = runs.iter().map(|r| r[2]).collect();
    let (whole_m, _, _) = median_spread(whole.to_vec());
    let (p, _, _) = median_spread(parse.clone());
    let (e, _, _) = median_spread(extract.clone());
    let (i, _, _) = median_spread(index.clone());
    println!();
    println!("| ms a document ({} documents) | parse | extract | text index | rest: store write, graph view (whole − the three, medians) | whole ingest |", files.len());
    println!("|---|---|---|---|---|---|");
    println!(
        "| median (range) of {repeats} runs | {} | {} | {} | {:.2} | {} |",
        cell(parse),
        cell(extract),
        cell(index),
        (whole_m - p - e - i) * 1e3 / n,
        cell(whole.to_vec())
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
    let whole = run("generated, on-disk store", &files, 5, true);
    if std::env::var("PLANGRAPH_BENCH_STAGES").is_ok_and(|v| v == "1") {
        stages(&files, &whole, 5);
    }
}
