//! `GET /api/targets`: every numeric target, filtered by subject, unit and year, sorted and
//! paged; with `subject` also its series across years.

use super::error::{ApiError, ErrorBody};
use super::extract::ApiQuery;
use super::handlers::blocking;
use super::AppState;
use crate::knowledge_graph::{TargetList, TargetSort, TargetsRequest};
use crate::limits;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// `GET /api/targets`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TargetsParams {
    /// Only targets counting this subject: a name, alias or class (高企 finds
    /// 高新技术企业's targets); the answer then carries its `series` across years.
    pub subject: Option<String>,
    /// Only targets of goals of this unit (市科技局).
    pub unit: Option<String>,
    /// Only targets of goals of this year.
    pub year: Option<u16>,
    /// `year` (default: oldest first), `value` (largest first) or `subject`.
    pub sort: Option<String>,
    /// Targets to return (default 50).
    pub limit: Option<usize>,
    /// Targets to skip.
    pub offset: Option<usize>,
}

#[utoipa::path(get, path = "/api/targets", tag = "graph", params(TargetsParams),
    responses(
        (status = 200, description = "Numeric targets with value, range, unit, qualifier, subject, goal, unit, year and evidence; `total` before paging", body = TargetList),
        (status = 400, description = "Missing or bad parameter", body = ErrorBody),
        (status = 404, description = "No node and no target of that subject; `suggestions` lists close names", body = ErrorBody)))]
pub async fn targets(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<TargetsParams>,
) -> Result<Json<TargetList>, ApiError> {
    let sort = match p.sort.as_deref() {
        None => TargetSort::default(),
        Some(s) => s.parse::<TargetSort>()?,
    };
    let req = TargetsRequest {
        subject: p.subject,
        unit: p.unit,
        year: p.year,
        sort,
        limit: Some(limits::TARGETS_LIMIT.check(p.limit)?),
        offset: Some(limits::TARGETS_OFFSET.check(p.offset)?),
    };
    Ok(Json(blocking(&state, move |kg| kg.targets(&req)).await?))
}
