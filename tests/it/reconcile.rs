//! `billrecon reconcile`: golden files of every output on the sample month, determinism, and the
//! worked example's hand-computed result.

use calamine::{open_workbook, Data, DataType, Reader, Xlsx};

use crate::{files, root, run};

/// Runs reconcile into a fresh folder; returns the transcript and the folder.
fn reconcile(month: &str, extra: &[&str]) -> (String, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let mut args = vec!["reconcile", month, "--out", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    let transcript = run(&args).replace(dir.to_str().unwrap(), "[OUT]");
    (transcript, out)
}

#[test]
fn reconcile_the_sample_month_golden_files() {
    let (transcript, out) = reconcile("fixtures/2026-10", &[]);
    insta::assert_snapshot!("reconcile_stdout", transcript);
    let dir = out.path().join("out");
    let names: Vec<String> = files(&dir).iter().map(|p| p.display().to_string()).collect();
    insta::assert_snapshot!("reconcile_files", names.join("\n"));
    for name in &names {
        if name.ends_with(".xlsx") || name.starts_with('.') {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        insta::assert_snapshot!(format!("out_{}", name.replace(['/', '.'], "_")), text);
    }
}

#[test]
fn reconcile_is_byte_identical_across_runs() {
    let (_, a) = reconcile("fixtures/2026-10", &[]);
    let (_, b) = reconcile("fixtures/2026-10", &[]);
    let (da, db) = (a.path().join("out"), b.path().join("out"));
    let fa = files(&da);
    assert_eq!(fa, files(&db));
    for f in fa {
        assert_eq!(std::fs::read(da.join(&f)).unwrap(), std::fs::read(db.join(&f)).unwrap(), "{}", f.display());
    }
}

#[test]
fn the_workbook_has_its_sheets_and_currency_cells() {
    let (_, out) = reconcile("fixtures/2026-10", &[]);
    let mut wb: Xlsx<_> = open_workbook(out.path().join("out/reconciliation.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Summary", "Inputs", "Findings", "Postings", "Journal", "Rejected"]);
    // Every input's counts, with read = accepted + rejected + skipped + blank.
    let inputs = wb.worksheet_range("Inputs").unwrap();
    assert_eq!(inputs.height(), 11); // header + 10 inputs
    for r in 1..inputs.height() as u32 {
        let n = |c: u32| match inputs.get_value((r, c)) {
            Some(Data::Float(f)) => *f as u64,
            other => panic!("row {r} column {c}: {other:?}"),
        };
        assert_eq!(n(5), n(6) + n(7) + n(8) + n(9), "row {r}");
    }
    let summary = wb.worksheet_range("Summary").unwrap();
    assert_eq!(summary.get_value((2, 0)), Some(&Data::String("billed".into())));
    assert_eq!(summary.get_value((2, 1)), Some(&Data::Float(850.17)));
    let findings = wb.worksheet_range("Findings").unwrap();
    assert_eq!(findings.height(), 17); // header + 16 findings
                                       // People read labels; findings.csv and postings.csv keep the keys.
    let column = |r: &calamine::Range<Data>, c: u32| -> std::collections::BTreeSet<String> {
        (1..r.height() as u32).filter_map(|i| r.get_value((i, c)).map(|v| v.to_string())).collect()
    };
    assert!(column(&findings, 1).contains("Directory assistance"), "{:?}", column(&findings, 1));
    assert!(column(&findings, 1).contains("Personal share of an overage"));
    assert!(column(&findings, 2).contains("Employee repays"));
    let postings = wb.worksheet_range("Postings").unwrap();
    assert!(column(&postings, 4).contains("Share of account charges"), "{:?}", column(&postings, 4));
    assert!(column(&postings, 5).contains("Voice overage"), "{:?}", column(&postings, 5));
    assert!(!column(&postings, 5).iter().any(|c| c.contains('_')), "{:?}", column(&postings, 5));
    let journal = wb.worksheet_range("Journal").unwrap();
    let debits: f64 = (1..journal.height()).filter_map(|r| journal.get_value((r as u32, 4))?.as_f64()).sum();
    let credits: f64 = (1..journal.height()).filter_map(|r| journal.get_value((r as u32, 5))?.as_f64()).sum();
    assert!((debits - credits).abs() < 1e-9 && (credits - 850.17).abs() < 1e-9, "{debits} {credits}");
}

#[test]
fn the_worked_example_posts_to_the_hand_computed_nets() {
    let (transcript, out) = reconcile("fixtures/worked-example", &[]);
    assert!(transcript.starts_with("exit: 1\n"), "{transcript}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("out/summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["accounts"],
        serde_json::json!({"ARTS": "83.83", "TRANS": "69.28", "SUSPENSE": "15.02", "EMPLOYEE-RECEIVABLE": "11.89"})
    );
    assert_eq!(
        summary["totals"],
        serde_json::json!({"billed": "180.02", "programs": "153.11", "employees": "11.89", "suspense": "15.02"})
    );
    assert_eq!(summary["employees"], serde_json::json!({"E1": "11.89"}));
    let postings = std::fs::read_to_string(out.path().join("out/postings.csv")).unwrap();
    for line in [
        "WE-2026-10,ARTS,,8605550102,line_charge,plan,Business plan,55.00 × 10/31 days,17.74,,charges.csv:6",
        "WE-2026-10,TRANS,,8605550102,line_charge,plan,Business plan,55.00 × 21/31 days,37.26,,charges.csv:6",
        "WE-2026-10,ARTS,,8605550102,line_charge,tax,Taxes,3.49 × 10/31 days,1.13,,charges.csv:7",
        "WE-2026-10,TRANS,,8605550102,line_charge,tax,Taxes,3.49 × 21/31 days,2.36,,charges.csv:7",
        "WE-2026-10,TRANS,,8605550103,line_charge,plan,Business plan,40.00 × 20/31 days,25.81,,charges.csv:8",
        "WE-2026-10,SUSPENSE,,8605550103,line_charge,plan,Business plan,40.00 × 11/31 days,14.19,,charges.csv:8",
        "WE-2026-10,ARTS,,,account_share,fee,Account fee,10.00 × 90.40/170.02,5.32,,charges.csv:9",
        "WE-2026-10,TRANS,,,account_share,fee,Account fee,10.00 × 65.43/170.02,3.85,,charges.csv:9",
        "WE-2026-10,SUSPENSE,,,account_share,fee,Account fee,10.00 × 14.19/170.02,0.83,,charges.csv:9",
    ] {
        assert!(postings.contains(line), "{line}\n{postings}");
    }
}

#[test]
fn a_statement_shows_only_its_own_program_and_a_notice_only_its_employee() {
    let (_, out) = reconcile("fixtures/2026-10", &[]);
    let dir = out.path().join("out");
    let arts = std::fs::read_to_string(dir.join("statements/1010-ARTS.html")).unwrap();
    for other in ["1020-TRANS", "1030-SPED", "1040-FAC", "Kevin Walsh", "Linda Park", "Karen White", "860-555-0104"] {
        assert!(!arts.contains(other), "{other} in the ARTS statement");
    }
    assert!(arts.contains("Maria Lopez") && arts.contains("860-555-0102"));
    let notice = std::fs::read_to_string(dir.join("notices/E1001.txt")).unwrap();
    for other in ["E1007", "E1008", "E1012", "Linda", "Kevin", "Karen", "860-555-0107"] {
        assert!(!notice.contains(other), "{other} in E1001's notice");
    }
    let html = std::fs::read_to_string(dir.join("notices/E1001.html")).unwrap();
    assert!(!html.contains("<script") && !html.contains("http"), "self-contained");
}

#[test]
fn as_of_sets_the_due_date_and_peoplesoft_layout() {
    let t = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(root().join("fixtures/worked-example")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), t.path().join(f.file_name())).unwrap();
    }
    let manifest = std::fs::read_to_string(t.path().join("billrecon.toml")).unwrap();
    std::fs::write(
        t.path().join("billrecon.toml"),
        manifest.replace(
            "payable_account = \"AP\"",
            "payable_account = \"AP\"\njournal_format = \"peoplesoft\"\nbusiness_unit = \"DAS01\"\nnotice_due_days = 14",
        ),
    )
    .unwrap();
    let (_, out) = reconcile(t.path().to_str().unwrap(), &["--as-of", "2026-11-05"]);
    let notice = std::fs::read_to_string(out.path().join("out/notices/E1.txt")).unwrap();
    assert!(notice.contains("Amount due: $11.89  Due by: 2026-11-19"), "{notice}");
    let ps = std::fs::read_to_string(out.path().join("out/journal-peoplesoft.txt")).unwrap();
    insta::assert_snapshot!("peoplesoft", ps);
}

#[test]
fn reconcile_refuses_a_folder_it_did_not_write() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("keep.txt"), "mine").unwrap();
    let out = run(&["reconcile", "fixtures/worked-example", "--out", t.path().to_str().unwrap()])
        .replace(t.path().to_str().unwrap(), "[DIR]");
    insta::assert_snapshot!(out, @r"
    exit: 2
    ----- stdout -----
    ----- stderr -----
    error: [DIR]: the folder is not empty and was not written by billrecon; choose an empty or new folder
    ");
    assert!(t.path().join("keep.txt").exists());
}

#[test]
fn timings_are_printed_only_when_asked() {
    let (plain, _a) = reconcile("fixtures/2026-10", &["--quiet"]);
    assert!(!plain.contains("timings:"), "{plain}");
    let (timed, _b) = reconcile("fixtures/2026-10", &["--quiet", "--timings"]);
    let stderr = timed.split("----- stderr -----\n").nth(1).unwrap();
    let stages: Vec<&str> = stderr.lines().map(|l| l.trim_start().split("  ").next().unwrap()).collect();
    assert_eq!(
        stages,
        ["timings:", "read and fold the inputs", "rules", "chargeback", "render and write the outputs", "total"],
        "{timed}"
    );
    assert!(stderr.lines().skip(1).all(|l| l.ends_with(" s")), "{timed}");
}
