//! Goals followed across years (`continues`), measured against the second-year fixture's
//! gold (`tests/fixtures/second_year/gold.json`): the 2022 goals of 市科技局 and the 2021
//! goals (the seed) they continue, in either ingest order and when a document is replaced.

use crate::common::{repo_path, seed_path};
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::{normalize_name, EdgeLabel};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

const DIR: &str = "tests/fixtures/second_year";

pub fn gold() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo_path(&format!("{DIR}/gold.json"))).unwrap())
        .unwrap()
}

pub fn second_year_path() -> PathBuf {
    repo_path(&format!("{DIR}/{}", gold()["document"]["file"].as_str().unwrap()))
}

/// The gold's pairs: normalised 2022 title → normalised 2021 title.
pub fn gold_pairs() -> BTreeMap<String, String> {
    gold()["goals"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| {
            Some((
                normalize_name(g["title"].as_str()?),
                normalize_name(g["continues"].as_str()?),
            ))
        })
        .collect()
}

/// The graph's `continues` pairs (normalised titles), with each edge's props.
fn linked(kg: &KnowledgeGraph) -> BTreeMap<String, (String, Value)> {
    let store = kg.store();
    let mut out = BTreeMap::new();
    for e in store.edges() {
        let e = e.unwrap();
        if e.label != EdgeLabel::Continues {
            continue;
        }
        let name = |id: &str| normalize_name(&store.node(id).unwrap().unwrap().name);
        let new = name(&e.source);
        assert!(
            out.insert(new.clone(), (name(&e.target), Value::Object(e.props)))
                .is_none(),
            "{new} continues one goal"
        );
    }
    out
}

fn check_against_gold(kg: &KnowledgeGraph) {
    let want = gold_pairs();
    let got = linked(kg);
    let pairs: BTreeMap<String, String> =
        got.iter().map(|(k, (v, _))| (k.clone(), v.clone())).collect();
    assert_eq!(pairs, want, "continued pairs against the gold");
    let targets: BTreeSet<&String> = pairs.values().collect();
    assert_eq!(targets.len(), pairs.len(), "one-to-one");
    for (new, (_, props)) in &got {
        let score = props["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{new}: {score}");
        let reason = props["reason"].as_str().unwrap();
        assert!(reason.contains("title words"), "{new}: {reason}");
    }
    // the added goal shares a platform with last year's goals but continues nothing
    for added in gold()["added"].as_array().unwrap() {
        assert!(!got.contains_key(&normalize_name(added.as_str().unwrap())));
    }
    assert_eq!(
        kg.stats().unwrap().edges.get(&EdgeLabel::Continues).copied(),
        Some(want.len() as u64)
    );
}

#[test]
fn goals_continue_their_predecessors_as_the_gold_says_in_either_order() {
    for files in [
        [seed_path(), second_year_path()],
        [second_year_path(), seed_path()],
    ] {
        let kg = KnowledgeGraph::temporary().unwrap();
        let report = kg.ingest_paths(&files, &mut |_| {}).unwrap();
        assert_eq!(report.failed, 0, "{report:?}");
        for (new, (old, props)) in linked(&kg) {
            eprintln!("{new} <- {old}: {props}");
        }
        check_against_gold(&kg);
    }
}
