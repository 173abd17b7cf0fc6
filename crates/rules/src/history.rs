//! The history rules: what a month means next to the months before it, as the ledger keeps
//! them ([`History`]). They run only with a ledger (`post`, `reconcile --ledger`); each is
//! documented in docs/rules.md with its arithmetic.
//!
//! - `zero_usage_streak` (review): a line billed with no use this month and the months before,
//!   `streak` months in a row; what cancelling it would save a month.
//! - `cost_spike` (review): a line's charges above 150% of its trailing three-month average and
//!   at least $20 more.
//! - `repeat_finding`: a finding on a line that an earlier month's same rule still has open
//!   (not waived or resolved), one severity higher.
//! - `credit_not_received` (action): a disputed amount with no matching credit on the two
//!   invoices (months) since.

use std::collections::BTreeMap;

use billrecon_model::{Finding, History, LineMonth, PhoneNumber, Rule};
use rust_decimal::Decimal;

use crate::ctx::{Ctx, HistoryCtx};

/// Months in a row without use that make a `zero_usage_streak`.
pub const ZERO_USAGE_MONTHS: usize = 3;

/// Each billed or assigned line's month: its charges, credits, use and holder.
pub fn line_months(ctx: &Ctx<'_>) -> Vec<LineMonth> {
    let mut lines: BTreeMap<PhoneNumber, LineMonth> = BTreeMap::new();
    let blank = |line: PhoneNumber| LineMonth {
        line,
        charges: Decimal::ZERO,
        credits: Vec::new(),
        voice_minutes: Decimal::ZERO,
        messages: Decimal::ZERO,
        used: false,
        employee_id: String::new(),
        account_code: String::new(),
    };
    for (line, charges) in &ctx.billed {
        let lm = lines.entry(*line).or_insert_with(|| blank(*line));
        for c in charges {
            lm.charges += c.amount;
            if c.amount < Decimal::ZERO {
                lm.credits.push(c.amount);
            }
        }
    }
    for a in &ctx.month.inventory {
        if ctx.book.in_period(&a.line).next().is_some() {
            lines.entry(a.line).or_insert_with(|| blank(a.line));
        }
    }
    for (line, lm) in lines.iter_mut() {
        if let Some(u) = ctx.facts.line(line) {
            lm.voice_minutes = u.voice.used;
            lm.messages = u.text.used;
            lm.used = u.rows > 0;
        }
        if ctx.line_summaries.get(line).is_some_and(|s| s.iter().any(|s| s.shows_usage())) {
            lm.used = true;
        }
        if let Some((_, a)) = ctx.book.last_assigned(line) {
            lm.employee_id = a.employee_id.clone();
            lm.account_code = a.account_code.clone();
        }
    }
    lines.into_values().collect()
}

/// The account-level credits of the month (negative amounts).
pub fn account_credits(ctx: &Ctx<'_>) -> Vec<Decimal> {
    ctx.month
        .invoices
        .iter()
        .flat_map(|i| &i.charges)
        .filter(|c| c.line.is_none() && c.amount < Decimal::ZERO)
        .map(|c| c.amount)
        .collect()
}

/// The history findings of this month, given what the ledger holds of earlier months and this
/// month's own findings; `streak` is how many months without use make a streak (3). Each rule is
/// its own module under `rules/`.
pub fn evaluate(
    ctx: &Ctx<'_>,
    current: &[LineMonth],
    history: &History,
    month_findings: &[Finding],
    streak: usize,
) -> Vec<Finding> {
    let h = HistoryCtx::new(ctx, current, history, month_findings, streak, account_credits(ctx));
    Rule::HISTORY.iter().flat_map(|rule| crate::rules::run_history(*rule, &h)).map(|d| d.finish()).collect()
}
