//! The 业务目标 table layout (the seed): a Word table flattened to one cell a line. A
//! category cell (重点目标, 创优目标) applies to the rows after it; each row is a 序号 cell,
//! a 目标名称 cell and a 目标内容 cell; a `标杆城市及标杆值：…` line belongs to the row
//! before it. Rows written on one line (cells split by tabs or wide spaces) read the same.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::{benchmark_text, first_sentence, is_han, number_cell, Body};
use super::ParsedGoal;

/// Column names of goal tables.
const HEADER_CELLS: &[&str] = &[
    "类别",
    "目标类别",
    "目标类型",
    "序号",
    "目标名称",
    "目标内容",
    "目标任务",
    "具体内容",
    "完成时限",
    "责任处室",
    "责任单位",
    "标杆城市及标杆值",
    "标杆城市",
    "标杆值",
];

/// Column names that say "this is a goal table" on their own.
const TABLE_MARKERS: &[&str] = &["目标名称", "目标内容"];

static WIDE_SPACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[ \u{3000}\u{A0}]{2,}").expect("valid regex"));

static TABLE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:备注|注|说明|填表说明|填报说明|填表人|审核人|填报人|填报日期|附件)\s*[：:]")
        .expect("valid regex")
});

pub(crate) fn is_header_cell(cell: &str) -> bool {
    HEADER_CELLS.contains(&cell.trim())
}

/// A category cell: a short all-Chinese cell ending with 目标 (重点目标, 创优目标…).
fn is_category(cell: &str) -> bool {
    let n = cell.chars().count();
    (3..=10).contains(&n)
        && cell.chars().all(is_han)
        && cell.ends_with("目标")
        && !is_header_cell(cell)
}

/// One table cell, or one further paragraph of a cell.
struct Cell<'a> {
    line: usize,
    text: &'a str,
    /// Begins a cell (tab-indented, or one of several cells on a line) rather than
    /// continuing the one before.
    new_cell: bool,
}

fn cells(lines: &[String]) -> Vec<Cell<'_>> {
    let mut out = Vec::new();
    for (line_no, line) in lines.iter().enumerate() {
        let indented = line.starts_with('\t');
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let mut parts: Vec<&str> = trimmed
            .split('\t')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() == 1 {
            let spaced: Vec<&str> = WIDE_SPACE
                .split(trimmed)
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if spaced.len() > 1 && (is_category(spaced[0]) || number_cell(spaced[0]).is_some()) {
                parts = spaced;
            }
        }
        let several = parts.len() > 1;
        out.extend(parts.into_iter().map(|text| Cell {
            line: line_no,
            text,
            new_cell: indented || several,
        }));
    }
    out
}

/// Where the table starts: its first column name, or the first category cell that a
/// number cell follows.
fn table_start(cells: &[Cell<'_>]) -> Option<usize> {
    cells.iter().enumerate().position(|(i, cell)| {
        matches!(cell.text, "类别" | "序号" | "目标名称" | "目标内容")
            || (is_category(cell.text)
                && cells
                    .get(i + 1)
                    .is_some_and(|next| number_cell(next.text).is_some()))
    })
}

/// True when the lines look like a goal table rather than an outline.
pub(crate) fn looks_like_table(lines: &[String]) -> bool {
    let cells = cells(lines);
    cells.iter().any(|c| TABLE_MARKERS.contains(&c.text))
        || cells
            .windows(2)
            .any(|pair| is_category(pair[0].text) && number_cell(pair[1].text).is_some())
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Title,
    Content,
    MoreContent,
    Benchmark,
}

/// The goal being read.
struct Row {
    number: String,
    title: String,
    content: Vec<String>,
    benchmark: Vec<String>,
    phase: Phase,
    /// How many of the columns after the content have begun (see [`Columns`]).
    column: usize,
}

/// The columns a table's header names after its content column (标杆城市及标杆值,
/// 责任单位, 完成时限 …), in order: a new cell after the content is the next of them.
struct Columns<'a>(Vec<&'a str>);

impl Columns<'_> {
    fn is_duty(&self, i: usize) -> Option<&str> {
        self.0
            .get(i)
            .copied()
            .filter(|c| matches!(*c, "责任单位" | "责任处室"))
    }
}

impl Row {
    fn into_goal(self, category: &str) -> Option<ParsedGoal> {
        let mut title = self.title;
        let mut content = self.content.join("\n");
        if content.is_empty() && title.chars().count() > 40 && title.contains('。') {
            // a row without a separate title cell
            content = std::mem::take(&mut title);
            title = first_sentence(&content);
        }
        if title.is_empty() {
            return None;
        }
        let benchmark = self.benchmark.join("\n");
        Some(ParsedGoal {
            category: category.to_string(),
            subcategory: String::new(),
            number: self.number,
            title,
            content,
            benchmark: (!benchmark.is_empty()).then_some(benchmark),
        })
    }
}

/// Read the goal rows.
pub(crate) fn parse(lines: &[String]) -> Body {
    let cells = cells(lines);
    let Some(start) = table_start(&cells) else {
        return Body {
            goals: Vec::new(),
            start: lines.len(),
        };
    };
    let benchmark_column = cells[start..]
        .iter()
        .take_while(|c| is_header_cell(c.text))
        .any(|c| c.text.starts_with("标杆"));
    let columns = Columns(
        cells[start..]
            .iter()
            .take_while(|c| is_header_cell(c.text))
            .map(|c| c.text.trim())
            .skip_while(|h| !matches!(*h, "目标内容" | "目标任务" | "具体内容"))
            .skip(1)
            .collect(),
    );

    let mut goals = Vec::new();
    let mut category = String::new();
    let mut row: Option<Row> = None;
    let finish = |row: &mut Option<Row>, category: &str, goals: &mut Vec<ParsedGoal>| {
        if let Some(goal) = row.take().and_then(|r| r.into_goal(category)) {
            goals.push(goal);
        }
    };

    for cell in &cells[start..] {
        let text = cell.text;
        let phase = row.as_ref().map(|r| r.phase);
        if is_header_cell(text) && phase != Some(Phase::Title) {
            continue;
        }
        if TABLE_END.is_match(text) {
            break;
        }
        if let Some(value) = benchmark_text(text) {
            if let Some(r) = row.as_mut() {
                if !value.is_empty() {
                    r.benchmark.push(value.to_string());
                }
                r.phase = Phase::Benchmark;
            }
            continue;
        }
        if is_category(text) && phase != Some(Phase::Title) {
            finish(&mut row, &category, &mut goals);
            category = text.to_string();
            continue;
        }
        if let Some(number) = number_cell(text) {
            if phase != Some(Phase::Title) {
                finish(&mut row, &category, &mut goals);
                row = Some(Row {
                    number,
                    title: String::new(),
                    content: Vec::new(),
                    benchmark: Vec::new(),
                    phase: Phase::Title,
                    column: 0,
                });
                continue;
            }
        }
        let Some(r) = row.as_mut() else {
            continue; // text before the first row
        };
        // a 责任单位 column: the offices, written as the tag the text would carry
        if matches!(r.phase, Phase::MoreContent | Phase::Benchmark) && cell.new_cell {
            if let Some(name) = columns.is_duty(r.column) {
                r.content.push(format!("（{name}：{text}）"));
                r.column += 1;
                continue;
            }
            r.column += 1;
        }
        match r.phase {
            Phase::Title => {
                r.title = text.to_string();
                r.phase = Phase::Content;
            }
            Phase::Content => {
                r.content.push(text.to_string());
                r.phase = Phase::MoreContent;
            }
            Phase::MoreContent if benchmark_column && cell.new_cell => {
                r.benchmark.push(text.to_string());
                r.phase = Phase::Benchmark;
            }
            Phase::MoreContent => r.content.push(text.to_string()),
            Phase::Benchmark => r.benchmark.push(text.to_string()),
        }
    }
    finish(&mut row, &category, &mut goals);
    Body {
        goals,
        start: cells[start].line,
    }
}
