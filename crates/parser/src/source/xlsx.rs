//! XLSX tables through calamine, streamed: cells come from `worksheet_cells_reader` in sheet
//! order and reach the consumer in runs of [`RUN_ROWS`] rows, so memory holds a run, never a
//! sheet. A sheet's declared dimensions (a malformed file can claim a billion rows) are never
//! used to size anything.
//!
//! calamine has panicked on malformed workbooks: every call into it runs under `catch_unwind`,
//! and a panic becomes an error naming the file. The process-wide panic hook is never swapped
//! here; [`quiet_contained_panics`], called once by the binary, keeps contained panics off
//! stderr.

use std::cell::Cell as Flag;
use std::io::{Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{DataRef, Reader, Xlsx};

use billrecon_model::{InputReport, Rejection};

use crate::error::ParseError;
use crate::header::{is_footer, HeaderSearch};
use crate::source::archive;
use crate::source::rows::{FileRef, Line, Run, TakeRuns};
use crate::table::{ColumnMap, Columns, Layout, Tally};
use crate::value::{Cell, OwnedCell};

/// Columns beyond this are ignored: no table is anywhere near this wide.
const MAX_COLUMNS: u32 = 512;

/// Rows handed to the consumer at a time.
const RUN_ROWS: usize = if cfg!(test) { 3 } else { 8192 };

thread_local! {
    /// Set while this thread runs code whose panics are contained.
    static CONTAINING: Flag<bool> = const { Flag::new(false) };
}

/// Installs, once per process, a panic hook that stays silent for a panic a reader contains (and
/// reports as an error) and passes every other panic to the hook that was there before.
pub fn quiet_contained_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINING.with(Flag::get) {
                previous(info);
            }
        }));
    });
}

/// Runs a call into calamine, turning a panic into an error naming the file.
fn contained<T>(file: &str, f: impl FnOnce() -> T) -> Result<T, ParseError> {
    CONTAINING.with(|c| c.set(true));
    let out = catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(false));
    out.map_err(|_| ParseError::Workbook {
        file: file.to_string(),
        reason: "the workbook is malformed (the XLSX reader failed on it)".into(),
    })
}

fn convert(v: DataRef<'_>) -> OwnedCell {
    match v {
        DataRef::Empty => OwnedCell::Empty,
        DataRef::Int(i) => OwnedCell::Number(i as f64),
        DataRef::Float(f) => OwnedCell::Number(f),
        DataRef::String(s) => OwnedCell::Text(s),
        DataRef::SharedString(s) => OwnedCell::Text(s.to_string()),
        DataRef::Bool(b) => OwnedCell::Bool(b),
        DataRef::DateTime(dt) => {
            if dt.is_datetime() {
                match dt.as_datetime() {
                    Some(d) => OwnedCell::DateTime(d),
                    None => OwnedCell::Number(dt.as_f64()),
                }
            } else {
                OwnedCell::Number(dt.as_f64())
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => OwnedCell::Text(s),
        DataRef::Error(e) => OwnedCell::Error(e.to_string()),
    }
}

/// A row of the sheet as gathered: its number and its non-empty cells by column.
struct SheetRow {
    row: u32,
    cells: Vec<(u32, OwnedCell)>,
}

impl SheetRow {
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, v)| v.as_cell().is_blank())
    }

    fn texts(&self) -> Vec<String> {
        let width = self.cells.iter().map(|(c, _)| *c + 1).max().unwrap_or(0) as usize;
        let mut fields = vec![String::new(); width];
        for (c, v) in &self.cells {
            fields[*c as usize] = v.as_cell().display();
        }
        fields
    }
}

/// What a run holds of one row.
enum Kept {
    Blank { count: u64 },
    Data { row: u32, cells: Vec<OwnedCell>, footer: bool },
}

/// Rows of a sheet, as the columns asked for.
struct SheetRun {
    rows: Vec<Kept>,
    columns: usize,
    sheet: std::sync::Arc<str>,
}

impl Run for SheetRun {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn sheet(&self) -> Option<std::sync::Arc<str>> {
        Some(self.sheet.clone())
    }

    fn rows<'s, F: FnMut(Line<'_, 's>)>(&'s self, mut f: F) {
        let mut cells: Vec<Cell<'s>> = vec![Cell::Empty; self.columns];
        for r in &self.rows {
            match r {
                Kept::Blank { count } => f(Line::Blank { count: *count }),
                Kept::Data { row, cells: owned, footer } => {
                    for (slot, v) in cells.iter_mut().zip(owned) {
                        *slot = v.as_cell();
                    }
                    if *footer {
                        f(Line::Footer { row: *row, cells: &cells });
                    } else {
                        f(Line::Data { row: *row, cells: &cells });
                    }
                }
            }
        }
    }
}

/// Every sheet's first `rows` non-blank rows (row number, cell texts): what `billrecon init`
/// looks at to recognize a table.
/// A workbook's bytes: a file on disk, or a member of a zip read into memory.
trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// Opens the workbook `file` names (on disk or inside a zip), under `catch_unwind`.
fn open(file: &FileRef) -> Result<Xlsx<Box<dyn ReadSeek>>, ParseError> {
    let name = file.name.clone();
    if !file.path.exists() {
        return Err(ParseError::Open { file: name, reason: "no such file".into() });
    }
    // An OLE container, not a zip: a password-protected workbook, or an old binary .xls.
    let mut head = [0u8; 8];
    let ole = match &file.member {
        None => std::fs::File::open(&file.path).and_then(|mut f| f.read_exact(&mut head)).is_ok(),
        Some(_) => false,
    } && head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if ole {
        return Err(ParseError::Workbook {
            file: name,
            reason: "the workbook is password-protected (encrypted) or an old .xls: open it in Excel and save it as .xlsx without a password".into(),
        });
    }
    let bytes: Box<dyn ReadSeek> = match &file.member {
        None => Box::new(std::io::BufReader::new(
            std::fs::File::open(&file.path)
                .map_err(|e| ParseError::Open { file: name.clone(), reason: crate::error::io_reason(&e) })?,
        )),
        Some(_) => Box::new(std::io::Cursor::new(archive::read_member(file)?)),
    };
    contained(&name, || Xlsx::new(bytes))?
        .map_err(|e: calamine::XlsxError| ParseError::Workbook { file: name.clone(), reason: e.to_string() })
}

/// Calls `f` with each row of `sheet` that holds a value, in sheet order (cells past
/// [`MAX_COLUMNS`] and empty cells left out), until `f` says to stop.
fn each_row<R: Read + Seek>(
    wb: &mut Xlsx<R>,
    sheet: &str,
    label: &str,
    mut f: impl FnMut(SheetRow) -> Result<bool, ParseError>,
) -> Result<(), ParseError> {
    let mut reader = contained(label, || wb.worksheet_cells_reader(sheet))?
        .map_err(|e| ParseError::Workbook { file: label.to_string(), reason: e.to_string() })?;
    let mut current: Option<SheetRow> = None;
    loop {
        let next = contained(label, || reader.next_cell())?
            .map_err(|e| ParseError::Workbook { file: label.to_string(), reason: e.to_string() })?;
        let Some(cell) = next else { break };
        let (r, c) = cell.get_position();
        if c >= MAX_COLUMNS {
            continue;
        }
        let v = convert(cell.get_value().clone());
        if v == OwnedCell::Empty {
            continue;
        }
        if current.as_ref().is_some_and(|cur| cur.row != r + 1) {
            if let Some(done) = current.take() {
                if !f(done)? {
                    return Ok(());
                }
            }
        }
        current.get_or_insert_with(|| SheetRow { row: r + 1, cells: Vec::new() }).cells.push((c, v));
    }
    if let Some(done) = current.take() {
        f(done)?;
    }
    Ok(())
}

/// Every sheet's first `rows` non-blank rows (row number, cell texts): what `billrecon init`
/// looks at to recognize a table.
#[allow(clippy::type_complexity)]
pub(crate) fn peek(file: &FileRef, rows: usize) -> Result<Vec<(String, Vec<(u32, Vec<String>)>)>, ParseError> {
    let mut wb = open(file)?;
    let mut out = Vec::new();
    for sheet in wb.sheet_names() {
        let label = format!("{}:{sheet}", file.name);
        let mut got: Vec<(u32, Vec<String>)> = Vec::new();
        each_row(&mut wb, &sheet, &label, |r| {
            if !r.is_blank() {
                got.push((r.row, r.texts()));
            }
            Ok(got.len() < rows)
        })?;
        out.push((sheet, got));
    }
    Ok(out)
}

/// The date a workbook on disk was last saved, from its document properties
/// (`docProps/core.xml`, `dcterms:modified`, else `dcterms:created`), when it says.
pub(crate) fn saved_on(file: &FileRef) -> Option<chrono::NaiveDate> {
    if file.member.is_some() {
        return None;
    }
    let f = std::fs::File::open(&file.path).ok()?;
    let mut zip = zip::ZipArchive::new(f).ok()?;
    let mut xml = String::new();
    zip.by_name("docProps/core.xml").ok()?.take(64 << 10).read_to_string(&mut xml).ok()?;
    let date_of = |tag: &str| -> Option<chrono::NaiveDate> {
        let open = xml.find(&format!("<{tag}"))?;
        let start = open + xml[open..].find('>')? + 1;
        let text = xml[start..].get(..10)?;
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    };
    date_of("dcterms:modified").or_else(|| date_of("dcterms:created"))
}

/// Reads the sheet, handing runs of rows to `take` in sheet order.
pub(crate) fn read<T: TakeRuns>(
    file: &FileRef,
    columns: &Columns<'_>,
    layout: &Layout,
    take: &mut T,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let total = archive::size(file);
    crate::progress::report(|p| p.start(&file.label(None), total));
    let wanted = file.sheet.as_deref().or(layout.sheet.as_deref());
    read_sheet(open(file)?, file, wanted, columns, layout, take, total)
}

/// How far a sheet is read: the header search, then runs of rows.
struct Progress<'c> {
    search: HeaderSearch<'c>,
    map: Option<ColumnMap>,
    run: SheetRun,
    /// The last row handed over (1-based), for the blank rows between rows with cells.
    last: u32,
}

#[allow(clippy::too_many_arguments)]
fn read_sheet<R: Read + Seek, T: TakeRuns>(
    mut wb: Xlsx<R>,
    file: &FileRef,
    wanted: Option<&str>,
    columns: &Columns<'_>,
    layout: &Layout,
    take: &mut T,
    total: u64,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let name = file.name.as_str();
    let sheets = wb.sheet_names();
    let sheet = match wanted {
        Some(s) => sheets.iter().find(|n| *n == s).cloned().ok_or_else(|| ParseError::NoSheet {
            file: name.to_string(),
            sheet: s.to_string(),
            available: sheets.join(", "),
        })?,
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| ParseError::Workbook { file: name.to_string(), reason: "it has no sheets".into() })?,
    };
    let label = format!("{name}:{sheet}");
    let mut tally = Tally::new(columns.kind, name, Some(sheet.clone()), None);
    let mut state = Progress {
        search: HeaderSearch::new(columns, &label),
        map: None,
        run: SheetRun { rows: Vec::new(), columns: columns.width(), sheet: sheet.as_str().into() },
        last: 0,
    };
    each_row(&mut wb, &sheet, &label, |r| state.row(r, layout, &mut tally, take).map(|()| true))?;
    if state.map.is_none() {
        return Err(state.search.not_found());
    }
    state.flush(&mut tally, take);
    crate::progress::report(|p| p.advance(total, tally.report.read));
    crate::progress::report(|p| p.finish());
    tally.finish()
}

impl Progress<'_> {
    /// One gathered row: offered to the header search, or kept in the run.
    fn row<T: TakeRuns>(&mut self, r: SheetRow, layout: &Layout, tally: &mut Tally, take: &mut T) -> Result<(), ParseError> {
        let Some(map) = &self.map else {
            if r.row > layout.skip_rows && !r.is_blank() {
                if let Some(m) = self.search.offer(r.row, r.texts())? {
                    tally.report.header_row = r.row;
                    self.last = r.row;
                    self.map = Some(m);
                }
            }
            return Ok(());
        };
        // Rows with no cells at all between this one and the last are blank rows too.
        if r.row > self.last + 1 {
            self.run.rows.push(Kept::Blank { count: u64::from(r.row - self.last - 1) });
        }
        self.last = self.last.max(r.row);
        let footer = layout.footer.is_some() && {
            let mut sorted: Vec<&(u32, OwnedCell)> = r.cells.iter().collect();
            sorted.sort_by_key(|(c, _)| *c);
            let texts: Vec<String> = sorted.iter().map(|(_, v)| v.as_cell().display()).collect();
            is_footer(layout, texts.iter().map(String::as_str))
        };
        let mut cells = vec![OwnedCell::Empty; map.positions.len()];
        for (c, v) in r.cells {
            if let Some(slot) = map.positions.iter().position(|p| *p == Some(c as usize)) {
                cells[slot] = v;
            }
        }
        self.run.rows.push(Kept::Data { row: r.row, cells, footer });
        if self.run.rows.len() >= RUN_ROWS {
            self.flush(tally, take);
        }
        Ok(())
    }

    fn flush<T: TakeRuns>(&mut self, tally: &mut Tally, take: &mut T) {
        if !self.run.rows.is_empty() {
            take.take(tally, &self.run);
            self.run.rows.clear();
            let rows = tally.report.read;
            crate::progress::report(|p| p.advance(0, rows));
        }
    }
}
