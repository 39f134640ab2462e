//! A goal as a typed record, and the summary of it that results repeat.
//!
//! The store keeps a goal as a [`Node`] of kind `goal` whose `props` hold the fields (the
//! JSON contract shows them so); [`Goal::from_node`] and [`Goal::to_node`] convert at that
//! edge, so every reader sees typed fields and the props format lives here only.

use super::{Node, NodeKind, Props};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// One goal of a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Goal {
    pub id: String,
    /// 目标名称 (the node's `name`).
    pub title: String,
    /// The reporting unit as written (`市科技局`).
    pub unit: String,
    pub year: Option<u16>,
    /// 类别, or the outline's `一、` section heading.
    pub category: String,
    /// The `（一）` sub-section heading; empty when there is none.
    pub subcategory: String,
    /// 序号 as written (`1`).
    pub number: String,
    /// 目标内容.
    pub content: String,
    /// 标杆城市及标杆值, when the goal has one.
    pub benchmark: Option<String>,
    /// Id of the document the goal is in.
    pub document: Option<String>,
    pub document_title: Option<String>,
}

impl Goal {
    /// The goal a node of kind `goal` holds (`None` for any other kind). Lenient as the
    /// store's readers always were: a year written as a string is read as a number, a
    /// number written as a number as text, and a missing field is empty.
    pub fn from_node(node: &Node) -> Option<Goal> {
        if node.kind != NodeKind::Goal {
            return None;
        }
        let p = &node.props;
        let opt = |k: &str| p.get(k).and_then(text);
        Some(Goal {
            id: node.id.clone(),
            title: node.name.clone(),
            unit: opt("unit").unwrap_or_default(),
            year: p.get("year").and_then(year),
            category: opt("category").unwrap_or_default(),
            subcategory: opt("subcategory").unwrap_or_default(),
            number: opt("number").unwrap_or_default(),
            content: opt("content").unwrap_or_default(),
            benchmark: opt("benchmark"),
            document: opt("document"),
            document_title: opt("document_title"),
        })
    }

    /// The stored `props`: `unit`, `year`, `category`, `subcategory` (when not empty),
    /// `number`, `content`, `benchmark`, `document` and `document_title` (when present).
    pub fn to_props(&self) -> Props {
        let mut props = Props::new();
        let mut put = |k: &str, v: Value| {
            props.insert(k.to_string(), v);
        };
        put("unit", self.unit.clone().into());
        if let Some(y) = self.year {
            put("year", y.into());
        }
        put("category", self.category.clone().into());
        if !self.subcategory.is_empty() {
            put("subcategory", self.subcategory.clone().into());
        }
        put("number", self.number.clone().into());
        put("content", self.content.clone().into());
        if let Some(b) = &self.benchmark {
            put("benchmark", b.clone().into());
        }
        if let Some(d) = &self.document {
            put("document", d.clone().into());
        }
        if let Some(t) = &self.document_title {
            put("document_title", t.clone().into());
        }
        props
    }

    /// The node the store keeps (kind `goal`, `name` the title).
    pub fn to_node(&self) -> Node {
        Node {
            id: self.id.clone(),
            kind: NodeKind::Goal,
            name: self.title.clone(),
            props: self.to_props(),
        }
    }

    /// Where the goal sits: unit, year, category, number.
    pub fn place(&self) -> GoalPlace {
        GoalPlace {
            unit: self.unit.clone(),
            year: self.year,
            category: self.category.clone(),
            number: self.number.clone(),
        }
    }

    /// The goal as results list it: id, title, unit, year, category, number.
    pub fn summary(&self) -> GoalSummary {
        GoalSummary {
            id: self.id.clone(),
            name: self.title.clone(),
            place: self.place(),
        }
    }
}

/// Where a goal sits in its unit's documents: `{"unit", "year", "category", "number"}`,
/// what results group and sort goals by.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct GoalPlace {
    pub unit: String,
    pub year: Option<u16>,
    pub category: String,
    pub number: String,
}

impl GoalPlace {
    /// Read from a goal's `props` fields (any of them may be `null`), as leniently as
    /// [`Goal::from_node`].
    pub fn from_values(unit: &Value, year_v: &Value, category: &Value, number: &Value) -> Self {
        GoalPlace {
            unit: text(unit).unwrap_or_default(),
            year: year(year_v),
            category: text(category).unwrap_or_default(),
            number: text(number).unwrap_or_default(),
        }
    }
}

/// A goal in a list of results: `{"id", "name" (the title), "unit", "year", "category",
/// "number"}`. Results embed it with `#[serde(flatten)]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct GoalSummary {
    pub id: String,
    /// The goal's title.
    pub name: String,
    #[serde(flatten)]
    pub place: GoalPlace,
}

/// Only the fields of a stored goal node that [`GoalPlace`] needs, for reading the head of
/// many goals without their texts.
#[derive(Debug, Default, Deserialize)]
pub struct GoalHead {
    #[serde(default)]
    props: GoalHeadProps,
}

#[derive(Debug, Default, Deserialize)]
struct GoalHeadProps {
    #[serde(default)]
    unit: Value,
    #[serde(default)]
    year: Value,
    #[serde(default)]
    category: Value,
    #[serde(default)]
    number: Value,
}

impl GoalHead {
    pub fn place(&self) -> GoalPlace {
        let p = &self.props;
        GoalPlace::from_values(&p.unit, &p.year, &p.category, &p.number)
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn year(v: &Value) -> Option<u16> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|y| u16::try_from(y).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn goal() -> Goal {
        Goal {
            id: "goal:1".into(),
            title: "建设实验室".into(),
            unit: "市科技局".into(),
            year: Some(2021),
            category: "重点目标".into(),
            subcategory: String::new(),
            number: "3".into(),
            content: "推进建设。".into(),
            benchmark: Some("深圳".into()),
            document: Some("doc:1".into()),
            document_title: Some("2021年度业务目标".into()),
        }
    }

    #[test]
    fn a_goal_round_trips_through_its_node() {
        let g = goal();
        let node = g.to_node();
        assert_eq!(node.props["year"], json!(2021));
        assert!(!node.props.contains_key("subcategory"));
        assert_eq!(Goal::from_node(&node), Some(g));
    }

    #[test]
    fn readers_accept_a_year_as_text_and_a_number_as_a_number() {
        let mut node = goal().to_node();
        node.props.insert("year".into(), json!(" 2022 "));
        node.props.insert("number".into(), json!(7));
        node.props.remove("benchmark");
        let g = Goal::from_node(&node).unwrap();
        assert_eq!(
            (g.year, g.number.as_str(), g.benchmark),
            (Some(2022), "7", None)
        );
        node.kind = NodeKind::Place;
        assert_eq!(Goal::from_node(&node), None);
    }

    #[test]
    fn a_summary_serialises_flat() {
        let v = serde_json::to_value(goal().summary()).unwrap();
        assert_eq!(
            v,
            json!({"id": "goal:1", "name": "建设实验室", "unit": "市科技局", "year": 2021,
                   "category": "重点目标", "number": "3"})
        );
    }
}
