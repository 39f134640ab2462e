//! Knowledge extraction: a goal's text to typed nodes and edges, each edge with the
//! sentence that says so. Segments each text once; the tokens go on to the text index.
//!
//! A goal's title, content and benchmark are split into sentences ([`sentences`]); each
//! sentence is segmented once with jieba (POS tags) and read by rules:
//! documents ([`documents`]: `《…》` and named plans after 出台/制定/修订/编制), named
//! institutions, organisations, places and programmes ([`entities`]), numeric targets
//! ([`targets`]), and other names ([`aliases`]). The vocabulary is data (`data/`).
//! `docs/extraction.md` describes the rules, the choices and the measured quality.

pub mod aliases;
pub mod documents;
pub mod entities;
pub mod lexicon;
pub mod segment;
pub mod sentences;
pub mod targets;

use crate::model::{entity_id, target_id, Edge, EdgeLabel, Evidence, Node, NodeKind, Props};
use lexicon::{Known, Lexicon};
use sentences::{Field, Sent, SentenceSpan};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use targets::TargetMention;

pub use segment::{Segmenter, Token};

/// Bumped whenever extraction output changes, so stored documents are re-extracted on the
/// next ingest even when their bytes did not change.
pub const EXTRACTOR_VERSION: u32 = 2;

/// A name by which a node can also be found (中科院 for 中国科学院).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub name: String,
    pub node_id: String,
}

/// Byte ranges of the words of one goal's fields, for the text index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalTokens {
    pub title: Vec<(usize, usize)>,
    pub content: Vec<(usize, usize)>,
    pub benchmark: Vec<(usize, usize)>,
}

/// What one goal yields: the nodes it mentions (every edge endpoint other than the goal
/// itself is among `nodes`), the edges from it, aliases, and its tokens.
#[derive(Debug, Clone, Default)]
pub struct GoalExtraction {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub aliases: Vec<Alias>,
    pub tokens: GoalTokens,
}

/// One name found in a sentence (character offsets in the sentence).
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub kind: NodeKind,
    /// The canonical name (set by [`aliases::canonicalise`]).
    pub name: String,
    /// The name as written.
    pub written: String,
    pub start: usize,
    pub end: usize,
    pub subtype: Option<&'static str>,
    /// A class of things (高新技术企业), linked by `mentions` only.
    pub class: bool,
    pub known: Option<&'static Known>,
    /// A parent inside a longer name: linked by `part_of` only, not from the goal.
    pub nested: bool,
    /// Index of the parent mention (中科院 for 中科院海洋大科学研究中心).
    pub parent: Option<usize>,
    pub aliases: Vec<String>,
    /// A document's number (国发〔2022〕18号).
    pub number: Option<String>,
}

impl Mention {
    pub fn new(kind: NodeKind, written: &str, start: usize, end: usize) -> Mention {
        Mention {
            kind,
            name: written.to_string(),
            written: written.to_string(),
            start,
            end,
            subtype: None,
            class: false,
            known: None,
            nested: false,
            parent: None,
            aliases: Vec::new(),
            number: None,
        }
    }
}

/// Everything the rules found in one sentence.
pub(crate) struct Analysis {
    pub mentions: Vec<Mention>,
    pub targets: Vec<TargetMention>,
}

/// Runs the rules over one segmented sentence.
pub(crate) fn analyse(lex: &'static Lexicon, sent: &Sent<'_>) -> Analysis {
    let mut taken = vec![false; sent.len()];
    let shorts = aliases::short_forms(sent, &mut taken);
    let mut mentions = documents::find(lex, sent, &mut taken);
    let found = entities::find(lex, sent, &taken, &shorts);
    let base = mentions.len();
    mentions.extend(found.mentions.into_iter().map(|mut m| {
        m.parent = m.parent.map(|p| p + base);
        m
    }));
    aliases::canonicalise(lex, &mut mentions);
    let targets = targets::find(lex, sent, &taken);
    Analysis { mentions, targets }
}

/// The verb that governs a mention at `start..end`: the nearest action verb before it in
/// its clause (a chain of issuing verbs is kept whole: 修订出台), `发挥…作用` as a frame, and
/// for a place after 在/于 the first verb after it.
pub(crate) fn governing_verb(
    lex: &Lexicon,
    sent: &Sent<'_>,
    start: usize,
    end: usize,
    others: &[(usize, usize)],
) -> Option<String> {
    let toks = &sent.toks;
    if start >= sent.len() || toks.is_empty() {
        return None;
    }
    let first = sent.tok_at(start);
    let mut i = first;
    let mut locative = false;
    while i > 0 {
        i -= 1;
        if sent.is_clause_break(i) {
            break;
        }
        let t = &toks[i];
        if toks[i].e > start {
            continue; // inside the mention (a bracket before it)
        }
        // words inside other names (创新 in …协同创新中心) govern nothing
        if others.iter().any(|&(s, e)| s <= t.s && t.e <= e) {
            continue;
        }
        if matches!(t.word, "在" | "于") {
            locative = true;
            break;
        }
        if lex.issue.contains(t.word) {
            let mut a = i;
            while a > 0 && lex.issue.contains(toks[a - 1].word) {
                a -= 1;
            }
            return Some(sent.slice(toks[a].s, t.e).to_string());
        }
        if lex.action.contains(t.word) {
            if t.word == "发挥" {
                let after = sent.tok_at(end.min(sent.len() - 1));
                let frame = (after..toks.len())
                    .take_while(|&k| !sent.is_clause_break(k))
                    .any(|k| toks[k].word == "作用");
                if frame {
                    return Some("发挥…作用".to_string());
                }
            }
            return Some(t.word.to_string());
        }
    }
    if locative && end < sent.len() {
        let mut k = sent.tok_at(end);
        while k < toks.len() && !sent.is_clause_break(k) {
            let t = &toks[k];
            if lex.action.contains(t.word) && !others.iter().any(|&(s, e)| s <= t.s && t.e <= e) {
                return Some(toks[k].word.to_string());
            }
            k += 1;
        }
    }
    None
}

/// Turns goal text into nodes and edges.
pub struct Extractor {
    seg: Arc<Segmenter>,
}

/// Collects one goal's nodes, edges and aliases, one edge per (source, label, target).
struct Builder<'g> {
    document: &'g str,
    goal: &'g str,
    nodes: Vec<Node>,
    node_at: HashMap<String, usize>,
    edges: Vec<Edge>,
    edge_at: HashMap<(String, EdgeLabel, String), usize>,
    /// goal → target edges by target (to upgrade `mentions` to a stronger label).
    goal_edge_at: HashMap<String, usize>,
    aliases: Vec<Alias>,
    target_seen: HashMap<String, usize>,
}

struct Where<'s> {
    field: Field,
    span: SentenceSpan,
    sentence: &'s str,
}

impl<'g> Builder<'g> {
    fn new(document: &'g str, goal: &'g str) -> Builder<'g> {
        Builder {
            document,
            goal,
            nodes: Vec::new(),
            node_at: HashMap::new(),
            edges: Vec::new(),
            edge_at: HashMap::new(),
            goal_edge_at: HashMap::new(),
            aliases: Vec::new(),
            target_seen: HashMap::new(),
        }
    }

    fn evidence(&self, w: &Where<'_>, ms: usize, me: usize) -> Value {
        let ev = Evidence {
            document: self.document.to_string(),
            goal: self.goal.to_string(),
            field: w.field.as_str().to_string(),
            sentence: w.sentence.to_string(),
            start: w.span.char_start,
            end: w.span.char_end,
            mention_start: ms,
            mention_end: me,
        };
        serde_json::to_value(ev).expect("evidence serialises")
    }

    fn node(&mut self, node: Node) -> String {
        let id = node.id.clone();
        if !self.node_at.contains_key(&id) {
            self.node_at.insert(id.clone(), self.nodes.len());
            self.nodes.push(node);
        }
        id
    }

    fn alias(&mut self, name: &str, node_id: &str) {
        if name.is_empty() {
            return;
        }
        if !self
            .aliases
            .iter()
            .any(|a| a.name == name && a.node_id == node_id)
        {
            self.aliases.push(Alias {
                name: name.to_string(),
                node_id: node_id.to_string(),
            });
        }
    }

    /// Adds an edge with evidence; a repeat only counts (`props.mentions`).
    fn edge(
        &mut self,
        source: &str,
        label: EdgeLabel,
        target: &str,
        evidence: Value,
        action: Option<String>,
    ) {
        let from_goal = source == self.goal;
        let strength = |l: EdgeLabel| u8::from(l != EdgeLabel::Mentions);
        if from_goal {
            if let Some(&i) = self.goal_edge_at.get(target) {
                let e = &mut self.edges[i];
                let n = e.props.get("mentions").and_then(Value::as_u64).unwrap_or(1);
                e.props.insert("mentions".into(), json!(n + 1));
                if strength(label) > strength(e.label) {
                    // a governing verb later in the goal: the stronger relation, its evidence
                    let key_old = (source.to_string(), e.label, target.to_string());
                    self.edge_at.remove(&key_old);
                    e.label = label;
                    e.props.insert("evidence".into(), evidence);
                    if let Some(a) = action {
                        e.props.insert("action".into(), json!(a));
                    }
                    self.edge_at
                        .insert((source.to_string(), label, target.to_string()), i);
                }
                return;
            }
        }
        let key = (source.to_string(), label, target.to_string());
        if let Some(&i) = self.edge_at.get(&key) {
            let e = &mut self.edges[i];
            let n = e.props.get("mentions").and_then(Value::as_u64).unwrap_or(1);
            e.props.insert("mentions".into(), json!(n + 1));
            return;
        }
        let mut e = Edge::new(source, label, target);
        e.props.insert("evidence".into(), evidence);
        if let Some(a) = action {
            e.props.insert("action".into(), json!(a));
        }
        e.props.insert("mentions".into(), json!(1));
        self.edge_at.insert(key, self.edges.len());
        if from_goal {
            self.goal_edge_at
                .insert(target.to_string(), self.edges.len());
        }
        self.edges.push(e);
    }

    fn mention_node(&mut self, m: &Mention) -> String {
        let mut node = Node::entity(m.kind, &m.name);
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
        let id = self.node(node);
        for a in &m.aliases {
            self.alias(a, &id);
        }
        id
    }

    fn add_sentence(&mut self, lex: &Lexicon, w: &Where<'_>, sent: &Sent<'_>, an: Analysis) {
        let ids: Vec<String> = an.mentions.iter().map(|m| self.mention_node(m)).collect();
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
            let ev = self.evidence(w, m.start, m.end);
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
            let goal = self.goal.to_string();
            self.edge(&goal, label, &ids[i], ev.clone(), action);
            if let Some(p) = m.parent {
                self.edge(&ids[i], EdgeLabel::PartOf, &ids[p], ev, None);
            }
        }
        for t in an.targets {
            self.add_target(lex, w, sent, &an.mentions, &ids, &spans, t);
        }
    }

    fn add_target(
        &mut self,
        lex: &Lexicon,
        w: &Where<'_>,
        sent: &Sent<'_>,
        mentions: &[Mention],
        ids: &[String],
        spans: &[(usize, usize)],
        t: TargetMention,
    ) {
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
        node.props.insert("field".into(), json!(w.field.as_str()));
        let tid = self.node(node);
        let ev = self.evidence(w, t.start, t.end);
        let action = governing_verb(lex, sent, t.start, t.end, spans);
        let goal = self.goal.to_string();
        self.edge(&goal, EdgeLabel::SetsTarget, &tid, ev, action);

        let Some((subject, ss, se)) = &t.subject else {
            return;
        };
        // the subject is a name found in the sentence, or a class
        let named = mentions.iter().position(|m| {
            !m.nested && m.start <= *ss && *se <= m.end && m.kind != NodeKind::Document
        });
        let sid = match named {
            Some(i) => Some(ids[i].clone()),
            None => class_node(lex, subject).map(|n| {
                let known = lex.known.get(subject.as_str()).copied();
                let id = self.node(n);
                if let Some(k) = known {
                    for a in lex.aliases_of(&k) {
                        self.alias(a, &id);
                    }
                }
                id
            }),
        };
        if let Some(sid) = sid {
            let ev = self.evidence(w, *ss, *se);
            self.edge(&tid, EdgeLabel::Measures, &sid, ev, None);
        }
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
            if a.ns || a.token {
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

impl Extractor {
    pub fn new(seg: Arc<Segmenter>) -> Extractor {
        Extractor { seg }
    }

    pub fn segmenter(&self) -> &Arc<Segmenter> {
        &self.seg
    }

    /// Extract from one goal node (kind `goal`: `name` is the title, `props.content` and
    /// `props.benchmark` the other fields) of document `document_id`.
    pub fn extract_goal(&self, document_id: &str, goal: &Node) -> GoalExtraction {
        let lex = Lexicon::get();
        let mut b = Builder::new(document_id, &goal.id);
        let mut tokens = GoalTokens::default();
        for field in Field::ALL {
            let text = match field {
                Field::Title => goal.name.as_str(),
                Field::Content => goal.prop_str("content").unwrap_or(""),
                Field::Benchmark => goal.prop_str("benchmark").unwrap_or(""),
            };
            let out = match field {
                Field::Title => &mut tokens.title,
                Field::Content => &mut tokens.content,
                Field::Benchmark => &mut tokens.benchmark,
            };
            for span in sentences::split(text) {
                let sentence = &text[span.byte_start..span.byte_end];
                let tagged = self.seg.tag(sentence);
                out.extend(
                    tagged
                        .iter()
                        .map(|t| (span.byte_start + t.start, span.byte_start + t.end)),
                );
                let sent = Sent::new(sentence, &tagged, lex);
                let an = analyse(lex, &sent);
                let w = Where {
                    field,
                    span,
                    sentence,
                };
                b.add_sentence(lex, &w, &sent, an);
            }
        }
        GoalExtraction {
            nodes: b.nodes,
            edges: b.edges,
            aliases: b.aliases,
            tokens,
        }
    }
}

/// The node id an entity mention resolves to (kind and canonical name).
pub fn resolve_id(kind: NodeKind, name: &str) -> String {
    let lex = Lexicon::get();
    match lex.known.get(name) {
        Some(k) if k.kind == kind => entity_id(kind, k.canonical),
        _ => entity_id(kind, name),
    }
}
