//! Errors that stop a month from being read (exit code 2). Row-level problems are not errors:
//! they are [`billrecon_model::Rejection`]s and the month goes on.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{file}: {reason}")]
    Manifest { file: String, reason: String },
    #[error("{file}: cannot open: {reason}")]
    Open { file: String, reason: String },
    #[error("{file}: line {line} is not UTF-8 text; save the file as \"CSV UTF-8\"")]
    NotUtf8 { file: String, line: u64 },
    #[error("{file}: not a readable XLSX workbook: {reason}")]
    Workbook { file: String, reason: String },
    #[error("{file}: no sheet named `{sheet}` (the workbook has: {available})")]
    NoSheet { file: String, sheet: String, available: String },
    #[error("{file}: no header row with the {kind} columns {missing} (closest: row {row} has {found})")]
    MissingColumns { file: String, kind: String, missing: String, row: u32, found: String },
    #[error("{file}: the file is empty; a {kind} table needs a header row with {required}")]
    Empty { file: String, kind: String, required: String },
    #[error("{file}:{row}: column `{column}` appears twice in the header")]
    DuplicateColumn { file: String, row: u32, column: String },
    #[error("{file}: {reason}")]
    Invalid { file: String, reason: String },
    #[error("profile {origin}: {reason}")]
    Profile { origin: String, reason: String },
}
