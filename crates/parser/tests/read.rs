//! Reading real files: header detection, counts, every rejection reason, every fatal error.

use std::path::{Path, PathBuf};

use billrecon_parser::tables::{CHARGES, USAGE};
use billrecon_parser::{load_month, FileRef, Format, ParseError, TableInput};
use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook};

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn csv(dir: &Path, name: &str) -> FileRef {
    FileRef { name: name.into(), path: dir.join(name), member: None, sheet: None, format: Format::Csv }
}

fn xlsx(dir: &Path, name: &str, sheet: Option<&str>) -> FileRef {
    FileRef { name: name.into(), path: dir.join(name), member: None, sheet: sheet.map(Into::into), format: Format::Xlsx }
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Reads usage and returns (report, rejection messages, table).
fn usage(input: &FileRef) -> (billrecon_model::InputReport, Vec<String>, billrecon_model::UsageTable) {
    let mut t = billrecon_model::UsageTable::default();
    let (r, rej) = billrecon_parser::usage::read_usage(input, &mut t).unwrap();
    (r, rej.iter().map(|r| r.to_string()).collect(), t)
}

#[test]
fn csv_usage_rows_are_accepted_or_rejected_with_their_line_numbers() {
    let t = dir();
    write(
        t.path(),
        "usage.csv",
        "\u{feff}Carrier usage export\n\
         \n\
         Line , Date,TIME,number,Type,quantity,charge,description,extra\n\
         (860) 555-0101,2026-10-05,14:05,411,voice,2,$1.99,411 Search,x\n\
         860.555.0101,10/06/2026,2:05 PM,,data,125.5,,,\n\
         \n\
         ,,,,,,,,\n\
         8605550101,13/45/2026,14:05,411,voice,2,1.99,,\n\
         8605550101,2026-10-07,25:00,411,voice,2,1.99,,\n\
         8605550101,2026-10-07,14:00,411,fax,2,1.99,,\n\
         8605550101,2026-10-07,14:00,411,voice,-2,1.99,,\n\
         8605550101,2026-10-07,14:00,411,voice,2,0.005,,\n\
         411,2026-10-07,14:00,411,voice,2,1.99,,\n\
         8605550101,2026-10-07,14:00,call me,voice,2,1.99,,\n\
         8605550101,2026-10-07,14:00\n\
         \"8605550101\",2026-10-08,\"09:00:30\",\"(203) 555-0147\",voice,3,,\"Conference, long\nnote\",\n\
         8605550101,2026-10-09,10:00,,voice,1,,,\n",
    );
    let (r, rej, table) = usage(&csv(t.path(), "usage.csv"));
    assert_eq!(
        rej,
        vec![
            "usage.csv:8: date: `13/45/2026` is not a date (expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024)",
            "usage.csv:9: time: `25:00` is not a time of day (expected HH:MM, HH:MM:SS or H:MM AM/PM)",
            "usage.csv:10: type: `fax` is not one of: voice, text, data, other",
            "usage.csv:11: quantity: `-2` is negative",
            "usage.csv:12: charge: `0.005` has more than 2 decimal places (fractions of a cent are not billable)",
            "usage.csv:13: line: `411` is not a 10-digit North American phone number",
            "usage.csv:14: number: `call me` is not a phone number",
            "usage.csv:15: (row): has 3 fields where the header has 9",
        ]
    );
    assert_eq!((r.header_row, r.read, r.accepted, r.rejected, r.blank), (3, 14, 4, 8, 2));
    assert!(r.balanced(), "read = accepted + rejected + skipped + blank");
    assert_eq!(table.len(), 4);
    let first = table.get(0);
    assert_eq!(
        (first.line.as_str(), first.number, first.charge, first.description),
        ("8605550101", "411", d("1.99"), "411 Search")
    );
    assert_eq!(first.time.unwrap().to_string(), "14:05:00");
    let second = table.get(1);
    assert_eq!(
        (second.date.to_string(), second.time.unwrap().to_string(), second.quantity, second.charge),
        ("2026-10-06".into(), "14:05:00".into(), d("125.5"), Decimal::ZERO)
    );
    // A quoted field may hold the separator and a line break; the next record's line is right.
    let third = table.get(2);
    assert_eq!(
        (third.row, third.number, third.description, third.time.unwrap().to_string()),
        (16, "2035550147", "Conference, long\nnote", "09:00:30".into())
    );
    assert_eq!(table.get(3).row, 18);
}

#[test]
fn csv_fatal_errors_are_one_clear_message() {
    let t = dir();
    let err = |name: &str| csv(t.path(), name).read_table(&USAGE, &mut |_, _| Ok(())).unwrap_err().to_string();
    assert_eq!(err("missing.csv"), "missing.csv: cannot open: no such file");
    write(
        t.path(),
        "latin1.csv",
        "line,date,type,quantity\n8605550101,2026-10-01,voice,1\n8605550101,2026-10-01,voice,1,Caf\u{e9}\n",
    );
    std::fs::write(
        t.path().join("latin1.csv"),
        b"line,date,type,quantity,description\n8605550101,2026-10-01,voice,1,ok\n8605550101,2026-10-01,voice,1,Caf\xe9\n",
    )
    .unwrap();
    assert_eq!(err("latin1.csv"), "latin1.csv: line 3 is not UTF-8 text; save the file as \"CSV UTF-8\"");
    write(t.path(), "cols.csv", "Usage report\nline,date,kind,qty\n");
    assert_eq!(
        err("cols.csv"),
        "cols.csv: no header row with the usage columns type, quantity (closest: row 2 has line, date, kind, qty)"
    );
    write(t.path(), "dup.csv", "line,date,type,quantity,Date\n");
    assert_eq!(err("dup.csv"), "dup.csv:1: column `date` appears twice in the header");
    write(t.path(), "empty.csv", "\n\n");
    assert_eq!(
        err("empty.csv"),
        "empty.csv: the file is empty; a usage table needs a header row with line, date, type, quantity"
    );
    write(t.path(), "open.csv", "line,date,type,quantity,description\n8605550101,2026-10-01,voice,1,\"never closed\n");
    let mut n = 0;
    let (r, rej) = csv(t.path(), "open.csv")
        .read_table(&USAGE, &mut |_, _| {
            n += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(rej[0].to_string(), "open.csv:2: (row): a quoted field is never closed (a `\"` is missing)");
    assert_eq!((r.read, r.rejected, n), (1, 1, 0));
}

#[test]
fn large_csv_is_read_in_blocks_with_exact_line_numbers() {
    // More than one 8 MiB block, so records straddle block boundaries.
    let t = dir();
    let mut s = String::from("line,date,time,number,type,quantity,charge,description\n");
    let rows = 160_000;
    for i in 0..rows {
        if i == 123_456 {
            s.push_str("8605550101,2026-10-32,10:00,2035550147,voice,1,,bad day\n");
        } else {
            s.push_str(
                "8605550101,2026-10-01,10:00:00,2035550147,voice,1,0.10,\"Business call, routine follow-up with vendor\"\n",
            );
        }
    }
    assert!(s.len() > 9 << 20);
    write(t.path(), "big.csv", &s);
    let (r, rej, table) = usage(&csv(t.path(), "big.csv"));
    assert_eq!(rej, vec!["big.csv:123458: date: `2026-10-32` is not a date (expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024)"]);
    assert_eq!((r.read, r.accepted), (rows, rows - 1));
    assert_eq!(table.get(table.len() - 1).row, rows as u32 + 1);
    assert_eq!(table.charge.iter().sum::<Decimal>(), d("15999.90"));
}

fn workbook(path: &Path, build: impl FnOnce(&mut Workbook)) {
    let mut wb = Workbook::new();
    build(&mut wb);
    wb.save(path).unwrap();
}

#[test]
fn xlsx_title_rows_typed_cells_and_rejections() {
    let t = dir();
    let money = XFormat::new().set_num_format("$#,##0.00");
    let datef = XFormat::new().set_num_format("yyyy-mm-dd");
    let timef = XFormat::new().set_num_format("h:mm AM/PM");
    workbook(&t.path().join("usage.xlsx"), |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Detail").unwrap();
        ws.write_string(0, 0, "Carrier - Call Detail").unwrap();
        ws.write_string(1, 0, "October 2026").unwrap();
        for (c, h) in ["Line", "Date", "Time", "Number", "Type", "Quantity", "Charge", "Description"].iter().enumerate() {
            ws.write_string(3, c as u16, *h).unwrap();
        }
        // row 5: typed cells
        ws.write_number(4, 0, 8605550101.0).unwrap();
        ws.write_datetime_with_format(4, 1, ExcelDateTime::from_ymd(2026, 10, 5).unwrap(), &datef).unwrap();
        ws.write_datetime_with_format(4, 2, ExcelDateTime::from_hms(14, 5, 0).unwrap(), &timef).unwrap();
        ws.write_string(4, 3, "411").unwrap();
        ws.write_string(4, 4, "voice").unwrap();
        ws.write_number(4, 5, 2.0).unwrap();
        ws.write_number_with_format(4, 6, 1327.03, &money).unwrap();
        // row 6 blank; row 7: serial date and a time fraction as plain numbers
        ws.write_string(6, 0, "860-555-0102").unwrap();
        ws.write_number(6, 1, 46300.0).unwrap();
        ws.write_number(6, 2, 0.5868055555555556).unwrap();
        ws.write_string(6, 4, "text").unwrap();
        ws.write_number(6, 5, 1.0).unwrap();
        // row 8: a charge with a fraction of a cent
        ws.write_string(7, 0, "860-555-0102").unwrap();
        ws.write_string(7, 1, "2026-10-05").unwrap();
        ws.write_string(7, 4, "voice").unwrap();
        ws.write_number(7, 5, 1.0).unwrap();
        ws.write_number(7, 6, 0.125).unwrap();
    });
    let (r, rej, table) = usage(&xlsx(t.path(), "usage.xlsx", None));
    assert_eq!(
        rej,
        vec!["usage.xlsx:Detail:8: charge: `0.125` has more than 2 decimal places (fractions of a cent are not billable)"]
    );
    assert_eq!((r.sheet.as_deref(), r.header_row, r.read, r.accepted, r.rejected, r.blank), (Some("Detail"), 4, 4, 2, 1, 1));
    let a = table.get(0);
    assert_eq!(
        (a.line.as_str(), a.date.to_string(), a.time.unwrap().to_string(), a.charge, a.row),
        ("8605550101", "2026-10-05".into(), "14:05:00".into(), d("1327.03"), 5)
    );
    assert_eq!(a.source().to_string(), "usage.xlsx:Detail:5");
    let b = table.get(1);
    assert_eq!((b.date.to_string(), b.time.unwrap().to_string(), b.row), ("2026-10-05".into(), "14:05:00".into(), 7));
}

#[test]
fn xlsx_fatal_errors_name_the_file() {
    let t = dir();
    workbook(&t.path().join("book.xlsx"), |wb| {
        wb.add_worksheet().set_name("Charges").unwrap();
        wb.add_worksheet().set_name("Notes").unwrap();
    });
    let err = |i: FileRef| i.read_table(&CHARGES, &mut |_, _| Ok(())).unwrap_err().to_string();
    assert_eq!(
        err(xlsx(t.path(), "book.xlsx", Some("Summary"))),
        "book.xlsx: no sheet named `Summary` (the workbook has: Charges, Notes)"
    );
    assert_eq!(
        err(xlsx(t.path(), "book.xlsx", Some("Notes"))),
        "book.xlsx:Notes: the file is empty; a invoice charges table needs a header row with line, category, amount"
    );
    assert_eq!(err(xlsx(t.path(), "nope.xlsx", None)), "nope.xlsx: cannot open: no such file");
    write(t.path(), "fake.xlsx", "this is not a zip file");
    assert!(err(xlsx(t.path(), "fake.xlsx", None)).starts_with("fake.xlsx: not a readable XLSX workbook: "));
    // A truncated workbook: a real one cut in half.
    let bytes = std::fs::read(t.path().join("book.xlsx")).unwrap();
    std::fs::write(t.path().join("cut.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    assert!(err(xlsx(t.path(), "cut.xlsx", None)).starts_with("cut.xlsx: not a readable XLSX workbook: "));
}

fn month(files: &[(&str, &str)]) -> tempfile::TempDir {
    let t = dir();
    let base = [
        ("billrecon.toml", "period = \"2026-10\"\n[[invoice]]\nsummary = \"summary.csv\"\ncharges = \"charges.csv\"\n[inputs]\nusage = \"usage.csv\"\ninventory = \"inventory.csv\"\nemployees = \"employees.csv\"\nplans = \"plans.csv\"\nattestations = \"attestations.csv\"\n[policy]\nsuspense_account = \"SUSP\"\nemployee_receivable_account = \"EMPREC\"\npayable_account = \"AP\"\n"),
        ("summary.csv", "field,value\ncarrier,Verizon\naccount_number,1\ninvoice_number,I-1\ncurrent_charges,$40.00\ntotal_due,$40.00\n"),
        ("charges.csv", "line,category,amount\n8605550101,plan,40.00\n"),
        ("usage.csv", "line,date,type,quantity\n8605550101,2026-10-01,voice,1\n"),
        ("inventory.csv", "line,employee_id,account_code,start_date\n8605550101,E1,ARTS,2025-07-01\n"),
        ("employees.csv", "employee_id,name\nE1,Ann\n"),
        ("plans.csv", "plan,voice_minutes\nBIZ,500\n"),
        ("attestations.csv", "line,date\n"),
    ];
    for (name, text) in base {
        write(t.path(), name, text);
    }
    for (name, text) in files {
        write(t.path(), name, text);
    }
    t
}

fn rejections(t: &tempfile::TempDir) -> Vec<String> {
    load_month(t.path()).unwrap().0.rejections.iter().map(|r| r.to_string()).collect()
}

#[test]
fn a_minimal_month_loads() {
    let t = month(&[]);
    let (l, _) = load_month(t.path()).unwrap();
    assert_eq!(l.inputs.len(), 7);
    assert_eq!(l.month.invoices[0].summary.current_charges, d("40.00"));
    assert_eq!(l.month.plans.as_ref().unwrap()[0].voice_minutes, billrecon_model::Allowance::Limited(d("500")));
    assert!(l.rejections.is_empty());
}

#[test]
fn overlapping_assignments_are_both_rejected_naming_each_other() {
    let t = month(&[(
        "inventory.csv",
        "line,employee_id,account_code,start_date,end_date\n\
         8605550101,E1,ARTS,2025-07-01,\n\
         8605550102,E2,ARTS,2025-07-01,2026-10-10\n\
         8605550102,E2,TRANS,2026-10-11,\n\
         8605550101,E3,TRANS,2026-10-15,2026-10-20\n\
         8605550103,E4,TRANS,2026-10-15,2026-10-01\n",
    )]);
    assert_eq!(rejections(&t), vec![
        "inventory.csv:2: start_date: assignment 2025-07-01..open of line 860-555-0101 overlaps the assignment at inventory.csv:5 (2026-10-15..2026-10-20)",
        "inventory.csv:5: start_date: assignment 2026-10-15..2026-10-20 of line 860-555-0101 overlaps the assignment at inventory.csv:2 (2025-07-01..open)",
        "inventory.csv:6: end_date: 2026-10-01 is before start_date 2026-10-15",
    ]);
    let (l, _) = load_month(t.path()).unwrap();
    let inv = l.inputs.iter().find(|i| i.kind == "inventory").unwrap();
    assert_eq!((inv.read, inv.accepted, inv.rejected), (5, 2, 3));
    assert_eq!(l.month.inventory.len(), 2);
}

#[test]
fn each_table_names_its_own_rejections() {
    let t = month(&[
        ("summary.csv", "field,value\ncarrier,Verizon\naccount_number,1\ninvoice_number,I-1\ncurrent_charges,$40.00\ntotal_due,$40.00\ntotal due,1\nbalance,3\ninvoice_date,31/10/2026\n"),
        ("charges.csv", "line,category,amount,description\n8605550101,plan,40.00,ok\n8605550101,roam,1.00,x\n,fee,,x\n"),
        ("employees.csv", "employee_id,name,termination_date\nE1,Ann,\nE1,Ann B,\n,Nobody,\nE2,Bob,someday\n"),
        ("plans.csv", "plan,voice_minutes,messages,monthly_rate\nBIZ,500,unlimited,$40\nBIZ,600,,\nUNL,lots,,\n"),
        ("attestations.csv", "line,date,time,number\n8605550101,2026-10-01,7 pm,\n"),
        ("inventory.csv", "line,employee_id,account_code,start_date,status\n8605550101,E1,ARTS,2025-07-01,gone\n8605550102,E1,,2025-07-01,\n"),
    ]);
    assert_eq!(rejections(&t), vec![
        "summary.csv:7: field: `total_due` is given twice (first at summary.csv:6)",
        "summary.csv:8: field: `balance` is not a summary field (expected one of: carrier, account_number, invoice_number, invoice_date, period_start, period_end, previous_balance, payments, adjustments, current_charges, total_due, due_date)",
        "summary.csv:9: value: `31/10/2026` is not a date (expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024)",
        "charges.csv:3: category: `roam` is not one of: plan, feature, equipment, accessory, usage, overage_voice, overage_text, overage_data, directory_assistance, long_distance, roaming, international, third_party, one_time, credit, tax, surcharge, fee, adjustment, other",
        "charges.csv:4: amount: required value is empty",
        "inventory.csv:2: status: `gone` is not one of: active, suspended, lost, stolen, returned, spare",
        "inventory.csv:3: account_code: required value is empty",
        "employees.csv:3: employee_id: `E1` is listed twice (first at employees.csv:2)",
        "employees.csv:4: employee_id: required value is empty",
        "employees.csv:5: termination_date: `someday` is not a date (expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024)",
        "plans.csv:3: plan: `BIZ` is listed twice (first at plans.csv:2)",
        "plans.csv:4: voice_minutes: `lots` is not a number",
        "attestations.csv:2: time: `7 pm` is not a time of day (expected HH:MM, HH:MM:SS or H:MM AM/PM)",
    ]);
}

#[test]
fn month_level_errors() {
    let t = month(&[("summary.csv", "field,value\ncarrier,Verizon\ninvoice_number,I-1\ntotal_due,$40.00\n")]);
    assert_eq!(
        load_month(t.path()).unwrap_err().to_string(),
        "summary.csv: the invoice summary has no accepted account_number, current_charges fields"
    );
    let t = month(&[]);
    std::fs::remove_file(t.path().join("plans.csv")).unwrap();
    assert_eq!(load_month(t.path()).unwrap_err(), ParseError::Open { file: "plans.csv".into(), reason: "no such file".into() });
    let t = dir();
    let e = load_month(t.path()).unwrap_err().to_string();
    assert!(e.ends_with("billrecon.toml: cannot open: no such file"), "{e}");
}

#[test]
fn stated_allowances_convert_units_and_reject_what_cannot_be_an_allowance() {
    let t = dir();
    write(
        t.path(),
        "allowances.csv",
        "line,pool,allowance,unit,used\n\
         860-555-0101,voice,500,minutes,560\n\
         860-555-0101,data,2.000(shared),GB,1.5\n\
         860-555-0102,text,unlimited,,\n\
         860-555-0101,voice,450,minutes,\n\
         860-555-0103,other,5,,\n\
         860-555-0103,voice,lots,,\n\
         860-555-0103,voice,10,GB,\n",
    );
    let (v, report, rej) = billrecon_parser::tables::read_allowances(&csv(t.path(), "allowances.csv")).unwrap();
    #[allow(clippy::type_complexity)]
    let got: Vec<(String, &str, Option<Decimal>, bool, Option<Decimal>)> =
        v.iter().map(|a| (a.line.to_string(), a.pool.as_str(), a.allowance.limit(), a.shared, a.used)).collect();
    assert_eq!(
        got,
        vec![
            ("8605550101".into(), "voice", Some(d("500")), false, Some(d("560"))),
            ("8605550101".into(), "data", Some(d("2048")), true, Some(d("1536"))),
            ("8605550102".into(), "text", None, false, None),
        ]
    );
    assert_eq!((report.read, report.accepted, report.rejected), (7, 3, 4));
    assert_eq!(
        rej.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        vec![
            "allowances.csv:5: line: line 860-555-0101 states a voice allowance twice (first at allowances.csv:2)",
            "allowances.csv:6: pool: `other` has no allowance: expected voice, text or data",
            "allowances.csv:7: allowance: `lots` is not an allowance (a number, `unlimited`, or either followed by `(shared)`)",
            "allowances.csv:8: unit: `gb` is not a unit of voice use",
        ]
    );
}
