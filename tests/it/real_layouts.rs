//! Carrier files in exactly the layouts real downloads have: Verizon's Raw Data Download as the
//! zip My Business delivers (read in place), AT&T Premier's usage detail. The January 2024
//! month is computed here by hand, from the fixture's own rows, not by billrecon.

use std::io::Write as _;
use std::path::Path;

use crate::{fixture, root, run};

const RDD_2024: &str = "fixtures/2024-01-verizon/RDD_RIVERBEND_UNIFIED_SD_202401.zip";

fn reconcile(month: &str) -> (String, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let t = run(&["reconcile", month, "--out", dir.to_str().unwrap()]).replace(dir.to_str().unwrap(), "[OUT]");
    (t, out)
}

fn json(dir: &Path, name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out").join(name)).unwrap()).unwrap()
}

/// January 2024 (Dec 16, 2023 to Jan 15, 2024), worked by hand from the download's rows:
///
/// Items per line (Account & Wireless Summary's Total Charges agree):
///   1016 Jane Doe, ARTS:  35.00 + 0.21 + 1.95 + 1.34 + 1.85 + 1.52 + 0.62          = 42.49
///   1017 Mark Lee, TRANS: 45.00 − 4.50 (10% discount) + 0.21 + 1.95 + 1.72 + 3.30
///                         + 1.79 + 0.73 + 1.00 + 0.10                              = 51.30
///   1018 Ana Soto, ARTS:  45.00 + 1.99 (411) + 0.21 + 1.95 + 1.94 + 3.30 + 1.99
///                         + 0.81 + 1.00 + 0.10                                     = 58.29
///   1019 (in no inventory): 45.00 − 4.50 + 0.21 + 1.95 + 1.72 + 3.30 + 1.79 + 0.73 = 50.20
///   1020 Tom Ross, TRANS: 30.00 + 10.00 + 0.21 + 1.95 + 1.53 + 0.04 + 3.30 + 1.60
///                         + 0.65                                                   = 49.28
///   account: Account Service Fee 4.00; the Payment Received (−241.87) is not a charge.
///   Items: 42.49 + 51.30 + 58.29 + 50.20 + 49.28 + 4.00 = 255.56 = Total Current Charges.
///
/// Every assigned line is held all 31 days: ARTS 42.49 + 58.29 = 100.78, TRANS 51.30 + 49.28 =
/// 100.58, suspense 50.20 (line 1019).
/// The fee, by those amounts (total 251.56): exact cents 160.248 / 159.930 / 79.822, floors
/// 160 / 159 / 79, the two cents left to the largest remainders TRANS (.930) and suspense
/// (.822): ARTS 1.60, TRANS 1.60, suspense 0.80.
/// Ana Soto's 411 call on Jan 8 charged 1.99 is hers to repay: ARTS gives up 1.99.
/// ARTS 100.78 + 1.60 − 1.99 = 100.39; TRANS 100.58 + 1.60 = 102.18; suspense 50.20 + 0.80 =
/// 51.00; receivable 1.99. 100.39 + 102.18 + 51.00 + 1.99 = 255.56.
#[test]
fn the_january_2024_rdd_zip_reconciles_to_the_month_worked_by_hand() {
    let (t, out) = reconcile("fixtures/2024-01-verizon");
    assert!(t.starts_with("exit: 1\n"), "{t}");
    let s = json(out.path(), "summary.json");
    assert_eq!(
        s["totals"],
        serde_json::json!({"billed": "255.56", "programs": "202.57", "employees": "1.99", "suspense": "51.00"})
    );
    assert_eq!(
        s["accounts"],
        serde_json::json!({"1290-EMPREC": "1.99", "2110-530-ARTS": "100.39", "2120-540-TRANS": "102.18", "9999-530-SUSP": "51.00"})
    );
    assert_eq!(s["employees"], serde_json::json!({"E203": "1.99"}));
    assert_eq!(s["invoices"][0]["items_total"], "255.56");
    assert_eq!(s["invoices"][0]["ties_out"], true);
    assert_eq!(s["period_start"], "2023-12-16");
    // The charges file: 48 rows, a payment and two $0.00 usage summaries skipped, by reason.
    let charges = &s["inputs"][1];
    assert_eq!(
        (&charges["read"], &charges["accepted"], &charges["rejected"], &charges["skipped"], &charges["blank"]),
        (&serde_json::json!(48), &serde_json::json!(45), &serde_json::json!(0), &serde_json::json!(3), &serde_json::json!(0))
    );
    assert_eq!(
        charges["skips"],
        serde_json::json!([
            {"reason": "a payment received, not a current charge", "rows": 1, "first_rows": [2]},
            {"reason": "a usage summary with no charge (what the line used of its allowance)", "rows": 2, "first_rows": [10, 48]},
        ])
    );
    let findings = std::fs::read_to_string(out.path().join("out/findings.csv")).unwrap();
    insta::assert_snapshot!("rdd_2024_findings", findings);
    // The December call kept its year: the line's first call is 2023-12-20, not 2024-12-20.
    let notice = std::fs::read_to_string(out.path().join("out/notices/E203.txt")).unwrap();
    assert!(notice.contains("Date 2024-01-08 at 10:12:00\n   Number called 411"), "{notice}");
    insta::assert_snapshot!("rdd_2024_stdout", t);
}

#[test]
fn check_lists_every_file_of_the_download_and_its_skipped_rows() {
    insta::assert_snapshot!("rdd_2024_check", run(&["check", "fixtures/2024-01-verizon"]));
}

/// `profile test` on the whole download reads each file through its own section: nothing
/// rejected, December dates in 2023.
#[test]
fn profile_test_reads_each_real_layout_with_nothing_rejected() {
    let t = run(&["profile", "test", "verizon-rdd", RDD_2024, "--rows", "3"]);
    assert!(t.starts_with("exit: 0\n"), "{t}");
    insta::assert_snapshot!("profile_test_rdd_2024", t);
    let t = run(&["profile", "test", "verizon-rdd", &format!("{RDD_2024}#Wireless Usage Detail"), "--rows", "9"]);
    assert!(t.contains("2023-12-20") && t.contains("2024-01-08") && t.contains("0 rejected"), "{t}");
    let t = run(&["profile", "test", "verizon-rdd", "fixtures/2026-10-verizon/RDD_REGIONAL_SCHOOL_DISTRICT_202610.zip"]);
    assert!(t.starts_with("exit: 0\n") && !t.contains("Rejected"), "{t}");
    let t = run(&["profile", "test", "att-premier", "fixtures/2026-10-att/Premier_Usage_Detail_202610.csv", "--rows", "4"]);
    assert!(t.starts_with("exit: 0\n"), "{t}");
    insta::assert_snapshot!("profile_test_att_usage_detail", t);
}

/// The AT&T usage detail holds voice, data and messaging in one file, told apart by Source.
#[test]
fn the_att_usage_detail_holds_all_three_sources() {
    let text = std::fs::read_to_string(fixture("2026-10-att").join("Premier_Usage_Detail_202610.csv")).unwrap();
    let mut header = text.lines().next().unwrap().split(',');
    assert_eq!(header.clone().count(), 24);
    assert_eq!(header.next(), Some("\"Foundation account\""));
    for source in [",Voice,", ",Data,", ",Messaging,"] {
        assert!(text.contains(source), "no {source} row");
    }
    // Quoted only where needed; the foundation account keeps its leading zero; case varies.
    assert!(text.contains(",\"Dallas, TX\","), "no quoted city");
    assert!(text.contains("\n03519721,"), "no leading zero");
    assert!(text.contains(",HOME,") && text.contains(",Home,") && text.contains(",Out,") && text.contains(",in,"));
}

/// Writes a zip of `members`.
fn zip_with(dir: &Path, name: &str, members: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(dir.join(name)).unwrap());
    for (m, bytes) in members {
        z.start_file(*m, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

/// The 2024-01 month with its zip replaced by `members` (taken from the real one by name).
fn month_with_zip(extra: &[(&str, &[u8])], drop: &[&str]) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let src = root().join(RDD_2024);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut members: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if drop.iter().any(|d| name.starts_with(d)) {
            continue;
        }
        let mut bytes = Vec::new();
        std::io::copy(&mut f, &mut bytes).unwrap();
        members.push((name, bytes));
    }
    let mut all: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    all.extend_from_slice(extra);
    zip_with(t.path(), "RDD_RIVERBEND_UNIFIED_SD_202401.zip", &all);
    for f in ["billrecon.toml", "inventory.csv"] {
        std::fs::copy(fixture("2024-01-verizon").join(f), t.path().join(f)).unwrap();
    }
    t
}

fn check_in(t: &tempfile::TempDir) -> String {
    run(&["check", t.path().to_str().unwrap()]).replace(t.path().to_str().unwrap(), "[MONTH]")
}

#[test]
fn a_download_with_an_unexpected_file_is_an_error_naming_it() {
    let t = month_with_zip(&[("Notes_202401.txt", b"hello\n")], &[]);
    assert_eq!(
        check_in(&t),
        "exit: 2\n----- stdout -----\n----- stderr -----\nerror: RDD_RIVERBEND_UNIFIED_SD_202401.zip: unexpected file `Notes_202401.txt` in the zip: a verizon-rdd download holds AccountSummary, Acct & Wireless Charges Detail Summary Usage, Account & Wireless Summary, Wireless Usage Detail (each ending _YYYYMM)\n"
    );
}

#[test]
fn a_download_of_two_months_or_missing_a_file_says_so() {
    let t = month_with_zip(&[("Wireless Usage Detail_202312.txt", b"x\n")], &["Wireless Usage Detail"]);
    assert_eq!(
        check_in(&t),
        "exit: 2\n----- stdout -----\n----- stderr -----\nerror: RDD_RIVERBEND_UNIFIED_SD_202401.zip: the zip holds files of more than one month (202312, 202401): use one month's download\n"
    );
    let t = month_with_zip(&[], &["Wireless Usage Detail"]);
    assert_eq!(
        check_in(&t),
        "exit: 2\n----- stdout -----\n----- stderr -----\nerror: RDD_RIVERBEND_UNIFIED_SD_202401.zip#Wireless Usage Detail: cannot open: no such file in the zip (it holds: AccountSummary_202401.txt, Acct & Wireless Charges Detail Summary Usage_202401.txt, Account & Wireless Summary_202401.txt)\n"
    );
}

#[test]
fn a_zip_named_without_a_file_or_not_a_zip_says_so() {
    let t = month_with_zip(&[], &[]);
    let m = std::fs::read_to_string(t.path().join("billrecon.toml")).unwrap();
    std::fs::write(
        t.path().join("billrecon.toml"),
        m.replace("\"RDD_RIVERBEND_UNIFIED_SD_202401.zip#Wireless Usage Detail\"", "\"RDD_RIVERBEND_UNIFIED_SD_202401.zip\""),
    )
    .unwrap();
    assert_eq!(
        check_in(&t),
        "exit: 2\n----- stdout -----\n----- stderr -----\nerror: [MONTH]/billrecon.toml: inputs.usage: `RDD_RIVERBEND_UNIFIED_SD_202401.zip` is a zip archive: name the file inside it, as `RDD_RIVERBEND_UNIFIED_SD_202401.zip#NAME`\n"
    );
    std::fs::write(t.path().join("RDD_RIVERBEND_UNIFIED_SD_202401.zip"), b"not a zip").unwrap();
    std::fs::write(t.path().join("billrecon.toml"), m).unwrap();
    let out = check_in(&t);
    assert!(
        out.starts_with("exit: 2\n----- stdout -----\n----- stderr -----\nerror: RDD_RIVERBEND_UNIFIED_SD_202401.zip: cannot open: not a readable zip archive: "),
        "{out}"
    );
}
