//! Named institutions, organisations, places and programmes in one sentence.
//!
//! Candidates come from four sources: name suffixes ("anchors": 实验室, 研究院, 支行, 示范区 …)
//! grown leftwards over jieba tokens, known names from the dictionary (中科院), quoted
//! “…” names, and enumerations `A、B、C等…机构`. Overlapping candidates are resolved longest
//! first; a shorter name at the start of a longer one becomes its parent (part_of).
//! Candidates without a distinctive modifier, or marked by a level word, are classes
//! (技术创新中心, 省级临床医学中心) and are not named entities.

mod anchors;
mod decide;
mod grow;
mod sources;

use super::aliases::{apposition_at, ShortForm};
use super::lexicon::{Anchor, Known, Lexicon};
use super::sentences::{Sent, TokClass};
use super::Mention;
use crate::model::NodeKind;

/// Why growing a name leftwards stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Punctuation, the sentence start, or text already taken by a document.
    Boundary,
    /// A predicate or function word.
    Word,
    /// A level or quantity word: the name is a class.
    Level,
}

#[derive(Debug, Clone, Copy)]
struct Grow {
    start: usize,
    stop: Stop,
    quote: bool,
    paren: bool,
    dash: bool,
    conj: bool,
}

impl Grow {
    /// A name starting at character `start` that met a boundary, with no marks.
    fn at(start: usize) -> Grow {
        Grow {
            start,
            stop: Stop::Boundary,
            quote: false,
            paren: false,
            dash: false,
            conj: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Src {
    Anchor(&'static Anchor),
    Known(&'static Known),
    Quote,
    Enum,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    /// Where the suffix starts (the modifier is `start..anchor_s`).
    anchor_s: usize,
    /// Where the suffix ends (before a trailing `（地名）`).
    anchor_e: usize,
    pub kind: NodeKind,
    pub subtype: Option<&'static str>,
    src: Src,
    grow: Grow,
    pub named: bool,
    pub class: bool,
    /// Not a name at all (中基协基金: a known name plus a bare suffix).
    void: bool,
}

impl Cand {
    fn len(&self) -> usize {
        self.end - self.start
    }
    fn contains(&self, o: &Cand) -> bool {
        self.start <= o.start && o.end <= self.end && self.len() > o.len()
    }
    fn overlaps(&self, o: &Cand) -> bool {
        self.start < o.end && o.start < self.end
    }
    fn priority(&self) -> u8 {
        match self.src {
            Src::Known(_) => 0,
            Src::Anchor(a) if a.kind != NodeKind::Program => 1,
            Src::Enum => 2,
            Src::Anchor(_) => 3,
            Src::Quote => 4,
        }
    }
    fn anchor(&self) -> Option<&'static Anchor> {
        match self.src {
            Src::Anchor(a) => Some(a),
            _ => None,
        }
    }
}

struct Ctx<'s, 'a> {
    lex: &'static Lexicon,
    sent: &'s Sent<'a>,
    taken: &'s [bool],
}

/// Result for one sentence: the mentions, with the parents of nested names.
pub(crate) struct Found {
    pub mentions: Vec<Mention>,
}

/// Finds the entities of a sentence; `taken` marks characters already used by documents.
pub(crate) fn find(
    lex: &'static Lexicon,
    sent: &Sent<'_>,
    taken: &[bool],
    shorts: &[ShortForm],
) -> Found {
    let ctx = Ctx { lex, sent, taken };
    let mut cands: Vec<Cand> = Vec::new();
    ctx.known_cands(&mut cands);
    let n_known = cands.len();
    let hits = ctx.anchor_cands(&mut cands);
    {
        let (knowns, rest) = cands.split_at_mut(n_known);
        for c in rest.iter_mut() {
            ctx.decide(c, &hits, knowns);
        }
    }
    if cands.is_empty()
        && !sent
            .chars
            .iter()
            .any(|c| matches!(c, '“' | '「' | '『' | '"' | '等'))
    {
        return Found {
            mentions: Vec::new(),
        };
    }
    ctx.quote_cands(&mut cands);
    ctx.enum_cands(&mut cands);
    cands.retain(|c| !c.void);

    // longest first; equal extents by source priority
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| {
        (
            std::cmp::Reverse(cands[i].len()),
            cands[i].priority(),
            cands[i].start,
        )
    });
    let mut kept: Vec<usize> = Vec::new();
    for &i in &order {
        if kept.iter().all(|&k| !cands[k].overlaps(&cands[i])) {
            kept.push(i);
        }
    }
    kept.sort_by_key(|&i| cands[i].start);

    // apposition X——Y: Y is another name of X, not a mention of its own
    let mut appos: Vec<(usize, String)> = Vec::new();
    let mut suppressed: Vec<usize> = Vec::new();
    for &k in &kept {
        let x = cands[k];
        if !x.named || x.kind == NodeKind::Program {
            continue;
        }
        let Some(ys) = apposition_at(sent, x.end) else {
            continue;
        };
        let y = kept.iter().copied().find(|&o| cands[o].start == ys);
        let ye = match y {
            Some(o) => {
                suppressed.push(o);
                cands[o].end
            }
            None => {
                let mut i = sent.tok_at(ys);
                let mut e = ys;
                while i < sent.toks.len()
                    && sent.toks[i].class == TokClass::Word
                    && !sent.toks[i].tag.starts_with('v')
                    && sent.toks[i].e - ys <= 10
                {
                    e = sent.toks[i].e;
                    i += 1;
                }
                e
            }
        };
        if ye >= ys + 2 {
            appos.push((k, sent.slice(ys, ye).to_string()));
        }
    }

    let mut mentions: Vec<Mention> = Vec::new();
    for &k in &kept {
        let c = cands[k];
        if (!c.named && !c.class) || suppressed.contains(&k) {
            continue;
        }
        let known = match c.src {
            Src::Known(kn) => Some(kn),
            _ => None,
        };
        // a class is a class node when it says more than its bare suffix (重点实验室,
        // 数字化转型示范园区; not 中心 alone)
        let class_node =
            matches!(c.src, Src::Anchor(_)) && c.anchor_s > c.start && c.kind != NodeKind::Program;
        if c.class && known.is_none() && !class_node {
            continue;
        }
        let idx = mentions.len();
        mentions.push(Mention::new(
            c.kind,
            sent.slice(c.start, c.end),
            c.start,
            c.end,
        ));
        {
            let m = &mut mentions[idx];
            m.subtype = c.subtype;
            m.class = c.class;
            m.known = known;
            for (_, alias) in appos.iter().filter(|(x, _)| *x == k) {
                m.aliases.push(alias.clone());
            }
            for sf in shorts.iter().filter(|sf| sf.open == c.end) {
                m.aliases.push(sf.alias.clone());
            }
        }
        // nested names: a parent at the start; organisations inside programmes
        let inner: Vec<&Cand> = cands
            .iter()
            .filter(|o| c.contains(o) && o.named && !o.class)
            .collect();
        if c.kind == NodeKind::Program {
            for o in inner.iter().filter(|o| o.kind == NodeKind::Organization) {
                if mentions
                    .iter()
                    .any(|m| m.start == o.start && m.end == o.end)
                {
                    continue;
                }
                let mut m = Mention::new(o.kind, sent.slice(o.start, o.end), o.start, o.end);
                m.known = match o.src {
                    Src::Known(kn) => Some(kn),
                    _ => None,
                };
                mentions.push(m);
            }
            continue;
        }
        let child_branch = c.anchor().is_some_and(|a| a.branch);
        let parent = inner
            .iter()
            .filter(|o| {
                o.start == c.start
                    && o.end < c.anchor_s
                    && (sent.toks[sent.tok_at(o.end - 1)].e == o.end
                        || matches!(o.src, Src::Known(_)))
                    && match o.src {
                        Src::Known(_) => true,
                        Src::Anchor(a) => {
                            o.kind == NodeKind::Organization
                                || (a.zone && o.kind == NodeKind::Place)
                                || (child_branch && o.kind == NodeKind::Institution)
                        }
                        _ => false,
                    }
            })
            .max_by_key(|o| o.len());
        if let Some(p) = parent {
            let mut pm = Mention::new(p.kind, sent.slice(p.start, p.end), p.start, p.end);
            pm.subtype = p.subtype;
            pm.nested = true;
            pm.known = match p.src {
                Src::Known(kn) => Some(kn),
                _ => None,
            };
            let pi = mentions.len();
            mentions.push(pm);
            mentions[idx].parent = Some(pi);
        }
    }
    Found { mentions }
}
