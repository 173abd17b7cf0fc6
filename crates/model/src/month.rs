//! A month as the rest of billrecon sees it: typed records, the policy, and how inputs were read.

use crate::period::Period;
use crate::records::{Assignment, Attestation, Employee, Invoice, Plan};
use crate::usage::UsageTable;

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
}

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

/// Everything read for one month, in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub period: Period,
    pub policy: Policy,
    pub invoices: Vec<Invoice>,
    pub usage: UsageTable,
    pub inventory: Vec<Assignment>,
    pub employees: Vec<Employee>,
    pub plans: Vec<Plan>,
    pub attestations: Vec<Attestation>,
}

/// How one input table was read: rows read = accepted + rejected (+ blank rows, counted apart).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputReport {
    /// What the table is: `invoice summary`, `charges`, `usage`, `inventory`, ...
    pub kind: String,
    pub file: String,
    pub sheet: Option<String>,
    /// Row of the header (1-based), after any title rows.
    pub header_row: u32,
    pub read: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub blank: u64,
    /// Footer (total) rows a carrier profile recognized and checked; never data.
    #[serde(skip_serializing_if = "is_zero")]
    pub footer: u64,
    /// The carrier profile the file was read with; `None` = the canonical layout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
