//! `GET /api/diff?unit=&from=&to=`: what changed in a unit's goals from one year to another.

use super::error::{ApiError, ErrorBody};
use super::extract::ApiQuery;
use super::handlers::blocking;
use super::AppState;
use crate::knowledge_graph::Diff;
use crate::limits;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// `GET /api/diff`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The unit (as its documents name it: 市科技局).
    pub unit: String,
    /// The earlier year.
    pub from: usize,
    /// The later year.
    pub to: usize,
}

#[utoipa::path(get, path = "/api/diff", tag = "graph", params(DiffParams),
    responses(
        (status = 200, description = "Goals continued (old and new title, score, reason), added and dropped; targets of the same subject raised, lowered, unchanged, removed or new; platforms and policy documents newly relied on or no longer mentioned", body = Diff),
        (status = 400, description = "Missing or bad parameter, an unknown unit (`unit`) or a year without a document of the unit (`from`, `to`)", body = ErrorBody)))]
pub async fn diff(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<DiffParams>,
) -> Result<Json<Diff>, ApiError> {
    limits::DIFF_UNIT.check(Some(&p.unit))?;
    // years past a u16 are refused naming the parameter, not as an unreadable query
    let from = limits::DIFF_FROM.check(Some(p.from))? as u16;
    let to = limits::DIFF_TO.check(Some(p.to))? as u16;
    Ok(Json(
        blocking(&state, move |kg| kg.diff(&p.unit, from, to)).await?,
    ))
}
