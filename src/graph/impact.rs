//! `impact`: if an entity slips, the goals, targets and policy documents at stake.
//!
//! A goal is at stake when it reaches the entity, or something that is `part_of` it
//! (transitively), by one of these paths (edges from the goal towards the entity):
//!
//! - `depends_on`, `issues` or `mentions` straight to it (or to one of its parts);
//! - `sets_target` to a target that `measures` it (or one of its parts).
//!
//! Aliases need no path of their own: a name or alias resolves to the node before the
//! walk, and an alias that merged two nodes moved their edges onto one.
//!
//! Goals are ranked by their strongest path: a `depends_on` first, then `issues`, then a
//! target that measures it, then a mere mention; among paths of the same kind, one whose
//! first edge has a governing verb (建设, 支持, 出台 …) before one without, then the
//! shorter (straight to the entity before through a part). Goals whose strongest paths tie come by how many paths join
//! them to the entity, then by how many of their targets measure it, then by unit, year,
//! category and number.

use crate::error::Result;
use crate::model::{Edge, EdgeLabel, Goal, GoalHead, GoalSummary, Node, NodeKind};
use crate::store::GraphStore;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap, HashSet};
use utoipa::ToSchema;

use super::results::{goal_key, NodeRef};
use super::view::GraphView;

/// Evidence paths listed per goal (`path_count` counts them all).
pub const PATHS_SHOWN: usize = 3;

/// How a path puts a goal at stake, strongest first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stake {
    /// The goal relies on it (`depends_on`).
    DependsOn,
    /// The goal issues it (a policy document: `issues`).
    Issues,
    /// A numeric target of the goal counts it (`sets_target` then `measures`).
    Target,
    /// The goal names it without a dependency verb (`mentions`).
    Mentions,
}

/// `impact`: what is at stake if an entity slips.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Impact {
    pub entity: Node,
    /// The other names that resolve to it (normalised).
    pub aliases: Vec<String>,
    /// The entities that are `part_of` it (directly or through other parts); their goals
    /// are at stake too.
    pub parts: Vec<NodeRef>,
    /// How many goals are at stake (before `limit`).
    pub total: usize,
    /// The units and years of all those goals.
    pub units: Vec<String>,
    pub years: Vec<u16>,
    /// The goals at stake, most exposed first (see `rank`).
    pub goals: Vec<ImpactGoal>,
    /// The goals returned, grouped by unit and year (in that order), each group's goal ids
    /// in rank order.
    pub groups: Vec<ImpactGroup>,
    /// The numeric targets the returned goals set, with the goal they hang on.
    pub targets: Vec<StakeTarget>,
    /// The policy documents the returned goals issue (other than the entity itself), with
    /// the goal they hang on.
    pub documents: Vec<StakeDocument>,
}

/// One goal at stake.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImpactGoal {
    /// 1 for the most exposed goal.
    pub rank: usize,
    /// Id, title, unit, year, category, number.
    #[serde(flatten)]
    pub goal: GoalSummary,
    pub document: Option<String>,
    pub document_title: Option<String>,
    /// Its strongest path's kind.
    pub stake: Stake,
    /// The governing verb of that path's first edge, where there is one.
    pub action: Option<String>,
    /// True when a path reaches the entity itself, false when only its parts.
    pub direct: bool,
    /// How many paths join the goal to the entity.
    pub path_count: usize,
    /// How many of its targets measure the entity or one of its parts.
    pub measuring_targets: usize,
    /// Its strongest paths (at most three), strongest first.
    pub paths: Vec<ImpactPath>,
}

/// One evidence path from a goal to the entity.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImpactPath {
    pub stake: Stake,
    pub action: Option<String>,
    /// The nodes between the goal and the entity (a target, parts).
    pub via: Vec<NodeRef>,
    /// The edges from the goal to the entity, in order, each with its evidence.
    pub edges: Vec<Edge>,
    /// The sentence of the first edge on the path that has one.
    pub evidence: String,
}

/// The goals of one unit and year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImpactGroup {
    pub unit: String,
    pub year: Option<u16>,
    /// Goal ids, in rank order.
    pub goals: Vec<String>,
}

/// A target set by a goal at stake.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StakeTarget {
    /// The target node (its props: value, unit, subject …).
    pub target: Node,
    /// The goal that sets it (id) and its title.
    pub goal: String,
    pub goal_name: String,
    /// True when the target measures the entity or one of its parts.
    pub measures_entity: bool,
    /// The sentence the target was read from.
    pub evidence: String,
}

/// A policy document issued by a goal at stake.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StakeDocument {
    pub document: NodeRef,
    pub goal: String,
    pub goal_name: String,
    pub action: Option<String>,
    pub evidence: String,
}

/// A path found by the walk: the goal, its edges towards the entity, the target on it.
struct RawPath {
    stake: Stake,
    edges: Vec<EdgeIndex>,
    target: Option<NodeIndex>,
    direct: bool,
}

/// A path's strength: its kind, a verb or not, its length (smaller is stronger).
type PathKey = (Stake, bool, usize);

fn action_of(edge: &Edge) -> Option<String> {
    edge.props
        .get("action")
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
}

impl GraphView {
    /// The entity and everything `part_of` it, nearest first, each with the `part_of` edge
    /// leading towards the entity (none for the entity).
    fn parts_walk(&self, start: NodeIndex) -> Vec<(NodeIndex, Option<EdgeIndex>)> {
        let mut order = vec![(start, None)];
        let mut seen = HashSet::from([start]);
        let mut next = 0;
        while next < order.len() {
            let n = order[next].0;
            next += 1;
            let mut parts: Vec<_> = self
                .graph
                .edges_directed(n, Incoming)
                .filter(|e| *e.weight() == EdgeLabel::PartOf)
                .filter(|e| self.graph[e.source()].kind.is_entity())
                .map(|e| (self.id(e.source()), e.source(), e.id()))
                .collect();
            parts.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for (_, source, e) in parts {
                if seen.insert(source) {
                    order.push((source, Some(e)));
                }
            }
        }
        order
    }

    /// Every path from a goal to the entity (or a part), grouped by goal.
    fn impact_paths(&self, start: NodeIndex) -> (Vec<NodeIndex>, HashMap<NodeIndex, Vec<RawPath>>) {
        let carriers = self.parts_walk(start);
        let parent: HashMap<NodeIndex, EdgeIndex> = carriers
            .iter()
            .filter_map(|(n, e)| e.map(|e| (*n, e)))
            .collect();
        let chain = |mut at: NodeIndex| {
            let mut edges = Vec::new();
            while let Some(&e) = parent.get(&at) {
                edges.push(e);
                at = self.graph.edge_endpoints(e).expect("edge of this graph").1;
            }
            edges
        };
        let mut by_goal: HashMap<NodeIndex, Vec<RawPath>> = HashMap::new();
        for &(c, _) in &carriers {
            let tail = chain(c);
            let direct = c == start;
            for e in self.graph.edges_directed(c, Incoming) {
                let source = e.source();
                let stake = match (*e.weight(), self.graph[source].kind) {
                    (EdgeLabel::DependsOn, NodeKind::Goal) => Stake::DependsOn,
                    (EdgeLabel::Issues, NodeKind::Goal) => Stake::Issues,
                    (EdgeLabel::Mentions, NodeKind::Goal) => Stake::Mentions,
                    (EdgeLabel::Measures, NodeKind::Target) => Stake::Target,
                    _ => continue,
                };
                if stake == Stake::Target {
                    for s in self.graph.edges_directed(source, Incoming) {
                        if *s.weight() != EdgeLabel::SetsTarget
                            || self.graph[s.source()].kind != NodeKind::Goal
                        {
                            continue;
                        }
                        let mut edges = vec![s.id(), e.id()];
                        edges.extend(&tail);
                        by_goal.entry(s.source()).or_default().push(RawPath {
                            stake,
                            edges,
                            target: Some(source),
                            direct,
                        });
                    }
                } else {
                    let mut edges = vec![e.id()];
                    edges.extend(&tail);
                    by_goal.entry(source).or_default().push(RawPath {
                        stake,
                        edges,
                        target: None,
                        direct,
                    });
                }
            }
        }
        let parts = carriers.iter().skip(1).map(|(n, _)| *n).collect();
        (parts, by_goal)
    }

    fn edge_of(&self, store: &GraphStore, e: EdgeIndex) -> Result<Edge> {
        let (s, l, t) = self.edge_key(e);
        Ok(store.edge(s, l, t)?.unwrap_or_else(|| Edge::new(s, l, t)))
    }

    /// What is at stake if `entity` slips: the goals (at most `limit`, ranked), their
    /// targets and the documents they issue. `aliases` are the entity's other names.
    pub fn impact(
        &self,
        store: &GraphStore,
        entity: Node,
        aliases: Vec<String>,
        limit: usize,
    ) -> Result<Impact> {
        let mut impact = Impact {
            entity,
            aliases,
            parts: Vec::new(),
            total: 0,
            units: Vec::new(),
            years: Vec::new(),
            goals: Vec::new(),
            groups: Vec::new(),
            targets: Vec::new(),
            documents: Vec::new(),
        };
        let Some(start) = self.index(&impact.entity.id) else {
            return Ok(impact);
        };
        let (parts, by_goal) = self.impact_paths(start);
        for p in parts {
            if let Some(n) = store.node(self.id(p))? {
                impact.parts.push(NodeRef::from(&n));
            }
        }
        // Each goal's paths, strongest first, and its rank key.
        let (mut units, mut years) = (BTreeSet::new(), BTreeSet::new());
        let mut ranked = Vec::with_capacity(by_goal.len());
        for (g, paths) in by_goal {
            let Some(head) = store.node_part::<GoalHead>(self.id(g))? else {
                continue;
            };
            let place = head.place();
            units.insert(place.unit.clone());
            years.extend(place.year);
            let mut keyed = Vec::with_capacity(paths.len());
            for p in paths {
                let verb = action_of(&self.edge_of(store, p.edges[0])?).is_some();
                keyed.push(((p.stake, !verb, p.edges.len()) as PathKey, p));
            }
            keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.edges.cmp(&b.1.edges)));
            let targets: HashSet<NodeIndex> = keyed.iter().filter_map(|(_, p)| p.target).collect();
            let key = (
                keyed[0].0,
                Reverse(keyed.len()),
                Reverse(targets.len()),
                goal_key(self.id(g), &place),
            );
            ranked.push((key, g, keyed, targets.len()));
        }
        ranked.sort_by(|a, b| a.0.cmp(&b.0));
        impact.total = ranked.len();
        impact.units = units.into_iter().collect();
        impact.years = years.into_iter().collect();
        ranked.truncate(limit);

        let measuring_targets = self.measuring_targets(start);
        for (i, (_, g, keyed, measuring)) in ranked.into_iter().enumerate() {
            let Some(goal) = store.node(self.id(g))?.as_ref().and_then(Goal::from_node) else {
                continue;
            };
            let direct = keyed.iter().any(|(_, p)| p.direct);
            let path_count = keyed.len();
            let mut paths = Vec::new();
            for (_, p) in keyed.into_iter().take(PATHS_SHOWN) {
                paths.push(self.materialise(store, &p)?);
            }
            self.stakes_of(store, g, &goal, start, &measuring_targets, &mut impact)?;
            let first = &paths[0];
            impact.goals.push(ImpactGoal {
                rank: i + 1,
                stake: first.stake,
                action: first.action.clone(),
                direct,
                path_count,
                measuring_targets: measuring,
                goal: goal.summary(),
                document: goal.document,
                document_title: goal.document_title,
                paths,
            });
        }
        let mut groups: Vec<ImpactGroup> = Vec::new();
        let mut order: Vec<&ImpactGoal> = impact.goals.iter().collect();
        order.sort_by_key(|g| (g.goal.place.unit.clone(), g.goal.place.year, g.rank));
        for g in order {
            let (unit, year) = (&g.goal.place.unit, g.goal.place.year);
            match groups.last_mut() {
                Some(last) if last.unit == *unit && last.year == year => {
                    last.goals.push(g.goal.id.clone())
                }
                _ => groups.push(ImpactGroup {
                    unit: unit.clone(),
                    year,
                    goals: vec![g.goal.id.clone()],
                }),
            }
        }
        impact.groups = groups;
        Ok(impact)
    }

    /// The ids of the targets that measure the entity or one of its parts.
    fn measuring_targets(&self, start: NodeIndex) -> HashSet<NodeIndex> {
        self.parts_walk(start)
            .into_iter()
            .flat_map(|(c, _)| self.graph.edges_directed(c, Incoming))
            .filter(|e| *e.weight() == EdgeLabel::Measures)
            .map(|e| e.source())
            .collect()
    }

    /// The edges and nodes of one path, read from the store.
    fn materialise(&self, store: &GraphStore, p: &RawPath) -> Result<ImpactPath> {
        let mut edges = Vec::with_capacity(p.edges.len());
        let mut via = Vec::new();
        for (i, &e) in p.edges.iter().enumerate() {
            edges.push(self.edge_of(store, e)?);
            if i + 1 < p.edges.len() {
                let at = self.graph.edge_endpoints(e).expect("edge of this graph").1;
                if let Some(n) = store.node(self.id(at))? {
                    via.push(NodeRef::from(&n));
                }
            }
        }
        Ok(ImpactPath {
            stake: p.stake,
            action: action_of(&edges[0]),
            evidence: edges
                .iter()
                .find_map(Edge::evidence_sentence)
                .unwrap_or_default(),
            via,
            edges,
        })
    }

    /// The targets a goal sets and the documents it issues, added to `impact`.
    fn stakes_of(
        &self,
        store: &GraphStore,
        g: NodeIndex,
        goal: &Goal,
        start: NodeIndex,
        measuring: &HashSet<NodeIndex>,
        impact: &mut Impact,
    ) -> Result<()> {
        let mut out: Vec<_> = self
            .graph
            .edges_directed(g, Outgoing)
            .filter(|e| matches!(*e.weight(), EdgeLabel::SetsTarget | EdgeLabel::Issues))
            .filter(|e| e.target() != start)
            .map(|e| (*e.weight(), self.id(e.target()), e.id(), e.target()))
            .collect();
        out.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (label, id, e, t) in out {
            let Some(node) = store.node(id)? else {
                continue;
            };
            let edge = self.edge_of(store, e)?;
            let evidence = edge.evidence_sentence().unwrap_or_default();
            if label == EdgeLabel::SetsTarget {
                impact.targets.push(StakeTarget {
                    target: node,
                    goal: goal.id.clone(),
                    goal_name: goal.title.clone(),
                    measures_entity: measuring.contains(&t),
                    evidence,
                });
            } else {
                impact.documents.push(StakeDocument {
                    document: NodeRef::from(&node),
                    goal: goal.id.clone(),
                    goal_name: goal.title.clone(),
                    action: action_of(&edge),
                    evidence,
                });
            }
        }
        Ok(())
    }
}
