//! The CSV reader on both paths (rows one at a time; chunks on every core), with blocks of
//! 1 KiB and chunks of 48 bytes under test, so records are cut by chunks and blocks everywhere.
//! Property tests hold it to the `csv` crate (fields, row numbers, ragged rows) and to polars
//! (an independent parser) on random quoted records.

use std::sync::Mutex;

use proptest::prelude::*;

use billrecon_model::InputReport;

use super::*;
use crate::source::rows::{Format, Line, Run, RunSink};
use crate::table::{Layout, Tally};

/// What a reader made of a file: data rows, whole-row rejections, blank rows, counts.
#[derive(Debug, Default, PartialEq, Eq, Clone)]
struct Seen {
    rows: Vec<(u32, Vec<String>)>,
    broken: Vec<(u32, String)>,
    blank: u64,
}

impl Seen {
    fn line(&mut self, line: Line<'_, '_>) {
        match line {
            Line::Data { row, cells } | Line::Footer { row, cells } => {
                let text = cells.iter().map(|c| c.display_raw()).collect();
                self.rows.push((row, text));
            }
            Line::Blank { count } => self.blank += count,
            Line::Broken { row, reason } => self.broken.push((row, reason)),
            Line::Rejected { .. } | Line::Skipped { .. } => unreachable!("a CSV source neither maps nor skips"),
        }
    }
}

impl crate::value::Cell<'_> {
    /// The cell's text as read, untrimmed.
    fn display_raw(&self) -> String {
        match self {
            crate::value::Cell::Text(s) => s.to_string(),
            other => other.display(),
        }
    }
}

struct Rows(Seen);

impl RowSink for Rows {
    fn row(&mut self, tally: &mut Tally, line: Line<'_, '_>) {
        // Counted so that the tally's identity holds; what matters is what was seen.
        match &line {
            Line::Data { row, .. } | Line::Footer { row, .. } => tally.outcome(*row, Ok(crate::table::Taken::Accepted)),
            Line::Blank { count } => tally.blank(*count),
            Line::Broken { row, reason } => tally.reject_row(*row, reason.clone()),
            Line::Rejected { .. } | Line::Skipped { .. } => {}
        }
        self.0.line(line);
    }
}

/// Collects runs; each run's rows kept in a part, absorbed in order.
struct Runs(Seen, Mutex<u64>);

impl RunSink for Runs {
    type Part = (Seen, Vec<(u32, Result<crate::table::Taken, crate::table::RowError>)>, u64, Vec<(u32, String)>);
    fn run<R: Run>(&self, run: &R) -> Self::Part {
        *self.1.lock().unwrap() += 1;
        let mut seen = Seen::default();
        let mut outcomes = Vec::new();
        let mut blank = 0;
        let mut broken = Vec::new();
        run.rows(|line| {
            match &line {
                Line::Data { row, .. } | Line::Footer { row, .. } => outcomes.push((*row, Ok(crate::table::Taken::Accepted))),
                Line::Blank { count } => blank += count,
                Line::Broken { row, reason } => broken.push((*row, reason.clone())),
                Line::Rejected { .. } | Line::Skipped { .. } => {}
            }
            seen.line(line);
        });
        (seen, outcomes, blank, broken)
    }
    fn merge(&self, mut a: Self::Part, b: Self::Part) -> Self::Part {
        a.0.rows.extend(b.0.rows);
        a.0.broken.extend(b.0.broken);
        a.0.blank += b.0.blank;
        a.1.extend(b.1);
        a.2 += b.2;
        a.3.extend(b.3);
        a
    }
    fn absorb(&mut self, tally: &mut Tally, (seen, outcomes, blank, broken): Self::Part) {
        for (row, o) in outcomes {
            tally.outcome(row, o);
        }
        tally.blank(blank);
        for (row, reason) in broken {
            tally.reject_row(row, reason);
        }
        self.0.rows.extend(seen.rows);
        self.0.broken.extend(seen.broken);
        self.0.blank += seen.blank;
    }
}

fn file(dir: &tempfile::TempDir, bytes: &[u8]) -> FileRef {
    let path = dir.path().join("t.csv");
    std::fs::write(&path, bytes).unwrap();
    FileRef { name: "t.csv".into(), path, member: None, sheet: None, format: Format::Csv }
}

fn columns(width: usize) -> Columns<'static> {
    let names: Vec<&'static str> = (0..width).map(|i| &*Box::leak(format!("c{i}").into_boxed_str())).collect();
    Columns { kind: "t", required: names, optional: vec![] }
}

/// Reads `bytes` both ways; both must agree; returns what was seen and the report.
fn read_both(bytes: &[u8], width: usize, layout: &Layout) -> Result<(Seen, InputReport), String> {
    let dir = tempfile::tempdir().unwrap();
    let f = file(&dir, bytes);
    let cols = columns(width);
    let mut serial = Rows(Seen::default());
    let a = read_rows(&f, &cols, layout, &mut serial).map_err(|e| e.to_string());
    let mut parallel = Runs(Seen::default(), Mutex::new(0));
    let b = read_runs(&f, &cols, layout, &mut parallel).map_err(|e| e.to_string());
    assert_eq!(a.is_ok(), b.is_ok(), "{a:?} / {b:?}");
    let (ra, _) = a?;
    let (rb, _) = b?;
    assert_eq!(serial.0, parallel.0, "the serial and parallel paths disagree");
    assert_eq!(ra, rb);
    assert!(ra.balanced());
    Ok((serial.0, ra))
}

fn texts(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|s| s.to_string()).collect()
}

#[test]
fn quoted_and_plain_records_in_file_order_across_chunks_and_blocks() {
    let mut s = String::from("c0,c1,c2\n");
    for i in 0..300 {
        if i % 3 == 0 {
            s.push_str(&format!("\"x,{i}\",\"say \"\"hi\"\"\",\"two\nlines {i}\"\n"));
        } else {
            s.push_str(&format!("p{i},q,r\r\n"));
        }
    }
    let (seen, report) = read_both(s.as_bytes(), 3, &Layout::default()).unwrap();
    assert_eq!((report.header_row, report.read, report.blank), (1, 300, 0));
    assert_eq!(seen.rows.len(), 300);
    // Row numbers as a text editor shows them: a record with a line break takes two lines.
    assert_eq!(seen.rows[0], (2, texts(&["x,0", "say \"hi\"", "two\nlines 0"])));
    assert_eq!(seen.rows[1], (4, texts(&["p1", "q", "r"])));
    assert_eq!(seen.rows[299].0, 2 + 100 * 2 + 199);
}

#[test]
fn title_rows_skip_rows_blank_lines_ragged_rows_and_an_open_quote() {
    let file = "Monthly report\n\n\"c0\",\"c1\"\n1,2\n\n   \n,\n1,2,3\n4\n\"5\",\"6\n";
    let (seen, report) = read_both(file.as_bytes(), 2, &Layout::default()).unwrap();
    assert_eq!(report.header_row, 3);
    assert_eq!(seen.rows, vec![(4, texts(&["1", "2"]))]);
    assert_eq!(
        seen.broken,
        vec![
            (8, "has 3 fields where the header has 2".to_string()),
            (9, "has 1 fields where the header has 2".to_string()),
            (10, "a quoted field is never closed (a `\"` is missing)".to_string()),
        ]
    );
    assert_eq!(seen.blank, 3);
    let layout = Layout { skip_rows: 3, ..Layout::default() };
    let e = read_both(file.as_bytes(), 2, &layout).unwrap_err();
    assert_eq!(e, "t.csv: no header row with the t columns c0, c1: none of the first 4 rows names any of them (is it the right file, with its header?)");
}

#[test]
fn tab_and_pipe_layouts_without_quoting() {
    let layout = Layout { delimiter: b'|', quote: None, ..Layout::default() };
    let (seen, _) = read_both(b"c0|c1\n12\" tv|\"x\n", 2, &layout).unwrap();
    assert_eq!(seen.rows, vec![(2, texts(&["12\" tv", "\"x"]))]);
    let layout = Layout { delimiter: b'\t', ..Layout::default() };
    let (seen, _) = read_both(b"c0\tc1\r\na b\t\"c\td\"\r\n", 2, &layout).unwrap();
    assert_eq!(seen.rows, vec![(2, texts(&["a b", "c\td"]))]);
}

#[test]
fn a_bad_byte_blocks_into_the_file_names_its_line() {
    let mut s = String::from("c0,c1\n");
    for i in 0..400 {
        s.push_str(&format!("{i},\"v {i}\"\n"));
    }
    let mut bytes = s.into_bytes();
    let at = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(299).map(|(i, _)| i + 1).unwrap();
    bytes.insert(at + 3, 0xE9);
    let e = read_both(&bytes, 2, &Layout::default()).unwrap_err();
    assert_eq!(e, "t.csv: line 301 is not UTF-8 text; save the file as \"CSV UTF-8\"");
}

#[test]
fn an_empty_file_and_a_header_only_file() {
    assert_eq!(
        read_both(b"", 2, &Layout::default()).unwrap_err(),
        "t.csv: the file is empty; a t table needs a header row with c0, c1"
    );
    let (seen, report) = read_both(b"c0,c1\r\n", 2, &Layout::default()).unwrap();
    assert_eq!((seen.rows.len(), report.read), (0, 0));
}

/// One row of a random file: an empty line, or fields each written plain or quoted.
#[derive(Debug, Clone)]
enum Gen {
    Empty,
    Record(Vec<(String, bool)>),
}

fn field() -> impl Strategy<Value = (String, bool)> {
    ("[a-c ,\"\n\té€]{0,6}", any::<bool>()).prop_map(|(f, quote)| {
        // A field with a special byte must be quoted to be a field at all.
        let needs = f.contains([',', '"', '\n', '\t']) || f.starts_with(' ') || f.ends_with(' ') || f.is_empty();
        (f, quote || needs)
    })
}

/// A field written without quotes: rows of these make the chunks with no quote byte, which are
/// cut at delimiters and line breaks instead of going through csv-core.
fn plain_field() -> impl Strategy<Value = (String, bool)> {
    "[a-c é€]{1,6}".prop_map(|f| (f, false))
}

fn gen_rows(width: usize) -> impl Strategy<Value = Vec<Gen>> {
    proptest::collection::vec(
        prop_oneof![
            1 => Just(Gen::Empty),
            4 => proptest::collection::vec(field(), width..=width).prop_map(Gen::Record),
            4 => proptest::collection::vec(plain_field(), width..=width).prop_map(Gen::Record),
            1 => proptest::collection::vec(field(), 1..width + 2).prop_map(Gen::Record),
        ],
        0..40,
    )
}

fn write(rows: &[Gen], width: usize, sep: char, crlf: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut s: String = (0..width).map(|i| format!("c{i}")).collect::<Vec<_>>().join(&sep.to_string());
    s.push_str(eol);
    for r in rows {
        if let Gen::Record(fields) = r {
            let cells: Vec<String> = fields
                .iter()
                .map(|(f, q)| {
                    let f = f.replace('\t', if sep == '\t' { " " } else { "\t" });
                    if *q {
                        format!("\"{}\"", f.replace('"', "\"\""))
                    } else {
                        f
                    }
                })
                .collect();
            s.push_str(&cells.join(&sep.to_string()));
        }
        s.push_str(eol);
    }
    s
}

/// The line each generated row starts on (the header is line 1), as a text editor counts.
fn lines_of(rows: &[Gen]) -> Vec<u64> {
    let mut line = 2;
    rows.iter()
        .map(|r| {
            let at = line;
            line += 1 + match r {
                Gen::Empty => 0,
                Gen::Record(f) => f.iter().map(|(v, _)| v.matches('\n').count() as u64).sum(),
            };
            at
        })
        .collect()
}

/// What the `csv` crate makes of the same bytes: each record's fields (a CRLF's `\r` trimmed
/// from the last). Its own line numbers count from where it began skipping empty lines, so the
/// lines are taken from the rows written (`lines_of`).
fn oracle(bytes: &[u8], sep: u8) -> Vec<(u64, Vec<String>)> {
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(sep)
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_reader(bytes);
    let mut out = Vec::new();
    let mut rec = ::csv::StringRecord::new();
    loop {
        let line = r.position().line();
        match r.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => panic!("{e}"),
        }
        let mut fields: Vec<String> = rec.iter().map(str::to_string).collect();
        if let Some(last) = fields.last_mut() {
            if let Some(t) = last.strip_suffix('\r') {
                *last = t.to_string();
            }
        }
        out.push((rec.position().map_or(line, |p| p.line()), fields));
    }
    out
}

// Cases: proptest's default (256), or PROPTEST_CASES.
proptest! {
    /// Same fields, same ragged rejections, same row numbers as the `csv` crate; blank rows
    /// counted; the serial and parallel paths identical (`read_both`).
    #[test]
    fn reads_as_the_csv_crate_does(rows in gen_rows(3), sep in prop_oneof![Just(','), Just('\t'), Just('|')], crlf: bool) {
        let text = write(&rows, 3, sep, crlf);
        let layout = Layout { delimiter: sep as u8, ..Layout::default() };
        let (seen, _) = read_both(text.as_bytes(), 3, &layout).unwrap();
        let mut expected = oracle(text.as_bytes(), sep as u8);
        // The csv crate skips an empty LF line; an empty CRLF line is a record of "\r" to it.
        let starts: Vec<u64> = lines_of(&rows)
            .into_iter()
            .zip(&rows)
            .filter(|(_, r)| crlf || matches!(r, Gen::Record(_)))
            .map(|(l, _)| l)
            .collect();
        prop_assert_eq!(starts.len(), expected.len());
        for (e, l) in expected.iter_mut().zip(starts) {
            e.0 = l;
        }
        let blank_records = expected.iter().filter(|(_, f)| f.iter().all(|v| v.trim().is_empty())).count() as u64;
        // An empty line is no record to the csv crate; an empty CRLF line is one, of "\r".
        let empty_lines = if crlf { 0 } else { rows.iter().filter(|r| matches!(r, Gen::Empty)).count() as u64 };
        let data: Vec<(u32, Vec<String>)> = expected
            .iter()
            .filter(|(_, f)| !f.iter().all(|v| v.trim().is_empty()) && f.len() == 3)
            .map(|(l, f)| (*l as u32, f.clone()))
            .collect();
        let ragged: Vec<(u32, String)> = expected
            .iter()
            .filter(|(_, f)| !f.iter().all(|v| v.trim().is_empty()) && f.len() != 3)
            .map(|(l, f)| (*l as u32, format!("has {} fields where the header has 3", f.len())))
            .collect();
        prop_assert_eq!(&seen.rows, &data);
        prop_assert_eq!(&seen.broken, &ragged);
        prop_assert_eq!(seen.blank, blank_records + empty_lines);
    }

    /// The fields polars reads from the same bytes (rows of the header's width, no empty lines).
    #[test]
    fn reads_the_fields_polars_reads(rows in proptest::collection::vec(proptest::collection::vec(field(), 3..=3), 1..30)) {
        let rows: Vec<Gen> = rows.into_iter().map(Gen::Record).collect();
        let text = write(&rows, 3, ',', false);
        let (seen, _) = read_both(text.as_bytes(), 3, &Layout::default()).unwrap();
        let ours: Vec<Vec<String>> = seen.rows.iter().map(|(_, f)| f.clone()).collect();
        let theirs = polars_fields(text.as_bytes());
        // polars cannot tell a blank row from data: compare the rows we kept as data.
        let theirs: Vec<Vec<String>> = theirs.into_iter().filter(|f| !f.iter().all(|v| v.trim().is_empty())).collect();
        prop_assert_eq!(ours, theirs);
    }
}

fn polars_fields(bytes: &[u8]) -> Vec<Vec<String>> {
    use polars::prelude::{CsvParseOptions, CsvReadOptions, DataType, Field, Schema, SerReader};
    let schema = Schema::from_iter((0..3).map(|i| Field::new(format!("c{i}").into(), DataType::String)));
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema(Some(std::sync::Arc::new(schema)))
        .with_parse_options(CsvParseOptions::default().with_missing_is_null(false))
        .into_reader_with_file_handle(std::io::Cursor::new(bytes.to_vec()))
        .finish()
        .unwrap();
    let cols: Vec<Vec<String>> =
        df.columns().iter().map(|c| c.str().unwrap().iter().map(|v| v.unwrap_or("").to_string()).collect()).collect();
    (0..df.height()).map(|i| cols.iter().map(|c| c[i].clone()).collect()).collect()
}

/// A tool that drops trailing empty fields (22 fields under a header of 23): a row short only by
/// fields the table does not require is read with them empty and counted as short; a row that
/// lacks a required column, or has too many fields, is rejected as before. Both paths agree,
/// with blocks and chunks cutting the file everywhere.
#[test]
fn rows_short_of_trailing_optional_fields_read_as_empty() {
    let mut s = String::from("c0,c1,c2,c3\n");
    for i in 0..40 {
        s.push_str(&format!("{i},b,c,d\n{i},b,c\n{i},b\n{i}\n{i},b,c,d,e\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let f = file(&dir, s.as_bytes());
    // c0 and c1 required, c2 optional, c3 not read at all.
    let cols = Columns { kind: "t", required: vec!["c0", "c1"], optional: vec!["c2"] };
    let mut serial = Rows(Seen::default());
    let (a, _) = read_rows(&f, &cols, &Layout::default(), &mut serial).unwrap();
    let mut parallel = Runs(Seen::default(), Mutex::new(0));
    let (b, _) = read_runs(&f, &cols, &Layout::default(), &mut parallel).unwrap();
    assert_eq!(serial.0, parallel.0);
    assert_eq!(a, b);
    assert!(a.balanced());
    assert_eq!((a.read, a.accepted, a.rejected, a.short), (200, 120, 80, 80));
    let first = 2;
    assert_eq!(
        serial.0.rows[..3],
        [
            (first, texts(&["0", "b", "c"])),
            (first + 1, texts(&["0", "b", "c"])),
            (first + 2, vec!["0".to_string(), "b".to_string(), String::new()]),
        ]
    );
    assert_eq!(
        serial.0.broken[..2],
        [
            (first + 3, "has 1 fields where the header has 4".to_string()),
            (first + 4, "has 5 fields where the header has 4".to_string())
        ]
    );
}
