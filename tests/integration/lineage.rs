//! Policy-document lineage: `revises` edges between the versions of a policy document
//! across the seed's unit's two years (`tests/fixtures/second_year/`), scored against the
//! gold's `documents` (a plan's next 版, a 办法 issued then revised, one revised then only
//! implemented); right in either ingest order, on replacement of either document, shown by
//! `show` of a document, counted by `stats` and carried by every export and back.

use crate::common::{repo_path, seed_path};
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::{normalize_name, Edge, Node, NodeKind};
use plangraph::EdgeLabel;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const DIR: &str = "tests/fixtures/second_year";

fn gold() -> Value {
    let text = std::fs::read_to_string(repo_path(&format!("{DIR}/gold.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn second_year() -> PathBuf {
    repo_path(&format!(
        "{DIR}/{}",
        gold()["document"]["file"].as_str().unwrap()
    ))
}

fn ingest_text(kg: &KnowledgeGraph, path: &Path, text: &str) {
    let name = path.file_name().unwrap().to_str().unwrap();
    kg.ingest_bytes(name, text.as_bytes()).unwrap();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn document(kg: &KnowledgeGraph, title: &str) -> Option<Node> {
    kg.store()
        .nodes()
        .map(Result::unwrap)
        .find(|n| n.kind == NodeKind::Document && normalize_name(&n.name) == normalize_name(title))
}

fn revises(kg: &KnowledgeGraph) -> Vec<Edge> {
    kg.store()
        .edges()
        .map(Result::unwrap)
        .filter(|e| e.label == EdgeLabel::Revises)
        .collect()
}

/// (newer title, older title, reason) of every `revises` edge.
fn lineage(kg: &KnowledgeGraph) -> BTreeSet<(String, String, String)> {
    revises(kg)
        .iter()
        .map(|e| {
            let name = |id: &str| kg.store().node(id).unwrap().unwrap().name;
            (
                name(&e.source),
                name(&e.target),
                e.props["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// What the gold's `documents` say the lineage is.
fn wanted() -> BTreeSet<(String, String, String)> {
    let gold = gold();
    let docs = &gold["documents"];
    let mut want = BTreeSet::new();
    for v in docs["next_version"].as_array().unwrap() {
        want.insert((
            v["title"].as_str().unwrap().to_string(),
            v["replaces"].as_str().unwrap().to_string(),
            "version".to_string(),
        ));
    }
    for c in docs["continued"].as_array().unwrap() {
        if c["lineage"] == "revises" {
            let t = c["title"].as_str().unwrap().to_string();
            assert_eq!(c["new_action"], "修订");
            want.insert((t.clone(), t, "revised".to_string()));
        }
    }
    want
}

#[test]
fn revises_edges_match_the_gold_in_either_ingest_order() {
    let want = wanted();
    assert!(want.len() >= 2, "the gold names both kinds of lineage");
    let (old_year, new_year) = (
        gold()["previous"]["year"].as_u64().unwrap(),
        gold()["document"]["year"].as_u64().unwrap(),
    );
    for order in [[seed_path(), second_year()], [second_year(), seed_path()]] {
        let kg = KnowledgeGraph::temporary().unwrap();
        for p in &order {
            ingest_text(&kg, p, &read(p));
        }
        assert_eq!(lineage(&kg), want);
        for e in revises(&kg) {
            assert_eq!(e.props["year"].as_u64(), Some(new_year), "{e:?}");
            assert!(e.evidence_sentence().is_some(), "{e:?}");
            if e.source == e.target {
                assert_eq!(e.props["from_year"].as_u64(), Some(old_year), "{e:?}");
            }
        }
        let stats = kg.stats().unwrap();
        let json = serde_json::to_value(&stats).unwrap();
        assert_eq!(
            json["edges"]["revises"].as_u64(),
            Some(want.len() as u64),
            "{json}"
        );
    }
}

#[test]
fn lineage_follows_replacement_of_either_document() {
    let kg = KnowledgeGraph::temporary().unwrap();
    let (old, new) = (seed_path(), second_year());
    ingest_text(&kg, &old, &read(&old));
    ingest_text(&kg, &new, &read(&new));
    let gold = gold();
    let next = &gold["documents"]["next_version"][0];
    let (newer, older) = (
        next["title"].as_str().unwrap(),
        next["replaces"].as_str().unwrap(),
    );
    assert!(lineage(&kg)
        .iter()
        .any(|(a, b, _)| a == newer && b == older));

    // The older version leaves the 2021 document: the 2022 document's edge goes, and so
    // does the older node (no goal names it any more).
    let renamed = read(&old).replace(older, "科技引领城建设攻势总体方案");
    assert_ne!(renamed, read(&old));
    ingest_text(&kg, &old, &renamed);
    assert!(
        !lineage(&kg).iter().any(|(a, _, _)| a == newer),
        "{:?}",
        lineage(&kg)
    );
    assert!(document(&kg, older).is_none(), "no document holds {older}");
    assert!(kg.store().verify().unwrap().is_empty());

    // It comes back: so does the edge.
    ingest_text(&kg, &old, &read(&old));
    assert_eq!(lineage(&kg), wanted());

    // The newer version leaves the 2022 document: its edge goes, the older node stays.
    let unversioned = read(&new).replace(newer, "科技引领城建设攻势行动计划");
    assert_ne!(unversioned, read(&new));
    ingest_text(&kg, &new, &unversioned);
    assert!(!lineage(&kg).iter().any(|(_, b, _)| b == older));
    assert!(document(&kg, older).is_some());
    assert!(kg.store().verify().unwrap().is_empty());
    let want_rest: BTreeSet<_> = wanted()
        .into_iter()
        .filter(|(_, _, r)| r != "version")
        .collect();
    assert_eq!(lineage(&kg), want_rest);
}

#[test]
fn show_of_a_document_says_which_goals_in_which_years_issue_revise_or_implement_it() {
    let kg = KnowledgeGraph::temporary().unwrap();
    for p in [seed_path(), second_year()] {
        ingest_text(&kg, &p, &read(&p));
    }
    let gold = gold();
    let (old_year, new_year) = (
        gold["previous"]["year"].as_u64().unwrap() as u16,
        gold["document"]["year"].as_u64().unwrap() as u16,
    );
    let role = |action: &str| match action {
        "修订" => "revises",
        "落实" | "贯彻" | "实施" | "执行" => "implements",
        _ => "issues",
    };
    for c in gold["documents"]["continued"].as_array().unwrap() {
        let title = c["title"].as_str().unwrap();
        let view = kg.show(title).unwrap();
        let got: BTreeSet<(Option<u16>, String, Option<String>)> = view
            .lineage
            .iter()
            .filter(|u| !u.unit.is_empty())
            .map(|u| (u.year, u.role.clone(), u.action.clone()))
            .collect();
        let want: BTreeSet<_> = [(old_year, "old_action"), (new_year, "new_action")]
            .iter()
            .map(|(y, k)| {
                let a = c[*k].as_str().unwrap();
                (Some(*y), role(a).to_string(), Some(a.to_string()))
            })
            .collect();
        assert_eq!(got, want, "{title}");
        let years: Vec<_> = view.lineage.iter().map(|u| u.year).collect();
        assert!(years.windows(2).all(|w| w[0] <= w[1]), "{years:?}");
    }
    let next = &gold["documents"]["next_version"][0];
    let older = kg.show(next["replaces"].as_str().unwrap()).unwrap();
    let by = older
        .lineage
        .iter()
        .find(|u| u.role == "replaced_by")
        .expect("the older version names its successor");
    assert_eq!(by.name, next["title"].as_str().unwrap());
    // Other nodes carry no lineage, and their JSON no field for it.
    let inst = kg.show("崂山实验室").unwrap();
    assert!(inst.lineage.is_empty());
    assert!(serde_json::to_value(&inst)
        .unwrap()
        .get("lineage")
        .is_none());
}

#[test]
fn revises_edges_travel_through_every_export_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    let kg = KnowledgeGraph::temporary().unwrap();
    for p in [seed_path(), second_year()] {
        ingest_text(&kg, &p, &read(&p));
    }
    let n = revises(&kg).len();
    assert_eq!(n, wanted().len());
    let jsonl = |k: &KnowledgeGraph| {
        let mut out = Vec::new();
        k.export_jsonl(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let first = jsonl(&kg);
    assert_eq!(first.matches("\"label\":\"revises\"").count(), n);
    let file = tmp.path().join("g.jsonl");
    std::fs::write(&file, &first).unwrap();
    let data = tmp.path().join("copy");
    plangraph::export::import::import_jsonl(&data, &file, &mut |_| {}).unwrap();
    let copy = KnowledgeGraph::open(&data).unwrap();
    assert_eq!(jsonl(&copy), first);
    assert_eq!(lineage(&copy), wanted());

    let mut graphml = Vec::new();
    plangraph::export::graphml::write(kg.store(), &mut graphml, &mut |_| {}).unwrap();
    assert_eq!(
        String::from_utf8(graphml)
            .unwrap()
            .matches(">revises<")
            .count(),
        n
    );
    let mut ttl = Vec::new();
    plangraph::export::turtle::write(kg.store(), &mut ttl, &mut |_| {}).unwrap();
    assert!(String::from_utf8(ttl).unwrap().contains("revises"));
    let dir = tmp.path().join("neo4j");
    plangraph::export::neo4j::write(kg.store(), &dir, &mut |_| {}).unwrap();
    let rel =
        std::fs::read_to_string(dir.join("relationships_revises.document-document.csv")).unwrap();
    assert_eq!(rel.lines().count(), n + 1, "a header and one row each");
    let cypher = std::fs::read_to_string(dir.join("graph.cypher")).unwrap();
    assert!(cypher.contains("REVISES"));
}
