//! Goals followed across years: after every write, each goal of the written unit's
//! documents is linked (`continues`) to its predecessor in the unit's previous-year
//! document (the nearest earlier year that has one). A pair is scored on shared title
//! words (Han character pairs of the titles), shared platforms and policy documents, and
//! shared target subjects; pairs are taken best first, one-to-one, and only above
//! [`MIN_SCORE`], so a goal with nothing in common with last year's continues nothing.

use crate::error::Result;
use crate::model::{is_han, normalize_name, Edge, EdgeLabel, NodeKind};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

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
        // only the fields compared are decoded (names and kinds, not goal texts)
        #[derive(serde::Deserialize)]
        struct Head {
            name: String,
            kind: NodeKind,
        }
        let mut out = Vec::with_capacity(record.goals.len());
        for id in &record.goals {
            let Some(goal) = self.store.node_part::<Head>(id)? else {
                continue;
            };
            if goal.kind != NodeKind::Goal {
                continue;
            }
            let mut platforms = BTreeMap::new();
            let mut subjects = BTreeMap::new();
            for e in self.store.edges_out(id, None)? {
                match e.label {
                    EdgeLabel::DependsOn | EdgeLabel::Issues | EdgeLabel::Mentions => {
                        if let Some(n) = self.store.node_part::<Head>(&e.target)? {
                            if n.kind.is_entity() {
                                platforms.insert(e.target, n.name);
                            }
                        }
                    }
                    EdgeLabel::SetsTarget => {
                        for m in self.store.edges_out(&e.target, Some(EdgeLabel::Measures))? {
                            if let Some(n) = self.store.node_part::<Head>(&m.target)? {
                                if n.kind != NodeKind::Target {
                                    subjects.insert(m.target, n.name);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            out.push(GoalProfile {
                id: id.clone(),
                pairs: title_pairs(&goal.name),
                title: goal.name,
                platforms,
                subjects,
            });
        }
        Ok(out)
    }

    /// Write the `continues` edges of document `doc` (its goals `new`) towards the goals
    /// `old`, and bring the view along.
    fn write_links(&self, doc: &str, new: &[GoalProfile], old: &[GoalProfile]) -> Result<()> {
        let edges: Vec<Edge> = pair_goals(new, old)
            .into_iter()
            .map(|(i, j, m)| {
                let mut e = Edge::new(&new[i].id, EdgeLabel::Continues, &old[j].id);
                e.props.insert("score".into(), json!(m.score));
                e.props.insert("reason".into(), json!(m.reason()));
                e
            })
            .collect();
        let mut graph = self.write_graph();
        if let Some(change) = self.store.set_links(doc, EdgeLabel::Continues, &edges)? {
            super::facade::follow_write(&mut graph, &self.store, &change);
        }
        Ok(())
    }

    /// After a write of document `doc` (of `unit`, `year`): [`Self::relink_all`] for it.
    /// Returns the store generation after.
    pub(super) fn relink(&self, doc: &str, unit: &str, year: u16) -> Result<u64> {
        let written = BTreeMap::from([(doc.to_string(), (unit.to_string(), year))]);
        self.relink_all(&written)?;
        self.store.generation()
    }

    /// After the writes of the documents `written` (id → (unit, year)): compute again each
    /// one's links to its unit's previous year, and those of the unit's next year's
    /// documents (whose previous year it is part of); write those that changed. Each
    /// document is profiled once (links change no profile).
    pub(super) fn relink_all(&self, written: &BTreeMap<String, (String, u16)>) -> Result<()> {
        // per unit (as the store compares them): one of its names and the years written
        type Written<'a> = (&'a str, BTreeSet<(u16, &'a str)>);
        let mut units: BTreeMap<String, Written<'_>> = BTreeMap::new();
        for (doc, (unit, year)) in written {
            units
                .entry(normalize_name(unit))
                .or_insert((unit.as_str(), BTreeSet::new()))
                .1
                .insert((*year, doc.as_str()));
        }
        let mut profiles: HashMap<String, Rc<Vec<GoalProfile>>> = HashMap::new();
        let mut profiled = |doc: &str| -> Result<Rc<Vec<GoalProfile>>> {
            if let Some(p) = profiles.get(doc) {
                return Ok(p.clone());
            }
            let p = Rc::new(self.goal_profiles(doc)?);
            profiles.insert(doc.to_string(), p.clone());
            Ok(p)
        };
        for (unit, docs) in units.into_values() {
            let mut by_year: BTreeMap<u16, Vec<String>> = BTreeMap::new();
            for (y, id) in self.store.unit_documents(unit)? {
                by_year.entry(y).or_default().push(id);
            }
            // the documents whose links to the year before theirs may have moved
            let mut targets: BTreeSet<(u16, &str)> = BTreeSet::new();
            for &(year, doc) in &docs {
                if by_year
                    .get(&year)
                    .is_some_and(|d| d.iter().any(|x| x == doc))
                {
                    targets.insert((year, doc));
                }
                let next = year
                    .checked_add(1)
                    .and_then(|from| by_year.range(from..).next());
                if let Some((y, next)) = next {
                    targets.extend(next.iter().map(|d| (*y, d.as_str())));
                }
            }
            let mut years: HashMap<u16, Vec<GoalProfile>> = HashMap::new();
            for (year, doc) in targets {
                let Some((previous, in_previous)) = by_year.range(..year).next_back() else {
                    // no earlier year: no links (an earlier one removed leaves none)
                    self.write_links(doc, &profiled(doc)?, &[])?;
                    continue;
                };
                if !years.contains_key(previous) {
                    let mut all = Vec::new();
                    for d in in_previous {
                        all.extend(profiled(d)?.iter().cloned());
                    }
                    years.insert(*previous, all);
                }
                self.write_links(doc, &profiled(doc)?, &years[previous])?;
            }
        }
        Ok(())
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
