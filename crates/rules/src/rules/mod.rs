//! One module per rule; `run` dispatches. `docs/rules.md` explains each in plain words.

use billrecon_model::{usd, Assignment, Call, Rule};
use rust_decimal::Decimal;

use crate::{Ctx, Draft};

mod directory_assistance;
mod duplicate_charge;
mod inactive_line_billed;
mod invoice_mismatch;
mod missing_authorization;
mod not_billed;
mod personal_call_charge;
mod personal_overage;
mod terminated_employee;
mod third_party_charge;
mod unassigned_line;
mod unmatched_attestation;
mod zero_usage;

pub(crate) fn run(rule: Rule, ctx: &Ctx<'_>) -> Vec<Draft> {
    match rule {
        Rule::DirectoryAssistance => directory_assistance::check(ctx),
        Rule::PersonalOverage => personal_overage::check(ctx),
        Rule::PersonalCallCharge => personal_call_charge::check(ctx),
        Rule::UnassignedLine => unassigned_line::check(ctx),
        Rule::TerminatedEmployee => terminated_employee::check(ctx),
        Rule::InactiveLineBilled => inactive_line_billed::check(ctx),
        Rule::ZeroUsage => zero_usage::check(ctx),
        Rule::InvoiceMismatch => invoice_mismatch::check(ctx),
        Rule::DuplicateCharge => duplicate_charge::check(ctx),
        Rule::ThirdPartyCharge => third_party_charge::check(ctx),
        Rule::UnmatchedAttestation => unmatched_attestation::check(ctx),
        Rule::MissingAuthorization => missing_authorization::check(ctx),
        Rule::NotBilled => not_billed::check(ctx),
        // Run by `crate::history::evaluate`, with a ledger's earlier months.
        Rule::ZeroUsageStreak | Rule::CostSpike | Rule::RepeatFinding | Rule::CreditNotReceived => Vec::new(),
    }
}

/// "Maria Lopez (E1001)", or the id alone, or "a spare line" when nobody holds it.
pub(crate) fn who(a: &Assignment) -> String {
    match (a.employee_name.is_empty(), a.employee_id.is_empty()) {
        (_, true) => "nobody (spare)".to_string(),
        (true, false) => a.employee_id.clone(),
        (false, false) => format!("{} ({})", a.employee_name, a.employee_id),
    }
}

/// "2026-10-14 at 10:31:00" (or the date alone).
pub(crate) fn when(c: &Call) -> String {
    match c.time {
        Some(t) => format!("{} at {}", c.date, t),
        None => c.date.to_string(),
    }
}

/// Sum of charge amounts.
pub(crate) fn total<'a>(items: impl IntoIterator<Item = &'a &'a billrecon_model::Charge>) -> Decimal {
    items.into_iter().map(|c| c.amount).sum()
}

pub(crate) fn money(d: Decimal) -> String {
    usd(d)
}
