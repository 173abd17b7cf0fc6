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
}

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
}
