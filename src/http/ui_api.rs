//! What the web page needs beyond the core routes: search facets (counts by kind, unit
//! and year), how many goals depend on each entity hit, one document with its goals, and
//! the overview (named platforms apart from generic classes).
//!
//! Everything here is built from the facade's public operations, so the core routes keep
//! their shapes; the additions are extra fields and extra routes only.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiPath, ApiQuery};
use super::handlers::blocking;
use super::AppState;
use crate::error::Result;
use crate::index::{SearchHit, SearchRequest, SearchResults};
use crate::knowledge_graph::KnowledgeGraph;
use crate::model::{Goal, NodeKind};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// Goals read to count units and years; past this the counts are marked `partial`.
pub const FACET_SCAN_LIMIT: usize = 5_000;

/// The kinds a search can be narrowed to, in the order the page shows them.
pub const SEARCH_KINDS: [NodeKind; 9] = [
    NodeKind::Goal,
    NodeKind::Institution,
    NodeKind::Organization,
    NodeKind::Place,
    NodeKind::Document,
    NodeKind::Program,
    NodeKind::Target,
    NodeKind::Person,
    NodeKind::Unit,
];

/// `GET /api/search` as returned: the results, each entity hit with the number of goals
/// that depend on it, and the facets when `facets=true`.
#[derive(Debug, Serialize)]
pub struct SearchPage {
    pub query: String,
    pub total: usize,
    pub hits: Vec<HitView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

/// A hit plus `goals`: for an entity, how many goals depend on it (directly, through a
/// target or through its parts); absent on goal hits.
#[derive(Debug, Serialize)]
pub struct HitView {
    #[serde(flatten)]
    pub hit: SearchHit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goals: Option<usize>,
}

/// Counts for the same query: hits per kind (with the unit and year filters, which only
/// goals pass), goals per unit (with the year filter) and goals per year (with the unit
/// filter), most first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facets {
    /// Hits per kind, every kind listed (0 where none).
    pub kinds: BTreeMap<String, usize>,
    pub units: Vec<FacetCount>,
    pub years: Vec<FacetCount>,
    /// True when more than [`FACET_SCAN_LIMIT`] goals matched and the unit and year counts
    /// cover only the best of them.
    pub partial: bool,
}

/// One facet value and how many goals have it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    /// The unit as written, or the year as text.
    pub value: String,
    pub count: usize,
}

/// The search page for `request`: its results with goal counts on entity hits, and the
/// facets when asked for.
pub fn search_page(
    kg: &KnowledgeGraph,
    request: &SearchRequest,
    facets: bool,
) -> Result<SearchPage> {
    let SearchResults { query, total, hits } = kg.search(request)?;
    let mut views = Vec::with_capacity(hits.len());
    for hit in hits {
        let goals = if hit.kind == NodeKind::Goal {
            None
        } else {
            Some(kg.dependent_goal_count(&hit.id)?)
        };
        views.push(HitView { hit, goals });
    }
    let facets = if facets {
        Some(search_facets(kg, request)?)
    } else {
        None
    };
    Ok(SearchPage {
        query,
        total,
        hits: views,
        facets,
    })
}

/// The facets of a search (its kinds, limit and offset ignored).
pub fn search_facets(kg: &KnowledgeGraph, request: &SearchRequest) -> Result<Facets> {
    let base = SearchRequest {
        query: request.query.clone(),
        kinds: Vec::new(),
        unit: request.unit.clone(),
        year: request.year,
        limit: 1,
        offset: 0,
    };
    let mut kinds = BTreeMap::new();
    for kind in SEARCH_KINDS {
        let r = kg.search(&SearchRequest {
            kinds: vec![kind],
            ..base.clone()
        })?;
        kinds.insert(kind.as_str().to_string(), r.total);
    }
    let mut partial = false;
    let by_unit = goal_hits(
        kg,
        &SearchRequest {
            unit: None,
            ..base.clone()
        },
        &mut partial,
    )?;
    let by_year = if request.unit.is_none() && request.year.is_none() {
        None
    } else {
        Some(goal_hits(
            kg,
            &SearchRequest {
                year: None,
                ..base.clone()
            },
            &mut partial,
        )?)
    };
    let units = counts(
        by_unit
            .iter()
            .filter_map(|h| h.goal.as_ref().map(|g| g.unit.clone()))
            .filter(|u| !u.is_empty()),
    );
    let years = counts(
        by_year
            .as_ref()
            .unwrap_or(&by_unit)
            .iter()
            .filter_map(|h| h.goal.as_ref()?.year.map(|y| y.to_string())),
    );
    Ok(Facets {
        kinds,
        units,
        years,
        partial,
    })
}

/// The best [`FACET_SCAN_LIMIT`] goal hits of a request, page by page.
fn goal_hits(
    kg: &KnowledgeGraph,
    request: &SearchRequest,
    partial: &mut bool,
) -> Result<Vec<SearchHit>> {
    const PAGE: usize = crate::index::MAX_LIMIT;
    let mut out = Vec::new();
    loop {
        let r = kg.search(&SearchRequest {
            kinds: vec![NodeKind::Goal],
            limit: PAGE,
            offset: out.len(),
            ..request.clone()
        })?;
        let got = r.hits.len();
        out.extend(r.hits);
        if out.len() >= r.total || got == 0 {
            break;
        }
        if out.len() >= FACET_SCAN_LIMIT {
            *partial = true;
            break;
        }
    }
    Ok(out)
}

/// Value counts, most first, then by value.
fn counts(values: impl Iterator<Item = String>) -> Vec<FacetCount> {
    let mut map: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *map.entry(v).or_default() += 1;
    }
    let mut out: Vec<FacetCount> = map
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    out
}

/// `GET /api/documents/{id}`: one stored document and its goals in document order.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: String,
    pub unit: String,
    pub year: u16,
    pub title: String,
    /// The path or upload name it was read from.
    pub source: String,
    pub layout: crate::model::Layout,
    pub leader: Option<String>,
    pub contact: Option<String>,
    /// Seconds since the Unix epoch.
    pub ingested_at: u64,
    pub goals: Vec<DocumentGoal>,
}

/// A goal of a document: `{"id", "name", "category", "number"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentGoal {
    pub id: String,
    pub name: String,
    pub category: Option<String>,
    pub number: Option<String>,
}

fn document_view(kg: &KnowledgeGraph, id: &str) -> Result<Option<DocumentView>> {
    let Some(d) = kg.store().document(id)? else {
        return Ok(None);
    };
    let mut goals = Vec::with_capacity(d.goals.len());
    for gid in &d.goals {
        if let Some(g) = kg.store().node(gid)?.as_ref().and_then(Goal::from_node) {
            goals.push(DocumentGoal {
                category: Some(g.category),
                number: Some(g.number),
                id: g.id,
                name: g.title,
            });
        }
    }
    Ok(Some(DocumentView {
        id: d.id,
        unit: d.unit,
        year: d.year,
        title: d.title,
        source: d.source,
        layout: d.layout,
        leader: d.leader,
        contact: d.contact,
        ingested_at: d.ingested_at,
        goals,
    }))
}

#[utoipa::path(get, path = "/api/documents/{id}", tag = "documents",
    params(("id" = String, Path, description = "Document id (`doc:…`, as in a goal's `props.document`)")),
    responses(
        (status = 200, description = "The document and its goals in document order", body = DocumentView),
        (status = 404, description = "No such document", body = ErrorBody)))]
pub async fn document(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<DocumentView>, ApiError> {
    let lookup = id.clone();
    let found = blocking(&state, move |kg| document_view(kg, &lookup)).await?;
    found.map(Json).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no document `{id}` (see /api/documents)"),
        )
    })
}

/// `GET /api/overview`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewParams {
    /// Entities in each list (1–200, default 15).
    pub limit: Option<usize>,
}

/// The entities most goals depend on, named ones (`platforms`) apart from generic classes
/// such as 高新技术企业 or 技术创新中心 (`props.class = true`, in `classes`). Policy
/// documents are left out (they have their own list).
#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    pub platforms: Vec<OverviewEntity>,
    pub classes: Vec<OverviewEntity>,
}

/// One ranked entity: `{"id", "kind", "name", "subtype", "goals"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewEntity {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub subtype: Option<String>,
    /// How many goals depend on it.
    pub goals: usize,
}

fn overview(kg: &KnowledgeGraph, limit: usize) -> Result<Overview> {
    let ranking = kg.rank_with(None, 1_000, true)?;
    let mut platforms = Vec::new();
    let mut classes = Vec::new();
    for e in ranking.entities {
        if e.kind == NodeKind::Document || e.goals == 0 {
            continue;
        }
        if platforms.len() >= limit && classes.len() >= limit {
            break;
        }
        let node = kg.store().node(&e.id)?;
        let class = e.class;
        let entity = OverviewEntity {
            subtype: node
                .as_ref()
                .and_then(|n| n.prop_str("subtype").map(String::from)),
            id: e.id,
            kind: e.kind,
            name: e.name,
            goals: e.goals,
        };
        let list = if class { &mut classes } else { &mut platforms };
        if list.len() < limit {
            list.push(entity);
        }
    }
    Ok(Overview { platforms, classes })
}

#[utoipa::path(get, path = "/api/overview", tag = "graph", params(OverviewParams),
    responses(
        (status = 200, description = "Most depended-on named entities, and generic classes apart", body = Overview),
        (status = 400, description = "Bad parameter", body = ErrorBody)))]
pub async fn overview_route(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<OverviewParams>,
) -> Result<Json<Overview>, ApiError> {
    let limit = crate::limits::OVERVIEW_LIMIT.check(p.limit)?;
    Ok(Json(blocking(&state, move |kg| overview(kg, limit)).await?))
}

/// `GET /api/nodes/{id}/aliases`: the other written forms that resolve to a node.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodeAliases {
    pub id: String,
    pub name: String,
    /// As stored (folded the way names are compared), the node's own name left out.
    pub aliases: Vec<String>,
}

#[utoipa::path(get, path = "/api/nodes/{id}/aliases", tag = "graph",
    params(("id" = String, Path, description = "Node id, name or alias")),
    responses(
        (status = 200, description = "The node's aliases", body = NodeAliases),
        (status = 404, description = "Unknown or ambiguous name", body = ErrorBody)))]
pub async fn aliases(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<NodeAliases>, ApiError> {
    let found = blocking(&state, move |kg| -> Result<NodeAliases> {
        let node = kg.resolve(&id)?;
        let aliases = kg.store().aliases_of(&node)?;
        Ok(NodeAliases {
            id: node.id,
            name: node.name,
            aliases,
        })
    })
    .await?;
    Ok(Json(found))
}
