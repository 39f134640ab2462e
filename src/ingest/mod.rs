//! Ingestion: file bytes to a [`ParsedDocument`]. Decodes any common Chinese encoding,
//! reads `.docx` from its XML, recognises the document layout and splits it into
//! categories and goals. Pure functions: no store, no extraction.
//!
//! ```
//! let text = "市科技局2022年工作要点\n一、强化平台建设\n1.建设海洋实验室。推进共建。\n";
//! let doc = plangraph::ingest::parse_bytes("要点.txt", text.as_bytes()).unwrap();
//! assert_eq!((doc.unit.as_str(), doc.year), ("市科技局", 2022));
//! assert_eq!(doc.goals[0].title, "建设海洋实验室");
//! assert_eq!(doc.goals[0].category, "强化平台建设");
//! ```

mod category;
mod decode;
mod docx;
mod layout;
mod outline;
mod table;

use std::path::Path;

pub use category::category_order;
pub use decode::decode_text;
pub use docx::docx_text;

/// Files larger than this are refused (goal documents are a few hundred KiB at most).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Documents with more goals than this are refused (a real one has tens, at most a few
/// hundred; each goal costs store writes and memory).
pub const MAX_GOALS: usize = 10_000;

/// File name endings plangraph reads.
pub const SUPPORTED_EXTENSIONS: [&str; 3] = ["txt", "md", "docx"];

pub use crate::model::Layout;

/// One document as read from a file, before extraction.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParsedDocument {
    /// The title line (`2021年度市直单位业务目标`, `市科技局2022年工作要点`).
    pub title: String,
    /// The reporting unit as written (`市科技局`).
    pub unit: String,
    pub year: u16,
    /// 主要负责人
    pub leader: Option<String>,
    /// 联系人
    pub contact: Option<String>,
    /// 联系电话
    pub phone: Option<String>,
    pub layout: Layout,
    pub goals: Vec<ParsedGoal>,
}

impl ParsedDocument {
    /// The document's stable id: its unit, year and title line.
    pub fn id(&self) -> String {
        crate::model::document_id(&self.unit, self.year, &self.title)
    }

    /// The goals as typed records, in document order.
    pub fn goals(&self) -> Vec<crate::model::Goal> {
        let doc_id = self.id();
        // A number written twice under one heading still gives each goal its own id (the
        // second `2` of 类别 A is `2#2`); goals numbered once keep the plain id.
        let mut seen = std::collections::HashMap::<(&str, &str, &str), usize>::new();
        self.goals
            .iter()
            .map(|g| {
                let n = seen
                    .entry((&g.category, &g.subcategory, &g.number))
                    .or_insert(0);
                *n += 1;
                let number = if *n == 1 {
                    g.number.clone()
                } else {
                    format!("{}#{n}", g.number)
                };
                crate::model::Goal {
                    id: crate::model::goal_id(&doc_id, &g.category, &g.subcategory, &number),
                    title: g.title.clone(),
                    unit: self.unit.clone(),
                    year: Some(self.year),
                    category: g.category.clone(),
                    subcategory: g.subcategory.clone(),
                    number: g.number.clone(),
                    content: g.content.clone(),
                    benchmark: g.benchmark.clone(),
                    document: Some(doc_id.clone()),
                    document_title: Some(self.title.clone()),
                }
            })
            .collect()
    }

    /// The goals as graph nodes (kind `goal`; see [`crate::model::Goal::to_node`]).
    pub fn goal_nodes(&self) -> Vec<crate::model::Node> {
        self.goals().iter().map(|g| g.to_node()).collect()
    }
}

/// One goal (a table row, or an outline item).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParsedGoal {
    /// 类别 (重点目标, 创优目标) or the `一、` section heading.
    pub category: String,
    /// The `（一）` sub-section heading, empty when there is none.
    pub subcategory: String,
    /// 序号 as written, normalised to ASCII digits (`1`).
    pub number: String,
    /// 目标名称, or an outline item's first sentence.
    pub title: String,
    /// 目标内容 (debris such as `[bookmark: _GoBack]` removed).
    pub content: String,
    /// 标杆城市及标杆值 text that follows the goal, without the label.
    pub benchmark: Option<String>,
}

/// Why a file could not be read. Shown after the file's path.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("unsupported file type `{0}` (plangraph reads .txt, .md and .docx)")]
    UnsupportedType(String),
    #[error("this is a {0} file, not a text or .docx document")]
    WrongFormat(&'static str),
    #[error("the bytes are not text in any supported encoding (UTF-8, UTF-16, GBK/GB18030)")]
    NotText,
    #[error("not a readable .docx: {0}")]
    Docx(String),
    #[error("no goals found (expected a 业务目标 table with 序号/目标名称/目标内容 rows, or a 工作要点 outline with 一、 sections and numbered items)")]
    NoGoals,
    #[error("too many goals ({count} goals; the limit is {limit})")]
    TooManyGoals { count: usize, limit: usize },
    #[error(
        "no year found in the title or header (expected e.g. `2021年度…` or `…2022年工作要点`)"
    )]
    NoYear,
    #[error("no unit found (expected `单位名称：…` or a title such as `市科技局2022年工作要点`)")]
    NoUnit,
    /// A bug in plangraph met while reading this file (reported, never fatal to a batch).
    #[error("internal error while reading this file (please report it): {0}")]
    Internal(String),
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// True when `path` has an ending plangraph reads.
pub fn is_supported(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| SUPPORTED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        .unwrap_or(false)
}

/// Parse one file's bytes. `file_name` gives the type by its ending (and may give the
/// year or unit when the text does not).
///
/// Checks the size before anything else, decodes `.txt`/`.md` in any supported encoding
/// and `.docx` from its XML, then reads the layout. Never panics; a file in which no goal
/// is found is [`IngestError::NoGoals`].
pub fn parse_bytes(file_name: &str, bytes: &[u8]) -> Result<ParsedDocument, IngestError> {
    let extension = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !SUPPORTED_EXTENSIONS.contains(&extension.as_str()) {
        return Err(IngestError::UnsupportedType(if extension.is_empty() {
            file_name.to_string()
        } else {
            format!(".{extension}")
        }));
    }
    let size = bytes.len() as u64;
    if size > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    let text = if extension == "docx" {
        docx_text(bytes)?
    } else {
        decode_text(bytes)?
    };
    let doc = layout::read_document(&text, file_name, extension == "md")?;
    if doc.goals.len() > MAX_GOALS {
        return Err(IngestError::TooManyGoals {
            count: doc.goals.len(),
            limit: MAX_GOALS,
        });
    }
    Ok(doc)
}

/// Parse text that is already decoded, as if read from a file named `file_name`
/// (`.md` strips markdown marks).
pub fn parse_text(file_name: &str, text: &str) -> Result<ParsedDocument, IngestError> {
    let markdown = Path::new(file_name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    layout::read_document(&decode::clean_text(text), file_name, markdown)
}
