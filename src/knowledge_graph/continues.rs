//! Goals followed across years: after every write, each goal of the written unit's
//! documents is linked (`continues`) to its predecessor in the unit's previous-year
//! document (the nearest earlier year that has one). A pair is scored on shared title
//! words (Han character pairs of the titles), shared platforms and policy documents, and
//! shared target subjects; pairs are taken best first, one-to-one, and only above
//! [`MIN_SCORE`], so a goal with nothing in common with last year's continues nothing.

use crate::error::Result;
use crate::model::{is_han, normalize_name, Edge, EdgeLabel, Goal, NodeKind};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

use super::KnowledgeGraph;

/// Lowest score a pair needs to be linked.
pub const MIN_SCORE: f64 = 0.3;

/// Weights of the three kinds of evidence (they sum to one).
const W_TITLE: f64 = 0.6;
const W_PLATFORMS: f64 = 0.25;
const W_SUBJECTS: f64 = 0.15;
/// Shared platforms (subjects) beyond which a pair gains nothing more.
const ENOUGH_PLATFORMS: usize = 3;
const ENOUGH_SUBJECTS: usize = 2;

/// What a goal is compared on.
#[derive(Debug, Clone)]
pub struct GoalProfile {
    pub id: String,
    pub title: String,
    /// Han character pairs of the normalised title.
    pairs: BTreeSet<(char, char)>,
    /// Entities it relies on or mentions, and the documents it issues: id → name.
    pub platforms: BTreeMap<String, String>,
    /// What its targets measure: id → name.
    pub subjects: BTreeMap<String, String>,
}

/// How well `new` continues `old`: its score and what they share.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub score: f64,
    pub title_words: Vec<String>,
    pub platforms: Vec<String>,
    pub subjects: Vec<String>,
}

impl Match {
    /// The reason in words: which title words, platforms and target subjects are shared.
    pub fn reason(&self) -> String {
        let mut parts = Vec::new();
        if !self.title_words.is_empty() {
            parts.push(format!("title words {}", self.title_words.join(", ")));
        }
        if !self.platforms.is_empty() {
            parts.push(format!("shared platforms {}", self.platforms.join(", ")));
        }
        if !self.subjects.is_empty() {
            parts.push(format!(
                "shared target subjects {}",
                self.subjects.join(", ")
            ));
        }
        parts.join("; ")
    }
}

fn title_pairs(title: &str) -> BTreeSet<(char, char)> {
    let chars: Vec<char> = normalize_name(title).chars().collect();
    chars
        .windows(2)
        .filter(|w| is_han(w[0]) && is_han(w[1]))
        .map(|w| (w[0], w[1]))
        .collect()
}

/// The runs of `title` made of character pairs both titles hold: 深化科技管理改革 and
/// 深化科技管理体制改革 share 深化科技管理, 改革.
fn shared_runs(title: &str, shared: &BTreeSet<(char, char)>) -> Vec<String> {
    let chars: Vec<char> = normalize_name(title).chars().collect();
    let mut runs = Vec::new();
    let mut run = String::new();
    for i in 0..chars.len() {
        let starts = i + 1 < chars.len() && shared.contains(&(chars[i], chars[i + 1]));
        let ends = i > 0 && shared.contains(&(chars[i - 1], chars[i]));
        if starts || ends {
            run.push(chars[i]);
        }
        if !starts && !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    runs.dedup();
    runs
}

/// Compare two goals.
pub fn compare(new: &GoalProfile, old: &GoalProfile) -> Match {
    let shared: BTreeSet<(char, char)> = new.pairs.intersection(&old.pairs).copied().collect();
    let total = new.pairs.len() + old.pairs.len();
    let title = if total == 0 {
        0.0
    } else {
        2.0 * shared.len() as f64 / total as f64
    };
    let common = |a: &BTreeMap<String, String>, b: &BTreeMap<String, String>| -> Vec<String> {
        let mut names: Vec<String> = a
            .iter()
            .filter(|(id, _)| b.contains_key(*id))
            .map(|(_, n)| n.clone())
            .collect();
        names.sort();
        names
    };
    let platforms = common(&new.platforms, &old.platforms);
    let subjects = common(&new.subjects, &old.subjects);
    let part = |n: usize, enough: usize| n.min(enough) as f64 / enough as f64;
    let score = W_TITLE * title
        + W_PLATFORMS * part(platforms.len(), ENOUGH_PLATFORMS)
        + W_SUBJECTS * part(subjects.len(), ENOUGH_SUBJECTS);
    Match {
        score: (score * 1000.0).round() / 1000.0,
        title_words: shared_runs(&new.title, &shared),
        platforms,
        subjects,
    }
}

/// The pairs (new goal index, old goal index, match) linked: best first, each goal at
/// most once, only at [`MIN_SCORE`] or above. Ties go to the earlier goals.
pub fn pair_goals(new: &[GoalProfile], old: &[GoalProfile]) -> Vec<(usize, usize, Match)> {
    let mut all = Vec::new();
    for (i, n) in new.iter().enumerate() {
        for (j, o) in old.iter().enumerate() {
            let m = compare(n, o);
            if m.score >= MIN_SCORE {
                all.push((i, j, m));
            }
        }
    }
    all.sort_by(|a, b| {
        b.2.score
            .total_cmp(&a.2.score)
            .then(a.0.cmp(&b.0))
            .then(a.1.cmp(&b.1))
    });
    let (mut used_new, mut used_old) = (BTreeSet::new(), BTreeSet::new());
    let mut out = Vec::new();
    for (i, j, m) in all {
        if used_new.contains(&i) || used_old.contains(&j) {
            continue;
        }
        used_new.insert(i);
        used_old.insert(j);
        out.push((i, j, m));
    }
    out.sort_by_key(|p| p.0);
    out
}

impl KnowledgeGraph {
    /// The goals of document `doc`, profiled, in the document's order.
    pub(super) fn goal_profiles(&self, doc: &str) -> Result<Vec<GoalProfile>> {
        let Some(record) = self.store.document(doc)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::with_capacity(record.goals.len());
        for id in &record.goals {
            let Some(goal) = self.store.node(id)?.as_ref().and_then(Goal::from_node) else {
                continue;
            };
            let mut platforms = BTreeMap::new();
            let mut subjects = BTreeMap::new();
            for e in self.store.edges_out(id, None)? {
                match e.label {
                    EdgeLabel::DependsOn | EdgeLabel::Issues | EdgeLabel::Mentions => {
                        if let Some(n) = self.store.node(&e.target)? {
                            if n.kind.is_entity() {
                                platforms.insert(n.id, n.name);
                            }
                        }
                    }
                    EdgeLabel::SetsTarget => {
                        for m in self.store.edges_out(&e.target, Some(EdgeLabel::Measures))? {
                            if let Some(n) = self.store.node(&m.target)? {
                                if n.kind != NodeKind::Target {
                                    subjects.insert(n.id, n.name);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            out.push(GoalProfile {
                id: goal.id,
                pairs: title_pairs(&goal.title),
                title: goal.title,
                platforms,
                subjects,
            });
        }
        Ok(out)
    }

    /// The `continues` edges of document `doc` towards the documents in `previous`.
    fn links_of(&self, doc: &str, previous: &[String]) -> Result<Vec<Edge>> {
        let new = self.goal_profiles(doc)?;
        let mut old = Vec::new();
        for p in previous {
            old.extend(self.goal_profiles(p)?);
        }
        Ok(pair_goals(&new, &old)
            .into_iter()
            .map(|(i, j, m)| {
                let mut e = Edge::new(&new[i].id, EdgeLabel::Continues, &old[j].id);
                e.props.insert("score".into(), json!(m.score));
                e.props.insert("reason".into(), json!(m.reason()));
                e
            })
            .collect())
    }

    /// After a write of document `doc` (of `unit`, `year`): compute again the links of the
    /// unit's documents of that year and of the next year that has documents, write those
    /// that changed and bring the view along. Returns the store generation after.
    pub(super) fn relink(&self, unit: &str, year: u16) -> Result<u64> {
        let docs = self.store.unit_documents(unit)?;
        let mut by_year: BTreeMap<u16, Vec<String>> = BTreeMap::new();
        for (y, id) in docs {
            by_year.entry(y).or_default().push(id);
        }
        let next = by_year.range(year + 1..).next().map(|(y, _)| *y);
        for y in [Some(year), next].into_iter().flatten() {
            let previous: Vec<String> = by_year
                .range(..y)
                .next_back()
                .map(|(_, d)| d.clone())
                .unwrap_or_default();
            for doc in by_year.get(&y).cloned().unwrap_or_default() {
                let edges = self.links_of(&doc, &previous)?;
                let mut graph = self.write_graph();
                if let Some(change) = self.store.set_links(&doc, EdgeLabel::Continues, &edges)? {
                    if let Some(view) = graph.as_mut() {
                        if !view.apply(&change) {
                            *graph = None;
                        }
                    }
                }
            }
        }
        self.store.generation()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(title: &str, platforms: &[&str], subjects: &[&str]) -> GoalProfile {
        let map = |names: &[&str]| {
            names
                .iter()
                .map(|n| (n.to_string(), n.to_string()))
                .collect()
        };
        GoalProfile {
            id: title.to_string(),
            title: title.to_string(),
            pairs: title_pairs(title),
            platforms: map(platforms),
            subjects: map(subjects),
        }
    }

    #[test]
    fn a_reworded_title_matches_and_says_which_words() {
        let m = compare(
            &profile("深化科技管理体制改革", &["高新区"], &[]),
            &profile("深化科技管理改革", &["高新区"], &[]),
        );
        assert!(m.score >= MIN_SCORE, "{m:?}");
        assert_eq!(m.title_words, ["深化科技管理", "改革"]);
        assert_eq!(m.platforms, ["高新区"]);
        assert!(m.reason().contains("title words 深化科技管理"));
    }

    #[test]
    fn pairs_are_one_to_one_best_first_and_weak_pairs_are_left() {
        let new = [
            profile("优化创新创业生态", &[], &["孵化器"]),
            profile("推进科技成果转移转化", &["技术转移中心"], &[]),
        ];
        let old = [
            profile("培育优质创新创业生态", &[], &["孵化器"]),
            profile("深化国际科技交流合作", &["技术转移中心"], &[]),
        ];
        let pairs = pair_goals(&new, &old);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].0, pairs[0].1), (0, 0));
        // two new goals alike one old goal: only the better one continues it
        let twins = [
            profile("培育优质创新创业生态", &[], &[]),
            profile("优化创新创业生态", &[], &[]),
        ];
        let pairs = pair_goals(&twins, &old[..1]);
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].0, 0);
    }
}
