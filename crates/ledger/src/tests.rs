//! The ledger on small months built with the testkit: post, repost, replace, pay, waive,
//! dispute, history, verify; the schema's migrations and append-only tables.

use billrecon_model::testkit::{d, day, TestMonth, M};
use billrecon_model::Finding;
use billrecon_rules::Ctx;
use proptest::prelude::*;

use super::*;

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
    };
    let out = l.post(&input, replace)?;
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
    let pay = |amount: &str, reference: &str| Payment {
        employee_id: "E1".into(),
        date: day("2026-12-01"),
        amount: d(amount),
        reference: reference.into(),
    };
    assert_eq!(
        l.pay(&[pay("1.99", "CHK-1")]).unwrap(),
        vec![PayOutcome::Recorded { reference: "CHK-1".into(), outstanding: d("1.99") }]
    );
    assert_eq!(l.pay(&[pay("1.99", "CHK-1")]).unwrap(), vec![PayOutcome::Duplicate { reference: "CHK-1".into() }]);
    // The oldest notice is paid: what is left is the newer one.
    assert_eq!(l.receivables(day("2026-12-01"), None).unwrap()[0].oldest_due, Some(day("2026-11-30")));
    assert_eq!(
        l.pay(&[pay("5.00", "CHK-2")]).unwrap(),
        vec![PayOutcome::Recorded { reference: "CHK-2".into(), outstanding: d("-3.01") }]
    );
    let r = &l.receivables(day("2026-12-01"), None).unwrap()[0];
    assert_eq!((r.paid, r.outstanding, r.oldest_due), (d("6.99"), d("-3.01"), None));
    assert_eq!(
        l.pay(&[Payment { employee_id: "E9".into(), date: day("2026-12-01"), amount: d("1.00"), reference: "X".into() }])
            .unwrap_err()
            .to_string(),
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
        l.event(&id, Event::Waive, "a business call to a vendor", "J. Smith", "", day("2026-11-03")).unwrap(),
        EventOutcome::Recorded { status: "waived", moved_back: d("1.99") }
    );
    assert_eq!(
        l.event(&id, Event::Waive, "again", "J. Smith", "", day("2026-11-04")).unwrap(),
        EventOutcome::Already { status: "waived" }
    );
    assert_eq!(
        l.event(&id, Event::Dispute, "x", "y", "", day("2026-11-04")).unwrap_err().to_string(),
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
    l.event(&da(&f), Event::Dispute, "charged twice", "J. Smith", "VZ-7731", day("2026-10-05")).unwrap();
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
                    let p = Payment { employee_id: "E1".into(), date: day("2026-12-01"), amount: money(*cents), reference: format!("R{k}") };
                    let _ = l.pay(&[p]);
                }
                Step::Waive { month: mo } => {
                    if let Some(id) = findings.get(mo) {
                        let _ = l.event(id, Event::Waive, "waived", "tester", "", day("2026-12-02"));
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
