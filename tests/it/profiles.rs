//! Carrier profiles end to end: the sample month in Verizon's and AT&T's own layouts posts what
//! the canonical month posts, and `billrecon profile` shows and tries profiles.

use std::path::Path;

use crate::{fixture, root, run};

/// Reconciles a fixture month into a temporary folder.
fn reconcile(month: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let t = run(&["reconcile", &format!("fixtures/{month}"), "--out", dir.to_str().unwrap(), "--quiet"]);
    assert!(t.starts_with("exit: 1\n"), "{t}");
    out
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("out").join(name)).unwrap()
}

/// CSV rows with the named columns dropped (finding ids and source rows name the files read).
fn without(csv: &str, drop: &[&str]) -> Vec<String> {
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let keep: Vec<usize> = (0..head.len()).filter(|i| !drop.contains(&head[*i])).collect();
    lines
        .map(|l| {
            // Drop by position; these files quote nothing before the dropped columns' values.
            let cells: Vec<&str> = l.splitn(head.len(), ',').collect();
            keep.iter().filter_map(|&i| cells.get(i).copied()).collect::<Vec<_>>().join(",")
        })
        .collect()
}

fn summary_money(dir: &Path) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(&read(dir, "summary.json")).unwrap();
    serde_json::json!({"totals": v["totals"], "accounts": v["accounts"], "employees": v["employees"], "findings": v["findings"]})
}

/// The journal, the summary's money, and the findings of `canon` and `other` agree; with
/// `itemized`, every posting too (account, line, category, description, amount). Returns both
/// output folders.
fn assert_same_money(canon: &str, other: &str, itemized: bool) -> (tempfile::TempDir, tempfile::TempDir) {
    let (a, b) = (reconcile(canon), reconcile(other));
    assert_eq!(read(a.path(), "journal.csv"), read(b.path(), "journal.csv"));
    assert_eq!(summary_money(a.path()), summary_money(b.path()));
    if itemized {
        let cols = ["finding", "source", "basis"];
        assert_eq!(without(&read(a.path(), "postings.csv"), &cols), without(&read(b.path(), "postings.csv"), &cols));
    }
    let fcols = ["id", "source", "detail"];
    assert_eq!(without(&read(a.path(), "findings.csv"), &fcols), without(&read(b.path(), "findings.csv"), &fcols));
    (a, b)
}

#[test]
fn the_verizon_layout_month_posts_exactly_what_the_canonical_month_posts() {
    // Itemized, so every posting is the same: account, line, category, description, amount.
    let (canon, vz) = assert_same_money("2026-10", "2026-10-verizon", true);
    // And the notices say the same, but for the rows they cite.
    let strip = |s: String| {
        s.lines()
            .filter(|l| {
                !l.contains(".txt:") && !l.contains(".csv:") && !l.contains("DA-") && !l.contains("OVG-") && !l.contains("PCC-")
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(read(canon.path(), "notices/E1001.txt")), strip(read(vz.path(), "notices/E1001.txt")));
}

#[test]
fn the_att_layout_month_posts_the_same_money_to_the_same_accounts() {
    let (canon, att) = assert_same_money("2026-10", "2026-10-att", false);
    // Premier gives per-line totals, so items are grouped: the net per account and line agrees.
    let net = |csv: String| {
        let mut m = std::collections::BTreeMap::<(String, String, String), rust_decimal::Decimal>::new();
        for row in without(&csv, &[]) {
            let c: Vec<&str> = row.split(',').collect();
            if c.len() < 9 {
                continue;
            }
            let amount: rust_decimal::Decimal = match c[c.len() - 3].parse() {
                Ok(a) => a,
                Err(_) => continue,
            };
            *m.entry((c[0].to_string(), c[1].to_string(), c[3].to_string())).or_default() += amount;
        }
        m
    };
    assert_eq!(net(read(canon.path(), "postings.csv")), net(read(att.path(), "postings.csv")));
}

#[test]
fn check_names_the_profile_and_footer_of_each_input() {
    insta::assert_snapshot!("check_verizon_layout", run(&["check", "fixtures/2026-10-verizon"]));
}

#[test]
fn profile_show_prints_the_built_in_file() {
    let t = run(&["profile", "show", "verizon-rdd"]);
    let file = std::fs::read_to_string(root().join("crates/parser/profiles/verizon-rdd.toml")).unwrap();
    assert_eq!(t, format!("exit: 0\n----- stdout -----\n{file}----- stderr -----\n"));
    insta::assert_snapshot!("profile_list", run(&["profile", "list"]));
    insta::assert_snapshot!("profile_show_unknown", run(&["profile", "show", "sprint"]));
}

#[test]
fn profile_test_shows_canonical_rows() {
    let charges =
        fixture("2026-10-verizon").join("RDD_REGIONAL_SCHOOL_DISTRICT_202610.zip#Acct & Wireless Charges Detail Summary Usage");
    let t = run(&["profile", "test", "verizon-rdd", charges.to_str().unwrap(), "--rows", "5"]);
    insta::assert_snapshot!("profile_test_verizon_charges", t.replace(root().to_str().unwrap(), "[ROOT]"));
    let export = fixture("2026-10-att").join("Premier_Billing_Export_202610.csv");
    let t = run(&["profile", "test", "att-premier", export.to_str().unwrap(), "--table", "summary"]);
    insta::assert_snapshot!("profile_test_att_summary", t.replace(root().to_str().unwrap(), "[ROOT]"));
    let t = run(&["profile", "test", "verizon-rdd", fixture("2026-10").join("plans.csv").to_str().unwrap()]);
    insta::assert_snapshot!("profile_test_no_fit", t.replace(root().to_str().unwrap(), "[ROOT]"));
}

#[test]
fn a_manifest_naming_an_unknown_profile_says_so() {
    let t = tempfile::tempdir().unwrap();
    let m = std::fs::read_to_string(fixture("2026-10-verizon").join("billrecon.toml")).unwrap();
    std::fs::write(
        t.path().join("billrecon.toml"),
        m.replace("profile = \"verizon-rdd\"\nsummary", "profile = \"verizon\"\nsummary"),
    )
    .unwrap();
    let out = run(&["check", t.path().to_str().unwrap()]).replace(t.path().to_str().unwrap(), "[MONTH]");
    insta::assert_snapshot!("manifest_unknown_profile", out);
}

/// AT&T's raw data output (one pipe-delimited file: the IRA row the invoice, SL rows the
/// charges) posts exactly what the canonical month posts: itemized, so every posting agrees.
#[test]
fn the_att_raw_data_month_posts_exactly_what_the_canonical_month_posts() {
    assert_same_money("2026-10", "2026-10-att-raw", true);
}

/// `check` rejects none of the raw data output's rows, names the invoice and its total, and
/// says why each non-charge record was set aside.
#[test]
fn check_reads_every_row_of_the_att_raw_data_output() {
    let t = run(&["check", "fixtures/2026-10-att-raw"]);
    assert!(t.contains("Every row was accepted."), "{t}");
    insta::assert_snapshot!("check_att_raw_data", t);
}

/// `init` on a folder holding the raw data output beside the month's other files (the sample
/// month's, its AT&T invoice left out) places it as one invoice: summary and charges from the
/// one file, through the built-in profile.
#[test]
fn init_places_the_att_raw_data_output_as_an_invoice() {
    let dir = tempfile::tempdir().unwrap();
    let name = "ATT_Raw_Data_Output_202610.txt";
    std::fs::copy(fixture("2026-10-att-raw").join(name), dir.path().join(name)).unwrap();
    for f in std::fs::read_dir(fixture("2026-10")).unwrap() {
        let f = f.unwrap().file_name().into_string().unwrap();
        if !f.starts_with("invoice-att") && f != "billrecon.toml" {
            std::fs::copy(fixture("2026-10").join(&f), dir.path().join(&f)).unwrap();
        }
    }
    let t = run(&["init", dir.path().to_str().unwrap()]);
    assert!(t.starts_with("exit: 0\n"), "{t}");
    assert!(t.contains("att-raw-data invoice summary + invoice charges"), "{t}");
    let manifest = std::fs::read_to_string(dir.path().join("billrecon.toml")).unwrap();
    let raw = format!("profile = \"att-raw-data\"\nsummary = \"{name}\"\ncharges = \"{name}\"");
    assert!(manifest.contains(&raw), "{manifest}");
    assert!(manifest.contains("period = \"2026-10\""), "{manifest}");
    let check = run(&["check", dir.path().to_str().unwrap()]);
    assert!(
        check.contains("AT&T Mobility account 287219044110 invoice 2026100451: current charges $275.79, total due $275.79"),
        "{check}"
    );
    assert!(check.contains("Every row was accepted."), "{check}");
}

/// With no fleet list or inventory, `init` reads the AT&T bill's user-defined labels as the
/// inventory: the label the foundation account names COST CENTER gives each line's account
/// code. Each line is read once; the month then posts every line charge and account share to
/// the same programs as the sample month's own inventory does, and with no employee ids what a
/// holder would repay stays with the program, reported.
#[test]
fn init_reads_the_att_bills_cost_center_label_as_the_inventory_when_no_list_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let name = "ATT_Raw_Data_Output_202610.txt";
    std::fs::copy(fixture("2026-10-att-raw").join(name), dir.path().join(name)).unwrap();
    std::fs::copy(fixture("2026-10").join("usage-att.xlsx"), dir.path().join("usage-att.xlsx")).unwrap();
    let t = run(&["init", dir.path().to_str().unwrap()]);
    assert!(t.starts_with("exit: 0\n"), "{t}");
    assert!(t.contains("att-raw-data invoice summary + invoice charges + inventory  invoice[1].summary, invoice[1].charges, inputs.inventory"), "{t}");
    assert!(
        t.contains("each line of the AT&T bill assigned for the whole period to its COST CENTER (user-defined label 2)"),
        "{t}"
    );
    let manifest_path = dir.path().join("billrecon.toml");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    assert!(
        manifest.contains(&format!(
            "inventory = {{ path = \"{name}\", profile = \"att-raw-data\", account_column = \"Service ID 2 (UDL 2 - CTN Level)\" }}"
        )),
        "{manifest}"
    );
    let manifest = manifest
        .replace("SET-ME: suspense account", "9999-530-SUSP")
        .replace("SET-ME: employee receivable account", "1290-EMPREC")
        .replace("SET-ME: accounts payable account", "2010-AP");
    std::fs::write(&manifest_path, manifest).unwrap();
    let check = run(&["check", dir.path().to_str().unwrap()]);
    assert!(check.contains("ATT_Raw_Data_Output_202610.txt: 9 × the same line and assignment as an earlier row of the list (rows 8, 9, 11, 12, 13, 15, 17, 19, 20)"), "{check}");
    assert!(check.contains("Every row was accepted."), "{check}");
    let out = dir.path().join("out");
    let t = run(&["reconcile", dir.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    for want in [
        "1010-ARTS    $39.42",
        "1020-TRANS   $58.15",
        "1030-SPED   $138.79",
        "1040-FAC     $39.43",
        "Billed $275.79 = programs $275.79 + employees $0.00 + suspense $0.00",
    ] {
        assert!(t.contains(want), "missing `{want}`:\n{t}");
    }
    let findings = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    assert!(
        findings.contains("chargeable directory assistance on 959-555-0112, which 1030-SPED holds with no employee named, so it stays with the program."),
        "{findings}"
    );
    let sped = std::fs::read_to_string(out.join("statements/1030-SPED.html")).unwrap();
    assert!(sped.contains("<td class=\"nw\">959-555-0112</td><td>KAREN WHITE (no employee id)</td>"), "{sped}");
}
