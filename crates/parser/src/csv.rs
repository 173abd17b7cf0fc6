//! CSV tables: our own quote-aware record scan, polars for the field parsing of quoted records.
//!
//! polars pads a short row with empty values and skips nothing it is not told to, so before
//! polars sees a byte we scan each block for record boundaries: that gives every record its line
//! number as a text editor shows it, counts blank lines, and rejects ragged rows (a field count
//! that differs from the header's). polars then parses the clean records that hold a quote
//! character, all columns as text (money is never read by polars as a number: its Decimal
//! parsing rounds silently). A record with no quote byte at all has nothing to unquote: its
//! fields are exactly the text between its separators, so it is split in place (`Split`,
//! which counts its fields as it goes and rejects it if it is ragged) and handed over without a
//! copy; a property test holds this to what polars makes of the same record. Records reach the
//! converter in file order either way.
//!
//! The file is read in blocks of `BLOCK` bytes by a reading thread (`produce`) that also
//! finds the records and checks the UTF-8, while the caller's thread (`consume`) hands the
//! block before to the converter: memory stays bounded (three blocks) whatever the file's size.

use std::io::{Cursor, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use polars::prelude::{CsvParseOptions, CsvReadOptions, DataType, Field, Schema, SerReader};

use billrecon_model::{InputReport, Rejection, SourceRef};

use crate::error::ParseError;
use crate::table::{
    find_header, ColumnMap, Columns, Encoding, InputRef, Layout, RowError, RowKind, Taken, Tally, HEADER_SEARCH_ROWS,
};
use crate::value::Cell;

/// Bytes read at a time (and the most handed to polars at once). Unit tests use tiny blocks so
/// that records cut across blocks, carried over and recycled are what every test exercises.
pub(crate) const BLOCK: usize = if cfg!(test) { 1 << 10 } else { 8 << 20 };

/// The column a whole-row problem is reported under.
pub const WHOLE_ROW: &str = "(row)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rec {
    start: usize,
    end: usize,
    line: u64,
    /// Fields of a record holding a quote; 0 for a quote-free one ([`Split::fill`] counts those).
    fields: usize,
    blank: bool,
    unterminated: bool,
    /// The record holds a quote character (polars parses it).
    quoted: bool,
}

impl Rec {
    /// A record whose every quote is closed; `fields` is kept only if it holds a quote.
    fn whole(start: usize, end: usize, line: u64, fields: usize, nonblank: bool, quoted: bool) -> Rec {
        Rec { start, end, line, fields: if quoted { fields } else { 0 }, blank: !nonblank, unterminated: false, quoted }
    }
}

/// `end`, less a `\r` just before it (a CRLF line end) that belongs to the record at `start`.
fn without_cr(buf: &[u8], start: usize, end: usize) -> usize {
    if end > start && buf[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// Scans `buf` for complete records. Returns the bytes consumed; a trailing incomplete record
/// is left for the next block unless `at_eof`.
///
/// It jumps from quote to newline with `memchr` and counts separators a segment at a time, so
/// the bytes of a large file are looked at by vector instructions, not one by one.
fn scan(buf: &[u8], sep: u8, quote: Option<u8>, at_eof: bool, line: &mut u64, recs: &mut Vec<Rec>) -> usize {
    let blank_byte = |b: &u8| matches!(*b, b' ' | b'\t' | b'\r') || *b == sep;
    let mut start = 0; // of the current record
    let mut i = 0; // scan position
    let mut fields = 1;
    let mut nonblank = false;
    let mut quoted = false;
    let mut inner_newlines = 0u64;
    loop {
        let next = match quote {
            Some(q) => memchr::memchr2(q, b'\n', &buf[i..]),
            None => memchr::memchr(b'\n', &buf[i..]),
        }
        .map(|k| i + k);
        let seg_end = next.unwrap_or(buf.len());
        let seg = &buf[i..seg_end];
        if quoted {
            fields += memchr::memchr_iter(sep, seg).count();
        }
        if !nonblank && !seg.iter().all(blank_byte) {
            nonblank = true;
        }
        let Some(at) = next else { break };
        if buf[at] == b'\n' {
            recs.push(Rec::whole(start, without_cr(buf, start, at), *line, fields, nonblank, quoted));
            *line += 1 + inner_newlines;
            start = at + 1;
            i = at + 1;
            fields = 1;
            nonblank = false;
            quoted = false;
            inner_newlines = 0;
            continue;
        }
        // An opening quote: skip to its closing quote, counting the newlines inside. The
        // record's fields are counted from here on (a quote-free record's are counted as it is
        // split, on whichever core converts it).
        nonblank = true;
        if !quoted {
            fields = 1 + memchr::memchr_iter(sep, &buf[start..at]).count();
            quoted = true;
        }
        let q = buf[at];
        match memchr::memchr(q, &buf[at + 1..]) {
            Some(k) => {
                let close = at + 1 + k;
                inner_newlines += memchr::memchr_iter(b'\n', &buf[at + 1..close]).count() as u64;
                i = close + 1;
            }
            None => {
                if at_eof {
                    let inside = &buf[at + 1..];
                    let end = without_cr(buf, start, buf.len());
                    recs.push(Rec { start, end, line: *line, fields, blank: false, unterminated: true, quoted: true });
                    *line += 1 + inner_newlines + memchr::memchr_iter(b'\n', inside).count() as u64;
                    return buf.len();
                }
                return start;
            }
        }
    }
    if at_eof && start < buf.len() {
        recs.push(Rec::whole(start, without_cr(buf, start, buf.len()), *line, fields, nonblank, quoted));
        *line += 1 + inner_newlines;
        start = buf.len();
    }
    start
}

/// Splits one record into unquoted field texts (used for header rows only).
fn split_fields(rec: &[u8], sep: u8, quote: Option<u8>) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    let mut in_q = false;
    let mut i = 0;
    while i < rec.len() {
        let b = rec[i];
        if Some(b) == quote {
            if in_q && rec.get(i + 1) == Some(&b) {
                cur.push(b);
                i += 1;
            } else {
                in_q = !in_q;
            }
        } else if b == sep && !in_q {
            out.push(String::from_utf8_lossy(&cur).into_owned());
            cur.clear();
        } else {
            cur.push(b);
        }
        i += 1;
    }
    out.push(String::from_utf8_lossy(&cur).into_owned());
    out
}

struct Pending {
    buf: Vec<u8>,
    lines: Vec<u32>,
}

/// How a record with no quote byte splits into the mapped columns: field `i` of the record is
/// column `slot_of[i]` (if mapped).
pub(crate) struct Split {
    sep: u8,
    /// The header's number of fields: a record with another number is ragged.
    pub(crate) width: usize,
    slot_of: Vec<Option<usize>>,
    /// The number of mapped columns (the length of a row's cells).
    pub(crate) columns: usize,
}

impl Split {
    fn new(sep: u8, width: usize, map: &ColumnMap) -> Split {
        let mut slot_of = vec![None; width];
        for (slot, pos) in map.positions.iter().enumerate() {
            if let Some(p) = pos {
                slot_of[*p] = Some(slot);
            }
        }
        Split { sep, width, slot_of, columns: map.positions.len() }
    }

    /// Fills `cells` (one per mapped column, `Cell::Empty` where the file lacks it) from `rec`.
    /// Returns the reason a ragged record (another number of fields than the header's) is
    /// rejected; its cells are then not to be used.
    pub(crate) fn fill<'a>(&self, rec: &'a str, cells: &mut [Cell<'a>]) -> Result<(), String> {
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        cells.fill(Cell::Empty);
        // Eight bytes at a time: records are too short for a vector search to pay for its
        // set-up, but a word compare finds every separator in a word at once.
        let bytes = rec.as_bytes();
        let pattern = u64::from_ne_bytes([self.sep; 8]);
        let (mut field, mut from, mut base) = (0usize, 0usize, 0usize);
        for word in bytes.chunks_exact(8) {
            let x = u64::from_le_bytes(word.try_into().unwrap_or_default()) ^ pattern;
            // The high bit of exactly the bytes of `x` that are zero (no borrow between bytes).
            let mut hits = !(((x & LOW7) + LOW7) | x | LOW7);
            while hits != 0 {
                let i = base + (hits.trailing_zeros() / 8) as usize;
                self.put(field, rec, from, i, cells);
                field += 1;
                from = i + 1;
                hits &= hits - 1;
            }
            base += 8;
        }
        for (i, &b) in bytes.iter().enumerate().skip(base) {
            if b == self.sep {
                self.put(field, rec, from, i, cells);
                field += 1;
                from = i + 1;
            }
        }
        self.put(field, rec, from, bytes.len(), cells);
        if field + 1 == self.width {
            Ok(())
        } else {
            Err(ragged(field + 1, self.width))
        }
    }

    #[inline]
    fn put<'a>(&self, field: usize, rec: &'a str, from: usize, to: usize, cells: &mut [Cell<'a>]) {
        if let Some(Some(c)) = self.slot_of.get(field) {
            // Separators are ASCII, so every field boundary is a char boundary.
            cells[*c] = Cell::Text(&rec[from..to]);
        }
    }
}

/// Why a row with `fields` fields is rejected under a header of `width`.
fn ragged(fields: usize, width: usize) -> String {
    format!("has {fields} fields where the header has {width}")
}

/// What the reader does with the rows: a batch at a time, in file order.
pub(crate) trait Batch {
    /// `lines[i]` is the row number of row `i`; `cols[c]` the text of column `c` of every row
    /// (`None` for a column the file lacks).
    fn rows(&mut self, tally: &mut Tally, lines: &[u32], cols: &[Option<Vec<&str>>]);
    /// Records with no quote byte, unsplit: `(row, start, end)` of each in `text`; `split`
    /// gives their columns and rejects the ragged ones.
    fn records(&mut self, tally: &mut Tally, text: &str, recs: &[(u32, usize, usize)], split: &Split);
    /// A footer row (carrier profiles only).
    fn footer(&mut self, tally: &mut Tally, row: u32, cells: &[Cell<'_>]);
}

/// Hands each row to a converter in turn.
pub(crate) struct Serial<'f, F>(pub &'f mut F);

impl<F> Batch for Serial<'_, F>
where
    F: FnMut(&SourceRef, &[Cell<'_>], RowKind) -> Result<Taken, RowError>,
{
    fn rows(&mut self, tally: &mut Tally, lines: &[u32], cols: &[Option<Vec<&str>>]) {
        let mut cells: Vec<Cell<'_>> = vec![Cell::Empty; cols.len()];
        for (i, &row) in lines.iter().enumerate() {
            for (c, col) in cols.iter().enumerate() {
                cells[c] = match col {
                    Some(v) => Cell::Text(v[i]),
                    None => Cell::Empty,
                };
            }
            tally.row(row, &cells, self.0);
        }
    }

    fn records(&mut self, tally: &mut Tally, text: &str, recs: &[(u32, usize, usize)], split: &Split) {
        let mut cells: Vec<Cell<'_>> = vec![Cell::Empty; split.columns];
        for &(row, start, end) in recs {
            match split.fill(&text[start..end], &mut cells) {
                Ok(()) => tally.row(row, &cells, self.0),
                Err(reason) => tally.reject_row(row, reason),
            }
        }
    }

    fn footer(&mut self, tally: &mut Tally, row: u32, cells: &[Cell<'_>]) {
        tally.footer(row, cells, self.0);
    }
}

/// A block of the file as the reading thread hands it over: whole records only, valid UTF-8.
struct Block {
    text: String,
    recs: Vec<Rec>,
    /// Bytes of the file this block covers (for progress).
    bytes: u64,
}

/// The reading thread: fills blocks of [`BLOCK`] bytes, decodes them, finds their records and
/// checks they are UTF-8, while the caller's thread works on the block before. A record cut by
/// the end of a block is carried into the next. Stops at the end of the file, on the first
/// error, or when the receiver hangs up.
fn produce(
    file: &mut dyn Read,
    sep: u8,
    quote: Option<u8>,
    encoding: Encoding,
    label: &str,
    tx: &SyncSender<Result<Block, ParseError>>,
    recycled: &Receiver<Block>,
) {
    let mut carry: Vec<u8> = Vec::new();
    let mut raw: Vec<u8> = Vec::new();
    let mut line: u64 = 1;
    let mut first = true;
    let mut made = 0;
    loop {
        // A block the caller is done with; a new one while fewer than three exist (one being
        // filled, one queued, one being worked on); else wait for the caller to give one back.
        let block = match recycled.try_recv() {
            Ok(b) => Some(b),
            Err(_) if made < 3 => None,
            Err(_) => match recycled.recv() {
                Ok(b) => Some(b),
                Err(_) => return,
            },
        };
        let (mut buf, mut recs) = match block {
            Some(b) => (b.text.into_bytes(), b.recs),
            None => {
                made += 1;
                (Vec::with_capacity(BLOCK + BLOCK / 8), Vec::new())
            }
        };
        buf.clear();
        recs.clear();
        buf.extend_from_slice(&carry);
        let target = if encoding == Encoding::Utf8 { &mut buf } else { &mut raw };
        let base = target.len();
        // `read_to_end` fills spare capacity without zeroing it first; fewer bytes than asked
        // means the end of the file.
        let at_eof = match (&mut *file).take(BLOCK as u64).read_to_end(target) {
            Ok(n) => n < BLOCK,
            Err(e) => {
                let _ = tx.send(Err(ParseError::Open { file: label.to_string(), reason: io_reason(&e) }));
                return;
            }
        };
        let filled = target.len();
        let read_bytes = (filled - base) as u64;
        if encoding == Encoding::Windows1252 {
            // A single-byte encoding: every block decodes on its own.
            windows_1252_to_utf8(&raw, &mut buf);
            raw.clear();
        }
        if first {
            first = false;
            if buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
            }
        }
        let line_before = line;
        let consumed = scan(&buf, sep, quote, at_eof, &mut line, &mut recs);
        carry.clear();
        carry.extend_from_slice(&buf[consumed..]);
        buf.truncate(consumed);
        let text = match String::from_utf8(buf) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bad_line = line_before + e.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count() as u64;
                let _ = tx.send(Err(ParseError::NotUtf8 { file: label.to_string(), line: bad_line }));
                return;
            }
        };
        if tx.send(Ok(Block { text, recs, bytes: read_bytes })).is_err() || at_eof {
            return;
        }
    }
}

pub(crate) fn read_csv<B: Batch>(
    input: &InputRef,
    spec: &Columns<'_>,
    layout: &Layout,
    on_row: &mut B,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let label = input.label(None);
    if let Some(sheet) = &input.sheet {
        return Err(ParseError::Invalid {
            file: input.name.clone(),
            reason: format!("a CSV file has no sheets (remove `#{sheet}`)"),
        });
    }
    let total = crate::archive::size(input);
    crate::progress::report(|p| p.start(&label, total));
    let (tx, rx) = sync_channel(1);
    let (give_back, recycled) = sync_channel(3);
    let (sep, quote, encoding) = (layout.delimiter, layout.quote, layout.encoding);
    std::thread::scope(|s| {
        let label = label.as_str();
        // The reader owns its ends of both channels: when it stops, the blocks run out.
        let reader = s.spawn(move || {
            let read = crate::archive::with_reader(input, |file| produce(file, sep, quote, encoding, label, &tx, &recycled));
            if let Err(e) = read {
                let _ = tx.send(Err(e));
            }
        });
        let out = consume(&rx, &give_back, input, spec, layout, on_row);
        // On an early return the reader sees the hang-up at its next send or wait and stops.
        drop(rx);
        drop(give_back);
        // A reader that died without saying why must not pass for the end of the file.
        match reader.join() {
            Ok(()) => out,
            Err(_) => {
                Err(ParseError::Invalid { file: label.to_string(), reason: "the file could not be read to its end".into() })
            }
        }
    })
}

/// The caller's side of [`read_csv`]: finds the header, then hands records over in file order.
fn consume<B: Batch>(
    blocks: &Receiver<Result<Block, ParseError>>,
    give_back: &SyncSender<Block>,
    input: &InputRef,
    spec: &Columns<'_>,
    layout: &Layout,
    on_row: &mut B,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let label = input.label(None);
    let (sep, quote) = (layout.delimiter, layout.quote);
    let mut done: u64 = 0;
    let mut tally = Tally::new(spec.kind, input, None);
    // The header's column map, and how a quote-free record splits into those columns (the
    // split knows the header's width).
    let mut header: Option<(ColumnMap, Split)> = None;
    let mut candidates: Vec<(u32, Vec<String>)> = Vec::new();
    let mut pending = Pending { buf: Vec::new(), lines: Vec::new() };
    // Quote-free records of the current block, (row, start, end), split in place.
    let mut plain: Vec<(u32, usize, usize)> = Vec::new();
    for block in blocks {
        let block = block?;
        let text = block.text.as_str();
        for rec in &block.recs {
            let row = u32::try_from(rec.line).unwrap_or(u32::MAX);
            let bytes = &text.as_bytes()[rec.start..rec.end];
            if rec.line <= u64::from(layout.skip_rows) {
                continue;
            }
            let Some((map, split)) = &header else {
                if rec.blank {
                    continue;
                }
                let cand = (row, split_fields(bytes, sep, quote));
                match find_header(spec, &label, std::slice::from_ref(&cand)) {
                    Ok((_, map)) => {
                        tally.report.header_row = row;
                        let split = Split::new(sep, cand.1.len(), &map);
                        header = Some((map, split));
                    }
                    Err(e @ ParseError::DuplicateColumn { .. }) => return Err(e),
                    Err(_) => {
                        candidates.push(cand);
                        if candidates.len() >= HEADER_SEARCH_ROWS {
                            return Err(find_header(spec, &label, &candidates)
                                .err()
                                .unwrap_or(ParseError::Invalid { file: label, reason: "no header row".into() }));
                        }
                    }
                }
                continue;
            };
            if rec.blank {
                tally.blank(1);
                continue;
            }
            if let Some(footer) = &layout.footer {
                let fields = split_fields(bytes, sep, quote);
                let first = fields.iter().map(|f| f.trim()).find(|f| !f.is_empty()).unwrap_or("");
                if footer.is_match(first) {
                    flush_plain(&mut plain, text, split, &mut tally, on_row);
                    flush(&mut pending, split.width, map, sep, quote, &label, &mut tally, on_row)?;
                    let cells: Vec<Cell<'_>> = map
                        .positions
                        .iter()
                        .map(|p| p.and_then(|p| fields.get(p)).map_or(Cell::Empty, |f| Cell::Text(f.as_str())))
                        .collect();
                    on_row.footer(&mut tally, row, &cells);
                    continue;
                }
            }
            if rec.unterminated {
                tally.reject_row(row, "a quoted field is never closed (a `\"` is missing)".into());
                continue;
            }
            if rec.quoted && rec.fields != split.width {
                tally.reject_row(row, ragged(rec.fields, split.width));
                continue;
            }
            if !rec.quoted {
                // Rows keep file order: polars' pending rows go first.
                flush(&mut pending, split.width, map, sep, quote, &label, &mut tally, on_row)?;
                plain.push((row, rec.start, rec.end));
                continue;
            }
            flush_plain(&mut plain, text, split, &mut tally, on_row);
            pending.buf.extend_from_slice(bytes);
            pending.buf.push(b'\n');
            pending.lines.push(row);
            if pending.buf.len() >= BLOCK {
                flush(&mut pending, split.width, map, sep, quote, &label, &mut tally, on_row)?;
            }
        }
        if let Some((_, split)) = &header {
            flush_plain(&mut plain, text, split, &mut tally, on_row);
        }
        done += block.bytes;
        let rows = tally.report.read;
        crate::progress::report(|p| p.advance(done, rows));
        // The reader reuses the block's memory; if it has stopped, the block is simply freed.
        let _ = give_back.try_send(block);
    }
    let Some((map, split)) = header else {
        return Err(find_header(spec, &label, &candidates)
            .err()
            .unwrap_or(ParseError::Invalid { file: label, reason: "no header row".into() }));
    };
    flush(&mut pending, split.width, &map, sep, quote, &label, &mut tally, on_row)?;
    crate::progress::report(|p| p.finish());
    tally.rejections.sort_by_key(|r| r.source.row);
    tally.finish()
}

/// Hands the block's quote-free records over, unsplit.
fn flush_plain<B: Batch>(plain: &mut Vec<(u32, usize, usize)>, text: &str, split: &Split, tally: &mut Tally, on_row: &mut B) {
    if plain.is_empty() {
        return;
    }
    on_row.records(tally, text, plain, split);
    plain.clear();
}

/// Parses the pending clean records with polars and hands the rows over as a batch.
#[allow(clippy::too_many_arguments)]
fn flush<B: Batch>(
    pending: &mut Pending,
    width: usize,
    map: &ColumnMap,
    sep: u8,
    quote: Option<u8>,
    label: &str,
    tally: &mut Tally,
    on_row: &mut B,
) -> Result<(), ParseError> {
    if pending.lines.is_empty() {
        return Ok(());
    }
    let schema = Schema::from_iter((0..width).map(|i| Field::new(format!("c{i}").into(), DataType::String)));
    let data = std::mem::take(&mut pending.buf);
    let lines = std::mem::take(&mut pending.lines);
    let polars_err = |e: polars::prelude::PolarsError| ParseError::Invalid {
        file: label.to_string(),
        reason: format!("CSV could not be parsed: {e}"),
    };
    let df = CsvReadOptions::default()
        .with_has_header(false)
        .with_schema(Some(Arc::new(schema)))
        .with_parse_options(CsvParseOptions::default().with_separator(sep).with_quote_char(quote).with_missing_is_null(false))
        .into_reader_with_file_handle(Cursor::new(data))
        .finish()
        .map_err(polars_err)?;
    if df.height() != lines.len() {
        return Err(ParseError::Invalid {
            file: label.to_string(),
            reason: format!("CSV reader found {} rows in {} records", df.height(), lines.len()),
        });
    }
    // Materialize only the mapped columns, as borrowed text.
    let mut cols: Vec<Option<Vec<&str>>> = Vec::with_capacity(map.positions.len());
    for pos in &map.positions {
        match pos {
            None => cols.push(None),
            Some(p) => {
                let ca = df.columns()[*p].str().map_err(polars_err)?;
                cols.push(Some(ca.iter().map(|v| v.unwrap_or("")).collect()));
            }
        }
    }
    on_row.rows(tally, &lines, &cols);
    Ok(())
}

/// Windows-1252 to UTF-8: ASCII and Latin-1 as they are, 0x80..0x9F through the code page
/// (the five bytes it leaves undefined become U+FFFD, visible in any rejected value).
fn windows_1252_to_utf8(raw: &[u8], out: &mut Vec<u8>) {
    const HIGH: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž', '\u{FFFD}', '\u{FFFD}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}', 'ž', 'Ÿ',
    ];
    out.reserve(raw.len());
    let mut tmp = [0u8; 4];
    for &b in raw {
        if b < 0x80 {
            out.push(b);
        } else {
            let c = if b < 0xA0 { HIGH[usize::from(b - 0x80)] } else { char::from(b) };
            out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
    }
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(s: &str) -> Vec<Rec> {
        let mut line = 1;
        let mut out = Vec::new();
        let n = scan(s.as_bytes(), b',', Some(b'"'), true, &mut line, &mut out);
        assert_eq!(n, s.len());
        out
    }

    #[test]
    fn scan_counts_lines_fields_blanks_and_quotes() {
        let r = recs("a,b\r\n\r\n,,\n\"x\ny\",2\nlast,1");
        let got: Vec<(u64, usize, bool, bool)> = r.iter().map(|r| (r.line, r.fields, r.blank, r.quoted)).collect();
        assert_eq!(
            got,
            vec![(1, 0, false, false), (2, 0, true, false), (3, 0, true, false), (4, 2, false, true), (6, 0, false, false)]
        );
        assert!(recs("a,\"open\n").last().unwrap().unterminated);
    }

    /// The byte-at-a-time scan the memchr one replaced: the reference it must agree with.
    fn scan_reference(buf: &[u8], sep: u8, quote: Option<u8>, at_eof: bool, line: &mut u64, recs: &mut Vec<Rec>) -> usize {
        let q = quote.unwrap_or(b'\n');
        let (mut pos, mut in_q, mut fields, mut nonblank, mut inner) = (0, false, 1, false, 0u64);
        let mut quoted = false;
        for (i, &b) in buf.iter().enumerate() {
            if b == q && b != b'\n' {
                in_q = !in_q;
                nonblank = true;
                quoted = true;
            } else if b == b'\n' {
                if in_q {
                    inner += 1;
                    continue;
                }
                let mut end = i;
                if end > pos && buf[end - 1] == b'\r' {
                    end -= 1;
                }
                recs.push(Rec { start: pos, end, line: *line, fields, blank: !nonblank, unterminated: false, quoted });
                *line += 1 + inner;
                (pos, fields, nonblank, inner, quoted) = (i + 1, 1, false, 0, false);
            } else if in_q {
                continue;
            } else if b == sep {
                fields += 1;
            } else if !matches!(b, b' ' | b'\t' | b'\r') {
                nonblank = true;
            }
        }
        if at_eof && pos < buf.len() {
            let mut end = buf.len();
            if buf[end - 1] == b'\r' {
                end -= 1;
            }
            recs.push(Rec { start: pos, end, line: *line, fields, blank: !nonblank, unterminated: in_q, quoted });
            *line += 1 + inner;
            pos = buf.len();
        }
        pos
    }

    /// Reads `content` as a table of columns a, b, c (b optional in the spec, so a file may
    /// order them freely); returns every row handed over as (row, texts), and the counts.
    fn read_rows(content: &str) -> (Vec<(u32, Vec<String>)>, InputReport) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, content).unwrap();
        let input =
            InputRef { name: "t.csv".into(), path, member: None, sheet: None, format: crate::table::Format::Csv, profile: None };
        let spec = Columns { kind: "t", required: vec!["a", "c"], optional: vec!["b"] };
        let mut rows = Vec::new();
        let mut on_row = |src: &SourceRef, cells: &[Cell<'_>], _: RowKind| -> Result<Taken, RowError> {
            let raw = |c: &Cell<'_>| match c {
                Cell::Text(s) => s.to_string(),
                other => other.display(),
            };
            rows.push((src.row, cells.iter().map(raw).collect()));
            Ok(Taken::Accepted)
        };
        let (report, _) = read_csv(&input, &spec, &Layout::default(), &mut Serial(&mut on_row)).unwrap();
        (rows, report)
    }

    #[test]
    fn quote_free_records_are_split_in_place_in_file_order_with_quoted_ones() {
        let (rows, report) = read_rows("c,a,b,extra\n3, 1 ,2,x\n\"6\",4,\"5,5\",y\n9,7,,z\r\n");
        assert_eq!(
            rows,
            vec![
                (2, vec![" 1 ".to_string(), "3".into(), "2".into()]),
                (3, vec!["4".into(), "6".into(), "5,5".into()]),
                (4, vec!["7".into(), "9".into(), "".into()]),
            ]
        );
        assert_eq!((report.read, report.accepted, report.rejected), (3, 3, 0));
    }

    proptest::proptest! {
        /// A record with no quote byte, split in place, gives exactly what polars gives for
        /// the same fields quoted; a file mixing both keeps its rows in order.
        #[test]
        fn split_in_place_agrees_with_polars(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-zA-Z0-9 .\t$é€-]{0,6}", 4),
                1..40,
            ),
            quote_mask in proptest::collection::vec(proptest::bool::ANY, 40),
        ) {
            let header = "a,b,c,d\n";
            let plain: String = rows.iter().map(|r| r.join(",") + "\n").collect();
            let quoted: String = rows.iter().map(|r| r.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(",") + "\n").collect();
            let mixed: String = rows
                .iter()
                .zip(&quote_mask)
                .map(|(r, &q)| if q { r.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(",") } else { r.join(",") } + "\n")
                .collect();
            let a = read_rows(&format!("{header}{plain}"));
            let b = read_rows(&format!("{header}{quoted}"));
            let c = read_rows(&format!("{header}{mixed}"));
            proptest::prop_assert_eq!(&a.0, &b.0);
            proptest::prop_assert_eq!(&a.0, &c.0);
            proptest::prop_assert_eq!((a.1.read, a.1.blank), (b.1.read, b.1.blank));
        }

        /// The word-at-a-time split finds the same fields as splitting at every separator.
        #[test]
        fn fill_agrees_with_a_plain_split(rec in "[a,b|é€\t ]{0,80}", piped: bool) {
            let sep = if piped { '|' } else { ',' };
            let fields: Vec<&str> = rec.split(sep).collect();
            let map = ColumnMap { positions: (0..fields.len()).map(Some).collect() };
            let split = Split::new(sep as u8, fields.len(), &map);
            let mut cells = vec![Cell::Empty; fields.len()];
            proptest::prop_assert!(split.fill(&rec, &mut cells).is_ok());
            let got: Vec<&str> = cells.iter().map(|c| match c { Cell::Text(t) => *t, _ => "<empty>" }).collect();
            proptest::prop_assert_eq!(got, fields);
        }

        #[test]
        fn the_fast_scan_agrees_with_the_byte_scan(
            bytes in proptest::collection::vec(proptest::sample::select(b"ab,|\"\n\r \t".to_vec()), 0..200),
            at_eof: bool,
            piped: bool,
            quoted: bool,
        ) {
            let sep = if piped { b'|' } else { b',' };
            let quote = quoted.then_some(b'"');
            let (mut l1, mut l2, mut r1, mut r2) = (1, 1, Vec::new(), Vec::new());
            let n1 = scan(&bytes, sep, quote, at_eof, &mut l1, &mut r1);
            let n2 = scan_reference(&bytes, sep, quote, at_eof, &mut l2, &mut r2);
            // The fast scan leaves a quote-free record's fields to the split.
            for r in r2.iter_mut().filter(|r| !r.quoted) {
                r.fields = 0;
            }
            proptest::prop_assert_eq!((n1, l1, r1), (n2, l2, r2));
        }
    }

    #[test]
    fn incomplete_record_waits_for_the_next_block() {
        let mut line = 1;
        let mut out = Vec::new();
        let n = scan(b"a,b\nc,\"d\ne", b',', Some(b'"'), false, &mut line, &mut out);
        assert_eq!((n, out.len(), line), (4, 1, 2));
    }

    #[test]
    fn header_fields_unquote() {
        assert_eq!(split_fields(b"\"Start Date\",\"a \"\"b\"\"\",c", b',', Some(b'"')), vec!["Start Date", "a \"b\"", "c"]);
        assert_eq!(split_fields(b"a\"b|c", b'|', None), vec!["a\"b", "c"]);
    }

    #[test]
    fn unquoted_layouts_and_other_delimiters() {
        let mut line = 1;
        let mut out = Vec::new();
        scan(b"a|\"b\nc|d\n", b'|', None, true, &mut line, &mut out);
        assert_eq!(out.iter().map(|r| (r.line, r.quoted)).collect::<Vec<_>>(), vec![(1, false), (2, false)]);
        let map = ColumnMap { positions: vec![Some(0), Some(1)] };
        let split = Split::new(b'|', 2, &map);
        let mut cells = vec![Cell::Empty; 2];
        assert_eq!(split.fill("a|\"b", &mut cells), Ok(()));
        assert_eq!(cells, vec![Cell::Text("a"), Cell::Text("\"b")]);
        assert_eq!(split.fill("a|b|c", &mut cells), Err("has 3 fields where the header has 2".to_string()));
    }

    #[test]
    fn windows_1252_decodes_the_code_page() {
        let mut out = Vec::new();
        windows_1252_to_utf8(b"caf\xe9 \x80 5 \x93ok\x94 \x81", &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "café € 5 “ok” \u{FFFD}");
    }
}
