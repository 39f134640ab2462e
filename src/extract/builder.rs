//! One goal's nodes, edges and aliases as the rules find them, sentence by sentence: one
//! edge per (source, label, target), the strongest label kept, each with its evidence.

use super::duties::{self, Duty, Role};
use super::lexicon::{FxMap, Lexicon};
use super::sentences::{Field, Sent, SentenceSpan};
use super::targets::TargetMention;
use super::{governing_verb, lexicon, Alias, Analysis, GoalExtraction, GoalTokens, Mention};
use crate::model::{entity_id, target_id, Edge, EdgeLabel, Evidence, Node, NodeKind, Props};
use serde_json::{json, Value};

/// Collects one goal's nodes, edges and aliases, one edge per (source, label, target).
pub(super) struct Builder<'g> {
    document: &'g str,
    goal: &'g str,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// How often each edge was stated (`props.mentions` when more than once).
    counts: Vec<u32>,
    /// Edges by (source, label, target) node index ([`GOAL`] for the goal).
    edge_at: FxMap<(u32, EdgeLabel, u32), usize>,
    /// goal → node edges by node (to upgrade `mentions` to a stronger label).
    goal_edge_at: FxMap<u32, usize>,
    aliases: Vec<Alias>,
    target_seen: FxMap<String, usize>,
}

/// The goal's index in [`Builder`] edge keys.
const GOAL: u32 = u32::MAX;

/// A sentence's names, their node indices, and the spans of the top-level ones.
#[derive(Clone, Copy)]
struct Named<'x> {
    mentions: &'x [Mention],
    ids: &'x [u32],
    spans: &'x [(usize, usize)],
}

pub(super) struct Where<'s> {
    pub(super) field: Field,
    pub(super) span: SentenceSpan,
    pub(super) sentence: &'s str,
}

impl<'g> Builder<'g> {
    pub(super) fn new(document: &'g str, goal: &'g str) -> Builder<'g> {
        Builder {
            document,
            goal,
            nodes: Vec::new(),
            edges: Vec::new(),
            counts: Vec::new(),
            edge_at: FxMap::default(),
            goal_edge_at: FxMap::default(),
            aliases: Vec::new(),
            target_seen: FxMap::default(),
        }
    }

    /// The index of a node with this id, if the goal has one (a goal has few nodes).
    fn find_node(&self, id: &str) -> Option<u32> {
        self.nodes.iter().position(|n| n.id == id).map(|i| i as u32)
    }

    fn node(&mut self, node: Node) -> u32 {
        if let Some(i) = self.find_node(&node.id) {
            return i;
        }
        self.nodes.push(node);
        (self.nodes.len() - 1) as u32
    }

    fn id(&self, ix: u32) -> &str {
        if ix == GOAL {
            self.goal
        } else {
            &self.nodes[ix as usize].id
        }
    }

    fn alias(&mut self, name: &str, node: u32) {
        if name.is_empty() {
            return;
        }
        let node_id = &self.nodes[node as usize].id;
        if !self
            .aliases
            .iter()
            .any(|a| a.name == name && a.node_id == *node_id)
        {
            self.aliases.push(Alias {
                name: name.to_string(),
                node_id: node_id.clone(),
            });
        }
    }

    /// Adds an edge with evidence; a repeat only counts (`props.mentions`).
    fn edge(
        &mut self,
        source: u32,
        label: EdgeLabel,
        target: u32,
        evidence: impl FnOnce() -> Evidence,
        action: Option<String>,
    ) {
        let strength = |l: EdgeLabel| u8::from(l != EdgeLabel::Mentions);
        if source == GOAL {
            if let Some(&i) = self.goal_edge_at.get(&target) {
                self.counts[i] += 1;
                let e = &mut self.edges[i];
                if strength(label) > strength(e.label) {
                    // a governing verb later in the goal: the stronger relation, its evidence
                    self.edge_at.remove(&(source, e.label, target));
                    e.label = label;
                    e.set_evidence(&evidence());
                    if let Some(a) = action {
                        e.props.insert("action".into(), Value::String(a));
                    }
                    self.edge_at.insert((source, label, target), i);
                }
                return;
            }
        }
        let key = (source, label, target);
        if let Some(&i) = self.edge_at.get(&key) {
            self.counts[i] += 1;
            return;
        }
        let mut e = Edge::new(self.id(source), label, self.id(target));
        e.set_evidence(&evidence());
        if let Some(a) = action {
            e.props.insert("action".into(), Value::String(a));
        }
        self.edge_at.insert(key, self.edges.len());
        if source == GOAL {
            self.goal_edge_at.insert(target, self.edges.len());
        }
        self.edges.push(e);
        self.counts.push(1);
    }

    /// A goal → office `responsible` edge: one per office; a lead found after a support
    /// makes the office lead.
    fn responsible(&mut self, target: u32, role: Role, evidence: impl FnOnce() -> Evidence) {
        let key = (GOAL, EdgeLabel::Responsible, target);
        if let Some(&i) = self.edge_at.get(&key) {
            self.counts[i] += 1;
            let e = &mut self.edges[i];
            if role == Role::Lead && e.props.get("role").and_then(Value::as_str) != Some("lead") {
                e.props.insert("role".into(), json!(role.as_str()));
                e.set_evidence(&evidence());
            }
            return;
        }
        let mut e = Edge::new(self.goal, EdgeLabel::Responsible, self.id(target));
        e.set_evidence(&evidence());
        e.props.insert("role".into(), json!(role.as_str()));
        self.edge_at.insert(key, self.edges.len());
        self.edges.push(e);
        self.counts.push(1);
    }

    /// The `responsible` edges of one sentence: labelled items as offices of their own,
    /// free-text regions through the names found in them.
    fn add_duties(
        &mut self,
        lex: &Lexicon,
        w: &Where<'_>,
        sent: &Sent<'_>,
        named: Named<'_>,
        found: &[Duty],
    ) {
        let (doc, goal) = (self.document, self.goal);
        for d in found {
            let offices: Vec<(u32, usize, usize, Role)> = match *d {
                Duty::Item { start, end, role } => {
                    vec![(self.office(lex, sent, start, end), start, end, role)]
                }
                Duty::Region {
                    start,
                    end,
                    first,
                    rest,
                } => {
                    let mut inside: Vec<(usize, usize, u32)> = named
                        .mentions
                        .iter()
                        .zip(named.ids)
                        .filter(|(m, _)| {
                            !m.nested
                                && !m.class
                                && matches!(m.kind, NodeKind::Organization | NodeKind::Institution)
                                && start <= m.start
                                && m.end <= end
                        })
                        .map(|(m, &id)| (m.start, m.end, id))
                        .collect();
                    inside.sort_unstable();
                    if inside.is_empty() {
                        if let Some((s, e)) = duties::lone_office(sent, start, end) {
                            inside.push((s, e, self.office(lex, sent, s, e)));
                        }
                    }
                    inside
                        .into_iter()
                        .enumerate()
                        .map(|(n, (s, e, id))| (id, s, e, if n == 0 { first } else { rest }))
                        .collect()
                }
            };
            for (id, s, e, role) in offices {
                self.responsible(id, role, || self_evidence(doc, goal, w, s, e));
            }
        }
    }

    /// The organisation node of an office written at `s..e` (its canonical name).
    fn office(&mut self, lex: &Lexicon, sent: &Sent<'_>, s: usize, e: usize) -> u32 {
        let written = sent.slice(s, e).trim();
        let mut m = Mention::new(NodeKind::Organization, written, s, e);
        m.name = super::aliases::canonical_name(lex, written);
        if m.name != m.written {
            m.aliases.push(m.written.clone());
        }
        self.mention_node(&m)
    }

    pub(super) fn finish(mut self, tokens: GoalTokens) -> GoalExtraction {
        for (e, &n) in self.edges.iter_mut().zip(&self.counts) {
            if n > 1 {
                e.props.insert("mentions".into(), json!(n));
            }
        }
        GoalExtraction {
            nodes: self.nodes,
            edges: self.edges,
            aliases: self.aliases,
            tokens,
        }
    }

    fn mention_node(&mut self, m: &Mention) -> u32 {
        let id = entity_id(m.kind, &m.name);
        if let Some(i) = self.find_node(&id) {
            for a in &m.aliases {
                self.alias(a, i);
            }
            return i;
        }
        let mut node = Node {
            id,
            kind: m.kind,
            name: m.name.trim().to_string(),
            props: Props::new(),
        };
        if let Some(st) = m.subtype {
            node.props.insert("subtype".into(), json!(st));
        } else if m.kind == NodeKind::Institution {
            node.props.insert("subtype".into(), json!("other"));
        }
        if m.class {
            node.props.insert("class".into(), json!(true));
        }
        if let Some(n) = &m.number {
            node.props.insert("number".into(), json!(n));
        }
        let ix = self.node(node);
        for a in &m.aliases {
            self.alias(a, ix);
        }
        ix
    }

    pub(super) fn add_sentence(
        &mut self,
        lex: &Lexicon,
        w: &Where<'_>,
        sent: &Sent<'_>,
        an: Analysis,
    ) {
        let ids: Vec<u32> = an.mentions.iter().map(|m| self.mention_node(m)).collect();
        let spans: Vec<(usize, usize)> = an
            .mentions
            .iter()
            .filter(|m| !m.nested)
            .map(|m| (m.start, m.end))
            .collect();
        for (i, m) in an.mentions.iter().enumerate() {
            if m.nested {
                continue;
            }
            let ev = || self_evidence(self.document, self.goal, w, m.start, m.end);
            let action = governing_verb(lex, sent, m.start, m.end, &spans);
            let label = match m.kind {
                NodeKind::Document => {
                    let issued = action
                        .as_deref()
                        .is_some_and(|a| lex.issue.iter().any(|v| a.contains(v)));
                    if issued {
                        EdgeLabel::Issues
                    } else {
                        EdgeLabel::Mentions
                    }
                }
                _ if m.class || action.is_none() => EdgeLabel::Mentions,
                _ => EdgeLabel::DependsOn,
            };
            self.edge(GOAL, label, ids[i], ev, action);
            if let Some(p) = m.parent {
                self.edge(ids[i], EdgeLabel::PartOf, ids[p], ev, None);
            }
        }
        let named = Named {
            mentions: &an.mentions,
            ids: &ids,
            spans: &spans,
        };
        self.add_duties(lex, w, sent, named, &an.duties);
        for t in an.targets {
            self.add_target(lex, w, sent, named, t);
        }
    }

    fn add_target(
        &mut self,
        lex: &Lexicon,
        w: &Where<'_>,
        sent: &Sent<'_>,
        named: Named<'_>,
        t: TargetMention,
    ) {
        let Named {
            mentions,
            ids,
            spans,
        } = named;
        let seen = self.target_seen.entry(t.raw.clone()).or_insert(0);
        let occurrence = *seen;
        *seen += 1;
        let mut node = Node {
            id: target_id(self.goal, &t.raw, occurrence),
            kind: NodeKind::Target,
            name: t.raw.clone(),
            props: Props::new(),
        };
        let num = |v: f64| {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                json!(v as i64)
            } else {
                json!(v)
            }
        };
        node.props.insert("value".into(), num(t.value));
        if let (Some(l), Some(h)) = (t.low, t.high) {
            node.props.insert("low".into(), num(l));
            node.props.insert("high".into(), num(h));
        }
        if let Some(u) = &t.unit {
            node.props.insert("unit".into(), json!(u));
        }
        if let Some(q) = &t.qualifier {
            node.props.insert("qualifier".into(), json!(q));
        }
        if let Some((s, _, _)) = &t.subject {
            node.props.insert("subject".into(), json!(s));
        }
        node.props.insert("raw".into(), json!(t.raw));
        node.props.insert("field".into(), json!(w.field));
        let tid = self.node(node);
        let (doc, goal) = (self.document, self.goal);
        let ev = || self_evidence(doc, goal, w, t.start, t.end);
        let action = governing_verb(lex, sent, t.start, t.end, spans);
        self.edge(GOAL, EdgeLabel::SetsTarget, tid, ev, action);

        let Some((subject, ss, se)) = &t.subject else {
            return;
        };
        // the subject is a name found in the sentence, or a class
        let named = mentions.iter().position(|m| {
            !m.nested && m.start <= *ss && *se <= m.end && m.kind != NodeKind::Document
        });
        let sid = match named {
            Some(i) => Some(ids[i]),
            None => class_node(lex, subject).map(|n| {
                let known = lex.known.get(subject.as_str()).copied();
                let id = self.node(n);
                if let Some(k) = known {
                    for a in lex.aliases_of(&k) {
                        self.alias(a, id);
                    }
                }
                id
            }),
        };
        if let Some(sid) = sid {
            let (ss, se) = (*ss, *se);
            let ev = || self_evidence(doc, goal, w, ss, se);
            self.edge(tid, EdgeLabel::Measures, sid, ev, None);
        }
    }
}

/// The evidence of a mention at `ms..me` of the sentence `w`.
pub(super) fn self_evidence(
    document: &str,
    goal: &str,
    w: &Where<'_>,
    ms: usize,
    me: usize,
) -> Evidence {
    Evidence {
        document: document.to_string(),
        goal: goal.to_string(),
        field: w.field,
        sentence: w.sentence.to_string(),
        start: w.span.char_start,
        end: w.span.char_end,
        mention_start: ms,
        mention_end: me,
    }
}

/// A class node for a counted noun (技术创新中心, 高新技术企业, 科创沙龙), if its head says
/// what kind of thing it is.
fn class_node(lex: &Lexicon, subject: &str) -> Option<Node> {
    if let Some(k) = lex.known.get(subject) {
        let mut n = Node::entity(k.kind, k.canonical);
        if k.class {
            n.props.insert("class".into(), json!(true));
        }
        return Some(n);
    }
    let chars: Vec<(usize, char)> = subject.char_indices().collect();
    let n = chars.len();
    for k in (1..=lex.max_anchor_chars.min(n)).rev() {
        let suffix = &subject[chars[n - k].0..];
        if let Some(a) = lex.anchors.get(suffix) {
            if a.ns || a.token || a.abbr {
                break;
            }
            let mut node = Node::entity(a.kind, subject);
            node.props.insert("class".into(), json!(true));
            if let Some(st) = a.subtype {
                node.props.insert("subtype".into(), json!(st));
            }
            return Some(node);
        }
    }
    let ends = |set: &lexicon::FxSet<&'static str>| set.iter().any(|w| subject.ends_with(w));
    let kind = if ends(&lex.org_class) {
        NodeKind::Organization
    } else if ends(&lex.program_class) {
        NodeKind::Program
    } else {
        return None;
    };
    let mut node = Node::entity(kind, subject);
    node.props.insert("class".into(), json!(true));
    Some(node)
}
