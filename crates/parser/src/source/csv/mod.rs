//! CSV tables, every record on one path whether it quotes or not.
//!
//! - `read`: a reading thread fills blocks of whole lines (decoded, BOM removed).
//! - `scan`: `csv-core` parses a chunk of a block: fields, line numbers, empty lines.
//! - `split`: blocks into chunks; records into the cells of the columns asked for.
//! - `decode`: the Windows code page, the byte-order mark.
//!
//! This module finds the header in the first records, then hands the rest over. For a
//! [`RowSink`] each block is parsed on this thread as one chunk. For a [`RunSink`] each block
//! is cut into chunks at line breaks and every chunk is parsed and converted on rayon's pool;
//! a cut can only fall inside a record if a quoted field holds a line break, and then that
//! chunk's parse ends open, the next chunk's speculative result is dropped, and it is parsed
//! and converted again from where the record started. Results are taken in file order, so the
//! outcome depends on neither the number of cores nor where chunks are cut.

mod decode;
mod read;
mod scan;
mod split;

use billrecon_model::{InputReport, Rejection};

use crate::error::ParseError;
use crate::header::HeaderSearch;
use crate::source::archive;
use crate::source::rows::{FileRef, RowSink, RunSink, Serial, TakeRuns};
use crate::table::{ColumnMap, Columns, Encoding, Layout, Tally};

use scan::{End, Scanner};
use split::{row_number, CsvRun};

/// Bytes parsed at a time by one core: small enough that a block keeps both cores busy to its
/// end, large enough that a chunk's set-up costs nothing. (Unit tests cut tiny chunks.)
const CHUNK: usize = if cfg!(test) { 48 } else { 256 << 10 };

/// The part of a block after the header, handed to a body reader.
struct Body<'b> {
    bytes: &'b [u8],
    /// The line `bytes` starts on.
    line: u64,
    at_eof: bool,
    map: &'b ColumnMap,
    /// The file's parser (built once per read) and its name for messages.
    scanner: &'b Scanner,
    label: &'b str,
}

/// A chunk parsed and converted: where its parse ended, what the sink made of it, and how many
/// of its rows were short of trailing fields (read as empty).
type Chunked<P> = Result<(End, (P, u64)), ParseError>;

/// Where a body reader stopped: bytes done and the line after them. Bytes not done are an
/// unfinished record, carried to the next block.
type Done = (usize, u64);

/// Reads the table with its rows handed to `sink` one at a time.
pub(crate) fn read_rows<S: RowSink>(
    file: &FileRef,
    columns: &Columns<'_>,
    layout: &Layout,
    sink: &mut S,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    read(file, columns, layout, |tally, body| {
        let parsed = scan::parse(body.bytes, body.line, body.at_eof, body.scanner, body.label)?;
        let run = CsvRun::new(&parsed, body.map, layout);
        Serial(sink).take(tally, &run);
        tally.report.short += run.short();
        let end = parsed.end;
        scan::recycle(parsed);
        Ok(done(body, end, 0))
    })
}

/// Reads the table with chunks of rows converted by `sink` on every core.
pub(crate) fn read_runs<S: RunSink>(
    file: &FileRef,
    columns: &Columns<'_>,
    layout: &Layout,
    sink: &mut S,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    use rayon::prelude::*;
    read(file, columns, layout, |tally, body| {
        let cuts = split::chunks(body.bytes, CHUNK);
        // The line each chunk starts on, from the line breaks before it.
        let breaks: Vec<u64> =
            cuts.par_iter().map(|r| memchr::memchr_iter(b'\n', &body.bytes[r.clone()]).count() as u64).collect();
        let lines: Vec<u64> = breaks
            .iter()
            .scan(body.line, |l, n| {
                let at = *l;
                *l += n;
                Some(at)
            })
            .collect();
        let at_eof = |r: &std::ops::Range<usize>| body.at_eof && r.end == body.bytes.len();
        let shared: &S = sink;
        // A chunk's short rows are counted with its part: a chunk read again from an open
        // record replaces its first reading's count too.
        let run = |bytes: &[u8], line: u64, eof: bool| -> Chunked<S::Part> {
            let parsed = scan::parse(bytes, line, eof, body.scanner, body.label)?;
            let csv = CsvRun::new(&parsed, body.map, layout);
            let part = shared.run(&csv);
            let short = csv.short();
            let end = parsed.end;
            scan::recycle(parsed);
            Ok((end, (part, short)))
        };
        // Every chunk at once, each assumed to start a record.
        let mut results: Vec<Option<Chunked<S::Part>>> =
            cuts.par_iter().zip(&lines).map(|(r, &line)| Some(run(&body.bytes[r.clone()], line, at_eof(r)))).collect();
        // In file order: a chunk after one that ended open is read again from that record.
        let mut open: Option<(usize, u64)> = None;
        let mut parts = Vec::with_capacity(cuts.len());
        for (k, r) in cuts.iter().enumerate() {
            let (end, part, base) = match open.take() {
                None => {
                    let (end, part) = results[k].take().unwrap_or_else(|| Err(lost(body.label)))?;
                    (end, part, r.start)
                }
                Some((from, line)) => {
                    let (end, part) = run(&body.bytes[from..r.end], line, at_eof(r))?;
                    (end, part, from)
                }
            };
            let (part, short) = part;
            tally.report.short += short;
            parts.push(part);
            if let End::Open { tail, line } = end {
                open = Some((base + tail, line));
            }
        }
        // Neighbouring chunks' results merge on whichever core is free (rayon keeps their
        // order); the block's result is absorbed once.
        if let Some(part) = parts.into_par_iter().reduce_with(|a, b| shared.merge(a, b)) {
            sink.absorb(tally, part);
        }
        Ok(match open {
            Some((from, line)) => (from, line),
            None => (body.bytes.len(), lines.last().zip(breaks.last()).map_or(body.line, |(l, b)| l + b)),
        })
    })
}

fn lost(label: &str) -> ParseError {
    ParseError::Invalid { file: label.to_string(), reason: "internal error: a chunk's result was lost".into() }
}

/// Bytes done and the line after them, for a body parsed as one chunk from `offset`.
fn done(body: &Body<'_>, end: End, offset: usize) -> Done {
    match end {
        End::Clean { next_line } => (body.bytes.len(), next_line),
        End::Open { tail, line } => (offset + tail, line),
    }
}

/// Reads the file block by block: finds the header among the first records, then hands every
/// block's records after it to `body`. Records cut by the end of a block are carried into the
/// next.
fn read<F>(
    file: &FileRef,
    columns: &Columns<'_>,
    layout: &Layout,
    mut body: F,
) -> Result<(InputReport, Vec<Rejection>), ParseError>
where
    F: FnMut(&mut Tally, &Body<'_>) -> Result<Done, ParseError>,
{
    let label = file.label(None);
    if let Some(sheet) = &file.sheet {
        return Err(ParseError::Invalid {
            file: file.name.clone(),
            reason: format!("a CSV file has no sheets (remove `#{sheet}`)"),
        });
    }
    crate::progress::report(|p| p.start(&label, archive::size(file)));
    let scanner = Scanner::for_layout(layout);
    let mut tally = Tally::new(columns.kind, &file.name, None, None);
    let mut search = HeaderSearch::new(columns, &label);
    let mut map: Option<ColumnMap> = None;
    // An unfinished record from the block before, and the line it starts on.
    let mut carry: Vec<u8> = Vec::new();
    let mut line: u64 = 1;
    let mut done_bytes = 0u64;
    read::blocks(file, layout.encoding, |block| {
        let mut joined = Vec::new();
        let bytes: &[u8] = if carry.is_empty() {
            &block.bytes
        } else {
            joined.append(&mut carry);
            joined.extend_from_slice(&block.bytes);
            &joined
        };
        let mut at = 0;
        if map.is_none() {
            let (used, next, found) = header(&bytes[at..], line, block.at_eof, layout, &scanner, &label, &mut search)?;
            at += used;
            line = next;
            if let Some((row, m)) = found {
                tally.report.header_row = row;
                map = Some(m);
            }
        }
        if let Some(m) = &map {
            let chunk = Body { bytes: &bytes[at..], line, at_eof: block.at_eof, map: m, scanner: &scanner, label: &label };
            let (used, next) = body(&mut tally, &chunk)?;
            at += used;
            line = next;
        }
        if at < bytes.len() && carry.is_empty() {
            carry.extend_from_slice(&bytes[at..]);
        }
        if carry.len() > read::MAX_LINE {
            return Err(ParseError::Invalid {
                file: label.clone(),
                reason: format!(
                    "the record on line {line} is longer than {} MiB: this is not a table of rows",
                    read::MAX_LINE >> 20
                ),
            });
        }
        done_bytes += block.read;
        let rows = tally.report.read;
        crate::progress::report(|p| p.advance(done_bytes, rows));
        Ok(block.bytes)
    })?;
    let Some(_) = map else { return Err(search.not_found()) };
    if !carry.is_empty() {
        return Err(ParseError::Invalid { file: label, reason: "internal error: the last record was not read".into() });
    }
    crate::progress::report(|p| p.finish());
    tally.finish()
}

/// Looks for the header in `bytes` (starting at a record boundary on `line`): the records after
/// the skipped rows, blank ones passed over, are offered to the search one at a time. Returns
/// the bytes used, the line after them, and the header's row and column map once found.
#[allow(clippy::type_complexity)]
fn header(
    bytes: &[u8],
    line: u64,
    at_eof: bool,
    layout: &Layout,
    scanner: &Scanner,
    label: &str,
    search: &mut HeaderSearch<'_>,
) -> Result<(usize, u64, Option<(u32, ColumnMap)>), ParseError> {
    let (mut at, mut line) = (0, line);
    while at < bytes.len() {
        // One line at a time (a header never holds a line break); a quoted record that spans
        // lines is parsed whole from where it starts.
        let mut to = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |k| at + k + 1);
        let parsed = loop {
            let eof = at_eof && to == bytes.len();
            let p = scan::parse(&bytes[at..to], line, eof, scanner, label)?;
            match p.end {
                End::Open { .. } if to < bytes.len() => {
                    to = memchr::memchr(b'\n', &bytes[to..]).map_or(bytes.len(), |k| to + k + 1);
                }
                End::Open { .. } => return Ok((at, line, None)),
                End::Clean { .. } => break p,
            }
        };
        let next = match parsed.end {
            End::Clean { next_line } => next_line,
            End::Open { line, .. } => line,
        };
        for rec in &parsed.recs {
            if let scan::Rec::Fields { line: l, fields, .. } = rec {
                let values: Vec<String> = parsed.fields(fields).map(str::to_string).collect();
                if *l <= u64::from(layout.skip_rows) || values.iter().all(|v| v.trim().is_empty()) {
                    continue;
                }
                if let Some(m) = search.offer(row_number(*l), values)? {
                    return Ok((to, next, Some((row_number(*l), m))));
                }
            }
        }
        at = to;
        line = next;
    }
    Ok((at, line, None))
}

/// Bytes a peek reads at most: plenty for a header and the rows around it.
const PEEK_BYTES: usize = 256 << 10;

/// The first `rows` records of a file under `layout` (line number, field texts), empty lines
/// left out: what `billrecon init` looks at to recognize a table. Reads at most 256 KiB.
pub(crate) fn peek(file: &FileRef, layout: &Layout, rows: usize) -> Result<Vec<(u32, Vec<String>)>, ParseError> {
    use std::io::Read;
    let label = file.label(None);
    let mut raw = Vec::new();
    archive::with_reader(file, |r| r.take(PEEK_BYTES as u64).read_to_end(&mut raw))?
        .map_err(|e| ParseError::Open { file: label.clone(), reason: crate::error::io_reason(&e) })?;
    let at_eof = raw.len() < PEEK_BYTES;
    let mut bytes = match layout.encoding {
        Encoding::Utf8 => raw,
        Encoding::Windows1252 => {
            let mut out = Vec::with_capacity(raw.len());
            decode::windows_1252_to_utf8(&raw, &mut out);
            out
        }
    };
    decode::strip_bom(&mut bytes);
    if !at_eof {
        let cut = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
        bytes.truncate(cut);
    }
    let parsed = scan::parse(&bytes, 1, true, &Scanner::for_layout(layout), &label)?;
    let mut out = Vec::new();
    for rec in &parsed.recs {
        if let scan::Rec::Fields { line, fields, .. } = rec {
            out.push((row_number(*line), parsed.fields(fields).map(str::to_string).collect()));
            if out.len() >= rows {
                break;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
