//! Splitting: a block into chunks for the cores, and a parsed record into the cells of the
//! columns asked for.

use std::ops::Range;

use crate::header::is_footer;
use crate::source::rows::{Line, Run};
use crate::table::{ColumnMap, Layout};
use crate::value::Cell;

use super::scan::{Parsed, Rec};

/// Cuts `bytes` into pieces of about `target` bytes, each ending just after a line break (the
/// last runs to the end). A cut may fall inside a quoted field that holds a line break: the
/// parse of that piece then ends open, and the next is parsed again from where the record
/// started (see `read_runs`).
pub(crate) fn chunks(bytes: &[u8], target: usize) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(bytes.len() / target.max(1) + 1);
    let mut start = 0;
    while start < bytes.len() {
        let want = start + target;
        let end = if want >= bytes.len() {
            bytes.len()
        } else {
            memchr::memchr(b'\n', &bytes[want..]).map_or(bytes.len(), |k| want + k + 1)
        };
        out.push(start..end);
        start = end;
    }
    out
}

/// Why a row with `fields` fields is rejected under a header of `width`.
pub(crate) fn ragged(fields: usize, width: usize) -> String {
    format!("has {fields} fields where the header has {width}")
}

/// A parsed chunk's rows as the columns of a table.
pub(crate) struct CsvRun<'p> {
    parsed: &'p Parsed,
    /// For each column, its field in a record (if the file has it).
    positions: &'p [Option<usize>],
    width: usize,
    needed: usize,
    layout: &'p Layout,
    /// Rows read with trailing fields missing (see [`ColumnMap::needed`]); atomic only because a
    /// run must be `Sync` (one thread reads a run's rows).
    short: std::sync::atomic::AtomicU64,
}

impl<'p> CsvRun<'p> {
    pub fn new(parsed: &'p Parsed, map: &'p ColumnMap, layout: &'p Layout) -> CsvRun<'p> {
        CsvRun { parsed, positions: &map.positions, width: map.width, needed: map.needed, layout, short: Default::default() }
    }

    /// How many of the rows handed out so far lacked trailing fields and were read as if
    /// they were empty.
    pub fn short(&self) -> u64 {
        self.short.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The cells of a record's fields, in column order (a field a short row lacks is empty).
    fn fill<'s>(&self, fields: &Range<u32>, cells: &mut [Cell<'s>])
    where
        'p: 's,
    {
        for (cell, pos) in cells.iter_mut().zip(self.positions) {
            *cell = match pos {
                Some(p) if *p < fields.len() => Cell::Text(self.parsed.field_of(fields, *p)),
                _ => Cell::Empty,
            };
        }
    }
}

impl Run for CsvRun<'_> {
    fn len(&self) -> usize {
        self.parsed.recs.len()
    }

    fn rows<'s, F: FnMut(Line<'_, 's>)>(&'s self, mut f: F) {
        let mut cells: Vec<Cell<'s>> = vec![Cell::Empty; self.positions.len()];
        for rec in &self.parsed.recs {
            let (line, fields, unterminated) = match rec {
                Rec::Empty { .. } => {
                    f(Line::Blank { count: 1 });
                    continue;
                }
                Rec::Fields { line, fields, unterminated } => (row_number(*line), fields, *unterminated),
            };
            let mut values = self.parsed.fields(fields);
            // Most rows start with a value: one field looked at.
            if values.all(|v| Cell::Text(v).is_blank()) {
                f(Line::Blank { count: 1 });
                continue;
            }
            if self.layout.footer.is_some() && is_footer(self.layout, self.parsed.fields(fields)) {
                // A total row may be shorter than the header.
                self.fill(fields, &mut cells);
                f(Line::Footer { row: line, cells: &cells });
                continue;
            }
            if unterminated {
                f(Line::Broken { row: line, reason: "a quoted field is never closed (a `\"` is missing)".into() });
                continue;
            }
            let n = fields.len();
            if n != self.width {
                // Short only by fields the table need not have: as if they were empty.
                if n < self.width && n >= self.needed {
                    self.short.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                } else {
                    f(Line::Broken { row: line, reason: ragged(n, self.width) });
                    continue;
                }
            }
            self.fill(fields, &mut cells);
            f(Line::Data { row: line, cells: &cells });
        }
    }
}

/// A line number as a row number (files of more than four billion lines are not tables).
pub(crate) fn row_number(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_end_after_line_breaks_and_cover_everything() {
        let b = b"aaaa\nbb\ncccccc\nd";
        let c = chunks(b, 3);
        assert_eq!(c, vec![0..5, 5..15, 15..16]);
        assert_eq!(chunks(b"", 3), Vec::<Range<usize>>::new());
    }
}
