//! `reconciliation.xlsx`: sheets Summary, Inputs, Findings, Postings, Journal and Rejected, with money
//! cells formatted as currency, headers frozen and filters on, so finance can sort and filter.
//!
//! XLSX stores numbers as binary floats: a money cell gets the f64 nearest its Decimal value
//! (two decimals), the output edge's one conversion. Text columns carry the exact values.

use std::borrow::Cow;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::Reconciliation;

enum Cell<'a> {
    Text(Cow<'a, str>),
    Money(Decimal),
    Count(u64),
}

/// Writes a sheet. Text is shown safe (control characters visible) and cut to what a cell holds
/// (the whole text is in `whole_in`, the CSV or JSON of the same rows).
fn sheet(
    ws: &mut Worksheet,
    name: &str,
    header: &[&str],
    rows: &[Vec<Cell<'_>>],
    widths: &[f64],
    whole_in: &str,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_background_color("#F1F4F7");
    let money = Format::new().set_num_format("$#,##0.00;[Red]-$#,##0.00");
    ws.set_name(name)?;
    // Constant-memory sheets stream rows to disk in order: widths go first.
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    if !s.is_empty() {
                        let shown = crate::safe::visible(s);
                        ws.write_string(r, c, crate::safe::fit(&shown, crate::safe::XLSX_CELL_MAX, whole_in).as_ref())?;
                    }
                }
                Cell::Money(d) => {
                    ws.write_number_with_format(r, c, d.to_f64().unwrap_or(0.0), &money)?;
                }
                Cell::Count(n) => {
                    ws.write_number(r, c, *n as f64)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !rows.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1)?;
    }
    Ok(())
}

fn t<'a>(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
    Cell::Text(s.into())
}

/// The workbook; `postings` are [`crate::journal::postings_rows`] (shared with postings.csv).
pub fn xlsx(r: &Reconciliation<'_>, postings: &[Vec<String>]) -> Result<Vec<u8>, crate::ReportError> {
    Ok(build(r, postings)?)
}

fn build(r: &Reconciliation<'_>, postings: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let l = r.postings;
    let mut wb = Workbook::new();
    // Level 1 deflates a statewide month's sheets in a fraction of the default's time, for a
    // file about a third larger than level 6 makes.
    wb.set_zip_compression_level(1);
    // No clock: the workbook is stamped with the period's end, so reruns are byte-identical.
    let p = r.month.period.end;
    use chrono::Datelike;
    let stamp = ExcelDateTime::from_ymd(p.year() as u16, p.month() as u8, p.day() as u8)?;
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&stamp).set_title(format!("billrecon {}", r.month.period.label)),
    );

    let mut rows = vec![
        vec![t("period"), t(r.month.period.label.clone())],
        vec![t("billed"), Cell::Money(l.billed)],
        vec![t("programs"), Cell::Money(l.programs)],
        vec![t("employees"), Cell::Money(l.employees_total)],
        vec![t("suspense"), Cell::Money(l.suspense)],
    ];
    for (k, v) in &l.accounts {
        rows.push(vec![t(format!("account {k}")), Cell::Money(*v)]);
    }
    for (inv, tot) in r.month.invoices.iter().zip(&l.invoices) {
        let s = &inv.summary;
        rows.push(vec![t(format!("invoice {} {} current charges", s.carrier, s.invoice_number)), Cell::Money(s.current_charges)]);
        rows.push(vec![t(format!("invoice {} {} items total", s.carrier, s.invoice_number)), Cell::Money(tot.items_total)]);
    }
    sheet(wb.add_worksheet_with_constant_memory()?, "Summary", &["item", "amount"], &rows, &[48.0, 16.0], "summary.json")?;

    // How every input was read: read = accepted + rejected + skipped + blank on every row.
    let rows: Vec<Vec<Cell>> = r
        .inputs
        .iter()
        .map(|i| {
            vec![
                t(i.kind.as_str()),
                t(i.file.as_str()),
                t(i.sheet.as_deref().unwrap_or("")),
                t(i.profile.as_deref().unwrap_or("canonical")),
                Cell::Count(u64::from(i.header_row)),
                Cell::Count(i.read),
                Cell::Count(i.accepted),
                Cell::Count(i.rejected),
                Cell::Count(i.skipped),
                Cell::Count(i.blank),
                t(crate::skips_text(i)),
            ]
        })
        .collect();
    sheet(
        wb.add_worksheet_with_constant_memory()?,
        "Inputs",
        &["input", "file", "sheet", "profile", "header row", "read", "accepted", "rejected", "skipped", "blank", "skipped rows"],
        &rows,
        &[16.0, 44.0, 12.0, 12.0, 10.0, 9.0, 9.0, 9.0, 9.0, 9.0, 80.0],
        "summary.json",
    )?;

    let rows: Vec<Vec<Cell>> = r
        .findings
        .iter()
        .map(|f| {
            vec![
                t(f.id.clone()),
                t(f.rule.label()),
                t(f.severity.label()),
                t(f.line.map(|l| l.to_string()).unwrap_or_default()),
                t(f.employee_id.clone()),
                t(f.account_code.clone()),
                Cell::Money(f.amount),
                Cell::Money(f.employee_liable),
                t(f.sources_text()),
                t(f.detail.clone()),
            ]
        })
        .collect();
    sheet(
        wb.add_worksheet_with_constant_memory()?,
        "Findings",
        crate::findings::CSV_HEADER,
        &rows,
        &[14.0, 22.0, 9.0, 13.0, 11.0, 15.0, 12.0, 12.0, 36.0, 90.0],
        "findings.csv",
    )?;

    let rows: Vec<Vec<Cell>> = postings
        .iter()
        .zip(&l.postings)
        .map(|(row, p)| {
            row.iter()
                .enumerate()
                .map(|(i, s)| match i {
                    // Kind and category as people read them (postings.csv keeps the keys).
                    4 | 5 => t(billrecon_model::label(s)),
                    8 => Cell::Money(p.amount),
                    _ => t(s.as_str()),
                })
                .collect()
        })
        .collect();
    sheet(
        wb.add_worksheet_with_constant_memory()?,
        "Postings",
        crate::journal::POSTINGS_HEADER,
        &rows,
        &[14.0, 15.0, 11.0, 13.0, 13.0, 20.0, 30.0, 24.0, 12.0, 14.0, 36.0],
        "postings.csv",
    )?;

    let rows: Vec<Vec<Cell>> = crate::journal::journal_rows(r)
        .into_iter()
        .zip(&l.journal)
        .map(|(row, j)| {
            row.into_iter()
                .enumerate()
                .map(|(i, s)| match i {
                    4 => Cell::Money(j.debit),
                    5 => Cell::Money(j.credit),
                    _ => t(s),
                })
                .collect()
        })
        .collect();
    sheet(
        wb.add_worksheet_with_constant_memory()?,
        "Journal",
        crate::journal::JOURNAL_HEADER,
        &rows,
        &[9.0, 14.0, 15.0, 11.0, 12.0, 12.0, 60.0],
        "journal.csv",
    )?;

    let rows: Vec<Vec<Cell>> = r
        .rejections
        .iter()
        .map(|x| {
            vec![
                t(x.source.file.to_string()),
                t(x.source.sheet.as_deref().unwrap_or("")),
                Cell::Count(u64::from(x.source.row)),
                t(x.column.clone()),
                t(x.reason.clone()),
            ]
        })
        .collect();
    sheet(
        wb.add_worksheet_with_constant_memory()?,
        "Rejected",
        &["file", "sheet", "row", "column", "reason"],
        &rows,
        &[28.0, 14.0, 8.0, 16.0, 80.0],
        "the rejected rows `billrecon check` lists",
    )?;
    wb.save_to_buffer()
}
