//! XLSX tables through calamine.
//!
//! Cells are streamed with `worksheet_cells_reader`, so a sheet's declared dimensions (which a
//! malformed file can set to a million rows by sixteen thousand columns) are never trusted for
//! an allocation. calamine has panicked on malformed workbooks before: every call into it runs
//! under `catch_unwind`, and a panic becomes an error naming the file.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{open_workbook, DataRef, Reader, Xlsx};

use billrecon_model::{InputReport, Rejection, SourceRef};

use crate::error::ParseError;
use crate::table::{find_header, Columns, InputRef, Layout, RowError, RowKind, Taken, Tally, HEADER_SEARCH_ROWS};
use crate::value::{Cell, OwnedCell};

/// Columns beyond this are ignored: no canonical table is anywhere near this wide.
const MAX_COLUMNS: u32 = 512;

/// A sheet's rows: row index (0-based) to its cells by column.
type Rows = BTreeMap<u32, Vec<(u32, OwnedCell)>>;

/// Runs `f`, turning a panic into an error without printing the panic message.
pub(crate) fn contain_panics<T>(file: &str, f: impl FnOnce() -> Result<T, ParseError>) -> Result<T, ParseError> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    match out {
        Ok(r) => r,
        Err(_) => Err(ParseError::Workbook {
            file: file.to_string(),
            reason: "the workbook is malformed (the XLSX reader failed on it)".into(),
        }),
    }
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

/// Opens the workbook and reads one sheet's cells. Returns the sheet's name and its rows.
fn load_sheet(input: &InputRef, default_sheet: Option<&str>) -> Result<(String, Rows), ParseError> {
    let name = input.name.clone();
    contain_panics(&name, || {
        if !input.path.exists() {
            return Err(ParseError::Open { file: name.clone(), reason: "no such file".into() });
        }
        match &input.member {
            None => {
                let wb: Xlsx<_> = open_workbook(&input.path)
                    .map_err(|e: calamine::XlsxError| ParseError::Workbook { file: name.clone(), reason: e.to_string() })?;
                sheet_rows(wb, &name, input.sheet.as_deref().or(default_sheet))
            }
            Some(_) => {
                let bytes = crate::archive::read_member(input)?;
                let wb = Xlsx::new(std::io::Cursor::new(bytes))
                    .map_err(|e: calamine::XlsxError| ParseError::Workbook { file: name.clone(), reason: e.to_string() })?;
                sheet_rows(wb, &name, input.sheet.as_deref().or(default_sheet))
            }
        }
    })
}

/// One sheet's cells, streamed: the named sheet, or the first.
fn sheet_rows<R: std::io::Read + std::io::Seek>(
    mut wb: Xlsx<R>,
    name: &str,
    wanted: Option<&str>,
) -> Result<(String, Rows), ParseError> {
    {
        let name = name.to_string();
        let sheets = wb.sheet_names();
        let sheet = match wanted {
            Some(s) => sheets.iter().find(|n| *n == s).cloned().ok_or_else(|| ParseError::NoSheet {
                file: name.clone(),
                sheet: s.to_string(),
                available: sheets.join(", "),
            })?,
            None => sheets
                .first()
                .cloned()
                .ok_or_else(|| ParseError::Workbook { file: name.clone(), reason: "it has no sheets".into() })?,
        };
        let label = format!("{name}:{sheet}");
        let mut reader =
            wb.worksheet_cells_reader(&sheet).map_err(|e| ParseError::Workbook { file: label.clone(), reason: e.to_string() })?;
        let mut rows: Rows = BTreeMap::new();
        while let Some(cell) =
            reader.next_cell().map_err(|e| ParseError::Workbook { file: label.clone(), reason: e.to_string() })?
        {
            let (r, c) = cell.get_position();
            if c >= MAX_COLUMNS {
                continue;
            }
            let v = convert(cell.get_value().clone());
            if v != OwnedCell::Empty {
                rows.entry(r).or_default().push((c, v));
            }
        }
        Ok((sheet, rows))
    }
}

pub(crate) fn read_xlsx<F>(
    input: &InputRef,
    spec: &Columns<'_>,
    layout: &Layout,
    on_row: &mut F,
) -> Result<(InputReport, Vec<Rejection>), ParseError>
where
    F: FnMut(&SourceRef, &[Cell<'_>], RowKind) -> Result<Taken, RowError>,
{
    let total = crate::archive::size(input);
    crate::progress::report(|p| p.start(&input.label(None), total));
    let (sheet, rows) = load_sheet(input, layout.sheet.as_deref())?;
    crate::progress::report(|p| p.advance(total, rows.len() as u64));
    let label = input.label(Some(&sheet));
    let mut tally = Tally::new(spec.kind, input, Some(sheet));

    // Header: the first of the leading non-blank rows that holds every required column.
    let mut candidates: Vec<(u32, Vec<String>)> = Vec::new();
    for (r, cells) in rows.range(layout.skip_rows..) {
        if cells.iter().all(|(_, v)| v.as_cell().is_blank()) {
            continue;
        }
        let width = cells.iter().map(|(c, _)| *c + 1).max().unwrap_or(0) as usize;
        let mut fields = vec![String::new(); width];
        for (c, v) in cells {
            fields[*c as usize] = v.as_cell().display();
        }
        candidates.push((*r + 1, fields));
        if candidates.len() >= HEADER_SEARCH_ROWS {
            break;
        }
    }
    let mut found = None;
    for (i, cand) in candidates.iter().enumerate() {
        match find_header(spec, &label, std::slice::from_ref(cand)) {
            Ok((_, map)) => {
                found = Some((i, map));
                break;
            }
            Err(e @ ParseError::DuplicateColumn { .. }) => return Err(e),
            Err(_) => {}
        }
    }
    let Some((hi, map)) = found else {
        return Err(find_header(spec, &label, &candidates)
            .err()
            .unwrap_or(ParseError::Invalid { file: label, reason: "no header row".into() }));
    };
    let header_row = candidates[hi].0; // 1-based
    tally.report.header_row = header_row;

    let mut cells: Vec<Cell<'_>> = vec![Cell::Empty; map.positions.len()];
    let mut last_row = header_row;
    for (r, row_cells) in rows.range(header_row..) {
        let row = r + 1;
        // Rows with no cells at all between data rows are blank rows too.
        tally.blank(u64::from(row - last_row - 1));
        last_row = row;
        for (slot, pos) in cells.iter_mut().zip(&map.positions) {
            *slot = match pos {
                Some(p) => row_cells.iter().find(|(c, _)| *c as usize == *p).map_or(Cell::Empty, |(_, v)| v.as_cell()),
                None => Cell::Empty,
            };
        }
        if let Some(footer) = &layout.footer {
            let first = row_cells.iter().map(|(_, v)| v.as_cell().display()).find(|t| !t.is_empty()).unwrap_or_default();
            if footer.is_match(&first) {
                tally.footer(row, &cells, on_row);
                continue;
            }
        }
        tally.row(row, &cells, on_row);
    }
    crate::progress::report(|p| p.finish());
    tally.finish()
}
