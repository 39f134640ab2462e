//! `targets`: every numeric target (150家以上, 突破5300家, 增长25%左右 …) with its value,
//! range, unit, qualifier, the subject it counts (resolved through aliases and classes),
//! its goal, the goal's unit and year and the evidence sentence; filtered, sorted, paged,
//! and for one subject its series across years.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::ingest::category_order;
use crate::limits;
use crate::model::{normalize_name, EdgeLabel, Goal, GoalSummary, Node, NodeKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::KnowledgeGraph;

/// How `targets` orders its rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetSort {
    /// Oldest year first, then unit, category and goal number (the default).
    #[default]
    Year,
    /// Largest value first (then oldest year first).
    Value,
    /// By the subject's name, then oldest year first.
    Subject,
}

impl TargetSort {
    pub const ALL: [TargetSort; 3] = [TargetSort::Year, TargetSort::Value, TargetSort::Subject];

    pub fn as_str(self) -> &'static str {
        match self {
            TargetSort::Year => "year",
            TargetSort::Value => "value",
            TargetSort::Subject => "subject",
        }
    }
}

impl fmt::Display for TargetSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TargetSort {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        TargetSort::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::InvalidParam {
                param: "sort",
                reason: format!("unknown sort '{s}' (expected one of: value, year, subject)"),
            })
    }
}

/// What `targets` is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetsRequest {
    /// Only targets counting this subject (a name, alias or class; 高企 → 高新技术企业).
    pub subject: Option<String>,
    /// Only targets of goals of this unit (市科技局).
    pub unit: Option<String>,
    /// Only targets of goals of this year.
    pub year: Option<u16>,
    pub sort: TargetSort,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// `targets`: one page of numeric targets.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TargetList {
    /// How many targets match (before paging).
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub sort: TargetSort,
    /// The subject asked for, resolved (`null` without `subject`, or when no node carries
    /// that name and only targets' subjects as written match it).
    pub subject: Option<Node>,
    pub targets: Vec<TargetRow>,
    /// With `subject`: every matching target, oldest year first (not paged); empty
    /// without `subject`.
    #[serde(default)]
    pub series: Vec<SeriesPoint>,
}

/// One numeric target.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TargetRow {
    /// The target node's id.
    pub id: String,
    /// As written (150家以上).
    pub raw: String,
    pub value: Option<f64>,
    /// The range's ends (1-2家), when it is a range.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The measure (家, %, 亿元).
    pub unit: Option<String>,
    /// 以上, 突破, 左右 …
    pub qualifier: Option<String>,
    /// The subject as written in the sentence.
    pub subject: Option<String>,
    /// The node the target counts (`measures`), when it has one.
    pub subject_node: Option<SubjectRef>,
    /// The goal setting it: id, title (`name`), unit, year, category, number.
    pub goal: GoalSummary,
    pub document: Option<String>,
    pub document_title: Option<String>,
    /// The sentence stating the target.
    pub evidence: String,
}

/// The node a target counts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SubjectRef {
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
    /// A class of things (高新技术企业), not one named platform.
    pub class: bool,
}

/// One value of a subject's series.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SeriesPoint {
    pub year: Option<u16>,
    /// The goal's unit.
    pub owner: String,
    pub raw: String,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
    /// The target node's id.
    pub target: String,
    /// The goal's id and title.
    pub goal: String,
    pub goal_title: String,
}

fn num(n: &Node, key: &str) -> Option<f64> {
    n.props.get(key).and_then(Value::as_f64)
}

fn text(n: &Node, key: &str) -> Option<String> {
    n.prop_str(key).map(str::to_string)
}

impl KnowledgeGraph {
    /// Every numeric target, as [`TargetsRequest`] asks. A `subject` no node and no
    /// target carries is [`crate::Error::NotFound`] with the closest names.
    ///
    /// ```no_run
    /// # let kg = plangraph::knowledge_graph::KnowledgeGraph::temporary()?;
    /// use plangraph::knowledge_graph::TargetsRequest;
    /// let req = TargetsRequest { subject: Some("高企".into()), ..Default::default() };
    /// for p in kg.targets(&req)?.series { println!("{:?} {}", p.year, p.raw); }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn targets(&self, req: &TargetsRequest) -> Result<TargetList> {
        let limit = limits::TARGETS_LIMIT.check(req.limit)?;
        let offset = limits::TARGETS_OFFSET.check(req.offset)?;
        let unit = match req.unit.as_deref().map(str::trim) {
            Some("") => {
                return Err(Error::InvalidParam {
                    param: "unit",
                    reason: "empty unit".into(),
                })
            }
            u => u.map(normalize_name),
        };
        // The subject: its node (through aliases and classes) and every name it goes by.
        let (subject, names, unresolved) = match req.subject.as_deref() {
            None => (None, HashSet::new(), None),
            Some(s) if s.trim().is_empty() => {
                return Err(Error::InvalidParam {
                    param: "subject",
                    reason: "empty subject".into(),
                })
            }
            Some(s) => match self.resolve(s) {
                Ok(node) => {
                    let mut names: HashSet<String> = self
                        .store
                        .aliases_of(&node)?
                        .iter()
                        .map(|a| normalize_name(a))
                        .collect();
                    names.insert(normalize_name(&node.name));
                    (Some(node), names, None)
                }
                Err(e @ Error::NotFound { .. }) => {
                    (None, HashSet::from([normalize_name(s)]), Some(e))
                }
                Err(e) => return Err(e),
            },
        };
        let filtered = req.subject.is_some();

        let mut goals: HashMap<String, Option<Goal>> = HashMap::new();
        let mut rows = Vec::new();
        for r in self.store.node_kinds() {
            let (id, kind) = r?;
            if kind != NodeKind::Target {
                continue;
            }
            let Some(t) = self.store.node(&id)? else {
                continue;
            };
            let measured = self.store.edges_out(&id, Some(EdgeLabel::Measures))?;
            let subject_node = match measured.first() {
                Some(e) => self.store.node(&e.target)?,
                None => None,
            };
            let written = text(&t, "subject");
            if filtered {
                // A target counts the node it measures; one that measures none counts
                // what its subject as written names (北方基金年度投资额 → 北方基金).
                let counts = match (&subject_node, written.as_deref()) {
                    (Some(n), _) => subject.as_ref().is_some_and(|s| s.id == n.id),
                    (None, Some(w)) => {
                        let w = normalize_name(w);
                        names.iter().any(|n| {
                            w == *n
                                || (n.chars().count() >= 2 && w.contains(n.as_str()))
                                || (unresolved.is_some()
                                    && w.chars().count() >= 2
                                    && n.contains(w.as_str()))
                        })
                    }
                    (None, None) => false,
                };
                if !counts {
                    continue;
                }
            }
            for e in self.store.edges_in(&id, Some(EdgeLabel::SetsTarget))? {
                let goal = match goals.get(&e.source) {
                    Some(g) => g.clone(),
                    None => {
                        let g = self
                            .store
                            .node(&e.source)?
                            .as_ref()
                            .and_then(Goal::from_node);
                        goals.insert(e.source.clone(), g.clone());
                        g
                    }
                };
                let Some(goal) = goal else { continue };
                if req.year.is_some() && goal.year != req.year {
                    continue;
                }
                if unit
                    .as_deref()
                    .is_some_and(|u| normalize_name(&goal.unit) != u)
                {
                    continue;
                }
                rows.push(TargetRow {
                    id: t.id.clone(),
                    raw: text(&t, "raw").unwrap_or_else(|| t.name.clone()),
                    value: num(&t, "value"),
                    low: num(&t, "low"),
                    high: num(&t, "high"),
                    unit: text(&t, "unit"),
                    qualifier: text(&t, "qualifier"),
                    subject: written.clone(),
                    subject_node: subject_node.as_ref().map(|n| SubjectRef {
                        id: n.id.clone(),
                        name: n.name.clone(),
                        kind: n.kind,
                        class: n.props.get("class").and_then(Value::as_bool) == Some(true),
                    }),
                    goal: goal.summary(),
                    document: goal.document.clone(),
                    document_title: goal.document_title.clone(),
                    evidence: e.evidence_sentence().unwrap_or_default(),
                });
            }
        }
        if let Some(e) = unresolved {
            if rows.is_empty() {
                return Err(e);
            }
        }

        let year_key = |r: &TargetRow| {
            let p = &r.goal.place;
            (
                p.year.unwrap_or(u16::MAX),
                p.unit.clone(),
                category_order(&p.category),
                p.category.clone(),
                p.number.trim().parse::<u64>().unwrap_or(u64::MAX),
                p.number.clone(),
                r.goal.id.clone(),
                r.id.clone(),
            )
        };
        let subject_name = |r: &TargetRow| {
            r.subject_node
                .as_ref()
                .map(|n| n.name.clone())
                .or_else(|| r.subject.clone())
                .unwrap_or_default()
        };
        rows.sort_by_cached_key(year_key);
        let series = if filtered {
            rows.iter()
                .map(|r| SeriesPoint {
                    year: r.goal.place.year,
                    owner: r.goal.place.unit.clone(),
                    raw: r.raw.clone(),
                    value: r.value,
                    low: r.low,
                    high: r.high,
                    unit: r.unit.clone(),
                    qualifier: r.qualifier.clone(),
                    target: r.id.clone(),
                    goal: r.goal.id.clone(),
                    goal_title: r.goal.name.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        match req.sort {
            TargetSort::Year => {}
            // stable: ties keep the year order
            TargetSort::Value => rows.sort_by(|a, b| {
                b.value
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.value.unwrap_or(f64::NEG_INFINITY))
            }),
            TargetSort::Subject => rows.sort_by_cached_key(|r| {
                let s = subject_name(r);
                (s.is_empty(), s)
            }),
        }
        let total = rows.len();
        let targets = rows.into_iter().skip(offset).take(limit).collect();
        Ok(TargetList {
            total,
            offset,
            limit,
            sort: req.sort,
            subject,
            targets,
            series,
        })
    }
}
