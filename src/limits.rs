//! Request limits: one table of the bounds on `limit`, `offset`, `depth` and the query's
//! length, checked the same way for the CLI and the HTTP API (same bounds, same messages),
//! and declared in the OpenAPI document from the same values.
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

/// The longest search query, in characters (a query is also never blank).
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Which bounds each route's query parameters follow (for the OpenAPI document).
pub const ROUTE_BOUNDS: &[(&str, &[Bound])] = &[
    ("/api/search", &[SEARCH_LIMIT, SEARCH_OFFSET]),
    ("/api/trace", &[TRACE_LIMIT]),
    (
        "/api/nodes/{id}/neighbors",
        &[NEIGHBORS_DEPTH, NEIGHBORS_LIMIT],
    ),
    ("/api/nodes/{id}/co-dependent", &[CO_DEPENDENT_LIMIT]),
    ("/api/rank", &[RANK_LIMIT]),
    ("/api/documents", &[DOCUMENTS_LIMIT, DOCUMENTS_OFFSET]),
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
}
