//! Properties as flat, typed columns for the formats that have no nested values (GraphML
//! keys, Neo4j CSV columns, Cypher maps): `props.evidence.sentence` becomes
//! `evidence_sentence`; lists become lists of strings; anything deeper becomes JSON text.

use crate::model::Props;
use serde_json::Value;
use std::collections::BTreeMap;

/// The type of one flat column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Bool,
    Long,
    Double,
    Text,
    TextList,
}

impl ColumnType {
    fn of(v: &Value) -> Option<ColumnType> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(_) => ColumnType::Bool,
            Value::Number(n) if n.is_i64() || n.is_u64() => ColumnType::Long,
            Value::Number(_) => ColumnType::Double,
            Value::String(_) | Value::Object(_) => ColumnType::Text,
            Value::Array(_) => ColumnType::TextList,
        })
    }

    fn merge(self, other: ColumnType) -> ColumnType {
        use ColumnType::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Long, Double) | (Double, Long) => Double,
            _ => Text,
        }
    }
}

/// Names a flat property may not take: they are the element's own fields.
const RESERVED: [&str; 7] = ["id", "kind", "name", "aliases", "label", "source", "target"];

/// The flat columns of `props`, in key order (nulls left out).
pub fn flatten(props: &Props) -> Vec<(String, &Value)> {
    let mut out = Vec::with_capacity(props.len());
    for (k, v) in props {
        match v {
            Value::Object(inner) => {
                for (k2, v2) in inner {
                    if !v2.is_null() {
                        out.push((column_name(&format!("{k}_{k2}")), v2));
                    }
                }
            }
            Value::Null => {}
            v => out.push((column_name(k), v)),
        }
    }
    out
}

/// A property name usable as a column or identifier: ASCII letters, digits and `_`
/// (others become `_`), not one of the element's own fields.
fn column_name(key: &str) -> String {
    let mut s: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) || RESERVED.contains(&s.as_str())
    {
        s.insert_str(0, "prop_");
    }
    s
}

/// The columns seen over many elements, each with the type that holds all its values.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub types: BTreeMap<String, ColumnType>,
}

impl Columns {
    pub fn add(&mut self, props: &Props) {
        for (k, v) in flatten(props) {
            if let Some(t) = ColumnType::of(v) {
                self.types
                    .entry(k)
                    .and_modify(|old| *old = old.merge(t))
                    .or_insert(t);
            }
        }
    }
}

/// A value as text: strings as they are, lists as JSON, the rest as JSON.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The items of a list value as text.
pub fn text_items(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().map(text).collect(),
        other => vec![text(other)],
    }
}
