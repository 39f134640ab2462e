//! Extractors whose rejections use the JSON error shape, and the write guard.

use super::error::{unauthorized, ApiError};
use super::AppState;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

/// `Query<T>` with a 400 JSON error naming what is wrong.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        check_utf8(parts.uri.query().unwrap_or(""))?;
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(t)| ApiQuery(t))
            .map_err(|e| ApiError::rejection(e.status(), e.body_text()))
    }
}

/// Refuse a query string whose names or values do not decode to UTF-8 (the form decoder
/// would turn them into U+FFFD silently), naming the parameter.
fn check_utf8(query: &str) -> Result<(), ApiError> {
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            let s = s.replace('+', " ");
            percent_encoding::percent_decode_str(&s)
                .decode_utf8()
                .map(|d| d.into_owned())
        };
        let shown = decode(name).unwrap_or_else(|_| "query".into());
        if decode(name).is_err() || decode(value).is_err() {
            return Err(ApiError::invalid(
                &shown,
                format!("`{shown}` is not valid UTF-8 once percent-decoded"),
            ));
        }
    }
    Ok(())
}

/// `Path<T>` with a JSON error.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(t)| ApiPath(t))
            .map_err(|e| {
                let status = e.status();
                let mut err = ApiError::rejection(status, e.body_text());
                if status == StatusCode::BAD_REQUEST {
                    err.detail.param = Some("path".into());
                }
                err
            })
    }
}

/// The whole request body (within the body limit: 413 beyond it).
pub struct ApiBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Bytes::from_request(req, state)
            .await
            .map(ApiBody)
            .map_err(|e| {
                let status = e.status();
                let mut err = ApiError::rejection(status, e.body_text());
                err.detail.param = None;
                err
            })
    }
}

/// Proof that the client may write. Without a configured token, only clients on this
/// machine may (and not through a proxy: a request carrying forwarding headers counts as
/// remote). With a token, every write must carry `Authorization: Bearer TOKEN`, from this
/// machine too (another local user or a local proxy is no proof of the right to write).
pub struct WriteAccess;

impl FromRequestParts<AppState> for WriteAccess {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let peer = ConnectInfo::<SocketAddr>::from_request_parts(parts, state)
            .await
            .ok()
            .map(|ConnectInfo(addr)| addr);
        let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
            .iter()
            .any(|h| parts.headers.contains_key(*h));
        let local = !forwarded && peer.is_some_and(|a| a.ip().to_canonical().is_loopback());
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then(|| token.trim().to_string())
            });
        match (&state.token, presented) {
            (Some(expected), Some(token)) => {
                if constant_time_eq(expected.as_bytes(), token.as_bytes()) {
                    Ok(WriteAccess)
                } else {
                    Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "forbidden",
                        "the bearer token is wrong",
                    )
                    .into_response())
                }
            }
            (Some(_), None) => Err(unauthorized(
                "uploads need `Authorization: Bearer TOKEN` (the token the server was \
                 started with)",
            )),
            (None, _) if local => Ok(WriteAccess),
            (None, _) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "uploads are accepted only from this machine; start the server with \
                 --token TOKEN (or PLANGRAPH_TOKEN) to accept them from others",
            )
            .into_response()),
        }
    }
}

/// Compare without leaking, through timing, how much of a secret matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
