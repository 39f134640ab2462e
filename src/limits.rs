//! Request limits: one table of the bounds on `limit`, `offset`, `depth`, `year` and the
//! text parameters (`q`, `name`, `from`, `to`, `filename`: never blank, `q` at most
//! [`MAX_QUERY_CHARS`]), checked the same way for the CLI and the HTTP API (same bounds,
//! same messages), and declared in the OpenAPI document from the same values
//! ([`ROUTE_BOUNDS`], [`ROUTE_TEXTS`]).
//!
//! ```
//! use plangraph::limits::SEARCH_LIMIT;
//! assert_eq!(SEARCH_LIMIT.check(None).unwrap(), 20);
//! let e = SEARCH_LIMIT.check(Some(0)).unwrap_err();
//! assert_eq!(e.to_string(), "invalid limit: limit must be between 1 and 1000 (got 0)");
//! ```

use crate::error::{Error, Result};

/// The accepted range of one numeric request parameter, and its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The parameter's name, as the CLI option (`--limit`) and the query string spell it.
    pub param: &'static str,
    /// Used when the request leaves the parameter out.
    pub default: usize,
    pub min: usize,
    /// `usize::MAX`: no upper bound.
    pub max: usize,
}

impl Bound {
    const fn new(param: &'static str, default: usize, min: usize, max: usize) -> Bound {
        Bound {
            param,
            default,
            min,
            max,
        }
    }

    /// The value asked for (the default when absent), or an [`Error::InvalidParam`] naming
    /// the parameter and its range.
    pub fn check(&self, value: Option<usize>) -> Result<usize> {
        let v = value.unwrap_or(self.default);
        if (self.min..=self.max).contains(&v) {
            return Ok(v);
        }
        let p = self.param;
        let reason = match (self.min, self.max) {
            (0, max) => format!("{p} must be at most {max} (got {v})"),
            (min, usize::MAX) => format!("{p} must be at least {min} (got {v})"),
            (min, max) => format!("{p} must be between {min} and {max} (got {v})"),
        };
        Err(Error::InvalidParam { param: p, reason })
    }

    /// The upper bound, when there is one.
    pub fn maximum(&self) -> Option<usize> {
        (self.max != usize::MAX).then_some(self.max)
    }
}

/// `search`: hits to return.
pub const SEARCH_LIMIT: Bound = Bound::new("limit", 20, 1, 1_000);
/// `search`: hits to skip (paging).
pub const SEARCH_OFFSET: Bound = Bound::new("offset", 0, 0, 10_000);
/// `trace`: goals to return (all when absent).
pub const TRACE_LIMIT: Bound = Bound::new("limit", usize::MAX, 1, usize::MAX);
/// `trace`: goals of the sorted trace to skip (paging).
pub const TRACE_OFFSET: Bound = Bound::new("offset", 0, 0, usize::MAX);
/// `impact`: goals to return (`total` counts all).
pub const IMPACT_LIMIT: Bound = Bound::new("limit", 50, 1, 1_000);
/// `neighbors`: hops from the node.
pub const NEIGHBORS_DEPTH: Bound = Bound::new("depth", 1, 0, crate::graph::MAX_DEPTH);
/// `neighbors`: nodes to return.
pub const NEIGHBORS_LIMIT: Bound = Bound::new("limit", 500, 1, 5_000);
/// `co-dependent`: goals to return.
pub const CO_DEPENDENT_LIMIT: Bound = Bound::new("limit", 50, 1, 1_000);
/// `rank`: entities to return.
pub const RANK_LIMIT: Bound = Bound::new("limit", 20, 1, 1_000);
/// `documents`: documents to return.
pub const DOCUMENTS_LIMIT: Bound = Bound::new("limit", 100, 1, 1_000);
/// `documents`: documents to skip.
pub const DOCUMENTS_OFFSET: Bound = Bound::new("offset", 0, 0, usize::MAX);

/// `overview`: entities in each list.
pub const OVERVIEW_LIMIT: Bound = Bound::new("limit", 15, 1, 200);
/// `search`: only goals of this year (a `u16`).
pub const SEARCH_YEAR: Bound = Bound::new("year", 0, 0, u16::MAX as usize);
/// `duties`: only goals of this year (a `u16`).
pub const DUTIES_YEAR: Bound = Bound::new("year", 0, 0, u16::MAX as usize);

/// `targets`: targets to return.
pub const TARGETS_LIMIT: Bound = Bound::new("limit", 50, 1, 1_000);
/// `targets`: targets to skip (paging).
pub const TARGETS_OFFSET: Bound = Bound::new("offset", 0, 0, usize::MAX);
/// `targets`: only targets of goals of this year (a `u16`).
pub const TARGETS_YEAR: Bound = Bound::new("year", 0, 0, u16::MAX as usize);

/// The longest search query, in characters (a query is also never blank).
pub const MAX_QUERY_CHARS: usize = 1_000;

/// A text parameter that must hold something other than white space, and may have a
/// longest length in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub param: &'static str,
    /// What the parameter is, for the message (`the query`, `the file name`).
    pub what: &'static str,
    pub max_chars: Option<usize>,
    /// The regular expression the OpenAPI document gives the parameter (unanchored, as
    /// JSON Schema patterns are): what the server accepts.
    pub pattern: &'static str,
}

/// Some character that is not white space.
pub const NOT_BLANK_PATTERN: &str = r"\S";

/// A file name whose last component (after `/` or `\`) is not blank and ends in `.txt`,
/// `.md` or `.docx` (any case) after at least one other character.
pub const UPLOAD_NAME_PATTERN: &str = r"[^/\\\s][^/\\]*\.([tT][xX][tT]|[mM][dD]|[dD][oO][cC][xX])$";

impl Text {
    const fn new(param: &'static str, what: &'static str, max_chars: Option<usize>) -> Text {
        Text {
            param,
            what,
            max_chars,
            pattern: NOT_BLANK_PATTERN,
        }
    }

    /// The value (untrimmed), or an [`Error::InvalidParam`] naming the parameter.
    pub fn check<'a>(&self, value: Option<&'a str>) -> Result<&'a str> {
        let v = value.unwrap_or("");
        let p = self.param;
        if v.trim().is_empty() {
            let reason = format!("{} `{p}` is empty", self.what);
            return Err(Error::InvalidParam { param: p, reason });
        }
        if let Some(max) = self.max_chars {
            let n = v.chars().count();
            if n > max {
                let reason = format!(
                    "{} `{p}` is longer than {max} characters (got {n})",
                    self.what
                );
                return Err(Error::InvalidParam { param: p, reason });
            }
        }
        Ok(v)
    }
}

/// `search`: the query.
pub const SEARCH_QUERY: Text = Text::new("q", "the query", Some(MAX_QUERY_CHARS));
/// `trace`: the entity.
pub const TRACE_NAME: Text = Text::new("name", "the name", None);
/// `duties`: the organisation.
pub const DUTIES_NAME: Text = Text::new("name", "the organisation", None);
/// `impact`: the entity.
pub const IMPACT_NAME: Text = Text::new("name", "the name", None);
/// `diff`: the unit.
pub const DIFF_UNIT: Text = Text::new("unit", "the unit", None);
/// `diff`: the years (each a `u16`).
pub const DIFF_FROM: Bound = Bound::new("from", 0, 0, u16::MAX as usize);
pub const DIFF_TO: Bound = Bound::new("to", 0, 0, u16::MAX as usize);
/// `path`: its ends.
pub const PATH_FROM: Text = Text::new("from", "the start", None);
pub const PATH_TO: Text = Text::new("to", "the end", None);
/// `POST /api/documents`: the upload's file name.
/// (The server takes the last path component and refuses other types with 415.)
pub const UPLOAD_FILENAME: Text = Text {
    pattern: UPLOAD_NAME_PATTERN,
    ..Text::new("filename", "the file name", None)
};

/// Which bounds each route's query parameters follow (for the OpenAPI document).
pub const ROUTE_BOUNDS: &[(&str, &[Bound])] = &[
    ("/api/search", &[SEARCH_LIMIT, SEARCH_OFFSET]),
    ("/api/trace", &[TRACE_LIMIT, TRACE_OFFSET]),
    ("/api/impact", &[IMPACT_LIMIT]),
    (
        "/api/nodes/{id}/neighbors",
        &[NEIGHBORS_DEPTH, NEIGHBORS_LIMIT],
    ),
    ("/api/nodes/{id}/co-dependent", &[CO_DEPENDENT_LIMIT]),
    ("/api/rank", &[RANK_LIMIT]),
    ("/api/documents", &[DOCUMENTS_LIMIT, DOCUMENTS_OFFSET]),
    ("/api/overview", &[OVERVIEW_LIMIT]),
    ("/api/search", &[SEARCH_YEAR]),
    ("/api/duties", &[DUTIES_YEAR]),
    ("/api/diff", &[DIFF_FROM, DIFF_TO]),
    (
        "/api/targets",
        &[TARGETS_LIMIT, TARGETS_OFFSET, TARGETS_YEAR],
    ),
];

/// Which text parameters each route requires (for the OpenAPI document: required,
/// `minLength`, `maxLength`, a non-blank `pattern`).
pub const ROUTE_TEXTS: &[(&str, &[Text])] = &[
    ("/api/search", &[SEARCH_QUERY]),
    ("/api/trace", &[TRACE_NAME]),
    ("/api/duties", &[DUTIES_NAME]),
    ("/api/impact", &[IMPACT_NAME]),
    ("/api/diff", &[DIFF_UNIT]),
    ("/api/path", &[PATH_FROM, PATH_TO]),
    ("/api/documents", &[UPLOAD_FILENAME]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_accept_their_range_and_name_the_parameter_outside_it() {
        assert_eq!(SEARCH_LIMIT.check(Some(1000)).unwrap(), 1000);
        assert_eq!(SEARCH_OFFSET.check(None).unwrap(), 0);
        assert_eq!(NEIGHBORS_DEPTH.check(Some(0)).unwrap(), 0);
        let msg = |b: Bound, v| b.check(Some(v)).unwrap_err().to_string();
        assert_eq!(
            msg(SEARCH_OFFSET, 10_001),
            "invalid offset: offset must be at most 10000 (got 10001)"
        );
        assert_eq!(
            msg(TRACE_LIMIT, 0),
            "invalid limit: limit must be at least 1 (got 0)"
        );
        assert_eq!(
            msg(NEIGHBORS_DEPTH, 9),
            "invalid depth: depth must be at most 4 (got 9)"
        );
    }

    #[test]
    fn text_parameters_are_never_blank_and_the_query_has_a_longest_length() {
        assert_eq!(TRACE_NAME.check(Some(" 高新区 ")).unwrap(), " 高新区 ");
        let msg = |t: Text, v: &str| t.check(Some(v)).unwrap_err().to_string();
        assert_eq!(
            msg(SEARCH_QUERY, " \t"),
            "invalid q: the query `q` is empty"
        );
        assert_eq!(
            UPLOAD_FILENAME.check(None).unwrap_err().to_string(),
            "invalid filename: the file name `filename` is empty"
        );
        let long = "海".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            msg(SEARCH_QUERY, &long),
            "invalid q: the query `q` is longer than 1000 characters (got 1001)"
        );
        assert_eq!(
            SEARCH_QUERY
                .check(Some(&long[3..]))
                .unwrap()
                .chars()
                .count(),
            1000
        );
    }
}
