//! Candidates from name suffixes ("anchors": 实验室, 研究院, 支行, 示范区 …): where a suffix
//! ends, abbreviated and place-led names, lists of places before a shared suffix.

use super::{Cand, Ctx, Grow, Src};
use crate::extract::lexicon::{flag, pair_key, Anchor};
use crate::extract::sentences::TokClass;
use crate::model::{is_han, NodeKind};

impl Ctx<'_, '_> {
    fn anchor_hits(&self) -> Vec<(usize, usize, &'static Anchor)> {
        let s = self.sent;
        let lex = self.lex;
        let mut hits: Vec<(usize, usize, &'static Anchor)> = Vec::new();
        // places whose first word jieba does not tag as a place (即墨|区, 市南区/n): kept
        // only when they stand in a list next to a place
        let mut weak: Vec<(usize, usize, &'static Anchor)> = Vec::new();
        for (ti, t) in s.toks.iter().enumerate() {
            if self.tok_taken(ti) {
                continue;
            }
            if t.class != TokClass::Word {
                // an abbreviation suffix jieba tags as a function word (能源|所/c)
                if t.class == TokClass::Stop && t.e - t.s == 1 {
                    if let Some(a) = lex.anchors.get(t.word).filter(|a| a.abbr) {
                        if let Some(st) = self.abbr_start(ti, t.s) {
                            hits.push((st, t.e, a));
                        }
                    }
                }
                continue;
            }
            // the suffix may end before a word jieba wrote onto it (基金|项目)
            let e = self.suffix_end(ti);
            let last = s.chars[e - 1];
            let maybe = lex.anchor_last1.contains(&last)
                || (e >= 2 && lex.anchor_last2.may_contain(pair_key(s.chars[e - 2], last)));
            if !maybe {
                continue;
            }
            let maxk = lex.max_anchor_chars.min(e);
            for k in (1..=maxk).rev() {
                let st = e - k;
                let Some(a) = lex.anchors.get(s.slice(st, e)) else {
                    continue;
                };
                if self.taken[st] {
                    break;
                }
                let tlen = t.e - t.s;
                if a.ns {
                    if e != t.e {
                        break;
                    }
                    if let Some(ps) = self.place_start(ti) {
                        hits.push((ps, e, a));
                    } else if let Some(ps) = self.weak_place_start(ti) {
                        weak.push((ps, e, a));
                    }
                } else if a.abbr {
                    if let Some(ps) = self.abbr_start(ti, st) {
                        hits.push((ps, e, a));
                    }
                } else if a.token {
                    // 市科技局; a one-character token (市|卫生|健康|委) only after a word,
                    // checked again once the name is grown
                    let after_word = tlen == 1
                        && ti > 0
                        && s.toks[ti - 1].class == TokClass::Word
                        && s.toks[ti - 1].e - s.toks[ti - 1].s >= 2
                        && !s.toks[ti - 1].verbish
                        && !self.tok_taken(ti - 1);
                    let whole = tlen >= 2 && !self.ends_with_false_anchor(ti) && t.tag != "v";
                    if whole || after_word {
                        hits.push((st, e, a));
                    }
                } else if !self.ends_with_false_anchor(ti) {
                    hits.push((st, e, a));
                }
                break;
            }
        }
        self.list_places(&mut hits, weak);
        // an anchor inside a longer one (中心 in 中心支行) is no anchor
        let keep: Vec<bool> = hits
            .iter()
            .map(|&(hs, he, _)| {
                !hits
                    .iter()
                    .any(|&(os, oe, _)| os <= hs && he <= oe && (os, oe) != (hs, he) && oe - os > 1)
            })
            .collect();
        let mut k = keep.into_iter();
        hits.retain(|_| k.next().unwrap_or(true));
        hits
    }

    /// Where a name suffix can end in token `ti`: its end, or before a word jieba joined
    /// to the suffix (基金项目).
    fn suffix_end(&self, ti: usize) -> usize {
        let t = &self.sent.toks[ti];
        let n = t.e - t.s;
        if n >= 4 && self.lex.token_tail.contains(self.sent.slice(t.e - 2, t.e)) {
            t.e - 2
        } else {
            t.e
        }
    }

    /// A place or a known name that can open an abbreviation (青岛|能源所, 中科院|海洋所).
    fn abbr_head(&self, i: usize) -> bool {
        let t = &self.sent.toks[i];
        t.class == TokClass::Word
            && !self.tok_taken(i)
            && t.flags & flag::WEAK_PLACE == 0
            && (t.flags & (flag::PLACE_WORD | flag::KNOWN_NAME) != 0 || t.tag == "ns")
    }

    /// Start of an abbreviated institute name ending in the one-character suffix at `st`
    /// (青岛能源所, 中科院海洋所): a place or known name, a two-character field, the
    /// suffix, then punctuation, 等, a conjunction or the end of the sentence.
    fn abbr_start(&self, ti: usize, st: usize) -> Option<usize> {
        let s = self.sent;
        let toks = &s.toks;
        let t = &toks[ti];
        let after_ok = match toks.get(ti + 1) {
            None => true,
            Some(n) => {
                matches!(n.class, TokClass::Punct(_) | TokClass::Conj)
                    || matches!(n.word, "等" | "及" | "以及")
            }
        };
        if !after_ok || self.ends_with_false_anchor(ti) {
            return None;
        }
        let field_ok = |f: &crate::extract::sentences::Tok| {
            f.class == TokClass::Word
                && !f.verbish
                && f.flags & flag::LEVEL == 0
                && s.chars[f.s..f.e].iter().all(|&c| is_han(c))
        };
        if st == t.s && t.e - t.s == 1 {
            // 青岛|能源|所
            if ti < 2 || self.tok_taken(ti - 1) {
                return None;
            }
            let f = &toks[ti - 1];
            (f.e - f.s == 2 && field_ok(f) && self.abbr_head(ti - 2)).then_some(toks[ti - 2].s)
        } else if st == t.s + 2 && t.e - t.s == 3 {
            // 青岛|海洋所
            (ti >= 1 && field_ok(t) && self.abbr_head(ti - 1)).then_some(toks[ti - 1].s)
        } else {
            None
        }
    }

    /// Does a name suffix or a known name end at character `e`?
    pub(super) fn ends_name(&self, e: usize) -> bool {
        let s = self.sent;
        let lex = self.lex;
        let max = lex.max_anchor_chars.max(lex.max_known_chars).min(e);
        (1..=max).any(|k| {
            let w = s.slice(e - k, e);
            lex.known.contains_key(w) || lex.anchors.get(w).is_some_and(|a| !a.ns)
        })
    }

    /// Does token `ti` end with a word that only looks like a suffix (空间布局, 内部)?
    fn ends_with_false_anchor(&self, ti: usize) -> bool {
        let t = &self.sent.toks[ti];
        let s = self.sent;
        (2..=3.min(t.e - t.s)).any(|k| self.lex.false_anchor.contains(s.slice(t.e - k, t.e)))
    }

    /// Start of a place named by a one-character suffix: 青岛市 (one ns token) or 即墨/区.
    fn place_start(&self, ti: usize) -> Option<usize> {
        let s = self.sent;
        let lex = self.lex;
        let t = &s.toks[ti];
        let ns_ok = |t: &crate::extract::sentences::Tok| {
            (t.tag == "ns"
                || lex
                    .known
                    .get(t.word)
                    .is_some_and(|k| k.kind == NodeKind::Place))
                && !lex.weak_place.contains(t.word)
                && !lex.false_anchor.contains(t.word)
        };
        let n = t.e - t.s;
        if n >= 3 && ns_ok(t) {
            return Some(t.s);
        }
        if n == 1 && ti > 0 {
            let p = &s.toks[ti - 1];
            if p.class == TokClass::Word && p.e - p.s >= 2 && ns_ok(p) && !self.tok_taken(ti - 1) {
                return Some(p.s);
            }
        }
        None
    }

    /// Start of what may be a place although jieba does not tag it as one: a
    /// two-character word and a one-character suffix (即墨/v 区), or a three-character
    /// token (市南区/n). Only kept in a list next to a place ([`Ctx::list_places`]).
    fn weak_place_start(&self, ti: usize) -> Option<usize> {
        let s = self.sent;
        let t = &s.toks[ti];
        let lex = self.lex;
        let han = |a: usize, b: usize| s.chars[a..b].iter().all(|&c| is_han(c));
        let plain = |t: &crate::extract::sentences::Tok| {
            t.class == TokClass::Word
                && t.flags & flag::WEAK_PLACE == 0
                && !lex.false_anchor.contains(t.word)
        };
        match t.e - t.s {
            1 if ti > 0 => {
                let p = &s.toks[ti - 1];
                (plain(p) && p.e - p.s == 2 && han(p.s, p.e) && !self.tok_taken(ti - 1))
                    .then_some(p.s)
            }
            3 => (plain(t) && han(t.s, t.e)).then_some(t.s),
            _ => None,
        }
    }

    /// Keeps the weak places that stand in a 、 list next to a place (西海岸新区、即墨区、
    /// 胶州市), repeatedly, so that a run of them next to one place is kept.
    fn list_places(
        &self,
        hits: &mut Vec<(usize, usize, &'static Anchor)>,
        mut weak: Vec<(usize, usize, &'static Anchor)>,
    ) {
        let s = self.sent;
        let toks = &s.toks;
        let place_ends = |hits: &[(usize, usize, &'static Anchor)], e: usize| {
            hits.iter()
                .any(|&(_, he, a)| he == e && a.kind == NodeKind::Place)
        };
        // a place in the list item that starts at character `b`
        let place_in = |hits: &[(usize, usize, &'static Anchor)], b: usize, e: usize| {
            hits.iter()
                .any(|&(hs, he, a)| b <= hs && he <= e && a.kind == NodeKind::Place)
        };
        // the end of the list item that starts at character `b`
        let item_end = |b: usize| {
            let mut i = s.tok_at(b);
            let mut e = b;
            while i < toks.len() && toks[i].class == TokClass::Word && !self.tok_taken(i) {
                e = toks[i].e;
                i += 1;
            }
            e
        };
        loop {
            let before = weak.len();
            weak.retain(|&(ws, we, a)| {
                let prev = ws >= 2 && s.chars[ws - 1] == '、' && place_ends(hits, ws - 1);
                let next = we + 1 < s.len()
                    && s.chars[we] == '、'
                    && place_in(hits, we + 1, item_end(we + 1));
                if prev || next {
                    hits.push((ws, we, a));
                    false
                } else {
                    true
                }
            });
            if weak.is_empty() || weak.len() == before {
                break;
            }
        }
    }

    pub(super) fn anchor_cands(&self, out: &mut Vec<Cand>) -> Vec<(usize, usize, &'static Anchor)> {
        let s = self.sent;
        let hits = self.anchor_hits();
        for &(hs, he, a) in &hits {
            // a city or district right before a noun modifies it (青岛市职工…): not a
            // place of its own, unless the noun is a verbal one that ends the clause
            // (崂山区建设。)
            if a.ns && he < s.len() {
                let ni = s.tok_at(he);
                let n = &s.toks[ni];
                let predicate = n.tag == "vn"
                    && (ni + 1 == s.toks.len()
                        || s.is_clause_break(ni + 1)
                        || matches!(s.toks[ni + 1].class, TokClass::Punct('、' | '。')));
                if n.class == TokClass::Word && !n.verbish && !self.taken[n.s] && !predicate {
                    continue;
                }
            }
            let (start, grow) = if a.fixed() {
                (hs, Grow::at(hs))
            } else {
                let g = self.grow_left(s.tok_at(hs), true, a.gov);
                (g.start, g)
            };
            let end = if a.kind == NodeKind::Program || a.fixed() {
                he
            } else {
                self.trailing_place(he).unwrap_or(he)
            };
            out.push(Cand {
                start,
                end,
                anchor_s: if a.fixed() { he - 1 } else { hs },
                anchor_e: he,
                kind: a.kind,
                subtype: a.subtype,
                src: Src::Anchor(a),
                grow,
                named: false,
                class: false,
                void: false,
            });
        }
        hits
    }
}
