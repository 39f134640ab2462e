//! Snippets: the fragment of a hit's text where the query matched, with the matched
//! ranges as character offsets into the fragment. Plain text; matching uses the index's
//! own folding ([`fold_char`]), so a snippet highlights exactly what the n-grams found.

use super::tokenizer::fold_char;

/// Texts up to this many characters are shown whole.
pub const WHOLE_TEXT_CHARS: usize = 120;
/// Otherwise a window of this many characters is cut around the best match.
pub const WINDOW_CHARS: usize = 100;
/// Characters kept before the first match of the window (when no sentence starts nearer).
const CONTEXT_BEFORE: usize = 20;
/// How far back from the match a sentence start is looked for.
const SENTENCE_LOOKBACK: usize = 40;
const ELLIPSIS: char = '…';

/// Which text of a hit its snippet is from: a goal's `title`, `content` or `benchmark`, an
/// entity's `name` or one of its `alias`es.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum HitField {
    Title,
    Content,
    Benchmark,
    Name,
    Alias,
}

/// A snippet of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// `[start, end)` character offsets within `text`, sorted, not overlapping.
    pub highlights: Vec<[usize; 2]>,
    /// Which of the candidate fields it is from.
    pub field: HitField,
}

#[derive(Debug, Clone, Copy)]
struct Occurrence {
    /// Character offsets in the original text.
    start: usize,
    end: usize,
    term: usize,
}

/// Every occurrence of each term (folded, no whitespace) in `text`, where whitespace in
/// the text is skipped as the n-gram analysis skips it.
fn occurrences(text: &str, terms: &[String]) -> Vec<Occurrence> {
    let mut out = if terms.iter().all(|t| t.chars().all(folds_from_itself_only))
        && !text.contains(char::is_whitespace)
    {
        raw_occurrences(text, terms)
    } else {
        folded_occurrences(text, terms)
    };
    out.sort_by_key(|o| (o.start, o.end));
    out
}

/// Characters that only themselves fold to: non-ASCII ones that folding keeps (folding
/// maps characters to ASCII only), so a plain search of the text finds them.
fn folds_from_itself_only(c: char) -> bool {
    !c.is_ascii() && fold_char(c) == c
}

/// [`occurrences`] where the terms can be searched for in the text as it is.
fn raw_occurrences(text: &str, terms: &[String]) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (t, term) in terms.iter().enumerate() {
        let len = term.chars().count();
        if len == 0 {
            continue;
        }
        let (mut byte, mut chars) = (0, 0);
        for (b, _) in text.match_indices(term.as_str()) {
            chars += text[byte..b].chars().count();
            byte = b;
            out.push(Occurrence {
                start: chars,
                end: chars + len,
                term: t,
            });
        }
    }
    out
}

/// [`occurrences`] on the folded text, whitespace left out.
fn folded_occurrences(text: &str, terms: &[String]) -> Vec<Occurrence> {
    let mut folded = String::with_capacity(text.len());
    // (byte offset in `folded`, char index in `text`) of each folded character
    let mut map: Vec<(usize, usize)> = Vec::with_capacity(text.len() / 2);
    for (i, c) in text.chars().enumerate() {
        let f = fold_char(c);
        if !f.is_whitespace() {
            map.push((folded.len(), i));
            folded.push(f);
        }
    }
    let mut out = Vec::new();
    for (t, term) in terms.iter().enumerate() {
        let len = term.chars().count();
        if len == 0 {
            continue;
        }
        for (byte, _) in folded.match_indices(term.as_str()) {
            let Ok(first) = map.binary_search_by_key(&byte, |m| m.0) else {
                continue;
            };
            out.push(Occurrence {
                start: map[first].1,
                end: map[first + len - 1].1 + 1,
                term: t,
            });
        }
    }
    out
}

fn distinct_terms(occs: &[Occurrence]) -> usize {
    let mut terms: Vec<usize> = occs.iter().map(|o| o.term).collect();
    terms.sort_unstable();
    terms.dedup();
    terms.len()
}

/// The snippet of the best-matching field among `fields` (`(field name, text)`, in order
/// of preference on ties): the one with the most distinct terms, then the most
/// occurrences. A field without any match is used only when none matches (the first
/// non-empty one, without highlights).
pub fn best_snippet(fields: &[(HitField, &str)], terms: &[String]) -> Snippet {
    struct Candidate {
        field: usize,
        key: (usize, usize),
        occs: Vec<Occurrence>,
    }
    let mut best: Option<Candidate> = None;
    for (i, (_, text)) in fields.iter().enumerate() {
        let occs = occurrences(text, terms);
        if occs.is_empty() {
            continue;
        }
        let key = (distinct_terms(&occs), occs.len());
        if best.as_ref().is_none_or(|b| key > b.key) {
            best = Some(Candidate {
                field: i,
                key,
                occs,
            });
        }
    }
    match best {
        Some(c) => {
            let chars: Vec<char> = fields[c.field].1.chars().collect();
            let (text, highlights) = cut(&chars, &c.occs);
            Snippet {
                text,
                highlights,
                field: fields[c.field].0,
            }
        }
        None => {
            let (name, text) = fields
                .iter()
                .find(|(_, t)| !t.trim().is_empty())
                .or(fields.first())
                .copied()
                .unwrap_or((HitField::Name, ""));
            let chars: Vec<char> = text.chars().collect();
            let (text, _) = cut(&chars, &[]);
            Snippet {
                text,
                highlights: Vec::new(),
                field: name,
            }
        }
    }
}

/// Cut the window around the best cluster of `occs` from `chars`.
fn cut(chars: &[char], occs: &[Occurrence]) -> (String, Vec<[usize; 2]>) {
    let len = chars.len();
    let (start, end) = if len <= WHOLE_TEXT_CHARS {
        (0, len)
    } else {
        window(chars, occs)
    };
    let mut text = String::new();
    let mut shift = 0;
    if start > 0 {
        text.push(ELLIPSIS);
        shift = 1;
    }
    text.extend(&chars[start..end]);
    if end < len {
        text.push(ELLIPSIS);
    }
    let mut highlights: Vec<[usize; 2]> = Vec::new();
    for o in occs.iter().filter(|o| o.start >= start && o.end <= end) {
        let r = [o.start - start + shift, o.end - start + shift];
        match highlights.last_mut() {
            Some(last) if r[0] <= last[1] => last[1] = last[1].max(r[1]),
            _ => highlights.push(r),
        }
    }
    (text, highlights)
}

/// `[start, end)` of the window: anchored at the occurrence whose following
/// [`WINDOW_CHARS`] hold the most distinct terms (then the most occurrences; the earliest
/// on ties), started at its sentence when that is near, else a little before it.
fn window(chars: &[char], occs: &[Occurrence]) -> (usize, usize) {
    let len = chars.len();
    let Some(anchor) = occs
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let inside: Vec<Occurrence> = occs[i..]
                .iter()
                .copied()
                .filter(|o| o.end <= a.start + WINDOW_CHARS - CONTEXT_BEFORE)
                .collect();
            ((distinct_terms(&inside), inside.len()), a)
        })
        .fold(
            None::<((usize, usize), &Occurrence)>,
            |best, (key, a)| match best {
                Some((k, _)) if k >= key => best,
                _ => Some((key, a)),
            },
        )
        .map(|(_, a)| *a)
    else {
        return (0, len.min(WINDOW_CHARS));
    };
    let lookback_from = anchor.start.saturating_sub(SENTENCE_LOOKBACK);
    let mut start = chars[lookback_from..anchor.start]
        .iter()
        .rposition(|c| matches!(c, '。' | '；' | '！' | '？' | '\n'))
        .map(|p| lookback_from + p + 1)
        .unwrap_or_else(|| anchor.start.saturating_sub(CONTEXT_BEFORE));
    let mut end = (start + WINDOW_CHARS).min(len).max(anchor.end);
    if end - start < WINDOW_CHARS {
        start = end.saturating_sub(WINDOW_CHARS);
    }
    end = end.min(len);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::tokenizer::fold_text;

    fn terms(qs: &[&str]) -> Vec<String> {
        qs.iter()
            .map(|q| fold_text(q).into_iter().collect())
            .collect()
    }

    fn marked(s: &Snippet) -> Vec<String> {
        let chars: Vec<char> = s.text.chars().collect();
        s.highlights
            .iter()
            .map(|[a, b]| chars[*a..*b].iter().collect())
            .collect()
    }

    #[test]
    fn short_text_is_whole_with_every_match() {
        let s = best_snippet(
            &[(HitField::Title, "海洋科技与海洋经济")],
            &terms(&["海洋"]),
        );
        assert_eq!(s.text, "海洋科技与海洋经济");
        assert_eq!(s.highlights, vec![[0, 2], [5, 7]]);
        assert_eq!(s.field, HitField::Title);
    }

    #[test]
    fn long_text_is_cut_around_the_match() {
        let text = format!(
            "{}。推进中国-上海合作组织技术转移中心建设。{}",
            "甲".repeat(200),
            "乙".repeat(200)
        );
        let s = best_snippet(&[(HitField::Content, &text)], &terms(&["上海"]));
        assert!(s.text.starts_with("…推进中国"), "{}", s.text);
        assert!(s.text.ends_with('…'));
        let n = s.text.chars().count();
        assert!((60..=WINDOW_CHARS + 2).contains(&n), "{n}");
        assert_eq!(marked(&s), ["上海"]);
    }

    #[test]
    fn folding_and_whitespace_match_like_the_index() {
        let s = best_snippet(
            &[(HitField::Content, "建设ＡＩ 平台（青岛）")],
            &terms(&["ai平", "(青岛)"]),
        );
        assert_eq!(marked(&s), ["ＡＩ 平", "（青岛）"]);
    }

    #[test]
    fn plain_and_folded_searches_agree() {
        let text = "推进中国-上海合作组织建设，上海合作组织（青岛）中心。";
        for q in [&["上海"][..], &["上海", "组织"], &["合作组织（"], &["海"]] {
            let terms = terms(q);
            let raw = raw_occurrences(text, &terms);
            let mut folded = folded_occurrences(text, &terms);
            folded.sort_by_key(|o| (o.start, o.end));
            let key = |v: &[Occurrence]| -> Vec<(usize, usize, usize)> {
                let mut k: Vec<_> = v.iter().map(|o| (o.start, o.end, o.term)).collect();
                k.sort();
                k
            };
            if q[0].chars().all(folds_from_itself_only) {
                assert_eq!(key(&raw), key(&folded), "{q:?}");
            }
            assert!(!folded.is_empty());
        }
    }

    #[test]
    fn overlapping_matches_merge_and_fields_compete() {
        let s = best_snippet(
            &[(HitField::Title, "新能源"), (HitField::Content, "能源能源")],
            &terms(&["能源", "新能"]),
        );
        assert_eq!(s.field, HitField::Title);
        assert_eq!(s.highlights, vec![[0, 3]]);
        let s = best_snippet(
            &[(HitField::Title, "x"), (HitField::Content, "")],
            &terms(&["量子"]),
        );
        assert_eq!((s.field, s.text.as_str()), (HitField::Title, "x"));
        assert!(s.highlights.is_empty());
    }

    #[test]
    fn the_window_prefers_the_cluster_of_terms() {
        let text = format!(
            "海洋{}。海洋与科技并举{}",
            "丙".repeat(150),
            "丁".repeat(150)
        );
        let s = best_snippet(&[(HitField::Content, &text)], &terms(&["海洋", "科技"]));
        assert!(s.text.contains("海洋与科技"), "{}", s.text);
        assert_eq!(marked(&s), ["海洋", "科技"]);
    }
}
