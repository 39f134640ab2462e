//! How an edge's props are stored in `edges_out`: JSON, except that an evidence whose
//! sentence its goal already holds is kept as offsets. The goal (one of the edge's two
//! ends, so it lives as long as the edge) has the field text; the sentence is cut from it
//! again when the edge is read, so every reader sees the props that were written.
//!
//! A value is either the props as JSON (`{…}`), or `~` followed by the JSON array
//! `[props without evidence, end, field, start, end, mention_start, mention_end, document]`
//! where the first `end` says which end of the edge is the goal (0 source, 1 target) and
//! `document` is `null` when it is the goal's own `document`.
//!
//! An evidence is kept as offsets only when it reads back exactly: it has the shape of an
//! [`Evidence`], names one of the edge's ends as its goal, and the goal's field holds its
//! sentence at `start..end` (character offsets). Anything else (an imported graph's free
//! form props, a sentence from another goal) is stored whole.

use super::{decode, T_NODES, T_OUT};
use crate::error::{Error, Result};
use crate::model::{Evidence, Field, Goal, Node, NodeKind, Props};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// The first byte of a value whose evidence is kept as offsets (a JSON value never
/// starts with it).
const OFFSETS: u8 = b'~';

/// The texts of a goal's fields, and the document it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GoalText {
    title: String,
    content: String,
    benchmark: String,
    document: Option<String>,
}

impl GoalText {
    /// The texts of a goal node (`None` for another kind).
    pub(super) fn of(node: &Node) -> Option<GoalText> {
        if node.kind != NodeKind::Goal {
            return None;
        }
        let g = Goal::from_node(node)?;
        Some(GoalText {
            title: g.title,
            content: g.content,
            benchmark: g.benchmark.unwrap_or_default(),
            document: g.document,
        })
    }

    /// Characters `start..end` of `field` (fewer when the text is shorter).
    fn cut(&self, field: Field, start: usize, end: usize) -> String {
        let text = match field {
            Field::Title => &self.title,
            Field::Content => &self.content,
            Field::Benchmark => &self.benchmark,
        };
        text.chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect()
    }
}

/// Encode `props` of the edge `source → target`; `goal(id)` gives the texts of a goal
/// node (called at most once, for the evidence's goal when it is one of the ends).
pub(super) fn encode(
    props: &Props,
    source: &str,
    target: &str,
    goal: impl FnOnce(&str) -> Result<Option<GoalText>>,
) -> Result<Vec<u8>> {
    if let Some(bytes) = as_offsets(props, source, target, goal)? {
        return Ok(bytes);
    }
    Ok(serde_json::to_vec(props)?)
}

fn as_offsets(
    props: &Props,
    source: &str,
    target: &str,
    goal: impl FnOnce(&str) -> Result<Option<GoalText>>,
) -> Result<Option<Vec<u8>>> {
    let Some(value) = props.get("evidence") else {
        return Ok(None);
    };
    let Ok(ev) = Evidence::deserialize(value) else {
        return Ok(None);
    };
    // only an evidence that reads back as the same JSON (no extra or odd fields)
    if ev.sentence.is_empty() || serde_json::to_value(&ev).ok().as_ref() != Some(value) {
        return Ok(None);
    }
    let end = if ev.goal == source {
        0
    } else if ev.goal == target {
        1
    } else {
        return Ok(None);
    };
    let Some(text) = goal(&ev.goal)? else {
        return Ok(None);
    };
    if text.cut(ev.field, ev.start, ev.end) != ev.sentence {
        return Ok(None);
    }
    let document = if text.document.as_deref() == Some(ev.document.as_str()) {
        Value::Null
    } else {
        Value::String(ev.document.clone())
    };
    let mut rest = props.clone();
    rest.remove("evidence");
    let row = serde_json::json!([
        rest,
        end,
        ev.field,
        ev.start,
        ev.end,
        ev.mention_start,
        ev.mention_end,
        document
    ]);
    let mut bytes = vec![OFFSETS];
    serde_json::to_writer(&mut bytes, &row)?;
    Ok(Some(bytes))
}

type Row = (Props, u8, Field, usize, usize, usize, usize, Option<String>);

/// The goals a read has looked up, so a read of many edges decodes each goal once.
/// Bounded: it starts afresh past [`GoalCache::MAX`] goals (the goals it was given with
/// [`GoalCache::knowing`] stay).
pub(super) struct GoalCache<'a> {
    nodes: &'a sled::Tree,
    goals: HashMap<String, Option<Arc<GoalText>>>,
    known: HashMap<&'a str, Arc<GoalText>>,
}

impl<'a> GoalCache<'a> {
    const MAX: usize = 256;

    pub(super) fn new(nodes: &'a sled::Tree) -> GoalCache<'a> {
        GoalCache {
            nodes,
            goals: HashMap::new(),
            known: HashMap::new(),
        }
    }

    /// A cache that takes the texts of the goals among `nodes` from them, not the store
    /// (a caller that read the nodes already).
    pub(super) fn knowing(tree: &'a sled::Tree, nodes: &'a [Node]) -> GoalCache<'a> {
        let mut cache = GoalCache::new(tree);
        cache.known = nodes
            .iter()
            .filter_map(|n| Some((n.id.as_str(), Arc::new(GoalText::of(n)?))))
            .collect();
        cache
    }

    fn get(&mut self, id: &str) -> Result<Option<Arc<GoalText>>> {
        if let Some(text) = self.known.get(id) {
            return Ok(Some(text.clone()));
        }
        if let Some(g) = self.goals.get(id) {
            return Ok(g.clone());
        }
        let text = match self.nodes.get(id.as_bytes())? {
            Some(v) => GoalText::of(&decode::<Node>(T_NODES, &v)?).map(Arc::new),
            None => None,
        };
        if self.goals.len() >= Self::MAX {
            self.goals.clear();
        }
        self.goals.insert(id.to_string(), text.clone());
        Ok(text)
    }

    /// The props of the edge `source → target` stored as `bytes`.
    pub(super) fn decode(&mut self, source: &str, target: &str, bytes: &[u8]) -> Result<Props> {
        let Some(rest) = bytes.strip_prefix(&[OFFSETS]) else {
            return decode(T_OUT, bytes);
        };
        let (mut props, end, field, start, stop, mention_start, mention_end, document): Row =
            decode(T_OUT, rest)?;
        let goal = if end == 0 { source } else { target };
        let text = self.get(goal)?.ok_or_else(|| Error::Corrupt {
            tree: T_OUT,
            reason: format!(
                "the evidence of edge {source} → {target} names goal {goal}, which is not stored"
            ),
        })?;
        let ev = Evidence {
            document: document
                .or_else(|| text.document.clone())
                .unwrap_or_default(),
            goal: goal.to_string(),
            field,
            sentence: text.cut(field, start, stop),
            start,
            end: stop,
            mention_start,
            mention_end,
        };
        props.insert("evidence".into(), serde_json::to_value(&ev)?);
        Ok(props)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, EdgeLabel};
    use serde_json::json;

    fn goal_node() -> Node {
        Goal {
            id: "goal:1".into(),
            title: "建设实验室".into(),
            content: "推进建设。支持崂山实验室建设。".into(),
            benchmark: Some("深圳：3家".into()),
            document: Some("doc:1".into()),
            ..Goal::default()
        }
        .to_node()
    }

    fn evidence() -> Evidence {
        Evidence {
            document: "doc:1".into(),
            goal: "goal:1".into(),
            field: Field::Content,
            sentence: "支持崂山实验室建设。".into(),
            start: 5,
            end: 15,
            mention_start: 2,
            mention_end: 7,
        }
    }

    fn round_trip(props: &Props, source: &str, target: &str) -> (Vec<u8>, Props) {
        let tree = sled::Config::new()
            .temporary(true)
            .open()
            .unwrap()
            .open_tree("nodes")
            .unwrap();
        let node = goal_node();
        tree.insert(node.id.as_bytes(), serde_json::to_vec(&node).unwrap())
            .unwrap();
        let bytes = encode(props, source, target, |id| {
            assert_eq!(id, "goal:1");
            Ok(GoalText::of(&node))
        })
        .unwrap();
        let back = GoalCache::new(&tree)
            .decode(source, target, &bytes)
            .unwrap();
        (bytes, back)
    }

    #[test]
    fn a_sentence_its_goal_holds_is_stored_as_offsets_and_read_back_whole() {
        let mut e = Edge::new("goal:1", EdgeLabel::Mentions, "institution:2");
        e.set_evidence(&evidence());
        e.props.insert("mentions".into(), json!(2));
        let (bytes, back) = round_trip(&e.props, &e.source, &e.target);
        assert_eq!(bytes[0], OFFSETS);
        assert!(!String::from_utf8_lossy(&bytes).contains("崂山"));
        assert_eq!(back, e.props);
        // the goal at the other end, another document, the benchmark field
        let mut ev = evidence();
        ev.document = "doc:9".into();
        ev.field = Field::Benchmark;
        ev.sentence = "3家".into();
        ev.start = 3;
        ev.end = 5;
        let mut e = Edge::new("office:3", EdgeLabel::Responsible, "goal:1");
        e.set_evidence(&ev);
        let (bytes, back) = round_trip(&e.props, &e.source, &e.target);
        assert_eq!(bytes[0], OFFSETS);
        assert_eq!(back, e.props);
        assert_eq!(back["evidence"]["document"], "doc:9");
    }

    #[test]
    fn an_evidence_that_would_not_read_back_is_stored_whole() {
        let cases: Vec<(Value, &str)> = vec![
            // another sentence than the goal holds there
            (
                json!({"sentence": "别的句子", "goal": "goal:1", "start": 5, "end": 9}),
                "goal:1",
            ),
            // a goal that is not one of the ends
            (serde_json::to_value(evidence()).unwrap(), "entity:7"),
            // an extra field
            (
                {
                    let mut v = serde_json::to_value(evidence()).unwrap();
                    v["note"] = json!("x");
                    v
                },
                "goal:1",
            ),
            // not an object
            (json!("文本"), "goal:1"),
        ];
        for (ev, source) in cases {
            let mut props = Props::new();
            props.insert("evidence".into(), ev);
            let (bytes, back) = round_trip(&props, source, "place:2");
            assert_eq!(bytes[0], b'{');
            assert_eq!(back, props);
        }
    }
}
