//! Why the server could not start.

use std::net::SocketAddr;

use billrecon_ledger::LedgerError;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("cannot listen on {addr}: {error}")]
    Bind { addr: SocketAddr, error: std::io::Error },
    #[error("{path}: {error}")]
    Ledger { path: String, error: LedgerError },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}
