//! Tables for the graph commands: `trace`, `neighbors`, `path`, `rank`, `co-dependent`,
//! `duties`.

use crate::graph::{CoDependence, PathResult, Ranking, Subgraph, SubgraphShape, Trace};
use crate::model::Node;

use super::output::table;
use super::print::label_of;

pub(super) fn print_trace(trace: &Trace) {
    let e = &trace.entity;
    outln!(
        "{} {} on {} ({}) {}{}",
        trace.total,
        if trace.total == 1 {
            "goal depends"
        } else {
            "goals depend"
        },
        e.name,
        e.kind,
        e.id,
        if trace.offset > 0 && !trace.goals.is_empty() {
            format!(
                " (showing {}–{})",
                trace.offset + 1,
                trace.offset + trace.goals.len()
            )
        } else if trace.goals.len() < trace.total {
            format!(" (showing {})", trace.goals.len())
        } else {
            String::new()
        }
    );
    // Grouped by unit and year: one table each.
    type Group<'a> = ((&'a str, Option<u16>), Vec<&'a crate::graph::TracedGoal>);
    let mut groups: Vec<Group<'_>> = Vec::new();
    for g in &trace.goals {
        let key = (g.goal.place.unit.as_str(), g.goal.place.year);
        match groups.last_mut() {
            Some((k, list)) if *k == key => list.push(g),
            _ => groups.push((key, vec![g])),
        }
    }
    for ((unit, year), goals) in groups {
        outln!();
        outln!("{unit} {}", year.map(|y| y.to_string()).unwrap_or_default());
        let mut t = table(&["category", "no.", "goal", "relation", "via", "evidence"]);
        for g in goals {
            let via: Vec<&str> = g.via.iter().map(|v| v.name.as_str()).collect();
            let relation = match &g.action {
                Some(a) => format!("{} ({a})", g.relation),
                None => g.relation.to_string(),
            };
            t.add_row(vec![
                g.goal.place.category.clone(),
                g.goal.place.number.clone(),
                g.goal.name.clone(),
                relation,
                via.join(" → "),
                g.evidence.clone(),
            ]);
        }
        outln!("{t}");
    }
}

fn node_names(nodes: &[Node]) -> std::collections::HashMap<&str, &Node> {
    nodes.iter().map(|n| (n.id.as_str(), n)).collect()
}

fn print_edges(edges: &[crate::model::Edge], names: &std::collections::HashMap<&str, &Node>) {
    let name = |id: &str| {
        names
            .get(id)
            .map(|n| label_of(n))
            .unwrap_or_else(|| id.to_string())
    };
    let mut t = table(&["source", "label", "target"]);
    for e in edges {
        t.add_row(vec![name(&e.source), e.label.to_string(), name(&e.target)]);
    }
    outln!("{t}");
}

/// The line above a neighbourhood: how many nodes and edges, around what.
fn print_hops_head(nodes: usize, edges: usize, depth: usize, center: &str, truncated: bool) {
    outln!(
        "{nodes} nodes and {edges} edges within {depth} hop{} of {center}{}",
        if depth == 1 { "" } else { "s" },
        if truncated {
            " (cut short by --limit)"
        } else {
            ""
        }
    );
}

pub(super) fn print_subgraph(sub: &Subgraph) {
    let center = sub
        .nodes
        .first()
        .map(label_of)
        .unwrap_or_else(|| sub.center.clone());
    print_hops_head(
        sub.nodes.len(),
        sub.edges.len(),
        sub.depth,
        &center,
        sub.truncated,
    );
    let mut t = table(&["kind", "name", "id"]);
    for n in &sub.nodes {
        t.add_row(vec![n.kind.to_string(), n.name.clone(), n.id.clone()]);
    }
    outln!("{t}");
    if !sub.edges.is_empty() {
        print_edges(&sub.edges, &node_names(&sub.nodes));
    }
}

pub(super) fn print_shape(shape: &SubgraphShape) {
    print_hops_head(
        shape.nodes.len(),
        shape.edges.len(),
        shape.depth,
        &shape.center,
        shape.truncated,
    );
    let mut t = table(&["hops", "kind", "id"]);
    for n in &shape.nodes {
        t.add_row(vec![n.hops.to_string(), n.kind.to_string(), n.id.clone()]);
    }
    outln!("{t}");
    for e in &shape.edges {
        outln!("{} -{}-> {}", e.source, e.label, e.target);
    }
}

pub(super) fn print_path(path: &PathResult) {
    let mut line = String::new();
    for (i, n) in path.nodes.iter().enumerate() {
        if i > 0 {
            let e = &path.edges[i - 1];
            if e.source == path.nodes[i - 1].id {
                line.push_str(&format!(" —{}→ ", e.label));
            } else {
                line.push_str(&format!(" ←{}— ", e.label));
            }
        }
        line.push_str(&label_of(n));
    }
    outln!(
        "{} hop{}: {line}",
        path.length,
        if path.length == 1 { "" } else { "s" }
    );
    if !path.edges.is_empty() {
        print_edges(&path.edges, &node_names(&path.nodes));
    }
}

pub(super) fn print_ranking(r: &Ranking) {
    outln!(
        "{} {}{}",
        r.total,
        match r.kind {
            Some(k) => format!("{k} entities"),
            None => "entities".to_string(),
        },
        if r.entities.len() < r.total {
            format!(" (showing {})", r.entities.len())
        } else {
            String::new()
        }
    );
    let mut t = table(&["#", "name", "kind", "goals", "depends_on", "pagerank"]);
    for (i, e) in r.entities.iter().enumerate() {
        t.add_row(vec![
            (i + 1).to_string(),
            e.name.clone(),
            if e.class {
                format!("{} (class)", e.kind)
            } else {
                e.kind.to_string()
            },
            e.goals.to_string(),
            e.depends_on.to_string(),
            format!("{:.5}", e.pagerank),
        ]);
    }
    outln!("{t}");
}

pub(super) fn print_co_dependence(c: &CoDependence) {
    let shared: Vec<&str> = c.entities.iter().map(|e| e.name.as_str()).collect();
    outln!(
        "{} ({}) relies on: {}",
        c.goal.name,
        c.goal.id,
        if shared.is_empty() {
            "nothing".to_string()
        } else {
            shared.join("、")
        }
    );
    outln!(
        "{} {} at least one of them",
        c.total,
        if c.total == 1 {
            "goal shares"
        } else {
            "goals share"
        }
    );
    let mut t = table(&[
        "shared", "unit", "year", "category", "no.", "goal", "entities",
    ]);
    for g in &c.goals {
        let names: Vec<&str> = g.shared.iter().map(|e| e.name.as_str()).collect();
        t.add_row(vec![
            g.shared.len().to_string(),
            g.goal.place.unit.clone(),
            g.goal.place.year.map(|y| y.to_string()).unwrap_or_default(),
            g.goal.place.category.clone(),
            g.goal.place.number.clone(),
            g.goal.name.clone(),
            names.join("、"),
        ]);
    }
    outln!("{t}");
}

pub(super) fn print_duties(d: &crate::knowledge_graph::Duties) {
    let o = &d.organization;
    outln!(
        "{} is responsible for {} {} ({}, {})",
        o.name,
        d.total,
        if d.total == 1 { "goal" } else { "goals" },
        o.kind,
        o.id
    );
    for y in &d.years {
        outln!();
        outln!(
            "{}",
            y.year
                .map_or_else(|| "(no year)".to_string(), |y| y.to_string())
        );
        let mut t = table(&[
            "role", "unit", "category", "no.", "goal", "document", "evidence",
        ]);
        for g in &y.goals {
            t.add_row(vec![
                g.role.clone(),
                g.goal.place.unit.clone(),
                g.goal.place.category.clone(),
                g.goal.place.number.clone(),
                g.goal.name.clone(),
                g.document_title.clone().unwrap_or_default(),
                g.evidence.clone(),
            ]);
        }
        outln!("{t}");
    }
}
