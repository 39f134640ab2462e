//! `POST/GET/DELETE /api/aliases`: the user's alias corrections. Writes need write access,
//! exactly like uploads.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiBody, ApiPath, ApiQuery, WriteAccess};
use super::handlers::blocking;
use super::AppState;
use crate::knowledge_graph::{AliasChange, AliasList};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// The body of `POST /api/aliases`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAlias {
    /// The written form that is to resolve to the node.
    pub alias: String,
    /// The node: id, name or alias (`kind:name` chooses between nodes of one name).
    pub name: String,
}

#[utoipa::path(post, path = "/api/aliases", tag = "graph",
    request_body(content = NewAlias, content_type = "application/json"),
    responses(
        (status = 200, description = "The alias added (and the nodes it merged)", body = AliasChange),
        (status = 400, description = "Not a JSON body with `alias` and `name`, an empty alias, or the node's own name", body = ErrorBody),
        (status = 401, description = "A token is configured and the request has none", body = ErrorBody),
        (status = 403, description = "Not from this machine and no token configured, or a wrong token", body = ErrorBody),
        (status = 404, description = "No node of that name (with suggestions), or several", body = ErrorBody)),
    security((), ("bearer" = [])))]
pub async fn add(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiBody(body): ApiBody,
) -> Result<Json<AliasChange>, ApiError> {
    let new: NewAlias = serde_json::from_slice(&body).map_err(|e| {
        ApiError::invalid(
            "body",
            format!("expected a JSON object {{\"alias\": …, \"name\": …}}: {e}"),
        )
    })?;
    let change = blocking(&state, move |kg| kg.add_alias(&new.alias, &new.name)).await?;
    state.kg.rewarm();
    Ok(Json(change))
}

#[utoipa::path(get, path = "/api/aliases", tag = "graph",
    responses((status = 200, description = "Every user alias", body = AliasList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<AliasList>, ApiError> {
    Ok(Json(blocking(&state, |kg| kg.list_aliases()).await?))
}

/// `DELETE /api/aliases?alias=`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AliasParam {
    /// The alias to remove.
    pub alias: String,
}

#[utoipa::path(delete, path = "/api/aliases/{alias}", tag = "graph",
    params(("alias" = String, Path, description = "The alias to remove")),
    responses(
        (status = 200, description = "The alias removed", body = AliasChange),
        (status = 400, description = "An empty alias", body = ErrorBody),
        (status = 401, description = "A token is configured and the request has none", body = ErrorBody),
        (status = 403, description = "Not from this machine and no token configured, or a wrong token", body = ErrorBody),
        (status = 404, description = "No user alias of that name", body = ErrorBody)),
    security((), ("bearer" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiPath(alias): ApiPath<String>,
) -> Result<Json<AliasChange>, ApiError> {
    let change = blocking(&state, move |kg| kg.remove_alias(&alias)).await?;
    state.kg.rewarm();
    Ok(Json(change))
}

#[utoipa::path(delete, path = "/api/aliases", tag = "graph", params(AliasParam),
    responses(
        (status = 200, description = "The alias removed", body = AliasChange),
        (status = 400, description = "No or an empty alias", body = ErrorBody),
        (status = 401, description = "A token is configured and the request has none", body = ErrorBody),
        (status = 403, description = "Not from this machine and no token configured, or a wrong token", body = ErrorBody),
        (status = 404, description = "No user alias of that name", body = ErrorBody)),
    security((), ("bearer" = [])))]
pub async fn remove_by_query(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiQuery(p): ApiQuery<AliasParam>,
) -> Result<Json<AliasChange>, ApiError> {
    let change = blocking(&state, move |kg| kg.remove_alias(&p.alias)).await?;
    state.kg.rewarm();
    Ok(Json(change))
}
