//! The table of `targets`.

use crate::knowledge_graph::TargetList;

use super::output::table;

fn number(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub(super) fn print_targets(list: &TargetList) {
    let shown = list.targets.len();
    let what = if list.total == 1 { "target" } else { "targets" };
    match &list.subject {
        Some(s) => outln!(
            "{} {what} counting {} ({}, {})",
            list.total,
            s.name,
            s.kind,
            s.id
        ),
        None => outln!("{} {what}", list.total),
    }
    if shown < list.total {
        outln!(
            "showing {}–{} (sorted by {})",
            list.offset + 1,
            list.offset + shown,
            list.sort
        );
    }
    if !list.series.is_empty() {
        outln!();
        outln!("series");
        let mut t = table(&["year", "unit", "target", "goal"]);
        for p in &list.series {
            t.add_row(vec![
                p.year.map(|y| y.to_string()).unwrap_or_default(),
                p.owner.clone(),
                p.raw.clone(),
                p.goal_title.clone(),
            ]);
        }
        outln!("{t}");
    }
    if shown == 0 {
        return;
    }
    outln!();
    let mut t = table(&[
        "year",
        "unit",
        "goal",
        "target",
        "value",
        "range",
        "measure",
        "qualifier",
        "subject",
        "evidence",
    ]);
    for r in &list.targets {
        let range = match (r.low, r.high) {
            (Some(l), Some(h)) => format!("{l}–{h}"),
            _ => String::new(),
        };
        let subject = match &r.subject_node {
            Some(n) if n.class => format!("{} (class)", n.name),
            Some(n) => n.name.clone(),
            None => r.subject.clone().unwrap_or_default(),
        };
        t.add_row(vec![
            r.goal.place.year.map(|y| y.to_string()).unwrap_or_default(),
            r.goal.place.unit.clone(),
            r.goal.name.clone(),
            r.raw.clone(),
            number(r.value),
            range,
            r.unit.clone().unwrap_or_default(),
            r.qualifier.clone().unwrap_or_default(),
            subject,
            r.evidence.clone(),
        ]);
    }
    outln!("{t}");
}
