//! Name resolution benchmark: `KnowledgeGraph::resolve` for names that hit exactly, names
//! found as a substring of a known name, and misses (a name with one character changed,
//! answered with suggestions), against a baseline in the same run: the same substring and
//! suggestion answers computed by scanning every known name in the store.
//!
//! `cargo bench --bench resolve`
//!
//! The corpus is [`corpus::write_corpus`] (`PLANGRAPH_BENCH_DOCS` documents, default
//! 1000, seed 7) ingested into an in-memory graph. 50 names of each class are drawn from
//! the store's names (seeded); each is resolved `PLANGRAPH_BENCH_REPEAT` times (default 5)
//! per run, `PLANGRAPH_BENCH_RUNS` runs (default 5). Reported: the median per-call time of
//! each run, as median and range over the runs, and the ratio baseline ÷ resolve.

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::normalize_name;
use plangraph::Error;
use std::time::Instant;

const PER_CLASS: usize = 50;

fn env_or(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    xs[xs.len() / 2]
}

fn spread(xs: &[f64]) -> (f64, f64, f64) {
    let m = median(xs.to_vec());
    let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().cloned().fold(0.0, f64::max);
    (m, lo, hi)
}

/// The baseline: every (name, id) of the store read once for the substring candidates,
/// and once more for the suggestions (what resolution did before it asked the index).
fn scan_baseline(kg: &KnowledgeGraph, q: &str) -> usize {
    let norm = normalize_name(q);
    let mut containing = Vec::new();
    for r in kg.store().names_with_prefix("") {
        let (name, id) = r.unwrap();
        if name.contains(&norm) {
            containing.push(id);
        }
    }
    if !containing.is_empty() {
        return containing.len();
    }
    let want: Vec<char> = norm.chars().collect();
    let pairs: Vec<[char; 2]> = want.windows(2).map(|w| [w[0], w[1]]).collect();
    let mut scored: Vec<(usize, usize, String)> = Vec::new();
    for r in kg.store().names_with_prefix("") {
        let (name, _) = r.unwrap();
        let shared = want.iter().filter(|c| name.contains(**c)).count();
        if shared * 2 < want.len().max(1) {
            continue;
        }
        let chars: Vec<char> = name.chars().collect();
        let shared_pairs = pairs
            .iter()
            .filter(|p| chars.windows(2).any(|w| w == p.as_slice()))
            .count();
        scored.push((shared_pairs * 2 + shared, chars.len(), name));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.len().min(5)
}

fn resolve_once(kg: &KnowledgeGraph, q: &str) -> usize {
    match kg.resolve(q) {
        Ok(n) => n.id.len(),
        Err(Error::NotFound { suggestions, .. }) => suggestions.len(),
        Err(Error::Ambiguous { candidates, .. }) => candidates.len(),
        Err(e) => panic!("resolving {q}: {e}"),
    }
}

/// Median seconds per call of `f` over `names`, each called `repeat` times.
fn time_class(names: &[String], repeat: usize, f: &dyn Fn(&str) -> usize) -> f64 {
    let mut per_call = Vec::new();
    for name in names {
        for _ in 0..repeat {
            let t = Instant::now();
            std::hint::black_box(f(name));
            per_call.push(t.elapsed().as_secs_f64());
        }
    }
    median(per_call)
}

fn main() {
    let docs = env_or("PLANGRAPH_BENCH_DOCS", 1000);
    let runs = env_or("PLANGRAPH_BENCH_RUNS", 5);
    let repeat = env_or("PLANGRAPH_BENCH_REPEAT", 5);
    let dir = tempfile::tempdir().unwrap();
    let files = corpus::write_corpus(dir.path(), docs, 7).unwrap();
    let kg = KnowledgeGraph::temporary().unwrap();
    let report = kg.ingest_paths(&files, &mut |_| {}).unwrap();
    assert_eq!(report.failed, 0);

    let all: Vec<String> = kg
        .store()
        .names_with_prefix("")
        .map(|r| r.unwrap().0)
        .collect();
    let mut rng = fastrand::Rng::with_seed(11);
    let long: Vec<&String> = all.iter().filter(|n| n.chars().count() >= 6).collect();
    let mut exact = Vec::new();
    let mut inner = Vec::new();
    let mut misses = Vec::new();
    while exact.len() < PER_CLASS {
        exact.push(all[rng.usize(..all.len())].clone());
    }
    while inner.len() < PER_CLASS || misses.len() < PER_CLASS {
        let chars: Vec<char> = long[rng.usize(..long.len())].chars().collect();
        // a piece from the middle: not a prefix, so found only as a substring
        let piece: String = chars[1..chars.len() - 1].iter().collect();
        if inner.len() < PER_CLASS && kg.store().names_with_prefix(&piece).next().is_none() {
            inner.push(piece);
        }
        // one character changed: no name holds it, so it is answered with suggestions
        let mut typo = chars.clone();
        typo[chars.len() / 2] = '谬';
        let typo: String = typo.into_iter().collect();
        if misses.len() < PER_CLASS && all.iter().all(|n| !n.contains(&typo)) {
            misses.push(typo);
        }
    }

    println!(
        "{} documents, {} names; {PER_CLASS} names a class, {repeat} calls each, {runs} runs",
        docs,
        all.len()
    );
    println!(
        "| class | resolve µs median (range) | store scan µs median (range) | scan ÷ resolve |"
    );
    println!("|---|---|---|---|");
    for (label, names) in [
        ("exact name", &exact),
        ("inner substring", &inner),
        ("miss (suggestions)", &misses),
    ] {
        let mut ours = Vec::new();
        let mut base = Vec::new();
        for _ in 0..runs {
            ours.push(time_class(names, repeat, &|q| resolve_once(&kg, q)) * 1e6);
            base.push(time_class(names, repeat, &|q| scan_baseline(&kg, q)) * 1e6);
        }
        if label == "exact name" {
            // found in the store's name tree before any scan: no baseline
            let (om, olo, ohi) = spread(&ours);
            println!("| {label} | {om:.1} ({olo:.1}–{ohi:.1}) | — | — |");
            continue;
        }
        let ratios: Vec<f64> = ours.iter().zip(&base).map(|(o, b)| b / o).collect();
        let (om, olo, ohi) = spread(&ours);
        let (bm, blo, bhi) = spread(&base);
        let (rm, rlo, rhi) = spread(&ratios);
        println!(
            "| {label} | {om:.1} ({olo:.1}–{ohi:.1}) | {bm:.1} ({blo:.1}–{bhi:.1}) | {rm:.2} ({rlo:.2}–{rhi:.2}) |"
        );
    }
}
