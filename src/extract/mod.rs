//! Knowledge extraction: a goal's text to typed nodes and edges, each edge with the
//! sentence that says so. Segments each text once; the tokens go on to the text index.
//!
//! A goal's title, content and benchmark are split into sentences ([`sentences`]); each
//! sentence is segmented once with jieba (POS tags) and read by rules:
//! documents ([`documents`]: `《…》` and named plans after 出台/制定/修订/编制), named
//! institutions, organisations, places and programmes ([`entities`]), numeric targets
//! ([`targets`]), and other names ([`aliases`]). The vocabulary is data (`data/`).
//! `docs/extraction.md` describes the rules, the choices and the measured quality.

mod aliases;
mod builder;
mod documents;
mod duties;
mod entities;
mod known;
pub mod lexicon;
pub mod segment;
pub mod sentences;
mod targets;

use crate::model::{entity_id, Edge, Goal, Node, NodeKind};
#[cfg(test)]
use builder::self_evidence;
use builder::{Builder, Where};
use lexicon::{flag, Known, Lexicon};
use sentences::{Field, Sent, SentBuffers};
use std::sync::Arc;
use targets::TargetMention;

pub use known::KnownAlias;
pub use segment::{Segmenter, Token};

/// Bumped whenever extraction output changes, so stored documents are re-extracted on the
/// next ingest even when their bytes did not change.
pub const EXTRACTOR_VERSION: u32 = 3;

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
    /// Who is responsible (责任单位, 牵头/配合, 由X负责).
    pub duties: Vec<duties::Duty>,
}

/// Runs the rules over one segmented sentence.
#[cfg(test)]
pub(crate) fn analyse(lex: &'static Lexicon, sent: &Sent<'_>) -> Analysis {
    analyse_with(lex, sent, &[])
}

/// Runs the rules over one segmented sentence, reading the document's `known` names as
/// their nodes.
pub(crate) fn analyse_with(
    lex: &'static Lexicon,
    sent: &Sent<'_>,
    known: &[KnownAlias],
) -> Analysis {
    let mut taken = vec![false; sent.len()];
    let shorts = aliases::short_forms(sent, &mut taken);
    let duties = duties::find(sent, &mut taken);
    let mut mentions = documents::find(lex, sent, &mut taken);
    let found = entities::find(lex, sent, &taken, &shorts);
    let base = mentions.len();
    mentions.extend(found.mentions.into_iter().map(|mut m| {
        m.parent = m.parent.map(|p| p + base);
        m
    }));
    aliases::strip_former_mark(sent, &mut mentions[base..]);
    aliases::canonicalise(lex, &mut mentions);
    aliases::renamed(sent, &mut mentions);
    aliases::read_known(sent, &taken, known, &mut mentions);
    let targets = targets::find(lex, sent, &taken);
    Analysis {
        mentions,
        targets,
        duties,
    }
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
        // an adverb and a verb written as one token (认真落实, 加快推进)
        if t.flags & (flag::ISSUE | flag::ACTION) == 0 && t.e - t.s == 4 {
            let b = sent.cb[t.s + 2] - sent.cb[t.s];
            let (head, verb) = t.word.split_at(b);
            if lex.flags(head) & flag::STOP != 0
                && lex.flags(verb) & (flag::ISSUE | flag::ACTION) != 0
            {
                return Some(verb.to_string());
            }
        }
        if t.flags & flag::ISSUE != 0 {
            let mut a = i;
            while a > 0 && toks[a - 1].flags & flag::ISSUE != 0 {
                a -= 1;
            }
            return Some(sent.slice(toks[a].s, t.e).to_string());
        }
        if t.flags & flag::ACTION != 0 {
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
            if t.flags & flag::ACTION != 0 && !others.iter().any(|&(s, e)| s <= t.s && t.e <= e) {
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

impl Extractor {
    pub fn new(seg: Arc<Segmenter>) -> Extractor {
        Extractor { seg }
    }

    pub fn segmenter(&self) -> &Arc<Segmenter> {
        &self.seg
    }

    /// Extract from one stored goal node (kind `goal`) of document `document_id`; a node of
    /// another kind is read as a goal with its name as the title.
    pub fn extract_goal(&self, document_id: &str, goal: &Node) -> GoalExtraction {
        let goal = Goal::from_node(goal).unwrap_or_else(|| Goal {
            id: goal.id.clone(),
            title: goal.name.clone(),
            ..Goal::default()
        });
        self.extract(document_id, &goal)
    }

    /// Extract from one goal (its title, content and benchmark) of document `document_id`.
    pub fn extract(&self, document_id: &str, goal: &Goal) -> GoalExtraction {
        self.extract_with(document_id, goal, &[])
    }

    /// [`Extractor::extract`], reading the names the document declared elsewhere
    /// ([`KnownAlias`]) as their nodes wherever the goal writes them alone.
    pub fn extract_with(
        &self,
        document_id: &str,
        goal: &Goal,
        known: &[KnownAlias],
    ) -> GoalExtraction {
        let lex = Lexicon::get();
        let mut b = Builder::new(document_id, &goal.id);
        let mut tokens = GoalTokens::default();
        let mut buf = SentBuffers::default();
        for field in Field::ALL {
            let text = match field {
                Field::Title => goal.title.as_str(),
                Field::Content => goal.content.as_str(),
                Field::Benchmark => goal.benchmark.as_deref().unwrap_or(""),
            };
            let out = match field {
                Field::Title => &mut tokens.title,
                Field::Content => &mut tokens.content,
                Field::Benchmark => &mut tokens.benchmark,
            };
            // segment the field once; its sentences end at punctuation, which jieba keeps
            // as tokens of their own, so each sentence is a run of whole tokens
            let tagged = self.seg.tag(text);
            out.extend(tagged.iter().map(|t| (t.start, t.end)));
            let mut ti = 0;
            for span in sentences::split(text) {
                let sentence = &text[span.byte_start..span.byte_end];
                while ti < tagged.len() && tagged[ti].end <= span.byte_start {
                    ti += 1;
                }
                let first = ti;
                while ti < tagged.len() && tagged[ti].end <= span.byte_end {
                    ti += 1;
                }
                let run = &tagged[first..ti];
                let aligned = run.first().is_some_and(|t| t.start == span.byte_start)
                    && run.last().is_some_and(|t| t.end == span.byte_end);
                let own;
                let (toks, base) = if aligned {
                    (run, span.byte_start)
                } else {
                    // not expected; tag the sentence on its own rather than misalign
                    own = self.seg.tag(sentence);
                    (&own[..], 0)
                };
                let sent = Sent::with_buffers(sentence, toks, base, lex, &mut buf);
                let an = analyse_with(lex, &sent, known);
                let w = Where {
                    field,
                    span,
                    sentence,
                };
                b.add_sentence(lex, &w, &sent, an);
                sent.recycle(&mut buf);
            }
        }
        b.finish(tokens)
    }
}

/// The canonical form of a name as the extractor writes it: a known abbreviation is
/// replaced by its full name (中科院 → 中国科学院), also at the start of a longer name
/// (中科院海洋大科学研究中心 → 中国科学院海洋大科学研究中心). For looking names up.
pub fn canonical_name(name: &str) -> String {
    aliases::canonical_name(Lexicon::get(), name.trim())
}

/// The id of the node an entity name resolves to ([`canonical_name`], then
/// [`entity_id`]).
pub fn resolve_id(kind: NodeKind, name: &str) -> String {
    entity_id(kind, &canonical_name(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sentences::SentenceSpan;

    /// Top-level names of a sentence as (kind, written).
    fn names(text: &str) -> Vec<(NodeKind, String)> {
        let seg = Segmenter::shared();
        let lex = Lexicon::get();
        let tagged = seg.tag(text);
        let sent = Sent::new(text, &tagged, lex);
        analyse(lex, &sent)
            .mentions
            .into_iter()
            .filter(|m| !m.nested && !m.class)
            .map(|m| (m.kind, m.written))
            .collect()
    }

    fn has(text: &str, kind: NodeKind, name: &str) -> bool {
        names(text).iter().any(|(k, n)| *k == kind && n == name)
    }

    #[test]
    fn a_leading_verb_is_not_part_of_the_name() {
        use NodeKind::*;
        assert!(has(
            "建设国家超级计算中心。",
            Institution,
            "国家超级计算中心"
        ));
        assert!(has(
            "会同中国人民银行青岛市中心支行扩大信贷。",
            Organization,
            "中国人民银行青岛市中心支行"
        ));
        assert!(has("积极争取中国工程院支持。", Organization, "中国工程院"));
    }

    #[test]
    fn names_keep_their_inner_verbs_brackets_and_dashes() {
        use NodeKind::*;
        assert!(has(
            "建设青岛认知人工智能研究院。",
            Institution,
            "青岛认知人工智能研究院"
        ));
        assert!(has(
            "推进中德青年科学院建设。",
            Institution,
            "中德青年科学院"
        ));
        assert!(has(
            "建设山东产业技术研究院（青岛）。",
            Institution,
            "山东产业技术研究院（青岛）"
        ));
        assert!(has(
            "加快中国—泰国轨道交通联合实验室建设。",
            Institution,
            "中国—泰国轨道交通联合实验室"
        ));
        assert!(has(
            "推动齐鲁前海（青岛）创业投资基金设立。",
            Institution,
            "齐鲁前海（青岛）创业投资基金"
        ));
    }

    #[test]
    fn yu_joins_a_name_but_not_two_names() {
        use NodeKind::*;
        assert!(has(
            "支持浙江大学宁波科学与技术研究院建设。",
            Institution,
            "浙江大学宁波科学与技术研究院"
        ));
        // a field pair: a weak place word and a noun before 与
        assert!(has(
            "支持海洋科学与技术试点国家实验室建设。",
            Institution,
            "海洋科学与技术试点国家实验室"
        ));
        let n = names("推动市科技局与市财政局联合发文。");
        assert!(n.contains(&(Organization, "市科技局".into())), "{n:?}");
        assert!(n.contains(&(Organization, "市财政局".into())), "{n:?}");
    }

    #[test]
    fn generic_classes_are_not_names() {
        for text in [
            "认定建设各级技术创新中心150家以上。",
            "支持设立以产业技术研发为主的新型研发机构。",
            "培育建设市级临床医学研究中心。",
            "推进各级重点实验室建设。",
            "争创省级技术创新中心。",
            "建设一批专业化众创空间。",
        ] {
            let n = names(text);
            assert!(
                n.iter().all(|(k, _)| *k == NodeKind::Program),
                "{text}: {n:?}"
            );
        }
    }

    #[test]
    fn listed_names_without_suffix_are_organisations() {
        let n = names("引导浪潮集团、潍柴动力、万华化学等龙头企业参与。");
        for want in ["浪潮集团", "潍柴动力", "万华化学"] {
            assert!(
                n.contains(&(NodeKind::Organization, want.into())),
                "{want}: {n:?}"
            );
        }
        // generic lists are not
        assert!(names("鼓励银行、证券、保险等金融机构参与。").is_empty());
    }

    #[test]
    fn places_stand_alone_or_modify() {
        use NodeKind::*;
        assert!(has("推动平度市、莱西市建设农业园区。", Place, "平度市"));
        // a city before a noun is part of another phrase
        assert!(!has("推动青岛市企业参与。", Place, "青岛市"));
        assert!(has("在自贸区、高新区设立窗口。", Place, "高新区"));
    }

    #[test]
    fn listed_places_jieba_does_not_tag() {
        use NodeKind::*;
        for want in ["市南区", "市北区", "黄岛区"] {
            assert!(
                has("支持市南区、市北区、黄岛区发展。", Place, want),
                "{want}"
            );
        }
        assert!(names("支持城区、郊区、景区发展。").is_empty());
    }

    #[test]
    fn government_bodies_with_he_or_a_suffix_written_apart() {
        use NodeKind::*;
        let n = names("会同市文化和旅游局、市卫生健康委、市农业农村局开展工作。");
        for want in ["市文化和旅游局", "市卫生健康委", "市农业农村局"] {
            assert!(n.contains(&(Organization, want.into())), "{want}: {n:?}");
        }
        assert!(has(
            "对接住房和城乡建设部。",
            Organization,
            "住房和城乡建设部"
        ));
        assert!(names("做好信息化和工业化深度融合工作。").is_empty());
        assert!(names("鼓励企业和研究所合作。").is_empty());
        let n = names("支持市中级人民法院、青岛海关开展协作。");
        for want in ["市中级人民法院", "青岛海关"] {
            assert!(n.contains(&(Organization, want.into())), "{want}: {n:?}");
        }
        assert!(names("发挥人民法院作用。").is_empty());
        let n = names("会同市委网信办、市金融办开展工作。");
        for want in ["市委网信办", "市金融办"] {
            assert!(n.contains(&(Organization, want.into())), "{want}: {n:?}");
        }
        assert!(names("鼓励企业创办、领办各类实体。").is_empty());
    }

    #[test]
    fn a_body_of_the_city_itself_is_named() {
        use NodeKind::*;
        let n = names("发挥市疾控中心、市科学技术协会作用。");
        assert!(n.contains(&(Institution, "市疾控中心".into())), "{n:?}");
        assert!(
            n.contains(&(Organization, "市科学技术协会".into())),
            "{n:?}"
        );
        // but a class stays a class
        assert!(names("建设市技术创新中心和省重点实验室。").is_empty());
    }

    #[test]
    fn abbreviated_institutes_after_a_place_or_known_name() {
        use NodeKind::*;
        let n = names("推动中科院声学所、青岛能源所等院所发展。");
        assert!(n.contains(&(Institution, "中科院声学所".into())), "{n:?}");
        assert!(n.contains(&(Institution, "青岛能源所".into())), "{n:?}");
        // 所 as a particle
        assert!(names("青岛企业所承担的项目达到10项。").is_empty());
    }

    #[test]
    fn a_suffix_before_a_joined_word_and_list_items_with_verbs() {
        use NodeKind::*;
        assert!(has(
            "申报青岛市自然科学基金项目。",
            Institution,
            "青岛市自然科学基金"
        ));
        let n = names("支持海尔、来伊份、立讯等企业参与。");
        assert!(n.contains(&(Organization, "来伊份".into())), "{n:?}");
        assert!(names("鼓励技术研发、成果转化、检验检测等服务机构发展。").is_empty());
    }

    #[test]
    fn documents_with_and_without_brackets() {
        use NodeKind::*;
        assert!(has(
            "修订《青岛市科学技术奖励办法》。",
            Document,
            "青岛市科学技术奖励办法"
        ));
        assert!(has(
            "编制海洋科技创新行动方案。",
            Document,
            "海洋科技创新行动方案"
        ));
        let n = names("修订出台甲市科技计划项目管理暂行办法、甲市专项资金管理办法等文件。");
        assert_eq!(n.iter().filter(|(k, _)| *k == Document).count(), 2, "{n:?}");
    }

    #[test]
    fn a_bare_document_suffix_is_no_document_and_numbers_are_kept() {
        use NodeKind::*;
        let n = names("制定实施方案，编制工作方案。");
        assert!(n.iter().all(|(k, _)| *k != Document), "{n:?}");
        let seg = Segmenter::shared();
        let lex = Lexicon::get();
        let text = "认真落实《国务院关于印发〈规划〉的通知》（国发〔2021〕20号）。";
        let tagged = seg.tag(text);
        let sent = Sent::new(text, &tagged, lex);
        let an = analyse(lex, &sent);
        let d = &an.mentions[0];
        assert_eq!(d.written, "国务院关于印发〈规划〉的通知");
        assert_eq!(d.number.as_deref(), Some("国发〔2021〕20号"));
        let spans = [(d.start, d.end)];
        assert_eq!(
            governing_verb(lex, &sent, d.start, d.end, &spans).as_deref(),
            Some("落实")
        );
    }

    #[test]
    fn canonical_names_expand_known_abbreviations() {
        assert_eq!(canonical_name("中科院"), "中国科学院");
        assert_eq!(
            canonical_name("中科院海洋大科学研究中心"),
            "中国科学院海洋大科学研究中心"
        );
        assert_eq!(canonical_name("山东能源研究院"), "山东能源研究院");
        assert_eq!(
            resolve_id(NodeKind::Organization, "中科院"),
            entity_id(NodeKind::Organization, "中国科学院")
        );
    }

    #[test]
    fn evidence_props_are_a_serialised_evidence() {
        let w = Where {
            field: Field::Content,
            span: SentenceSpan {
                byte_start: 3,
                byte_end: 9,
                char_start: 1,
                char_end: 3,
            },
            sentence: "甲乙",
        };
        let ev = self_evidence("doc:1", "goal:2", &w, 0, 1);
        assert_eq!((ev.start, ev.end, ev.mention_end), (1, 3, 1));
        assert_eq!(ev.field, Field::Content);
        assert_eq!(ev.sentence, "甲乙");
    }
}
