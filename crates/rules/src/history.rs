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

use billrecon_model::{usd, Finding, History, LineMonth, PhoneNumber, Rule, Severity};
use rust_decimal::Decimal;

use crate::{Ctx, Draft};

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
/// month's own findings; `streak` is how many months without use make a streak (3).
pub fn evaluate(
    ctx: &Ctx<'_>,
    current: &[LineMonth],
    history: &History,
    month_findings: &[Finding],
    streak: usize,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let label = &ctx.month.period.label;
    let past = &history.months;

    for lm in current {
        // zero_usage_streak: billed, unused, this month and the streak - 1 months before it.
        if lm.charges > Decimal::ZERO && !lm.used && streak > 0 && past.len() + 1 >= streak {
            let before = &past[past.len() + 1 - streak..];
            let idle: Vec<(&str, Decimal)> = before
                .iter()
                .filter_map(|m| {
                    m.lines
                        .iter()
                        .find(|l| l.line == lm.line && l.charges > Decimal::ZERO && !l.used)
                        .map(|l| (m.label.as_str(), l.charges))
                })
                .collect();
            if idle.len() == before.len() {
                let months: Vec<String> = idle.iter().map(|(m, _)| m.to_string()).chain([label.clone()]).collect();
                let total: Decimal = idle.iter().map(|(_, c)| *c).sum::<Decimal>() + lm.charges;
                let avg = billrecon_model::round_cents(total / Decimal::from(streak as u64));
                let detail = format!(
                    "No use for {streak} months in a row ({}), billed {} in all: cancelling the line saves about {} a month (the average of those months).",
                    months.join(", "),
                    usd(total),
                    usd(avg)
                );
                let mut d = Draft::new(Rule::ZeroUsageStreak, Severity::Review, Some(lm.line), detail);
                d.amount = avg;
                d.employee_id = lm.employee_id.clone();
                d.account_code = lm.account_code.clone();
                d.sources = ctx.billed.get(&lm.line).into_iter().flatten().map(|c| c.source.clone()).collect();
                out.push(d.finish());
            }
        }
        // cost_spike: above 150% of the trailing three-month average and at least $20 more.
        let trailing: Vec<(&str, Decimal)> = past
            .iter()
            .rev()
            .take(3)
            .filter_map(|m| m.lines.iter().find(|l| l.line == lm.line).map(|l| (m.label.as_str(), l.charges)))
            .collect();
        if !trailing.is_empty() {
            let avg = billrecon_model::round_cents(
                trailing.iter().map(|(_, c)| *c).sum::<Decimal>() / Decimal::from(trailing.len() as u64),
            );
            let threshold = billrecon_model::round_cents(avg * Decimal::new(15, 1));
            let more = lm.charges - avg;
            if lm.charges > threshold && more >= Decimal::from(20) {
                let months: Vec<String> = trailing.iter().rev().map(|(m, c)| format!("{m} {}", usd(*c))).collect();
                let detail = format!(
                    "Charges of {} this month against an average of {} over {}: above 150% of it ({}) and {} more (at least $20.00).",
                    usd(lm.charges),
                    usd(avg),
                    months.join(", "),
                    usd(threshold),
                    usd(more)
                );
                let mut d = Draft::new(Rule::CostSpike, Severity::Review, Some(lm.line), detail);
                d.amount = more;
                d.employee_id = lm.employee_id.clone();
                d.account_code = lm.account_code.clone();
                d.sources = ctx.billed.get(&lm.line).into_iter().flatten().map(|c| c.source.clone()).collect();
                out.push(d.finish());
            }
        }
    }

    // repeat_finding: the same rule on the same line, still open from an earlier month. (A
    // charge is settled by its notice, not left open.)
    for f in
        month_findings.iter().filter(|f| f.line.is_some() && f.severity != Severity::Charge && !Rule::HISTORY.contains(&f.rule))
    {
        let earlier: Vec<_> =
            history.open_findings.iter().filter(|o| o.rule == f.rule && o.line == f.line && &o.month != label).collect();
        if let Some(first) = earlier.iter().min_by(|a, b| (&a.month, &a.id).cmp(&(&b.month, &b.id))) {
            let detail = format!(
                "The same {} as first found in {} ({}), still open (not waived or resolved): now {}, one step more urgent than {}.",
                f.rule.as_str(),
                first.month,
                first.id,
                f.severity.raised().as_str(),
                f.severity.as_str()
            );
            let mut d = Draft::new(Rule::RepeatFinding, f.severity.raised(), f.line, detail);
            d.amount = f.amount;
            d.employee_id = f.employee_id.clone();
            d.account_code = f.account_code.clone();
            d.sources = f.sources.clone();
            out.push(d.finish());
        }
    }

    // credit_not_received: no credit of the disputed amount on the two invoices since.
    let credits_now = account_credits(ctx);
    for dsp in &history.disputes {
        let after: Vec<&billrecon_model::PastMonth> = past.iter().filter(|m| m.label > dsp.month).collect();
        let months_since = after.len() + 1; // the earlier months since, and this one
        let wanted = -dsp.amount;
        let mut found = after.iter().any(|m| {
            m.lines.iter().filter(|l| dsp.line.is_none_or(|x| x == l.line)).flat_map(|l| l.credits.iter()).any(|c| *c == wanted)
                || m.account_credits.contains(&wanted)
        });
        found |=
            current.iter().filter(|l| dsp.line.is_none_or(|x| x == l.line)).flat_map(|l| l.credits.iter()).any(|c| *c == wanted)
                || credits_now.contains(&wanted);
        if !found && months_since >= 2 {
            let since: Vec<String> = after.iter().map(|m| m.label.clone()).chain([label.clone()]).collect();
            let detail = format!(
                "Disputed {} (case {}, finding {} of {}): no credit of that amount on the {} invoices since ({}); follow up with the carrier.",
                usd(dsp.amount),
                if dsp.case.is_empty() { "with no reference" } else { dsp.case.as_str() },
                dsp.finding_id,
                dsp.month,
                since.len(),
                since.join(", ")
            );
            let mut d = Draft::new(Rule::CreditNotReceived, Severity::Action, dsp.line, detail);
            d.amount = dsp.amount;
            if let Some((_, a)) = dsp.line.and_then(|l| ctx.book.last_assigned(&l)) {
                d.employee_id = a.employee_id.clone();
                d.account_code = a.account_code.clone();
            }
            out.push(d.finish());
        }
    }
    out
}
