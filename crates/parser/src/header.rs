//! The one search for a table's header among the first rows of a file, and the one test of a
//! footer row. Every row source (CSV, XLSX) uses these.

use billrecon_model::normalize_word;

use crate::error::ParseError;
use crate::table::{ColumnMap, Columns, Layout};

/// How many leading non-blank rows are searched for the header.
pub(crate) const HEADER_SEARCH_ROWS: usize = 20;

/// Looks for the header among a file's first non-blank rows: the first row holding every
/// required column. Title rows above it are passed over.
pub(crate) struct HeaderSearch<'c> {
    columns: &'c Columns<'c>,
    label: String,
    /// The rows offered so far: (row number, field texts).
    seen: Vec<(u32, Vec<String>)>,
}

impl<'c> HeaderSearch<'c> {
    pub fn new(columns: &'c Columns<'c>, label: &str) -> HeaderSearch<'c> {
        HeaderSearch { columns, label: label.to_string(), seen: Vec::new() }
    }

    /// Offers the next non-blank row. `Ok(Some(map))` when it is the header; `Ok(None)` to go
    /// on; an error for a column named twice, or when the search is over without a header.
    pub fn offer(&mut self, row: u32, fields: Vec<String>) -> Result<Option<ColumnMap>, ParseError> {
        let names: Vec<String> = fields.iter().map(|f| normalize_word(f)).collect();
        if self.columns.required.iter().all(|r| names.contains(&normalize_word(r))) {
            let mut positions = Vec::with_capacity(self.columns.width());
            for col in self.columns.columns() {
                let want = normalize_word(col);
                let hits: Vec<usize> = names.iter().enumerate().filter(|(_, n)| **n == want).map(|(i, _)| i).collect();
                if hits.len() > 1 {
                    return Err(ParseError::DuplicateColumn { file: self.label.clone(), row, column: col.to_string() });
                }
                positions.push(hits.first().copied());
            }
            let needed = positions[..self.columns.required.len()].iter().flatten().map(|p| p + 1).max().unwrap_or(0);
            return Ok(Some(ColumnMap { positions, width: fields.len(), needed }));
        }
        self.seen.push((row, fields));
        if self.seen.len() >= HEADER_SEARCH_ROWS {
            return Err(self.not_found());
        }
        Ok(None)
    }

    /// The row that came closest to being the header (the first with the most required
    /// columns), and the required columns it lacks; `None` when no row was offered.
    pub fn closest(&self) -> Option<(u32, Vec<&'c str>, &[String])> {
        let c = self.columns;
        let count = |fields: &[String]| {
            let names: Vec<String> = fields.iter().map(|f| normalize_word(f)).collect();
            c.required.iter().filter(|r| names.contains(&normalize_word(r))).count()
        };
        let mut best: Option<(usize, &(u32, Vec<String>))> = None;
        for s in &self.seen {
            let n = count(&s.1);
            if best.is_none_or(|(m, _)| n > m) {
                best = Some((n, s));
            }
        }
        let (_, (row, fields)) = best?;
        let names: Vec<String> = fields.iter().map(|f| normalize_word(f)).collect();
        let missing: Vec<&'c str> = c.required.iter().filter(|r| !names.contains(&normalize_word(r))).copied().collect();
        Some((*row, missing, fields))
    }

    /// The error when no header was found: the file is empty, or the closest row and what it
    /// lacks.
    pub fn not_found(&self) -> ParseError {
        let c = self.columns;
        let Some((row, missing, fields)) = self.closest() else {
            return ParseError::Empty { file: self.label.clone(), kind: c.kind.to_string(), required: c.required.join(", ") };
        };
        // A row naming none of the columns is data, not a header: it is not quoted.
        if missing.len() == c.required.len() {
            return ParseError::NoHeader {
                file: self.label.clone(),
                kind: c.kind.to_string(),
                required: c.required.join(", "),
                rows: self.seen.len(),
            };
        }
        let shown: Vec<&str> = fields.iter().map(|f| f.trim()).filter(|f| !f.is_empty()).collect();
        ParseError::MissingColumns {
            file: self.label.clone(),
            kind: c.kind.to_string(),
            missing: missing.join(", "),
            row,
            found: if shown.is_empty() { "nothing".into() } else { shown.join(", ") },
        }
    }
}

/// Whether a row is a footer: its first non-empty value matches the layout's footer pattern.
pub(crate) fn is_footer<'a>(layout: &Layout, mut values: impl Iterator<Item = &'a str>) -> bool {
    let Some(pattern) = &layout.footer else { return false };
    let first = values.find(|v| !v.trim().is_empty()).unwrap_or("");
    pattern.is_match(first.trim())
}
