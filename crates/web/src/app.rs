//! The server's state: the ledger's connection pool, the sessions, the hosts it answers to.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use billrecon_ledger::{Ledger, LedgerError};

use crate::error::WebError;
use crate::failure::Failure;
use crate::origin::Allowed;
use crate::session::Sessions;

/// The server's state.
pub struct App {
    ledger: PathBuf,
    pool: Mutex<Vec<Ledger>>,
    pub(crate) sessions: Sessions,
    pub(crate) allowed: Allowed,
    pub(crate) secure_cookie: bool,
    months: Mutex<std::collections::HashMap<String, Arc<MonthMeta>>>,
}

/// What the month page shows that changes only when the month is posted again: read once per
/// post (the ledger's own figures, cached as read, never computed here).
pub struct MonthMeta {
    /// The month's latest post: the cache holds while it is the latest.
    pub post: i64,
    pub posts: usize,
    pub tie: Vec<billrecon_ledger::TieOut>,
    pub values: [Vec<String>; 3],
    pub statements: Vec<String>,
    pub notices: usize,
    /// The month's findings, unfiltered (a count that only a post changes).
    pub findings: u64,
}

/// How many idle ledger connections are kept.
const POOL: usize = 8;

impl App {
    pub fn new(ledger: PathBuf, bound: SocketAddr, public_origin: Option<&str>) -> Result<App, WebError> {
        let first = Ledger::open(&ledger).map_err(|error| WebError::Ledger { path: ledger.display().to_string(), error })?;
        Ok(App {
            ledger,
            pool: Mutex::new(vec![first]),
            sessions: Sessions::default(),
            allowed: Allowed::new(bound, public_origin),
            secure_cookie: public_origin.is_some_and(|o| o.starts_with("https://")),
            months: Mutex::new(std::collections::HashMap::new()),
        })
    }

    /// The month's cached figures, if they were read for its latest post.
    pub(crate) fn month_meta(&self, month: &str, latest: i64) -> Option<Arc<MonthMeta>> {
        let m = self.months.lock().unwrap_or_else(|e| e.into_inner());
        m.get(month).filter(|x| x.post == latest).cloned()
    }

    pub(crate) fn keep_month_meta(&self, month: &str, meta: Arc<MonthMeta>) {
        self.months.lock().unwrap_or_else(|e| e.into_inner()).insert(month.to_string(), meta);
    }

    /// Runs `f` on a pooled ledger connection, off the async threads.
    pub(crate) async fn db<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Ledger) -> Result<T, LedgerError> + Send + 'static,
    ) -> Result<T, Failure> {
        let app = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let taken = app.pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let mut l = match taken {
                Some(l) => l,
                None => Ledger::open(&app.ledger)?,
            };
            let out = f(&mut l);
            let mut pool = app.pool.lock().unwrap_or_else(|e| e.into_inner());
            if pool.len() < POOL {
                pool.push(l);
            }
            out
        })
        .await
        .map_err(|_| Failure::Internal)?
        .map_err(Failure::from)
    }
}
