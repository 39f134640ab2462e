//! The readable table of `diff`.

use super::output::table;
use crate::knowledge_graph::{Diff, Mentioned};

pub(super) fn print_diff(d: &Diff) {
    outln!(
        "{} from {} to {}: {} goals continued, {} added, {} dropped",
        d.unit,
        d.from,
        d.to,
        d.continued.len(),
        d.added.len(),
        d.dropped.len()
    );
    outln!();
    outln!("goals continued");
    let mut t = table(&["score", &d.from.to_string(), &d.to.to_string(), "reason"]);
    for c in &d.continued {
        t.add_row(vec![
            format!("{:.2}", c.score),
            c.old.name.clone(),
            c.new.name.clone(),
            c.reason.clone(),
        ]);
    }
    outln!("{t}");
    for (what, goals) in [("goals added", &d.added), ("goals dropped", &d.dropped)] {
        if goals.is_empty() {
            continue;
        }
        outln!();
        outln!("{what}");
        let mut t = table(&["category", "no.", "goal"]);
        for g in goals {
            t.add_row(vec![
                g.place.category.clone(),
                g.place.number.clone(),
                g.name.clone(),
            ]);
        }
        outln!("{t}");
    }
    if !d.targets.is_empty() {
        outln!();
        outln!("targets");
        let mut t = table(&[
            "subject",
            "unit",
            &d.from.to_string(),
            &d.to.to_string(),
            "change",
        ]);
        for c in &d.targets {
            t.add_row(vec![
                c.subject.clone(),
                c.unit.clone(),
                c.old.clone().unwrap_or_else(|| "-".into()),
                c.new.clone().unwrap_or_else(|| "-".into()),
                c.change.clone(),
            ]);
        }
        outln!("{t}");
    }
    for (what, m) in [
        ("platforms", &d.platforms),
        ("policy documents", &d.documents),
        ("responsible offices", &d.responsible),
    ] {
        print_mentioned(what, m);
    }
}

fn print_mentioned(what: &str, m: &Mentioned) {
    if m.newly_relied_on.is_empty() && m.no_longer_mentioned.is_empty() {
        return;
    }
    outln!();
    outln!("{what}");
    let mut t = table(&["", "name", "kind"]);
    for (side, list) in [
        ("newly relied on", &m.newly_relied_on),
        ("no longer mentioned", &m.no_longer_mentioned),
    ] {
        for n in list {
            t.add_row(vec![side.to_string(), n.name.clone(), n.kind.to_string()]);
        }
    }
    outln!("{t}");
}
