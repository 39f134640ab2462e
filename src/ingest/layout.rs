//! Text to a [`ParsedDocument`]: cleans the lines (debris, markdown), picks the layout
//! (业务目标 table or 工作要点 outline), and reads the title, unit, year and contact fields
//! from the lines before the body. Also the small readers of numbering both layouts share.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::{outline, table, IngestError, Layout, ParsedDocument};
use crate::model::normalize_char;

/// Longest title line we accept (longer lines are body text).
const MAX_TITLE_CHARS: usize = 60;

static DEBRIS: LazyLock<Regex> = LazyLock::new(|| {
    // Word bookmarks as written by converters: `[bookmark: _GoBack]`, pandoc's
    // `[]{#_GoBack .anchor}`
    Regex::new(r"\[bookmark:[^\]\n]*\]|\[\]\{#[^}\n]*\}").expect("valid regex")
});

static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(单位名称|填报单位|发布单位|发文单位|发文机关|主要负责人|单位负责人|联系人|联系电话|联系方式|索引号|文号|发文字号|成文日期|发布日期|发文日期|主题分类|公开方式|标题)\s*(?:（[^）\n]{0,10}）|\([^)\n]{0,10}\))?\s*[：:]",
    )
    .expect("valid regex")
});

static YEAR_IN_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").expect("valid regex"));

static YEAR_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年(?:度|工作|业务|重点|绩效)").expect("valid regex")
});

static YEAR_IN_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\D)((?:19|20)\d{2})(?:\D|$)").expect("valid regex"));

static UNIT_BEFORE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?)(?:关于印发|关于|印发)?《?\s*(?:19|20)\d{2}\s*年").expect("valid regex")
});

static UNIT_AFTER_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:19|20)\d{2}\s*年度?(.+?(?:局|委|办|院|厅|部|中心|委员会|办公室|政府|研究所|管委会))",
    )
    .expect("valid regex")
});

static UNIT_BEFORE_TITLE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Han}{1,20}(?:委员会|办公室|管委会|政府|中心|局|委|办|院|厅|部))(?:关于)?(?:印发)?\p{Han}{0,6}(?:目标|要点|计划|安排|方案|任务|清单)")
        .expect("valid regex")
});

static BENCHMARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^标杆(?:城市)?(?:及|和|与|、)?(?:标杆)?(?:值)?\s*[：:]\s*").expect("valid regex")
});

static TITLE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(目标|要点|计划|安排|方案|任务|清单|重点|规划)").expect("valid regex")
});

/// Read a decoded document. `markdown` strips heading marks, emphasis and table pipes.
pub(crate) fn read_document(
    text: &str,
    file_name: &str,
    markdown: bool,
) -> Result<ParsedDocument, IngestError> {
    let lines = prepare_lines(text, markdown);
    if lines.iter().all(|l| l.trim().is_empty()) {
        return Err(IngestError::Empty);
    }
    let table_first = table::looks_like_table(&lines);
    let mut attempts = if table_first {
        [Layout::GoalTable, Layout::Outline]
    } else {
        [Layout::Outline, Layout::GoalTable]
    }
    .into_iter()
    .map(|layout| match layout {
        Layout::GoalTable => (layout, table::parse(&lines)),
        Layout::Outline => (layout, outline::parse(&lines)),
    });
    let (layout, body) = attempts
        .find(|(_, body)| !body.goals.is_empty())
        .ok_or(IngestError::NoGoals)?;

    let prelude = &lines[..body.start.min(lines.len())];
    let fields = Fields::read(prelude);
    let title = find_title(prelude)
        .or_else(|| fields.title.clone())
        .unwrap_or_else(|| file_stem(file_name).to_string());

    let year = year_of(&title, prelude, file_name).ok_or(IngestError::NoYear)?;
    let unit = fields
        .unit
        .clone()
        .or_else(|| unit_from_title(&title))
        .or_else(|| fields.publisher.clone())
        .or_else(|| unit_from_title(file_stem(file_name)))
        .ok_or(IngestError::NoUnit)?;

    Ok(ParsedDocument {
        title,
        unit,
        year,
        leader: fields.leader,
        contact: fields.contact,
        phone: fields.phone,
        layout,
        goals: body.goals,
    })
}

/// What a layout parser found: the goals and the line where its body starts (the lines
/// before it are the title and header).
pub(crate) struct Body {
    pub goals: Vec<super::ParsedGoal>,
    pub start: usize,
}

/// Lines with debris removed; for markdown, heading marks, quotes, emphasis and escapes
/// stripped and table rows turned into one tab-indented cell a line.
pub(crate) fn prepare_lines(text: &str, markdown: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.lines() {
        let line = DEBRIS.replace_all(line, "");
        if !markdown {
            lines.push(line.into_owned());
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('|') {
            let inner = trimmed.trim_start_matches('|').trim_end_matches('|');
            if inner
                .chars()
                .all(|c| matches!(c, '-' | ':' | '|' | ' ' | '\t'))
            {
                continue; // the |---|---| separator row
            }
            for cell in inner.split('|') {
                lines.push(format!("\t{}", markdown_inline(cell.trim())));
            }
            lines.push(String::new());
            continue;
        }
        let mut rest = trimmed;
        rest = rest.trim_start_matches('>').trim_start();
        if rest.starts_with('#') {
            rest = rest.trim_start_matches('#').trim_start();
        }
        if let Some(stripped) = rest
            .strip_prefix("- ")
            .or_else(|| rest.strip_prefix("* "))
            .or_else(|| rest.strip_prefix("+ "))
        {
            rest = stripped.trim_start();
        }
        if rest
            .chars()
            .all(|c| matches!(c, '-' | '*' | '_' | '=' | ' '))
            && !rest.is_empty()
        {
            continue; // a thematic break or setext underline
        }
        lines.push(markdown_inline(rest));
    }
    lines
}

/// Emphasis marks and backslash escapes removed from one markdown line.
fn markdown_inline(text: &str) -> String {
    let text = text.replace("**", "").replace("__", "");
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if next.is_ascii_punctuation() {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// The header fields (`单位名称：…  主要负责人：…`), read from the lines before the body.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    /// 标题 in a metadata block
    pub title: Option<String>,
    pub unit: Option<String>,
    pub publisher: Option<String>,
    pub leader: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
}

impl Fields {
    pub(crate) fn read(lines: &[String]) -> Fields {
        let mut fields = Fields::default();
        for line in lines {
            let matches: Vec<_> = FIELD.captures_iter(line).collect();
            for (i, caps) in matches.iter().enumerate() {
                let (Some(whole), Some(key)) = (caps.get(0), caps.get(1)) else {
                    continue;
                };
                let end = matches
                    .get(i + 1)
                    .and_then(|next| next.get(0))
                    .map_or(line.len(), |m| m.start());
                let value = clean_value(&line[whole.end()..end]);
                if value.is_empty() {
                    continue;
                }
                let slot = match key.as_str() {
                    "单位名称" | "填报单位" => &mut fields.unit,
                    "发布单位" | "发文单位" | "发文机关" => &mut fields.publisher,
                    "主要负责人" | "单位负责人" => &mut fields.leader,
                    "联系人" => &mut fields.contact,
                    "联系电话" | "联系方式" => &mut fields.phone,
                    "标题" => &mut fields.title,
                    _ => continue,
                };
                if slot.is_none() {
                    *slot = Some(value);
                }
            }
        }
        fields
    }
}

/// A field value: trimmed of spaces and of trailing separators.
fn clean_value(text: &str) -> String {
    text.trim()
        .trim_end_matches(['，', ',', '；', ';', '。'])
        .trim()
        .to_string()
}

/// True for a `key：value` metadata or header line.
pub(crate) fn is_field_line(line: &str) -> bool {
    FIELD.find(line.trim()).is_some_and(|m| m.start() == 0)
}

/// The title line among `lines`: a short line with a year and a word such as 目标 or
/// 要点; else the 《…》 inside a `关于印发《…》的通知` line; else the first short line.
pub(crate) fn find_title(lines: &[String]) -> Option<String> {
    let candidates: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .filter(|l| !l.contains(['：', ':']))
        .filter(|l| l.chars().count() <= MAX_TITLE_CHARS)
        .filter(|l| !l.ends_with(['。', '；', '，', ';', ',']))
        .filter(|l| !table::is_header_cell(l))
        .collect();
    let has_year = |l: &str| YEAR_IN_TITLE.is_match(&normalize(l));
    let is_notice = |l: &str| l.contains("通知") || l.starts_with("关于");
    if let Some(line) = candidates
        .iter()
        .find(|l| has_year(l) && TITLE_WORD.is_match(l) && !is_notice(l))
    {
        return Some(unwrap_book_title(line));
    }
    if let Some(inner) = candidates
        .iter()
        .filter(|l| is_notice(l))
        .find_map(|l| book_title(l))
    {
        return Some(inner);
    }
    candidates
        .iter()
        .find(|l| has_year(l))
        .or_else(|| candidates.first())
        .map(|l| unwrap_book_title(l))
}

/// The text inside the first 《…》 of `line`.
fn book_title(line: &str) -> Option<String> {
    let start = line.find('《')? + '《'.len_utf8();
    let end = start + line[start..].rfind('》')?;
    let inner = line[start..end].trim();
    (!inner.is_empty()).then(|| inner.to_string())
}

/// `《X》` → `X`; other lines unchanged.
fn unwrap_book_title(line: &str) -> String {
    line.strip_prefix('《')
        .and_then(|l| l.strip_suffix('》'))
        .unwrap_or(line)
        .trim()
        .to_string()
}

/// The year from the title, else from a `2022年度`/`2022年工作` in the header, else a
/// 19xx/20xx in the file name.
fn year_of(title: &str, prelude: &[String], file_name: &str) -> Option<u16> {
    let parse = |s: &str| s.parse::<u16>().ok();
    if let Some(year) = YEAR_IN_TITLE
        .captures(&normalize(title))
        .and_then(|c| parse(&c[1]))
    {
        return Some(year);
    }
    if let Some(year) = prelude.iter().find_map(|l| {
        YEAR_IN_TEXT
            .captures(&normalize(l))
            .and_then(|c| parse(&c[1]))
    }) {
        return Some(year);
    }
    YEAR_IN_NAME
        .captures(&normalize(file_stem(file_name)))
        .and_then(|c| parse(&c[1]))
}

/// The unit a title names: `市科技局2022年工作要点` → `市科技局`,
/// `2022年烟台市科技局工作要点` → `烟台市科技局`, `市科技局工作要点` → `市科技局`.
pub(crate) fn unit_from_title(title: &str) -> Option<String> {
    let title = title.trim().trim_start_matches('《');
    let normalized = normalize(title);
    let is_unit = |s: &str| {
        let n = s.chars().count();
        (2..=30).contains(&n)
            && s.chars()
                .all(|c| is_han(c) || matches!(c, '（' | '）' | '(' | ')'))
    };
    // normalising keeps the char count but not the byte length: map back by chars
    let take = |caps: regex::Captures<'_>| -> Option<String> {
        let m = caps.get(1)?;
        let start = normalized[..m.start()].chars().count();
        let len = m.as_str().chars().count();
        let unit: String = title.chars().skip(start).take(len).collect();
        let unit = unit.trim().to_string();
        is_unit(&unit).then_some(unit)
    };
    UNIT_BEFORE_YEAR
        .captures(&normalized)
        .and_then(take)
        .or_else(|| UNIT_AFTER_YEAR.captures(&normalized).and_then(take))
        .or_else(|| UNIT_BEFORE_TITLE_WORD.captures(&normalized).and_then(take))
}

fn file_stem(file_name: &str) -> &str {
    Path::new(file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file_name)
}

/// Full-width digits, letters and punctuation to ASCII (one char for one char).
pub(crate) fn normalize(text: &str) -> String {
    text.chars().map(normalize_char).collect()
}

pub(crate) use crate::model::{chinese_number, is_han};

/// A leading Chinese ordinal followed by one of `ends`: `一、` → (1, rest).
fn chinese_ordinal<'a>(text: &'a str, ends: &[char]) -> Option<(u32, &'a str)> {
    let numeral_len: usize = text
        .char_indices()
        .take_while(|(_, c)| "〇零一二两三四五六七八九十".contains(*c))
        .map(|(_, c)| c.len_utf8())
        .sum();
    if numeral_len == 0 || numeral_len > 9 {
        return None;
    }
    let value = chinese_number(&text[..numeral_len])?;
    let rest = &text[numeral_len..];
    let end = rest.chars().next()?;
    if !ends.contains(&normalize_char(end)) {
        return None;
    }
    Some((value, rest[end.len_utf8()..].trim_start()))
}

/// `一、heading` (a section): its ordinal and the text after the mark.
pub(crate) fn section_mark(line: &str) -> Option<(u32, &str)> {
    let (n, rest) = chinese_ordinal(line.trim_start(), &['、', '.'])?;
    // `一、` followed by nothing is a lost heading; `十四五` never has the mark
    Some((n, rest))
}

/// `（一）heading` (a sub-section): its ordinal and the text after the mark.
pub(crate) fn subsection_mark(line: &str) -> Option<(u32, &str)> {
    let line = line.trim_start();
    let open = line.chars().next()?;
    if normalize_char(open) != '(' {
        return None;
    }
    let inner = line[open.len_utf8()..].trim_start();
    chinese_ordinal(inner, &[')'])
}

/// `1.`, `1、`, `１．` (an item): its number in ASCII digits and the text after the mark.
/// `2022年`, `1.5亿元` and `20余场` are not items.
pub(crate) fn item_mark(line: &str) -> Option<(String, &str)> {
    let line = line.trim_start();
    let mut digits = String::new();
    let mut offset = 0;
    for c in line.chars() {
        let n = normalize_char(c);
        if n.is_ascii_digit() {
            digits.push(n);
            offset += c.len_utf8();
        } else {
            break;
        }
    }
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = &line[offset..];
    let mark = rest.chars().next()?;
    if !matches!(normalize_char(mark), '.' | '、') {
        return None;
    }
    let rest = &rest[mark.len_utf8()..];
    if rest
        .chars()
        .next()
        .is_some_and(|c| normalize_char(c).is_ascii_digit())
    {
        return None;
    }
    Some((strip_zeros(&digits), rest.trim_start()))
}

/// The text after a `标杆城市及标杆值：` label, when `line` starts with one.
pub(crate) fn benchmark_text(line: &str) -> Option<&str> {
    let line = line.trim();
    BENCHMARK.find(line).map(|m| line[m.end()..].trim())
}

/// A table's 序号 cell: digits alone, perhaps with a trailing `.`/`、`.
pub(crate) fn number_cell(cell: &str) -> Option<String> {
    let normalized = normalize(cell.trim());
    let digits = normalized.trim_end_matches(['.', '、']);
    (!digits.is_empty() && digits.len() <= 3 && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| strip_zeros(digits))
}

fn strip_zeros(digits: &str) -> String {
    let stripped = digits.trim_start_matches('0');
    if stripped.is_empty() { "0" } else { stripped }.to_string()
}

/// The first sentence of an item: up to the first 。；： outside brackets and quotes,
/// without a responsibility tag (`（牵头单位：…）`). Whole text when there is none.
pub(crate) fn first_sentence(text: &str) -> String {
    const MAX_CHARS: usize = 100;
    let text = strip_duty_tag(text.trim());
    let mut depth = 0usize;
    let mut end = None;
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' | '《' | '〈' | '“' | '「' | '【' | '〔' | '[' | '‘' => depth += 1,
            '）' | ')' | '》' | '〉' | '”' | '」' | '】' | '〕' | ']' | '’' => {
                depth = depth.saturating_sub(1)
            }
            '。' | '；' | '：' | ';' | ':' | '！' | '？' | '!' | '?' if depth == 0 => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    // brackets that never close: fall back to the first full stop anywhere
    let end = end.or_else(|| text.find(['。', '；']));
    let sentence = match end {
        Some(i) if !text[..i].trim().is_empty() => text[..i].trim(),
        _ => text.trim_end_matches(['。', '；', '：']),
    };
    let sentence = sentence.trim();
    if sentence.chars().count() > MAX_CHARS {
        sentence.chars().take(MAX_CHARS).collect()
    } else {
        sentence.to_string()
    }
}

/// `text` without a trailing `（牵头单位：…）`/`(责任单位：…)` tag.
pub(crate) fn strip_duty_tag(text: &str) -> &str {
    let trimmed = text.trim_end().trim_end_matches(['。', '；']);
    if !trimmed.ends_with(['）', ')']) {
        return text;
    }
    // find the bracket that opens the last group
    let mut depth = 0usize;
    for (i, c) in trimmed.char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let inner = &trimmed[i..];
                    let is_tag = ["牵头", "责任", "配合", "参与", "单位：", "单位:", "处室"]
                        .iter()
                        .any(|w| inner.contains(w));
                    return if is_tag {
                        trimmed[..i].trim_end()
                    } else {
                        text
                    };
                }
            }
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_marks_are_read() {
        assert_eq!(section_mark("一、强化平台建设"), Some((1, "强化平台建设")));
        assert_eq!(section_mark("十二、其他"), Some((12, "其他")));
        assert_eq!(section_mark("一是加强"), None);
        assert_eq!(subsection_mark("（三）推进改革"), Some((3, "推进改革")));
        assert_eq!(subsection_mark("(十一) 推进"), Some((11, "推进")));
        assert_eq!(item_mark("１．建设平台"), Some(("1".into(), "建设平台")));
        assert_eq!(item_mark("12、建设平台"), Some(("12".into(), "建设平台")));
        assert_eq!(item_mark("2022年"), None);
        assert_eq!(item_mark("1.5亿元"), None);
        assert_eq!(number_cell("７"), Some("7".into()));
        assert_eq!(number_cell("7a"), None);
    }

    #[test]
    fn first_sentence_skips_brackets_and_tags() {
        assert_eq!(
            first_sentence("建设“科创（青岛）”平台：推进。"),
            "建设“科创（青岛）”平台"
        );
        assert_eq!(
            first_sentence("建设海洋平台（牵头单位：市科技局，参与单位：市财政局）"),
            "建设海洋平台"
        );
        assert_eq!(first_sentence("〔202434（未闭合。后文"), "〔202434（未闭合");
    }

    #[test]
    fn units_come_from_titles() {
        assert_eq!(
            unit_from_title("市科技局2022年工作要点").as_deref(),
            Some("市科技局")
        );
        assert_eq!(
            unit_from_title("烟台市科技局２０２２年工作要点").as_deref(),
            Some("烟台市科技局")
        );
        assert_eq!(
            unit_from_title("2022年青岛市科学技术局工作要点").as_deref(),
            Some("青岛市科学技术局")
        );
        assert_eq!(unit_from_title("2021年度市直单位业务目标"), None);
        assert_eq!(
            unit_from_title("市发展和改革委员会重点工作安排").as_deref(),
            Some("市发展和改革委员会")
        );
        assert_eq!(unit_from_title("市直单位业务目标"), None);
    }

    #[test]
    fn header_fields_split_on_spaces_tabs_and_colons() {
        let lines = vec![
            "单位名称：市科技局   主要负责人:吕鹏\t联系人：张心怡 联系电话：85911339".to_string(),
        ];
        let f = Fields::read(&lines);
        assert_eq!(f.unit.as_deref(), Some("市科技局"));
        assert_eq!(f.leader.as_deref(), Some("吕鹏"));
        assert_eq!(f.contact.as_deref(), Some("张心怡"));
        assert_eq!(f.phone.as_deref(), Some("85911339"));
    }
}
