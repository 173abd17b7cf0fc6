//! What every row source shares: where a file is, and how rows are handed over.

use std::path::PathBuf;

use crate::table::Tally;
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
pub enum Line<'c, 's> {
    /// A data row: its number and its cells, in the order of the columns asked for.
    Data { row: u32, cells: &'c [Cell<'s>] },
    /// A row the layout's footer pattern recognizes (a carrier's total).
    Footer { row: u32, cells: &'c [Cell<'s>] },
    /// `count` blank rows.
    Blank { count: u64 },
    /// A row that cannot be a record at all (ragged, a quote never closed).
    Broken { row: u32, reason: String },
    /// A row a carrier profile rejected while mapping it, under the carrier's column.
    Rejected { row: u32, column: String, reason: String },
    /// A row a carrier profile's skip rule set aside, for the reason given.
    Skipped { row: u32, reason: String },
}

/// A data or footer row: what a sink reads itself once [`Line::counted`] has counted the rest.
#[derive(Debug)]
pub enum Kept<'c, 's> {
    Data { row: u32, cells: &'c [Cell<'s>] },
    Footer { row: u32, cells: &'c [Cell<'s>] },
}

impl<'c, 's> Line<'c, 's> {
    /// Counts in `tally` a line every sink counts the same way (blank, broken, rejected or
    /// skipped by the source), or hands a data or footer row back to be read.
    pub fn counted(self, tally: &mut Tally) -> Option<Kept<'c, 's>> {
        match self {
            Line::Data { row, cells } => return Some(Kept::Data { row, cells }),
            Line::Footer { row, cells } => return Some(Kept::Footer { row, cells }),
            Line::Blank { count } => tally.blank(count),
            Line::Broken { row, reason } => tally.reject_row(row, reason),
            Line::Rejected { row, column, reason } => tally.outcome(row, Err((column.into(), reason))),
            Line::Skipped { row, reason } => tally.outcome(row, Ok(crate::table::Taken::Skipped(reason))),
        }
        None
    }
}

/// A run of a table's rows in file order; its cells borrow from the run itself, so a consumer
/// may keep a row's text while it goes through the rest of the run.
pub trait Run: Sync {
    fn rows<'s, F: FnMut(Line<'_, 's>)>(&'s self, f: F);
    /// How many rows the run holds (blank ones included).
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The workbook sheet the rows are from, if any.
    fn sheet(&self) -> Option<std::sync::Arc<str>> {
        None
    }
    /// The column a rejection of canonical column `canonical` names: the carrier's own column
    /// when the rows were mapped through a profile.
    fn label<'c>(&self, canonical: &'c str) -> std::borrow::Cow<'c, str> {
        canonical.into()
    }
}

/// Takes rows one at a time, in file order.
pub trait RowSink {
    fn row(&mut self, tally: &mut Tally, line: Line<'_, '_>);
}

/// Converts runs of rows on any core, and takes what each run made back in file order. `run`
/// must depend on the run alone: a CSV run read from the wrong place is converted again.
pub trait RunSink: Sync {
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
