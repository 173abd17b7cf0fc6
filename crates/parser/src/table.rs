//! Reading any canonical table from CSV or XLSX: find the header, map columns by name, hand
//! each data row to a converter, and count read / accepted / rejected / blank rows.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use billrecon_model::{normalize_word, InputReport, Rejection, SourceRef};

use crate::error::ParseError;
use crate::value::Cell;

/// The columns a canonical table has. Rows are handed to converters with cells in this order:
/// required columns first, then optional ones (an absent optional column reads as empty).
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// What the table is, in messages: `invoice charges`.
    pub kind: &'static str,
    /// Its name in a manifest and as a profile section: `charges`.
    pub section: &'static str,
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
    pub(crate) fn as_columns(&self) -> Columns<'static> {
        Columns { kind: self.kind, required: self.required.to_vec(), optional: self.optional.to_vec() }
    }
}

/// The columns a reader looks for by header name: a canonical table's, or those a profile names.
#[derive(Debug, Clone)]
pub(crate) struct Columns<'a> {
    pub kind: &'a str,
    pub required: Vec<&'a str>,
    pub optional: Vec<&'a str>,
}

impl<'a> Columns<'a> {
    pub fn columns(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.required.iter().chain(self.optional.iter()).copied()
    }
    pub fn width(&self) -> usize {
        self.required.len() + self.optional.len()
    }
}

/// How a file is laid out, beyond its columns: canonical files use the defaults; a carrier
/// profile sets the rest.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub delimiter: u8,
    pub quote: Option<u8>,
    pub encoding: Encoding,
    /// Physical rows skipped before the header search starts.
    pub skip_rows: u32,
    /// A row whose first non-empty cell matches is a footer (a total), not data.
    pub footer: Option<regex::Regex>,
    /// XLSX sheet when the manifest names none.
    pub sheet: Option<String>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout { delimiter: b',', quote: Some(b'"'), encoding: Encoding::Utf8, skip_rows: 0, footer: None, sheet: None }
    }
}

/// Text encodings of delimited files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

/// Whether a row handed to a reader's callback is data or a footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    Data,
    Footer,
}

/// What became of a row a reader handed over that was not rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Taken {
    Accepted,
    /// Not a record of the table (a payment on a charges file), for the reason given.
    Skipped(String),
}

/// Why a footer row that passed its check is not data.
pub(crate) const FOOTER_SKIPPED: &str = "a footer total, checked against the rows above it";

/// An input file (and sheet) as the manifest names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRef {
    /// The path as written in the manifest (`ARCHIVE.zip#MEMBER` for a file inside a zip, with
    /// the member's full name once resolved): used in every message and output.
    pub name: String,
    /// The path on disk (the archive, for a file inside a zip).
    pub path: PathBuf,
    /// The file inside the zip archive at `path`, if the input is one.
    pub member: Option<String>,
    /// XLSX sheet; `None` = the first sheet (or a CSV file).
    pub sheet: Option<String>,
    pub format: Format,
    /// The carrier profile that maps this file onto its canonical table; `None` = canonical.
    pub profile: Option<crate::profile::ProfileRef>,
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
pub type RowError = (Cow<'static, str>, String);

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
            report: InputReport::new(kind, &input.name, sheet.clone(), input.profile.as_ref().map(|p| p.name.clone())),
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

    /// A row read and rejected as a whole (ragged, a quote never closed).
    pub fn reject_row(&mut self, row: u32, reason: String) {
        self.report.read += 1;
        self.reject(row, crate::csv::WHOLE_ROW, reason);
    }

    /// A blank row (no value in any column the table reads).
    pub fn blank(&mut self, rows: u64) {
        self.report.read += rows;
        self.report.blank += rows;
    }

    /// Feeds one data row to the converter and counts the outcome.
    pub fn row<F>(&mut self, row: u32, cells: &[Cell<'_>], on_row: &mut F)
    where
        F: FnMut(&SourceRef, &[Cell<'_>], RowKind) -> Result<Taken, RowError>,
    {
        if cells.iter().all(Cell::is_blank) {
            self.blank(1);
            return;
        }
        self.report.read += 1;
        let src = self.source(row);
        match on_row(&src, cells, RowKind::Data) {
            Ok(Taken::Accepted) => self.report.accepted += 1,
            Ok(Taken::Skipped(reason)) => self.report.skip(row, &reason),
            Err((col, reason)) => self.reject(row, &col, reason),
        }
    }

    /// A footer row: skipped when its total checks out, rejected when it does not match the
    /// rows above it.
    pub fn footer<F>(&mut self, row: u32, cells: &[Cell<'_>], on_row: &mut F)
    where
        F: FnMut(&SourceRef, &[Cell<'_>], RowKind) -> Result<Taken, RowError>,
    {
        self.report.read += 1;
        let src = self.source(row);
        match on_row(&src, cells, RowKind::Footer) {
            Ok(_) => self.report.skip(row, FOOTER_SKIPPED),
            Err((col, reason)) => self.reject(row, &col, reason),
        }
    }

    /// The report and rejections; the counts are checked to add up (a reader that lost a row
    /// is a bug, reported as an error rather than a wrong count).
    pub fn finish(self) -> Result<(InputReport, Vec<Rejection>), ParseError> {
        if !self.report.balanced() {
            let r = &self.report;
            return Err(ParseError::Invalid {
                file: r.file.clone(),
                reason: format!(
                    "internal error: {} rows read but {} accepted + {} rejected + {} skipped + {} blank",
                    r.read, r.accepted, r.rejected, r.skipped, r.blank
                ),
            });
        }
        Ok((self.report, self.rejections))
    }
}

/// Where each spec column sits in the file's rows.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMap {
    pub positions: Vec<Option<usize>>,
}

/// Looks for the header among candidate rows: the first row holding every required column.
/// Returns the index into `rows` and the column map, or the error naming what is missing.
pub(crate) fn find_header(
    spec: &Columns<'_>,
    label: &str,
    rows: &[(u32, Vec<String>)],
) -> Result<(usize, ColumnMap), ParseError> {
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
/// An input with a carrier profile is read through the profile, which hands over the same
/// canonical cells.
pub fn read_table<F>(input: &InputRef, spec: &TableSpec, mut on_row: F) -> Result<(InputReport, Vec<Rejection>), ParseError>
where
    F: FnMut(&SourceRef, &[Cell<'_>]) -> Result<(), RowError>,
{
    if let Some(profile) = &input.profile {
        return crate::profile::read(input, profile, spec, &mut on_row);
    }
    let mut raw = |src: &SourceRef, cells: &[Cell<'_>], _: RowKind| on_row(src, cells).map(|()| Taken::Accepted);
    read_raw(input, &spec.as_columns(), &Layout::default(), &mut raw)
}

/// Reads any file's rows: the columns looked for by header name, the layout of the file.
pub(crate) fn read_raw<F>(
    input: &InputRef,
    columns: &Columns<'_>,
    layout: &Layout,
    on_row: &mut F,
) -> Result<(InputReport, Vec<Rejection>), ParseError>
where
    F: FnMut(&SourceRef, &[Cell<'_>], RowKind) -> Result<Taken, RowError>,
{
    match input.format {
        Format::Csv => crate::csv::read_csv(input, columns, layout, &mut crate::csv::Serial(on_row)),
        Format::Xlsx => crate::xlsx::read_xlsx(input, columns, layout, on_row),
    }
}
