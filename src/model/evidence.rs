//! Where an edge came from: the sentence that says so, stored in the edge's
//! `props.evidence` through serde.

use super::Edge;
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

/// Which part of a goal a sentence comes from. Serialised lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    /// The goal's main text (also what an evidence that does not say reads as).
    #[default]
    Content,
    Benchmark,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Title, Field::Content, Field::Benchmark];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Content => "content",
            Field::Benchmark => "benchmark",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The sentence an edge came from: `{"document", "goal", "field", "sentence", "start",
/// "end", "mention_start", "mention_end"}` in `props.evidence`. Fields missing from a
/// stored evidence (an imported graph) read as empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Evidence {
    /// Id of the document the sentence is in.
    pub document: String,
    /// Id of the goal whose text holds the sentence.
    pub goal: String,
    /// Which part of the goal: `title`, `content` or `benchmark`.
    pub field: Field,
    /// The whole sentence.
    pub sentence: String,
    /// Character (not byte) offsets of the sentence within that field.
    pub start: usize,
    pub end: usize,
    /// Character offsets of the mention within the sentence.
    pub mention_start: usize,
    pub mention_end: usize,
}

impl Edge {
    /// The edge's `props.evidence`, when it has one that reads as an [`Evidence`].
    pub fn evidence(&self) -> Option<Evidence> {
        Evidence::deserialize(self.props.get("evidence")?).ok()
    }

    /// The sentence of the edge's evidence, when there is a non-empty one.
    /// Reads only that field, so an evidence with other fields malformed still shows it.
    pub fn evidence_sentence(&self) -> Option<String> {
        self.props
            .get("evidence")?
            .get("sentence")?
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    /// Stores `evidence` as `props.evidence`.
    pub fn set_evidence(&mut self, evidence: &Evidence) {
        let v = serde_json::to_value(evidence).expect("evidence serialises");
        self.props.insert("evidence".into(), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EdgeLabel;
    use serde_json::json;

    #[test]
    fn evidence_is_stored_flat_and_read_back() {
        let ev = Evidence {
            document: "doc:1".into(),
            goal: "goal:2".into(),
            field: Field::Benchmark,
            sentence: "甲乙".into(),
            start: 1,
            end: 3,
            mention_start: 0,
            mention_end: 1,
        };
        let mut e = Edge::new("goal:2", EdgeLabel::Mentions, "place:3");
        e.set_evidence(&ev);
        assert_eq!(
            e.props["evidence"],
            json!({"document": "doc:1", "goal": "goal:2", "field": "benchmark",
                   "sentence": "甲乙", "start": 1, "end": 3, "mention_start": 0,
                   "mention_end": 1})
        );
        assert_eq!(e.evidence(), Some(ev));
        assert_eq!(e.evidence_sentence().as_deref(), Some("甲乙"));
    }

    #[test]
    fn a_partial_evidence_reads_with_empty_fields() {
        let mut e = Edge::new("a", EdgeLabel::Mentions, "b");
        assert_eq!(e.evidence(), None);
        e.props
            .insert("evidence".into(), json!({"sentence": "只有句子"}));
        let ev = e.evidence().unwrap();
        assert_eq!(
            (ev.sentence.as_str(), ev.field, ev.end),
            ("只有句子", Field::Content, 0)
        );
        e.props.insert("evidence".into(), json!({"sentence": ""}));
        assert_eq!(e.evidence_sentence(), None);
    }
}
