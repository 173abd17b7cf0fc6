//! `billrecon init`: a clerk's first real month (a Verizon download and the agency's fleet list,
//! nothing else) recognized, placed, reconciled; what it refuses and what it cannot place.

use std::path::Path;

use crate::{fixture, run_in};

/// A copy of a fixture month in a temporary folder (init writes into it).
fn copy_of(name: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let month = t.path().join("month");
    crate::copy_month(&fixture(name), &month);
    t
}

fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn init_then_reconcile_a_first_real_month() {
    let t = copy_of("2024-02-fleet");
    assert!(!t.path().join("month/billrecon.toml").exists(), "the fixture holds no manifest");
    let init = run_in(t.path(), &["init", "month"]);
    insta::assert_snapshot!("init_first_month", init);
    insta::assert_snapshot!("init_first_month_manifest", std::fs::read_to_string(t.path().join("month/billrecon.toml")).unwrap());

    // check: every row read, the placeholders flagged (exit 1 until they are set).
    let check = run_in(t.path(), &["check", "month"]);
    assert!(check.starts_with("exit: 1\n"), "{check}");
    assert!(check.contains("Every row was accepted."), "{check}");
    assert!(check.contains("policy.suspense_account is still the placeholder `billrecon init` wrote"), "{check}");

    let rec = run_in(t.path(), &["reconcile", "month", "--out", "out"]);
    insta::assert_snapshot!("init_first_month_reconcile", rec);
    let out = t.path().join("out");
    let s = summary(&out);
    // Worked by hand: the lines' items (ARTS 49.26 + 44.56, TRANS 62.95, SPED 38.68; 195.45 in
    // all) and the $4.00 account fee by amount (1.92, 1.29, 0.79); Luis Ortiz repays the 411
    // call ($1.99) and 2 of the 60 minutes over ($27.00 × 2 ÷ 60 = $0.90).
    assert_eq!(
        s["accounts"],
        serde_json::json!({
            "2110-530-ARTS": "95.74",
            "2120-540-TRANS": "61.35",
            "3100-560-SPED": "39.47",
            "SET-ME: employee receivable account": "2.89"
        })
    );
    assert_eq!(s["totals"]["suspense"], "0.00", "every line is on the fleet list: nothing posts to suspense");
    assert_eq!(s["invoices"][0]["ties_out"], true);
    assert_eq!(s["findings"]["invoice_mismatch"], 0);
    assert_eq!(s["findings"]["unassigned_line"], 0);

    let statement = std::fs::read_to_string(out.join("statements/2120-540-TRANS.html")).unwrap();
    assert!(statement.contains("Every line above was assigned for the whole period per the fleet list of 2024-02-10."));
    insta::assert_snapshot!("init_first_month_statement_trans", statement);
    let notice = std::fs::read_to_string(out.join("notices/E302.txt")).unwrap();
    insta::assert_snapshot!("init_first_month_notice_e302", notice);
}

#[test]
fn init_refuses_to_overwrite_a_manifest_unless_forced() {
    let t = copy_of("2024-01-verizon");
    let before = std::fs::read_to_string(t.path().join("month/billrecon.toml")).unwrap();
    let out = run_in(t.path(), &["init", "month"]);
    insta::assert_snapshot!("init_refuses_to_overwrite", out);
    assert_eq!(std::fs::read_to_string(t.path().join("month/billrecon.toml")).unwrap(), before, "untouched");
    let forced = run_in(t.path(), &["init", "month", "--force"]);
    assert!(forced.starts_with("exit: 0\n"), "{forced}");
    assert_ne!(std::fs::read_to_string(t.path().join("month/billrecon.toml")).unwrap(), before);
}

#[test]
fn init_names_what_it_did_not_recognize_and_the_closest_table() {
    let t = copy_of("2024-02-fleet");
    let m = t.path().join("month");
    // A usage export missing two of usage's columns, a scanned bill, and a folder.
    std::fs::write(m.join("calls export.csv"), "line,date,minutes,number\n513-503-8396,2024-01-20,5,513-555-0100\n").unwrap();
    std::fs::write(m.join("bill.pdf"), "%PDF-1.4").unwrap();
    std::fs::create_dir(m.join("old")).unwrap();
    let out = run_in(t.path(), &["init", "month"]);
    insta::assert_snapshot!("init_unrecognized", out);
    assert!(t.path().join("month/billrecon.toml").exists(), "what was recognized is still written");
}

#[test]
fn init_without_an_invoice_writes_nothing_and_says_why() {
    let t = copy_of("2024-02-fleet");
    std::fs::remove_file(t.path().join("month/RDD_MAPLE_VALLEY_SD_202402.zip")).unwrap();
    let out = run_in(t.path(), &["init", "month"]);
    insta::assert_snapshot!("init_no_invoice", out);
    assert!(!t.path().join("month/billrecon.toml").exists());
}

#[test]
fn a_fleet_list_s_account_code_is_the_first_filled_of_gl_code_account_code_cost_center_or_a_named_column() {
    let t = copy_of("2024-02-fleet");
    let m = t.path().join("month");
    std::fs::remove_file(m.join("Fleet List.xlsx")).unwrap();
    // The same phones as a CSV fleet list: one GL CODE left empty (its COST CENTER pays), and a
    // column of the agency's own naming.
    std::fs::write(
        m.join("fleet.csv"),
        "USER NAME,WIRELESS NUMBER,STATUS,COST CENTER,PLAN NAME,EMPLOYEE ID,GL CODE,DEPT\n\
         Dana White,(513) 503-8396,Active,CC-100,Business Unlimited Smartphone,E301,2110-530-ARTS,D1\n\
         Luis Ortiz,(513) 503-8397,Active,CC-200,Business Talk 500,E302,2120-540-TRANS,D2\n\
         Kim Nguyen,(513) 503-8398,Active,CC-300,FLEX Business Data Device 2GB,E303,,D3\n\
         Ann Park,(513) 503-8399,Active,CC-100,Business Unlimited Smartphone,E304,2110-530-ARTS,D1\n",
    )
    .unwrap();
    let init = run_in(t.path(), &["init", "month"]);
    assert!(
        init.starts_with("exit: 0\n")
            && init.lines().any(|l| l.starts_with("fleet.csv ") && l.contains("fleet list (inventory)")),
        "{init}"
    );
    let manifest = std::fs::read_to_string(m.join("billrecon.toml")).unwrap();
    assert!(manifest.contains("inventory = { path = \"fleet.csv\", profile = \"fleet\" }"), "{manifest}");
    run_in(t.path(), &["reconcile", "month", "--out", "a", "-q"]);
    let accounts = summary(&t.path().join("a"))["accounts"].clone();
    assert_eq!(accounts["CC-300"], "39.47", "{accounts}");
    assert!(accounts.get("3100-560-SPED").is_none());

    std::fs::write(
        m.join("billrecon.toml"),
        manifest.replace(
            "inventory = { path = \"fleet.csv\", profile = \"fleet\" }",
            "inventory = { path = \"fleet.csv\", profile = \"fleet\", account_column = \"DEPT\" }",
        ),
    )
    .unwrap();
    run_in(t.path(), &["reconcile", "month", "--out", "b", "-q"]);
    let accounts = summary(&t.path().join("b"))["accounts"].clone();
    assert_eq!(
        (accounts["D1"].as_str(), accounts["D2"].as_str(), accounts["D3"].as_str()),
        (Some("95.74"), Some("61.35"), Some("39.47"))
    );
    // A canonical inventory has its own account_code column: naming another is an error.
    std::fs::write(
        m.join("billrecon.toml"),
        manifest.replace(
            "inventory = { path = \"fleet.csv\", profile = \"fleet\" }",
            "inventory = { path = \"fleet.csv\", account_column = \"DEPT\" }",
        ),
    )
    .unwrap();
    let out = run_in(t.path(), &["check", "month"]);
    assert!(out.contains("inputs.inventory.account_column: goes with a profile"), "{out}");
}
