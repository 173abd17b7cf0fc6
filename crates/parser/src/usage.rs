//! The usage report: twenty million rows on a statewide month, never held whole.
//!
//! A canonical usage file is read in runs (CSV chunks, XLSX runs of rows); each run is
//! converted and folded with the caller's [`UsageSink`] on whichever core read it, and the runs'
//! parts are absorbed in file order, so the outcome is that of one pass over the rows. A usage
//! report read through a carrier profile comes row by row and is folded in runs of
//! [`USAGE_RUN_ROWS`].

use std::sync::Arc;

use rust_decimal::Decimal;

use billrecon_model::{InputReport, Rejection, SourceRef, UsageSink, UsageSource, UsageTable, UsageType};

use crate::error::ParseError;
use crate::source::{Line, Run, RunSink};
use crate::table::{is_blank, RowError, Tally, WHOLE_ROW};
use crate::tables::{TableInput, USAGE};
use crate::value::{self, Cell};

/// Rows of a profile's usage report gathered before they are folded.
pub const USAGE_RUN_ROWS: usize = if cfg!(test) { 7 } else { 1 << 13 };

/// Runs `r` through a conversion, reporting its error under `column`.
fn col<T>(column: &'static str, r: Result<T, String>) -> Result<T, RowError> {
    r.map_err(|e| (column.into(), e))
}

/// A usage report, appended to `table`.
pub fn read_usage<I: TableInput>(input: &I, table: &mut UsageTable) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let mut keep = KeepUsage(std::mem::take(table));
    let out = read_usage_with(input, &mut keep);
    *table = keep.0;
    out
}

/// A usage report, folded with `sink` as it is read.
pub fn read_usage_with<I: TableInput, S: UsageSink>(
    input: &I,
    sink: &mut S,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let mut runs = UsageRuns { file: input.name().into(), sink };
    if let Some(read) = input.read_runs(&USAGE, &mut runs) {
        return read;
    }
    let sink = runs.sink;
    let mut rows = ProfileRows { table: UsageTable::default(), sink };
    let out = input.read_table(&USAGE, &mut |src, c| {
        let v = usage_row(c, &mut LastDate::default())?;
        rows.push(&src.file, &src.sheet, src.row, &v);
        Ok(())
    });
    rows.flush();
    out
}

/// Keeps every row: the whole usage table in memory.
#[derive(Debug, Default)]
pub struct KeepUsage(pub UsageTable);

impl KeepUsage {
    fn join(mut first: UsageTable, then: UsageTable) -> UsageTable {
        if first.is_empty() {
            return then;
        }
        first.append(&then);
        first
    }
}

impl UsageSink for KeepUsage {
    type Part = UsageTable;
    fn fold(&self, rows: UsageTable) -> UsageTable {
        rows
    }
    fn merge(&self, first: UsageTable, then: UsageTable) -> UsageTable {
        KeepUsage::join(first, then)
    }
    fn absorb(&mut self, part: UsageTable) {
        self.0 = KeepUsage::join(std::mem::take(&mut self.0), part);
    }
}

/// Keeps nothing: the rows are read, checked and counted (`billrecon check`, benches); with a
/// period, the rows dated outside it are counted too (a period typed wrong puts them all there).
#[derive(Debug, Default, Clone)]
pub struct CountUsage {
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// Rows counted, and those dated outside the period.
    pub outside: Outside,
}

/// Usage rows dated outside the period: how many of how many, and the first of them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outside {
    pub rows: u64,
    pub outside: u64,
    /// The first such row in file order: where it is, and its date.
    pub first: Option<(SourceRef, chrono::NaiveDate)>,
}

impl Outside {
    fn then(mut self, b: Outside) -> Outside {
        self.rows += b.rows;
        self.outside += b.outside;
        self.first = self.first.or(b.first);
        self
    }
}

impl CountUsage {
    /// Counts the rows dated outside `period` as well.
    pub fn within(period: &billrecon_model::Period) -> CountUsage {
        CountUsage { period: Some((period.start, period.end)), outside: Outside::default() }
    }
}

impl UsageSink for CountUsage {
    type Part = Outside;
    fn fold(&self, rows: UsageTable) -> Outside {
        let mut o = Outside { rows: rows.len() as u64, ..Outside::default() };
        let Some((start, end)) = self.period else { return o };
        for (i, d) in rows.date.iter().enumerate() {
            if *d < start || *d > end {
                o.outside += 1;
                if o.first.is_none() {
                    o.first = Some((rows.source_ref(i), *d));
                }
            }
        }
        o
    }
    fn merge(&self, a: Outside, b: Outside) -> Outside {
        a.then(b)
    }
    fn absorb(&mut self, part: Outside) {
        self.outside = std::mem::take(&mut self.outside).then(part);
    }
}

/// One usage row, converted (text borrowed from the row).
struct UsageRow<'a> {
    /// The service line's ten digits.
    line: u64,
    date: chrono::NaiveDate,
    time: Option<billrecon_model::TimeOfDay>,
    number: Dialled<'a>,
    kind: UsageType,
    quantity: Decimal,
    charge: Decimal,
    description: std::borrow::Cow<'a, str>,
}

/// The other party's number: the cell itself when it is already ten plain digits (what
/// normalizing would give), else the parsed number.
enum Dialled<'a> {
    Plain(&'a str),
    /// A formatted NANP number's ten digits (`(860) 555-0101`).
    Ten([u8; 10]),
    Parsed(Option<billrecon_model::PhoneNumber>),
}

impl Dialled<'_> {
    fn as_str(&self) -> &str {
        match self {
            Dialled::Plain(s) => s,
            Dialled::Ten(d) => std::str::from_utf8(d).unwrap_or(""),
            Dialled::Parsed(p) => p.as_ref().map_or("", |p| p.as_str()),
        }
    }
}

/// The last date text read and its date: a usage report lists a line's calls in date order,
/// so most rows repeat the row before's date.
#[derive(Default)]
struct LastDate<'a>(Option<(&'a str, chrono::NaiveDate)>);

impl<'a> LastDate<'a> {
    fn date(&mut self, c: Cell<'a>) -> Result<chrono::NaiveDate, String> {
        if let (Cell::Text(t), Some((last, d))) = (c, self.0) {
            if t == last {
                return Ok(d);
            }
        }
        let d = value::date(c)?;
        if let Cell::Text(t) = c {
            self.0 = Some((t, d));
        }
        Ok(d)
    }
}

/// A NANP number's ten digits as text.
fn ten_digits(mut n: u64) -> [u8; 10] {
    let mut d = [0u8; 10];
    for c in d.iter_mut().rev() {
        *c = b'0' + (n % 10) as u8;
        n /= 10;
    }
    d
}

fn usage_row<'a>(c: &[Cell<'a>], last: &mut LastDate<'a>) -> Result<UsageRow<'a>, RowError> {
    // Ten plain digits, by far the usual spelling of both numbers, skip the general parse.
    let text = |c: Cell<'a>| match c {
        Cell::Text(t) => Some(t),
        _ => None,
    };
    use billrecon_model::PhoneNumber;
    Ok(UsageRow {
        line: match text(c[0]).and_then(|t| PhoneNumber::plain_nanp_u64(t).or_else(|| PhoneNumber::nanp_u64_of(t))) {
            Some(n) => n,
            None => col("line", value::line(c[0]))?.nanp_u64().unwrap_or(0),
        },
        date: col("date", last.date(c[1]))?,
        kind: col(
            "type",
            match c[2] {
                Cell::Text(t) => t.parse(),
                other => other.display().parse(),
            },
        )?,
        quantity: col("quantity", value::non_negative_quantity(c[3]))?,
        time: col("time", value::optional_time(c[4]))?,
        number: match text(c[5]) {
            Some(t) if PhoneNumber::plain_nanp_u64(t).is_some() => Dialled::Plain(t),
            Some(t) => match PhoneNumber::nanp_u64_of(t) {
                Some(n) => Dialled::Ten(ten_digits(n)),
                None => Dialled::Parsed(col("number", value::optional_phone(c[5]))?),
            },
            None => Dialled::Parsed(col("number", value::optional_phone(c[5]))?),
        },
        charge: col("charge", value::money_or_zero(c[6]))?,
        description: col("description", value::text_ref(c[7]))?,
    })
}

/// Converts and folds a canonical report's runs on any core.
struct UsageRuns<'s, S: UsageSink> {
    file: Arc<str>,
    sink: &'s mut S,
}

/// What one run made: its fold, its counts and its rejections.
struct RunPart<P> {
    part: P,
    read: u64,
    blank: u64,
    footers: Vec<u32>,
    rejected: Vec<(u32, RowError)>,
    skipped: Vec<(u32, String)>,
}

impl<S: UsageSink> RunSink for UsageRuns<'_, S> {
    type Part = RunPart<S::Part>;

    fn run<R: Run>(&self, run: &R) -> RunPart<S::Part> {
        let mut table = UsageTable::default();
        table.source_index(&UsageSource { file: self.file.clone(), sheet: run.sheet() });
        // Ten-digit numbers and short descriptions are the rule; more just grows.
        table.reserve(run.len(), run.len() * 10);
        let (mut read, mut blank, mut footers, mut rejected, mut skipped) = (0, 0, Vec::new(), Vec::new(), Vec::new());
        let mut last = LastDate::default();
        run.rows(|line| match line {
            Line::Data { cells, .. } if is_blank(cells) => blank += 1,
            Line::Data { row, cells } => {
                read += 1;
                match usage_row(cells, &mut last) {
                    Ok(v) => push_row(&mut table, row, &v),
                    Err((column, reason)) => rejected.push((row, (run.label(&column).into_owned().into(), reason))),
                }
            }
            Line::Blank { count, .. } => blank += count,
            Line::Broken { row, reason } => {
                read += 1;
                rejected.push((row, (WHOLE_ROW.into(), reason)));
            }
            Line::Rejected { row, column, reason } => {
                read += 1;
                rejected.push((row, (column.into(), reason)));
            }
            Line::Skipped { row, reason } => skipped.push((row, reason)),
            // A canonical layout has no footer pattern.
            Line::Footer { row, .. } => footers.push(row),
        });
        RunPart { part: self.sink.fold(table), read, blank, footers, rejected, skipped }
    }

    fn merge(&self, mut a: RunPart<S::Part>, b: RunPart<S::Part>) -> RunPart<S::Part> {
        a.footers.extend(b.footers);
        a.rejected.extend(b.rejected);
        a.skipped.extend(b.skipped);
        RunPart {
            part: self.sink.merge(a.part, b.part),
            read: a.read + b.read,
            blank: a.blank + b.blank,
            footers: a.footers,
            rejected: a.rejected,
            skipped: a.skipped,
        }
    }

    fn absorb(&mut self, tally: &mut Tally, r: RunPart<S::Part>) {
        tally.report.read += r.read;
        tally.report.accepted += r.read - r.rejected.len() as u64;
        tally.blank(r.blank);
        for row in r.footers {
            tally.footer(row, Ok(crate::table::Taken::Accepted));
        }
        for (row, (column, reason)) in r.rejected {
            tally.reject(row, &column, reason);
        }
        for (row, reason) in r.skipped {
            tally.outcome(row, Ok(crate::table::Taken::Skipped(reason)));
        }
        self.sink.absorb(r.part);
    }
}

/// Gathers a profile's converted rows into runs for the sink.
struct ProfileRows<'s, S: UsageSink> {
    table: UsageTable,
    sink: &'s mut S,
}

impl<S: UsageSink> ProfileRows<'_, S> {
    fn push(&mut self, file: &Arc<str>, sheet: &Option<Arc<str>>, row: u32, v: &UsageRow<'_>) {
        if self.table.is_empty() {
            self.table.source_index(&UsageSource { file: file.clone(), sheet: sheet.clone() });
        }
        push_row(&mut self.table, row, v);
        if self.table.len() >= USAGE_RUN_ROWS {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.table.is_empty() {
            let part = self.sink.fold(std::mem::take(&mut self.table));
            self.sink.absorb(part);
        }
    }
}

/// Appends a converted row to a table whose only source is the file being read.
fn push_row(table: &mut UsageTable, row: u32, v: &UsageRow<'_>) {
    table.push_nanp(0, row, v.line, v.date, v.time, v.number.as_str(), v.kind, v.quantity, v.charge, &v.description);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileRef;

    /// A usage CSV of `n` rows: row `i` (file line `i + 2`) is blank when `i % 150 == 0`, has a
    /// bad date when `i % 97 == 5`, too few fields when `i % 211 == 9`, short of its optional
    /// charge and description (read) when `i % 113 == 7`, and a quoted description (polars'
    /// path) when `i % 7 == 3`.
    fn usage_csv(n: usize) -> String {
        let mut s = String::from("line,date,time,number,type,quantity,charge,description\n");
        for i in 0..n {
            if i % 150 == 0 {
                s.push('\n');
            } else if i % 97 == 5 {
                s.push_str("8605550101,2026-13-01,,411,voice,1,1.99,\n");
            } else if i % 211 == 9 {
                // Ends before the type and quantity it requires: rejected.
                s.push_str("8605550101,2026-10-01,,411\n");
            } else if i % 113 == 7 {
                // Ends before the optional charge and description: read with them empty.
                s.push_str(&format!("86055501{:02},2026-10-{:02},,2035550147,voice,{}\n", i % 100, i % 28 + 1, i % 90));
            } else {
                let desc = if i % 7 == 3 { format!("\"call, {i}\"") } else { format!("call {i}") };
                s.push_str(&format!(
                    "86055501{:02},2026-10-{:02},,2035550147,voice,{},0.{:02},{desc}\n",
                    i % 100,
                    i % 28 + 1,
                    i % 90,
                    i % 100
                ));
            }
        }
        s
    }

    fn usage_input(dir: &tempfile::TempDir, bytes: &[u8]) -> crate::source::FileRef {
        let path = dir.path().join("usage.csv");
        std::fs::write(&path, bytes).unwrap();
        FileRef { name: "usage.csv".into(), path, member: None, sheet: None, format: crate::source::Format::Csv }
    }

    /// Blocks are 1 KiB under test: the bad byte sits blocks after the first, and its line is
    /// still counted from the top of the file, and the read stops with that error.
    #[test]
    fn a_bad_byte_far_into_the_file_names_its_line() {
        let mut bytes = usage_csv(400).into_bytes();
        let at = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(299).map(|(i, _)| i + 1).unwrap();
        bytes.insert(at + 3, 0xE9); // into line 301 (the header is line 1)
        let dir = tempfile::tempdir().unwrap();
        let err = read_usage(&usage_input(&dir, &bytes), &mut UsageTable::default()).unwrap_err();
        assert_eq!(err.to_string(), "usage.csv: line 301 is not UTF-8 text; save the file as \"CSV UTF-8\"");
    }

    #[test]
    fn rows_split_across_blocks_and_runs_keep_file_order_counts_and_rejections() {
        let n = 3_000;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.csv");
        std::fs::write(&path, usage_csv(n)).unwrap();
        let input = FileRef { name: "usage.csv".into(), path, member: None, sheet: None, format: crate::source::Format::Csv };
        let mut table = UsageTable::default();
        let (report, rejections) = read_usage(&input, &mut table).unwrap();
        let blank: Vec<usize> = (0..n).filter(|i| i % 150 == 0).collect();
        let bad: Vec<usize> = (0..n).filter(|i| i % 150 != 0 && (i % 97 == 5 || i % 211 == 9)).collect();
        let good: Vec<usize> = (0..n).filter(|i| i % 150 != 0 && i % 97 != 5 && i % 211 != 9).collect();
        let short = good.iter().filter(|i| *i % 113 == 7).count() as u64;
        assert_eq!(
            (report.read, report.accepted, report.rejected, report.blank, report.short),
            (n as u64, good.len() as u64, bad.len() as u64, blank.len() as u64, short)
        );
        assert!(short > 20);
        let rows: Vec<u32> = rejections.iter().map(|r| r.source.row).collect();
        assert_eq!(rows, bad.iter().map(|i| *i as u32 + 2).collect::<Vec<_>>());
        assert_eq!(
            rejections[0].to_string(),
            "usage.csv:7: date: `2026-13-01` is not a date (expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024)"
        );
        assert_eq!(table.row, good.iter().map(|i| *i as u32 + 2).collect::<Vec<_>>());
        for (k, &i) in good.iter().enumerate() {
            let r = table.get(k);
            let desc = match i {
                _ if i % 113 == 7 => String::new(),
                _ if i % 7 == 3 => format!("call, {i}"),
                _ => format!("call {i}"),
            };
            assert_eq!(
                (r.line.to_string(), r.quantity, r.description),
                (format!("86055501{:02}", i % 100), Decimal::from(i % 90), desc.as_str())
            );
        }
    }
}
