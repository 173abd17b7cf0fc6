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
mod rows;
pub(crate) mod xlsx;

use billrecon_model::{InputReport, Rejection};

use crate::error::ParseError;
use crate::table::{Columns, Layout};

pub use rows::{FileRef, Format, Kept, Line, RowSink, Run, RunSink};
pub(crate) use rows::{InOrder, Serial};

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
