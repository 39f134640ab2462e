//! Extraction throughput against plain jieba-rs segmentation of the same bytes.
//!
//! `cargo bench --bench extract` (plain `std::time`, no harness). The workload is the
//! seed's goals (title, content, benchmark), repeated to make about a megabyte. Each round
//! times (a) `jieba_rs::Jieba::cut` (default dictionary, HMM on) over every field,
//! (b) `Segmenter::tag` over every field (jieba with the project dictionary and POS tags:
//! the segmentation extraction does), and (c) `Extractor::extract_goal` over every goal
//! (which segments and tags each field once, then runs the rules); rounds interleave the
//! three. Reports the median, min and max of the rounds and the ratio of the medians of
//! (a) and (c).

use plangraph::extract::{Extractor, Segmenter};
use plangraph::model::{Node, NodeKind};
use serde_json::json;
use std::hint::black_box;
use std::time::{Duration, Instant};

const ROUNDS: usize = 7;
const COPIES: usize = 110;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn seed_goals() -> Vec<Node> {
    let text = include_str!("../seeds/qingdao-kejiju-2021-business-goals.txt");
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim();
        if !l.is_empty() && l.chars().all(|c| c.is_ascii_digit()) && i + 2 < lines.len() {
            let mut g = Node::entity(NodeKind::Goal, lines[i + 1].trim());
            g.id = format!("goal:{}", out.len());
            g.props.insert("content".into(), json!(lines[i + 2].trim()));
            i += 3;
            if let Some(b) = lines
                .get(i)
                .and_then(|x| x.trim().strip_prefix("标杆城市及标杆值："))
            {
                g.props.insert("benchmark".into(), json!(b));
                i += 1;
            }
            out.push(g);
            continue;
        }
        i += 1;
    }
    out
}

fn fields(g: &Node) -> [&str; 3] {
    [
        g.name.as_str(),
        g.prop_str("content").unwrap_or(""),
        g.prop_str("benchmark").unwrap_or(""),
    ]
}

fn stats(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    let seed = seed_goals();
    let rounds = env_or("PLANGRAPH_BENCH_ROUNDS", ROUNDS);
    let goals: Vec<Node> = (0..env_or("PLANGRAPH_BENCH_COPIES", COPIES))
        .flat_map(|c| {
            seed.iter().map(move |g| {
                let mut g = g.clone();
                g.id = format!("{}#{c}", g.id);
                g
            })
        })
        .collect();
    let bytes: usize = goals
        .iter()
        .map(|g| fields(g).iter().map(|f| f.len()).sum::<usize>())
        .sum();

    let jieba = jieba_rs::Jieba::new();
    let extractor = Extractor::new(Segmenter::shared());
    // warm up both (dictionaries, lexicon, caches)
    for g in goals.iter().take(50) {
        for f in fields(g) {
            black_box(jieba.cut(f, true));
        }
        black_box(extractor.extract_goal("doc:bench", g));
    }

    let mut cut_t = Vec::new();
    let mut ext_t = Vec::new();
    let mut tag_t = Vec::new();
    let mut counts = (0usize, 0usize, 0usize);
    // PLANGRAPH_BENCH_ONLY=cut|tag|extract: run one of the three alone (for profiling)
    let only = std::env::var("PLANGRAPH_BENCH_ONLY").unwrap_or_default();
    let run = |what: &str| only.is_empty() || only == what;
    for _ in 0..rounds {
        let t = Instant::now();
        let mut words = 0;
        for g in goals.iter().filter(|_| run("cut")) {
            for f in fields(g) {
                words += black_box(jieba.cut(f, true)).len();
            }
        }
        cut_t.push(t.elapsed());

        let t = Instant::now();
        let seg = extractor.segmenter();
        let mut tw = 0;
        for g in goals.iter().filter(|_| run("tag")) {
            for f in fields(g) {
                tw += black_box(seg.tag(f)).len();
            }
        }
        tag_t.push(t.elapsed());
        black_box(tw);

        let t = Instant::now();
        let (mut nodes, mut edges) = (0, 0);
        for g in goals.iter().filter(|_| run("extract")) {
            let r = black_box(extractor.extract_goal("doc:bench", g));
            nodes += r.nodes.len();
            edges += r.edges.len();
        }
        ext_t.push(t.elapsed());
        counts = (words, nodes, edges);
    }

    let (cm, cmin, cmax) = stats(cut_t);
    let (em, emin, emax) = stats(ext_t);
    let (tm, tmin, tmax) = stats(tag_t);
    let mb = bytes as f64 / 1e6;
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!(
        "workload: {} goals, {:.2} MB of text ({} words, {} nodes, {} edges per round), {rounds} rounds",
        goals.len(),
        mb,
        counts.0,
        counts.1,
        counts.2
    );
    println!("| what | median | min | max | throughput (median) |");
    println!("|---|---|---|---|---|");
    println!(
        "| jieba-rs `cut` (HMM) | {:.1} ms | {:.1} ms | {:.1} ms | {:.2} MB/s |",
        cm.as_secs_f64() * 1e3,
        cmin.as_secs_f64() * 1e3,
        cmax.as_secs_f64() * 1e3,
        rate(cm)
    );
    println!(
        "| `Segmenter::tag` (POS tags; part of extraction) | {:.1} ms | {:.1} ms | {:.1} ms | {:.2} MB/s |",
        tm.as_secs_f64() * 1e3,
        tmin.as_secs_f64() * 1e3,
        tmax.as_secs_f64() * 1e3,
        rate(tm)
    );
    println!(
        "| `Extractor::extract_goal` | {:.1} ms | {:.1} ms | {:.1} ms | {:.2} MB/s |",
        em.as_secs_f64() * 1e3,
        emin.as_secs_f64() * 1e3,
        emax.as_secs_f64() * 1e3,
        rate(em)
    );
    println!(
        "extraction runs at {:.2} of segmentation speed by medians, {:.2} by minimums (target: at least 0.33)",
        cm.as_secs_f64() / em.as_secs_f64(),
        cmin.as_secs_f64() / emin.as_secs_f64()
    );
}
