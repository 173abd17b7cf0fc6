//! The month ledger end to end: three consecutive months posted, a dispute, payments, a waiver,
//! a corrected invoice, every command's output snapshotted; and the ledger's reliability under
//! SIGKILL and two posts at once.

use std::path::Path;
use std::process::Command;

use crate::fixture;

/// `fixtures/ledger` copied into a temporary folder (the ledger is created beside the months).
fn months() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    for m in ["2026-08", "2026-09", "2026-10"] {
        let dir = t.path().join(m);
        crate::copy_month(&fixture("ledger").join(m), &dir);
    }
    t
}

/// Runs a command in `dir` with the ledger named by the environment unset.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_billrecon"))
        .args(args)
        .current_dir(dir)
        .env_remove("BILLRECON_LEDGER")
        .output()
        .expect("the binary runs");
    let text = format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        out.status.code().map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text.replace(dir.to_str().unwrap(), "[DIR]")
}

fn finding_id(dir: &Path, month: &str, rule: &str) -> String {
    let csv = run(dir, &["findings", month, "--format", "csv"]);
    csv.lines()
        .find(|l| l.split(',').nth(1) == Some(rule))
        .and_then(|l| l.split(',').next())
        .unwrap_or_else(|| panic!("no {rule} in {csv}"))
        .to_string()
}

#[test]
fn three_months_posted_paid_waived_disputed_and_verified() {
    let t = months();
    let d = t.path();
    insta::assert_snapshot!("ledger_post_august", run(d, &["post", "2026-08"]));
    assert!(d.join("billrecon.db").is_file(), "the ledger is beside the month folders");
    let dup = finding_id(d, "2026-08", "duplicate_charge");
    insta::assert_snapshot!(
        "ledger_dispute",
        run(
            d,
            &[
                "finding",
                "dispute",
                &dup,
                "--reason",
                "voicemail billed twice",
                "--by",
                "A. Clerk",
                "--case",
                "VZ-1001",
                "--date",
                "2026-09-05"
            ]
        )
    );
    insta::assert_snapshot!("ledger_post_september", run(d, &["post", "2026-09"]));
    insta::assert_snapshot!("ledger_pay", run(d, &["pay", "E4", "1.99", "--date", "2026-09-20", "--ref", "CHK-1001"]));
    insta::assert_snapshot!("ledger_pay_again", run(d, &["pay", "E4", "1.99", "--date", "2026-09-20", "--ref", "CHK-1001"]));
    let oct = run(d, &["post", "2026-10"]);
    insta::assert_snapshot!("ledger_post_october", oct);
    for rule in ["zero_usage_streak", "cost_spike", "repeat_finding", "credit_not_received"] {
        assert!(oct.contains(rule), "October shows {rule}:\n{oct}");
    }
    insta::assert_snapshot!("ledger_findings_october", run(d, &["findings", "2026-10", "--ledger", "billrecon.db"]));
    insta::assert_snapshot!("ledger_post_october_again", run(d, &["post", "2026-10"]));

    // A notice waived: its $1.99 goes back to the program.
    let da = finding_id(d, "2026-10", "directory_assistance");
    insta::assert_snapshot!(
        "ledger_waive",
        run(
            d,
            &[
                "finding",
                "waive",
                &da,
                "--reason",
                "a business call: the vendor's number",
                "--by",
                "M. Supervisor",
                "--date",
                "2026-11-10"
            ]
        )
    );
    std::fs::write(d.join("payments.csv"), "employee_id,date,amount,reference\nE4,2026-11-20,5.00,CHK-1002\n").unwrap();
    insta::assert_snapshot!("ledger_pay_file", run(d, &["pay", "--file", "payments.csv"]));
    insta::assert_snapshot!("ledger_receivables", run(d, &["receivables", "--as-of", "2026-12-15"]));
    insta::assert_snapshot!("ledger_receivables_json", run(d, &["receivables", "--as-of", "2026-12-15", "--format", "json"]));
    insta::assert_snapshot!("ledger_history", run(d, &["history", "860-555-0202"]));

    // The carrier corrects October's invoice: refused until --replace, then reversed and reposted.
    let charges = d.join("2026-10/charges.csv");
    let text = std::fs::read_to_string(&charges).unwrap();
    std::fs::write(&charges, text.replace("Replacement phone,60.00", "Replacement phone,55.00")).unwrap();
    let summary = d.join("2026-10/summary.csv");
    let s = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, s.replace("224.94", "219.94")).unwrap();
    insta::assert_snapshot!("ledger_post_changed", run(d, &["post", "2026-10"]));
    insta::assert_snapshot!("ledger_post_replace", run(d, &["post", "2026-10", "--replace", "--as-of", "2026-11-25", "-q"]));
    insta::assert_snapshot!("ledger_journal", run(d, &["journal", "--since", "2026-09-01"]));
    insta::assert_snapshot!("ledger_verify", run(d, &["ledger", "verify"]));
    insta::assert_snapshot!("ledger_receivables_csv", run(d, &["receivables", "--as-of", "2026-12-15", "--format", "csv"]));
    insta::assert_snapshot!("ledger_journal_peoplesoft", run(d, &["journal", "--since", "2026-11-01", "--format", "peoplesoft"]));
    let cnr = finding_id(d, "2026-10", "zero_usage");
    insta::assert_snapshot!(
        "ledger_resolve",
        run(
            d,
            &[
                "finding",
                "resolve",
                &cnr,
                "--reason",
                "line cancelled with the carrier",
                "--by",
                "A. Clerk",
                "--date",
                "2026-11-30"
            ]
        )
    );
    insta::assert_snapshot!("ledger_unknown_finding", run(d, &["finding", "waive", "DA-00000000", "--reason", "x", "--by", "y"]));

    // A ledger changed behind billrecon's back (its guard removed first) fails verification.
    let c = rusqlite::Connection::open(d.join("billrecon.db")).unwrap();
    c.execute_batch("DROP TRIGGER entries_no_update; UPDATE entries SET amount_cents = amount_cents + 1 WHERE id = 1;").unwrap();
    drop(c);
    insta::assert_snapshot!("ledger_verify_tampered", run(d, &["ledger", "verify"]));

    // reconcile with the ledger adds the history findings; without it, exactly as before.
    let with = run(d, &["reconcile", "2026-10", "--out", "o1", "--ledger", "billrecon.db", "-q"]);
    let f1 = std::fs::read_to_string(d.join("o1/findings.csv")).unwrap();
    assert!(f1.contains("cost_spike") && with.starts_with("exit: 1"), "{with}");
    run(d, &["reconcile", "2026-10", "--out", "o2", "-q"]);
    let f2 = std::fs::read_to_string(d.join("o2/findings.csv")).unwrap();
    assert!(!f2.contains("cost_spike") && !f2.contains("repeat_finding"));
}

#[test]
fn the_ledger_is_named_by_flag_environment_or_the_month_s_parent_and_must_exist_to_read() {
    let t = months();
    let d = t.path();
    let other = d.join("elsewhere.db");
    let out = Command::new(env!("CARGO_BIN_EXE_billrecon"))
        .args(["post", "2026-08", "-q"])
        .current_dir(d)
        .env("BILLRECON_LEDGER", &other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(other.is_file() && !d.join("billrecon.db").exists());
    insta::assert_snapshot!("ledger_missing", run(d, &["receivables"]));
}

/// A month big enough that `post` takes a while: killed at random points, the ledger is either
/// as before the post or as after it, never between.
#[test]
fn a_post_killed_at_any_point_leaves_the_ledger_as_before_or_as_after() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let gen = run(d, &["generate", "--lines", "3000", "--usage-rows", "6000", "--seed", "3", "m"]);
    assert!(gen.starts_with("exit: 0"), "{gen}");
    // The post, whole, once: what "after" looks like, and how long it takes.
    let whole = d.join("whole.db");
    let clock = std::time::Instant::now();
    run(d, &["post", "m", "--ledger", whole.to_str().unwrap(), "-q"]);
    let full = clock.elapsed();
    let count = |db: &Path| -> (i64, i64) {
        let c = rusqlite_count(db);
        (c.0, c.1)
    };
    let after = count(&whole);
    assert!(after.0 > 100, "{after:?}");
    let mut seen_before = 0;
    let mut seen_after = 0;
    for k in 0..12u64 {
        let db = d.join(format!("k{k}.db"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_billrecon"))
            .args(["post", "m", "--ledger", db.to_str().unwrap(), "-q"])
            .current_dir(d)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the post's whole run, from its start to past its end.
        std::thread::sleep(full.mul_f64(if k == 11 { 3.0 } else { k as f64 / 6.0 }));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if !db.exists() {
            seen_before += 1;
            continue;
        }
        let v = run(d, &["ledger", "verify", "--ledger", db.to_str().unwrap()]);
        assert!(v.starts_with("exit: 0"), "kill {k}: {v}");
        let c = count(&db);
        assert!(c == (0, 0) || c == after, "kill {k}: {c:?}, neither before nor after {after:?}");
        if c == after {
            seen_after += 1;
        } else {
            seen_before += 1;
        }
        // Posting again completes it, or finds it already posted.
        let again = run(d, &["post", "m", "--ledger", db.to_str().unwrap(), "-q"]);
        assert!(again.starts_with("exit: 1") || again.starts_with("exit: 0"), "{again}");
        assert_eq!(count(&db), after);
    }
    assert_eq!(seen_before + seen_after, 12);
    assert!(seen_before > 0 && seen_after > 0, "kills landed before ({seen_before}) and after ({seen_after}) the commit");
}

/// Killed after writing everything and before committing: nothing of the post remains.
#[test]
fn a_post_killed_inside_its_transaction_leaves_nothing() {
    let t = months();
    let d = t.path();
    run(d, &["post", "2026-08", "-q"]);
    let db = d.join("billrecon.db");
    let before = rusqlite_count(&db);
    let mut child = Command::new(env!("CARGO_BIN_EXE_billrecon"))
        .args(["post", "2026-09", "-q"])
        .current_dir(d)
        .env_remove("BILLRECON_LEDGER")
        .env("BILLRECON_TEST_PAUSE_BEFORE_COMMIT", "5000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The month is read and posted well within two seconds; the post then waits to commit.
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(child.try_wait().unwrap().is_none(), "the post is still inside its transaction");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(rusqlite_count(&db), before, "the killed post left nothing");
    let v = run(d, &["ledger", "verify"]);
    assert!(v.starts_with("exit: 0"), "{v}");
    let c = rusqlite::Connection::open(&db).unwrap();
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let months: i64 = c.query_row("SELECT COUNT(DISTINCT month) FROM posts", [], |r| r.get(0)).unwrap();
    assert_eq!(months, 1);
}

/// Entries, journal lines and findings in a ledger file.
fn rusqlite_count(db: &Path) -> (i64, i64) {
    let c = rusqlite::Connection::open(db).unwrap();
    let n = |t: &str| -> i64 { c.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0)).unwrap_or(0) };
    (n("entries"), n("journal") + n("findings") + n("line_months"))
}

#[test]
fn two_posts_at_once_take_turns_and_both_land_whole() {
    let t = months();
    let d = t.path();
    let spawn = |m: &str| {
        Command::new(env!("CARGO_BIN_EXE_billrecon"))
            .args(["post", m, "-q"])
            .current_dir(d)
            .env_remove("BILLRECON_LEDGER")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn("2026-08");
    let b = spawn("2026-09");
    for c in [a, b] {
        let out = c.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let v = run(d, &["ledger", "verify"]);
    assert!(v.contains("verified: 2 invoices"), "{v}");
}
