//! Row sources: where a table's rows come from, CSV or XLSX, a file on disk or inside a zip.
//!
//! A source finds the header (the one search in [`crate::header`]), then hands its rows over in
//! file order as [`Line`]s, cells in the order of the columns asked for. Both sources serve two
//! kinds of consumer through the same entry points:
//! - a [`RowSink`] takes rows one at a time (small tables, carrier profiles);
//! - a [`RunSink`] converts whole [`Run`]s of rows on any core and takes their results back in
//!   file order (the usage report: twenty million rows).
//!
//! Memory is bounded by runs, never by files: CSV is read in blocks and parsed in chunks, XLSX
//! rows are gathered a run at a time from calamine's streaming cell reader.

pub mod archive;
pub(crate) mod csv;
pub(crate) mod xlsx;

use std::path::PathBuf;

use billrecon_model::{InputReport, Rejection};

use crate::error::ParseError;
use crate::table::{Columns, Layout, Tally};
use crate::value::Cell;

/// A file (and sheet) as the manifest names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl FileRef {
    /// `name` or `name:sheet` for messages.
    pub fn label(&self, sheet: Option<&str>) -> String {
        match sheet.or(self.sheet.as_deref()) {
            Some(s) => format!("{}:{}", self.name, s),
            None => self.name.clone(),
        }
    }
}

/// One row of a table as a source hands it over.
#[derive(Debug)]
pub(crate) enum Line<'c, 's> {
    /// A data row: its number and its cells, in the order of the columns asked for.
    Data { row: u32, cells: &'c [Cell<'s>] },
    /// A row the layout's footer pattern recognizes (a carrier's total).
    Footer { row: u32, cells: &'c [Cell<'s>] },
    /// `count` blank rows.
    Blank { count: u64 },
    /// A row that cannot be a record at all (ragged, a quote never closed).
    Broken { row: u32, reason: String },
}

/// A run of a table's rows in file order; its cells borrow from the run itself, so a consumer
/// may keep a row's text while it goes through the rest of the run.
pub(crate) trait Run: Sync {
    fn rows<'s, F: FnMut(Line<'_, 's>)>(&'s self, f: F);
    /// How many rows the run holds (blank ones included).
    fn len(&self) -> usize;
    /// The workbook sheet the rows are from, if any.
    fn sheet(&self) -> Option<std::sync::Arc<str>> {
        None
    }
}

/// Takes rows one at a time, in file order.
pub(crate) trait RowSink {
    fn row(&mut self, tally: &mut Tally, line: Line<'_, '_>);
}

/// Converts runs of rows on any core, and takes what each run made back in file order. `run`
/// must depend on the run alone: a CSV run read from the wrong place is converted again.
pub(crate) trait RunSink: Sync {
    type Part: Send;
    fn run<R: Run>(&self, run: &R) -> Self::Part;
    /// Two neighbouring runs' results as one (`first` before `then` in the file).
    fn merge(&self, first: Self::Part, then: Self::Part) -> Self::Part;
    fn absorb(&mut self, tally: &mut Tally, part: Self::Part);
}

/// How a source hands its runs, in file order, to either kind of sink.
pub(crate) trait TakeRuns {
    fn take<R: Run>(&mut self, tally: &mut Tally, run: &R);
}

/// A [`RowSink`] fed run by run.
pub(crate) struct Serial<'a, S>(pub &'a mut S);

impl<S: RowSink> TakeRuns for Serial<'_, S> {
    fn take<R: Run>(&mut self, tally: &mut Tally, run: &R) {
        run.rows(|line| self.0.row(tally, line));
    }
}

/// A [`RunSink`] fed one run at a time on this thread (a source that streams in order).
pub(crate) struct InOrder<'a, S>(pub &'a mut S);

impl<S: RunSink> TakeRuns for InOrder<'_, S> {
    fn take<R: Run>(&mut self, tally: &mut Tally, run: &R) {
        let part = self.0.run(run);
        self.0.absorb(tally, part);
    }
}

/// Reads `file`'s table, `columns` looked for by header name, rows handed to `sink` one at a
/// time. Returns how the file was read, its rows counted and checked to add up.
pub(crate) fn read_rows<S: RowSink>(
    file: &FileRef,
    columns: &Columns<'_>,
    layout: &Layout,
    sink: &mut S,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    match file.format {
        Format::Csv => csv::read_rows(file, columns, layout, sink),
        Format::Xlsx => xlsx::read(file, columns, layout, &mut Serial(sink)),
    }
}

/// Reads `file`'s table with runs of rows converted on every core (CSV) or as they stream
/// (XLSX).
pub(crate) fn read_runs<S: RunSink>(
    file: &FileRef,
    columns: &Columns<'_>,
    layout: &Layout,
    sink: &mut S,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    match file.format {
        Format::Csv => csv::read_runs(file, columns, layout, sink),
        Format::Xlsx => xlsx::read(file, columns, layout, &mut InOrder(sink)),
    }
}
