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
    repo_path(&format!(
        "{DIR}/{}",
        gold()["document"]["file"].as_str().unwrap()
    ))
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
    let pairs: BTreeMap<String, String> = got
        .iter()
        .map(|(k, (v, _))| (k.clone(), v.clone()))
        .collect();
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
        kg.stats()
            .unwrap()
            .edges
            .get(&EdgeLabel::Continues)
            .copied(),
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

#[test]
fn links_follow_a_replaced_document_and_survive_export_and_import() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let kg = KnowledgeGraph::open(&data).unwrap();
    kg.ingest_paths(&[seed_path(), second_year_path()], &mut |_| {})
        .unwrap();
    check_against_gold(&kg);

    // every export format carries the links
    let stats = kg.stats().unwrap();
    let n = stats.edges[&EdgeLabel::Continues] as usize;
    let graphml = tmp.path().join("g.graphml");
    plangraph::export::export(
        &kg,
        plangraph::export::Format::Graphml,
        &plangraph::export::Destination::Path(graphml.clone()),
        &mut |_| {},
    )
    .unwrap();
    let text = std::fs::read_to_string(&graphml).unwrap();
    assert_eq!(text.matches(">continues<").count(), n, "graphml edges");
    let ttl = tmp.path().join("g.ttl");
    plangraph::export::export(
        &kg,
        plangraph::export::Format::Turtle,
        &plangraph::export::Destination::Path(ttl.clone()),
        &mut |_| {},
    )
    .unwrap();
    assert!(std::fs::read_to_string(&ttl).unwrap().contains("continues"));
    let neo = tmp.path().join("neo4j");
    plangraph::export::export(
        &kg,
        plangraph::export::Format::Neo4j,
        &plangraph::export::Destination::Path(neo.clone()),
        &mut |_| {},
    )
    .unwrap();
    let rels: usize = std::fs::read_dir(&neo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("relationships_continues."))
        .map(|p| std::fs::read_to_string(p).unwrap().lines().count() - 1)
        .sum();
    assert_eq!(rels, n, "neo4j rows");

    // export → import → export is identical, links included
    let mut first = Vec::new();
    kg.export_jsonl(&mut first).unwrap();
    let file = tmp.path().join("g.jsonl");
    std::fs::write(&file, &first).unwrap();
    let copy_dir = tmp.path().join("copy");
    plangraph::export::import_jsonl(&copy_dir, &file, &mut |_| {}).unwrap();
    let copy = KnowledgeGraph::open(&copy_dir).unwrap();
    assert!(copy.store().verify().unwrap().is_empty());
    let mut second = Vec::new();
    copy.export_jsonl(&mut second).unwrap();
    assert_eq!(
        String::from_utf8(first).unwrap(),
        String::from_utf8(second).unwrap()
    );
    drop(copy);

    // either document replaced by a version without one goal: that goal's pair goes, the
    // others keep their links, and restoring the file brings the pair back
    for (file, title) in [
        (seed_path(), "深化科技管理改革"),
        (second_year_path(), "优化创新创业生态"),
    ] {
        let edited = tmp.path().join(format!("edited-{title}"));
        std::fs::create_dir(&edited).unwrap();
        let copy = edited.join(file.file_name().unwrap());
        std::fs::write(
            &copy,
            without_goal(&std::fs::read_to_string(&file).unwrap(), title),
        )
        .unwrap();
        let report = kg.ingest_paths(&[copy], &mut |_| {}).unwrap();
        assert_eq!(report.failed, 0, "{report:?}");
        assert_eq!(kg.documents(0, 10).unwrap().documents.len(), 2, "replaced");
        let gone = normalize_name(title);
        let mut want = gold_pairs();
        want.retain(|new, old| *old != gone && *new != gone);
        assert_eq!(want.len(), gold_pairs().len() - 1, "{title}");
        let got: BTreeMap<String, String> =
            linked(&kg).into_iter().map(|(k, (v, _))| (k, v)).collect();
        assert_eq!(got, want, "without {title}");
        assert!(kg.store().verify().unwrap().is_empty());
        kg.ingest_paths(&[file], &mut |_| {}).unwrap();
        check_against_gold(&kg);
    }
}

/// A goal-table document without the goal titled `title`: its number line, title line
/// and cells up to the blank line that ends it (or the end of the file).
fn without_goal(text: &str, title: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == title)
        .unwrap_or_else(|| panic!("the goal {title}"));
    let end = (at..lines.len())
        .find(|i| lines[*i].trim().is_empty())
        .unwrap_or(lines.len() - 1);
    let mut kept: Vec<&str> = lines[..at - 1].to_vec();
    kept.extend(&lines[end + 1..]);
    kept.join("\n") + "\n"
}
