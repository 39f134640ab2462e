//! One handler a route: read the parameters, call the facade on a blocking thread (sled
//! and tantivy block), return its JSON. The OpenAPI description is generated from the
//! `#[utoipa::path]` attributes here.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiBody, ApiPath, ApiQuery, WriteAccess};
use super::openapi::{SearchResultsSchema, UI_HTML};
use super::ui_api::{search_page, SearchPage};
use super::AppState;
use crate::error::Result;
use crate::graph::{CoDependence, Impact, PathResult, Ranking, Subgraph, Trace};
use crate::index::SearchRequest;
use crate::ingest;
use crate::knowledge_graph::{
    DocumentList, DocumentOutcome, Duties, KnowledgeGraph, NeighborsRequest, NodeView,
};
use crate::limits;
use crate::model::{EdgeLabel, NodeKind};
use crate::store::Stats;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::path::Path;
use utoipa::{IntoParams, ToSchema};

/// Run facade work on the blocking pool.
pub(super) async fn blocking<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&KnowledgeGraph) -> Result<T> + Send + 'static,
{
    let kg = state.kg.clone();
    match tokio::task::spawn_blocking(move || f(&kg)).await {
        Ok(r) => r.map_err(ApiError::from),
        Err(e) => Err(ApiError::internal(format!(
            "the request's work failed: {e}"
        ))),
    }
}

/// Comma-separated values of one parameter (`kind=goal,institution`).
fn list<T: std::str::FromStr<Err = String>>(
    param: &str,
    value: Option<&str>,
) -> Result<Vec<T>, ApiError> {
    value
        .unwrap_or("")
        .split([',', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|e| ApiError::invalid(param, e)))
        .collect()
}

/// `{"status": "ok"}`
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
}

#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

#[utoipa::path(get, path = "/", tag = "meta",
    responses((status = 200, description = "The web UI (one HTML page)", content_type = "text/html", body = String)))]
pub async fn ui() -> Html<&'static str> {
    Html(UI_HTML)
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "This description (OpenAPI 3.1)", content_type = "application/json", body = Object)))]
pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        super::openapi::json(),
    )
        .into_response()
}

/// `GET /api/search`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words (all required) and "quoted phrases".
    #[param(required = true)]
    pub q: Option<String>,
    /// Only these kinds, comma-separated: goal, institution, organization, place,
    /// document, program, unit, target, person.
    pub kind: Option<String>,
    /// Hits to return (1–1000, default 20).
    pub limit: Option<usize>,
    /// Hits to skip (paging, at most 10000).
    pub offset: Option<usize>,
    /// Only goals of this unit (as written, e.g. 市科技局).
    pub unit: Option<String>,
    /// Only goals of this year.
    pub year: Option<u16>,
    /// Also return `facets`: hits per kind, goals per unit and per year.
    pub facets: Option<bool>,
}

#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchParams),
    responses(
        (status = 200, description = "Hits, best first; `highlights` are [start, end) character offsets into `snippet`; entity hits carry `goals` (how many goals depend on them); `facets` with `facets=true`", body = SearchResultsSchema),
        (status = 400, description = "Missing query or bad parameter", body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<SearchPage>, ApiError> {
    let query = limits::SEARCH_QUERY.check(p.q.as_deref())?.to_string();
    let offset = limits::SEARCH_OFFSET.check(p.offset)?;
    let request = SearchRequest {
        query,
        kinds: list("kind", p.kind.as_deref())?,
        unit: p.unit.filter(|u| !u.trim().is_empty()),
        year: p.year,
        limit: limits::SEARCH_LIMIT.check(p.limit)?,
        offset,
    };
    let facets = p.facets.unwrap_or(false);
    Ok(Json(
        blocking(&state, move |kg| search_page(kg, &request, facets)).await?,
    ))
}

/// `GET /api/trace`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TraceParams {
    /// The entity: id, name or alias.
    pub name: String,
    /// Return at most this many goals (`total` counts all).
    pub limit: Option<usize>,
    /// Skip this many goals of the sorted trace first (paging; `groups` still counts the
    /// whole trace).
    pub offset: Option<usize>,
}

#[utoipa::path(get, path = "/api/trace", tag = "graph", params(TraceParams),
    responses(
        (status = 200, description = "The goals that depend on the entity, by unit, year, category, number: the page from `offset`, and per unit and year the goals of the whole trace (`groups`)", body = Trace),
        (status = 400, description = "Missing or bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown or ambiguous name; `suggestions` lists close names", body = ErrorBody)))]
pub async fn trace(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<TraceParams>,
) -> Result<Json<Trace>, ApiError> {
    limits::TRACE_NAME.check(Some(&p.name))?;
    let limit = p
        .limit
        .map(|l| limits::TRACE_LIMIT.check(Some(l)))
        .transpose()?;
    let offset = limits::TRACE_OFFSET.check(p.offset)?;
    Ok(Json(
        blocking(&state, move |kg| kg.trace_page(&p.name, offset, limit)).await?,
    ))
}

/// `GET /api/duties`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DutiesParams {
    /// The organisation: id, name or alias.
    pub name: String,
    /// Only goals of this year.
    pub year: Option<u16>,
}

#[utoipa::path(get, path = "/api/duties", tag = "graph", params(DutiesParams),
    responses(
        (status = 200, description = "The goals the organisation is responsible for (责任单位, 牵头/配合, 由X负责), by year, with role, unit, document and evidence", body = Duties),
        (status = 400, description = "Missing or bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown or ambiguous name; `suggestions` lists close names", body = ErrorBody)))]
pub async fn duties(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<DutiesParams>,
) -> Result<Json<Duties>, ApiError> {
    limits::DUTIES_NAME.check(Some(&p.name))?;
    Ok(Json(
        blocking(&state, move |kg| kg.duties(&p.name, p.year)).await?,
    ))
}
/// `GET /api/impact`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImpactParams {
    /// The entity: id, name or alias.
    pub name: String,
    /// Return at most this many goals (default 50; `total` counts all).
    pub limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/impact", tag = "graph", params(ImpactParams),
    responses(
        (status = 200, description = "If the entity slips: the goals at stake (directly, through its parts, through targets that measure it), ranked, with evidence paths; their targets and documents", body = Impact),
        (status = 400, description = "Missing or bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown or ambiguous name; `suggestions` lists close names", body = ErrorBody)))]
pub async fn impact(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ImpactParams>,
) -> Result<Json<Impact>, ApiError> {
    limits::IMPACT_NAME.check(Some(&p.name))?;
    let limit = Some(limits::IMPACT_LIMIT.check(p.limit)?);
    Ok(Json(
        blocking(&state, move |kg| kg.impact(&p.name, limit)).await?,
    ))
}

#[utoipa::path(get, path = "/api/nodes/{id}", tag = "graph",
    params(("id" = String, Path, description = "Node id, name or alias")),
    responses(
        (status = 200, description = "The node with all its edges, outgoing first", body = NodeView),
        (status = 404, description = "Unknown or ambiguous name", body = ErrorBody)))]
pub async fn node(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<NodeView>, ApiError> {
    Ok(Json(blocking(&state, move |kg| kg.show(&id)).await?))
}

/// `GET /api/nodes/{id}/neighbors`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NeighborsParams {
    /// Hops (0–4, default 1).
    pub depth: Option<usize>,
    /// Only edges with these labels, comma-separated (has_goal, depends_on, issues,
    /// sets_target, measures, part_of, mentions, responsible).
    pub label: Option<String>,
    /// Only nodes of these kinds, comma-separated.
    pub kind: Option<String>,
    /// At most this many nodes (1–5000, default 500).
    pub limit: Option<usize>,
    /// `all` (default): whole nodes and edges, with their evidence. `ids`: the same
    /// subgraph by ids only (`SubgraphShape`: node ids, kinds and hops, edge identities),
    /// answered from the in-memory graph, for scripts that walk the shape.
    pub fields: Option<String>,
}

#[utoipa::path(get, path = "/api/nodes/{id}/neighbors", tag = "graph",
    params(("id" = String, Path, description = "Node id, name or alias"), NeighborsParams),
    responses(
        (status = 200, description = "The subgraph within `depth` hops, nearest first (a `SubgraphShape` with `fields=ids`)", body = Subgraph),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown or ambiguous name", body = ErrorBody)))]
pub async fn neighbors(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): ApiQuery<NeighborsParams>,
) -> Result<Response, ApiError> {
    let request = NeighborsRequest {
        depth: limits::NEIGHBORS_DEPTH.check(p.depth)?,
        labels: list::<EdgeLabel>("label", p.label.as_deref())?,
        kinds: list::<NodeKind>("kind", p.kind.as_deref())?,
        limit: limits::NEIGHBORS_LIMIT.check(p.limit)?,
    };
    match p.fields.as_deref() {
        None | Some("all") => Ok(Json(
            blocking(&state, move |kg| kg.neighbors(&id, &request)).await?,
        )
        .into_response()),
        Some("ids") => Ok(Json(
            blocking(&state, move |kg| kg.neighbor_shape(&id, &request)).await?,
        )
        .into_response()),
        Some(other) => Err(crate::error::Error::InvalidParam {
            param: "fields",
            reason: format!("{other:?} is neither all nor ids"),
        }
        .into()),
    }
}

/// `GET /api/nodes/{id}/co-dependent`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoDependentParams {
    /// Only shared entities of these kinds, comma-separated (default: every entity kind).
    pub kind: Option<String>,
    /// At most this many goals (1–1000, default 50).
    pub limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/nodes/{id}/co-dependent", tag = "graph",
    params(("id" = String, Path, description = "A goal: id or title"), CoDependentParams),
    responses(
        (status = 200, description = "Goals sharing entities with the goal, most shared first", body = CoDependence),
        (status = 400, description = "Bad parameter, or the node is not a goal", body = ErrorBody),
        (status = 404, description = "Unknown or ambiguous name", body = ErrorBody)))]
pub async fn co_dependent(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): ApiQuery<CoDependentParams>,
) -> Result<Json<CoDependence>, ApiError> {
    let kinds = list::<NodeKind>("kind", p.kind.as_deref())?;
    let limit = limits::CO_DEPENDENT_LIMIT.check(p.limit)?;
    Ok(Json(
        blocking(&state, move |kg| kg.co_dependent(&id, &kinds, limit)).await?,
    ))
}

/// `GET /api/path`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PathParams {
    /// Start node: id, name or alias.
    pub from: String,
    /// End node: id, name or alias.
    pub to: String,
    /// Only edges with these labels, comma-separated.
    pub label: Option<String>,
}

#[utoipa::path(get, path = "/api/path", tag = "graph", params(PathParams),
    responses(
        (status = 200, description = "A shortest path (edges followed either way)", body = PathResult),
        (status = 400, description = "Missing or bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown name, or no path (`no_path`)", body = ErrorBody)))]
pub async fn path(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<PathParams>,
) -> Result<Json<PathResult>, ApiError> {
    limits::PATH_FROM.check(Some(&p.from))?;
    limits::PATH_TO.check(Some(&p.to))?;
    let labels = list::<EdgeLabel>("label", p.label.as_deref())?;
    Ok(Json(
        blocking(&state, move |kg| kg.path(&p.from, &p.to, &labels)).await?,
    ))
}

/// `GET /api/rank`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankParams {
    /// Only entities of this kind (institution, organization, place, document, program,
    /// person).
    pub kind: Option<String>,
    /// At most this many (1–1000, default 20).
    pub limit: Option<usize>,
    /// Also list class nodes (技术创新中心, 重点实验室 …), marked `class: true`.
    pub classes: Option<bool>,
}

#[utoipa::path(get, path = "/api/rank", tag = "graph", params(RankParams),
    responses(
        (status = 200, description = "Entities by how many goals depend on them, then PageRank", body = Ranking),
        (status = 400, description = "Bad parameter", body = ErrorBody)))]
pub async fn rank(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<RankParams>,
) -> Result<Json<Ranking>, ApiError> {
    let kind = match p.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(
            k.parse::<NodeKind>()
                .map_err(|e| ApiError::invalid("kind", e))?,
        ),
        None => None,
    };
    let limit = limits::RANK_LIMIT.check(p.limit)?;
    Ok(Json(
        blocking(&state, move |kg| {
            kg.rank_with(kind, limit, p.classes.unwrap_or(false))
        })
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/stats", tag = "graph",
    responses((status = 200, description = "Node counts per kind, edge counts per label, documents", body = Stats)))]
pub async fn stats(State(state): State<AppState>) -> Result<Json<Stats>, ApiError> {
    Ok(Json(blocking(&state, |kg| kg.stats()).await?))
}

/// `GET /api/documents`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentsParams {
    /// At most this many (1–1000, default 100).
    pub limit: Option<usize>,
    /// Skip this many.
    pub offset: Option<usize>,
}

#[utoipa::path(get, path = "/api/documents", tag = "documents", params(DocumentsParams),
    responses(
        (status = 200, description = "The stored documents, by id", body = DocumentList),
        (status = 400, description = "Bad parameter", body = ErrorBody)))]
pub async fn documents(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<DocumentsParams>,
) -> Result<Json<DocumentList>, ApiError> {
    let limit = limits::DOCUMENTS_LIMIT.check(p.limit)?;
    let offset = limits::DOCUMENTS_OFFSET.check(p.offset)?;
    Ok(Json(
        blocking(&state, move |kg| kg.documents(offset, limit)).await?,
    ))
}

/// `POST /api/documents`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The file's name; its ending gives the type (.txt, .md, .docx).
    pub filename: String,
}

#[utoipa::path(post, path = "/api/documents", tag = "documents", params(UploadParams),
    request_body(content = Vec<u8>, description = "The file's bytes", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "What the ingest did (`inserted`, `replaced`, `unchanged`)", body = DocumentOutcome),
        (status = 400, description = "Missing file name", body = ErrorBody),
        (status = 401, description = "A token is configured and the request has none", body = ErrorBody),
        (status = 403, description = "Not from this machine and no token configured, or a wrong token", body = ErrorBody),
        (status = 413, description = "Larger than 16 MiB", body = ErrorBody),
        (status = 415, description = "Not a .txt, .md or .docx document", body = ErrorBody),
        (status = 422, description = "A document plangraph cannot read (no goals, no year, not text …)", body = ErrorBody)),
    security((), ("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    _access: WriteAccess,
    ApiQuery(p): ApiQuery<UploadParams>,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Json<DocumentOutcome>, ApiError> {
    // Only the last path component: the name is a label, never a place to write.
    let last = p.filename.rsplit(['/', '\\']).next().unwrap_or("");
    let name = limits::UPLOAD_FILENAME
        .check(Some(last))?
        .trim()
        .to_string();
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    if form {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_type",
            "send the file's bytes as the request body, not a multipart form",
        ));
    }
    if !ingest::is_supported(Path::new(&name)) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_type",
            format!("unsupported file type `{name}` (plangraph reads .txt, .md and .docx)"),
        ));
    }
    let outcome = blocking(&state, move |kg| kg.ingest_bytes(&name, &body)).await?;
    state.kg.rewarm();
    Ok(Json(outcome))
}

/// Any other route.
pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such route (see /api/openapi.json)",
    )
}
