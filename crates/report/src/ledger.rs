//! What the month ledger holds, for people and spreadsheets: receivables with aging (table, CSV,
//! JSON), the adjusting journal (CSV, PeopleSoft), a line's months, findings with their status.
//! The ledger gives the amounts; this module only formats them.

use std::fmt::Write as _;

use billrecon_ledger::{JournalRow, LineHistoryRow, Receivable, Status};
use billrecon_model::{usd, Decimal, Finding, PhoneNumber};
use chrono::NaiveDate;

use crate::{csv, journal, text};

/// Receivables as an aligned table, aging columns in days past the notice's due date.
pub fn receivables_table(rows: &[Receivable], as_of: NaiveDate) -> String {
    let mut s = format!("Receivables on {as_of} (days past the notice's due date)\n\n");
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let outstanding =
                if r.outstanding < Decimal::ZERO { format!("{} credit", usd(-r.outstanding)) } else { usd(r.outstanding) };
            let mut c = vec![r.employee_id.clone(), usd(r.billed), usd(r.paid), usd(r.waived), outstanding, usd(r.current)];
            c.extend(r.aged.iter().map(|a| usd(*a)));
            c.push(r.oldest_due.map(|d| d.to_string()).unwrap_or_default());
            c
        })
        .collect();
    s.push_str(&text::table(
        &["EMPLOYEE", "BILLED", "PAID", "WAIVED", "OUTSTANDING", "NOT YET DUE", "0-30", "31-60", "61-90", "90+", "OLDEST DUE"],
        &body,
        &[false, true, true, true, true, true, true, true, true, true, false],
    ));
    let total: Decimal = rows.iter().map(|r| r.outstanding.max(Decimal::ZERO)).sum();
    let credit: Decimal = rows.iter().map(|r| (-r.outstanding).max(Decimal::ZERO)).sum();
    let _ = writeln!(s, "\nOutstanding {}; credits {}", usd(total), usd(credit));
    s
}

/// Receivables as CSV, plain amounts.
pub fn receivables_csv(rows: &[Receivable]) -> String {
    let cells = |r: &Receivable| -> Vec<String> {
        vec![
            r.employee_id.clone(),
            r.billed.to_string(),
            r.paid.to_string(),
            r.waived.to_string(),
            r.outstanding.to_string(),
            r.current.to_string(),
            r.aged[0].to_string(),
            r.aged[1].to_string(),
            r.aged[2].to_string(),
            r.aged[3].to_string(),
            r.oldest_due.map(|d| d.to_string()).unwrap_or_default(),
        ]
    };
    csv::table(
        &[
            "employee_id",
            "billed",
            "paid",
            "waived",
            "outstanding",
            "current",
            "days_0_30",
            "days_31_60",
            "days_61_90",
            "days_over_90",
            "oldest_due",
        ],
        &rows.iter().map(cells).collect::<Vec<_>>(),
    )
}

/// Receivables as one JSON array (amounts as strings, exact).
pub fn receivables_json(rows: &[Receivable]) -> String {
    let v: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "employee_id": r.employee_id,
                "billed": r.billed.to_string(),
                "paid": r.paid.to_string(),
                "waived": r.waived.to_string(),
                "outstanding": r.outstanding.to_string(),
                "credit": (-r.outstanding).max(Decimal::ZERO).to_string(),
                "current": r.current.to_string(),
                "days_0_30": r.aged[0].to_string(),
                "days_31_60": r.aged[1].to_string(),
                "days_61_90": r.aged[2].to_string(),
                "days_over_90": r.aged[3].to_string(),
                "oldest_due": r.oldest_due.map(|d| d.to_string()),
            })
        })
        .collect();
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// The adjusting journal as CSV.
pub fn journal_csv(rows: &[JournalRow]) -> String {
    csv::table(
        &["date", "kind", "account_code", "employee_id", "debit", "credit", "memo"],
        &rows
            .iter()
            .map(|r| {
                vec![
                    r.date.to_string(),
                    r.kind.to_string(),
                    r.account_code.clone(),
                    r.employee_id.clone(),
                    r.debit.to_string(),
                    r.credit.to_string(),
                    r.memo.clone(),
                ]
            })
            .collect::<Vec<_>>(),
    )
}

/// The adjusting journal in reconcile's PeopleSoft batch layout; each line's reference is its
/// date. The ledger keeps no business unit: BU001, PeopleSoft's default.
pub fn journal_peoplesoft(rows: &[JournalRow], since: NaiveDate) -> String {
    let dates: Vec<String> = rows.iter().map(|r| r.date.to_string()).collect();
    let lines: Vec<journal::PeopleSoftLine<'_>> = rows
        .iter()
        .zip(&dates)
        .map(|(r, d)| journal::PeopleSoftLine {
            account_code: &r.account_code,
            employee_id: &r.employee_id,
            debit: r.debit,
            credit: r.credit,
            reference: d,
            memo: &r.memo,
        })
        .collect();
    journal::peoplesoft_batch("BU001", &since.format("%m/%d/%Y").to_string(), "adjustments since", &lines)
}

/// A line month by month.
pub fn line_history(line: &PhoneNumber, rows: &[LineHistoryRow]) -> String {
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.month.clone(),
                usd(r.charges),
                r.voice_minutes.clone(),
                r.messages.clone(),
                if r.used { "yes" } else { "no" }.into(),
                if r.employee_id.is_empty() { "(nobody)".into() } else { r.employee_id.clone() },
                r.account_code.clone(),
                r.findings.join("; "),
            ]
        })
        .collect();
    let mut s = format!("Line {}, month by month\n\n", line.pretty());
    s.push_str(&text::table(
        &["MONTH", "CHARGES", "MINUTES", "MESSAGES", "USED", "HOLDER", "ACCOUNT", "FINDINGS"],
        &body,
        &[false, true, true, true, false, false, false, false],
    ));
    s
}

/// A month's findings with each one's status in the ledger (`new` when not posted yet) and what
/// happened to it.
pub fn findings_with_status(month: &str, ledger: &str, found: &[(&Finding, Option<Status>)]) -> String {
    let mut rows = Vec::new();
    let mut history = String::new();
    for (f, st) in found {
        rows.push(vec![
            f.id.clone(),
            f.severity.to_string(),
            f.rule.to_string(),
            f.line.map(|l| l.pretty()).unwrap_or_else(|| "-".into()),
            f.employee_id.clone(),
            usd(f.employee_liable),
            st.as_ref().map_or_else(|| "new".to_string(), |s| s.status.to_string()),
            f.detail.clone(),
        ]);
        for h in st.iter().flat_map(|s| &s.history) {
            let _ = writeln!(history, "{}: {h}", f.id);
        }
    }
    let mut out = format!("Findings for {month} with their status in {ledger}: {}\n\n", found.len());
    out.push_str(&text::table(
        &["ID", "SEVERITY", "RULE", "LINE", "EMPLOYEE", "LIABLE", "STATUS", "DETAIL"],
        &rows,
        &[false, false, false, false, false, true, false, false],
    ));
    if !history.is_empty() {
        out.push_str("\nHistory:\n");
        out.push_str(&history);
    }
    out
}
