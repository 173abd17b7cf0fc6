//! Privacy: no called number, line number or name reaches stderr (what logs keep), whatever the
//! command and however the month fails; `--timings` prints stage names and times only.

use crate::{fixture, run_in};

/// Every phone number (as written, and as ten digits) and every name of the sample month.
fn secrets() -> Vec<String> {
    let mut v = Vec::new();
    let usage = std::fs::read_to_string(fixture("2026-10").join("usage-verizon.csv")).unwrap();
    for row in usage.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        for c in [cells[0], cells[3]] {
            let digits: String = c.chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 7 {
                v.push(c.to_string());
                v.push(digits);
            }
        }
    }
    let employees = std::fs::read_to_string(fixture("2026-10").join("employees.csv")).unwrap();
    for row in employees.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        v.push(cells[1].to_string());
        v.push(cells[2].to_string());
    }
    v.sort();
    v.dedup();
    v
}

fn stderr_of(transcript: &str) -> &str {
    transcript.split_once("----- stderr -----").map_or("", |(_, e)| e)
}

fn assert_clean(what: &str, transcript: &str) {
    let err = stderr_of(transcript);
    for s in secrets() {
        assert!(!err.contains(&s), "{what}: stderr shows `{s}`:\n{err}");
    }
}

#[test]
fn nothing_personal_reaches_stderr() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("o");
    // A full run with every stage timed.
    let t = run_in(&crate::root(), &["reconcile", "fixtures/2026-10", "--out", o.to_str().unwrap(), "--timings"]);
    assert!(stderr_of(&t).contains("read and fold the inputs"), "{t}");
    assert_clean("reconcile --timings", &t);
    // A month with rejected rows: they are listed on stdout (the clerk's report), not stderr.
    assert_clean("check bad-month", &run_in(&crate::root(), &["check", "fixtures/bad-month"]));
    let o2 = out.path().join("o2");
    assert_clean(
        "reconcile bad-month",
        &run_in(&crate::root(), &["reconcile", "fixtures/bad-month", "--out", o2.to_str().unwrap()]),
    );

    // Fatal errors: a usage file without its header (its first rows are calls), and a usage
    // report whose header lacks a column.
    let t = tempfile::tempdir().unwrap();
    let m = t.path().join("m");
    crate::copy_month(&fixture("2026-10"), &m);
    let usage = std::fs::read_to_string(m.join("usage-verizon.csv")).unwrap();
    std::fs::write(m.join("usage-verizon.csv"), usage.lines().skip(1).collect::<Vec<_>>().join("\n")).unwrap();
    let headerless = run_in(t.path(), &["reconcile", "m", "--out", "o"]);
    assert!(
        headerless.starts_with("exit: 2\n") && headerless.contains("none of the first 20 rows names any of them"),
        "{headerless}"
    );
    assert_clean("headerless usage", &headerless);
    std::fs::write(m.join("usage-verizon.csv"), usage.replacen("Line,Date", "Phone,Date", 1)).unwrap();
    let missing = run_in(t.path(), &["check", "m"]);
    assert!(missing.starts_with("exit: 2\n"), "{missing}");
    assert_clean("header missing a column", &missing);
}
