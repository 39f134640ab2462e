//! The second-year document of the seed's unit (`tests/fixtures/second_year/`): it is read
//! as the same unit's 2022 业务目标, beside the 2021 seed, with the goals its gold names.
//! The year-to-year features (`continues`, `diff`, targets as series) are tested on it
//! where they are built; this checks the fixture and its gold against the pipeline.

use crate::common::{repo_path, seed_path};
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::{normalize_name, NodeKind};
use serde_json::Value;
use std::collections::BTreeSet;

const DIR: &str = "tests/fixtures/second_year";

#[test]
fn the_second_year_document_is_the_seed_units_2022_goals_named_in_its_gold() {
    let gold: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_path(&format!("{DIR}/gold.json"))).unwrap(),
    )
    .unwrap();
    let file = repo_path(&format!(
        "{DIR}/{}",
        gold["document"]["file"].as_str().unwrap()
    ));
    let dir = tempfile::tempdir().unwrap();
    let kg = KnowledgeGraph::open(dir.path()).unwrap();
    let report = kg.ingest_paths(&[seed_path(), file], &mut |_| {}).unwrap();
    assert_eq!((report.ingested, report.failed), (2, 0), "{report:?}");

    let docs = kg.documents(0, 10).unwrap().documents;
    let years: BTreeSet<(String, u16)> = docs.iter().map(|d| (d.unit.clone(), d.year)).collect();
    assert_eq!(
        years,
        BTreeSet::from([
            ("市科技局".to_string(), 2021),
            ("市科技局".to_string(), 2022)
        ])
    );
    assert_eq!(kg.resolve("市科技局").unwrap().kind, NodeKind::Unit);

    let mut export = Vec::new();
    kg.export_jsonl(&mut export).unwrap();
    let nodes: Vec<Value> = String::from_utf8(export)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == "node")
        .collect();
    let titles = |year: u16| -> BTreeSet<String> {
        nodes
            .iter()
            .filter(|n| n["kind"] == "goal" && n["props"]["year"] == year)
            .map(|n| normalize_name(n["name"].as_str().unwrap()))
            .collect()
    };
    let (old, new) = (titles(2021), titles(2022));
    let goals = gold["goals"].as_array().unwrap();
    let want: BTreeSet<String> = goals
        .iter()
        .map(|g| normalize_name(g["title"].as_str().unwrap()))
        .collect();
    assert_eq!(new, want, "the 2022 goals are the gold's");
    assert_eq!(
        goals.len() as u64,
        gold["document"]["goals"].as_u64().unwrap()
    );
    for g in goals {
        if let Some(prev) = g["continues"].as_str() {
            assert!(old.contains(&normalize_name(prev)), "{prev} is a 2021 goal");
        }
    }
    for d in gold["dropped"].as_array().unwrap() {
        let d = normalize_name(d.as_str().unwrap());
        assert!(old.contains(&d) && !new.contains(&d), "{d} is dropped");
    }
}
