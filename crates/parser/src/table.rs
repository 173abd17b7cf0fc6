//! The types every table reader shares: what a table's columns are, how a file is laid out,
//! what becomes of a row, and the tally of read / accepted / rejected / skipped / blank rows.
//! Nothing here reads a file.

use std::borrow::Cow;
use std::sync::Arc;

use billrecon_model::{InputReport, Rejection, SourceRef};

use crate::error::ParseError;
use crate::value::Cell;

/// The column a whole-row problem is reported under.
pub const WHOLE_ROW: &str = "(row)";

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

/// Where each column looked for sits in the file's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnMap {
    /// For each column looked for, its field in a row (`None`: the file lacks it).
    pub positions: Vec<Option<usize>>,
    /// The header's number of fields: a CSV row with another number is ragged.
    pub width: usize,
    /// The fields a row needs to hold every required column (one past the last one's field): a
    /// CSV row shorter than `width` but at least this long lacks only fields the table can read
    /// as empty.
    pub needed: usize,
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

/// The most characters of a rejection's column or reason kept: enough to show the value, not a
/// whole corrupt file.
pub const MESSAGE_MAX: usize = 500;

/// `s`, cut to [`MESSAGE_MAX`] characters with a marker saying how long it was.
fn cap(s: &str) -> String {
    let n = s.chars().count();
    if n <= MESSAGE_MAX {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MESSAGE_MAX).collect();
    out.push_str(&format!("… (cut: {n} characters)"));
    out
}

/// Text encodings of delimited files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

/// What a converter says of a row it does not accept: the column and the reason.
pub type RowError = (Cow<'static, str>, String);

/// What became of a row a reader handed over that was not rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    Accepted,
    /// Not a record of the table (a payment on a charges file), for the reason given.
    Skipped(String),
}

/// Why a footer row that passed its check is not data.
pub(crate) const FOOTER_SKIPPED: &str = "a footer total, checked against the rows above it";

/// Tallies and rejections for one table being read.
pub struct Tally {
    pub report: InputReport,
    pub rejections: Vec<Rejection>,
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
}

impl Tally {
    /// The tally of table `kind` read from `file` (and `sheet`), through `profile` if any.
    pub fn new(kind: &str, file: &str, sheet: Option<String>, profile: Option<String>) -> Tally {
        Tally {
            report: InputReport::new(kind, file, sheet.clone(), profile),
            rejections: Vec::new(),
            file: file.into(),
            sheet: sheet.map(|s| s.as_str().into()),
        }
    }

    pub fn source(&self, row: u32) -> SourceRef {
        SourceRef::new(self.file.clone(), self.sheet.clone(), row)
    }

    /// Records a rejection of a row already counted as read.
    pub fn reject(&mut self, row: u32, column: &str, reason: String) {
        self.report.rejected += 1;
        // A message quoting a corrupt cell (50 MB of it) says what is wrong in its first words.
        let (column, reason) = (cap(column), cap(&reason));
        self.rejections.push(Rejection { source: self.source(row), column, reason });
    }

    /// A row read and rejected as a whole (ragged, a quote never closed).
    pub fn reject_row(&mut self, row: u32, reason: String) {
        self.report.read += 1;
        self.reject(row, WHOLE_ROW, reason);
    }

    /// Blank rows (no value in any column the table reads).
    pub fn blank(&mut self, rows: u64) {
        self.report.read += rows;
        self.report.blank += rows;
    }

    /// Counts one data row by what the converter made of it.
    pub fn outcome(&mut self, row: u32, outcome: Result<Taken, RowError>) {
        self.report.read += 1;
        match outcome {
            Ok(Taken::Accepted) => self.report.accepted += 1,
            Ok(Taken::Skipped(reason)) => self.report.skip(row, &reason),
            Err((col, reason)) => self.reject(row, &col, reason),
        }
    }

    /// Counts a footer row: skipped when its total checks out, rejected when it does not match
    /// the rows above it.
    pub fn footer(&mut self, row: u32, outcome: Result<Taken, RowError>) {
        self.report.read += 1;
        match outcome {
            Ok(_) => self.report.skip(row, FOOTER_SKIPPED),
            Err((col, reason)) => self.reject(row, &col, reason),
        }
    }

    /// The report and rejections (in row order); the counts are checked to add up (a reader
    /// that lost a row is a bug, reported as an error rather than a wrong count).
    pub fn finish(mut self) -> Result<(InputReport, Vec<Rejection>), ParseError> {
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
        self.rejections.sort_by_key(|r| r.source.row);
        Ok((self.report, self.rejections))
    }
}

/// True when no cell of a row holds a value.
pub(crate) fn is_blank(cells: &[Cell<'_>]) -> bool {
    cells.iter().all(Cell::is_blank)
}
