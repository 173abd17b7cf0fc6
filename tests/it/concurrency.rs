//! Two people acting at once on one ledger: real `billrecon` processes started together, each
//! holding its write transaction open a moment before committing (the test hook), many rounds,
//! each from the same posted ledger. Every outcome must be one that some serial order gives, and
//! `ledger verify` must pass after every round.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::fixture;

/// Rounds of each race (the issue asks for 25).
const ROUNDS: usize = 25;

/// The three `fixtures/ledger` months posted once, in a temporary folder; each round copies the
/// ledger file.
struct Posted {
    dir: tempfile::TempDir,
    da: String,
}

fn posted() -> Posted {
    let t = tempfile::tempdir().unwrap();
    for m in ["2026-08", "2026-09", "2026-10"] {
        crate::copy_month(&fixture("ledger").join(m), &t.path().join(m));
        let out = billrecon(t.path(), &["post", m, "-q", "--ledger", "base.db"]).output().unwrap();
        assert!(out.status.code() == Some(1) || out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let csv = billrecon(t.path(), &["findings", "2026-10", "--format", "csv"]).output().unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let da = csv
        .lines()
        .find(|l| l.split(',').nth(1) == Some("directory_assistance"))
        .and_then(|l| l.split(',').next())
        .expect("October has a directory-assistance finding")
        .to_string();
    Posted { dir: t, da }
}

fn billrecon(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_billrecon"));
    c.args(args).current_dir(dir).env_remove("BILLRECON_LEDGER");
    c
}

impl Posted {
    /// A fresh copy of the posted ledger for round `k` of race `name`.
    fn round(&self, name: &str, k: usize) -> PathBuf {
        let db = self.dir.path().join(format!("{name}-{k}.db"));
        std::fs::copy(self.dir.path().join("base.db"), &db).unwrap();
        db
    }

    /// Starts both commands at once against `db`; each pauses inside its transaction before
    /// committing, so the second is certain to act while the first holds the ledger.
    fn race(&self, db: &Path, a: &[&str], b: &[&str]) -> (Output, Output) {
        let start = |args: &[&str]| {
            let mut all: Vec<&str> = args.to_vec();
            all.extend(["--ledger", db.to_str().unwrap()]);
            billrecon(self.dir.path(), &all)
                .env("BILLRECON_TEST_PAUSE_BEFORE_COMMIT", "60")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (x, y) = (start(a), start(b));
        (x.wait_with_output().unwrap(), y.wait_with_output().unwrap())
    }

    fn verify(&self, db: &Path) {
        let v = billrecon(self.dir.path(), &["ledger", "verify", "--ledger", db.to_str().unwrap()]).output().unwrap();
        assert!(
            v.status.success(),
            "verify failed: {}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
    }
}

fn text(o: &Output) -> String {
    format!("exit {:?}: {}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The events recorded for a finding, oldest first.
fn events(db: &Path, finding: &str) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c.prepare("SELECT event FROM events WHERE finding_id = ?1 ORDER BY id").unwrap();
    st.query_map([finding], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn two_waivers_of_one_finding_give_one_waiver_and_already_waived() {
    let p = posted();
    let waive = ["finding", "waive", &p.da, "--reason", "a business call", "--by", "M. Supervisor", "--date", "2026-11-10"];
    for k in 0..ROUNDS {
        let db = p.round("waive", k);
        let (a, b) = p.race(&db, &waive, &waive);
        let mut said = [text(&a), text(&b)];
        said.sort_by_key(|s| s.contains("already"));
        assert!(a.status.success() && b.status.success(), "round {k}: {said:?}");
        assert!(said[0].contains("waived on 2026-11-10 by M. Supervisor: $1.99 moved back"), "round {k}: {said:?}");
        assert!(said[1].contains("is already waived: nothing written"), "round {k}: {said:?}");
        assert_eq!(events(&db, &p.da), ["waive"], "round {k}");
        p.verify(&db);
    }
}

#[test]
fn a_waiver_racing_a_dispute_never_leaves_a_dispute_after_the_waiver() {
    let p = posted();
    let waive = ["finding", "waive", &p.da, "--reason", "a business call", "--by", "M. Supervisor", "--date", "2026-11-10"];
    let dispute =
        ["finding", "dispute", &p.da, "--reason", "billed twice", "--by", "A. Clerk", "--case", "VZ-1", "--date", "2026-11-10"];
    let (mut waive_first, mut dispute_first) = (0, 0);
    for k in 0..ROUNDS {
        let db = p.round("wd", k);
        let (w, d) = p.race(&db, &waive, &dispute);
        assert!(w.status.success(), "round {k}: {}", text(&w));
        let seen = events(&db, &p.da);
        // The only two serial orders: waive then a refused dispute, or dispute then waive.
        if seen == ["waive"] {
            assert_eq!(d.status.code(), Some(2), "round {k}: {}", text(&d));
            assert!(text(&d).contains("was waived: a waiver is final"), "round {k}: {}", text(&d));
            waive_first += 1;
        } else {
            assert_eq!(seen, ["dispute", "waive"], "round {k}: {} / {}", text(&w), text(&d));
            assert!(d.status.success(), "round {k}: {}", text(&d));
            dispute_first += 1;
        }
        p.verify(&db);
    }
    assert_eq!(waive_first + dispute_first, ROUNDS);
}

#[test]
fn two_payments_with_one_reference_record_it_once() {
    let p = posted();
    let pay = ["pay", "E4", "1.99", "--date", "2026-11-20", "--ref", "CHK-7"];
    for k in 0..ROUNDS {
        let db = p.round("pay", k);
        let (a, b) = p.race(&db, &pay, &pay);
        let mut said = [text(&a), text(&b)];
        said.sort_by_key(|s| s.contains("recorded before"));
        assert!(a.status.success() && b.status.success(), "round {k}: {said:?}");
        assert!(said[0].contains("Recorded CHK-7: $1.99 from E4 on 2026-11-20"), "round {k}: {said:?}");
        assert!(said[1].contains("Payment CHK-7 was recorded before: nothing written"), "round {k}: {said:?}");
        let c = rusqlite::Connection::open(&db).unwrap();
        let n: i64 = c.query_row("SELECT COUNT(*) FROM payments WHERE reference = 'CHK-7'", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "round {k}");
        p.verify(&db);
    }
}

/// Who, when and from where: every event and payment carries its actor, a UTC time and `cli`.
#[test]
fn every_event_and_payment_records_its_actor_time_and_source() {
    let p = posted();
    let db = p.round("stamp", 0);
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--ledger", db.to_str().unwrap()]);
        billrecon(p.dir.path(), &all).env("USER", "mclerk").output().unwrap()
    };
    assert!(run(&["finding", "dispute", &p.da, "--reason", "billed twice", "--by", "A. Clerk"]).status.success());
    assert!(run(&["pay", "E4", "1.99", "--date", "2026-11-20", "--ref", "CHK-9"]).status.success());
    let c = rusqlite::Connection::open(&db).unwrap();
    for table in ["events", "payments", "posts"] {
        let rows: Vec<(String, String, String)> = c
            .prepare(&format!("SELECT actor, source, recorded_at FROM {table}"))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(!rows.is_empty(), "{table}");
        for (actor, source, at) in rows {
            assert!(!actor.is_empty(), "{table}: no actor");
            assert_eq!(source, "cli", "{table}");
            let t = chrono::DateTime::parse_from_rfc3339(&at).unwrap_or_else(|e| panic!("{table}: `{at}`: {e}"));
            assert_eq!(t.offset().local_minus_utc(), 0, "{table}: {at} is UTC");
            assert!(at.ends_with('Z'), "{table}: {at}");
        }
    }
    let actor: String = c.query_row("SELECT actor FROM events", [], |r| r.get(0)).unwrap();
    assert_eq!(actor, "mclerk");
}

/// Free text with a control or direction character is refused with exit 2, the field named, and
/// nothing written.
#[test]
fn hostile_free_text_is_refused_and_nothing_is_written() {
    let p = posted();
    let db = p.round("hostile", 0);
    let before = std::fs::read(&db).unwrap();
    let count = || -> (i64, i64) {
        let c = rusqlite::Connection::open(&db).unwrap();
        let n = |t: &str| c.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0)).unwrap();
        (n("events"), n("payments"))
    };
    let start = count();
    let cases: [(&[&str], &str); 6] = [
        (&["--reason", "business\nINJECTED,9,9"], "--reason: holds the control character U+000A (line feed) at character 9"),
        (&["--reason", "ok \u{1b}[2J cleared"], "--reason: holds the control character U+001B (escape) at character 4"),
        (&["--reason", "CHK-\u{202e}1001"], "--reason: holds the invisible direction mark U+202E at character 5"),
        (&["--reason", "a\tb"], "--reason: holds the control character U+0009 (tab) at character 2"),
        (&["--reason", "fine", "--case", "VZ\r1"], "--case: holds the control character U+000D (carriage return)"),
        (&["--reason", "   "], "--reason: is empty"),
    ];
    for (extra, message) in cases {
        let mut args = vec!["finding", "dispute", &p.da, "--by", "A. Clerk", "--ledger", db.to_str().unwrap()];
        args.extend(extra);
        let out = billrecon(p.dir.path(), &args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with(&format!("error: {message}")), "{err}");
        assert_eq!(count(), start, "nothing written for {extra:?}");
    }
    let long = "x".repeat(501);
    let out =
        billrecon(p.dir.path(), &["pay", "E4", "1.00", "--date", "2026-11-20", "--ref", &long, "--ledger", db.to_str().unwrap()])
            .output()
            .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "error: --ref: is 501 characters long; at most 500 are kept\n");
    std::fs::write(p.dir.path().join("pay.csv"), "employee_id,date,amount,reference\nE4,2026-11-20,1.00,CHK\u{1b}]0;x\n")
        .unwrap();
    let out = billrecon(p.dir.path(), &["pay", "--file", "pay.csv", "--ledger", db.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: pay.csv:2: reference: holds the control character U+001B"));
    assert_eq!(count(), start);
    assert_eq!(std::fs::read(&db).unwrap(), before, "the ledger file is untouched");
}

/// Two posts of consecutive months at once land as one of the two serial orders would, and the
/// ledger verifies (a post whose history moved while it was evaluated is evaluated again).
#[test]
fn two_posts_of_consecutive_months_at_once_equal_posting_them_in_order() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    for m in ["2026-08", "2026-09", "2026-10"] {
        crate::copy_month(&fixture("ledger").join(m), &d.join(m));
    }
    let findings = |db: &str| -> Vec<String> {
        let c = rusqlite::Connection::open(d.join(db)).unwrap();
        let mut st = c.prepare("SELECT month || ' ' || rule || ' ' || finding_id FROM findings ORDER BY 1").unwrap();
        st.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
    };
    for m in ["2026-08", "2026-09", "2026-10"] {
        billrecon(d, &["post", m, "-q", "--ledger", "serial.db"]).output().unwrap();
    }
    let serial = findings("serial.db");
    assert!(serial.iter().any(|f| f.starts_with("2026-10 cost_spike")), "{serial:?}");
    for k in 0..4 {
        let db = format!("race{k}.db");
        billrecon(d, &["post", "2026-08", "-q", "--ledger", &db]).output().unwrap();
        let start = |m: &str| {
            billrecon(d, &["post", m, "-q", "--ledger", &db])
                .env("BILLRECON_TEST_PAUSE_BEFORE_COMMIT", "300")
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        // October starts first, September a moment later: whichever commits first, October's
        // history findings must be those of a ledger with September in it.
        let oct = start("2026-10");
        std::thread::sleep(std::time::Duration::from_millis(50 * k as u64));
        let sep = start("2026-09");
        for c in [oct, sep] {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.code() == Some(1) || out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        let raced = findings(&db);
        // The only other serial order: October posted before September.
        if raced != serial {
            let other = format!("other{k}.db");
            for m in ["2026-08", "2026-10", "2026-09"] {
                billrecon(d, &["post", m, "-q", "--ledger", &other]).output().unwrap();
            }
            assert_eq!(raced, findings(&other), "round {k}: neither serial order");
        }
        let v = billrecon(d, &["ledger", "verify", "--ledger", &db]).output().unwrap();
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    }
}
