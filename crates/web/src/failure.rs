//! Why a request was not served, and the page that says so.

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use billrecon_ledger::LedgerError;

use crate::view::ErrorPage;

/// Why a request was not served.
#[derive(Debug)]
pub enum Failure {
    /// Not logged in: 303 to the login page.
    Login,
    /// 403: this role never opens this kind of page, or a form's token is not this session's.
    Forbidden(&'static str),
    /// 404: nothing there, or nothing this user may see (the two are never told apart).
    NotFound,
    /// 409: someone acted first.
    Conflict(String),
    /// 422: what was typed was refused; nothing written.
    Invalid(String),
    /// 429: too many failed logins.
    TooMany(u64),
    Internal,
}

impl From<LedgerError> for Failure {
    fn from(e: LedgerError) -> Failure {
        match e {
            LedgerError::Conflict { .. } | LedgerError::Changed(_) => Failure::Conflict(e.to_string()),
            LedgerError::Refused(m) => Failure::Invalid(m),
            other => {
                // The ledger's own failure (SQLite's words, never a caller's data).
                eprintln!("billrecon serve: ledger error: {other}");
                Failure::Internal
            }
        }
    }
}

pub fn error_page(status: StatusCode, message: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error").to_string();
    let page = ErrorPage { nav: None, title, message: message.to_string() };
    (status, html(page.render())).into_response()
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::Login => see_other("/login"),
            Failure::Forbidden(why) => error_page(StatusCode::FORBIDDEN, why),
            Failure::NotFound => error_page(StatusCode::NOT_FOUND, "There is nothing here."),
            Failure::Conflict(m) => error_page(StatusCode::CONFLICT, &m),
            Failure::Invalid(m) => error_page(StatusCode::UNPROCESSABLE_ENTITY, &m),
            Failure::TooMany(s) => {
                let mut r =
                    error_page(StatusCode::TOO_MANY_REQUESTS, &format!("Too many failed logins: try again in {s} second(s)."));
                if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                r
            }
            Failure::Internal => {
                error_page(StatusCode::INTERNAL_SERVER_ERROR, "The ledger could not be read. Nothing was written.")
            }
        }
    }
}

pub fn html(rendered: askama::Result<String>) -> Response {
    match rendered {
        Ok(body) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "a page could not be rendered\n").into_response(),
    }
}

pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}
