//! A month as the rest of billrecon sees it: typed records, the policy, and how inputs were read.

use crate::period::Period;
use crate::records::{Assignment, Attestation, Employee, Invoice, Plan};

/// Accounts and options from the manifest's `[policy]` table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Policy {
    pub suspense_account: String,
    pub employee_receivable_account: String,
    pub payable_account: String,
    /// Third-party charges (premium content, app purchases) are the employee's.
    pub third_party_is_personal: bool,
    /// How account-level charges are split across account codes.
    pub account_level_allocation: Allocation,
    /// The journal layout written beside journal.csv.
    pub journal_format: JournalFormat,
    /// Days after the `--as-of` date that a reimbursement notice is due.
    pub notice_due_days: u32,
    /// How an employee pays, printed on every notice.
    pub notice_payment: String,
    /// How an employee disputes, printed on every notice.
    pub notice_dispute: String,
    /// PeopleSoft business unit (journal_format = "peoplesoft").
    pub business_unit: String,
    /// Where employees' repayments are deposited (the ledger's `pay` debits it).
    pub cash_account: String,
}

/// The deposit account when the manifest names none.
pub const DEFAULT_CASH_ACCOUNT: &str = "CASH";

/// Weights for account-level charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Allocation {
    /// By each account code's line postings on the same invoice (weights <= 0 count as 0).
    #[default]
    ByAmount,
    /// By the number of lines posting to each account code on the same invoice.
    PerLine,
}

/// Which journal file to write besides journal.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalFormat {
    #[default]
    Csv,
    Peoplesoft,
}

pub const DEFAULT_PAYMENT: &str =
    "Pay by check payable to the agency, or by payroll deduction on request, through the business office.";
pub const DEFAULT_DISPUTE: &str = "If a charge is wrong (for example a business call), reply in writing to the business office before the due date, giving the date, time and business purpose of the call.";

/// Everything read for one month, in input order, but its usage: a statewide month's call
/// detail is folded as it streams and never held, so it travels apart (a `UsageTable` kept
/// whole, or the facts folded from it), and every stage that needs it asks for it by type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub period: Period,
    pub policy: Policy,
    pub invoices: Vec<Invoice>,
    pub inventory: Vec<Assignment>,
    pub employees: Vec<Employee>,
    /// The plans table; `None` when the manifest names none (allowances then come from what
    /// the carrier states, or from the plan's name).
    pub plans: Option<Vec<Plan>>,
    pub attestations: Vec<Attestation>,
}

/// How one input table was read.
///
/// Every data row after the header is counted once, in exactly one of four ways, so that
/// `read = accepted + rejected + skipped + blank` always holds ([`InputReport::balanced`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputReport {
    /// What the table is: `invoice summary`, `charges`, `usage`, `inventory`, ...
    pub kind: String,
    pub file: String,
    pub sheet: Option<String>,
    /// Row of the header (1-based), after any title rows.
    pub header_row: u32,
    /// Rows after the header (footers and blank rows included).
    pub read: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// Rows that are not records of the table, each for a stated reason (a payment on a
    /// carrier's charges file, a checked footer total): see `skips`.
    pub skipped: u64,
    /// Rows with no value in any column the table reads.
    pub blank: u64,
    /// Rows that ended before the header's last fields (a tool that drops trailing empty
    /// fields), where every field missing is one the table does not require: read as if those
    /// fields were empty. Counted here besides what became of each row (accepted, skipped...).
    #[serde(skip_serializing_if = "is_zero")]
    pub short: u64,
    /// Skipped rows by reason, in the order the reasons were first met.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skips: Vec<Skip>,
    /// The carrier profile the file was read with; `None` = the canonical layout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Rows skipped for one reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skip {
    pub reason: String,
    pub rows: u64,
    /// The first [`Skip::SHOWN`] row numbers, as a spreadsheet or text editor shows them.
    pub first_rows: Vec<u32>,
}

impl Skip {
    /// How many row numbers a skip keeps to show.
    pub const SHOWN: usize = 10;
}

impl InputReport {
    /// An empty report of a table being read.
    pub fn new(kind: &str, file: &str, sheet: Option<String>, profile: Option<String>) -> InputReport {
        InputReport {
            kind: kind.to_string(),
            file: file.to_string(),
            sheet,
            header_row: 0,
            read: 0,
            accepted: 0,
            rejected: 0,
            skipped: 0,
            blank: 0,
            short: 0,
            skips: Vec::new(),
            profile,
        }
    }

    /// Counts a skipped row under its reason.
    pub fn skip(&mut self, row: u32, reason: &str) {
        self.skipped += 1;
        let at = match self.skips.iter().position(|s| s.reason == reason) {
            Some(i) => i,
            None => {
                self.skips.push(Skip { reason: reason.to_string(), rows: 0, first_rows: Vec::new() });
                self.skips.len() - 1
            }
        };
        let s = &mut self.skips[at];
        s.rows += 1;
        if s.first_rows.len() < Skip::SHOWN {
            s.first_rows.push(row);
        }
    }

    /// `read = accepted + rejected + skipped + blank`, and the skips add up to `skipped`.
    pub fn balanced(&self) -> bool {
        let parts = self
            .accepted
            .checked_add(self.rejected)
            .and_then(|x| x.checked_add(self.skipped))
            .and_then(|x| x.checked_add(self.blank));
        parts == Some(self.read) && self.skips.iter().map(|s| s.rows).sum::<u64>() == self.skipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_are_counted_by_reason_and_the_counts_balance() {
        let mut r = InputReport::new("invoice charges", "c.txt", None, None);
        r.read = 14;
        r.accepted = 10;
        r.rejected = 1;
        r.blank = 1;
        assert!(!r.balanced());
        for row in [3, 20] {
            r.skip(row, "a payment, not a current charge");
        }
        assert!(r.balanced());
        for row in 0..12 {
            r.skip(100 + row, "a footer total");
        }
        r.read += 12;
        assert!(r.balanced());
        assert_eq!(r.skips[0].first_rows, vec![3, 20]);
        assert_eq!((r.skips[1].rows, r.skips[1].first_rows.len()), (12, Skip::SHOWN));
    }
}
