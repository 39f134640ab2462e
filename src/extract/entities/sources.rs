//! Candidates from the other three sources: known names from the dictionary (中科院),
//! quoted “…” names and enumerations `A、B、C等…机构`.

use super::{Cand, Ctx, Grow, Src};
use crate::extract::lexicon::pair_key;
use crate::extract::sentences::TokClass;
use crate::model::NodeKind;

impl Ctx<'_, '_> {
    pub(super) fn known_cands(&self, out: &mut Vec<Cand>) {
        let s = self.sent;
        let toks = &s.toks;
        for i in 0..toks.len() {
            if toks[i].class != TokClass::Word
                || self.tok_taken(i)
                || toks[i].s + 1 >= s.len()
                || !self
                    .lex
                    .known_first2
                    .may_contain(pair_key(s.chars[toks[i].s], s.chars[toks[i].s + 1]))
            {
                continue;
            }
            let mut best = None;
            for k in i..toks.len().min(i + 4) {
                if toks[k].class != TokClass::Word || self.tok_taken(k) {
                    break;
                }
                if toks[k].e - toks[i].s > self.lex.max_known_chars {
                    break;
                }
                if let Some(kn) = self.lex.known.get(s.slice(toks[i].s, toks[k].e)) {
                    best = Some((toks[k].e, kn));
                }
            }
            // a known name at the start of a longer token (中国科学院|自动化研究所)
            if best.is_none() {
                let t = &toks[i];
                let n = t.e - t.s;
                for k in (2..n.min(self.lex.max_known_chars + 1)).rev() {
                    if let Some(kn) = self.lex.known.get(s.slice(t.s, t.s + k)) {
                        best = Some((t.s + k, kn));
                        break;
                    }
                }
            }
            if let Some((e, kn)) = best {
                out.push(Cand {
                    start: toks[i].s,
                    end: e,
                    anchor_s: e,
                    anchor_e: e,
                    kind: kn.kind,
                    subtype: None,
                    src: Src::Known(kn),
                    grow: Grow::at(toks[i].s),
                    named: !kn.class,
                    class: kn.class,
                    void: false,
                });
            }
        }
    }

    /// Quoted names “…”: programmes unless a suffix makes them something else.
    pub(super) fn quote_cands(&self, out: &mut Vec<Cand>) {
        let s = self.sent;
        let mut outer_end = 0;
        for (o, &c) in s.chars.iter().enumerate() {
            if !matches!(c, '“' | '「' | '『' | '"') || self.taken[o] {
                continue;
            }
            let Some(close) = s.pair[o].map(|p| p as usize) else {
                continue;
            };
            // a closing ASCII quote, or one inside another quotation (part of that one)
            if close <= o || o < outer_end {
                continue;
            }
            outer_end = close;
            if close <= o + 2 || close - o > 41 {
                continue;
            }
            out.push(Cand {
                start: o + 1,
                end: close,
                anchor_s: close,
                anchor_e: close,
                kind: NodeKind::Program,
                subtype: Some("campaign"),
                src: Src::Quote,
                grow: Grow {
                    quote: true,
                    ..Grow::at(o + 1)
                },
                named: true,
                class: false,
                void: false,
            });
        }
    }

    /// `A、B、C等科技服务机构`: each listed name without a suffix is an organisation.
    pub(super) fn enum_cands(&self, out: &mut Vec<Cand>) {
        let s = self.sent;
        let lex = self.lex;
        let toks = &s.toks;
        for i in 1..toks.len() {
            if toks[i].word != "等" || self.tok_taken(i) {
                continue;
            }
            let mut kind = None;
            for t in toks.iter().skip(i + 1).take(4) {
                if t.class != TokClass::Word {
                    break;
                }
                let ends = |set: &crate::extract::lexicon::FxSet<&'static str>| {
                    set.contains(t.word) || set.iter().any(|c| t.word.ends_with(c))
                };
                if ends(&lex.org_class) {
                    kind = Some(NodeKind::Organization);
                    break;
                }
                if ends(&lex.inst_class) {
                    kind = Some(NodeKind::Institution);
                    break;
                }
            }
            let Some(kind) = kind else { continue };
            let mut items: Vec<(usize, usize)> = Vec::new();
            let mut j = i; // exclusive right end (token index)
            loop {
                let mut k0 = j;
                while k0 > 0 && toks[k0 - 1].class == TokClass::Word && !self.tok_taken(k0 - 1) {
                    k0 -= 1;
                }
                let verbish =
                    |t: &crate::extract::sentences::Tok| t.tag.starts_with('v') || t.verbish;
                // an item between 、 and 、 (or 等) is whole even where jieba reads a verb
                // (特/d 来电/v), if it looks like a name: a proper noun, an unknown word or
                // a single character among its words (成果转化 is none of these)
                let between = k0 > 0 && matches!(toks[k0 - 1].class, TokClass::Punct('、'));
                let name_like = toks[k0..j].iter().any(|t| {
                    t.strong
                        || t.e - t.s == 1
                        || matches!(t.tag, "nz" | "nt" | "nr" | "ns" | "x" | "eng")
                });
                let k = if between && name_like {
                    k0
                } else {
                    let mut k = j;
                    while k > k0 && !verbish(&toks[k - 1]) {
                        k -= 1;
                    }
                    k
                };
                if k == j {
                    break;
                }
                items.push((k, j));
                if k == 0 {
                    break;
                }
                let sep = &toks[k - 1];
                if matches!(sep.class, TokClass::Punct('、')) || sep.class == TokClass::Conj {
                    j = k - 1;
                } else {
                    break;
                }
            }
            if items.len() < 2 {
                continue;
            }
            for (a, b) in items {
                let (st, en) = (toks[a].s, toks[b - 1].e);
                let text = s.slice(st, en);
                let n = en - st;
                if !(2..=10).contains(&n) || lex.generic.contains(text) {
                    continue;
                }
                let ends_with_class = lex
                    .org_class
                    .iter()
                    .chain(lex.inst_class.iter())
                    .any(|c| text.ends_with(c));
                let single_common = b - a == 1
                    && !toks[a].strong
                    && !matches!(toks[a].tag, "nz" | "nt" | "nr" | "ns" | "x" | "eng");
                if ends_with_class || single_common || lex.known.contains_key(text) {
                    continue;
                }
                out.push(Cand {
                    start: st,
                    end: en,
                    anchor_s: en,
                    anchor_e: en,
                    kind,
                    subtype: (kind == NodeKind::Institution).then_some("other"),
                    src: Src::Enum,
                    grow: Grow::at(st),
                    named: true,
                    class: false,
                    void: false,
                });
            }
        }
    }
}
