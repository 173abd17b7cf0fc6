//! `billrecon serve`: the ledger reviewed in a browser by finance staff, programs and employees.
//!
//! Server-rendered HTML (askama templates compiled into the binary, escaped by default); every
//! action is a plain form that works with JavaScript off, and `static/app.js` (served from the
//! binary) only updates a row in place. Every page renders from the ledger alone: the statements
//! and notices are the documents `post` stored. The web app computes no money: amounts come from
//! the ledger and are formatted by the report crate.
//!
//! Entry points: [`serve`] (the server, its own tokio runtime), [`router`] (the routes, for tests
//! in process), [`password`] (argon2id, for `billrecon user`).
//!
//! **Access.** A user's role decides which kinds of page they may open (a role that never sees a
//! kind answers 403); their [`Scope`](billrecon_ledger::Scope) is passed to every ledger query, so
//! what is out of scope answers 404 exactly like what does not exist.
//!
//! **Forms.** Every POST passes the guard (Host allow-list, Origin / Sec-Fetch-Site) and carries
//! the session's token; a decision carries the finding's version and answers 409 if someone acted
//! first. Free text goes through [`billrecon_model::FreeText`], as on the command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

mod app;
mod error;
mod failure;
mod guard;
mod origin;
mod pages;
pub mod password;
mod session;
mod view;

pub use app::App;
pub use error::WebError;
pub use origin::CSP;
pub use session::FREE_FAILURES;

/// The default port (`--port`): 8017.
pub const DEFAULT_PORT: u16 = 8017;
/// The largest request body accepted: 64 KiB (a form, never a file).
pub const BODY_LIMIT: usize = 64 * 1024;

/// What `serve` needs.
#[derive(Debug, Clone)]
pub struct Config {
    pub ledger: PathBuf,
    pub addr: SocketAddr,
    /// `https://...` when a TLS proxy is in front: cookies are then `Secure`, and this origin is
    /// allowed beside the bound address.
    pub public_origin: Option<String>,
}

/// Every route.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/enrol/{token}", get(pages::enrol_form).post(pages::enrol))
        .route("/static/{file}", get(pages::asset))
        .route("/months", get(pages::months))
        .route("/months/{month}", get(pages::month))
        .route("/months/{month}/notices", get(pages::notice_lookup))
        .route("/months/{month}/statements/{account}", get(pages::statement))
        .route("/months/{month}/statements/{account}/csv", get(pages::statement_csv))
        .route("/months/{month}/notices/{employee}", get(pages::notice))
        .route("/months/{month}/notices/{employee}/txt", get(pages::notice_txt))
        .route("/findings/{id}", get(pages::finding))
        .route("/findings/{id}/{action}", post(pages::decide))
        .route("/receivables", get(pages::receivables))
        .route("/payments", post(pages::pay))
        .route("/audit", get(pages::audit))
        .route("/verify", get(pages::verify))
        .route("/me", get(pages::me))
        .route("/me/{month}", get(pages::me_month))
        .route("/me/{month}/attest", post(pages::attest))
        .route("/me/{month}/preview", post(pages::me_preview))
        .route("/months/{month}/attestations", get(pages::attestations))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&app), guard::guard))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
}

/// Serves until the process is stopped (Ctrl-C or SIGTERM). `ready` is told the address bound
/// (`--port 0` picks a free one) before the first request is taken.
pub fn serve(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), WebError> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(16).build()?;
    rt.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(config.addr).await.map_err(|error| WebError::Bind { addr: config.addr, error })?;
        let bound = listener.local_addr()?;
        let app = Arc::new(App::new(config.ledger.clone(), bound, config.public_origin.as_deref())?);
        ready(bound);
        axum::serve(listener, router(app)).with_graceful_shutdown(stopped()).await?;
        Ok(())
    })
}

async fn stopped() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

#[cfg(test)]
mod tests;
