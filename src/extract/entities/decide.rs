//! Whether an anchor candidate is a name, a class (技术创新中心, 省级临床医学中心), or nothing.

use super::{Cand, Ctx, Src, Stop};
use crate::extract::lexicon::Anchor;
use crate::extract::sentences::TokClass;
use crate::model::NodeKind;

impl Ctx<'_, '_> {
    /// Decides whether an anchor candidate is a name, a class, or nothing.
    pub(super) fn decide(
        &self,
        c: &mut Cand,
        hits: &[(usize, usize, &'static Anchor)],
        knowns: &[Cand],
    ) {
        let Src::Anchor(a) = c.src else { return };
        let s = self.sent;
        let lex = self.lex;
        if c.grow.stop == Stop::Level {
            c.class = true;
            return;
        }
        let (ms, me) = (c.start, c.anchor_s);
        if me <= ms {
            c.class = true;
            return;
        }
        if a.fixed() {
            c.named = true;
            return;
        }
        // a known name plus a bare suffix (中基协基金备案) is not a name of its own
        if a.kind == NodeKind::Institution
            && knowns
                .iter()
                .any(|k| k.start == ms && k.end == me && !k.class)
        {
            c.void = true;
            return;
        }
        // the class test: strip places, 国家/省/市 and level words from the front
        let mut core = ms;
        let mut proper = false;
        let mut ti = s.tok_at(ms);
        while ti < s.toks.len() && s.toks[ti].e <= me {
            let t = &s.toks[ti];
            let place = ((t.tag == "ns" || self.lex.place_word.contains(t.word)) && t.strong)
                || t.word == "中国";
            let level =
                matches!(t.word, "国家" | "省" | "市" | "区" | "县") || t.class == TokClass::Level;
            if !(place || level) || t.s != core {
                break;
            }
            proper |= place;
            core = t.e;
            ti += 1;
        }
        let head = s.slice(core, c.anchor_e);
        // 山东省重点实验室, 国家实验室: classes; 青岛大学, 青岛港集团: names; a government
        // body after a place or 市/省/区/县 is that place's own (市中级人民法院)
        let bare = c.anchor_e - core == a.chars;
        let gov_of_place = a.gov && core > ms;
        if !gov_of_place
            && ((lex.generic.contains(head) && !(bare && proper))
                || lex.generic.contains(s.slice(ms, c.anchor_e)))
        {
            c.class = true;
            return;
        }
        // a body of the city, province or district itself (市疾控中心, 市科学技术协会)
        let first = &s.toks[s.tok_at(ms)];
        if !a.zone
            && !a.strong
            && a.kind != NodeKind::Program
            && first.e == core
            && matches!(first.word, "市" | "省" | "区" | "县")
        {
            c.named = true;
            return;
        }
        if a.gov {
            // a one-character suffix written apart (市|卫生|健康|委) names a body only after
            // a place or 市/省/区/县/国家, inside a name with 和, or in a long name
            let at = &s.toks[s.tok_at(c.anchor_s)];
            // …and a one-character suffix needs two characters before it (领办 is a verb)
            if a.token && c.anchor_e - ms < 3 {
                c.class = true;
                return;
            }
            if a.token && at.e - at.s == 1 {
                let first = &s.toks[s.tok_at(ms)];
                let ok = c.grow.conj
                    || first.strong
                    || matches!(first.word, "市" | "省" | "区" | "县" | "国家")
                    || c.anchor_e - ms >= 5;
                if !ok {
                    c.class = true;
                    return;
                }
            }
            c.named = true;
            return;
        }
        let chained = hits.iter().any(|&(_, he, _)| he > ms && he <= me)
            || knowns
                .iter()
                .any(|k| k.start >= ms && k.end <= me && !k.class);
        let strong_tok = {
            let (mut i, mut any) = (s.tok_at(ms), false);
            while i < s.toks.len() && s.toks[i].s < me {
                let t = &s.toks[i];
                // a locality word names a zone (西海岸新区)
                any |= t.strong || (a.zone && t.tag == "s" && t.class == TokClass::Word);
                i += 1;
            }
            any
        };
        let distinctive = c.grow.quote
            || c.grow.paren
            || c.grow.dash
            || c.grow.conj
            || chained
            || strong_tok
            || c.end > c.anchor_e;
        // a verb inside the modifier (高校院所开放|中试基地) starts a new phrase, unless it
        // is part of the head (创新中心, 联合实验室)
        let mut eff = ms;
        {
            let head_tok = s.tok_at(me.min(s.len() - 1));
            let mut i = s.tok_at(ms);
            while i < s.toks.len() && s.toks[i].e <= me {
                let t = &s.toks[i];
                if t.tag == "v" && i + 1 < head_tok {
                    eff = t.e;
                }
                i += 1;
            }
        }
        let modifier = me - eff;
        c.named = if a.legal {
            modifier >= 2 || distinctive
        } else if a.strong {
            distinctive
        } else if a.kind == NodeKind::Program {
            distinctive || modifier >= 3
        } else {
            distinctive || modifier >= 8
        };
        c.class = !c.named;
    }
}
