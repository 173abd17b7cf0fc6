//! `billrecon check`.

use crate::{fixture, run, run_in};

#[test]
fn check_the_sample_month() {
    insta::assert_snapshot!(run(&["check", "fixtures/2026-10"]));
}

#[test]
fn check_the_sample_month_as_json() {
    insta::assert_snapshot!(run(&["check", "fixtures/2026-10", "--format", "json"]));
}

#[test]
fn check_is_deterministic() {
    assert_eq!(run(&["check", "fixtures/2026-10", "--format", "json"]), run(&["check", "fixtures/2026-10", "--format", "json"]));
}

#[test]
fn rejected_rows_exit_1_and_are_listed() {
    insta::assert_snapshot!(run(&["check", "fixtures/bad-month"]));
}

#[test]
fn an_unreadable_month_exits_2_with_one_message() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("billrecon.toml"), "period = \"2026-10\"\nperiodd = 1\n").unwrap();
    insta::assert_snapshot!(run_in(t.path(), &["check", "."]), @r"
    exit: 2
    ----- stdout -----
    ----- stderr -----
    error: ./billrecon.toml: line 2: unknown field `periodd`, expected one of `period`, `period_start`, `period_end`, `invoice`, `inputs`, `policy`
    ");
    insta::assert_snapshot!(run_in(t.path(), &["check", "nowhere"]), @r"
    exit: 2
    ----- stdout -----
    ----- stderr -----
    error: nowhere: cannot open: no such file
    ");
}

#[test]
fn a_missing_input_file_exits_2_naming_it() {
    let t = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(fixture("2026-10")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), t.path().join(f.file_name())).unwrap();
    }
    std::fs::remove_file(t.path().join("usage-att.xlsx")).unwrap();
    insta::assert_snapshot!(run_in(t.path(), &["check", "."]), @r"
    exit: 2
    ----- stdout -----
    ----- stderr -----
    error: usage-att.xlsx: cannot open: no such file
    ");
    std::fs::write(t.path().join("usage-att.xlsx"), b"PK\x03\x04 truncated").unwrap();
    let out = run_in(t.path(), &["check", "."]);
    assert!(out.starts_with("exit: 2\n"), "{out}");
    assert!(out.contains("error: usage-att.xlsx: not a readable XLSX workbook: "), "{out}");
    assert!(!out.contains("panicked"), "{out}");
}

#[test]
fn help_explains_in_finance_terms() {
    let out = run(&["check", "--help"]);
    assert!(out.contains("fix or explain every rejected row before reconciling"), "{out}");
    assert!(out.contains("1 = some rows were rejected"), "{out}");
}

/// A usage file whose rows lost their trailing empty fields (as some tools save them) is read
/// whole: `check` says how many rows were short and read as empty, and the month reconciles to
/// the same journal as with the full rows.
#[test]
fn rows_short_of_trailing_empty_fields_are_read_and_counted() {
    let t = tempfile::tempdir().unwrap();
    let month = t.path().join("month");
    crate::copy_month(&fixture("2026-10"), &month);
    let usage = std::fs::read_to_string(month.join("usage-verizon.csv")).unwrap();
    // Drop every trailing run of empty fields (`,,` at the end of a row), as such a tool does.
    let short: String = usage.lines().map(|l| format!("{}\n", l.trim_end_matches(','))).collect();
    let dropped = usage.lines().filter(|l| l.ends_with(',')).count();
    assert!(dropped > 200, "{dropped}");
    std::fs::write(month.join("usage-verizon.csv"), short).unwrap();
    let out = run_in(t.path(), &["check", "month"]);
    assert!(out.contains(&format!("usage-verizon.csv: {dropped} rows short of trailing empty columns, read as empty")), "{out}");
    assert!(out.contains("Every row was accepted."), "{out}");
    let json = run_in(t.path(), &["check", "month", "--format", "json"]);
    assert!(json.contains(&format!("\"short\": {dropped}")), "{json}");
    let a = t.path().join("a");
    let b = t.path().join("b");
    run(&["reconcile", "fixtures/2026-10", "--out", a.to_str().unwrap(), "--quiet"]);
    run_in(t.path(), &["reconcile", "month", "--out", b.to_str().unwrap(), "--quiet"]);
    assert_eq!(std::fs::read_to_string(a.join("journal.csv")).unwrap(), std::fs::read_to_string(b.join("journal.csv")).unwrap());
}
