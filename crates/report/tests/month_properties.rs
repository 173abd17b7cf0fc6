//! Whole months at random (any number of lines, assignments split between programs and
//! employees, several invoices, account-level charges and credits, directory-assistance calls,
//! overages) through the rules, the chargeback and every output. What must hold for every one:
//! postings equal what each invoice billed, the journal balances, no employee owes more than the
//! charges on their lines, a rerun writes the same bytes, a statement holds only its program's
//! lines and a notice only its employee's charges.
//!
//! Cases: 48 by default (the CI budget); `PROPTEST_CASES=2000 cargo test -p billrecon-report
//! --test month_properties` runs more.

use std::collections::{BTreeMap, BTreeSet};

use billrecon_chargeback::PostingKind;
use billrecon_model::testkit::M;
use billrecon_model::{Decimal, PhoneNumber};
use billrecon_report::Reconciliation;
use proptest::prelude::*;

const ACCOUNTS: [&str; 3] = ["ARTS", "TRANS", "SPED"];

#[derive(Debug, Clone)]
struct LineSpec {
    /// 0 whole month; 1 split at `cut` between two employees and programs; 2 ends at `cut`; 3 none.
    shape: u8,
    cut: u32,
    emp: (u8, u8),
    acct: (u8, u8),
    invoice: u8,
    plan_cents: i64,
    /// An overage charge, and the minutes used.
    overage: Option<(i64, u32)>,
    /// Chargeable directory-assistance calls on the line.
    da_calls: u8,
}

#[derive(Debug, Clone)]
struct Spec {
    lines: Vec<LineSpec>,
    invoices: u8,
    /// (invoice, cents): fees and credits billed to the whole account.
    account_level: Vec<(u8, i64)>,
}

fn line_spec() -> impl Strategy<Value = LineSpec> {
    (
        0u8..4,
        1u32..31,
        (0u8..5, 0u8..5),
        (0u8..3, 0u8..3),
        0u8..3,
        0i64..20_000,
        proptest::option::of((1i64..5_000, 400u32..700)),
        0u8..3,
    )
        .prop_map(|(shape, cut, emp, acct, invoice, plan_cents, overage, da_calls)| LineSpec {
            shape,
            cut,
            emp,
            acct,
            invoice,
            plan_cents,
            overage,
            da_calls,
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (proptest::collection::vec(line_spec(), 1..9), 1u8..4, proptest::collection::vec((0u8..3, -3_000i64..5_000), 0..5))
        .prop_map(|(lines, invoices, account_level)| Spec { lines, invoices, account_level })
}

fn cents(c: i64) -> String {
    Decimal::new(c, 2).to_string()
}

fn build(s: &Spec) -> billrecon_model::testkit::TestMonth {
    let mut m = M::new().plan("BIZ500", Some("500"), None);
    for e in 0..5 {
        m = m.employee(&format!("E{e}"), None);
    }
    // Invoices are filled in order; a line's charges go on the invoice it names (if there is one).
    for inv in 0..s.invoices {
        if inv > 0 {
            m = m.invoice(&format!("INV-{}", inv + 1));
        }
        for (i, l) in s.lines.iter().enumerate().filter(|(_, l)| l.invoice % s.invoices == inv) {
            let line = format!("86055502{i:02}");
            m = m.charge(&line, "plan", &cents(l.plan_cents));
            if let Some((c, _)) = l.overage {
                m = m.charge(&line, "overage_voice", &cents(c));
            }
            for _ in 0..l.da_calls {
                m = m.charge(&line, "directory_assistance", "1.99");
            }
        }
        for (_, c) in s.account_level.iter().filter(|(i, _)| i % s.invoices == inv) {
            m = m.charge("", if *c < 0 { "credit" } else { "fee" }, &cents(*c));
        }
    }
    for (i, l) in s.lines.iter().enumerate() {
        let line = format!("86055502{i:02}");
        let (e1, e2) = (format!("E{}", l.emp.0), format!("E{}", l.emp.1));
        let (a1, a2) = (ACCOUNTS[l.acct.0 as usize], ACCOUNTS[l.acct.1 as usize]);
        let cut = format!("2026-10-{:02}", l.cut);
        let after = format!("2026-10-{:02}", l.cut + 1);
        m = match l.shape {
            0 => m.assign(&line, &e1, a1, "2025-07-01", None),
            1 => m.assign(&line, &e1, a1, "2025-07-01", Some(&cut)).assign(&line, &e2, a2, &after, None),
            2 => m.assign(&line, &e1, a1, "2025-07-01", Some(&cut)),
            _ => m,
        };
        if let Some((_, minutes)) = l.overage {
            m = m.bulk(&line, "voice", &minutes.to_string());
        }
        for k in 0..l.da_calls {
            m = m.usage(&line, &format!("2026-10-{:02}", 3 + k), "10:31", "411", "voice", "2", "1.99", "411 Search");
        }
    }
    m.build()
}

/// Every output file, by path.
fn outputs(r: &Reconciliation<'_>) -> BTreeMap<String, Vec<u8>> {
    let files = std::sync::Mutex::new(BTreeMap::new());
    r.write_files(|f| {
        files.lock().unwrap().insert(f.path, f.bytes);
        Ok(())
    })
    .unwrap();
    files.into_inner().unwrap()
}

fn config() -> ProptestConfig {
    // PROPTEST_CASES raises it; 48 keeps CI within its budget.
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_month_ties_out_balances_and_shows_each_reader_only_their_own(s in spec()) {
        let tm = build(&s);
        let month = &tm.month;
        let findings = billrecon_rules::evaluate(month, &tm.usage);
        let ledger = billrecon_chargeback::post(month, &findings).unwrap();

        // Postings equal what each invoice billed; the journal balances, per invoice too.
        for (i, inv) in month.invoices.iter().enumerate() {
            let billed: Decimal = inv.charges.iter().map(|c| c.amount).sum();
            let posted: Decimal = ledger.postings.iter().filter(|p| p.invoice == i).map(|p| p.amount).sum();
            prop_assert_eq!(posted, billed, "invoice {}", i);
            let (dr, cr) = ledger.journal.iter().filter(|j| j.invoice == i).fold((Decimal::ZERO, Decimal::ZERO), |(d, c), j| (d + j.debit, c + j.credit));
            prop_assert_eq!(dr, cr, "invoice {} journal", i);
        }

        // No employee owes more than the charges billed on lines they held.
        for (emp, owed) in &ledger.employees {
            let lines: BTreeSet<PhoneNumber> = month.inventory.iter().filter(|a| &a.employee_id == emp).map(|a| a.line).collect();
            let charged: Decimal = month.invoices.iter().flat_map(|i| &i.charges)
                .filter(|c| c.line.is_some_and(|l| lines.contains(&l)) && c.amount > Decimal::ZERO)
                .map(|c| c.amount).sum();
            prop_assert!(*owed <= charged, "{} owes {} of {}", emp, owed, charged);
        }

        let r = Reconciliation {
            month,
            inputs: &[],
            rejections: &[],
            findings: &findings,
            postings: &ledger,
            as_of: month.period.end,
        };
        let first = outputs(&r);
        // A rerun writes the same files, byte for byte.
        prop_assert_eq!(&outputs(&r), &first);

        // A statement shows only lines its program was charged for.
        let names = billrecon_report::file_names(r.program_accounts());
        let all_lines: BTreeSet<PhoneNumber> = month.inventory.iter().map(|a| a.line)
            .chain(month.invoices.iter().flat_map(|i| &i.charges).filter_map(|c| c.line)).collect();
        for acct in r.program_accounts() {
            let own: BTreeSet<PhoneNumber> = ledger.postings.iter()
                .filter(|p| p.account_code == acct && p.kind == PostingKind::LineCharge)
                .filter_map(|p| p.line).collect();
            let html = String::from_utf8(first[&format!("statements/{}.html", names[acct])].clone()).unwrap();
            let csv = String::from_utf8(first[&format!("statements/{}.csv", names[acct])].clone()).unwrap();
            for l in all_lines.difference(&own) {
                // A line another program pays for appears only when a finding of this program's
                // names it (a liability moved out of this account).
                let named = findings.iter().any(|f| f.line == Some(*l) && f.account_code == acct);
                if !named {
                    prop_assert!(!html.contains(&l.pretty()), "{} shows {}", acct, l.pretty());
                    prop_assert!(!csv.contains(l.as_str()), "{} lists {}", acct, l.as_str());
                }
            }
        }

        // A notice holds only its employee's charges: every id on it is one of theirs.
        for (emp, owed) in ledger.employees.iter().filter(|(_, v)| **v > Decimal::ZERO) {
            let mine: BTreeSet<&str> = findings.iter().filter(|f| &f.employee_id == emp && f.employee_liable > Decimal::ZERO).map(|f| f.id.as_str()).collect();
            let others: Vec<&str> = findings.iter().filter(|f| &f.employee_id != emp).map(|f| f.id.as_str()).collect();
            let name = billrecon_report::file_names(ledger.employees.keys().map(String::as_str))[emp.as_str()].clone();
            let text = String::from_utf8(first[&format!("notices/{name}.txt")].clone()).unwrap();
            for id in &mine {
                prop_assert!(text.contains(id), "{}'s notice lacks {}", emp, id);
            }
            for id in &others {
                prop_assert!(!text.contains(id), "{}'s notice shows {}", emp, id);
            }
            prop_assert!(text.contains(&billrecon_model::usd(*owed)), "{} owes {}", emp, owed);
        }
    }
}
