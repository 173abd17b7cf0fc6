//! One module per rule; `run` dispatches the month's rules, `run_history` the history rules (which
//! need the ledger's earlier months). `docs/rules.md` explains each in plain words.

use billrecon_model::Rule;

use crate::ctx::{Ctx, Draft, HistoryCtx};

mod cost_spike;
mod credit_not_received;
mod directory_assistance;
mod duplicate_charge;
mod inactive_line_billed;
mod invoice_mismatch;
mod missing_authorization;
mod not_billed;
mod personal_call_charge;
pub mod personal_overage;
mod repeat_finding;
mod terminated_employee;
mod third_party_charge;
mod unassigned_line;
mod unmatched_attestation;
mod zero_usage;
mod zero_usage_streak;

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
        // Run by `run_history`, with a ledger's earlier months.
        Rule::ZeroUsageStreak | Rule::CostSpike | Rule::RepeatFinding | Rule::CreditNotReceived => Vec::new(),
    }
}

/// A history rule over this month beside the ledger's earlier months.
pub(crate) fn run_history(rule: Rule, h: &HistoryCtx<'_, '_>) -> Vec<Draft> {
    match rule {
        Rule::ZeroUsageStreak => zero_usage_streak::check(h),
        Rule::CostSpike => cost_spike::check(h),
        Rule::RepeatFinding => repeat_finding::check(h),
        Rule::CreditNotReceived => credit_not_received::check(h),
        _ => Vec::new(),
    }
}
