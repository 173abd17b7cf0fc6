//! A line's month, and what earlier months (kept by the ledger) say: the records the history
//! rules read. The ledger stores them; the rules read them; neither recomputes the other.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::finding::{Rule, Severity};
use crate::phone::PhoneNumber;

/// One line's month: what it was charged, what it used, who held it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineMonth {
    pub line: PhoneNumber,
    /// Every charge item of the line this month, across invoices (credits included).
    pub charges: Decimal,
    /// Credits on the line (negative amounts), each as billed.
    pub credits: Vec<Decimal>,
    /// Usage dated in the period.
    pub voice_minutes: Decimal,
    pub messages: Decimal,
    /// Any use at all: a usage row in the period, or the carrier's summary showing use.
    pub used: bool,
    /// The holder and account on the period's last assigned day (empty when unassigned).
    pub employee_id: String,
    pub account_code: String,
}

/// An earlier month as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastMonth {
    /// `YYYY-MM`.
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub lines: Vec<LineMonth>,
    /// Account-level credits of the month (negative amounts).
    pub account_credits: Vec<Decimal>,
}

/// A finding of an earlier month that nobody has waived or resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFinding {
    pub id: String,
    pub rule: Rule,
    pub severity: Severity,
    pub line: Option<PhoneNumber>,
    pub month: String,
}

/// A charge disputed with the carrier: the amount a credit should bring back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispute {
    pub finding_id: String,
    pub line: Option<PhoneNumber>,
    pub amount: Decimal,
    /// The month of the disputed finding.
    pub month: String,
    /// The carrier's case reference.
    pub case: String,
}

/// What the ledger knows of the months before the one being reconciled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Earlier months, oldest first.
    pub months: Vec<PastMonth>,
    pub open_findings: Vec<OpenFinding>,
    pub disputes: Vec<Dispute>,
}

impl History {
    /// Whether there is anything to compare with.
    pub fn is_empty(&self) -> bool {
        self.months.is_empty() && self.open_findings.is_empty() && self.disputes.is_empty()
    }
}
