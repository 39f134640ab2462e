//! plangraph's facade in process, on the questions `benches/peers.sh` asks every engine:
//! goal search (top 10 and the exact total), trace (first page of 20 with the total) and
//! the 2-hop neighbourhood (at most 500 nodes), timed with the same protocol as the
//! Python engines (`benches/peers/common.py`: one untimed call a question, then ROUNDS
//! rounds of REPEAT calls a question).
//!
//! ```sh
//! PLANGRAPH_PEERS_DATA=DIR PLANGRAPH_PEERS_QUESTIONS=questions.json \
//!   PLANGRAPH_PEERS_OUT=facade.json cargo bench --bench facade   # ROUNDS=3 REPEAT=5
//! ```
//! Run by `benches/peers.sh` while no server holds the data folder.

use plangraph::index::SearchRequest;
use plangraph::knowledge_graph::{KnowledgeGraph, NeighborsRequest};
use plangraph::NodeKind;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

type Ask<'a> = Box<dyn Fn(&str) -> Value + 'a>;

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| panic!("{key} is not set (see benches/facade.rs)"))
}

fn env_or(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// [`hop2_digest`] of a neighbourhood's node ids and edge ends.
fn hop2_of<'a>(
    center: &str,
    ids: impl Iterator<Item = &'a String>,
    ends: impl Iterator<Item = (&'a String, &'a String)>,
) -> Value {
    let ids: Vec<String> = ids.cloned().collect();
    let edges: Vec<(String, String)> = ends.map(|(s, t)| (s.clone(), t.clone())).collect();
    hop2_digest(center, &ids, &edges)
}

/// The same digest as `hop2_digest` in benches/peers/common.py.
fn hop2_digest(center: &str, ids: &[String], edges: &[(String, String)]) -> Value {
    let set: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    let mut ring = BTreeSet::new();
    for (s, t) in edges {
        if s == center && set.contains(t.as_str()) {
            ring.insert(t.as_str());
        }
        if t == center && set.contains(s.as_str()) {
            ring.insert(s.as_str());
        }
    }
    json!({
        "count": ids.len(),
        "ring": ring.into_iter().collect::<Vec<_>>(),
        "ids": if ids.len() < 500 { json!(set.into_iter().collect::<Vec<_>>()) } else { Value::Null },
        "edges": edges.len(),
    })
}

fn main() {
    if std::env::var_os("PLANGRAPH_PEERS_DATA").is_none() {
        eprintln!("facade: PLANGRAPH_PEERS_DATA is not set; run through benches/peers.sh");
        return;
    }
    let data = PathBuf::from(env("PLANGRAPH_PEERS_DATA"));
    let questions: Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(env("PLANGRAPH_PEERS_QUESTIONS")).unwrap())
            .unwrap();
    let out = env("PLANGRAPH_PEERS_OUT");
    let rounds = env_or("ROUNDS", 3);
    let repeat = env_or("REPEAT", 5);

    let t = Instant::now();
    let kg = KnowledgeGraph::open(&data).unwrap();
    kg.warm_graph().unwrap();
    let load_s = t.elapsed().as_secs_f64();

    let search: Ask = Box::new(|q| {
        let r = kg
            .search(&SearchRequest {
                query: q.to_string(),
                kinds: vec![NodeKind::Goal],
                unit: None,
                year: None,
                limit: 10,
                offset: 0,
            })
            .unwrap();
        json!({"total": r.total, "ids": r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>()})
    });
    let trace: Ask = Box::new(|id| {
        let r = kg.trace(id, Some(20)).unwrap();
        json!({"total": r.total, "ids": r.goals.iter().map(|g| g.goal.id.clone()).collect::<Vec<_>>()})
    });
    let request = NeighborsRequest {
        depth: 2,
        limit: 500,
        ..Default::default()
    };
    // The shape (ids), what the peers answer; and the whole nodes with every edge's
    // evidence, what the page shows.
    let hop2: Ask = Box::new(|id| {
        let r = kg.neighbor_shape(id, &request).unwrap();
        let ends = r.edges.iter().map(|e| (&e.source, &e.target));
        hop2_of(id, r.nodes.iter().map(|n| &n.id), ends)
    });
    let hop2_full: Ask = Box::new(|id| {
        let r = kg.neighbors(id, &request).unwrap();
        let ends = r.edges.iter().map(|e| (&e.source, &e.target));
        hop2_of(id, r.nodes.iter().map(|n| &n.id), ends)
    });
    let asks: [(&str, &Ask); 4] = [
        ("search", &search),
        ("trace", &trace),
        ("hop2", &hop2),
        ("hop2_full", &hop2_full),
    ];

    let mut classes = Map::new();
    let mut answers = Map::new();
    for (class, ask) in asks {
        // (the whole-node 2-hop asks the 2-hop questions)
        let asked = if class == "hop2_full" { "hop2" } else { class };
        let Some(qs) = questions.get(asked).and_then(Value::as_array) else {
            continue;
        };
        let qs: Vec<&str> = qs.iter().filter_map(Value::as_str).collect();
        let mut given = Map::new();
        for q in &qs {
            given.insert(q.to_string(), ask(q));
        }
        answers.insert(class.into(), Value::Object(given));
        let mut per_round = Vec::new();
        for _ in 0..rounds {
            let mut samples = Vec::with_capacity(qs.len() * repeat);
            for q in &qs {
                for _ in 0..repeat {
                    let t = Instant::now();
                    std::hint::black_box(ask(q));
                    samples.push(t.elapsed().as_secs_f64() * 1000.0);
                }
            }
            per_round.push(samples);
        }
        let mut medians: Vec<f64> = per_round
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.sort_by(f64::total_cmp);
                r[r.len() / 2]
            })
            .collect();
        medians.sort_by(f64::total_cmp);
        eprintln!(
            "facade {class}: median of rounds {:.3} ms ({:.3}–{:.3})",
            medians[medians.len() / 2],
            medians[0],
            medians[medians.len() - 1]
        );
        classes.insert(class.into(), json!(per_round));
    }
    let result = json!({
        "engine": "plangraph (in process)",
        "load_s": load_s,
        "classes": classes,
        "answers": answers,
    });
    std::fs::write(&out, serde_json::to_vec(&result).unwrap()).unwrap();
}
