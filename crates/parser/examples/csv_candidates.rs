//! The CSV record scanners considered for the usage report, timed on one file: how issue 12's
//! choice was made (figures in docs/performance.md). Every candidate counts records and fields,
//! and the counts are printed so a scanner that misreads the file shows.
//!
//!     cargo run --release -p billrecon-parser --example csv_candidates -- FILE [ROUNDS]
//!
//! Candidates, each over the whole file held in memory (so disk is not timed):
//! - `memchr lines`: line breaks only, the floor any scanner pays (not a CSV parser);
//! - `simd-csv splitter`: record boundaries only (RFC 4180 aware), no fields;
//! - `simd-csv zero-copy`, `csv-core`, `csv crate`: records and their fields, one core;
//! - `... x N cores`: the same in 256 KiB chunks cut at line breaks on rayon's pool (valid for
//!   these files: no quoted field holds a line break);
//! - `polars blocks`: polars' CSV reader on whole 8 MiB blocks (every column as text);
//! - `billrecon`: the shipped reader end to end: fields converted to typed usage, all cores.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

/// Records and fields a scanner saw.
type Counts = (u64, u64);

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().expect("usage: csv_candidates FILE [ROUNDS]"));
    let rounds: usize = args.next().map(|r| r.parse().expect("ROUNDS")).unwrap_or(3);
    let bytes = std::fs::read(&path).expect("read the file");
    println!(
        "{}: {:.0} MiB, best of {rounds}, {} cores",
        path.display(),
        bytes.len() as f64 / 1048576.0,
        rayon::current_num_threads()
    );
    let b = &bytes[..];
    time("memchr lines", rounds, || (memchr::memchr_iter(b'\n', b).count() as u64, 0));
    time("simd-csv splitter", rounds, || simd_split(b));
    time("simd-csv zero-copy", rounds, || simd_fields(b));
    time("csv-core", rounds, || core_fields(b));
    time("csv crate", rounds, || csv_fields(b));
    let n = rayon::current_num_threads();
    time(&format!("simd-csv zero-copy x {n} cores"), rounds, || chunked(b, simd_fields));
    time(&format!("csv-core x {n} cores"), rounds, || chunked(b, core_fields));
    time("polars blocks", rounds, || polars_blocks(b));
    let file = billrecon_parser::FileRef {
        name: path.display().to_string(),
        path: path.clone(),
        member: None,
        sheet: None,
        format: billrecon_parser::Format::Csv,
    };
    time("billrecon (converted, all cores)", rounds, || {
        let (report, _) =
            billrecon_parser::usage::read_usage_with(&file, &mut billrecon_parser::CountUsage::default()).expect("read");
        (report.read, 0)
    });
}

fn time(name: &str, rounds: usize, f: impl Fn() -> Counts) {
    let mut best = f64::MAX;
    let mut counts = (0, 0);
    for _ in 0..rounds {
        let t = Instant::now();
        counts = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("{name:<36} {best:>7.2} s   records {:>10}   fields {:>11}", counts.0, counts.1);
}

fn simd_split(b: &[u8]) -> Counts {
    let mut s = simd_csv::SplitterBuilder::new().has_headers(false).from_reader(Cursor::new(b));
    (s.count_records().expect("split"), 0)
}

fn simd_fields(b: &[u8]) -> Counts {
    let mut r = simd_csv::ZeroCopyReaderBuilder::new().has_headers(false).flexible(true).from_reader(Cursor::new(b));
    let (mut records, mut fields) = (0, 0);
    while let Some(rec) = r.read_byte_record().expect("read") {
        records += 1;
        fields += rec.len() as u64;
    }
    (records, fields)
}

fn core_fields(mut b: &[u8]) -> Counts {
    let mut r = csv_core::ReaderBuilder::new().build();
    let mut out = vec![0u8; 1 << 16];
    let mut ends = vec![0usize; 256];
    let (mut records, mut fields) = (0, 0);
    loop {
        let (res, nin, _, nend) = r.read_record(b, &mut out, &mut ends);
        b = &b[nin..];
        match res {
            csv_core::ReadRecordResult::Record => {
                records += 1;
                fields += nend as u64;
            }
            csv_core::ReadRecordResult::End => return (records, fields),
            csv_core::ReadRecordResult::InputEmpty => {}
            other => panic!("csv-core: {other:?} (the example's buffers are too small for this file)"),
        }
    }
}

fn csv_fields(b: &[u8]) -> Counts {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(b);
    let mut rec = csv::ByteRecord::new();
    let (mut records, mut fields) = (0, 0);
    while r.read_byte_record(&mut rec).expect("read") {
        records += 1;
        fields += rec.len() as u64;
    }
    (records, fields)
}

/// `b` in 256 KiB chunks ending at line breaks, each scanned by `f` on rayon's pool.
fn chunked(b: &[u8], f: fn(&[u8]) -> Counts) -> Counts {
    cuts(b, 256 << 10).par_iter().map(|r| f(&b[r.clone()])).reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1))
}

fn cuts(b: &[u8], size: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < b.len() {
        let end = match memchr::memrchr(b'\n', &b[start..(start + size).min(b.len())]) {
            Some(i) if start + size < b.len() => start + i + 1,
            _ if start + size >= b.len() => b.len(),
            _ => start + memchr::memchr(b'\n', &b[start + size..]).map_or(b.len() - start, |i| size + i + 1),
        };
        out.push(start..end);
        start = end;
    }
    out
}

/// polars on whole 8 MiB blocks, every column read as text, as billrecon would have to.
fn polars_blocks(b: &[u8]) -> Counts {
    use polars::prelude::{CsvParseOptions, CsvReadOptions, SerReader};
    let (mut records, mut fields) = (0, 0);
    for r in cuts(b, 8 << 20) {
        let df = CsvReadOptions::default()
            .with_has_header(false)
            .with_infer_schema_length(Some(0))
            .with_parse_options(CsvParseOptions::default().with_truncate_ragged_lines(true))
            .into_reader_with_file_handle(Cursor::new(b[r].to_vec()))
            .finish()
            .expect("polars");
        records += df.height() as u64;
        fields += (df.height() * df.width()) as u64;
    }
    (records, fields)
}
