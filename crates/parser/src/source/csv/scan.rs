//! One chunk of a CSV file parsed: RFC 4180 quoting (quoted fields, doubled quotes, delimiters
//! and line breaks inside quotes), every record's unescaped fields, the line each record starts
//! on, empty lines, and whether the chunk ended where a record ends (a chunk cut inside a quoted
//! field does not).
//!
//! A chunk holding a quote byte is parsed by BurntSushi's `csv-core`, a state machine that takes
//! a stray quote inside a field as text (`10.9" iPad`), as the `csv` crate does. A chunk with no
//! quote byte (or a file read without quoting) has nothing for that machine to do: RFC 4180
//! reduces to cutting at delimiters and line breaks, done here eight bytes at a time at twice
//! csv-core's speed (figures in docs/performance.md). Both give the same [`Parsed`]: a property
//! test holds the cut to csv-core chunk by chunk, and the reader's property tests hold every
//! file to the `csv` crate whichever way its chunks went. The one problem neither can see, a
//! quote still open at the end of the file, is found here.

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

/// A parsed chunk: the fields' text (validated UTF-8), their spans, the records.
#[derive(Debug)]
pub(crate) struct Parsed {
    text: String,
    /// Field `i` is `text[spans[i][0]..spans[i][1]]`.
    spans: Vec<[u32; 2]>,
    pub recs: Vec<Rec>,
    pub end: End,
    reader: Option<((u8, Option<u8>), csv_core::Reader)>,
}

impl Parsed {
    /// The text of field `i` of the chunk.
    fn field(&self, i: u32) -> &str {
        let [a, b] = self.spans[i as usize];
        &self.text[a as usize..b as usize]
    }

    /// Field `k` of a record (`k` < the record's number of fields); the last without the `\r`
    /// of a CRLF line end.
    #[inline]
    pub fn field_of(&self, r: &Range<u32>, k: usize) -> &str {
        let i = r.start as usize + k;
        let f = self.field(i as u32);
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
    /// The parser of a table's layout (its delimiter and quote).
    pub fn for_layout(layout: &crate::table::Layout) -> Scanner {
        Scanner::new(Dialect { delimiter: layout.delimiter, quote: layout.quote })
    }

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
    spans: Vec<[u32; 2]>,
    recs: Vec<Rec>,
    reader: Option<((u8, Option<u8>), csv_core::Reader)>,
}

thread_local! {
    static SPARE: std::cell::RefCell<Option<Buffers>> = const { std::cell::RefCell::new(None) };
}

/// Gives a parsed chunk's memory back to this thread for its next chunk.
pub(crate) fn recycle(p: Parsed) {
    let Parsed { text, spans, recs, reader, .. } = p;
    SPARE.with(|s| *s.borrow_mut() = Some(Buffers { out: text.into_bytes(), spans, recs, reader }));
}

/// Parses `bytes`, which start at a record boundary on line `first_line`. With `at_eof` they
/// run to the end of the file. `label` names the file in an error (text that is not UTF-8).
pub(crate) fn parse(bytes: &[u8], first_line: u64, at_eof: bool, scanner: &Scanner, label: &str) -> Result<Parsed, ParseError> {
    let Buffers { mut out, mut spans, mut recs, reader } = SPARE.with(|s| s.borrow_mut().take()).unwrap_or_default();
    out.clear();
    spans.clear();
    recs.clear();
    let quote = scanner.dialect.1.filter(|&q| memchr::memchr(q, bytes).is_some());
    // A quoted chunk as databases write them (whole fields quoted, no doubled quote): cut in
    // place; anything else it declines goes to csv-core from the start of the chunk.
    let simple = quote.and_then(|q| {
        let end = cut_quoted(bytes, first_line, at_eof, scanner.dialect.0, q, &mut out, &mut spans, &mut recs);
        if end.is_none() {
            out.clear();
            spans.clear();
            recs.clear();
        }
        end
    });
    let (end, reader) = if let Some(end) = simple {
        (end, reader)
    } else if quote.is_some() {
        let mut rdr = match reader {
            Some((d, mut r)) if d == scanner.dialect => {
                r.reset();
                r
            }
            _ => scanner.builder.build(),
        };
        let end = with_csv_core(bytes, first_line, at_eof, scanner, &mut rdr, &mut out, &mut spans, &mut recs);
        (end, Some((scanner.dialect, rdr)))
    } else {
        (cut(bytes, first_line, at_eof, scanner.dialect.0, &mut out, &mut spans, &mut recs), reader)
    };
    let text = String::from_utf8(out).map_err(|e| {
        // The line of the record holding the first byte that is not UTF-8.
        let bad = e.utf8_error().valid_up_to() as u32;
        let line = recs
            .iter()
            .rev()
            .find_map(|r| match r {
                Rec::Fields { line, fields, .. } if spans.get(fields.start as usize).is_some_and(|s| s[0] <= bad) => Some(*line),
                _ => None,
            })
            .unwrap_or(first_line);
        ParseError::NotUtf8 { file: label.to_string(), line }
    })?;
    Ok(Parsed { text, spans, recs, end, reader })
}

/// A chunk with no quote byte: records end at line breaks, fields at delimiters. The text is
/// the chunk itself; a field's span leaves its delimiter out.
fn cut(
    bytes: &[u8],
    first_line: u64,
    at_eof: bool,
    delimiter: u8,
    out: &mut Vec<u8>,
    spans: &mut Vec<[u32; 2]>,
    recs: &mut Vec<Rec>,
) -> End {
    out.extend_from_slice(bytes);
    let mut line = first_line;
    // Where the record and the field being read start, and the record's first field.
    let (mut record, mut field, mut first) = (0usize, 0usize, 0usize);
    breaks(bytes, delimiter, |i| {
        if bytes[i] == delimiter {
            spans.push([field as u32, i as u32]);
            field = i + 1;
            return;
        }
        if i == record {
            recs.push(Rec::Empty { line });
        } else {
            spans.push([field as u32, i as u32]);
            recs.push(Rec::Fields { line, fields: first as u32..spans.len() as u32, unterminated: false });
        }
        line += 1;
        record = i + 1;
        field = record;
        first = spans.len();
    });
    if record == bytes.len() {
        End::Clean { next_line: line }
    } else if at_eof {
        // The last record, with no line break after it.
        spans.push([field as u32, bytes.len() as u32]);
        recs.push(Rec::Fields { line, fields: first as u32..spans.len() as u32, unterminated: false });
        End::Clean { next_line: line }
    } else {
        spans.truncate(first);
        out.truncate(record);
        End::Open { tail: record, line }
    }
}

/// A chunk holding quotes the way databases and carriers' exports write them: a field is either
/// unquoted with no quote byte in it, or wholly quoted with no quote inside (delimiters and line
/// breaks inside it are text). Those are cut in place, as [`cut`] does, the spans leaving the
/// quotes out. `None` for anything csv-core reads differently (a doubled quote, text after a
/// closing quote, a quote inside an unquoted field, a quoted last field whose text ends in
/// `\r`, a quote still open at the end of the file): the caller parses the chunk with csv-core.
/// A property test holds it to csv-core wherever it answers.
#[allow(clippy::too_many_arguments)]
fn cut_quoted(
    bytes: &[u8],
    first_line: u64,
    at_eof: bool,
    delimiter: u8,
    quote: u8,
    out: &mut Vec<u8>,
    spans: &mut Vec<[u32; 2]>,
    recs: &mut Vec<Rec>,
) -> Option<End> {
    out.extend_from_slice(bytes);
    let n = bytes.len();
    let mut line = first_line;
    let mut pos = 0usize;
    loop {
        // At the start of a record.
        if pos == n {
            return Some(End::Clean { next_line: line });
        }
        if bytes[pos] == b'\n' {
            recs.push(Rec::Empty { line });
            line += 1;
            pos += 1;
            continue;
        }
        let (record, first, at) = (pos, spans.len(), line);
        // The record goes on past the chunk: the next chunk starts with it.
        let open = |spans: &mut Vec<[u32; 2]>, out: &mut Vec<u8>| {
            spans.truncate(first);
            out.truncate(record);
            Some(End::Open { tail: record, line: at })
        };
        let done = |spans: &Vec<[u32; 2]>, recs: &mut Vec<Rec>| {
            recs.push(Rec::Fields { line: at, fields: first as u32..spans.len() as u32, unterminated: false });
        };
        loop {
            // At the start of a field.
            if pos < n && bytes[pos] == quote {
                let from = pos + 1;
                // Fields are a few bytes long: a plain loop beats starting a vector search.
                let Some(k) = bytes[from..].iter().position(|&b| b == quote) else {
                    return if at_eof { None } else { open(spans, out) };
                };
                let close = from + k;
                let text = &bytes[from..close];
                line += text.iter().filter(|&&b| b == b'\n').count() as u64;
                let after = close + 1;
                // csv-core keeps a `\r` before the line break in the field, which is then
                // trimmed with it: a quoted last field whose own text ends in `\r` would lose
                // that one too.
                let ends_line = || (!text.ends_with(b"\r")).then_some(());
                match bytes.get(after) {
                    Some(&b) if b == delimiter => {
                        spans.push([from as u32, close as u32]);
                        pos = after + 1;
                    }
                    Some(b'\n') => {
                        ends_line()?;
                        spans.push([from as u32, close as u32]);
                        done(spans, recs);
                        line += 1;
                        pos = after + 1;
                        break;
                    }
                    Some(b'\r') if bytes.get(after + 1) == Some(&b'\n') => {
                        ends_line()?;
                        spans.push([from as u32, close as u32]);
                        done(spans, recs);
                        line += 1;
                        pos = after + 2;
                        break;
                    }
                    // Cut between the closing quote and what follows it.
                    None | Some(b'\r') if after + usize::from(bytes.get(after) == Some(&b'\r')) == n && !at_eof => {
                        return open(spans, out);
                    }
                    None => {
                        spans.push([from as u32, close as u32]);
                        done(spans, recs);
                        return Some(End::Clean { next_line: line });
                    }
                    _ => return None,
                }
            } else {
                match bytes[pos..].iter().position(|&b| b == delimiter || b == b'\n' || b == quote) {
                    Some(k) => {
                        let i = pos + k;
                        match bytes[i] {
                            b if b == quote => return None,
                            b'\n' => {
                                spans.push([pos as u32, i as u32]);
                                done(spans, recs);
                                line += 1;
                                pos = i + 1;
                                break;
                            }
                            _ => {
                                spans.push([pos as u32, i as u32]);
                                pos = i + 1;
                            }
                        }
                    }
                    None if at_eof => {
                        spans.push([pos as u32, n as u32]);
                        done(spans, recs);
                        return Some(End::Clean { next_line: line });
                    }
                    None => return open(spans, out),
                }
            }
        }
    }
}

/// Calls `f` with the position of every `delimiter` and line break in `bytes`, in order. Eight
/// bytes are tested at a time (a field is a few bytes long, so a search that starts again after
/// every hit, as `memchr2` does, spends more on starting than on searching; this is how the
/// quote-free split keeps its speed, measured in docs/performance.md). The word test can flag a
/// byte just after a true hit; each flagged byte is checked.
#[inline]
fn breaks(bytes: &[u8], delimiter: u8, mut f: impl FnMut(usize)) {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let (d, n) = (LO * u64::from(delimiter), LO * u64::from(b'\n'));
    let is_break = |b: u8| b == delimiter || b == b'\n';
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let v = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let (x, y) = (v ^ d, v ^ n);
        let mut m = ((x.wrapping_sub(LO) & !x) | (y.wrapping_sub(LO) & !y)) & HI;
        while m != 0 {
            let k = (m.trailing_zeros() / 8) as usize;
            if is_break(w[k]) {
                f(at + k);
            }
            m &= m - 1;
        }
        at += 8;
    }
    for (k, &b) in words.remainder().iter().enumerate() {
        if is_break(b) {
            f(at + k);
        }
    }
}

/// A chunk holding a quote byte, parsed by `csv-core`: fields unescaped into `out` one after
/// another.
#[allow(clippy::too_many_arguments)]
fn with_csv_core(
    bytes: &[u8],
    first_line: u64,
    at_eof: bool,
    scanner: &Scanner,
    rdr: &mut csv_core::Reader,
    out: &mut Vec<u8>,
    spans: &mut Vec<[u32; 2]>,
    recs: &mut Vec<Rec>,
) -> End {
    // Fields never hold more bytes than their record.
    out.resize(bytes.len() + 1, 0);
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
        let (start, start_out, first_field, lines_before) = (pos, o, spans.len(), rdr.line());
        // Each field starts where the one before it ended (csv-core reports ends only).
        let mut from = start_out as u32;
        let mut push = |spans: &mut Vec<[u32; 2]>, ends: &[usize]| {
            for &e in ends {
                let to = (start_out + e) as u32;
                spans.push([from, to]);
                from = to;
            }
        };
        let finished = loop {
            let input = &bytes[pos..];
            let (res, nin, nout, nend) = rdr.read_record(input, &mut out[o..], &mut scratch);
            push(spans, &scratch[..nend]);
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
                    push(spans, &scratch[..nend]);
                    break matches!(res, csv_core::ReadRecordResult::Record);
                }
            }
        };
        if !finished {
            spans.truncate(first_field);
            o = start_out;
            break End::Open { tail: start, line };
        }
        // A quote still open when the file ends: its record ran to the end.
        let unterminated = at_eof
            && pos == bytes.len()
            && scanner.dialect.1.is_some_and(|q| bytes[start..pos].iter().filter(|&&b| b == q).count() % 2 == 1);
        recs.push(Rec::Fields { line, fields: first_field as u32..spans.len() as u32, unterminated });
        line += rdr.line() - lines_before;
    };
    out.truncate(o);
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

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

    proptest::proptest! {
        /// A chunk with no quote byte is cut exactly as csv-core parses it: same fields, lines,
        /// empty lines and end, whether or not the chunk runs to the end of the file.
        #[test]
        fn cutting_a_quote_free_chunk_is_what_csv_core_reads(text in "[ab,\r\n]{0,40}", at_eof: bool) {
            let bytes = text.as_bytes();
            let (mut o, mut s, mut r) = (Vec::new(), Vec::new(), Vec::new());
            let end = cut(bytes, 3, at_eof, b',', &mut o, &mut s, &mut r);
            let (want, want_end) = csv_core_reads(bytes, at_eof, false);
            proptest::prop_assert_eq!(rows_of(&o, &s, &r, false), want);
            proptest::prop_assert_eq!(end, want_end);
        }
    }

    /// Records as (line, fields' bytes).
    type Rows = Vec<(u64, Vec<Vec<u8>>)>;

    /// A chunk's records as csv-core reads them, and where it ended.
    fn csv_core_reads(bytes: &[u8], at_eof: bool, trim_cr: bool) -> (Rows, End) {
        let scanner = comma();
        let (mut o, mut s, mut r) = (Vec::new(), Vec::new(), Vec::new());
        let mut rdr = scanner.builder.build();
        let end = with_csv_core(bytes, 3, at_eof, &scanner, &mut rdr, &mut o, &mut s, &mut r);
        (rows_of(&o, &s, &r, trim_cr), end)
    }

    /// Records as (line, fields' bytes); with `trim_cr`, the last field without the `\r` of a
    /// CRLF line end, as the rows read it.
    fn rows_of(o: &[u8], s: &[[u32; 2]], r: &[Rec], trim_cr: bool) -> Rows {
        r.iter()
            .map(|r| match r {
                Rec::Empty { line } => (*line, vec![]),
                Rec::Fields { line, fields, .. } => {
                    let field = |i: u32| {
                        let f = &o[s[i as usize][0] as usize..s[i as usize][1] as usize];
                        if trim_cr && i + 1 == fields.end {
                            f.strip_suffix(b"\r").unwrap_or(f).to_vec()
                        } else {
                            f.to_vec()
                        }
                    };
                    (*line, fields.clone().map(field).collect())
                }
            })
            .collect()
    }

    proptest::proptest! {
        /// Wherever the quoted cut answers, it is what csv-core reads: same fields, lines, empty
        /// lines and end; and it answers for the quoting databases write.
        #[test]
        fn cutting_a_quoted_chunk_is_what_csv_core_reads(
            text in proptest::prop_oneof![
                "[ab,\"\r\n]{0,40}",
                proptest::collection::vec("(\"[ab,\n]{0,4}\"|[ab]{0,3})(,(\"[ab,\n]{0,4}\"|[ab]{0,3})){0,3}(\r)?\n", 0..6).prop_map(|v| v.concat()),
            ],
            at_eof: bool,
            cut_at in 0usize..64,
        ) {
            let bytes = &text.as_bytes()[..cut_at.min(text.len())];
            let (mut o, mut s, mut r) = (Vec::new(), Vec::new(), Vec::new());
            let Some(end) = cut_quoted(bytes, 3, at_eof, b',', b'"', &mut o, &mut s, &mut r) else { return Ok(()) };
            let (want, want_end) = csv_core_reads(bytes, at_eof, true);
            proptest::prop_assert_eq!(rows_of(&o, &s, &r, true), want);
            proptest::prop_assert_eq!(end, want_end);
        }
    }

    #[test]
    fn the_quoted_cut_reads_what_databases_write_and_declines_the_rest() {
        let db = b"\"a\",\"b,c\",\"\"\r\n\"x\ny\",z\n\n";
        let (mut o, mut s, mut r) = (Vec::new(), Vec::new(), Vec::new());
        assert_eq!(cut_quoted(db, 1, true, b',', b'"', &mut o, &mut s, &mut r), Some(End::Clean { next_line: 5 }));
        // Cut inside the quoted `x\ny`: the record waits for the next chunk.
        let (mut o, mut s, mut r) = (Vec::new(), Vec::new(), Vec::new());
        assert_eq!(cut_quoted(&db[..16], 1, false, b',', b'"', &mut o, &mut s, &mut r), Some(End::Open { tail: 14, line: 2 }));
        let p = parse(db, 1, true, &comma(), "t.csv").unwrap();
        assert_eq!(records(&p), vec![(1, vec!["a", "b,c", ""]), (2, vec!["x\ny", "z"]), (4, vec![])]);
        assert_eq!(p.end, End::Clean { next_line: 5 });
        for declined in [&b"\"q\"\"q\"\n"[..], b"\"a\"b\n", b"a\"b\n", b"\"open\n"] {
            let (mut o, mut s, mut r) = (Vec::new(), Vec::new(), Vec::new());
            assert_eq!(cut_quoted(declined, 1, true, b',', b'"', &mut o, &mut s, &mut r), None, "{declined:?}");
        }
        // csv-core reads what the cut declines.
        let p = parse(b"\"q\"\"q\",\"a\"b\n", 1, true, &comma(), "t.csv").unwrap();
        assert_eq!(records(&p), vec![(1, vec!["q\"q", "ab"])]);
    }

    proptest::proptest! {
        /// Every delimiter and line break, in order, none else, whatever the bytes around them.
        #[test]
        fn breaks_finds_every_delimiter_and_line_break(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80), d in proptest::sample::select(vec![b',', b'\t', b'|'])) {
            let mut got = Vec::new();
            breaks(&bytes, d, |i| got.push(i));
            let want: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == d || bytes[i] == b'\n').collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn records_with_more_fields_than_the_scratch_holds() {
        let row: String = (0..200).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        let p = parse(format!("{row}\n{row}\n").as_bytes(), 1, true, &comma(), "t").unwrap();
        let got = records(&p);
        assert_eq!((got[0].1.len(), got[1].1[199]), (200, "199"));
    }
}
