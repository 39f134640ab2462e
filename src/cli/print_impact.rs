//! The table of `impact`: the goals at stake by unit and year, then their targets and
//! documents.

use crate::graph::{Impact, ImpactGoal, Stake};
use std::collections::HashMap;

use super::output::table;

fn stake_name(s: Stake) -> &'static str {
    match s {
        Stake::DependsOn => "depends_on",
        Stake::Issues => "issues",
        Stake::Target => "target measures it",
        Stake::Mentions => "mentions",
    }
}

/// How the goal's strongest path reaches the entity: `depends_on (建设) via X`.
fn how(g: &ImpactGoal) -> String {
    let mut s = stake_name(g.stake).to_string();
    if let Some(a) = &g.action {
        s.push_str(&format!(" ({a})"));
    }
    if let Some(p) = g.paths.first() {
        if !p.via.is_empty() {
            let via: Vec<&str> = p.via.iter().map(|v| v.name.as_str()).collect();
            s.push_str(&format!(" via {}", via.join(" → ")));
        }
    }
    s
}

pub(super) fn print_impact(impact: &Impact) {
    let e = &impact.entity;
    let years = match (impact.years.first(), impact.years.last()) {
        (Some(a), Some(b)) if a != b => format!(", years {a}–{b}"),
        (Some(a), _) => format!(", year {a}"),
        _ => String::new(),
    };
    outln!(
        "{} {} at stake if {} ({}) {} slips: {} {}{years}{}",
        impact.total,
        if impact.total == 1 { "goal" } else { "goals" },
        e.name,
        e.kind,
        e.id,
        impact.units.len(),
        if impact.units.len() == 1 {
            "unit"
        } else {
            "units"
        },
        if impact.goals.len() < impact.total {
            format!(" (showing {})", impact.goals.len())
        } else {
            String::new()
        }
    );
    if !impact.aliases.is_empty() {
        outln!("also named: {}", impact.aliases.join(", "));
    }
    if !impact.parts.is_empty() {
        let parts: Vec<&str> = impact.parts.iter().map(|p| p.name.as_str()).collect();
        outln!("through its parts: {}", parts.join(", "));
    }
    let goals: HashMap<&str, &ImpactGoal> = impact
        .goals
        .iter()
        .map(|g| (g.goal.id.as_str(), g))
        .collect();
    for group in &impact.groups {
        outln!();
        outln!(
            "{} {}",
            group.unit,
            group.year.map(|y| y.to_string()).unwrap_or_default()
        );
        let mut t = table(&[
            "rank", "category", "no.", "goal", "how", "paths", "evidence",
        ]);
        for id in &group.goals {
            let Some(g) = goals.get(id.as_str()) else {
                continue;
            };
            t.add_row(vec![
                g.rank.to_string(),
                g.goal.place.category.clone(),
                g.goal.place.number.clone(),
                g.goal.name.clone(),
                how(g),
                g.path_count.to_string(),
                g.paths
                    .first()
                    .map(|p| p.evidence.clone())
                    .unwrap_or_default(),
            ]);
        }
        outln!("{t}");
    }
    if !impact.targets.is_empty() {
        outln!();
        outln!("targets these goals set");
        let mut t = table(&["goal", "target", "measures it", "evidence"]);
        for x in &impact.targets {
            t.add_row(vec![
                x.goal_name.clone(),
                x.target.name.clone(),
                if x.measures_entity { "yes" } else { "" }.to_string(),
                x.evidence.clone(),
            ]);
        }
        outln!("{t}");
    }
    if !impact.documents.is_empty() {
        outln!();
        outln!("documents these goals issue");
        let mut t = table(&["goal", "document", "verb", "evidence"]);
        for d in &impact.documents {
            t.add_row(vec![
                d.goal_name.clone(),
                d.document.name.clone(),
                d.action.clone().unwrap_or_default(),
                d.evidence.clone(),
            ]);
        }
        outln!("{t}");
    }
}
