//! # htx-rules-service
//!
//! An HTTP service over the htx-rules engine: one [`Engine`] is loaded at start-up and shared,
//! in an [`Arc`], by every worker thread of the tokio runtime (`Engine` is `Send + Sync`, which
//! the core checks at compile time). The service only converts: JSON in, the core's answer out,
//! in the shapes of the public data contract.
//!
//! | request | answer |
//! |---|---|
//! | `POST /evaluate/{entity}?as_of=YYYY-MM-DD` | body: one record (JSON object) or an array of records; answer: `{ "id", "decisions": {…} }` per record (an object for an object, an array for an array) |
//! | `POST /validate/{entity}?as_of=YYYY-MM-DD` | the same bodies; answer: `{ "valid", "errors": […] }` per record |
//! | `GET /explain/{name}` | a rule, parameter, period group or topic: text, citation, dated values |
//! | `GET /healthz` | `{ "status": "ok", "packs": [ { "id", "version" } ] }` |
//!
//! Without `as_of`, the as-of date is today (UTC, from the system clock, as the command line
//! does); every evaluate and validate answer names the date it used in the `x-htx-as-of` header.
//!
//! Errors are JSON `{ "code", "message": { "vi", "en" } }` with an HTTP status: 400 for a body
//! that is not JSON (`line` and `column` added), a bad `as_of` or a bad path; 404 for an unknown
//! entity, rule or route; 405 for a wrong method; 413 for a body over the limit
//! ([`DEFAULT_MAX_BODY_BYTES`] unless configured; `limit_bytes` added); 422 for JSON that is not
//! a record (`errors` added, each with the JSON Pointer of the field, the record's index first
//! for an array).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use htx_rules::{Date, Engine, Error, ErrorKind, FieldError, Message};
use serde::Deserialize;
use serde_json::{json, Value};

/// The largest request body accepted, unless [`Config::max_body_bytes`] says otherwise: 10 MiB
/// (about 20,000 cooperatives of the contract's example size). A larger body gets 413.
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Bodies larger than this are evaluated on tokio's blocking pool, so that a big batch does not
/// hold up an async worker thread; smaller ones are answered in place (microseconds each).
const BLOCKING_ABOVE_BYTES: usize = 64 * 1024;

/// The name of the response header that carries the as-of date used.
pub const AS_OF_HEADER: &str = "x-htx-as-of";

/// Service settings.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// The largest request body accepted, in bytes; a larger one gets 413.
    pub max_body_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

#[derive(Clone)]
struct AppState {
    engine: Arc<Engine>,
    config: Config,
}

/// The service's routes over one shared engine.
pub fn app(engine: Arc<Engine>, config: Config) -> Router {
    Router::new()
        .route("/evaluate/{entity}", post(evaluate))
        .route("/validate/{entity}", post(validate))
        .route("/explain/{name}", get(explain))
        .route("/healthz", get(health))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .with_state(AppState { engine, config })
}

/// Today's date (UTC) from the system clock: the service's edge, as in the command line (the
/// core never reads the clock).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// An error answer: an HTTP status and the JSON body `{ "code", "message": { "vi", "en" }, … }`.
#[derive(Debug)]
pub struct ApiError(Box<Repr>);

#[derive(Debug)]
struct Repr {
    status: StatusCode,
    code: String,
    message: Message,
    /// Extra members of the body (`line`, `column`, `errors`, `limit_bytes`).
    extra: serde_json::Map<String, Value>,
}

impl ApiError {
    fn new(status: StatusCode, code: &str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        ApiError(Box::new(Repr {
            status,
            code: code.to_string(),
            message: Message::new(vi, en),
            extra: serde_json::Map::new(),
        }))
    }

    fn with(mut self, key: &str, value: Value) -> Self {
        self.0.extra.insert(key.to_string(), value);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let status = match e.kind() {
            ErrorKind::Unknown => StatusCode::NOT_FOUND,
            ErrorKind::Input => StatusCode::BAD_REQUEST,
            ErrorKind::Facts => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Pack => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let message = e.message();
        let mut out = ApiError::new(status, e.code(), message.vi, message.en);
        if let Error::Input { line, column, .. } = &e {
            if *line > 0 {
                out = out.with("line", json!(line)).with("column", json!(column));
            }
        }
        if !e.field_errors().is_empty() {
            out = out.with("errors", json!(e.field_errors()));
        }
        out
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let Repr {
            status,
            code,
            message,
            extra,
        } = *self.0;
        let mut body = serde_json::Map::new();
        body.insert("code".into(), Value::String(code));
        body.insert(
            "message".into(),
            json!({ "vi": message.vi, "en": message.en }),
        );
        body.extend(extra);
        (status, Json(Value::Object(body))).into_response()
    }
}

/// A body that could not be read: over the limit (413), or cut off (400).
fn body_error(r: &BytesRejection, limit: usize) -> ApiError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "input.too_large",
            format!(
                "Nội dung yêu cầu vượt quá giới hạn {limit} byte; hãy chia thành nhiều lần gửi"
            ),
            format!(
                "The request body is over the limit of {limit} bytes; send it in several parts"
            ),
        )
        .with("limit_bytes", json!(limit))
    } else {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "input.body",
            format!("không đọc được nội dung yêu cầu: {}", r.body_text()),
            format!("could not read the request body: {}", r.body_text()),
        )
    }
}

fn path_error(r: &PathRejection) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "input.path",
        format!("đường dẫn không hợp lệ: {}", r.body_text()),
        format!("invalid path: {}", r.body_text()),
    )
}

/// The query of evaluate and validate.
#[derive(Debug, Deserialize)]
struct AsOfQuery {
    /// The as-of date, `YYYY-MM-DD`; today when absent.
    as_of: Option<String>,
}

fn as_of(q: Result<Query<AsOfQuery>, QueryRejection>) -> Result<Date, ApiError> {
    let Query(q) = q.map_err(|r| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "input.query",
            format!("tham số truy vấn không hợp lệ: {}", r.body_text()),
            format!("invalid query parameters: {}", r.body_text()),
        )
    })?;
    match q.as_of {
        None => Ok(today()),
        Some(s) => Date::parse(&s).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "input.date",
                format!("as_of `{s}` không phải ngày dạng YYYY-MM-DD"),
                format!("as_of `{s}` is not a date YYYY-MM-DD"),
            )
        }),
    }
}

/// What a handler does with each record.
#[derive(Clone, Copy)]
enum Op {
    Evaluate,
    Validate,
}

/// Parses the body and answers each record: an object for an object, an array for an array.
fn answer(engine: &Engine, op: Op, entity: &str, body: &[u8], as_of: Date) -> Response {
    match answer_json(engine, op, entity, body, as_of) {
        Ok(bytes) => {
            let mut res = (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                bytes,
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&as_of.to_string()) {
                res.headers_mut().insert(AS_OF_HEADER, v);
            }
            res
        }
        Err(e) => e.into_response(),
    }
}

fn answer_json(
    engine: &Engine,
    op: Op,
    entity: &str,
    body: &[u8],
    as_of: Date,
) -> Result<Vec<u8>, ApiError> {
    // an unknown entity is a 404 whatever the body
    engine.decision_names(entity)?;
    let doc: Value = serde_json::from_slice(body).map_err(|e| Error::from_json(&e))?;
    let one = |record: &Value, out: &mut Vec<u8>| -> Result<(), Error> {
        match op {
            Op::Evaluate => {
                let ev = engine.evaluate(entity, record, as_of)?;
                serde_json::to_writer(out, &ev).map_err(|e| Error::from_json(&e))
            }
            Op::Validate => {
                let v = engine.validate(entity, record, as_of)?;
                serde_json::to_writer(out, &v.to_json()).map_err(|e| Error::from_json(&e))
            }
        }
    };
    let mut out = Vec::with_capacity(body.len().saturating_mul(2).max(256));
    match &doc {
        Value::Array(records) => {
            out.push(b'[');
            for (i, record) in records.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                one(record, &mut out).map_err(|e| at_index(e, i))?;
            }
            out.push(b']');
        }
        record => one(record, &mut out)?,
    }
    Ok(out)
}

/// A facts error of the `i`-th record of an array: its pointers start with `/i`.
fn at_index(e: Error, i: usize) -> ApiError {
    match e {
        Error::Facts(errors) => ApiError::from(Error::Facts(
            errors
                .into_iter()
                .map(|f| FieldError {
                    field: format!("/{i}{}", f.field),
                    ..f
                })
                .collect(),
        )),
        other => ApiError::from(other),
    }
}

async fn run(
    state: AppState,
    op: Op,
    entity: Result<Path<String>, PathRejection>,
    query: Result<Query<AsOfQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let entity = match entity {
        Ok(Path(e)) => e,
        Err(r) => return path_error(&r).into_response(),
    };
    let as_of = match as_of(query) {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let body = match body {
        Ok(b) => b,
        Err(r) => return body_error(&r, state.config.max_body_bytes).into_response(),
    };
    if body.len() <= BLOCKING_ABOVE_BYTES {
        return answer(&state.engine, op, &entity, &body, as_of);
    }
    // a big batch: on the blocking pool, with its own handle on the shared engine
    let engine = Arc::clone(&state.engine);
    tokio::task::spawn_blocking(move || answer(&engine, op, &entity, &body, as_of))
        .await
        .unwrap_or_else(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "lỗi nội bộ khi xử lý yêu cầu",
                "internal error while answering the request",
            )
            .into_response()
        })
}

async fn evaluate(
    State(state): State<AppState>,
    entity: Result<Path<String>, PathRejection>,
    query: Result<Query<AsOfQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    run(state, Op::Evaluate, entity, query, body).await
}

async fn validate(
    State(state): State<AppState>,
    entity: Result<Path<String>, PathRejection>,
    query: Result<Query<AsOfQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    run(state, Op::Validate, entity, query, body).await
}

async fn explain(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(name) = name.map_err(|r| path_error(&r))?;
    Ok(Json(state.engine.explain(&name)?.to_json()))
}

async fn health(State(state): State<AppState>) -> Json<Value> {
    let packs: Vec<Value> = state
        .engine
        .packs()
        .iter()
        .map(|p| json!({ "id": p.id, "version": p.version }))
        .collect();
    Json(json!({ "status": "ok", "packs": packs }))
}

async fn not_found(State(state): State<AppState>, uri: axum::http::Uri) -> ApiError {
    let path = uri.path();
    let entities = state.engine.entities().join(", ");
    ApiError::new(
        StatusCode::NOT_FOUND,
        "route.unknown",
        format!(
            "không có đường dẫn `{path}`; có: POST /evaluate/ và POST /validate/ theo sau là một \
             đối tượng ({entities}), GET /explain/ theo sau là tên một quy tắc, GET /healthz"
        ),
        format!(
            "no route `{path}`; routes: POST /evaluate/ and POST /validate/ followed by an entity \
             ({entities}), GET /explain/ followed by a rule name, GET /healthz"
        ),
    )
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    let path = uri.path();
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "route.method",
        format!("`{path}` không nhận phương thức {method}"),
        format!("`{path}` does not accept {method}"),
    )
}
