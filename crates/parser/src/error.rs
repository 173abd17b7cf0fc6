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
    /// No row among the first ones names any column looked for: the rows are data (or another
    /// table), and none of their values is repeated in the message (they may be called numbers
    /// or names, and messages go to logs).
    #[error("{file}: no header row with the {kind} columns {required}: none of the first {rows} rows names any of them (is it the right file, with its header?)")]
    NoHeader { file: String, kind: String, required: String, rows: usize },
    #[error("{file}: the file is empty; a {kind} table needs a header row with {required}")]
    Empty { file: String, kind: String, required: String },
    #[error("{file}:{row}: column `{column}` appears twice in the header")]
    DuplicateColumn { file: String, row: u32, column: String },
    #[error("{file}: {reason}")]
    Invalid { file: String, reason: String },
    #[error("profile {origin}: {reason}")]
    Profile { origin: String, reason: String },
}

/// An I/O error in words a clerk can act on.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// toml's message, without its multi-line source excerpt, with the line it is about.
pub(crate) fn toml_reason(e: &toml::de::Error, text: &str) -> String {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {msg}")
        }
        None => msg,
    }
}
