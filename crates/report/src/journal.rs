//! `postings.csv` (every posting and the rows it came from), `journal.csv` (for a GL journal
//! import) and `journal-peoplesoft.txt` (the PeopleSoft flat-file journal layout: header `H`,
//! line `L` and control `C` records; docs/outputs.md gives every field's position).

use billrecon_model::plain;
use rust_decimal::Decimal;

use crate::Reconciliation;

pub const POSTINGS_HEADER: &[&str] = &[
    "invoice_number",
    "account_code",
    "employee_id",
    "line",
    "kind",
    "category",
    "description",
    "basis",
    "amount",
    "finding",
    "source",
];

/// Every posting as text, in ledger order (built on every core: a statewide month has
/// hundreds of thousands).
pub fn postings_rows(r: &Reconciliation<'_>) -> Vec<Vec<String>> {
    use rayon::prelude::*;
    r.postings
        .postings
        .par_iter()
        .map(|p| {
            vec![
                r.month.invoices[p.invoice].summary.invoice_number.clone(),
                p.account_code.clone(),
                p.employee_id.clone(),
                p.line.map(|l| l.to_string()).unwrap_or_default(),
                p.kind.as_str().to_string(),
                p.category.map(|c| c.to_string()).unwrap_or_default(),
                p.description.clone(),
                p.basis.to_string(),
                plain(p.amount),
                p.finding.clone().unwrap_or_default(),
                p.sources.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("; "),
            ]
        })
        .collect()
}

/// `postings.csv` from [`postings_rows`].
pub fn postings_csv(rows: &[Vec<String>]) -> String {
    crate::csv::table(POSTINGS_HEADER, rows)
}

pub const JOURNAL_HEADER: &[&str] = &["period", "invoice_number", "account_code", "employee_id", "debit", "credit", "memo"];

pub fn journal_rows(r: &Reconciliation<'_>) -> Vec<Vec<String>> {
    r.postings
        .journal
        .iter()
        .map(|j| {
            vec![
                r.month.period.label.clone(),
                r.month.invoices[j.invoice].summary.invoice_number.clone(),
                j.account_code.clone(),
                j.employee_id.clone(),
                plain(j.debit),
                plain(j.credit),
                j.memo.clone(),
            ]
        })
        .collect()
}

pub fn csv(r: &Reconciliation<'_>) -> String {
    crate::csv::table(JOURNAL_HEADER, &journal_rows(r))
}

/// Left-aligned, cut or space-padded to `w` characters.
fn fixed(s: &str, w: usize) -> String {
    let cut: String = s.chars().filter(|c| !c.is_control()).take(w).collect();
    format!("{cut:<w$}")
}

/// Signed amount, right-aligned in `w` characters: `-0000000012.34` style without padding zeros.
fn amount(d: Decimal, w: usize) -> String {
    format!("{:>w$}", plain(d))
}

/// One journal line of a PeopleSoft batch.
pub struct PeopleSoftLine<'a> {
    pub account_code: &'a str,
    pub employee_id: &'a str,
    pub debit: Decimal,
    pub credit: Decimal,
    /// Ten characters: the invoice number (or the entry's date, for adjusting entries).
    pub reference: &'a str,
    pub memo: &'a str,
}

/// One PeopleSoft batch: an `H` record (business unit, date `MM/DD/YYYY`, description), an `L`
/// record per line (signed amount), and a `C` control record (count, debits, credits).
/// Fixed-width fields; see docs/outputs.md for the layout.
pub fn peoplesoft_batch(bu: &str, date: &str, description: &str, lines: &[PeopleSoftLine<'_>]) -> String {
    let mut out = format!(
        "H{}{}{}{}{}{}\n",
        fixed(bu, 5),
        fixed("NEXT", 10),
        fixed(date, 10),
        fixed("ACTUALS", 10),
        fixed("TEL", 3),
        fixed(description, 30)
    );
    let mut debits = Decimal::ZERO;
    let mut credits = Decimal::ZERO;
    for (n, j) in lines.iter().enumerate() {
        debits += j.debit;
        credits += j.credit;
        out.push_str(&format!(
            "L{}{:09}{}{}{}{}{}{}\n",
            fixed(bu, 5),
            n + 1,
            fixed("ACTUALS", 10),
            fixed(j.account_code, 30),
            amount(j.debit - j.credit, 18),
            fixed(j.employee_id, 11),
            fixed(j.reference, 10),
            fixed(j.memo, 30)
        ));
    }
    out.push_str(&format!("C{:09}{}{}\n", lines.len(), amount(debits, 18), amount(credits, 18)));
    out
}

/// The PeopleSoft flat-file journal: one batch per invoice.
pub fn peoplesoft(r: &Reconciliation<'_>) -> String {
    let policy = &r.month.policy;
    let bu = if policy.business_unit.is_empty() { "BU001" } else { policy.business_unit.as_str() };
    let date = r.as_of.format("%m/%d/%Y").to_string();
    let mut out = String::new();
    for (i, inv) in r.month.invoices.iter().enumerate() {
        let s = &inv.summary;
        let lines: Vec<PeopleSoftLine<'_>> = r
            .postings
            .journal
            .iter()
            .filter(|j| j.invoice == i)
            .map(|j| PeopleSoftLine {
                account_code: &j.account_code,
                employee_id: &j.employee_id,
                debit: j.debit,
                credit: j.credit,
                reference: &s.invoice_number,
                memo: &j.memo,
            })
            .collect();
        let description = format!("{} {} {}", r.month.period.label, s.carrier, s.invoice_number);
        out.push_str(&peoplesoft_batch(bu, &date, &description, &lines));
    }
    out
}
