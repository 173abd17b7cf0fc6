//! The ledger file and who writes to it: [`Ledger`] (a connection, its schema brought up to
//! date), [`Stamp`] (actor, time, source), money as cents.

use std::path::{Path, PathBuf};

use billrecon_model::FreeText;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;

use crate::error::Result;
use crate::schema::migrate;

/// Milliseconds a write waits after writing and before committing: a test hook for the kill and
/// concurrency tests (only the process that sets it waits).
pub const PAUSE_BEFORE_COMMIT: &str = "BILLRECON_TEST_PAUSE_BEFORE_COMMIT";

/// Where a write came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A `billrecon` command.
    Cli,
    /// The review web app.
    Web,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Cli => "cli",
            Source::Web => "web",
        }
    }
}

/// Who wrote, when (UTC) and from where: kept with every post, event and payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub actor: FreeText,
    pub source: Source,
    pub at: DateTime<Utc>,
}

impl Stamp {
    /// The time as stored: RFC 3339, UTC, to the second (`2026-12-06T04:53:19Z`).
    pub fn at_text(&self) -> String {
        self.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }
}

/// A connection to a ledger file.
pub struct Ledger {
    pub(crate) conn: Connection,
    pub path: PathBuf,
}

/// Money to cents. The chargeback gives whole cents and parsed amounts are bounded far below
/// i64 (10^12 dollars a cell), so this is exact.
pub(crate) fn cents(d: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    let c = d * Decimal::ONE_HUNDRED;
    assert!(c.fract().is_zero(), "{d} is not whole cents");
    c.trunc().to_i64().expect("an amount within the ledger's range")
}

/// Cents to money.
pub fn money(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

pub(crate) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

/// The kill and concurrency tests' hook: everything written, nothing committed yet.
pub(crate) fn pause_before_commit() {
    if let Some(ms) = std::env::var(PAUSE_BEFORE_COMMIT).ok().and_then(|v| v.parse::<u64>().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

impl Ledger {
    /// Opens (creating if need be) the ledger at `path`, bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Ledger> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn, None)?;
        Ok(Ledger { conn, path: path.to_path_buf() })
    }

    /// The connection, for tests and `ledger verify`'s own checks.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
