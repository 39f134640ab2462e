//! The 工作要点 outline layout: `一、` sections (categories), `（一）` sub-sections and
//! `1.`/`1、`/`１．` items (goals). An item's title is its first sentence and its content
//! the whole item. A sub-section without items is itself a goal, numbered by its ordinal.
//! Text before the first section (metadata, a 通知 cover letter, a preamble) is skipped.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::{
    benchmark_text, first_sentence, is_field_line, is_han, item_mark, normalize, section_mark,
    subsection_mark, Body,
};
use super::ParsedGoal;

/// Lines that end the body: distribution lists and attachments after the text.
static BODY_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:抄送|主送|附件)\s*(?:[：:]|$|\d)").expect("valid regex"));

/// A date on its own (the signature block).
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\)?(?:印发)?$").expect("valid regex")
});

struct Item {
    number: String,
    lines: Vec<String>,
    benchmark: Option<String>,
}

struct SubSection {
    ordinal: u32,
    lines: Vec<String>,
    items: Vec<Item>,
    benchmark: Option<String>,
}

#[derive(Default)]
struct Section {
    ordinal: u32,
    heading: String,
    /// The heading line's text and the unmarked lines after it.
    body: Vec<String>,
    subsections: Vec<SubSection>,
    items: Vec<Item>,
}

/// Where the next unmarked line goes.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    SectionBody,
    SubSection,
    SectionItem,
    SubSectionItem,
}

/// Where the outline starts: the first section or sub-section mark; else the first item.
fn outline_start(lines: &[String]) -> Option<usize> {
    let marked = |pred: &dyn Fn(&str) -> bool| {
        lines
            .iter()
            .position(|l| !is_field_line(l) && pred(l.trim()))
    };
    marked(&|l| section_mark(l).is_some() || subsection_mark(l).is_some())
        .or_else(|| marked(&|l| item_mark(l).is_some()))
}

/// A signature line such as `青岛市科学技术局`: short, all Chinese, a unit's ending.
fn is_signature(line: &str) -> bool {
    let n = line.chars().count();
    (2..=20).contains(&n)
        && line.chars().all(is_han)
        && ["局", "委", "办", "院", "厅", "政府", "办公室", "委员会"]
            .iter()
            .any(|end| line.ends_with(end))
}

/// Read the outline.
pub(crate) fn parse(lines: &[String]) -> Body {
    let Some(start) = outline_start(lines) else {
        return Body {
            goals: Vec::new(),
            start: lines.len(),
        };
    };
    let mut sections: Vec<Section> = vec![Section::default()];
    let mut open = Open::SectionBody;
    for line in &lines[start..] {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let normalized = normalize(line);
        if BODY_END.is_match(&normalized) {
            break;
        }
        if DATE_LINE.is_match(&normalized) || is_signature(line) {
            continue;
        }
        let section = sections.last_mut().expect("one section at least");
        if let Some((ordinal, rest)) = section_mark(line) {
            let rest = rest.trim();
            sections.push(Section {
                ordinal,
                heading: first_sentence(rest),
                body: vec![rest.to_string()],
                ..Section::default()
            });
            open = Open::SectionBody;
        } else if let Some((ordinal, rest)) = subsection_mark(line) {
            section.subsections.push(SubSection {
                ordinal,
                lines: vec![rest.trim().to_string()],
                items: Vec::new(),
                benchmark: None,
            });
            open = Open::SubSection;
        } else if let Some((number, rest)) = item_mark(line) {
            let item = Item {
                number,
                lines: vec![rest.trim().to_string()],
                benchmark: None,
            };
            match section.subsections.last_mut() {
                Some(sub) => {
                    sub.items.push(item);
                    open = Open::SubSectionItem;
                }
                None => {
                    section.items.push(item);
                    open = Open::SectionItem;
                }
            }
        } else if let Some(value) = benchmark_text(line) {
            // 标杆城市及标杆值 belongs to the goal before it
            let slot = match open {
                Open::SectionBody => None,
                Open::SubSection => section.subsections.last_mut().map(|s| &mut s.benchmark),
                Open::SectionItem => section.items.last_mut().map(|i| &mut i.benchmark),
                Open::SubSectionItem => section
                    .subsections
                    .last_mut()
                    .and_then(|s| s.items.last_mut())
                    .map(|i| &mut i.benchmark),
            };
            if let Some(slot) = slot.filter(|_| !value.is_empty()) {
                *slot = Some(match slot.take() {
                    Some(before) => format!("{before}\n{value}"),
                    None => value.to_string(),
                });
            }
        } else {
            let text = line.to_string();
            let target = match open {
                Open::SectionBody => Some(&mut section.body),
                Open::SubSection => section.subsections.last_mut().map(|s| &mut s.lines),
                Open::SectionItem => section.items.last_mut().map(|i| &mut i.lines),
                Open::SubSectionItem => section
                    .subsections
                    .last_mut()
                    .and_then(|s| s.items.last_mut())
                    .map(|i| &mut i.lines),
            };
            if let Some(target) = target {
                target.push(text);
            }
        }
    }

    let mut goals = Vec::new();
    for section in &sections {
        for item in &section.items {
            goals.push(item_goal(&section.heading, "", item));
        }
        for sub in &section.subsections {
            let heading = first_sentence(sub.lines.first().map_or("", String::as_str));
            if sub.items.is_empty() {
                goals.extend(
                    paragraph_goal(&section.heading, sub.ordinal, &heading, &sub.lines).map(
                        |goal| ParsedGoal {
                            benchmark: sub.benchmark.clone(),
                            ..goal
                        },
                    ),
                );
            } else {
                for item in &sub.items {
                    goals.push(item_goal(&section.heading, &heading, item));
                }
            }
        }
    }
    if goals.is_empty() {
        // an outline of sections only: each section with text is a goal
        for section in sections.iter().filter(|s| !s.heading.is_empty()) {
            goals.extend(paragraph_goal(
                &section.heading,
                section.ordinal,
                &section.heading,
                &section.body,
            ));
        }
    }
    goals.retain(|g| !g.title.is_empty());
    Body { goals, start }
}

fn item_goal(category: &str, subcategory: &str, item: &Item) -> ParsedGoal {
    let content = item.lines.join("\n");
    ParsedGoal {
        category: category.to_string(),
        subcategory: subcategory.to_string(),
        number: item.number.clone(),
        title: first_sentence(&content),
        content,
        benchmark: item.benchmark.clone(),
    }
}

/// A sub-section (or section) paragraph read as one goal.
fn paragraph_goal(
    category: &str,
    ordinal: u32,
    title: &str,
    lines: &[String],
) -> Option<ParsedGoal> {
    let content = lines
        .iter()
        .filter(|l| !l.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    (!title.is_empty()).then(|| ParsedGoal {
        category: category.to_string(),
        subcategory: String::new(),
        number: ordinal.to_string(),
        title: title.to_string(),
        content,
        benchmark: None,
    })
}
