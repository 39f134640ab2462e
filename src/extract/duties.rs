//! Who is responsible for a goal: `（责任单位：A、B）`, `（牵头单位：A，配合单位：B、C）`,
//! `由X负责`, `X牵头，Y配合`. Each office named becomes a `responsible` edge from the goal
//! with `props.role` = `lead` or `support`.
//!
//! Labelled lists (`…单位：`, `…处室：`, `…部门：`) are read character by character, each
//! item an office, so internal offices (规划处) count as well; the first item of a
//! 责任单位 list leads and the rest support, 牵头/主办 lead, 配合/参与/协办 support. In free
//! text (`由X负责`, `X牵头`, `Y配合`) the offices are the names the entity rules find in X
//! and Y (a lone office the rules do not name is taken when it ends like one).

use super::sentences::Sent;

/// A responsible office's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Lead,
    Support,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Support => "support",
        }
    }
}

/// Where a sentence names responsibility (character offsets in the sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Duty {
    /// One office of a labelled list, as written at `start..end`.
    Item {
        start: usize,
        end: usize,
        role: Role,
    },
    /// Free text naming the offices at `start..end`: the names found there; the first
    /// takes `first`, the others `rest`.
    Region {
        start: usize,
        end: usize,
        first: Role,
        rest: Role,
    },
}

/// The words before a colon that label a list of offices, and the role of each item
/// (`None`: the first leads and the rest support).
const LABELS: &[(&str, Option<Role>)] = &[
    ("责任", None),
    ("主责", Some(Role::Lead)),
    ("牵头", Some(Role::Lead)),
    ("主办", Some(Role::Lead)),
    ("配合", Some(Role::Support)),
    ("参与", Some(Role::Support)),
    ("协办", Some(Role::Support)),
    ("协助", Some(Role::Support)),
    ("协同", Some(Role::Support)),
    ("承办", Some(Role::Support)),
];

/// What may follow a label word before the colon.
const LABEL_HEADS: &[&str] = &["单位", "处室", "部门", "科室", "处", ""];

/// Longest office name taken from a list (longer items are sentences, not names).
const MAX_ITEM_CHARS: usize = 30;

/// Characters an office's name may end with when no rule names it (局, 委, 办, 处 …).
const OFFICE_ENDS: &[char] = &[
    '局', '委', '办', '厅', '部', '处', '室', '科', '府', '会', '院', '所', '站', '队', '行', '司',
    '社', '心',
];

fn is_item_sep(c: char) -> bool {
    matches!(c, '、' | '，' | ',' | '；' | ';' | '/' | '／')
}

fn is_region_break(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '；' | ';' | '。' | '：' | ':' | '（' | '(' | '）' | ')' | '！' | '？'
    )
}

/// A label `…单位：` ending at `i` (the colon): its role rule and where it starts.
fn label_before(chars: &[char], colon: usize) -> Option<(usize, Option<Role>)> {
    for head in LABEL_HEADS {
        let hn = head.chars().count();
        for (word, role) in LABELS {
            let wn = word.chars().count();
            let n = wn + hn;
            if colon < n {
                continue;
            }
            let s = colon - n;
            let w: String = chars[s..s + wn].iter().collect();
            let h: String = chars[s + wn..colon].iter().collect();
            if w == *word && h == *head {
                return Some((s, *role));
            }
        }
    }
    None
}

/// Finds responsibility in one sentence. Labelled lists are marked in `taken` (they are
/// metadata, not text the other rules should read as names of the goal's platforms).
pub(crate) fn find(sent: &Sent<'_>, taken: &mut [bool]) -> Vec<Duty> {
    let c = &sent.chars;
    let mut out = Vec::new();
    let mut labelled = vec![false; c.len()];
    let mut i = 0;
    while i < c.len() {
        if !matches!(c[i], '：' | ':') || taken[i] {
            i += 1;
            continue;
        }
        let Some((label_start, rule)) = label_before(c, i) else {
            i += 1;
            continue;
        };
        // items up to a closing bracket, the next label, or the sentence end
        let mut items = Vec::new();
        let mut s = i + 1;
        let mut k = i + 1;
        let mut end = c.len();
        while k <= c.len() {
            let at_end = k == c.len() || matches!(c[k], '）' | ')' | '。' | '！' | '？');
            let next_label = k < c.len()
                && matches!(c[k], '：' | ':')
                && label_before(c, k).is_some_and(|(ls, _)| ls >= s);
            if next_label {
                // the text before the next label's word belongs to neither list
                end = label_before(c, k).map_or(k, |(ls, _)| ls);
                push_item(c, s, end, &mut items);
                break;
            }
            if at_end || is_item_sep(c[k]) {
                push_item(c, s, k, &mut items);
                s = k + 1;
                if at_end {
                    end = k;
                    break;
                }
            }
            k += 1;
        }
        for (n, &(s, e)) in items.iter().enumerate() {
            let role = rule.unwrap_or(if n == 0 { Role::Lead } else { Role::Support });
            out.push(Duty::Item {
                start: s,
                end: e,
                role,
            });
        }
        for x in &mut labelled[label_start..end] {
            *x = true;
        }
        for x in &mut taken[label_start..end] {
            *x = true;
        }
        i = end.max(i + 1);
    }
    free_text(sent, &labelled, &mut out);
    out
}

fn push_item(c: &[char], s: usize, e: usize, items: &mut Vec<(usize, usize)>) {
    let (mut s, mut e) = (s, e);
    while s < e && c[s].is_whitespace() {
        s += 1;
    }
    while e > s && (c[e - 1].is_whitespace() || c[e - 1] == '等') {
        e -= 1;
    }
    let n = e - s;
    if (2..=MAX_ITEM_CHARS).contains(&n) && c[s..e].iter().all(|&ch| !is_region_break(ch)) {
        items.push((s, e));
    }
}

/// `由X负责`, `由X牵头`, `X牵头，`, `Y配合`: regions of free text naming offices.
fn free_text(sent: &Sent<'_>, labelled: &[bool], out: &mut Vec<Duty>) {
    let c = &sent.chars;
    let at = |i: usize, w: &str| {
        let n = w.chars().count();
        i + n <= c.len() && c[i..i + n].iter().copied().eq(w.chars())
    };
    // the clause around a character: back to a break
    let clause_start = |mut i: usize| {
        while i > 0 && !is_region_break(c[i - 1]) {
            i -= 1;
        }
        i
    };
    for i in 0..c.len() {
        if labelled[i] {
            continue;
        }
        // 由X负责 / 由X牵头(负责)
        if c[i] == '由' && is_you_word(c, i) {
            let mut k = i + 1;
            while k < c.len() && !is_region_break(c[k]) {
                if at(k, "负责") || at(k, "牵头") || at(k, "主责") {
                    if k > i + 2 {
                        out.push(Duty::Region {
                            start: i + 1,
                            end: k,
                            first: Role::Lead,
                            rest: Role::Support,
                        });
                    }
                    break;
                }
                k += 1;
            }
            continue;
        }
        // X牵头 / Y配合 closing a clause (X牵头，Y配合; X牵头负责)
        let (word, role) = if at(i, "牵头") {
            ("牵头", Role::Lead)
        } else if at(i, "配合") {
            ("配合", Role::Support)
        } else if at(i, "参与") {
            ("参与", Role::Support)
        } else if at(i, "协办") {
            ("协办", Role::Support)
        } else {
            continue;
        };
        let after = i + word.chars().count();
        let closes = after == c.len()
            || is_region_break(c[after])
            || c[after] == '、'
            || (role == Role::Lead && at(after, "负责"));
        if !closes {
            continue;
        }
        let s = clause_start(i);
        // 由X牵头 is read above
        if s < i && c[s] == '由' {
            continue;
        }
        if i >= s + 2 {
            out.push(Duty::Region {
                start: s,
                end: i,
                first: role,
                rest: role,
            });
        }
    }
}

/// Is 由 at `i` the preposition (not inside 理由, 自由, 由于, 经由)?
fn is_you_word(c: &[char], i: usize) -> bool {
    let next_ok = c.get(i + 1).is_some_and(|&n| !matches!(n, '于' | '此'));
    let prev_ok = i == 0 || !matches!(c[i - 1], '理' | '自' | '缘' | '经' | '来' | '因' | '任');
    next_ok && prev_ok
}

/// A region without any name the rules found: the whole region as one office, when it is
/// short and ends like one (局, 委, 办 …).
pub(crate) fn lone_office(sent: &Sent<'_>, start: usize, end: usize) -> Option<(usize, usize)> {
    let c = &sent.chars;
    let n = end.saturating_sub(start);
    ((2..=12).contains(&n)
        && OFFICE_ENDS.contains(&c[end - 1])
        && c[start..end]
            .iter()
            .all(|&ch| !is_item_sep(ch) && ch != '和'))
    .then_some((start, end))
}

#[cfg(test)]
mod tests {
    use crate::extract::Segmenter;

    /// (office as written, role) of one sentence, through the builder's reading.
    fn duties(text: &str) -> Vec<(String, &'static str)> {
        let seg = Segmenter::shared();
        let ex = crate::extract::Extractor::new(seg);
        let goal = crate::model::Goal {
            id: "goal:t".into(),
            title: "目标".into(),
            content: text.into(),
            ..Default::default()
        };
        let out = ex.extract("doc:t", &goal);
        out.edges
            .iter()
            .filter(|e| e.label == crate::EdgeLabel::Responsible)
            .map(|e| {
                let n = out.nodes.iter().find(|n| n.id == e.target).unwrap();
                let role = if e.props["role"] == "lead" {
                    "lead"
                } else {
                    "support"
                };
                (n.name.clone(), role)
            })
            .collect()
    }

    fn pairs(v: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        v.iter().map(|(n, r)| (n.to_string(), *r)).collect()
    }

    #[test]
    fn labelled_lists() {
        assert_eq!(
            duties("建设平台。（责任单位：市科技局、市财政局、各区市政府）"),
            pairs(&[
                ("市科技局", "lead"),
                ("市财政局", "support"),
                ("各区市政府", "support")
            ])
        );
        assert_eq!(
            duties("建设平台（牵头单位：规划处，配合单位：市财政局、市税务局等）。"),
            pairs(&[
                ("规划处", "lead"),
                ("市财政局", "support"),
                ("市税务局", "support")
            ])
        );
        assert_eq!(
            duties("建设平台。（牵头单位：市科技局；协办单位：市教育局）"),
            pairs(&[("市科技局", "lead"), ("市教育局", "support")])
        );
        assert_eq!(
            duties("推进改革（责任处室：办公室）。"),
            pairs(&[("办公室", "lead")])
        );
    }

    #[test]
    fn free_text() {
        assert_eq!(
            duties("由市科技局负责，推进平台建设。"),
            pairs(&[("市科技局", "lead")])
        );
        assert_eq!(
            duties("市发展改革委牵头，市财政局、市自然资源局配合，编制规划。"),
            pairs(&[
                ("市发展改革委", "lead"),
                ("市财政局", "support"),
                ("市自然资源局", "support")
            ])
        );
        assert_eq!(
            duties("由高新技术处牵头负责组织申报。"),
            pairs(&[("高新技术处", "lead")])
        );
    }

    #[test]
    fn ordinary_words_name_no_one() {
        for text in [
            "支持龙头企业牵头组建创新联合体。",
            "鼓励企业参与标准制定，由于价格上涨，加强监测。",
            "说明理由，负责到底。",
            "积极配合国家部署，做好工作。",
            "由企业负责实施。",
            "企业牵头，高校参与。",
        ] {
            assert!(duties(text).is_empty(), "{text}: {:?}", duties(text));
        }
    }
}
