//! Where a record came from, and why a row was rejected.

use std::fmt;
use std::sync::Arc;

/// A row of an input file as a person sees it: `file[:sheet]:row`, rows counted from 1 as in
/// Excel or a text editor.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceRef {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
    pub row: u32,
}

impl SourceRef {
    pub fn new(file: Arc<str>, sheet: Option<Arc<str>>, row: u32) -> SourceRef {
        SourceRef { file, sheet, row }
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(s) => write!(f, "{}:{}:{}", self.file, s, self.row),
            None => write!(f, "{}:{}", self.file, self.row),
        }
    }
}

impl serde::Serialize for SourceRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A row that was read and not accepted: `FILE[:SHEET]:ROW: COLUMN: reason`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Rejection {
    pub source: SourceRef,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.source, self.column, self.reason)
    }
}
