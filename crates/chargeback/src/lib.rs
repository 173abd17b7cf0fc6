//! The chargeback: every invoice dollar posted to a program account code, the employee
//! receivable account, or suspense, and a journal that balances.
//!
//! Invariants, checked here in code (a breach is an error, never a wrong file):
//! - the postings of each invoice sum exactly to its charge items;
//! - each invoice's journal has debits = credits.
//!
//! Every split uses `split_largest_remainder` (through `DaySplit::prorate` for line charges).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rust_decimal::Decimal;

use billrecon_model::{
    plain, split_largest_remainder, Allocation, ChargeCategory, Finding, Invoice, LineBook, Month, PhoneNumber, Policy,
    SourceRef, SplitError,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChargebackError {
    #[error("{row}: cannot split {what}: {error}")]
    Split { row: SourceRef, what: String, error: SplitError },
    #[error("internal check failed: {what}: {left} != {right}")]
    Unbalanced { what: String, left: Decimal, right: Decimal },
}

/// What a posting is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PostingKind {
    /// A line's charge item (or its share for the days an account covers).
    LineCharge,
    /// A share of an account-level charge.
    AccountShare,
    /// An employee liability leaving the account it arose under.
    LiabilityOut,
    /// The same liability arriving in the employee receivable account.
    LiabilityIn,
}

impl PostingKind {
    /// The words people read (statements, the workbook).
    pub fn label(&self) -> &'static str {
        billrecon_model::label(self.as_str())
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            PostingKind::LineCharge => "line_charge",
            PostingKind::AccountShare => "account_share",
            PostingKind::LiabilityOut => "liability_out",
            PostingKind::LiabilityIn => "liability_in",
        }
    }
}

/// How a posting's amount was reached: shown on statements and in postings.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// A line charge whose account held the line every day of the period: all of it.
    AllDays,
    /// A line charge's share for the days an account held the line: `55.00 × 10/31 days`.
    Days { amount: Decimal, days: i64, of: i64 },
    /// An account-level charge's share by the accounts' line postings: `10.00 × 90.40/170.02`.
    ByAmount { amount: Decimal, weight: Decimal, total: Decimal },
    /// An account-level charge's share by the accounts' lines: `10.00 × 3/8 lines`.
    ByLines { amount: Decimal, lines: Decimal, total: Decimal },
    /// An account-level charge on an invoice whose lines posted nothing positive to weigh by.
    Unweighed,
    /// An employee liability carried out for a finding.
    Finding(String),
}

impl std::fmt::Display for Basis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Basis::AllDays => f.write_str("all days"),
            Basis::Days { amount, days, of } => {
                write!(f, "{amount} × {} days", ratio(Decimal::from(*days), Decimal::from(*of)))
            }
            Basis::ByAmount { amount, weight, total } => write!(f, "{amount} × {}/{}", plain(*weight), plain(*total)),
            Basis::ByLines { amount, lines, total } => write!(f, "{amount} × {} lines", ratio(*lines, *total)),
            Basis::Unweighed => f.write_str("no line postings to weigh by"),
            Basis::Finding(id) => write!(f, "finding {id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub invoice: usize,
    pub account_code: String,
    /// The employee, for receivable postings and liabilities.
    pub employee_id: String,
    pub line: Option<PhoneNumber>,
    pub kind: PostingKind,
    pub category: Option<ChargeCategory>,
    pub description: String,
    pub amount: Decimal,
    /// For line charges: the days of the period this share covers.
    pub days: Option<i64>,
    /// How the amount was reached.
    pub basis: Basis,
    pub sources: Vec<SourceRef>,
    /// The finding a liability posting carries out.
    pub finding: Option<String>,
}

/// One journal line; money is never negative here (credits are credits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalLine {
    pub invoice: usize,
    pub account_code: String,
    pub employee_id: String,
    pub debit: Decimal,
    pub credit: Decimal,
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceTotals {
    pub items_total: Decimal,
    pub ties_out: bool,
}

/// The month posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthPostings {
    pub postings: Vec<Posting>,
    pub journal: Vec<JournalLine>,
    /// Net per account code (programs, suspense, receivable).
    pub accounts: BTreeMap<String, Decimal>,
    /// Liable per employee.
    pub employees: BTreeMap<String, Decimal>,
    pub invoices: Vec<InvoiceTotals>,
    pub billed: Decimal,
    pub programs: Decimal,
    pub employees_total: Decimal,
    pub suspense: Decimal,
}

fn split<K: Ord + Clone>(
    total: Decimal,
    weights: &[(K, Decimal)],
    source: &SourceRef,
    what: &str,
) -> Result<Vec<(K, Decimal)>, ChargebackError> {
    split_largest_remainder(total, weights).map_err(|error| ChargebackError::Split {
        row: source.clone(),
        what: what.to_string(),
        error,
    })
}

fn ratio(part: Decimal, whole: Decimal) -> String {
    format!("{}/{}", part.normalize(), whole.normalize())
}

/// One invoice's charge items posted: line charges prorated by the days each account held the
/// line, account-level charges shared by the accounts' line postings (or line counts).
fn post_invoice(
    i: usize,
    inv: &Invoice,
    book: &LineBook<'_>,
    policy: &Policy,
    period_days: i64,
) -> Result<(Vec<Posting>, InvoiceTotals), ChargebackError> {
    let suspense = policy.suspense_account.as_str();
    let mut postings: Vec<Posting> = Vec::with_capacity(inv.charges.len());
    let mut line_postings: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut lines_per_account: BTreeMap<String, BTreeSet<PhoneNumber>> = BTreeMap::new();
    // Line charges, split by days covered.
    for c in inv.charges.iter().filter(|c| c.line.is_some()) {
        let line = c.line.expect("filtered on line");
        let days = book.day_split(&line);
        let parts = days.prorate(c.amount, suspense).map_err(|error| ChargebackError::Split {
            row: c.source.clone(),
            what: format!("the {} charge", c.category),
            error,
        })?;
        let weights: BTreeMap<&str, i64> = days
            .accounts
            .iter()
            .map(|(k, d)| (k.as_str(), *d))
            .chain((days.unassigned_days > 0).then_some((suspense, days.unassigned_days)))
            .fold(BTreeMap::new(), |mut m, (k, d)| {
                *m.entry(k).or_default() += d;
                m
            });
        for (acct, amount) in parts {
            let d = weights.get(acct.as_str()).copied().unwrap_or(0);
            *line_postings.entry(acct.clone()).or_default() += amount;
            lines_per_account.entry(acct.clone()).or_default().insert(line);
            if amount.is_zero() {
                continue;
            }
            postings.push(Posting {
                invoice: i,
                account_code: acct,
                employee_id: String::new(),
                line: Some(line),
                kind: PostingKind::LineCharge,
                category: Some(c.category),
                description: c.description.clone(),
                amount,
                days: Some(d),
                basis: if d == period_days { Basis::AllDays } else { Basis::Days { amount: c.amount, days: d, of: period_days } },
                sources: vec![c.source.clone()],
                finding: None,
            });
        }
    }
    // Account-level charges, weighted by this invoice's line postings (or line counts).
    let weights: Vec<(String, Decimal)> = match policy.account_level_allocation {
        Allocation::ByAmount => line_postings.iter().map(|(k, v)| (k.clone(), (*v).max(Decimal::ZERO))).collect(),
        Allocation::PerLine => lines_per_account.iter().map(|(k, v)| (k.clone(), Decimal::from(v.len()))).collect(),
    };
    let weight_total: Decimal = weights.iter().map(|(_, w)| *w).sum();
    for c in inv.charges.iter().filter(|c| c.line.is_none()) {
        let parts = if weight_total > Decimal::ZERO {
            split(c.amount, &weights, &c.source, &format!("the account-level {} charge", c.category))?
        } else {
            // No line posted anything positive on this invoice: nothing to weigh by.
            vec![(suspense.to_string(), c.amount)]
        };
        for (acct, amount) in parts {
            if amount.is_zero() {
                continue;
            }
            let w = weights.iter().find(|(k, _)| *k == acct).map_or(Decimal::ZERO, |(_, w)| *w);
            postings.push(Posting {
                invoice: i,
                account_code: acct,
                employee_id: String::new(),
                line: None,
                kind: PostingKind::AccountShare,
                category: Some(c.category),
                description: c.description.clone(),
                amount,
                days: None,
                basis: if weight_total <= Decimal::ZERO {
                    Basis::Unweighed
                } else if policy.account_level_allocation == Allocation::PerLine {
                    Basis::ByLines { amount: c.amount, lines: w, total: weight_total }
                } else {
                    Basis::ByAmount { amount: c.amount, weight: w, total: weight_total }
                },
                sources: vec![c.source.clone()],
                finding: None,
            });
        }
    }
    let items_total: Decimal = inv.charges.iter().map(|c| c.amount).sum();
    Ok((postings, InvoiceTotals { items_total, ties_out: items_total == inv.summary.current_charges }))
}

/// Posts a month. `findings` are the rules' findings; their `employee_liable` amounts move.
pub fn post(month: &Month, findings: &[Finding]) -> Result<MonthPostings, ChargebackError> {
    let policy = &month.policy;
    let suspense = policy.suspense_account.as_str();
    let book = LineBook::new(&month.period, &month.inventory);
    let period_days = month.period.days();
    let mut postings: Vec<Posting> = Vec::new();
    let mut invoices = Vec::new();

    // Invoices post independently of each other: each on any core, taken in invoice order (the
    // first failing invoice in that order is reported).
    let per_invoice: Vec<Result<(Vec<Posting>, InvoiceTotals), ChargebackError>> =
        month.invoices.par_iter().enumerate().map(|(i, inv)| post_invoice(i, inv, &book, policy, period_days)).collect();
    for r in per_invoice {
        let (made, totals) = r?;
        postings.extend(made);
        invoices.push(totals);
    }

    // Employee liabilities move from the account they arose under to the receivable account.
    let mut first_invoice: BTreeMap<PhoneNumber, usize> = BTreeMap::new();
    for (i, inv) in month.invoices.iter().enumerate() {
        for l in inv.charges.iter().filter_map(|c| c.line) {
            first_invoice.entry(l).or_insert(i);
        }
    }
    let first_invoice_of =
        |line: Option<PhoneNumber>| -> usize { line.and_then(|l| first_invoice.get(&l).copied()).unwrap_or(0) };
    for f in findings.iter().filter(|f| f.employee_liable > Decimal::ZERO) {
        if f.account_code.is_empty() || f.employee_id.is_empty() || month.invoices.is_empty() {
            continue; // nothing moves for unassigned days
        }
        let invoice = f.invoice.unwrap_or_else(|| first_invoice_of(f.line));
        let base = Posting {
            invoice,
            account_code: f.account_code.clone(),
            employee_id: f.employee_id.clone(),
            line: f.line,
            kind: PostingKind::LiabilityOut,
            category: None,
            description: f.rule.as_str().to_string(),
            amount: -f.employee_liable,
            days: None,
            basis: Basis::Finding(f.id.clone()),
            sources: f.sources.clone(),
            finding: Some(f.id.clone()),
        };
        let into = Posting {
            account_code: policy.employee_receivable_account.clone(),
            kind: PostingKind::LiabilityIn,
            amount: f.employee_liable,
            ..base.clone()
        };
        postings.push(base);
        postings.push(into);
    }

    // Identity: per invoice, postings = charge items.
    for (i, inv) in invoices.iter().enumerate() {
        let posted: Decimal = postings.iter().filter(|p| p.invoice == i).map(|p| p.amount).sum();
        if posted != inv.items_total {
            return Err(ChargebackError::Unbalanced {
                what: format!("postings of invoice {}", i + 1),
                left: posted,
                right: inv.items_total,
            });
        }
    }

    let mut accounts: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut employees: BTreeMap<String, Decimal> = BTreeMap::new();
    for p in &postings {
        *accounts.entry(p.account_code.clone()).or_default() += p.amount;
        if p.kind == PostingKind::LiabilityIn {
            *employees.entry(p.employee_id.clone()).or_default() += p.amount;
        }
    }
    let billed: Decimal = invoices.iter().map(|i| i.items_total).sum();
    let employees_total: Decimal = employees.values().copied().sum();
    let suspense_total = accounts.get(suspense).copied().unwrap_or_default();
    let receivable = accounts.get(&policy.employee_receivable_account).copied().unwrap_or_default();
    let programs = billed - suspense_total - receivable;
    if employees_total != receivable {
        return Err(ChargebackError::Unbalanced {
            what: "employee liabilities vs receivable".into(),
            left: employees_total,
            right: receivable,
        });
    }

    let journal = journal(month, &postings, &invoices)?;
    Ok(MonthPostings {
        postings,
        journal,
        accounts,
        employees,
        invoices,
        billed,
        programs,
        employees_total,
        suspense: suspense_total,
    })
}

/// Per invoice: each (account, employee) debited its net (a negative net is a credit), the
/// payable account credited the invoice total. Debits = credits is checked.
fn journal(month: &Month, postings: &[Posting], invoices: &[InvoiceTotals]) -> Result<Vec<JournalLine>, ChargebackError> {
    let policy = &month.policy;
    let mut out = Vec::new();
    for (i, inv) in month.invoices.iter().enumerate() {
        let s = &inv.summary;
        let mut nets: BTreeMap<(String, String), Decimal> = BTreeMap::new();
        for p in postings.iter().filter(|p| p.invoice == i) {
            let employee =
                if p.account_code == policy.employee_receivable_account { p.employee_id.clone() } else { String::new() };
            *nets.entry((p.account_code.clone(), employee)).or_default() += p.amount;
        }
        let mut lines = Vec::new();
        for ((acct, emp), net) in nets {
            if net.is_zero() {
                continue;
            }
            let memo = if !emp.is_empty() {
                format!("{} telecom: reimbursement due from employee {emp}", month.period.label)
            } else if acct == policy.suspense_account {
                format!("{} telecom: unassigned lines, {} invoice {}", month.period.label, s.carrier, s.invoice_number)
            } else {
                format!("{} telecom chargeback, {} invoice {}", month.period.label, s.carrier, s.invoice_number)
            };
            let (debit, credit) = if net > Decimal::ZERO { (net, Decimal::ZERO) } else { (Decimal::ZERO, -net) };
            lines.push(JournalLine { invoice: i, account_code: acct, employee_id: emp, debit, credit, memo });
        }
        let total = invoices[i].items_total;
        let (debit, credit) = if total >= Decimal::ZERO { (Decimal::ZERO, total) } else { (-total, Decimal::ZERO) };
        lines.push(JournalLine {
            invoice: i,
            account_code: policy.payable_account.clone(),
            employee_id: String::new(),
            debit,
            credit,
            memo: format!("{} invoice {} payable ({} telecom)", s.carrier, s.invoice_number, month.period.label),
        });
        let debits: Decimal = lines.iter().map(|l| l.debit).sum();
        let credits: Decimal = lines.iter().map(|l| l.credit).sum();
        if debits != credits {
            return Err(ChargebackError::Unbalanced {
                what: format!("journal of invoice {}", s.invoice_number),
                left: debits,
                right: credits,
            });
        }
        out.extend(lines);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
