//! `impact`: what is at stake when a platform slips, on the seed and on three documents of
//! two units and two years that share its platforms (tests/fixtures/impact/, README there).

use crate::common::{plangraph, repo_path, seed_path};
use plangraph::graph::{Impact, ImpactGoal, Stake};
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::{EdgeLabel, Error, NodeKind};
use std::collections::BTreeSet;

fn corpus() -> Vec<std::path::PathBuf> {
    vec![seed_path(), repo_path("tests/fixtures/impact")]
}

fn loaded() -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    let report = kg.ingest_paths(&corpus(), &mut |_| {}).unwrap();
    assert_eq!((report.failed, report.ingested), (0, 4), "{report:?}");
    kg
}

/// Every path runs from its goal to the entity, edge after edge, each edge as stored.
fn assert_paths_lead_to_the_entity(kg: &KnowledgeGraph, impact: &Impact) {
    for g in &impact.goals {
        assert!(
            !g.paths.is_empty() && g.paths.len() <= g.path_count,
            "{g:?}"
        );
        for p in &g.paths {
            assert_eq!(p.edges[0].source, g.goal.id);
            assert_eq!(p.edges.last().unwrap().target, impact.entity.id);
            for w in p.edges.windows(2) {
                assert_eq!(w[0].target, w[1].source, "a broken path: {p:?}");
            }
            assert_eq!(p.via.len(), p.edges.len() - 1);
            for (v, e) in p.via.iter().zip(&p.edges) {
                assert_eq!(v.id, e.target);
            }
            for e in &p.edges {
                let stored = kg.store().edge(&e.source, e.label, &e.target).unwrap();
                assert_eq!(stored.as_ref(), Some(e), "an edge not as stored");
            }
            assert!(!p.evidence.is_empty(), "a path without evidence: {p:?}");
            assert!(g.goal.name.len() > 1);
        }
    }
}

/// A goal's strongest path: its kind, whether it lacks a verb, its length.
fn strength(g: &ImpactGoal) -> (Stake, bool, usize) {
    (g.stake, g.action.is_none(), g.paths[0].edges.len())
}

fn assert_ranked(impact: &Impact) {
    for (i, g) in impact.goals.iter().enumerate() {
        assert_eq!(g.rank, i + 1);
    }
    for w in impact.goals.windows(2) {
        let (a, b) = (strength(&w[0]), strength(&w[1]));
        assert!(
            a <= b,
            "{} ranked before {}",
            w[0].goal.name,
            w[1].goal.name
        );
        if a == b {
            assert!(
                (w[0].path_count, w[0].measuring_targets)
                    >= (w[1].path_count, w[1].measuring_targets),
                "{} ranked before {} with fewer paths",
                w[0].goal.name,
                w[1].goal.name
            );
        }
    }
    // Groups: by unit, then year; every goal returned in exactly one.
    let keys: Vec<_> = impact
        .groups
        .iter()
        .map(|g| (g.unit.clone(), g.year))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted);
    let grouped: Vec<&String> = impact.groups.iter().flat_map(|g| &g.goals).collect();
    assert_eq!(grouped.len(), impact.goals.len());
    for g in &impact.goals {
        let group = impact
            .groups
            .iter()
            .find(|x| x.goals.contains(&g.goal.id))
            .unwrap();
        assert_eq!(
            (&group.unit, group.year),
            (&g.goal.place.unit, g.goal.place.year)
        );
    }
}

#[test]
fn impact_reaches_exactly_the_goals_trace_reaches_and_ranks_them() {
    let kg = loaded();
    let rank = kg.rank(None, 40).unwrap();
    assert!(rank.entities.len() >= 20);
    for e in &rank.entities {
        let trace = kg.trace(&e.id, None).unwrap();
        let impact = kg.impact(&e.id, Some(1000)).unwrap();
        let traced: BTreeSet<&str> = trace.goals.iter().map(|g| g.goal.id.as_str()).collect();
        let at_stake: BTreeSet<&str> = impact.goals.iter().map(|g| g.goal.id.as_str()).collect();
        assert_eq!(traced, at_stake, "{}", e.name);
        assert_eq!(impact.total, trace.total, "{}", e.name);
        assert_eq!(
            e.goals, trace.total,
            "rank counts the goals trace reaches: {}",
            e.name
        );
        assert_ranked(&impact);
        assert_paths_lead_to_the_entity(&kg, &impact);
    }
}

#[test]
fn a_platform_shared_by_two_units_over_two_years_puts_all_their_goals_at_stake() {
    let kg = loaded();
    let impact = kg.impact("中科院", None).unwrap();
    // The alias resolves to the organisation, which lists it.
    assert_eq!(impact.entity.kind, NodeKind::Organization);
    assert!(impact.aliases.iter().any(|a| a == "中科院"));
    // Its research centre is part of it, so the centre's goals are at stake too.
    let centre = kg.resolve("中科院海洋大科学研究中心").unwrap();
    assert!(impact.parts.iter().any(|p| p.id == centre.id));
    let units: BTreeSet<&str> = impact.units.iter().map(String::as_str).collect();
    assert_eq!(units, BTreeSet::from(["市科技局", "市海洋发展局"]));
    assert_eq!(impact.years, vec![2021, 2022]);
    assert_ranked(&impact);
    assert_paths_lead_to_the_entity(&kg, &impact);
    // Each unit and year whose document names the centre has a goal at stake through it.
    let centre_goals = kg.trace(&centre.id, None).unwrap();
    let places: BTreeSet<(String, Option<u16>)> = centre_goals
        .goals
        .iter()
        .map(|g| (g.goal.place.unit.clone(), g.goal.place.year))
        .collect();
    let mut every = BTreeSet::new();
    for unit in ["市科技局", "市海洋发展局"] {
        for year in [2021, 2022] {
            every.insert((unit.to_string(), Some(year)));
        }
    }
    assert_eq!(places, every);
    for g in &centre_goals.goals {
        let at = impact
            .goals
            .iter()
            .find(|x| x.goal.id == g.goal.id)
            .expect("the centre's goal is at stake");
        assert!(!at.direct);
        assert!(at.paths[0].via.iter().any(|v| v.id == centre.id));
        assert_eq!(at.paths[0].edges.last().unwrap().label, EdgeLabel::PartOf);
    }
    // A goal that only names 中科院 comes after every goal that depends on it.
    let mention = impact
        .goals
        .iter()
        .position(|g| g.stake == Stake::Mentions)
        .expect("a mention");
    assert!(impact.goals[mention].direct);
    assert!(impact.goals[..mention]
        .iter()
        .all(|g| g.stake == Stake::DependsOn));
    // Targets and documents hang on goals returned, and are what those goals set and issue.
    let returned: BTreeSet<&str> = impact.goals.iter().map(|g| g.goal.id.as_str()).collect();
    assert!(!impact.targets.is_empty() && !impact.documents.is_empty());
    for t in &impact.targets {
        assert!(returned.contains(t.goal.as_str()));
        assert_eq!(t.target.kind, NodeKind::Target);
        assert!(kg
            .store()
            .edge(&t.goal, EdgeLabel::SetsTarget, &t.target.id)
            .unwrap()
            .is_some());
    }
    for d in &impact.documents {
        assert!(returned.contains(d.goal.as_str()));
        assert!(kg
            .store()
            .edge(&d.goal, EdgeLabel::Issues, &d.document.id)
            .unwrap()
            .is_some());
    }
    let plan = kg.resolve("青岛市深海技术攻关实施方案").unwrap();
    let issued = impact
        .documents
        .iter()
        .find(|d| d.document.id == plan.id)
        .expect("the plan the 2022 goal issues");
    assert_eq!(issued.goal_name, "强化海洋科技支撑");
}

#[test]
fn targets_that_count_a_class_put_the_goals_that_set_them_at_stake() {
    let kg = loaded();
    let impact = kg.impact("技术创新中心", None).unwrap();
    assert!(impact.total >= 2, "{impact:?}");
    let years: BTreeSet<u16> = impact
        .goals
        .iter()
        .filter_map(|g| g.goal.place.year)
        .collect();
    assert_eq!(years, BTreeSet::from([2021, 2022]));
    for g in impact.goals.iter().filter(|g| g.stake == Stake::Target) {
        assert!(g.measuring_targets >= 1);
        let target = &g.paths[0].via[0];
        assert_eq!(target.kind, NodeKind::Target);
        let listed = impact
            .targets
            .iter()
            .find(|t| t.target.id == target.id)
            .expect("the measuring target is listed");
        assert!(listed.measures_entity);
        assert_eq!(listed.goal, g.goal.id);
    }
    assert!(impact.goals.iter().any(|g| g.stake == Stake::Target));
    // A target of those goals that counts something else is listed, not marked.
    for t in &impact.targets {
        let measures = kg.store().edges_out(&t.target.id, None).unwrap();
        let counts_it = measures.iter().any(|e| {
            e.label == EdgeLabel::Measures
                && (e.target == impact.entity.id || impact.parts.iter().any(|p| p.id == e.target))
        });
        assert_eq!(t.measures_entity, counts_it, "{}", t.target.name);
    }
    assert_paths_lead_to_the_entity(&kg, &impact);
}

#[test]
fn an_abbreviation_gives_the_same_impact_as_the_full_name() {
    let kg = loaded();
    let full = kg.impact("青岛海洋装备研究院", None).unwrap();
    let short = kg.impact("海装院", None).unwrap();
    assert_eq!(
        serde_json::to_value(&full).unwrap(),
        serde_json::to_value(&short).unwrap()
    );
    assert!(full.aliases.iter().any(|a| a == "海装院"));
    // Its goals of both years, each with the verb it is governed by.
    let years: BTreeSet<u16> = full
        .goals
        .iter()
        .filter_map(|g| g.goal.place.year)
        .collect();
    assert_eq!(years, BTreeSet::from([2021, 2022]));
    assert!(full
        .goals
        .iter()
        .all(|g| g.stake == Stake::DependsOn && g.action.is_some()));
}

#[test]
fn limit_keeps_the_most_exposed_goals_and_bad_input_is_named() {
    let kg = loaded();
    let all = kg.impact("中科院", None).unwrap();
    let two = kg.impact("中科院", Some(2)).unwrap();
    assert!(all.total > 2);
    assert_eq!(two.total, all.total);
    assert_eq!(two.units, all.units);
    let ids = |i: &Impact| -> Vec<String> { i.goals.iter().map(|g| g.goal.id.clone()).collect() };
    assert_eq!(ids(&two), ids(&all)[..2].to_vec());
    for t in &two.targets {
        assert!(ids(&two).contains(&t.goal));
    }
    match kg.impact("中科院", Some(0)) {
        Err(Error::InvalidParam { param, .. }) => assert_eq!(param, "limit"),
        other => panic!("{other:?}"),
    }
    match kg.impact("没有这个平台", None) {
        Err(Error::NotFound { .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_cli_prints_the_facades_json_and_a_table_by_unit_and_year() {
    let dir = tempfile::tempdir().unwrap();
    for p in corpus() {
        let out = plangraph(dir.path(), &["ingest", p.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0));
    }
    let out = plangraph(dir.path(), &["impact", "中科院", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = {
        let kg = KnowledgeGraph::open(dir.path()).unwrap();
        serde_json::to_value(kg.impact("中科院", None).unwrap()).unwrap()
    };
    assert_eq!(cli, expected);

    let out = plangraph(dir.path(), &["impact", "中科院", "--limit", "3"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let total = expected["total"].as_u64().unwrap();
    assert!(
        text.starts_with(&format!("{total} goals at stake if 中国科学院")),
        "{text}"
    );
    assert!(text.contains("(showing 3)"), "{text}");
    assert!(text.contains("through its parts: 中国科学院海洋大科学研究中心"));
    for g in expected["goals"].as_array().unwrap().iter().take(3) {
        assert!(text.contains(g["name"].as_str().unwrap()), "{text}");
        let heading = format!("{} {}", g["unit"].as_str().unwrap(), g["year"]);
        assert!(text.contains(&heading), "{heading} in {text}");
    }
    let out = plangraph(dir.path(), &["impact", "中科院", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("limit must be between 1 and 1000"));
}
