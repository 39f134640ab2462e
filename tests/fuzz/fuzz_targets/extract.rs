//! Any text as a goal's title, content and benchmark, through entity, document, target
//! and relation extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plangraph::extract::{Extractor, Segmenter};
use plangraph::model::{Node, NodeKind};
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| Extractor::new(Segmenter::shared()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Split into the three fields at the first two line feeds.
    let mut parts = text.splitn(3, '\n');
    let title = parts.next().unwrap_or("");
    let content = parts.next().unwrap_or("");
    let benchmark = parts.next().unwrap_or("");
    let mut goal = Node::entity(NodeKind::Goal, title);
    goal.name = title.to_string();
    goal.props
        .insert("content".into(), serde_json::Value::from(content));
    goal.props
        .insert("benchmark".into(), serde_json::Value::from(benchmark));
    let _ = extractor().extract_goal("fuzzdoc", &goal);
});
