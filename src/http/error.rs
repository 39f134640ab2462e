//! Errors over HTTP: one table from [`Error`] to a status and a code, one JSON shape
//! (`{"error": {"code", "message", ...}}`) for every error response, including the
//! rejections of axum's extractors and the responses of the tower-http layers.

use crate::error::{Error, ErrorClass};
use crate::ingest::IngestError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `not_found`, `ambiguous`, `no_path`, `invalid_param`,
    /// `unsupported_type`, `too_large`, `unprocessable`, `unauthorized`, `forbidden`,
    /// `method_not_allowed`, `timeout`, `internal`.
    pub code: String,
    /// For people.
    pub message: String,
    /// The parameter at fault (`invalid_param`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// Closest known names (`not_found`), or the candidates (`ambiguous`:
    /// `name (kind, id)`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

/// An error on its way to becoming a response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: ErrorDetail,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            detail: ErrorDetail {
                code: code.to_string(),
                message: message.into(),
                param: None,
                suggestions: Vec::new(),
            },
        }
    }

    /// 400 for a bad parameter.
    pub fn invalid(param: &str, message: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, "invalid_param", message);
        e.detail.param = Some(param.to_string());
        e
    }

    /// 500: something broke inside. Logged; never for anything a client sent.
    pub fn internal(message: impl Into<String>) -> ApiError {
        let message = message.into();
        tracing::error!(%message, "internal error");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// From an axum extractor's rejection (its status and text).
    pub fn rejection(status: StatusCode, text: String) -> ApiError {
        if status.is_server_error() {
            return ApiError::internal(text);
        }
        let mut e = ApiError::new(status, code_for_status(status), text);
        if status == StatusCode::BAD_REQUEST {
            e.detail.param = Some("query".into());
        }
        e
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let message = e.to_string();
        // Faults and I/O failures are never the client's: 500, logged.
        if e.class() != ErrorClass::User {
            return ApiError::internal(message);
        }
        match e {
            Error::NotFound { suggestions, .. } => {
                let mut a = ApiError::new(StatusCode::NOT_FOUND, "not_found", message);
                a.detail.suggestions = suggestions;
                a
            }
            Error::Ambiguous { candidates, .. } => {
                let mut a = ApiError::new(StatusCode::NOT_FOUND, "ambiguous", message);
                a.detail.suggestions = candidates;
                a
            }
            Error::NoPath { .. } => ApiError::new(StatusCode::NOT_FOUND, "no_path", message),
            Error::InvalidParam { param, reason } => ApiError::invalid(param, reason),
            Error::Ingest { source, .. } => {
                // The upload's name is the client's own; say only what is wrong with it.
                let message = source.to_string();
                match source {
                    IngestError::TooLarge { .. } => {
                        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
                    }
                    IngestError::UnsupportedType(_) | IngestError::WrongFormat(_) => ApiError::new(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "unsupported_type",
                        message,
                    ),
                    _ => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", message),
                }
            }
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.detail })).into_response()
    }
}

/// The code for a bare status (responses the handlers did not make).
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "invalid_param",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_type",
        StatusCode::UNPROCESSABLE_ENTITY => "unprocessable",
        s if s.is_server_error() => "internal",
        _ => "error",
    }
}

/// Middleware: give every error response that is not JSON yet (axum's 404/405, the body
/// limit's 413, the timeout's 408, extractor rejections) the JSON error shape, keeping
/// its status and headers such as `Allow`.
pub async fn json_errors(res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() {
        match status {
            StatusCode::NOT_FOUND => "no such route (see /api/openapi.json)".to_string(),
            StatusCode::PAYLOAD_TOO_LARGE => format!(
                "the request body is too large (the limit is {} bytes)",
                super::BODY_LIMIT
            ),
            StatusCode::REQUEST_TIMEOUT => "the request took too long".to_string(),
            s => s.canonical_reason().unwrap_or("error").to_ascii_lowercase(),
        }
    } else {
        text
    };
    if status.is_server_error() {
        tracing::error!(%status, %message, "error response");
    }
    let mut out = ApiError::new(status, code_for_status(status), message).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}

/// A 401 asking for a bearer token.
pub fn unauthorized(message: &str) -> Response {
    let mut res = ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message).into_response();
    res.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"plangraph\""),
    );
    res
}
