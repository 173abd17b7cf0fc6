//! Reading any canonical table from CSV or XLSX: find the header, map columns by name, hand
//! each data row to a converter, and count read / accepted / rejected / blank rows.

use std::path::PathBuf;
use std::sync::Arc;

use billrecon_model::{normalize_word, InputReport, Rejection, SourceRef};

use crate::error::ParseError;
use crate::value::Cell;

/// The columns a canonical table has. Rows are handed to converters with cells in this order:
/// required columns first, then optional ones (an absent optional column reads as empty).
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub kind: &'static str,
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

impl TableSpec {
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.required.iter().chain(self.optional.iter()).copied()
    }
    pub fn width(&self) -> usize {
        self.required.len() + self.optional.len()
    }
}

/// An input file (and sheet) as the manifest names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRef {
    /// The path as written in the manifest: used in every message and output.
    pub name: String,
    /// The path on disk.
    pub path: PathBuf,
    /// XLSX sheet; `None` = the first sheet (or a CSV file).
    pub sheet: Option<String>,
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl InputRef {
    /// `name` or `name:sheet` for messages.
    pub fn label(&self, sheet: Option<&str>) -> String {
        match sheet.or(self.sheet.as_deref()) {
            Some(s) => format!("{}:{}", self.name, s),
            None => self.name.clone(),
        }
    }
}

/// What a converter says of a row it does not accept: the column and the reason.
pub type RowError = (&'static str, String);

/// Tallies and rejections for one table being read.
pub(crate) struct Tally {
    pub report: InputReport,
    pub rejections: Vec<Rejection>,
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
}

impl Tally {
    pub fn new(kind: &str, input: &InputRef, sheet: Option<String>) -> Tally {
        Tally {
            report: InputReport {
                kind: kind.to_string(),
                file: input.name.clone(),
                sheet: sheet.clone(),
                header_row: 0,
                read: 0,
                accepted: 0,
                rejected: 0,
                blank: 0,
            },
            rejections: Vec::new(),
            file: input.name.as_str().into(),
            sheet: sheet.map(|s| s.as_str().into()),
        }
    }

    pub fn source(&self, row: u32) -> SourceRef {
        SourceRef::new(self.file.clone(), self.sheet.clone(), row)
    }

    pub fn reject(&mut self, row: u32, column: &str, reason: String) {
        self.report.rejected += 1;
        self.rejections.push(Rejection { source: self.source(row), column: column.to_string(), reason });
    }

    /// Feeds one data row to the converter and counts the outcome.
    pub fn row<F>(&mut self, row: u32, cells: &[Cell<'_>], on_row: &mut F)
    where
        F: FnMut(&SourceRef, &[Cell<'_>]) -> Result<(), RowError>,
    {
        self.report.read += 1;
        if cells.iter().all(Cell::is_blank) {
            // Blank rows are counted apart from read rows.
            self.report.read -= 1;
            self.report.blank += 1;
            return;
        }
        let src = self.source(row);
        match on_row(&src, cells) {
            Ok(()) => self.report.accepted += 1,
            Err((col, reason)) => self.reject(row, col, reason),
        }
    }

    pub fn finish(self) -> (InputReport, Vec<Rejection>) {
        (self.report, self.rejections)
    }
}

/// Where each spec column sits in the file's rows.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMap {
    pub positions: Vec<Option<usize>>,
}

/// Looks for the header among candidate rows: the first row holding every required column.
/// Returns the index into `rows` and the column map, or the error naming what is missing.
pub(crate) fn find_header(spec: &TableSpec, label: &str, rows: &[(u32, Vec<String>)]) -> Result<(usize, ColumnMap), ParseError> {
    let mut best: Option<(usize, usize)> = None; // (matches, index)
    for (i, (row, fields)) in rows.iter().enumerate() {
        let names: Vec<String> = fields.iter().map(|f| normalize_word(f)).collect();
        let found = spec.required.iter().filter(|r| names.contains(&normalize_word(r))).count();
        if found == spec.required.len() {
            let mut positions = Vec::with_capacity(spec.width());
            for col in spec.columns() {
                let want = normalize_word(col);
                let hits: Vec<usize> = names.iter().enumerate().filter(|(_, n)| **n == want).map(|(i, _)| i).collect();
                if hits.len() > 1 {
                    return Err(ParseError::DuplicateColumn { file: label.to_string(), row: *row, column: col.to_string() });
                }
                positions.push(hits.first().copied());
            }
            return Ok((i, ColumnMap { positions }));
        }
        if best.is_none_or(|(m, _)| found > m) {
            best = Some((found, i));
        }
    }
    match best {
        None => {
            Err(ParseError::Empty { file: label.to_string(), kind: spec.kind.to_string(), required: spec.required.join(", ") })
        }
        Some((_, i)) => {
            let (row, fields) = &rows[i];
            let names: Vec<String> = fields.iter().map(|f| normalize_word(f)).collect();
            let missing: Vec<&str> = spec.required.iter().filter(|r| !names.contains(&normalize_word(r))).copied().collect();
            let shown: Vec<&str> = fields.iter().map(|f| f.trim()).filter(|f| !f.is_empty()).collect();
            Err(ParseError::MissingColumns {
                file: label.to_string(),
                kind: spec.kind.to_string(),
                missing: missing.join(", "),
                row: *row,
                found: if shown.is_empty() { "nothing".into() } else { shown.join(", ") },
            })
        }
    }
}

/// How many leading non-blank rows are searched for the header.
pub(crate) const HEADER_SEARCH_ROWS: usize = 20;

/// Reads a table, calling `on_row` with the source of each data row and its cells in spec order.
pub fn read_table<F>(input: &InputRef, spec: &TableSpec, mut on_row: F) -> Result<(InputReport, Vec<Rejection>), ParseError>
where
    F: FnMut(&SourceRef, &[Cell<'_>]) -> Result<(), RowError>,
{
    match input.format {
        Format::Csv => crate::csv::read_csv(input, spec, &mut on_row),
        Format::Xlsx => crate::xlsx::read_xlsx(input, spec, &mut on_row),
    }
}
