//! The month computed by hand in `fixtures/worked-example/README.md` (the shared worked example):
//! billrecon must reach the same numbers, independently.

use crate::run;

fn csv_rows(out: &str) -> Vec<Vec<String>> {
    let body = out.split("----- stdout -----\n").nth(1).unwrap().split("----- stderr -----").next().unwrap();
    body.lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect()
}

#[test]
fn rules_find_the_hand_computed_liabilities() {
    let out = run(&["findings", "fixtures/worked-example", "--format", "csv"]);
    assert!(out.starts_with("exit: 1\n"), "{out}");
    // (rule, line, employee, account, amount, liable)
    let got: Vec<(String, String, String, String, String, String)> = csv_rows(&out)
        .into_iter()
        .map(|r| (r[1].clone(), r[3].clone(), r[4].clone(), r[5].clone(), r[6].clone(), r[7].clone()))
        .collect();
    let want =
        |a: &str, b: &str, c: &str, d: &str, e: &str, f: &str| (a.into(), b.into(), c.into(), d.into(), e.into(), f.into());
    assert_eq!(
        got,
        vec![
            // Directory assistance: 1.99, owed by E1 from ARTS.
            want("directory_assistance", "8605550101", "E1", "ARTS", "1.99", "1.99"),
            // Personal overage: A 500, U 560, P 22, C 27.00 -> O 60, B 38, I 22, liable 9.90.
            want("personal_overage", "8605550101", "E1", "ARTS", "27.00", "9.90"),
            // 0103 unassigned 11 of 31 days: 14.19 of its 40.00 to suspense.
            want("unassigned_line", "8605550103", "", "SUSPENSE", "14.19", "0.00"),
        ]
    );
}

#[test]
fn overage_arithmetic_is_shown() {
    let out = run(&["findings", "fixtures/worked-example", "--format", "json"]);
    for needle in [
        "\"allowance\": \"500\"",
        "\"used\": \"560\"",
        "\"personal\": \"22\"",
        "\"charge\": \"27.00\"",
        "\"over\": \"60\"",
        "\"business_over\": \"38\"",
        "\"personal_over\": \"22\"",
    ] {
        assert!(out.contains(needle), "{needle} in {out}");
    }
}
