//! The graph's vocabulary: nodes, edges, their kinds and labels, stable ids and the one
//! place where names are normalised. Pure data, no I/O.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;
use utoipa::ToSchema;

mod evidence;
mod goal;

pub use evidence::{Evidence, Field};
pub use goal::{Goal, GoalHead, GoalPlace, GoalSummary};

/// Free-form properties of a node or edge (`props` in the JSON contract).
pub type Props = Map<String, Value>;

/// What a node is. Serialised lowercase, as in the interface contract.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// The reporting department (市科技局).
    Unit,
    /// One goal (目标) of a document.
    Goal,
    /// Labs, institutes, centres, bases, parks, alliances, funds, incubators.
    Institution,
    /// Ministries, banks, associations, companies.
    Organization,
    /// Zones and places (高新区, 自贸区 …).
    Place,
    /// Policy documents (《…》 and named plans).
    Document,
    /// Campaigns, pilots, projects, quoted “…” names.
    Program,
    /// A numeric target of a goal.
    Target,
    /// A person (leaders, contacts).
    Person,
}

impl NodeKind {
    pub const ALL: [NodeKind; 9] = [
        NodeKind::Unit,
        NodeKind::Goal,
        NodeKind::Institution,
        NodeKind::Organization,
        NodeKind::Place,
        NodeKind::Document,
        NodeKind::Program,
        NodeKind::Target,
        NodeKind::Person,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Unit => "unit",
            NodeKind::Goal => "goal",
            NodeKind::Institution => "institution",
            NodeKind::Organization => "organization",
            NodeKind::Place => "place",
            NodeKind::Document => "document",
            NodeKind::Program => "program",
            NodeKind::Target => "target",
            NodeKind::Person => "person",
        }
    }

    /// Entities are the things goals mention (everything but units, goals and targets).
    pub fn is_entity(self) -> bool {
        !matches!(self, NodeKind::Unit | NodeKind::Goal | NodeKind::Target)
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NodeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        NodeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = NodeKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown kind `{s}` (expected one of: {})", names.join(", "))
            })
    }
}

/// What an edge says. Serialised snake_case.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EdgeLabel {
    /// unit → goal: the unit set this goal.
    HasGoal,
    /// goal → institution / organization / place / program: the goal relies on it.
    DependsOn,
    /// goal → document: the goal will issue (出台/制定/修订/编制) the document.
    Issues,
    /// goal → target: a numeric target of the goal.
    SetsTarget,
    /// target → entity: what the target counts (150家以上 → 技术创新中心).
    Measures,
    /// entity → entity: nested names (中科院海洋大科学研究中心 → 中科院).
    PartOf,
    /// goal → entity: mentioned without a dependency verb.
    Mentions,
    /// goal → organisation: the office responsible for the goal (责任单位, 牵头/配合,
    /// 由X负责); `props.role` is `lead` or `support`.
    Responsible,
    /// goal → goal: the goal continues this goal of the same unit's previous-year
    /// document; `props.score` (0–1) and `props.reason` (shared title words, platforms,
    /// target subjects).
    Continues,
    /// document → the document version it replaces: a plan's next 版 (…4.0版 → …3.0版),
    /// or a document issued again or revised (修订) in a later year than an earlier
    /// year's document issued it (then the node itself; `props.from_year`, `props.year`).
    Revises,
}

impl EdgeLabel {
    pub const ALL: [EdgeLabel; 10] = [
        EdgeLabel::HasGoal,
        EdgeLabel::DependsOn,
        EdgeLabel::Issues,
        EdgeLabel::SetsTarget,
        EdgeLabel::Measures,
        EdgeLabel::PartOf,
        EdgeLabel::Mentions,
        EdgeLabel::Responsible,
        EdgeLabel::Continues,
        EdgeLabel::Revises,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EdgeLabel::HasGoal => "has_goal",
            EdgeLabel::DependsOn => "depends_on",
            EdgeLabel::Issues => "issues",
            EdgeLabel::SetsTarget => "sets_target",
            EdgeLabel::Measures => "measures",
            EdgeLabel::PartOf => "part_of",
            EdgeLabel::Mentions => "mentions",
            EdgeLabel::Responsible => "responsible",
            EdgeLabel::Continues => "continues",
            EdgeLabel::Revises => "revises",
        }
    }
}

impl fmt::Display for EdgeLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EdgeLabel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        EdgeLabel::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = EdgeLabel::ALL.iter().map(|l| l.as_str()).collect();
                format!(
                    "unknown label `{s}` (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

impl Node {
    /// A class of things (`props.class`: 高新技术企业, 重点实验室), not a named entity.
    pub fn is_class(&self) -> bool {
        self.props.get("class").is_some_and(|c| c == true)
    }
}

/// A node: `{"id", "kind", "name", "props"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub props: Props,
}

impl Node {
    /// A node whose id derives from its kind and normalised name (entities, units).
    pub fn entity(kind: NodeKind, name: &str) -> Node {
        Node {
            id: entity_id(kind, name),
            kind,
            name: name.trim().to_string(),
            props: Props::new(),
        }
    }

    pub fn prop_str(&self, key: &str) -> Option<&str> {
        self.props.get(key).and_then(Value::as_str)
    }
}

/// An edge: `{"source", "target", "label", "props"}`. At most one edge per
/// (source, label, target).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Edge {
    pub source: String,
    pub target: String,
    pub label: EdgeLabel,
    /// `evidence` (the sentence, document id, offsets) and `action` where there is one.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub props: Props,
}

impl Edge {
    pub fn new(source: &str, label: EdgeLabel, target: &str) -> Edge {
        Edge {
            source: source.to_string(),
            target: target.to_string(),
            label,
            props: Props::new(),
        }
    }
}

/// Which layout a document was read with. Stored and shown snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// 业务目标 table (the seed): 类别 / 序号 / 目标名称 / 目标内容.
    GoalTable,
    /// 工作要点 outline: 一、 sections, （一） sub-sections, 1. items.
    Outline,
}

impl Layout {
    /// The name stored and shown (`goal_table`, `outline`), as serde writes it.
    pub fn name(self) -> &'static str {
        match self {
            Layout::GoalTable => "goal_table",
            Layout::Outline => "outline",
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// 64-bit stable hash (xxh3: fixed by its specification, the same on every machine and run).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

fn hashed_id(prefix: &str, key: &str) -> String {
    format!("{prefix}:{:016x}", stable_hash(key.as_bytes()))
}

/// Id of an entity-like node (unit, institution, organization, place, document, program,
/// person): its kind and normalised name, so the same name in two documents is one node.
pub fn entity_id(kind: NodeKind, name: &str) -> String {
    hashed_id(kind.as_str(), &normalize_name(name))
}

/// Id of a document: its unit, year and title line.
pub fn document_id(unit: &str, year: u16, title: &str) -> String {
    hashed_id(
        "doc",
        &format!(
            "{}\u{1f}{year}\u{1f}{}",
            normalize_name(unit),
            normalize_name(title)
        ),
    )
}

/// Id of a goal: its document, category, sub-category and number.
pub fn goal_id(document_id: &str, category: &str, subcategory: &str, number: &str) -> String {
    hashed_id(
        "goal",
        &format!(
            "{document_id}\u{1f}{}\u{1f}{}\u{1f}{}",
            normalize_name(category),
            normalize_name(subcategory),
            normalize_name(number)
        ),
    )
}

/// Id of a numeric target: the goal it belongs to and its raw text (and the occurrence,
/// for a goal that states the same figure twice).
pub fn target_id(goal_id: &str, raw: &str, occurrence: usize) -> String {
    hashed_id(
        "target",
        &format!("{goal_id}\u{1f}{}\u{1f}{occurrence}", normalize_name(raw)),
    )
}

/// The one name normalisation: full-width ASCII to half-width, ideographic space to space,
/// dash variants to `-`, brackets （）【】〔〕 to ASCII, curly and corner quotes to `"`/`'`,
/// whitespace removed (Chinese names carry none), ASCII lowercased.
pub fn normalize_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = normalize_char(c);
        if c.is_whitespace() {
            continue;
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Character-level part of [`normalize_name`], also used where numbering is read.
pub fn normalize_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '—' | '–' | '‐' | '‑' | '‒' | '―' | '－' | '─' => '-',
        '（' | '【' | '〔' | '［' => '(',
        '）' | '】' | '〕' | '］' => ')',
        '“' | '”' | '「' | '」' | '『' | '』' => '"',
        '‘' | '’' => '\'',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A Han character: CJK unified ideographs, extension A and the compatibility block.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The value of a number written in Chinese numerals below 1000, or in ASCII digits:
/// 一 → 1, 十二 → 12, 二十三 → 23, 两百零五 → 205, 〇 → 0, 12 → 12. `None` for anything
/// else (一二, 十十, an empty string).
pub fn chinese_number(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    let digit = |c: char| match c {
        '〇' | '零' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let mut chars = text.chars().peekable();
    chars.peek()?;
    let mut total = 0u32;
    // Places from the largest down: a digit (one when left out) before each unit.
    for (unit, value) in [('百', 100), ('十', 10)] {
        let mut rest = chars.clone();
        let d = match rest.next() {
            Some(c) if c == unit => Some(1),
            Some(c) => digit(c).filter(|_| rest.next() == Some(unit)),
            None => None,
        };
        if let Some(d) = d {
            total += d * value;
            chars = rest;
            if chars.peek() == Some(&'零') || chars.peek() == Some(&'〇') {
                chars.next();
            }
        }
    }
    match (chars.next(), chars.next()) {
        (None, _) => Some(total),
        (Some(c), None) => Some(total + digit(c)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_width_dashes_brackets_and_space() {
        assert_eq!(
            normalize_name(" 中国—泰国（青岛）ＡＢ１ "),
            normalize_name("中国-泰国(青岛)ab1")
        );
        assert_eq!(normalize_name("中国 – 泰国"), "中国-泰国");
    }

    #[test]
    fn ids_are_stable_and_kind_scoped() {
        let a = entity_id(NodeKind::Institution, "山东产业技术研究院（青岛）");
        let b = entity_id(NodeKind::Institution, "山东产业技术研究院(青岛)");
        assert_eq!(a, b);
        assert!(a.starts_with("institution:"));
        assert_ne!(a, entity_id(NodeKind::Place, "山东产业技术研究院(青岛)"));
        // fixed by xxh3's specification: must never change between releases
        assert_eq!(
            entity_id(NodeKind::Place, "高新区"),
            entity_id(NodeKind::Place, "高新区")
        );
    }

    #[test]
    fn kinds_and_labels_parse_from_their_names() {
        for k in NodeKind::ALL {
            assert_eq!(k.as_str().parse::<NodeKind>().unwrap(), k);
        }
        for l in EdgeLabel::ALL {
            assert_eq!(l.as_str().parse::<EdgeLabel>().unwrap(), l);
        }
        assert!("lab".parse::<NodeKind>().is_err());
    }

    #[test]
    fn chinese_numbers_read_as_written() {
        for (text, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("两百零五", 205),
            ("一百一十", 110),
            ("〇", 0),
            ("12", 12),
        ] {
            assert_eq!(chinese_number(text), Some(n), "{text}");
        }
        for text in ["", "一二", "十十", "百百", "三、"] {
            assert_eq!(chinese_number(text), None, "{text}");
        }
    }
}
