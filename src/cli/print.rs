//! Tables for `search` and `show`.

use crate::error::Result;
use crate::model::Node;
use std::io::IsTerminal;

use super::output::table;

pub(super) fn print_search(results: &crate::index::SearchResults) {
    let color = std::io::stdout().is_terminal();
    outln!(
        "{} hits for {}{}",
        results.total,
        results.query,
        if results.hits.len() < results.total {
            format!(" (showing {})", results.hits.len())
        } else {
            String::new()
        }
    );
    for (i, h) in results.hits.iter().enumerate() {
        let mut place = vec![h.kind.to_string()];
        if let Some(g) = &h.goal {
            if let (false, Some(y)) = (g.unit.is_empty(), g.year) {
                place.push(format!("{} {y}", g.unit));
            }
            place.push(format!("{} {}", g.category, g.number));
        }
        outln!(
            "{:>3}. {}  [{}]  {}",
            i + 1,
            h.name,
            place.join(" · "),
            h.id
        );
        outln!("     {}", highlight(&h.snippet, &h.highlights, color));
    }
}

/// The snippet with its highlights in bold yellow on a terminal, in 【】 otherwise.
fn highlight(text: &str, ranges: &[[usize; 2]], color: bool) -> String {
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("【", "】")
    };
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    for (i, c) in text.chars().enumerate() {
        if ranges.iter().any(|r| r[0] == i) {
            out.push_str(open);
        }
        out.push(c);
        if ranges.iter().any(|r| r[1] == i + 1) {
            out.push_str(close);
        }
    }
    out
}

/// `names`: `name (kind)` of the nodes at the other ends of the edges (ids otherwise).
pub(super) fn print_show(
    view: &crate::knowledge_graph::NodeView,
    names: &std::collections::HashMap<String, String>,
) -> Result<()> {
    let n = &view.node;
    outln!("{} ({}) {}", n.name, n.kind, n.id);
    if !view.aliases.is_empty() {
        outln!("  aliases: {}", view.aliases.join(", "));
    }
    for (k, v) in &n.props {
        let v = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        outln!("  {k}: {v}");
    }
    if !view.lineage.is_empty() {
        let mut t = table(&["year", "role", "action", "unit", "goal or version"]);
        for u in &view.lineage {
            t.add_row(vec![
                u.year.map(|y| y.to_string()).unwrap_or_default(),
                u.role.clone(),
                u.action.clone().unwrap_or_default(),
                u.unit.clone(),
                u.name.clone(),
            ]);
        }
        outln!("{t}");
    }
    if view.edges.is_empty() {
        return Ok(());
    }
    let mut t = table(&["direction", "label", "node", "evidence"]);
    for e in &view.edges {
        let (dir, other) = if e.source == n.id {
            ("→", &e.target)
        } else {
            ("←", &e.source)
        };
        let other_name = names.get(other).cloned().unwrap_or_else(|| other.clone());
        t.add_row(vec![
            dir.to_string(),
            e.label.to_string(),
            other_name,
            e.evidence_sentence().unwrap_or_default(),
        ]);
    }
    outln!("{t}");
    Ok(())
}

/// `name (kind)` of a node.
pub(super) fn label_of(n: &Node) -> String {
    format!("{} ({})", n.name, n.kind)
}

/// The user aliases as a table (`alias list`).
pub(super) fn print_aliases(list: &crate::knowledge_graph::AliasList) {
    if list.aliases.is_empty() {
        outln!("no aliases added (plangraph alias add ALIAS NAME_OR_ID)");
        return;
    }
    let mut t = table(&["alias", "node", "name", "added_at", "merged"]);
    for a in &list.aliases {
        t.add_row(vec![
            a.alias.clone(),
            a.node.clone(),
            a.name.clone(),
            utc(a.added_at),
            a.merged.join(", "),
        ]);
    }
    outln!("{t}");
}

/// Seconds since the Unix epoch as `YYYY-MM-DD HH:MM UTC`.
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // days to a civil date (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(super::utc(1_700_000_000), "2023-11-14 22:13 UTC");
    }
}
