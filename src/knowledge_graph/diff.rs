//! `diff UNIT FROM TO`: what changed in a unit's goals from one year's documents to
//! another's: goals continued (paired as `continues` pairs them), added and dropped;
//! targets of the same subject raised, lowered, unchanged, removed or new; platforms and
//! policy documents newly relied on or no longer mentioned; offices newly or no longer
//! responsible.

use crate::error::{Error, Result};
use crate::model::{normalize_name, EdgeLabel, Goal, GoalSummary, NodeKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

use super::continues::pair_goals;
use super::KnowledgeGraph;

/// `diff`: a unit's goals from year `from` to year `to`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Diff {
    pub unit: String,
    pub from: u16,
    pub to: u16,
    /// Ids of the unit's documents of each year.
    pub from_documents: Vec<String>,
    pub to_documents: Vec<String>,
    /// Goals of `to` that continue a goal of `from`, in `to`'s order.
    pub continued: Vec<ContinuedGoal>,
    /// Goals of `to` that continue none.
    pub added: Vec<GoalSummary>,
    /// Goals of `from` that none continues.
    pub dropped: Vec<GoalSummary>,
    /// Targets by subject: changed ones first as read (`to`'s order), then removed ones.
    pub targets: Vec<TargetChange>,
    /// Institutions, organisations, places and programmes the goals rely on or mention.
    pub platforms: Mentioned,
    /// Policy documents the goals issue, revise or implement.
    pub documents: Mentioned,
    /// Offices named responsible (`responsible` edges: 责任单位, 牵头/配合, 由X负责) for
    /// `to`'s goals and not `from`'s (`newly_relied_on`), and the other way round.
    pub responsible: Mentioned,
}

/// A goal and the goal of the earlier year it continues.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContinuedGoal {
    pub old: GoalSummary,
    pub new: GoalSummary,
    /// 0–1, as on the `continues` edge.
    pub score: f64,
    /// The shared title words, platforms and target subjects.
    pub reason: String,
}

/// The targets of one subject in the two years.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TargetChange {
    /// What the target counts (the node it measures, or the subject its sentence names).
    pub subject: String,
    /// The subject's node id, when the target measures a node.
    pub subject_id: Option<String>,
    /// 家, 场, %, 亿元 …
    pub unit: String,
    /// The figure as written (`150家以上`), `null` when new.
    pub old: Option<String>,
    /// The figure as written, `null` when removed.
    pub new: Option<String>,
    pub old_value: Option<f64>,
    pub new_value: Option<f64>,
    /// `raised`, `lowered`, `unchanged`, `removed` or `new` (ranges compared by midpoint).
    pub change: String,
    /// The goals holding the targets.
    pub old_goal: Option<String>,
    pub new_goal: Option<String>,
}

/// Nodes mentioned in one year and not the other.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Mentioned {
    /// Named in `to`'s goals, not in `from`'s.
    pub newly_relied_on: Vec<MentionedNode>,
    /// Named in `from`'s goals, not in `to`'s.
    pub no_longer_mentioned: Vec<MentionedNode>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MentionedNode {
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
}

/// A target as read for the diff.
struct YearTarget {
    key: String,
    subject: String,
    subject_id: Option<String>,
    unit: String,
    raw: String,
    value: Option<f64>,
    goal: String,
}

fn num(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64)
}

impl KnowledgeGraph {
    /// What changed in `unit`'s goals from year `from` to year `to`. An unknown unit is an
    /// error naming `unit` (with the units known); a year without a document of the unit
    /// is an error naming `from` or `to` (with the years it has).
    pub fn diff(&self, unit: &str, from: u16, to: u16) -> Result<Diff> {
        let docs = self.store.unit_documents(unit)?;
        if docs.is_empty() {
            let mut units = BTreeSet::new();
            for r in self.store.documents() {
                units.insert(r?.unit);
            }
            return Err(Error::InvalidParam {
                param: "unit",
                reason: format!(
                    "no document of unit `{unit}` (units: {})",
                    units.into_iter().collect::<Vec<_>>().join(", ")
                ),
            });
        }
        let years: BTreeSet<u16> = docs.iter().map(|(y, _)| *y).collect();
        let of_year = |param: &'static str, year: u16| -> Result<Vec<String>> {
            let ids: Vec<String> = docs
                .iter()
                .filter(|(y, _)| *y == year)
                .map(|(_, d)| d.clone())
                .collect();
            if ids.is_empty() {
                return Err(Error::InvalidParam {
                    param,
                    reason: format!(
                        "unit `{unit}` has no document of {year} (years: {})",
                        years
                            .iter()
                            .map(u16::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            Ok(ids)
        };
        let from_documents = of_year("from", from)?;
        let to_documents = of_year("to", to)?;
        let unit_name = self
            .store
            .document(&from_documents[0])?
            .map(|r| r.unit)
            .unwrap_or_else(|| unit.to_string());

        let profiles = |ids: &[String]| -> Result<Vec<_>> {
            let mut out = Vec::new();
            for d in ids {
                out.extend(self.goal_profiles(d)?);
            }
            Ok(out)
        };
        let (old, new) = (profiles(&from_documents)?, profiles(&to_documents)?);
        let pairs = pair_goals(&new, &old);
        let summary = |id: &str| -> Result<Option<GoalSummary>> {
            Ok(self
                .store
                .node(id)?
                .as_ref()
                .and_then(Goal::from_node)
                .map(|g| g.summary()))
        };
        let mut continued = Vec::new();
        let (mut used_new, mut used_old) = (BTreeSet::new(), BTreeSet::new());
        for (i, j, m) in pairs {
            used_new.insert(i);
            used_old.insert(j);
            if let (Some(o), Some(n)) = (summary(&old[j].id)?, summary(&new[i].id)?) {
                continued.push(ContinuedGoal {
                    old: o,
                    new: n,
                    score: m.score,
                    reason: m.reason(),
                });
            }
        }
        let rest = |all: &[super::continues::GoalProfile], used: &BTreeSet<usize>| {
            let mut out = Vec::new();
            for (i, p) in all.iter().enumerate() {
                if !used.contains(&i) {
                    if let Some(s) = summary(&p.id)? {
                        out.push(s);
                    }
                }
            }
            Ok::<_, Error>(out)
        };
        let added = rest(&new, &used_new)?;
        let dropped = rest(&old, &used_old)?;

        let old_targets = self.year_targets(&old)?;
        let new_targets = self.year_targets(&new)?;
        let targets = target_changes(old_targets, new_targets);

        let (old_platforms, old_docs) = mentioned(&old);
        let (new_platforms, new_docs) = mentioned(&new);
        let kinds = |ids: &BTreeMap<String, String>| -> Result<BTreeMap<String, MentionedNode>> {
            let mut out = BTreeMap::new();
            for (id, name) in ids {
                if let Some(n) = self.store.node(id)? {
                    out.insert(
                        id.clone(),
                        MentionedNode {
                            id: id.clone(),
                            name: name.clone(),
                            kind: n.kind,
                        },
                    );
                }
            }
            Ok(out)
        };
        let compare = |a: BTreeMap<String, MentionedNode>, b: BTreeMap<String, MentionedNode>| {
            let only = |x: &BTreeMap<String, MentionedNode>,
                        y: &BTreeMap<String, MentionedNode>| {
                let mut v: Vec<MentionedNode> = x
                    .iter()
                    .filter(|(id, _)| !y.contains_key(*id))
                    .map(|(_, n)| n.clone())
                    .collect();
                v.sort_by(|p, q| p.name.cmp(&q.name).then(p.id.cmp(&q.id)));
                v
            };
            Mentioned {
                newly_relied_on: only(&b, &a),
                no_longer_mentioned: only(&a, &b),
            }
        };
        let platforms = compare(kinds(&old_platforms)?, kinds(&new_platforms)?);
        let documents = compare(kinds(&old_docs)?, kinds(&new_docs)?);
        let responsible = compare(
            kinds(&self.responsible_offices(&old)?)?,
            kinds(&self.responsible_offices(&new)?)?,
        );
        Ok(Diff {
            unit: unit_name,
            from,
            to,
            from_documents,
            to_documents,
            continued,
            added,
            dropped,
            targets,
            platforms,
            documents,
            responsible,
        })
    }

    /// The offices the goals name responsible, by id, with their names.
    fn responsible_offices(
        &self,
        goals: &[super::continues::GoalProfile],
    ) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        for g in goals {
            for e in self.store.edges_out(&g.id, Some(EdgeLabel::Responsible))? {
                if let Some(n) = self.store.node(&e.target)? {
                    out.insert(n.id, n.name);
                }
            }
        }
        Ok(out)
    }

    /// The targets of the goals, each keyed by its subject (node or named subject) and unit.
    fn year_targets(&self, goals: &[super::continues::GoalProfile]) -> Result<Vec<YearTarget>> {
        let mut out = Vec::new();
        for g in goals {
            for e in self.store.edges_out(&g.id, Some(EdgeLabel::SetsTarget))? {
                let Some(t) = self.store.node(&e.target)? else {
                    continue;
                };
                let measured = self
                    .store
                    .edges_out(&t.id, Some(EdgeLabel::Measures))?
                    .into_iter()
                    .next();
                let (subject, subject_id) = match measured {
                    Some(m) => match self.store.node(&m.target)? {
                        Some(n) => (n.name, Some(n.id)),
                        None => continue,
                    },
                    None => match t.prop_str("subject") {
                        Some(s) if !s.trim().is_empty() => (s.to_string(), None),
                        _ => continue,
                    },
                };
                let unit = t.prop_str("unit").unwrap_or("").to_string();
                let value = match (num(t.props.get("low")), num(t.props.get("high"))) {
                    (Some(l), Some(h)) => Some((l + h) / 2.0),
                    _ => num(t.props.get("value")),
                };
                let key = format!(
                    "{}\u{1f}{}",
                    subject_id
                        .clone()
                        .unwrap_or_else(|| normalize_name(&subject)),
                    normalize_name(&unit)
                );
                out.push(YearTarget {
                    key,
                    subject,
                    subject_id,
                    unit,
                    raw: t.prop_str("raw").unwrap_or(&t.name).to_string(),
                    value,
                    goal: g.id.clone(),
                });
            }
        }
        Ok(out)
    }
}

/// Pair the targets of the two years by subject and unit (in order, when a subject has
/// several), and say how each changed.
fn target_changes(old: Vec<YearTarget>, new: Vec<YearTarget>) -> Vec<TargetChange> {
    let mut old_by: BTreeMap<String, std::collections::VecDeque<YearTarget>> = BTreeMap::new();
    let mut order = Vec::new();
    for t in old {
        if !old_by.contains_key(&t.key) {
            order.push(t.key.clone());
        }
        old_by.entry(t.key.clone()).or_default().push_back(t);
    }
    let mut out = Vec::new();
    for n in new {
        let o = old_by.get_mut(&n.key).and_then(|q| q.pop_front());
        let change = match (&o, o.as_ref().and_then(|o| o.value), n.value) {
            (None, _, _) => "new",
            (Some(_), Some(a), Some(b)) if b > a => "raised",
            (Some(_), Some(a), Some(b)) if b < a => "lowered",
            _ => "unchanged",
        };
        out.push(TargetChange {
            subject: n.subject,
            subject_id: n.subject_id,
            unit: n.unit,
            old: o.as_ref().map(|o| o.raw.clone()),
            new: Some(n.raw),
            old_value: o.as_ref().and_then(|o| o.value),
            new_value: n.value,
            change: change.to_string(),
            old_goal: o.map(|o| o.goal),
            new_goal: Some(n.goal),
        });
    }
    for key in order {
        for o in old_by.remove(&key).unwrap_or_default() {
            out.push(TargetChange {
                subject: o.subject,
                subject_id: o.subject_id,
                unit: o.unit,
                old: Some(o.raw),
                new: None,
                old_value: o.value,
                new_value: None,
                change: "removed".to_string(),
                old_goal: Some(o.goal),
                new_goal: None,
            });
        }
    }
    out
}

/// The entities (other than policy documents) and the policy documents the goals name.
fn mentioned(
    goals: &[super::continues::GoalProfile],
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let (mut platforms, mut documents) = (BTreeMap::new(), BTreeMap::new());
    for g in goals {
        for (id, name) in &g.platforms {
            if id.starts_with("document:") {
                documents.insert(id.clone(), name.clone());
            } else {
                platforms.insert(id.clone(), name.clone());
            }
        }
    }
    (platforms, documents)
}
