//! The ledger on small months built with the testkit: post, repost, replace, pay, waive,
//! dispute, history, verify; the schema's migrations and append-only tables.

use billrecon_model::testkit::{d, day, TestMonth, M};
use std::collections::BTreeMap;

use billrecon_model::{Finding, FreeText, Rule};
use billrecon_rules::Ctx;
use proptest::prelude::*;
use rusqlite::Connection;

use super::*;
use crate::error::Result;

fn text(s: &str) -> FreeText {
    FreeText::parse("test", s).unwrap()
}

/// A test's stamp: the actor `tester`, from the command line, at a fixed time.
fn stamp() -> Stamp {
    Stamp { actor: text("tester"), source: Source::Cli, at: "2026-12-06T10:00:00Z".parse().unwrap() }
}

fn pay_row(employee: &str, date: &str, amount: &str, reference: &str) -> Payment {
    Payment { employee_id: text(employee), date: day(date), amount: d(amount), reference: text(reference) }
}

/// Waives, disputes or resolves `id` (a case reference when `case` is not empty).
fn decide(l: &mut Ledger, id: &str, event: Event, reason: &str, by: &str, case: &str, date: &str) -> Result<EventOutcome> {
    let (reason, by, case) = (text(reason), text(by), (!case.is_empty()).then(|| text(case)));
    let decision =
        Decision { finding: id, event, reason: &reason, by: &by, case: case.as_ref(), date: day(date), expect_version: None };
    l.event(&decision, &stamp())
}

fn open() -> (tempfile::TempDir, Ledger) {
    let t = tempfile::tempdir().unwrap();
    let l = Ledger::open(&t.path().join("billrecon.db")).unwrap();
    (t, l)
}

/// A month with one DA call (E1 owes $1.99 on ARTS), a plan on each of two lines, an account fee.
fn month(label: &str, fee: &str) -> TestMonth {
    let (on14, on2) = (format!("{label}-14"), format!("{label}-02"));
    let mut m = M::new()
        .assign("8605550101", "E1", "ARTS", "2025-07-01", None)
        .assign("8605550102", "E2", "TRANS", "2025-07-01", None)
        .charge("8605550101", "plan", "40.00")
        .charge("8605550101", "directory_assistance", "1.99")
        .charge("8605550102", "plan", "40.00")
        .charge("", "fee", fee)
        .usage("8605550101", &on14, "10:31", "411", "voice", "2", "1.99", "411 Search")
        .usage("8605550102", &on2, "09:00", "2035550147", "voice", "5", "", "")
        .build();
    if label != "2026-10" {
        let p = billrecon_model::Period::month(label).unwrap();
        m.month.period = p;
    }
    m
}

/// Reconciles `m` and posts it.
fn post(l: &mut Ledger, m: &TestMonth, replace: bool) -> Result<(PostOutcome, Vec<Finding>)> {
    let ctx = Ctx::new(&m.month, &m.usage);
    let findings = billrecon_rules::evaluate_ctx(&ctx);
    let posted = billrecon_chargeback::post(&m.month, &findings).unwrap();
    let lines = billrecon_rules::history::line_months(&ctx);
    let credits = billrecon_rules::history::account_credits(&ctx);
    let input = PostInput {
        month: &m.month,
        findings: &findings,
        posted: &posted,
        as_of: m.month.period.end,
        lines: &lines,
        account_credits: &credits,
        history_mark: None,
        documents: &[],
    };
    let out = l.post(&input, replace, &stamp())?;
    Ok((out, findings))
}

fn da(findings: &[Finding]) -> String {
    findings.iter().find(|f| f.rule == Rule::DirectoryAssistance).unwrap().id.clone()
}

#[test]
fn a_month_posts_once_a_changed_invoice_is_refused_then_replaced() {
    let (_t, mut l) = open();
    let m = month("2026-10", "10.00");
    let (out, _) = post(&mut l, &m, false).unwrap();
    assert!(matches!(out, PostOutcome::Posted { receivables: 1, .. }), "{out:?}");
    assert_eq!(
        post(&mut l, &m, false).unwrap().0,
        PostOutcome::AlreadyPosted { month: "2026-10".into(), invoices: vec!["Carrier A-1 INV-1".into()] }
    );
    let corrected = month("2026-10", "12.00");
    let e = post(&mut l, &corrected, false).unwrap_err().to_string();
    assert_eq!(
        e,
        "invoice Carrier A-1 INV-1 was posted with current charges $91.99 in 4 items billing $91.99; this one has $93.99 in 4 items billing $93.99 (first difference: item 4: was account fee \"fee\" $10.00, now account fee \"fee\" $12.00): run with --replace to reverse the earlier posting and post this one"
    );
    let (out, _) = post(&mut l, &corrected, true).unwrap();
    assert!(matches!(&out, PostOutcome::Posted { replaced, .. } if replaced.len() == 1), "{out:?}");
    // Both postings stay visible: the first reversed, the second posted.
    let (postings, reversals): (i64, i64) = l
        .connection()
        .query_row("SELECT SUM(kind = 'posting'), SUM(kind = 'reversal') FROM entries", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(reversals * 2, postings, "every entry of the first posting reversed once");
    l.verify().unwrap();
    // The notice is owed once.
    let r = l.receivables(day("2026-10-31"), None).unwrap();
    assert_eq!((r[0].employee_id.as_str(), r[0].billed, r[0].outstanding), ("E1", d("1.99"), d("1.99")));
}

#[test]
fn payments_apply_oldest_first_age_and_overpay_into_a_credit() {
    let (_t, mut l) = open();
    post(&mut l, &month("2026-09", "10.00"), false).unwrap();
    let mut oct = month("2026-10", "10.00");
    oct.month.invoices[0].summary.invoice_number = "INV-2".into();
    post(&mut l, &oct, false).unwrap();
    // Two notices of $1.99, due 2026-10-30 and 2026-11-30: on 2027-01-15, 77 and 46 days late.
    let r = &l.receivables(day("2027-01-15"), None).unwrap()[0];
    assert_eq!(
        (r.billed, r.outstanding, r.aged, r.oldest_due),
        (d("3.98"), d("3.98"), [d("0"), d("1.99"), d("1.99"), d("0")], Some(day("2026-10-30"))),
        "{r:?}"
    );
    let r = &l.receivables(day("2026-11-15"), None).unwrap()[0];
    assert_eq!((r.current, r.aged[0]), (d("1.99"), d("1.99")), "one not yet due, one 16 days late");
    let pay = |amount: &str, reference: &str| pay_row("E1", "2026-12-01", amount, reference);
    assert_eq!(
        l.pay(&[pay("1.99", "CHK-1")], &stamp()).unwrap(),
        vec![PayOutcome::Recorded { reference: "CHK-1".into(), outstanding: d("1.99") }]
    );
    assert_eq!(l.pay(&[pay("1.99", "CHK-1")], &stamp()).unwrap(), vec![PayOutcome::Duplicate { reference: "CHK-1".into() }]);
    // The oldest notice is paid: what is left is the newer one.
    assert_eq!(l.receivables(day("2026-12-01"), None).unwrap()[0].oldest_due, Some(day("2026-11-30")));
    assert_eq!(
        l.pay(&[pay("5.00", "CHK-2")], &stamp()).unwrap(),
        vec![PayOutcome::Recorded { reference: "CHK-2".into(), outstanding: d("-3.01") }]
    );
    let r = &l.receivables(day("2026-12-01"), None).unwrap()[0];
    assert_eq!((r.paid, r.outstanding, r.oldest_due), (d("6.99"), d("-3.01"), None));
    assert_eq!(
        l.pay(&[pay_row("E9", "2026-12-01", "1.00", "X")], &stamp()).unwrap_err().to_string(),
        "payment X: no notice was ever posted for employee E9: check the id"
    );
    l.verify().unwrap();
}

#[test]
fn a_waiver_moves_the_liability_back_and_survives_a_replacement() {
    let (_t, mut l) = open();
    let (_, f) = post(&mut l, &month("2026-10", "10.00"), false).unwrap();
    let id = da(&f);
    assert_eq!(
        decide(&mut l, &id, Event::Waive, "a business call to a vendor", "J. Smith", "", "2026-11-03").unwrap(),
        EventOutcome::Recorded { status: FindingStatus::Waived, moved_back: d("1.99") }
    );
    assert_eq!(
        decide(&mut l, &id, Event::Waive, "again", "J. Smith", "", "2026-11-04").unwrap(),
        EventOutcome::Already { status: FindingStatus::Waived }
    );
    assert_eq!(
        decide(&mut l, &id, Event::Dispute, "x", "y", "", "2026-11-04").unwrap_err().to_string(),
        format!("finding {id} was waived: a waiver is final")
    );
    let r = &l.receivables(day("2026-11-30"), None).unwrap()[0];
    assert_eq!((r.billed, r.waived, r.outstanding), (d("1.99"), d("1.99"), d("0")));
    let j = l.journal_since(day("2026-11-01")).unwrap();
    assert_eq!(
        j.iter().map(|r| format!("{} {} {} {} {}", r.kind, r.account_code, r.employee_id, r.debit, r.credit)).collect::<Vec<_>>(),
        vec!["waiver ARTS  1.99 0.00", "waiver EMPREC E1 0.00 1.99"]
    );
    assert_eq!(
        l.status(&id).unwrap().history,
        vec!["2026-11-03 waived by J. Smith: a business call to a vendor ($1.99 back to the program)"]
    );
    post(&mut l, &month("2026-10", "12.00"), true).unwrap();
    let r = &l.receivables(day("2026-11-30"), None).unwrap()[0];
    assert_eq!((r.billed, r.waived, r.outstanding), (d("1.99"), d("1.99"), d("0")), "still waived after the replacement");
    l.verify().unwrap();
}

#[test]
fn history_keeps_lines_open_findings_and_disputes() {
    let (_t, mut l) = open();
    let (_, f) = post(&mut l, &month("2026-09", "10.00"), false).unwrap();
    decide(&mut l, &da(&f), Event::Dispute, "charged twice", "J. Smith", "VZ-7731", "2026-10-05").unwrap();
    let h = l.history("2026-10").unwrap();
    assert_eq!(h.months.len(), 1);
    assert_eq!(
        h.months[0].lines.iter().map(|x| (x.line.to_string(), x.charges, x.used)).collect::<Vec<_>>(),
        vec![("8605550101".into(), d("41.99"), true), ("8605550102".into(), d("40.00"), true),]
    );
    assert_eq!(h.disputes.len(), 1);
    assert_eq!((h.disputes[0].amount, h.disputes[0].case.as_str()), (d("1.99"), "VZ-7731"));
    assert!(h.open_findings.iter().all(|o| o.id != da(&f)), "a disputed finding is not open");
    assert!(l.history("2026-09").unwrap().months.is_empty(), "only months before");
}

#[test]
fn the_schema_migrates_from_older_versions_and_refuses_newer_ones() {
    let t = tempfile::tempdir().unwrap();
    let path = t.path().join("old.db");
    {
        let mut c = Connection::open(&path).unwrap();
        migrate(&mut c, Some(1)).unwrap();
        let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 1);
    }
    let l = Ledger::open(&path).unwrap();
    let v: i64 = l.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, schema_version());
    drop(l);
    Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
    assert_eq!(
        Ledger::open(&path).err().unwrap().to_string(),
        format!(
            "the ledger was written by a newer billrecon (schema 99; this one reads up to {}): upgrade billrecon to use it",
            schema_version()
        )
    );
}

#[test]
fn posted_rows_cannot_be_changed_or_removed() {
    let (_t, mut l) = open();
    post(&mut l, &month("2026-10", "10.00"), false).unwrap();
    for sql in [
        "UPDATE entries SET amount_cents = 0",
        "DELETE FROM journal",
        "UPDATE receivables SET amount_cents = 0",
        "DELETE FROM posts",
    ] {
        let e = l.connection().execute_batch(sql).unwrap_err().to_string();
        assert!(e.contains("is append-only"), "{sql}: {e}");
    }
}

/// A step of a random life of a ledger.
#[derive(Debug, Clone)]
enum Step {
    Post { month: u8, fee_cents: i64 },
    Pay { cents: i64 },
    Waive { month: u8 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u8..4, 1i64..5000).prop_map(|(month, fee_cents)| Step::Post { month, fee_cents }),
        (1i64..600).prop_map(|cents| Step::Pay { cents }),
        (0u8..4).prop_map(|month| Step::Waive { month }),
    ]
}

proptest! {
    // PROPTEST_CASES raises it.
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24)))]

    /// Any sequence of posts, replacements, payments and waivers keeps the ledger verified, and
    /// no notice is ever negative (a credit is an employee's balance, never a notice's).
    #[test]
    fn any_sequence_of_posts_payments_and_waivers_verifies(steps in proptest::collection::vec(step(), 1..12)) {
        let (_t, mut l) = open();
        let mut findings: BTreeMap<u8, String> = BTreeMap::new();
        for (k, s) in steps.iter().enumerate() {
            match s {
                Step::Post { month: mo, fee_cents } => {
                    let label = format!("2026-{:02}", 6 + mo);
                    let mut m = month(&label, &money(*fee_cents).to_string());
                    m.month.invoices[0].summary.invoice_number = format!("INV-{mo}");
                    let (_, f) = post(&mut l, &m, true).unwrap();
                    findings.insert(*mo, da(&f));
                }
                Step::Pay { cents } => {
                    let p = Payment { employee_id: text("E1"), date: day("2026-12-01"), amount: money(*cents), reference: text(&format!("R{k}")) };
                    let _ = l.pay(&[p], &stamp());
                }
                Step::Waive { month: mo } => {
                    if let Some(id) = findings.get(mo) {
                        let _ = decide(&mut l, id, Event::Waive, "waived", "tester", "", "2026-12-02");
                    }
                }
            }
            prop_assert!(l.verify().is_ok(), "after {:?}: {:?}", s, l.verify());
        }
        let n: i64 = l.connection().query_row(
            "SELECT COUNT(*) FROM receivables r WHERE r.reverses IS NULL AND r.amount_cents + COALESCE((SELECT SUM(x.amount_cents) FROM receivables x WHERE x.reverses = r.id), 0) < 0",
            [], |r| r.get(0)).unwrap();
        prop_assert_eq!(n, 0);
    }
}

/// A ledger written by the previous release (schema 2, no actors, no indexes) is brought forward:
/// its rows kept and marked as written before stamps existed, its hot queries indexed.
#[test]
fn a_v2_ledger_migrates_to_the_current_schema_keeping_its_rows() {
    let t = tempfile::tempdir().unwrap();
    let path = t.path().join("v2.db");
    {
        let mut c = Connection::open(&path).unwrap();
        migrate(&mut c, Some(2)).unwrap();
        c.execute_batch(
            "INSERT INTO posts (month, period_start, period_end, as_of, receivable_account, suspense_account, payable_account, cash_account, notice_due_days)
             VALUES ('2026-09', '2026-09-01', '2026-09-30', '2026-09-30', 'EMPREC', 'SUSP', 'AP', 'CASH', 30);
             INSERT INTO events (finding_id, event, reason, by_name, case_ref, amount_cents, date) VALUES ('DA-1', 'dispute', 'twice', 'A. Clerk', '', 0, '2026-10-01');
             INSERT INTO payments (employee_id, date, amount_cents, reference, receivable_account, cash_account) VALUES ('E1', '2026-10-02', 199, 'CHK-1', 'EMPREC', 'CASH');",
        )
        .unwrap();
    }
    let l = Ledger::open(&path).unwrap();
    let v: i64 = l.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, schema_version());
    for table in ["posts", "events", "payments"] {
        let row: (String, String, String) = l
            .connection()
            .query_row(&format!("SELECT actor, source, recorded_at FROM {table}"), [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        assert_eq!(row, (String::new(), "before-v3".to_string(), String::new()), "{table}");
    }
    assert_eq!(l.status("DA-1").unwrap().status, FindingStatus::Disputed);
    // Still append-only after the migration, new columns included.
    let e = l.connection().execute_batch("UPDATE events SET actor = 'x'").unwrap_err().to_string();
    assert!(e.contains("append-only"), "{e}");
}

/// The hot queries each use an index (their plans hold no full scan of a large table), so a year
/// of statewide months stays fast. The plans are SQLite's own `EXPLAIN QUERY PLAN`.
#[test]
fn the_hot_queries_use_indexes() {
    let (_t, mut l) = open();
    post(&mut l, &month("2026-10", "10.00"), false).unwrap();
    let plan = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> String {
        let mut st = l.connection().prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = st.query_map(params, |r| r.get::<_, String>(3)).unwrap();
        rows.map(|r| r.unwrap()).collect::<Vec<_>>().join("\n")
    };
    /// A query's name, SQL, parameters and the indexes its plan must use.
    type Case<'a> = (&'a str, &'a str, &'a [&'a dyn rusqlite::ToSql], &'a [&'a str]);
    let cases: [Case<'_>; 11] = [
        ("one document", crate::documents::sql::ONE, &[&"2026-10", &"notice", &"E1", &1], &["documents_key"]),
        ("a user", crate::users::sql::EVENTS, &[&"clerk"], &["user_events_login"]),
        ("finding known", post::sql::FINDING_KNOWN, &[&"DA-1", &"2026-10"], &["findings_id"]),
        ("last waiver", post::sql::LAST_WAIVER, &[&"DA-1"], &["events_finding"]),
        ("latest invoice", post::sql::LATEST_INVOICE, &[&"A", &"B", &"C"], &["invoices_key"]),
        ("line months", queries::sql::LINE_MONTHS, &[&"8605550101"], &["line_months_line"]),
        ("line findings", queries::sql::LINE_FINDINGS, &[&"8605550101", &"2026-10"], &["findings_line"]),
        ("last events", queries::sql::LAST_EVENTS, &[], &["events_finding"]),
        ("earlier findings", queries::sql::EARLIER_FINDINGS, &[&"2026-11"], &["findings_month", "findings_id"]),
        ("verify invoices", verify::sql::INVOICES, &[], &["entries_invoice", "invoices_replaces"]),
        ("journal since", queries::sql::JOURNAL_SINCE, &[&"2026-11-01"], &["journal_date"]),
    ];
    for (name, sql, params, indexes) in cases {
        let p = plan(sql, params);
        for ix in indexes {
            assert!(p.contains(ix), "{name} does not use {ix}:\n{p}");
        }
        for line in p.lines() {
            // A scan of the outer table is the query's own loop; a scan inside a correlated
            // subquery or of entries, journal, receivables or findings would be per row.
            let big = ["entries", "journal", "receivables", "findings", "line_months", "events"];
            if line.starts_with("SCAN ") && !line.contains("USING") {
                let table = line.trim_start_matches("SCAN ").split_whitespace().next().unwrap_or("");
                assert!(
                    !big.contains(&table) || (name == "last events" && table == "e"),
                    "{name} scans {table} without an index:\n{p}"
                );
            }
        }
    }
    // Notices look up their reversals by index, not by a scan per notice.
    let p = plan(
        "SELECT r.id, (SELECT SUM(x.amount_cents) FROM receivables x WHERE x.reverses = r.id) FROM receivables r WHERE r.reverses IS NULL",
        &[],
    );
    assert!(p.contains("receivables_reverses"), "{p}");
}

/// A post evaluated against a history that moved (another post or a decision landed meanwhile)
/// writes nothing and says so; evaluated again, it lands.
#[test]
fn a_post_whose_history_moved_is_refused_until_evaluated_again() {
    let (_t, mut l) = open();
    let (_, f) = post(&mut l, &month("2026-09", "10.00"), false).unwrap();
    let (_, mark) = l.history_at("2026-10").unwrap();
    decide(&mut l, &da(&f), Event::Dispute, "charged twice", "J. Smith", "", "2026-10-05").unwrap();
    let mut oct = month("2026-10", "10.00");
    oct.month.invoices[0].summary.invoice_number = "INV-2".into();
    let ctx = Ctx::new(&oct.month, &oct.usage);
    let findings = billrecon_rules::evaluate_ctx(&ctx);
    let posted = billrecon_chargeback::post(&oct.month, &findings).unwrap();
    let input = |mark| PostInput {
        month: &oct.month,
        findings: &findings,
        posted: &posted,
        as_of: oct.month.period.end,
        lines: &[],
        account_credits: &[],
        history_mark: Some(mark),
        documents: &[],
    };
    assert!(matches!(l.post(&input(mark), false, &stamp()), Err(LedgerError::Moved)));
    assert_eq!(l.months().unwrap().len(), 1, "nothing written");
    let (_, now) = l.history_at("2026-10").unwrap();
    assert!(matches!(l.post(&input(now), false, &stamp()).unwrap(), PostOutcome::Posted { .. }));
}

/// A decision made from a version of the finding someone has since acted on writes nothing.
#[test]
fn a_decision_from_an_old_version_is_a_conflict() {
    let (_t, mut l) = open();
    let (_, f) = post(&mut l, &month("2026-10", "10.00"), false).unwrap();
    let id = da(&f);
    let seen = l.status(&id).unwrap().version;
    assert_eq!(seen, 0);
    decide(&mut l, &id, Event::Dispute, "charged twice", "J. Smith", "VZ-1", "2026-11-01").unwrap();
    let (reason, by) = (text("business call"), text("M. Supervisor"));
    let late = Decision {
        finding: &id,
        event: Event::Waive,
        reason: &reason,
        by: &by,
        case: None,
        date: day("2026-11-02"),
        expect_version: Some(seen),
    };
    assert_eq!(
        l.event(&late, &stamp()).unwrap_err().to_string(),
        format!("finding {id} changed since you saw it: it is now disputed (2026-11-01 disputed by J. Smith: charged twice (carrier case VZ-1)); nothing was written")
    );
    assert_eq!(l.status(&id).unwrap().history.len(), 1);
    let now = l.status(&id).unwrap().version;
    assert!(matches!(l.event(&Decision { expect_version: Some(now), ..late }, &stamp()).unwrap(), EventOutcome::Recorded { .. }));
}

/// What two people may do to one posted month at once.
#[derive(Debug, Clone)]
enum Act {
    Decide(Event),
    Pay { reference: u8, cents: i64 },
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        prop_oneof![Just(Event::Waive), Just(Event::Dispute), Just(Event::Resolve)].prop_map(Act::Decide),
        (0u8..3, 1i64..400).prop_map(|(reference, cents)| Act::Pay { reference, cents }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12)))]

    /// Two people (two threads, each with its own connection to one ledger file) act at once, in
    /// any interleaving the scheduler gives: every finding's events form a sequence one person
    /// acting alone could have made (no event repeats the status before it, nothing follows a
    /// waiver), each payment reference is recorded once, and the ledger verifies.
    #[test]
    fn any_interleaving_of_two_people_is_a_serial_history(
        a in proptest::collection::vec(act(), 1..6),
        b in proptest::collection::vec(act(), 1..6),
    ) {
        let (t, mut l) = open();
        let (_, f) = post(&mut l, &month("2026-10", "10.00"), false).unwrap();
        let id = da(&f);
        let path = t.path().join("billrecon.db");
        let work = |acts: Vec<Act>, who: &'static str| {
            let (path, id) = (path.clone(), id.clone());
            std::thread::spawn(move || {
                let mut l = Ledger::open(&path).unwrap();
                for a in acts {
                    match a {
                        Act::Decide(e) => { let _ = decide(&mut l, &id, e, "why", who, "", "2026-11-05"); }
                        Act::Pay { reference, cents } => {
                            let p = Payment { employee_id: text("E1"), date: day("2026-11-06"), amount: money(cents), reference: text(&format!("R{reference}")) };
                            l.pay(&[p], &stamp()).unwrap();
                        }
                    }
                }
            })
        };
        let (x, y) = (work(a, "A"), work(b, "B"));
        x.join().unwrap();
        y.join().unwrap();
        let events: Vec<String> = {
            let mut st = l.connection().prepare("SELECT event FROM events WHERE finding_id = ?1 ORDER BY id").unwrap();
            st.query_map([&id], |r| r.get::<_, String>(0)).unwrap().map(|r| r.unwrap()).collect()
        };
        for w in events.windows(2) {
            prop_assert!(w[0] != w[1], "a repeated status: {events:?}");
            prop_assert!(w[0] != "waive", "an event after the waiver: {events:?}");
        }
        let waives = events.iter().filter(|e| *e == "waive").count();
        prop_assert!(waives <= 1, "{events:?}");
        let dup: i64 = l.connection().query_row(
            "SELECT COUNT(*) FROM (SELECT reference FROM payments GROUP BY reference HAVING COUNT(*) > 1)", [], |r| r.get(0)).unwrap();
        prop_assert_eq!(dup, 0);
        prop_assert!(l.verify().is_ok(), "{:?}", l.verify());
    }
}

fn call(id: &str, employee: &str, date: &str, number: &str) -> OpenCall {
    OpenCall {
        id: id.into(),
        employee_id: employee.into(),
        line: "8605550101".into(),
        date: day(date),
        time: "18:42:00".into(),
        number: number.into(),
        kind: "voice".into(),
        quantity: "12".into(),
        charge: d("0"),
        source: format!("usage.csv:{id}"),
        account_code: "1010-ARTS".into(),
    }
}

/// A number an employee marked personal in an earlier month is remembered for them only; a
/// later signature supersedes an earlier one, both kept; a call not theirs is refused.
#[test]
fn remembered_numbers_are_per_employee_and_signatures_supersede() {
    let (_t, mut l) = open();
    let content = |calls: Vec<OpenCall>| ReviewContent { calls, ..Default::default() };
    let sep = content(vec![call("C1", "E1", "2026-09-10", "2035550188"), call("C2", "E2", "2026-09-11", "2035550199")]);
    l.open_month("2026-09", None, day("2026-10-10"), &sep, false, &stamp()).unwrap();
    let no_more = |_: &ReviewPool, _: rust_decimal::Decimal, _: rust_decimal::Decimal| rust_decimal::Decimal::ZERO;
    let e1 = text("e1");
    l.attest("2026-09", "E1", &e1, &["C1".into()], &no_more, &stamp()).unwrap();
    let refused = l.attest("2026-09", "E1", &e1, &["C2".into()], &no_more, &stamp()).unwrap_err();
    assert!(refused.to_string().contains("call C2 is not one of your calls"), "{refused}");
    let oct = content(vec![call("C3", "E1", "2026-10-03", "2035550188"), call("C4", "E2", "2026-10-04", "2035550188")]);
    l.open_month("2026-10", None, day("2026-11-10"), &oct, false, &stamp()).unwrap();
    assert_eq!(l.remembered_numbers("2026-10", "E1").unwrap(), [("2035550188".to_string(), "2026-09".to_string())]);
    assert!(l.remembered_numbers("2026-10", "E2").unwrap().is_empty(), "never shared with anyone else");
    // Two signatures: the later counts, both are kept.
    l.attest("2026-10", "E1", &e1, &["C3".into()], &no_more, &stamp()).unwrap();
    l.attest("2026-10", "E1", &e1, &[], &no_more, &stamp()).unwrap();
    assert!(l.signature("2026-10", "E1").unwrap().unwrap().calls.is_empty());
    let kept: i64 =
        l.connection().query_row("SELECT COUNT(*) FROM attestations WHERE month = '2026-10'", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 2);
}
