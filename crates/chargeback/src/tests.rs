use std::collections::BTreeMap;

use billrecon_model::testkit::*;
use billrecon_model::{Allocation, Finding, Month, Rule, Severity};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::{post, PostingKind};

fn liability(id: &str, rule: Rule, line: &str, emp: &str, acct: &str, amount: &str) -> Finding {
    Finding {
        id: id.into(),
        rule,
        severity: Severity::Charge,
        line: Some(ph(line)),
        employee_id: emp.into(),
        account_code: acct.into(),
        amount: d(amount),
        employee_liable: d(amount),
        sources: vec![],
        detail: String::new(),
        invoice: None,
        liable_on: None,
        call: None,
        overage: None,
    }
}

/// `../shared/worked-example.md`, posted.
fn worked_example() -> Month {
    let m = M::new()
        .assign("8605550101", "E1", "ARTS", "2025-07-01", None)
        .assign("8605550102", "E2", "ARTS", "2025-07-01", Some("2026-10-10"))
        .assign("8605550102", "E2", "TRANS", "2026-10-11", None)
        .assign("8605550103", "E3", "TRANS", "2025-07-01", Some("2026-10-20"))
        .charge("8605550101", "plan", "40.00")
        .charge("8605550101", "tax", "2.54")
        .charge("8605550101", "overage_voice", "27.00")
        .charge("8605550101", "directory_assistance", "1.99")
        .charge("8605550102", "plan", "55.00")
        .charge("8605550102", "tax", "3.49")
        .charge("8605550103", "plan", "40.00")
        .charge("", "fee", "10.00")
        .build();
    m.month
}

fn nets(l: &crate::MonthPostings) -> Vec<(String, String)> {
    l.accounts.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()
}

#[test]
fn the_worked_example_to_the_cent() {
    let m = worked_example();
    let findings = vec![
        liability("DA-1", Rule::DirectoryAssistance, "8605550101", "E1", "ARTS", "1.99"),
        liability("OVG-1", Rule::PersonalOverage, "8605550101", "E1", "ARTS", "9.90"),
    ];
    let l = post(&m, &findings).unwrap();
    // Line postings: 0102 plan ARTS 17.74 / TRANS 37.26, tax 1.13 / 2.36; 0103 TRANS 25.81 / SUSP 14.19.
    let line = |acct: &str, line: &str| -> Vec<String> {
        l.postings
            .iter()
            .filter(|p| p.kind == PostingKind::LineCharge && p.account_code == acct && p.line == Some(ph(line)))
            .map(|p| p.amount.to_string())
            .collect()
    };
    assert_eq!(line("ARTS", "8605550102"), vec!["17.74", "1.13"]);
    assert_eq!(line("TRANS", "8605550102"), vec!["37.26", "2.36"]);
    assert_eq!(line("TRANS", "8605550103"), vec!["25.81"]);
    assert_eq!(line("SUSP", "8605550103"), vec!["14.19"]);
    // Account-level fee by line postings 90.40 / 65.43 / 14.19: 5.32 / 3.85 / 0.83.
    let shares: Vec<(String, String, String)> = l
        .postings
        .iter()
        .filter(|p| p.kind == PostingKind::AccountShare)
        .map(|p| (p.account_code.clone(), p.amount.to_string(), p.basis.to_string()))
        .collect();
    assert_eq!(
        shares,
        vec![
            ("ARTS".into(), "5.32".into(), "10.00 × 90.40/170.02".into()),
            ("SUSP".into(), "0.83".into(), "10.00 × 14.19/170.02".into()),
            ("TRANS".into(), "3.85".into(), "10.00 × 65.43/170.02".into()),
        ]
    );
    assert_eq!(
        nets(&l),
        vec![
            ("ARTS".into(), "83.83".into()),
            ("EMPREC".into(), "11.89".into()),
            ("SUSP".into(), "15.02".into()),
            ("TRANS".into(), "69.28".into()),
        ]
    );
    assert_eq!((l.billed, l.programs, l.employees_total, l.suspense), (d("180.02"), d("153.11"), d("11.89"), d("15.02")));
    assert_eq!(l.employees, BTreeMap::from([("E1".to_string(), d("11.89"))]));
    let journal: Vec<String> =
        l.journal.iter().map(|j| format!("{} {} {} {}", j.account_code, j.employee_id, j.debit, j.credit)).collect();
    assert_eq!(journal, vec!["ARTS  83.83 0", "EMPREC E1 11.89 0", "SUSP  15.02 0", "TRANS  69.28 0", "AP  0 180.02"]);
}

#[test]
fn per_line_allocation_weighs_by_line_count() {
    let mut m = worked_example();
    m.policy.account_level_allocation = Allocation::PerLine;
    let l = post(&m, &[]).unwrap();
    // Lines per account: ARTS {0101, 0102}, TRANS {0102, 0103}, SUSP {0103}: 10.00 as 2/5, 2/5, 1/5.
    let shares: Vec<String> = l
        .postings
        .iter()
        .filter(|p| p.kind == PostingKind::AccountShare)
        .map(|p| format!("{} {}", p.account_code, p.amount))
        .collect();
    assert_eq!(shares, vec!["ARTS 4.00", "SUSP 2.00", "TRANS 4.00"]);
}

#[test]
fn credits_and_an_invoice_with_no_positive_line_postings() {
    let m = M::new()
        .assign("8605550101", "E1", "ARTS", "2025-07-01", None)
        .charge("8605550101", "credit", "-30.00")
        .charge("", "fee", "10.00")
        .build();
    let l = post(&m, &[]).unwrap();
    assert_eq!(nets(&l), vec![("ARTS".into(), "-30.00".into()), ("SUSP".into(), "10.00".into())]);
    let journal: Vec<String> = l.journal.iter().map(|j| format!("{} {} {}", j.account_code, j.debit, j.credit)).collect();
    assert_eq!(journal, vec!["ARTS 0 30.00", "SUSP 10.00 0", "AP 20.00 0"]);
}

#[test]
fn nothing_moves_for_a_liability_without_an_account() {
    let m = worked_example();
    let mut f = liability("DA-2", Rule::DirectoryAssistance, "8605550103", "", "", "1.99");
    f.employee_liable = d("0");
    let l = post(&m, &[f]).unwrap();
    assert!(l.postings.iter().all(|p| p.kind != PostingKind::LiabilityOut));
    assert_eq!(l.employees_total, Decimal::ZERO);
}

#[derive(Debug, Clone)]
struct Spec {
    lines: Vec<(u8, u32, Vec<i64>)>,
    account_level: Vec<i64>,
    liabilities: Vec<(usize, u32)>,
    per_line: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        proptest::collection::vec((0u8..5, 1u32..=31, proptest::collection::vec(-5000i64..20000, 0..4)), 1..6),
        proptest::collection::vec(-3000i64..3000, 0..3),
        proptest::collection::vec((0usize..6, 1u32..3000), 0..4),
        any::<bool>(),
    )
        .prop_map(|(lines, account_level, liabilities, per_line)| Spec { lines, account_level, liabilities, per_line })
}

fn cents(c: i64) -> String {
    let s = if c < 0 { "-" } else { "" };
    format!("{s}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

proptest! {
    // PROPTEST_CASES raises (or lowers) it.
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)))]

    #[test]
    fn postings_sum_to_billed_and_the_journal_balances(s in spec()) {
        let mut m = M::new();
        let mut liable = Vec::new();
        for (i, (shape, cut, amounts)) in s.lines.iter().enumerate() {
            let line = format!("86055501{i:02}");
            let cut_day = format!("2026-10-{cut:02}");
            let after = format!("2026-10-{:02}", (cut + 1).min(31));
            m = match shape {
                // whole month; split at cut; ends at cut; starts after the period (zero days); none
                0 => m.assign(&line, "E1", "ARTS", "2025-01-01", None),
                1 => m.assign(&line, "E1", "ARTS", "2025-01-01", Some(&cut_day)).assign(&line, "E2", "TRANS", &after, Some(&after)),
                2 => m.assign(&line, "E3", "TRANS", "2025-01-01", Some(&cut_day)),
                3 => m.assign(&line, "E4", "SPED", "2026-11-05", None),
                _ => m,
            };
            for a in amounts {
                m = m.charge(&line, "plan", &cents(*a));
            }
        }
        for a in &s.account_level {
            m = m.charge("", "fee", &cents(*a));
        }
        let mut month = m.build();
        if s.per_line {
            month.policy.account_level_allocation = Allocation::PerLine;
        }
        for (k, (line, c)) in s.liabilities.iter().enumerate() {
            let line = format!("86055501{:02}", line % s.lines.len());
            liable.push(liability(&format!("F{k}"), Rule::DirectoryAssistance, &line, "E1", "ARTS", &cents(i64::from(*c))));
        }
        let l = post(&month, &liable).unwrap();
        let billed: Decimal = month.invoices.iter().flat_map(|i| &i.charges).map(|c| c.amount).sum();
        prop_assert_eq!(l.postings.iter().map(|p| p.amount).sum::<Decimal>(), billed);
        prop_assert_eq!(l.billed, billed);
        prop_assert_eq!(l.programs + l.employees_total + l.suspense, billed);
        prop_assert_eq!(l.journal.iter().map(|j| j.debit).sum::<Decimal>(), l.journal.iter().map(|j| j.credit).sum::<Decimal>());
        for p in &l.postings {
            prop_assert_eq!(p.amount.round_dp(2), p.amount);
        }
        for j in &l.journal {
            prop_assert!(j.debit >= Decimal::ZERO && j.credit >= Decimal::ZERO);
        }
    }
}

#[test]
fn every_posting_kind_has_a_label() {
    for k in [PostingKind::LineCharge, PostingKind::AccountShare, PostingKind::LiabilityOut, PostingKind::LiabilityIn] {
        assert!(billrecon_model::labels::has_label(k.as_str()), "{}", k.as_str());
    }
    assert_eq!(PostingKind::AccountShare.label(), "Share of account charges");
}
