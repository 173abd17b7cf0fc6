//! Hostile inputs that once broke a month: account codes that make the same file name, and
//! input text no output format can hold as it is.

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::{files, fixture, run_in};

/// The worked example copied into a temporary folder as `month`, with `edit` applied to the
/// named files' text.
fn month_with(edits: &[(&str, &dyn Fn(String) -> String)]) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let m = t.path().join("month");
    crate::copy_month(&fixture("worked-example"), &m);
    for (name, edit) in edits {
        let p = m.join(name);
        std::fs::write(&p, edit(std::fs::read_to_string(&p).unwrap())).unwrap();
    }
    t
}

fn sheet_texts(path: &Path, sheet: &str) -> Vec<String> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let r = wb.worksheet_range(sheet).unwrap();
    r.rows().flat_map(|row| row.iter().filter_map(|c| if let Data::String(s) = c { Some(s.clone()) } else { None })).collect()
}

#[test]
fn account_codes_that_make_the_same_file_name_get_a_statement_each() {
    // `2110/530/ARTS` and `2110_530_ARTS` sanitize to one name; `ARTS` and `arts` are one file
    // on the case-insensitive file systems of Windows and macOS.
    let t = month_with(&[("inventory.csv", &|s: String| {
        s.replacen("Arts,ARTS,", "Arts,2110/530/ARTS,", 1)
            .replacen("Arts,ARTS,", "Arts,2110_530_ARTS,", 1)
            .replacen("Transportation,TRANS,", "Transportation,ARTS,", 1)
            .replacen("Transportation,TRANS,", "Transportation,arts,", 1)
    })]);
    let out = run_in(t.path(), &["reconcile", "month", "--out", "out", "-q"]);
    assert!(out.starts_with("exit: 1\n"), "{out}");
    let statements: Vec<String> = files(&t.path().join("out/statements")).iter().map(|p| p.display().to_string()).collect();
    insta::assert_snapshot!("colliding_statement_names", statements.join("\n"));
    // Four programs, four statements of two files each, named apart the same way every run.
    assert_eq!(statements.len(), 8);
    let folded: std::collections::BTreeSet<String> = statements.iter().map(|s| s.to_lowercase()).collect();
    assert_eq!(folded.len(), 8, "no two differ only in case");
    // Each statement's HTML points at its own CSV.
    for s in statements.iter().filter(|s| s.ends_with(".html")) {
        let html = std::fs::read_to_string(t.path().join("out/statements").join(s)).unwrap();
        assert!(html.contains(&format!("statements/{}.csv", s.trim_end_matches(".html"))), "{s}");
    }
}

#[test]
fn text_no_format_holds_is_cut_in_the_workbook_kept_in_the_csv_and_control_characters_are_shown() {
    // 45,000 characters, then an escape sequence (shown as `\u{1b}[31m`: 45,010 in the workbook).
    let long: String = "Conference bridge ".repeat(2_500);
    let t = month_with(&[
        ("charges.csv", &|s: String| s.replace("Business 500,40.00", &format!("{long}\u{1b}[31m,40.00"))),
        ("usage.csv", &|s: String| s.replace("411 Search", "411 \u{7}Search\u{0}")),
    ]);
    let out = run_in(t.path(), &["reconcile", "month", "--out", "out"]);
    assert!(out.starts_with("exit: 1\n"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "nothing raw reaches the terminal");
    let o = t.path().join("out");
    // XLSX: cut to what a cell holds, with a marker naming where the whole text is.
    let cells = sheet_texts(&o.join("reconciliation.xlsx"), "Postings");
    let cell = cells.iter().find(|c| c.starts_with("Conference bridge")).unwrap();
    assert_eq!(cell.chars().count(), 32_767);
    assert!(
        cell.ends_with("[… cut: 45010 characters in all; the whole text is in postings.csv]"),
        "{}",
        &cell[cell.len() - 80..]
    );
    // CSV: whole, the control character too (CSV carries any text).
    let postings = std::fs::read_to_string(o.join("postings.csv")).unwrap();
    assert!(postings.contains(&format!("{long}\u{1b}[31m")));
    // HTML and text: control characters shown, not sent.
    let statement = std::fs::read_to_string(o.join("statements/ARTS.html")).unwrap();
    assert!(!statement.contains('\u{1b}'));
    let notice = std::fs::read_to_string(o.join("notices/E1.txt")).unwrap();
    assert!(notice.contains("Carrier description 411 \\u{7}Search\\u{0}"), "{notice}");
    let html = std::fs::read_to_string(o.join("notices/E1.html")).unwrap();
    assert!(html.contains("411 \\u{7}Search\\u{0}") && !html.contains('\u{7}'));
}

#[test]
fn one_oversized_cell_is_a_rejected_row_and_the_month_is_still_reconciled() {
    // A corrupt export: 2 MB in one cell (the same holds at 50 MB; the test stays quick).
    let huge = "9".repeat(2 << 20);
    let t = month_with(&[("usage.csv", &|s: String| s.replacen(",voice,27,,", &format!(",voice,{huge}x,,"), 1))]);
    let out = run_in(t.path(), &["reconcile", "month", "--out", "out", "-q"]);
    assert!(out.starts_with("exit: 1\n"), "{}", &out[..out.len().min(2000)]);
    let o = t.path().join("out");
    assert!(o.join("reconciliation.xlsx").is_file() && o.join("journal.csv").is_file());
    let reasons = sheet_texts(&o.join("reconciliation.xlsx"), "Rejected");
    let reason = reasons.iter().find(|r| r.contains("is not a number") || r.contains("cut:")).unwrap();
    assert!(reason.ends_with(&format!("… (cut: {} characters)", reason_len(reason))), "{}", &reason[reason.len() - 60..]);
    assert!(reason.chars().count() < 600);
    let check = run_in(t.path(), &["check", "month"]);
    assert!(check.len() < 5_000, "check prints the message cut, not the cell: {} bytes", check.len());
}

/// The full length a cut message says it had.
fn reason_len(reason: &str) -> String {
    reason.rsplit("(cut: ").next().unwrap().trim_end_matches(" characters)").to_string()
}
