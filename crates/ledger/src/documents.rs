//! What a month sent: each program's statement and each employee's notice, kept as rendered when
//! the month was posted (the retained record, and what the web app serves once the month folders
//! are gone). Stored deflated; a later post of the month (a replacement) stores its own set, and
//! the latest set is the month's.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::db::Ledger;
use crate::error::{LedgerError, Result};
use crate::scope::Scope;

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// A program's chargeback statement (HTML, and CSV as `plain`), keyed by account code.
    Statement,
    /// An employee's reimbursement notice (HTML, and text as `plain`), keyed by employee id.
    Notice,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Statement => "statement",
            DocKind::Notice => "notice",
        }
    }
}

/// A document rendered for the ledger to keep: compressed when made, so a month's thousands of
/// notices are compressed on every core as they are rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocKind,
    /// The account code (statement) or employee id (notice).
    pub key: String,
    /// The file name reconcile writes it under, without extension (`statements/NAME.html`).
    pub name: String,
    html: Vec<u8>,
    plain: Vec<u8>,
}

/// Deflate level 1: the documents are repetitive HTML, and level 1 already shrinks them about
/// sixfold at a fraction of the default level's time.
const LEVEL: u8 = 1;
/// No stored document inflates past this (a statement of a program with every line of a state
/// is a few megabytes).
const MAX_INFLATED: usize = 256 << 20;

impl Document {
    pub fn new(kind: DocKind, key: String, name: String, html: &str, plain: &str) -> Document {
        Document {
            kind,
            key,
            name,
            html: miniz_oxide::deflate::compress_to_vec(html.as_bytes(), LEVEL),
            plain: miniz_oxide::deflate::compress_to_vec(plain.as_bytes(), LEVEL),
        }
    }
}

/// A stored document, inflated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub month: String,
    pub kind: DocKind,
    pub key: String,
    pub name: String,
    pub html: String,
    /// The statement's CSV or the notice's text.
    pub plain: String,
}

fn inflate(bytes: &[u8]) -> Result<String> {
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, MAX_INFLATED)
        .map_err(|e| LedgerError::Discrepancy(format!("a stored document does not inflate: {e}")))?;
    String::from_utf8(raw).map_err(|_| LedgerError::Discrepancy("a stored document is not UTF-8".into()))
}

/// Whether `scope` may see the document of `kind` for `key`: a program its accounts' statements,
/// an employee their own notices.
fn visible(scope: &Scope, kind: DocKind, key: &str) -> bool {
    match (scope, kind) {
        (Scope::All, _) => true,
        (Scope::Accounts(a), DocKind::Statement) => a.iter().any(|x| x == key),
        (Scope::Employee(e), DocKind::Notice) => e == key,
        _ => false,
    }
}

/// Writes a post's documents.
pub(crate) fn write(tx: &Transaction<'_>, post: i64, month: &str, docs: &[Document]) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO documents (post_id, month, kind, key, name, html, plain) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for d in docs {
        insert.execute(params![post, month, d.kind.as_str(), d.key, d.name, d.html, d.plain])?;
    }
    Ok(())
}

/// The SQL, named for the index test.
pub mod sql {
    /// The post whose documents are the month's: the latest that stored any.
    pub const LATEST_POST: &str = "SELECT MAX(post_id) FROM documents WHERE month = ?1";
    /// One document of that post.
    pub const ONE: &str = "SELECT name, html, plain FROM documents WHERE month = ?1 AND kind = ?2 AND key = ?3 AND post_id = ?4";
}

impl Ledger {
    /// The month's document of `kind` for `key`, if there is one and `scope` may see it.
    pub fn document(&self, month: &str, kind: DocKind, key: &str, scope: &Scope) -> Result<Option<StoredDocument>> {
        if !visible(scope, kind, key) {
            return Ok(None);
        }
        let Some(post) = self.conn.query_row(sql::LATEST_POST, [month], |r| r.get::<_, Option<i64>>(0))? else {
            return Ok(None);
        };
        let row: Option<(String, Vec<u8>, Vec<u8>)> = self
            .conn
            .query_row(sql::ONE, params![month, kind.as_str(), key, post], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        match row {
            None => Ok(None),
            Some((name, html, plain)) => Ok(Some(StoredDocument {
                month: month.to_string(),
                kind,
                key: key.to_string(),
                name,
                html: inflate(&html)?,
                plain: inflate(&plain)?,
            })),
        }
    }

    /// How many documents of `kind` the month has (its latest set).
    pub fn document_count(&self, month: &str, kind: DocKind) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM documents WHERE month = ?1 AND kind = ?2 AND post_id = (SELECT MAX(post_id) FROM documents WHERE month = ?1)",
            params![month, kind.as_str()],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// The keys (account codes or employee ids) of the month's documents of `kind` that `scope`
    /// may see, in key order.
    pub fn document_keys(&self, month: &str, kind: DocKind, scope: &Scope) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(
            "SELECT key FROM documents WHERE month = ?1 AND kind = ?2 AND post_id = (SELECT MAX(post_id) FROM documents WHERE month = ?1) ORDER BY key",
        )?;
        let keys = st.query_map(params![month, kind.as_str()], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for k in keys {
            let k = k?;
            if visible(scope, kind, &k) {
                out.push(k);
            }
        }
        Ok(out)
    }
}
