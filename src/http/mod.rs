//! The HTTP API and the web UI: axum routes over the [`KnowledgeGraph`] facade.
//!
//! [`router`] builds the whole application (routes, error shape, tower-http layers) apart
//! from any socket, so tests drive it in-process; [`serve`] binds it to an address and
//! stops gracefully on Ctrl-C or SIGTERM.
//!
//! Errors are `{"error": {"code", "message", ...}}` with a 4xx status for anything a client
//! sent (see `http/error.rs`); a 500 only for a fault inside. Uploads (`POST /api/documents`)
//! are accepted from this machine, or with the configured bearer token from anywhere.

mod aliases;
mod backup;
mod diff;
mod error;
mod extract;
mod handlers;
mod openapi;
mod targets;
mod ui_api;

pub use error::{ApiError, ErrorBody, ErrorDetail};
pub use openapi::ApiDoc;

use crate::error::{Error, Result};
use crate::knowledge_graph::KnowledgeGraph;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::routing::{delete, get};
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

/// The largest request body: the largest file ingest reads.
pub const BODY_LIMIT: usize = crate::ingest::MAX_FILE_BYTES as usize;

/// A request taking longer than this gets a 408 (unless [`AppState::request_timeout`]
/// says otherwise: `serve --request-timeout SECS`).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub kg: Arc<KnowledgeGraph>,
    /// The bearer token that lets other machines upload (`--token`, `PLANGRAPH_TOKEN`).
    pub token: Option<Arc<str>>,
    /// A request taking longer than this gets a 408 ([`REQUEST_TIMEOUT`] by default).
    pub request_timeout: Duration,
    /// Origins whose pages may call the API from a browser (`--cors`, `PLANGRAPH_CORS`):
    /// none by default, so no CORS header is ever sent unless configured.
    pub cors: Cors,
}

/// Which web origins get CORS headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Cors {
    /// None (the default): browsers keep other sites' pages from reading the API.
    #[default]
    Off,
    /// These origins (`https://planner.example`, `http://localhost:3000`).
    Origins(Vec<HeaderValue>),
    /// `*`: any origin (reads only: the write token is never sent by a browser on its own).
    Any,
}

impl Cors {
    /// Parse `--cors` values: origins (`scheme://host[:port]`) or a single `*`. Names the
    /// parameter and the bad value.
    pub fn parse(values: &[String]) -> Result<Cors> {
        let values: Vec<&str> = values
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            return Ok(Cors::Off);
        }
        if values == ["*"] {
            return Ok(Cors::Any);
        }
        let bad = |v: &str, why: &str| Error::InvalidParam {
            param: "cors",
            reason: format!("`{v}` is not a web origin ({why}; e.g. https://planner.example)"),
        };
        let mut origins = Vec::new();
        for v in values {
            let (scheme, rest) = v.split_once("://").ok_or_else(|| bad(v, "no scheme"))?;
            if !matches!(scheme, "http" | "https") {
                return Err(bad(v, "the scheme must be http or https"));
            }
            if rest.is_empty() || rest.contains(['/', '?', '#', ' ', '*']) {
                return Err(bad(v, "an origin is a scheme and host (and port) only"));
            }
            origins.push(HeaderValue::from_str(v).map_err(|_| bad(v, "not a header value"))?);
        }
        Ok(Cors::Origins(origins))
    }

    fn layer(&self) -> Option<CorsLayer> {
        let allow = match self {
            Cors::Off => return None,
            Cors::Origins(list) => AllowOrigin::list(list.clone()),
            Cors::Any => AllowOrigin::any(),
        };
        Some(
            CorsLayer::new()
                .allow_origin(allow)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .max_age(Duration::from_secs(3600)),
        )
    }
}

impl AppState {
    /// An empty token counts as none.
    pub fn new(kg: Arc<KnowledgeGraph>, token: Option<String>) -> AppState {
        AppState {
            kg,
            token: token
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .map(Arc::from),
            request_timeout: REQUEST_TIMEOUT,
            cors: Cors::Off,
        }
    }

    /// The same state with CORS headers for these origins.
    pub fn with_cors(mut self, cors: Cors) -> AppState {
        self.cors = cors;
        self
    }

    /// The same state with another request time limit.
    pub fn with_request_timeout(mut self, limit: Duration) -> AppState {
        self.request_timeout = limit;
        self
    }
}

/// The whole application: every route of the interface, the JSON error shape, and the
/// body limit, timeout, compression and request tracing layers.
///
/// ```no_run
/// # async fn run() -> plangraph::Result<()> {
/// use std::sync::Arc;
/// use plangraph::{http, knowledge_graph::KnowledgeGraph};
/// let kg = Arc::new(KnowledgeGraph::open("index".as_ref())?);
/// let app = http::router(http::AppState::new(kg, None));
/// # let _ = app; Ok(()) }
/// ```
pub fn router(state: AppState) -> Router {
    let timeout = state.request_timeout;
    let cors = state.cors.layer();
    let app = Router::new()
        .route("/", get(handlers::ui))
        .route("/health", get(handlers::health))
        .route("/api/openapi.json", get(handlers::openapi))
        .route("/api/search", get(handlers::search))
        .route("/api/trace", get(handlers::trace))
        .route("/api/duties", get(handlers::duties))
        .route("/api/impact", get(handlers::impact))
        .route("/api/diff", get(diff::diff))
        .route("/api/targets", get(targets::targets))
        .route("/api/nodes/{id}", get(handlers::node))
        .route("/api/nodes/{id}/neighbors", get(handlers::neighbors))
        .route("/api/nodes/{id}/co-dependent", get(handlers::co_dependent))
        .route("/api/path", get(handlers::path))
        .route("/api/rank", get(handlers::rank))
        .route("/api/stats", get(handlers::stats))
        .route("/api/backup", get(backup::backup))
        .route(
            "/api/documents",
            get(handlers::documents).post(handlers::upload),
        )
        .route("/api/documents/{id}", get(ui_api::document))
        .route("/api/overview", get(ui_api::overview_route))
        .route("/api/nodes/{id}/aliases", get(ui_api::aliases))
        .route(
            "/api/aliases",
            get(aliases::list)
                .post(aliases::add)
                .delete(aliases::remove_by_query),
        )
        .route("/api/aliases/{alias}", delete(aliases::remove))
        .fallback(handlers::not_found)
        .with_state(state)
        // Innermost first: the body limit and timeout produce bare 413/408 responses that
        // `json_errors` then gives the JSON shape; compression and tracing wrap it all.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(axum::middleware::map_response(error::json_errors))
        .layer(CompressionLayer::new())
        .layer(
            // One line a request at `info` (method, path, status, latency); RUST_LOG=warn
            // silences it.
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        );
    // Outermost: a preflight is answered before routing.
    match cors {
        Some(cors) => app.layer(cors),
        None => app,
    }
}

/// Serve `router(state)` on `listener` until `shutdown` completes, then finish the
/// requests in flight. The graph view is built in the background right away, so the
/// first graph query does not wait for it.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let kg = state.kg.clone();
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        match kg.warm_graph() {
            Ok((nodes, edges)) => tracing::info!(
                nodes,
                edges,
                ms = started.elapsed().as_millis() as u64,
                "graph view ready"
            ),
            Err(e) => tracing::error!(error = %e, "building the graph view failed"),
        }
    });
    let kg = state.kg.clone();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| Error::io("serve", e))?;
    // Documents uploaded while serving: keep the next start from scanning the store.
    match tokio::task::spawn_blocking(move || kg.save_graph()).await {
        Ok(Ok(true)) => tracing::info!("graph view snapshot saved"),
        Ok(Err(e)) => tracing::warn!(error = %e, "could not save the graph view snapshot"),
        _ => {}
    }
    Ok(())
}

/// Completes on Ctrl-C, or on SIGTERM where there is one.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
