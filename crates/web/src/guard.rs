//! What every request passes before a page sees it: the Host allow-list (DNS rebinding), the
//! Origin / Sec-Fetch-Site check on every POST (cross-site forms), and the security headers on
//! every answer (a Content-Security-Policy with no inline script, no framing, no sniffing).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::failure::error_page;
use crate::origin::CSP;

/// The guard every request passes.
pub async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let mut res = if !app.allowed.host_ok(req.headers()) {
        (StatusCode::MISDIRECTED_REQUEST, "This server does not answer to that host name.\n").into_response()
    } else if req.method() == Method::POST && !app.allowed.same_origin(req.headers()) {
        error_page(StatusCode::FORBIDDEN, "A form from another site was refused: nothing was written.")
    } else {
        next.run(req).await
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
