//! Findings: what the rules say about a month. Rule ids and field names are an output contract.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::phone::PhoneNumber;
use crate::source::SourceRef;
use crate::usage::TimeOfDay;

/// How a finding must be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The employee owes it.
    Charge,
    /// Finance must act.
    Action,
    /// Worth a look.
    Review,
    /// For the record.
    Info,
}

impl Severity {
    /// The severity a key names (`review`).
    pub fn from_key(key: &str) -> Option<Severity> {
        [Severity::Charge, Severity::Action, Severity::Review, Severity::Info].into_iter().find(|s| s.as_str() == key)
    }

    /// One step more urgent: info → review → action (a charge stays a charge).
    pub fn raised(self) -> Severity {
        match self {
            Severity::Info => Severity::Review,
            Severity::Review | Severity::Action => Severity::Action,
            Severity::Charge => Severity::Charge,
        }
    }

    /// The words people read (statements, notices, the workbook).
    pub fn label(&self) -> &'static str {
        crate::labels::label(self.as_str())
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Charge => "charge",
            Severity::Action => "action",
            Severity::Review => "review",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rules, in the order they are documented (and findings are sorted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    DirectoryAssistance,
    PersonalOverage,
    PersonalCallCharge,
    UnassignedLine,
    TerminatedEmployee,
    InactiveLineBilled,
    ZeroUsage,
    InvoiceMismatch,
    DuplicateCharge,
    ThirdPartyCharge,
    UnmatchedAttestation,
    MissingAuthorization,
    NotBilled,
    // History rules: what earlier months in the ledger say (run only with a ledger).
    ZeroUsageStreak,
    CostSpike,
    RepeatFinding,
    CreditNotReceived,
}

impl Rule {
    pub const ALL: &'static [Rule] = &[
        Rule::DirectoryAssistance,
        Rule::PersonalOverage,
        Rule::PersonalCallCharge,
        Rule::UnassignedLine,
        Rule::TerminatedEmployee,
        Rule::InactiveLineBilled,
        Rule::ZeroUsage,
        Rule::InvoiceMismatch,
        Rule::DuplicateCharge,
        Rule::ThirdPartyCharge,
        Rule::UnmatchedAttestation,
        Rule::MissingAuthorization,
        Rule::NotBilled,
    ];

    /// The history rules: they compare with earlier months and run only with a ledger.
    pub const HISTORY: &'static [Rule] = &[Rule::ZeroUsageStreak, Rule::CostSpike, Rule::RepeatFinding, Rule::CreditNotReceived];

    /// The rule a key names (`unassigned_line`).
    pub fn from_key(key: &str) -> Option<Rule> {
        Rule::ALL.iter().chain(Rule::HISTORY).copied().find(|r| r.as_str() == key)
    }

    /// The rule id used in every output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Rule::DirectoryAssistance => "directory_assistance",
            Rule::PersonalOverage => "personal_overage",
            Rule::PersonalCallCharge => "personal_call_charge",
            Rule::UnassignedLine => "unassigned_line",
            Rule::TerminatedEmployee => "terminated_employee",
            Rule::InactiveLineBilled => "inactive_line_billed",
            Rule::ZeroUsage => "zero_usage",
            Rule::InvoiceMismatch => "invoice_mismatch",
            Rule::DuplicateCharge => "duplicate_charge",
            Rule::ThirdPartyCharge => "third_party_charge",
            Rule::UnmatchedAttestation => "unmatched_attestation",
            Rule::MissingAuthorization => "missing_authorization",
            Rule::NotBilled => "not_billed",
            Rule::ZeroUsageStreak => "zero_usage_streak",
            Rule::CostSpike => "cost_spike",
            Rule::RepeatFinding => "repeat_finding",
            Rule::CreditNotReceived => "credit_not_received",
        }
    }

    /// The words people read (statements, notices, the workbook).
    pub fn label(&self) -> &'static str {
        crate::labels::label(self.as_str())
    }

    /// Short prefix of finding ids.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::DirectoryAssistance => "DA",
            Rule::PersonalOverage => "OVG",
            Rule::PersonalCallCharge => "PCC",
            Rule::UnassignedLine => "UNA",
            Rule::TerminatedEmployee => "TRM",
            Rule::InactiveLineBilled => "INA",
            Rule::ZeroUsage => "ZRO",
            Rule::InvoiceMismatch => "MIS",
            Rule::DuplicateCharge => "DUP",
            Rule::ThirdPartyCharge => "TPC",
            Rule::UnmatchedAttestation => "UAT",
            Rule::MissingAuthorization => "AUT",
            Rule::NotBilled => "NBL",
            Rule::ZeroUsageStreak => "ZUS",
            Rule::CostSpike => "SPK",
            Rule::RepeatFinding => "RPT",
            Rule::CreditNotReceived => "CNR",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A usage row a finding rests on, kept for the employee's notice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Call {
    pub date: NaiveDate,
    pub time: Option<TimeOfDay>,
    pub number: String,
    pub quantity: Decimal,
    pub charge: Decimal,
    pub description: String,
}

/// The overage arithmetic, shown on notices: liable = C × I / O.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Overage {
    /// `voice` (minutes) or `text` (messages).
    pub pool: String,
    pub unit: String,
    pub plan: String,
    /// Allowance A.
    pub allowance: Decimal,
    /// Where A comes from: `the plans table`, `the carrier's charges detail (FILE:ROW)`, or
    /// `the plan's name`.
    pub allowance_from: String,
    /// Usage U.
    pub used: Decimal,
    /// Personal P (attested or chargeable directory assistance).
    pub personal: Decimal,
    /// Overage charge C.
    pub charge: Decimal,
    /// O = max(0, U − A).
    pub over: Decimal,
    /// B = max(0, U − P − A): the overage business use alone would have caused.
    pub business_over: Decimal,
    /// I = O − B: the overage caused by personal use.
    pub personal_over: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// Stable: the same inputs give the same id.
    pub id: String,
    pub rule: Rule,
    pub severity: Severity,
    /// `None` for account-level findings.
    pub line: Option<PhoneNumber>,
    pub employee_id: String,
    /// The account the finding concerns; for a liability, the account it moves from.
    pub account_code: String,
    pub amount: Decimal,
    pub employee_liable: Decimal,
    /// The rows it rests on.
    pub sources: Vec<SourceRef>,
    /// One sentence a finance clerk understands.
    pub detail: String,
    /// Which invoice (index in the month), where it concerns one.
    pub invoice: Option<usize>,
    /// The day whose assignment the liability arose under.
    pub liable_on: Option<NaiveDate>,
    pub call: Option<Call>,
    pub overage: Option<Overage>,
}

impl Finding {
    /// `source` column of findings.csv: every source, `;`-separated.
    pub fn sources_text(&self) -> String {
        self.sources.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("; ")
    }
}

/// FNV-1a, 32 bits: a stable content hash for finding ids (no randomness, no platform variance).
pub fn stable_hash(parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0x1f)) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}
