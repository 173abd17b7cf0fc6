//! One chunk of a CSV file parsed by BurntSushi's `csv-core`: RFC 4180 quoting (quoted fields,
//! doubled quotes, delimiters and line breaks inside quotes), every record's unescaped fields,
//! the line each record starts on, empty lines, and whether the chunk ended where a record
//! ends (a chunk cut inside a quoted field does not).
//!
//! `csv-core` is a byte-at-a-time state machine with a fast path for runs of plain bytes; it
//! keeps the same speed whether a file quotes nothing or everything, which is why it was chosen
//! (figures in docs/performance.md). It never fails: a stray quote is taken as text. The one
//! problem it cannot see, a quote still open at the end of the file, is found here.

use std::ops::Range;

use crate::error::ParseError;

/// How a file is delimited.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dialect {
    pub delimiter: u8,
    pub quote: Option<u8>,
}

/// A record of a chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rec {
    /// An empty line.
    Empty { line: u64 },
    /// A record: the line it starts on and its fields (indexes into [`Parsed::field`]).
    Fields { line: u64, fields: Range<u32>, unterminated: bool },
}

/// Where a chunk's parse stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// At the end of a record: the next chunk starts a record.
    Clean { next_line: u64 },
    /// Inside a record that goes on past the chunk: it starts at byte `tail`, on `line`.
    Open { tail: usize, line: u64 },
}

/// A parsed chunk: the fields' text (validated UTF-8), their bounds, the records.
#[derive(Debug)]
pub(crate) struct Parsed {
    text: String,
    /// Field `i` is `text[bounds[i]..bounds[i + 1]]`.
    bounds: Vec<u32>,
    pub recs: Vec<Rec>,
    pub end: End,
    reader: Option<((u8, Option<u8>), csv_core::Reader)>,
}

impl Parsed {
    /// The text of field `i` of the chunk.
    fn field(&self, i: u32) -> &str {
        &self.text[self.bounds[i as usize] as usize..self.bounds[i as usize + 1] as usize]
    }

    /// Field `k` of a record (`k` < the record's number of fields); the last without the `\r`
    /// of a CRLF line end.
    #[inline]
    pub fn field_of(&self, r: &Range<u32>, k: usize) -> &str {
        let i = r.start as usize + k;
        let f = &self.text[self.bounds[i] as usize..self.bounds[i + 1] as usize];
        if i + 1 == r.end as usize {
            f.strip_suffix('\r').unwrap_or(f)
        } else {
            f
        }
    }

    /// A record's fields; the last without the `\r` of a CRLF line end.
    pub fn fields(&self, r: &Range<u32>) -> impl Iterator<Item = &str> + '_ {
        let last = r.end.saturating_sub(1);
        r.clone().map(move |i| {
            let f = self.field(i);
            if i == last {
                f.strip_suffix('\r').unwrap_or(f)
            } else {
                f
            }
        })
    }
}

/// How a dialect's `csv-core` reader is made. Building one computes its state machine, so each
/// thread keeps the reader it built and resets it for the next chunk. (A built reader is not
/// cloned: csv-core 0.1.13's `Clone` for its state machine copies only the transition table,
/// and the clone misreads every record.)
pub(crate) struct Scanner {
    builder: csv_core::ReaderBuilder,
    dialect: (u8, Option<u8>),
}

impl Scanner {
    pub fn new(d: Dialect) -> Scanner {
        let mut builder = csv_core::ReaderBuilder::new();
        builder
            .delimiter(d.delimiter)
            .quote(d.quote.unwrap_or(b'"'))
            .quoting(d.quote.is_some())
            // Only `\n` ends a record: a `\r` before it is trimmed from the last field, so line
            // numbers are the `\n`s counted, as a text editor shows them.
            .terminator(csv_core::Terminator::Any(b'\n'));
        Scanner { builder, dialect: (d.delimiter, d.quote) }
    }
}

/// A parse's buffers and reader, kept by each thread from one chunk to the next (a chunk's
/// worth of memory allocated once, instead of fresh pages for every chunk).
#[derive(Default)]
struct Buffers {
    out: Vec<u8>,
    bounds: Vec<u32>,
    recs: Vec<Rec>,
    reader: Option<((u8, Option<u8>), csv_core::Reader)>,
}

thread_local! {
    static SPARE: std::cell::RefCell<Option<Buffers>> = const { std::cell::RefCell::new(None) };
}

/// Gives a parsed chunk's memory back to this thread for its next chunk.
pub(crate) fn recycle(p: Parsed) {
    let Parsed { text, bounds, recs, reader, .. } = p;
    SPARE.with(|s| *s.borrow_mut() = Some(Buffers { out: text.into_bytes(), bounds, recs, reader }));
}

/// Parses `bytes`, which start at a record boundary on line `first_line`. With `at_eof` they
/// run to the end of the file. `label` names the file in an error (text that is not UTF-8).
pub(crate) fn parse(bytes: &[u8], first_line: u64, at_eof: bool, scanner: &Scanner, label: &str) -> Result<Parsed, ParseError> {
    let Buffers { mut out, mut bounds, mut recs, reader } = SPARE.with(|s| s.borrow_mut().take()).unwrap_or_default();
    let mut rdr = match reader {
        Some((d, mut r)) if d == scanner.dialect => {
            r.reset();
            r
        }
        _ => scanner.builder.build(),
    };
    // Fields never hold more bytes than their record.
    out.clear();
    out.resize(bytes.len() + 1, 0);
    bounds.clear();
    bounds.push(0);
    recs.clear();
    let mut scratch = [0usize; 64];
    let (mut pos, mut o) = (0usize, 0usize);
    let mut line = first_line;
    let end = loop {
        // Empty lines: csv-core would skip them silently; they are blank rows.
        while pos < bytes.len() && bytes[pos] == b'\n' {
            recs.push(Rec::Empty { line });
            line += 1;
            pos += 1;
        }
        if pos == bytes.len() {
            break End::Clean { next_line: line };
        }
        let (start, start_out, first_field, lines_before) = (pos, o, bounds.len() - 1, rdr.line());
        let finished = loop {
            let input = &bytes[pos..];
            let (res, nin, nout, nend) = rdr.read_record(input, &mut out[o..], &mut scratch);
            bounds.extend(scratch[..nend].iter().map(|&e| (start_out + e) as u32));
            pos += nin;
            o += nout;
            match res {
                csv_core::ReadRecordResult::Record => break true,
                csv_core::ReadRecordResult::OutputEndsFull => {}
                csv_core::ReadRecordResult::OutputFull => out.resize(out.len() * 2, 0),
                csv_core::ReadRecordResult::InputEmpty if !at_eof => break false,
                csv_core::ReadRecordResult::InputEmpty | csv_core::ReadRecordResult::End => {
                    // The end of the file: an empty input finishes the last record.
                    let (res, _, _, nend) = rdr.read_record(&[], &mut out[o..], &mut scratch);
                    bounds.extend(scratch[..nend].iter().map(|&e| (start_out + e) as u32));
                    break matches!(res, csv_core::ReadRecordResult::Record);
                }
            }
        };
        if !finished {
            bounds.truncate(first_field + 1);
            o = start_out;
            break End::Open { tail: start, line };
        }
        // A quote still open when the file ends: its record ran to the end.
        let unterminated = at_eof
            && pos == bytes.len()
            && scanner.dialect.1.is_some_and(|q| bytes[start..pos].iter().filter(|&&b| b == q).count() % 2 == 1);
        let fields = first_field as u32..(bounds.len() - 1) as u32;
        recs.push(Rec::Fields { line, fields, unterminated });
        line += rdr.line() - lines_before;
    };
    out.truncate(o);
    let text = String::from_utf8(out).map_err(|e| {
        // The line of the record holding the first byte that is not UTF-8.
        let bad = e.utf8_error().valid_up_to() as u32;
        let line = recs
            .iter()
            .rev()
            .find_map(|r| match r {
                Rec::Fields { line, fields, .. } if bounds[fields.start as usize] <= bad => Some(*line),
                _ => None,
            })
            .unwrap_or(first_line);
        ParseError::NotUtf8 { file: label.to_string(), line }
    })?;
    Ok(Parsed { text, bounds, recs, end, reader: Some((scanner.dialect, rdr)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comma() -> Scanner {
        Scanner::new(Dialect { delimiter: b',', quote: Some(b'"') })
    }

    /// Every record as (line, fields), `[]` for an empty line.
    fn records(p: &Parsed) -> Vec<(u64, Vec<&str>)> {
        p.recs
            .iter()
            .map(|r| match r {
                Rec::Empty { line } => (*line, vec![]),
                Rec::Fields { line, fields, .. } => (*line, p.fields(fields).collect()),
            })
            .collect()
    }

    #[test]
    fn quotes_line_breaks_empty_lines_and_crlf() {
        let p = parse(b"a,b\r\n\n\"x\ny\",\"q\"\"q\"\n,\n\"\",z", 1, true, &comma(), "t.csv").unwrap();
        assert_eq!(
            records(&p),
            vec![(1, vec!["a", "b"]), (2, vec![]), (3, vec!["x\ny", "q\"q"]), (5, vec!["", ""]), (6, vec!["", "z"])]
        );
        assert_eq!(p.end, End::Clean { next_line: 6 });
    }

    #[test]
    fn a_chunk_cut_inside_quotes_is_open_and_a_quote_open_at_the_end_is_unterminated() {
        let p = parse(b"a,b\nc,\"d\n", 7, false, &comma(), "t.csv").unwrap();
        assert_eq!(records(&p), vec![(7, vec!["a", "b"])]);
        assert_eq!(p.end, End::Open { tail: 4, line: 8 });
        let p = parse(b"a,\"open\nmore", 1, true, &comma(), "t.csv").unwrap();
        assert!(matches!(p.recs[0], Rec::Fields { unterminated: true, .. }));
    }

    #[test]
    fn text_that_is_not_utf8_names_its_record_s_line() {
        let e = parse(b"a,b\nc,d\ne,\xe9\n", 10, true, &comma(), "t.csv").unwrap_err();
        assert_eq!(e.to_string(), "t.csv: line 12 is not UTF-8 text; save the file as \"CSV UTF-8\"");
    }

    #[test]
    fn without_quoting_a_quote_is_text() {
        let p = parse(b"a|\"b\nc|d\n", 1, true, &Scanner::new(Dialect { delimiter: b'|', quote: None }), "t").unwrap();
        assert_eq!(records(&p), vec![(1, vec!["a", "\"b"]), (2, vec!["c", "d"])]);
    }

    #[test]
    fn records_with_more_fields_than_the_scratch_holds() {
        let row: String = (0..200).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        let p = parse(format!("{row}\n{row}\n").as_bytes(), 1, true, &comma(), "t").unwrap();
        let got = records(&p);
        assert_eq!((got[0].1.len(), got[1].1[199]), (200, "199"));
    }
}
