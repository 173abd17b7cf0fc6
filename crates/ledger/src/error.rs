//! Why a ledger command could not be carried out.

/// Why a ledger command could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the ledger was written by a newer billrecon (schema {found}; this one reads up to {supported}): upgrade billrecon to use it")]
    NewerSchema { found: i64, supported: i64 },
    /// An invoice posted before with other content, and no `--replace`.
    #[error("{0}")]
    Changed(String),
    #[error("{0}")]
    Refused(String),
    /// Someone acted on the finding since the version the caller saw: nothing written.
    #[error("finding {finding} changed since you saw it: {what}; nothing was written")]
    Conflict { finding: String, what: String },
    /// The months or statuses a post was evaluated against changed before it could write (another
    /// post or decision landed first): nothing written; evaluate again and post.
    #[error("the ledger changed while the month was evaluated (another command wrote first): nothing was written")]
    Moved,
    #[error("the ledger does not add up: {0}")]
    Discrepancy(String),
}

pub type Result<T> = std::result::Result<T, LedgerError>;
